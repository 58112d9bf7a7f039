"""The validated, format-neutral shape of resource content.

Every import format (seed folder, YAML, CSV, HSDS JSON) is parsed into a `Bundle`;
every export is written from one. Validation happens here, once, with messages a
staff member can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from nlu.taxonomy import load_taxonomy

_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")

#: Family-facing fields every service must have in every curated language.
TEXT_FIELDS = ("name", "description", "how_to_get")

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,98}$")
PHONE = re.compile(r"^[0-9A-Z +().-]{3,30}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
BYDAY = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$")
PhoneType = Literal["voice", "text", "fax", "cell", "video", "pager", "textphone"]
Status = Literal["curated", "machine", "reviewed"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(f"id {value!r} must be lowercase letters, digits and dashes")
    return value


#: A stable identifier staff can read: lowercase letters, digits and dashes.
Slug = Annotated[str, AfterValidator(_check_slug)]


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


class PhoneRecord(_Record):
    number: str
    type: PhoneType = "voice"
    extension: str | None = None

    @field_validator("number")
    @classmethod
    def _number_shape(cls, value: str) -> str:
        if not PHONE.match(value):
            raise ValueError(f"{value!r} is not a phone number (digits, spaces, dashes)")
        return value


class ScheduleRecord(_Record):
    byday: str
    opens_at: str
    closes_at: str

    @field_validator("byday")
    @classmethod
    def _byday(cls, value: str) -> str:
        if not BYDAY.match(value):
            raise ValueError(f"byday {value!r} must look like MO,TU,WE")
        return value

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _hour(cls, value: str) -> str:
        if not HHMM.match(value):
            raise ValueError(f"{value!r} is not an hour like 08:30")
        return value


class AddressRecord(_Record):
    address_1: str
    city: str
    state_province: str = "QC"
    postal_code: str | None = None
    country: str = "CA"


class LocationRecord(_Record):
    id: str
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    address: AddressRecord | None = None


class TextRecord(_Record):
    """One family-facing text and how far it can be trusted."""

    text: str = Field(min_length=1)
    status: Status = "curated"

    @field_validator("text")
    @classmethod
    def _plain_line_breaks(cls, value: str) -> str:
        # Unicode's other line breaks (NEL, LS, PS, CR) read differently in YAML, CSV, SMS and
        # Telegram: keep the one every format agrees on.
        return _LINE_BREAKS.sub("\n", value)


class OrganizationRecord(_Record):
    id: Slug
    name: str = Field(min_length=1)
    url: str | None = None
    email: str | None = None
    source: str = Field(min_length=1)
    verified_on: dt.date
    locations: list[LocationRecord] = []

    _blank = field_validator("url", "email", mode="before")(_blank_to_none)


class ServiceRecord(_Record):
    id: Slug
    organization: str
    name: str = Field(min_length=1)
    needs: list[str] = Field(min_length=1)
    url: str | None = None
    email: str | None = None
    status: Literal["active", "inactive", "defunct", "temporarily closed"] = "active"
    phones: list[PhoneRecord] = []
    schedules: list[ScheduleRecord] = []
    #: Languages the service is offered in (BCP 47: "fr", "es", "zh-Hans", "ht").
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]] = []
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    free: bool | None = None
    #: 1–100: lower numbers are shown first among services of the same need.
    priority: int = Field(default=50, ge=1, le=100)
    service_areas: list[str] = []
    locations: list[str] = []
    source: str = Field(min_length=1)
    verified_on: dt.date
    #: texts[language][field] -> text, for fields in TEXT_FIELDS.
    texts: dict[str, dict[str, TextRecord]] = {}

    _blank = field_validator("url", "email", "min_age", "max_age", "free", mode="before")(
        _blank_to_none
    )

    @field_validator("needs")
    @classmethod
    def _known_needs(cls, value: list[str]) -> list[str]:
        known = load_taxonomy().needs
        unknown = [need for need in value if need not in known]
        if unknown:
            raise ValueError(f"unknown need(s) {unknown}; use names from taxonomy.yml")
        if len(set(value)) != len(value):
            raise ValueError("a need is listed twice")
        return value

    @field_validator("languages", "locations")
    @classmethod
    def _sorted_set(cls, value: list[str]) -> list[str]:
        # Order carries no meaning here; a canonical order keeps imports idempotent.
        return sorted(set(value))

    @field_validator("texts")
    @classmethod
    def _known_fields(cls, value: dict[str, dict[str, TextRecord]]) -> dict:
        for language, fields in value.items():
            if not re.match(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", language):
                raise ValueError(f"{language!r} is not a language code like 'fr' or 'es'")
            extra = set(fields) - set(TEXT_FIELDS)
            if extra:
                raise ValueError(f"unknown text field(s) {sorted(extra)} for {language}")
        return value

    @model_validator(mode="after")
    def _ages_in_order(self) -> ServiceRecord:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError(f"min_age {self.min_age} is above max_age {self.max_age}")
        return self


class Bundle(_Record):
    """A complete, consistent set of organizations and services."""

    organizations: list[OrganizationRecord] = []
    services: list[ServiceRecord] = []

    @model_validator(mode="after")
    def _consistent(self) -> Bundle:
        org_ids = [o.id for o in self.organizations]
        _no_duplicates("organization", org_ids)
        _no_duplicates("service", [s.id for s in self.services])
        location_ids = {loc.id for o in self.organizations for loc in o.locations}
        for service in self.services:
            if service.organization not in org_ids:
                raise ValueError(
                    f"service {service.id!r}: organization {service.organization!r} does not exist"
                )
            missing = set(service.locations) - location_ids
            if missing:
                raise ValueError(f"service {service.id!r}: unknown location(s) {sorted(missing)}")
        return self

    def missing_texts(self, languages: tuple[str, ...]) -> list[str]:
        """Describe every (service, language, field) lacking a family-facing text."""
        return [
            f"service {s.id!r} has no {field!r} in {lang!r}"
            for s in self.services
            for lang in languages
            for field in TEXT_FIELDS
            if field not in s.texts.get(lang, {})
        ]


def _no_duplicates(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{kind} id {item!r} appears twice")
        seen.add(item)
