"""The front desk's inbox: patients who texted R for a call back, and texts kept for staff.

A text that was not a keyword (``InboundAction.OTHER``) waits here until someone marks
it read. An R flags its patient (``Patient.callback_requested_at``); calling back
clears the flag, and who did it and when is written on the R texts themselves
(``read_by`` / ``read_at``), so the record stays with what the patient sent.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from bookings.errors import PathwayError
from bookings.models import AuditEntry, Patient
from bookings.roles import Actor, recorded_by
from reminders.models import InboundAction, InboundMessage
from scheduler import clock

ROWS_SHOWN = 50
READ_ROWS_SHOWN = 20


def list_callback_requests(*, limit: int = ROWS_SHOWN) -> list[Patient]:
    """Patients waiting for a call back, the newest request first (patient_callback_idx)."""
    return list(
        Patient.objects.filter(callback_requested_at__isnull=False).order_by(
            "-callback_requested_at", "-id"
        )[:limit]
    )


def _staff_texts() -> QuerySet[InboundMessage]:
    return InboundMessage.objects.filter(action=InboundAction.OTHER).select_related(
        "patient", "read_by"
    )


def list_unread_texts(*, limit: int = ROWS_SHOWN) -> list[InboundMessage]:
    """Texts for staff nobody has read yet, newest first (inbound_unread_idx)."""
    return list(_staff_texts().filter(read_at__isnull=True).order_by("-received_at", "-id")[:limit])


def list_read_texts(*, limit: int = READ_ROWS_SHOWN) -> list[InboundMessage]:
    """The latest texts already read, so a colleague can see who dealt with them."""
    return list(
        _staff_texts().filter(read_at__isnull=False).order_by("-received_at", "-id")[:limit]
    )


def count_inbox() -> int:
    """Call-backs waiting plus unread texts: the header badge, in one query.

    Two partial indexes hold exactly these rows, so the count reads only them,
    however many patients and texts the clinic has.
    """
    callbacks = Patient.objects.filter(callback_requested_at__isnull=False).order_by().values("pk")
    unread = (
        InboundMessage.objects.filter(action=InboundAction.OTHER, read_at__isnull=True)
        .order_by()
        .values("pk")
    )
    return callbacks.union(unread, all=True).count()


CALLED_BACK = "called_back"
CALL_BACK_UNDONE = "call_back_undone"


@transaction.atomic
def mark_called_back(*, patient: Patient, by: Actor) -> int:
    """Staff called the patient back: clear the request and say who did it and when.

    An R is sent by a phone, and every patient on that number was flagged by it (a
    family shares one), so one call back clears them all. Returns how many patients
    were cleared (0 if someone else got there first). What was cleared is kept in the
    audit trail, so a call back recorded by mistake can be undone the same day.
    """
    now = clock.now()
    user = by if getattr(by, "is_authenticated", False) else None
    numbers = Q(phone=patient.phone) if patient.phone else Q(pk=patient.pk)
    cleared = Patient.objects.select_for_update().filter(numbers | Q(pk=patient.pk))
    requested = {
        pk: at
        for pk, at in cleared.filter(callback_requested_at__isnull=False).values_list(
            "pk", "callback_requested_at"
        )
    }
    if not requested:
        return 0
    Patient.objects.filter(pk__in=requested).update(callback_requested_at=None)
    senders = Q(patient=patient) | (Q(from_number=patient.phone) if patient.phone else Q())
    answered = InboundMessage.objects.filter(
        senders, action=InboundAction.CALLBACK, read_at__isnull=True
    )
    texts = list(answered.values_list("pk", flat=True))
    answered.update(read_at=now, read_by=recorded_by(user))
    AuditEntry.objects.create(
        patient=patient,
        action=CALLED_BACK,
        by=recorded_by(user),
        detail={
            "requested_at": {str(pk): at.isoformat() for pk, at in requested.items() if at},
            "texts": texts,
        },
    )
    return len(requested)


def _undoable_call_back(patient: Patient) -> AuditEntry | None:
    """The patient's call back recorded today and not yet undone, if any."""
    last = (
        AuditEntry.objects.filter(patient=patient, action__in=(CALLED_BACK, CALL_BACK_UNDONE))
        .order_by("-at", "-id")
        .first()
    )
    if last is None or last.action != CALLED_BACK or clock.local_date(last.at) != clock.today():
        return None
    return last


def can_undo_call_back(*, patient: Patient) -> bool:
    return _undoable_call_back(patient) is not None


@transaction.atomic
def undo_call_back(*, patient: Patient, by: Actor) -> int:
    """A call back recorded by mistake: the patients wait again, the R texts unanswered.

    Only the same clinic day, and audited. A newer R that arrived meanwhile keeps its
    own time. Returns how many patients wait again.
    """
    Patient.objects.select_for_update().get(pk=patient.pk)  # one undo at a time
    entry = _undoable_call_back(patient)
    if entry is None:
        raise PathwayError("undo_too_late", "Only a call back recorded today can be undone.")
    user = by if getattr(by, "is_authenticated", False) else None
    restored = 0
    for pk, at in entry.detail.get("requested_at", {}).items():
        restored += Patient.objects.filter(pk=int(pk), callback_requested_at__isnull=True).update(
            callback_requested_at=datetime.fromisoformat(at)
        )
    InboundMessage.objects.filter(pk__in=entry.detail.get("texts", [])).update(
        read_at=None, read_by=None
    )
    AuditEntry.objects.create(
        patient=patient, action=CALL_BACK_UNDONE, by=recorded_by(user), detail={"undoes": entry.pk}
    )
    return restored


def mark_read(*, text: InboundMessage, by: Actor) -> bool:
    """Someone on staff has read (and dealt with) a text; False if already read."""
    user = by if getattr(by, "is_authenticated", False) else None
    return bool(
        InboundMessage.objects.filter(pk=text.pk, read_at__isnull=True).update(
            read_at=clock.now(), read_by=recorded_by(user)
        )
    )


def get_last_call_back(*, patient: Patient) -> InboundMessage | None:
    """The patient's latest R that someone answered, with who did it."""
    return (
        InboundMessage.objects.filter(
            patient=patient, action=InboundAction.CALLBACK, read_at__isnull=False
        )
        .select_related("read_by")
        .order_by("-read_at", "-id")
        .first()
    )
