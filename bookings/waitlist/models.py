"""A waitlist entry: one patient's wish for a course's next step sooner (docs/rules.md#waitlist)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from bookings.models import Appointment, Course, Patient
from scheduler.models import Kind, Practitioner, TreatmentType


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a time"
    BOOKED = "booked", "Booked"
    REMOVED = "removed", "Removed"
    EXPIRED = "expired", "Expired"


# An entry still wanting a time: it can be offered one, and a second one is a duplicate.
LIVE_WAITLIST = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class EndReason(models.TextChoices):
    BOOKED = "booked", "Booked from an offer"
    REMOVED = "removed", "Taken off the list"
    EXPIRED = "expired", "Past its latest date"


class WaitlistEntry(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="waitlist")
    # The course whose next step is wanted; the treatment type is the course's, kept here
    # so the freed-time search filters on it without a join.
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="waitlist")
    treatment_type = models.ForeignKey(TreatmentType, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    earliest_on = models.DateField()
    latest_on = models.DateField()
    practitioner = models.ForeignKey(
        Practitioner, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Keys of bookings.day_parts.PARTS; empty means any part of the day.
    parts_of_day = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    # A later booking of the same step the patient wants moved earlier: an accepted
    # offer moves it instead of booking a second visit.
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)  # the waiting order
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(latest_on__gte=models.F("earliest_on")),
                name="waitlist_latest_after_earliest",
            ),
            models.UniqueConstraint(
                fields=["patient", "course", "kind"],
                condition=Q(status__in=LIVE_WAITLIST),
                name="one_live_waitlist_entry_per_step",
            ),
        ]
        indexes = [
            # The freed-time search walks waiting entries in waiting order and stops at
            # the first page that fits: no sort of the whole list.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status=WaitlistStatus.WAITING),
                name="waitlist_waiting_order_idx",
            ),
            models.Index(fields=["patient", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.patient} waits for {self.kind} ({self.earliest_on}–{self.latest_on})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_WAITLIST
