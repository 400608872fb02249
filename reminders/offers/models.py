"""Freed time and the offers made for it (docs/rules.md#waitlist)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from bookings.models import Appointment
from bookings.waitlist.models import WaitlistEntry
from scheduler.models import Practitioner


class FreedSource(models.TextChoices):
    CANCELLED = "cancelled", "Cancellation"
    MOVED = "moved", "Move"
    HOURS = "hours", "New working hours"
    MANUAL = "manual", "Offered by staff"


class FreedTime(models.Model):
    """A practitioner's time that became free, from then until it is filled or passes."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=FreedSource.choices)
    # The visit whose cancellation or move freed it.
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    freed_at = models.DateTimeField()
    # When the offer task last looked at it: a freed time never looked at is the sweep's.
    looked_at = models.DateTimeField(null=True, blank=True)
    filled_at = models.DateTimeField(null=True, blank=True)
    filled_by = models.ForeignKey(
        WaitlistEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filled_appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Nothing more to do: filled, passed, or taken by a booking made another way.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=models.F("start_at")), name="freed_time_end_after_start"
            ),
            # One open record per start: freeing the same time twice offers it once.
            models.UniqueConstraint(
                fields=["practitioner", "start_at"],
                condition=Q(closed_at__isnull=True),
                name="one_open_freed_time_per_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["start_at"], condition=Q(closed_at__isnull=True), name="freed_open_idx"
            ),
            models.Index(fields=["freed_at"]),
        ]

    def __str__(self) -> str:
        return f"Freed {self.start_at:%Y-%m-%d %H:%M} ({self.source})"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    TAKEN = "taken", "Taken by someone else"
    LAPSED = "lapsed", "Lapsed"


class WaitlistOffer(models.Model):
    """One entry asked about one freed time, held for it until ``hold_until``."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    freed_time = models.ForeignKey(FreedTime, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    offered_at = models.DateTimeField()
    hold_until = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey(
        "reminders.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["offered_at", "id"]
        constraints = [
            # A redelivered task cannot ask the same patient about the same time twice.
            models.UniqueConstraint(fields=["entry", "freed_time"], name="one_offer_per_entry"),
            # The database decides: one acceptance per freed time.
            models.UniqueConstraint(
                fields=["freed_time"],
                condition=Q(status="accepted"),
                name="one_acceptance_per_freed_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["hold_until"], condition=Q(status="offered"), name="offer_open_idx"
            ),
            models.Index(fields=["offered_at"]),
        ]

    def __str__(self) -> str:
        return f"Offer {self.pk} ({self.status})"
