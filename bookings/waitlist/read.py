"""Reads of the waitlist: the list with its filters, in waiting order."""

from datetime import date

from django.db.models import QuerySet

from bookings.waitlist.models import WaitlistEntry


def list_entries(
    *, patient_id: int | None = None, status: str | None = None, on: date | None = None
) -> QuerySet[WaitlistEntry]:
    """Entries in waiting order; ``on`` keeps those whose dates include that day."""
    qs = WaitlistEntry.objects.select_related("treatment_type", "patient", "practitioner")
    if patient_id is not None:
        qs = qs.filter(patient_id=patient_id)
    if status:
        qs = qs.filter(status=status)
    if on is not None:
        qs = qs.filter(earliest_on__lte=on, latest_on__gte=on)
    return qs.order_by("created_at", "id")
