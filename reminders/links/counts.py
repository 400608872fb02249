"""How many recalls the patients booked themselves, for the follow-ups dashboard."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from bookings.audit_lines import BOOKED_ONLINE
from bookings.models import AuditEntry
from reminders.models import Recall, RecallStatus
from reminders.selectors import filter_recalls


@dataclass(frozen=True)
class BookedBy:
    online: int
    staff: int


def count_recalls_booked_by(
    *,
    due_after: date,
    due_before: date,
    treatment_type: str | None = None,
    kind: str | None = None,
    practitioner_id: int | None = None,
) -> BookedBy:
    """Of the booked recalls due in the period, those booked from a link and the rest.

    One query: only booked recalls are read, and for each one index lookup of its
    appointment's audit entries.
    """
    recalls = filter_recalls(
        Recall.objects.filter(status=RecallStatus.BOOKED),
        treatment_type=treatment_type,
        kind=kind,
        practitioner_id=practitioner_id,
        due_after=due_after,
        due_before=due_before,
    )
    online = Exists(
        AuditEntry.objects.filter(
            appointment_id=OuterRef("booked_appointment_id"), action=BOOKED_ONLINE
        )
    )
    totals = recalls.aggregate(online=Count("pk", filter=Q(online)), booked=Count("pk"))
    return BookedBy(online=totals["online"], staff=totals["booked"] - totals["online"])
