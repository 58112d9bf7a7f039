"""SQLAlchemy models aligned with the Open Referral Human Services Data Specification (HSDS 3).

Table and column names follow HSDS where it has them (organization, service, location,
address, phone, schedule, service_area, language). Our additions:

- `service_need`: the taxonomy need(s) a service answers;
- `source` and `verified_on` on organizations and services: where each fact comes from
  and when it was last checked;
- `translation`: every family-facing text, per language, with a review status
  (HSDS has no translation support);
- `audit_log`: who changed what, when, with the old and new value.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every familybot table."""


class TranslationStatus(str, enum.Enum):
    """How far a text can be trusted: curated and reviewed texts are shown first."""

    curated = "curated"
    machine = "machine"
    reviewed = "reviewed"


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(500))
    verified_on: Mapped[dt.date] = mapped_column(Date)

    services: Mapped[list[Service]] = relationship(back_populates="organization")
    locations: Mapped[list[Location]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )


class Service(Base):
    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    #: Official name (language-neutral); the family-facing name lives in `translation`.
    name: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(300))
    #: HSDS status: active, inactive, defunct, temporarily closed.
    status: Mapped[str] = mapped_column(String(30), default="active")
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    #: Shown before services with a higher number (1–100); staff put the best first.
    priority: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    #: True when the service is free, False when it has fees, None when unknown.
    free: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(500))
    verified_on: Mapped[dt.date] = mapped_column(Date)

    organization: Mapped[Organization] = relationship(back_populates="services")
    needs: Mapped[list[ServiceNeed]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceNeed.position"
    )
    phones: Mapped[list[Phone]] = relationship(
        cascade="all, delete-orphan", order_by="Phone.position"
    )
    schedules: Mapped[list[Schedule]] = relationship(cascade="all, delete-orphan")
    service_areas: Mapped[list[ServiceArea]] = relationship(cascade="all, delete-orphan")
    languages: Mapped[list[Language]] = relationship(
        cascade="all, delete-orphan", order_by="Language.code"
    )
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        cascade="all, delete-orphan"
    )


class ServiceNeed(Base):
    """A taxonomy need a service answers; position 0 is the main one."""

    __tablename__ = "service_need"

    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), primary_key=True)
    need: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Location(Base):
    __tablename__ = "location"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    organization: Mapped[Organization] = relationship(back_populates="locations")
    addresses: Mapped[list[Address]] = relationship(cascade="all, delete-orphan")


class Address(Base):
    __tablename__ = "address"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"), index=True)
    address_1: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(100))
    state_province: Mapped[str] = mapped_column(String(50), default="QC")
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="CA")


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"

    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"), primary_key=True)


class Phone(Base):
    __tablename__ = "phone"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    extension: Mapped[str | None] = mapped_column(String(20))
    #: HSDS phone type: voice, text (SMS), fax, cell, video, pager, textphone.
    type: Mapped[str] = mapped_column(String(20), default="voice")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Schedule(Base):
    """HSDS schedule, iCalendar-style (freq, byday, opens_at, closes_at)."""

    __tablename__ = "schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    freq: Mapped[str] = mapped_column(String(10), default="WEEKLY")
    byday: Mapped[str] = mapped_column(String(30))
    opens_at: Mapped[str] = mapped_column(String(5))
    closes_at: Mapped[str] = mapped_column(String(5))


class ServiceArea(Base):
    __tablename__ = "service_area"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class Language(Base):
    """A language the service itself is offered in (HSDS `language`)."""

    __tablename__ = "language"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))


class Translation(Base):
    """One family-facing text of one entity in one language."""

    __tablename__ = "translation"
    __table_args__ = (UniqueConstraint("entity_type", "entity_id", "field", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(50))
    language: Mapped[str] = mapped_column(String(10), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[TranslationStatus] = mapped_column(
        Enum(TranslationStatus, native_enum=False, length=20)
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_by: Mapped[str] = mapped_column(String(200))


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(200))
    field: Mapped[str | None] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
