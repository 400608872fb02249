"""The limits every input must stay within, whichever way it arrives.

Each bound is defined once here. The API's serializers, the web forms, the views that
read dates from the address and the request guard all call these functions, so a
limit cannot differ between the API and the web pages (docs/rules.md#input).

The validators take the value positionally because Django and DRF call them so; they
raise Django's ValidationError, which both frameworks turn into a field's message.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError

from scheduler import clock

# PostgreSQL refuses this byte in any text column; nobody types it on purpose.
NUL = "\x00"

# Units in one session (planned, given or prescribed). Far above any real dose, and
# far below what the smallint columns hold, so a typo is refused before the database.
# Ids are 64-bit on PostgreSQL and SQLite; a larger number can name no row, and SQLite
# cannot even compare it (a 500), so it is refused as the field's error.
MAX_ID = 2**63 - 1
MAX_UNITS = 600
MAX_SESSIONS = 20
TOO_MANY_UNITS = f"Enter at most {MAX_UNITS} units: no session uses more."
TOO_MANY_SESSIONS = f"Enter at most {MAX_SESSIONS} sessions for one prescription."

# How far ahead anything can be booked or prescribed: up to the same date this many
# years on. Far enough for a yearly review booked a year out; near enough that a
# mistyped year (2099, 9999) is caught.
BOOKING_HORIZON_YEARS = 2

# Nobody alive was born earlier; a date of birth is a fact about the past.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# Dates read from filters and the calendar's address: the clinic's whole history and
# well past anything bookable, yet never near the calendar's end (9999-12-31), where
# "the next day" no longer exists.
EARLIEST_DATE = date(1900, 1, 1)
QUERY_YEARS_AHEAD = 10


def has_nul(text: str) -> bool:
    return NUL in text


def spoken_date(day: date) -> str:
    """``2 March 2028``: a date as people say it, never a format to decode."""
    return f"{day.day} {day:%B %Y}"


def years_after(day: date, years: int) -> date:
    """The same date ``years`` on; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_booking_day() -> date:
    return years_after(clock.today(), BOOKING_HORIZON_YEARS)


def latest_query_day() -> date:
    return years_after(clock.today(), QUERY_YEARS_AHEAD)


def horizon_message() -> str:
    return (
        f"Bookings can be made at most {BOOKING_HORIZON_YEARS} years ahead, until "
        f"{spoken_date(latest_booking_day())}; choose an earlier date."
    )


def is_within_horizon(moment: datetime) -> bool:
    """Whether a start falls on or before the last bookable day, in clinic time.

    Compared against an aware midnight rather than converting ``moment``: converting a
    start late on 9999-12-31 to another zone would overflow the calendar.
    """
    first_day_after = clock.at(latest_booking_day() + timedelta(days=1), time(0))
    return moment < first_day_after


def validate_booking_start(value: datetime) -> None:
    if not is_within_horizon(value):
        raise ValidationError(horizon_message(), code="too_far_ahead")


def validate_prescription_end(value: date) -> None:
    """A prescription cannot outlast the bookings it could cover."""
    if value > latest_booking_day():
        raise ValidationError(
            f"A prescription can be valid until {spoken_date(latest_booking_day())} at "
            "the latest, as far ahead as bookings can be made.",
            code="too_far_ahead",
        )


def validate_date_of_birth(value: date) -> None:
    if value > clock.today():
        raise ValidationError("A date of birth cannot be in the future.", code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            f"Enter a date of birth on or after {spoken_date(EARLIEST_BIRTH_DATE)}.",
            code="too_early",
        )


def query_range() -> tuple[date, date]:
    return EARLIEST_DATE, latest_query_day()


def query_date_message() -> str:
    first, last = query_range()
    return f"Choose a date between {spoken_date(first)} and {spoken_date(last)}."


def is_sane_query_date(value: date) -> bool:
    first, last = query_range()
    return first <= value <= last


def validate_query_date(value: date) -> None:
    if not is_sane_query_date(value):
        raise ValidationError(query_date_message(), code="out_of_range")
