"""Which starts of newly opened time are offered (docs/rules.md#waitlist).

New working hours or time off taken back open a window, not one visit's time. The
offer engine asks about one start at a time, so a window becomes a few starts: the
free starts the slot search (``scheduler.slots``) finds in it, on days some waiting
entry for this practitioner wants, for the shortest visit they wait for, one after
another without overlapping, at most ``WAITLIST_STARTS_PER_CHANGE``. Who may take
each start is still decided by ``fits.list_fitting_entries`` when it is offered.
"""

from datetime import date, datetime

from django.conf import settings

from bookings.busy import get_busy
from bookings.waitlist.fits import waiting_for
from scheduler import clock
from scheduler.models import Practitioner, TreatmentType
from scheduler.selectors import hours_of, range_bounds
from scheduler.slots import Interval, find_slots_in_micros, to_micros

_MINUTE_US = 60_000_000


def starts_to_offer(*, practitioner: Practitioner, windows: list[Interval]) -> list[Interval]:
    """Free, non-overlapping starts inside ``windows`` a waiting entry could want, in time order."""
    wanted = list(
        waiting_for(practitioner)
        .order_by()
        .values_list("earliest_on", "latest_on", "treatment_type_id", "kind")
        .distinct()
    )
    if not windows or not wanted:
        return []
    types = TreatmentType.objects.in_bulk({type_id for _, _, type_id, _ in wanted})
    shortest = min(types[type_id].minutes_for(kind) for _, _, type_id, kind in wanted)
    spans = [(to_micros(start), to_micros(end)) for start, end in windows]

    def wanted_on(day: date) -> bool:
        return any(earliest <= day <= latest for earliest, latest, _, _ in wanted)

    def in_window(start_at: datetime) -> bool:
        moment = to_micros(start_at)
        return wanted_on(clock.local_date(start_at)) and any(s <= moment < e for s, e in spans)

    first = max(clock.today(), min(w[0] for w in wanted), clock.local_date(windows[0][0]))
    last = min(max(w[1] for w in wanted), clock.local_date(windows[-1][1]))
    if last < first:
        return []
    day_start, day_end = range_bounds(first, last)
    busy = get_busy([practitioner.pk], day_start, day_end)
    slots = find_slots_in_micros(
        [(practitioner.pk, hours_of(practitioner))],
        busy,
        first,
        last,
        shortest * _MINUTE_US,
        not_before=to_micros(clock.now()),
        grid=settings.SLOT_GRID_MINUTES * _MINUTE_US,
        allowed=in_window,
    )
    picked: list[Interval] = []
    for slot in slots:
        if picked and slot.start_at < picked[-1][1]:
            continue
        picked.append((slot.start_at, slot.end_at))
        if len(picked) >= settings.WAITLIST_STARTS_PER_CHANGE:
            break
    return picked
