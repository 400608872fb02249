"""The clinic's one time zone: stored datetimes are UTC, people see clinic time."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def clinic_tz() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


def now() -> datetime:
    return timezone.now()


def local(moment: datetime) -> datetime:
    return moment.astimezone(clinic_tz())


def local_date(moment: datetime) -> date:
    return local(moment).date()


def today() -> date:
    return local_date(now())


def at(day: date, clock: time) -> datetime:
    """The aware instant of a clinic wall-clock time; zoneinfo resolves DST gaps and folds."""
    return datetime.combine(day, clock, tzinfo=clinic_tz())
