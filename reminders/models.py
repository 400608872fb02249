"""Recalls (when a patient is due back) and the SMS outbox that reminds them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from bookings.models import Appointment, Course, Patient
from scheduler.models import TreatmentType


class RecallKind(models.TextChoices):
    REINJECTION = "reinjection", "Re-injection"
    REVIEW = "review", "Review"


class RecallStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    REMINDED = "reminded", "Reminded"
    BOOKED = "booked", "Booked"
    DISMISSED = "dismissed", "Dismissed"
    LAPSED = "lapsed", "Lapsed"


OPEN_RECALL_STATUSES = (RecallStatus.PENDING, RecallStatus.REMINDED)


class Recall(models.Model):
    """A patient due back for the next injection (or a review) of a course."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="recalls")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="recalls")
    # Denormalised from the course so dashboard filters need no join.
    treatment_type = models.ForeignKey(TreatmentType, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=RecallKind.choices)
    source_appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        related_name="recalls_created",
        help_text="The injection whose completion created this recall.",
    )
    due_on = models.DateField()
    last_injection_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=RecallStatus.choices, default=RecallStatus.PENDING
    )
    booked_appointment = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recalls_booked",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    lapsed_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_reason = models.CharField(max_length=200, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_appointment", "kind"], name="one_recall_per_injection_and_kind"
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissed_reason=""),
                name="dismissed_recall_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # The dashboard's weekly summary and recall conversion: counts over a range of
            # due dates by status, kind, treatment (and booking day) read from this index
            # alone, an index-only scan. Key columns, not INCLUDE: B-tree deduplication
            # keeps it about as small as (due_on, status), and SQLite builds the same.
            models.Index(
                fields=["due_on", "status", "kind", "treatment_type", "booked_at"],
                name="recall_week_summary_idx",
            ),
            models.Index(fields=["course", "kind", "status"]),
            # The dashboard's "booked online / by staff": booked recalls over a range of
            # due dates with the appointment each booked, an index-only scan (the
            # appointment id is in no other index with the due date).
            models.Index(
                fields=["due_on", "booked_appointment"],
                condition=Q(status="booked"),
                name="recall_booked_by_idx",
            ),
            # The dashboard's "overdue" and "reminded" lists: open recalls in due order,
            # so a page of 50 is read straight off the index however many are open.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=["pending", "reminded"]),
                name="recall_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} recall for {self.patient} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RECALL_STATUSES


class Purpose(models.TextChoices):
    RECALL_DUE_SOON = "recall_due_soon", "Recall: due soon"
    RECALL_DUE = "recall_due", "Recall: due"
    RECALL_OVERDUE = "recall_overdue", "Recall: overdue"
    REVIEW = "review", "Review invitation"
    APPOINTMENT_REMINDER = "appointment_reminder", "Appointment reminder"
    BOOKING_CONFIRMATION = "booking_confirmation", "Booking confirmation"
    WAITLIST_OFFER = "waitlist_offer", "Waitlist offer"
    STAFF_REPLY = "staff_reply", "Reply from staff"


RECALL_PURPOSES = (
    Purpose.RECALL_DUE_SOON,
    Purpose.RECALL_DUE,
    Purpose.RECALL_OVERDUE,
    Purpose.REVIEW,
)


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    UNDELIVERED = "undelivered", "Undelivered"
    FAILED = "failed", "Failed"
    UNKNOWN = "unknown", "Unknown (sent, outcome uncertain)"
    SUPPRESSED = "suppressed", "Suppressed (not sent)"


class Message(models.Model):
    """One outbound SMS: written before it is sent, its outcome written back (an outbox)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="messages")
    to = models.CharField(max_length=20)
    body = models.TextField()
    purpose = models.CharField(max_length=24, choices=Purpose.choices)
    recall = models.ForeignKey(
        Recall, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    stage = models.CharField(max_length=12, blank=True)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    status = models.CharField(
        max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    provider_sid = models.CharField(max_length=64, blank=True)
    error_code = models.PositiveIntegerField(null=True, blank=True)
    error_message = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    send_after = models.DateTimeField(help_text="Not before this (quiet hours, daily limit).")
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a send task was last put on the broker."
    )
    sending_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set just before the request to the provider: without it, nothing left.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A staff reply: the patient's text it answers (if any) and who wrote it.
    in_reply_to = models.ForeignKey(
        "InboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recall", "stage"],
                condition=Q(recall__isnull=False),
                name="one_message_per_recall_stage",
            ),
            models.UniqueConstraint(
                fields=["appointment", "purpose"],
                condition=Q(appointment__isnull=False),
                name="one_message_per_appointment_purpose",
            ),
            models.UniqueConstraint(
                fields=["provider_sid"],
                condition=~Q(provider_sid=""),
                name="unique_message_provider_sid",
            ),
        ]
        indexes = [
            # What the dispatcher scans: only the (few) queued rows.
            models.Index(
                fields=["send_after", "id"],
                condition=Q(status="queued"),
                name="message_dispatch_idx",
            ),
            models.Index(fields=["patient", "-created_at"]),
            # The per-patient text budget: this patient's texts of the last 7 days.
            models.Index(fields=["patient", "sending_at"], name="message_budget_idx"),
            models.Index(fields=["status", "-created_at"]),
            # The dashboard's SMS health: counts by status over the last days, index only.
            models.Index(fields=["created_at", "status"], name="message_health_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} to {self.to} ({self.status})"


class MessageStatusEvent(models.Model):
    """Every delivery callback once; Twilio may repeat or reorder them."""

    provider_sid = models.CharField(max_length=64)
    status = models.CharField(max_length=20)
    error_code = models.PositiveIntegerField(null=True, blank=True)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="status_events"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_sid", "status"], name="one_status_event_per_sid_and_status"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider_sid} {self.status}"


class InboundAction(models.TextChoices):
    OPT_OUT = "opt_out", "Opted out"
    OPT_IN = "opt_in", "Opted back in"
    HELP = "help", "Asked for help"
    CONFIRM = "confirm", "Confirmed an appointment"
    CONFIRM_FAILED = "confirm_failed", "Tried to confirm (nothing to confirm)"
    CALLBACK = "callback", "Asked for a call back"
    OTHER = "other", "Message for staff"


class InboundMessage(models.Model):
    """A text a patient sent us; anything we cannot act on waits here for staff."""

    provider_sid = models.CharField(max_length=64, blank=True)
    from_number = models.CharField(max_length=20)
    to_number = models.CharField(max_length=20, blank=True)
    body = models.TextField(blank=True)
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages"
    )
    action = models.CharField(max_length=16, choices=InboundAction.choices)
    reply = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_sid"],
                condition=~Q(provider_sid=""),
                name="unique_inbound_provider_sid",
            )
        ]
        indexes = [
            models.Index(fields=["patient", "-received_at"]),
            models.Index(fields=["action", "-received_at"], name="inbound_action_idx"),
            # The staff inbox's unread texts and its header badge: only the unread.
            models.Index(
                fields=["-received_at"],
                condition=Q(action="other", read_at__isnull=True),
                name="inbound_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"From {self.from_number}: {self.body[:40]}"


class SendPace(models.Model):
    """When the next SMS may leave (epoch microseconds), when no Redis is configured.

    One row per throttle; every send moves it on by 1/SMS_MAX_PER_SECOND.
    """

    name = models.CharField(max_length=40, primary_key=True)
    next_free_us = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: next at {self.next_free_us}"


class ConsentField(models.TextChoices):
    SMS_CONSENT = "sms_consent", "Consent to texts"
    SMS_OPTED_OUT = "sms_opted_out", "Opted out of texts"


class ConsentChange(models.Model):
    """The history behind a patient's consent and opt-out: what changed, how, by whom.

    The patient row keeps only the latest state; this keeps every step, including STOP
    and START texts and opt-outs cleared by staff on the patient's word.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consent_changes")
    field = models.CharField(max_length=16, choices=ConsentField.choices)
    value = models.BooleanField()
    # "front_desk", "api", "sms_stop", "sms_start", "provider" (Twilio's 21610)
    source = models.CharField(max_length=40)
    asked_in_person = models.BooleanField(default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["patient", "at"])]

    def __str__(self) -> str:
        return f"{self.field}={self.value} for patient {self.patient_id} ({self.source})"


class LinkPurpose(models.TextChoices):
    RECALL = "recall", "Recall"
    APPOINTMENT = "appointment", "Appointment"
    OFFER = "offer", "Waitlist offer"


class Link(models.Model):
    """A patient's personal link (``/p/<token>``), born in a text (docs/rules.md#patient-links).

    Only the SHA-256 of the token is kept: a copy of the database cannot be used to act
    for a patient. Wrong dates of birth are counted on the row, by the application's
    clock, so a lock-out survives a cache flush and is frozen in tests like every rule.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=12, choices=LinkPurpose.choices)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="links")
    recall = models.ForeignKey(
        Recall, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    offer = models.ForeignKey(
        "reminders.WaitlistOffer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="links",
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(purpose="recall", recall__isnull=False, appointment__isnull=True)
                    | Q(purpose="appointment", appointment__isnull=False, recall__isnull=True)
                    | Q(
                        purpose="offer",
                        offer__isnull=False,
                        recall__isnull=True,
                        appointment__isnull=True,
                    )
                ),
                name="link_has_its_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link {self.pk}"


# The waitlist offers' models live with their engine; imported here so Django finds them.
from reminders.offers.models import FreedTime as FreedTime  # noqa: E402
from reminders.offers.models import WaitlistOffer as WaitlistOffer  # noqa: E402
