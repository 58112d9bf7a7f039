"""The numbers on the admin home page: what needs a staff member's attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from resources_db.models import Service, Translation, TranslationStatus

#: A resource not checked for this many months is shown as stale.
STALE_MONTHS = 6


def stale_before(today: dt.date | None = None) -> dt.date:
    """Resources verified before this date are stale (six calendar months ago)."""
    today = today or dt.date.today()
    month = today.month - STALE_MONTHS
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    # The 31st of a shorter month becomes its last day.
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


@dataclass(frozen=True)
class Overview:
    services: int
    active: int
    stale: int
    machine_translations: int


def overview(session: Session, today: dt.date | None = None) -> Overview:
    """Counts of services, stale services and machine translations awaiting review."""
    count = select(func.count()).select_from(Service)
    return Overview(
        services=session.scalar(count),
        active=session.scalar(count.where(Service.status == "active")),
        stale=session.scalar(count.where(Service.status == "active", Service.verified_on < stale_before(today))),
        machine_translations=session.scalar(
            select(func.count()).select_from(Translation).where(Translation.status == TranslationStatus.machine)
        ),
    )
