"""What a start time must be, on every channel: one real clinic instant, on the grid.

A naive time is clinic wall-clock time. On the spring-forward night an hour of wall
clock never happens (02:30 does not exist) and on the fall-back night one happens
twice; zoneinfo quietly picks an instant for both, which once booked a 02:30 an hour
later. So such a time is refused in plain words, as the web form always refused it.
Starts lie on the slot grid, whole minutes, so what is booked is what the slot search
offers and the calendar shows.
"""

from datetime import UTC, datetime

from bookings.errors import PathwayError
from scheduler.clock import clinic_tz, local


def _when(wall: datetime) -> str:
    return f"{wall:%H:%M} on {wall:%a} {wall.day} {wall:%b %Y}"


def clinic_moment(value: datetime) -> datetime:
    """The aware instant of ``value``; a naive value must name exactly one clinic instant."""
    if value.tzinfo is not None:
        return value
    zone = clinic_tz()
    first, second = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    exists = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == value
    if not exists:
        raise PathwayError(
            "time_does_not_exist",
            f"{_when(value)} does not exist in clinic time: the clocks go forward an hour "
            "that night. Choose another time.",
        )
    raise PathwayError(
        "time_is_ambiguous",
        f"{_when(value)} happens twice in clinic time: the clocks go back an hour that "
        f"night. Give the time with its offset: {first.isoformat()[-6:]} for the first, "
        f"{second.isoformat()[-6:]} for the second.",
    )


def check_on_grid(start_at: datetime, *, grid_minutes: int) -> None:
    """Appointments start on the clinic's grid (every ``grid_minutes`` from the hour)."""
    wall = local(start_at)
    if wall.second or wall.microsecond or (wall.hour * 60 + wall.minute) % grid_minutes:
        marks = [f":{m:02d}" for m in range(0, 60, grid_minutes)]
        allowed = marks[0] if len(marks) == 1 else f"{', '.join(marks[:-1])} or {marks[-1]}"
        shown = f"{wall:%H:%M:%S}" if not wall.microsecond else f"{wall:%H:%M:%S.%f}"
        raise PathwayError(
            "off_the_grid",
            f"Appointments start at {allowed} past the hour, on the minute; "
            f"{shown} is not one of those times.",
        )
