"""Patients, their courses of treatment, prescriptions and appointments."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from bookings.folding import search_name
from scheduler.models import (
    RECALL_INTERVAL_IN_RANGE,
    RECALL_INTERVAL_VALIDATORS,
    Kind,
    Lot,
    OpenedVial,
    Practitioner,
    TreatmentType,
)


class PatientManager(models.Manager["Patient"]):
    def bulk_create(self, objs: Iterable["Patient"], *args: Any, **kwargs: Any) -> list["Patient"]:
        # bulk_create skips save(); the generators and benchmarks create patients so.
        rows = list(objs)
        for patient in rows:
            patient.search_name = search_name(
                first_name=patient.first_name, last_name=patient.last_name
            )
        return super().bulk_create(rows, *args, **kwargs)


class Patient(models.Model):
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=20, help_text="E.164, e.g. +14165550123")
    email = models.EmailField(blank=True)
    sms_consent = models.BooleanField(default=False)
    sms_consent_at = models.DateTimeField(null=True, blank=True)
    sms_consent_source = models.CharField(max_length=40, blank=True)
    sms_opted_out = models.BooleanField(default=False)
    sms_opted_out_at = models.DateTimeField(null=True, blank=True)
    phone_invalid = models.BooleanField(
        default=False, help_text="The SMS provider said this number cannot receive texts."
    )
    callback_requested_at = models.DateTimeField(null=True, blank=True)
    # The record the front desk keeps; none of it is ever texted.
    preferred_name = models.CharField(max_length=80, blank=True)
    address = models.CharField(max_length=500, blank=True)
    health_card_number = models.CharField(max_length=40, blank=True)
    insurance_member_number = models.CharField(max_length=40, blank=True)
    alerts = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown wherever the patient appears: allergies, needle-phobic, …",
    )
    # The names folded (bookings.folding): what search compares. On PostgreSQL a
    # trigram index (migration 0005) serves its "contains" lookups. The database
    # default keeps raw SQL writers (the benchmarks' bulk loader) working.
    search_name = models.CharField(max_length=170, blank=True, editable=False, db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["phone"]),
            # The staff inbox's call-back list and its header badge: only the few flagged.
            models.Index(
                fields=["-callback_requested_at"],
                condition=Q(callback_requested_at__isnull=False),
                name="patient_callback_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column, not a rule: kept here because every writer (services, the
        # admin, factories) saves through this, and a stale one would hide a patient.
        self.search_name = search_name(first_name=self.first_name, last_name=self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Funding(models.TextChoices):
    SELF_PAY = "self_pay", "Self-pay"
    INSURANCE = "insurance", "Insurance"


class Course(models.Model):
    """A patient's treatment of one type, created with its first appointment."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="courses")
    treatment_type = models.ForeignKey(TreatmentType, on_delete=models.PROTECT, related_name="+")
    recall_interval_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=RECALL_INTERVAL_VALIDATORS,
        help_text="Set by a clinician for this patient; empty means the treatment's default.",
    )
    # An insured course's injections need an authorization (docs/rules.md#authorizations).
    funding = models.CharField(max_length=12, choices=Funding.choices, default=Funding.SELF_PAY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "treatment_type"], name="one_course_per_patient_and_type"
            ),
            models.CheckConstraint(
                condition=Q(recall_interval_days__isnull=True) | RECALL_INTERVAL_IN_RANGE,
                name="course_recall_interval_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} – {self.treatment_type}"

    @property
    def effective_recall_interval_days(self) -> int:
        return self.recall_interval_days or self.treatment_type.recall_interval_days


class Status(models.TextChoices):
    BOOKED = "booked", "Booked"
    CONFIRMED = "confirmed", "Confirmed"
    CHECKED_IN = "checked_in", "Checked in"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


LIVE_STATUSES = (Status.BOOKED, Status.CONFIRMED, Status.CHECKED_IN, Status.COMPLETED)


class Appointment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="appointments")
    # Denormalised from the course so calendar and patient queries need no join.
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    planned_units = models.PositiveSmallIntegerField(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_rules = models.JSONField(default=list, blank=True)
    prescription = models.ForeignKey(
        "Prescription",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="injections",
        help_text="For an injection of a therapeutic course: the prescription it uses.",
    )
    # Clinical outcome, filled when the appointment is completed.
    diagnosis = models.TextField(blank=True)
    product = models.CharField(max_length=80, blank=True)
    units_given = models.PositiveSmallIntegerField(null=True, blank=True)
    lot = models.CharField(max_length=40, blank=True)
    # The lot as a row (docs/rules.md#lots-and-the-injection-record); rows recorded
    # before lots were kept have only the text above.
    product_lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="injections"
    )
    vial = models.ForeignKey(
        OpenedVial, null=True, blank=True, on_delete=models.PROTECT, related_name="injections"
    )
    # [{"site": <code>, "units": n}, …] from the treatment's template, adding up to units_given.
    site_units = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=models.F("start_at")), name="appt_end_after_start"
            ),
            # The no-overlap rule itself is a PostgreSQL exclusion constraint added in
            # migration 0002; SQLite relies on the booking service's locked check.
        ]
        indexes = [
            models.Index(fields=["practitioner", "start_at"]),
            models.Index(fields=["patient", "start_at"]),
            models.Index(fields=["start_at"]),
            # A lot's recall list: only injections carry a lot.
            models.Index(
                fields=["product_lot", "start_at"],
                condition=Q(product_lot__isnull=False),
                name="appointment_lot_recall_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.patient} at {self.start_at:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class Prescription(models.Model):
    """Written when a prescription appointment is completed."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="prescriptions")
    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="written_prescription"
    )
    units_per_session = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    sessions = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    written_on = models.DateField()
    valid_until = models.DateField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("written_on")),
                name="prescription_valid_after_written",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sessions} × {self.units_per_session} U until {self.valid_until}"


class AuditEntry(models.Model):
    """Who did what to an appointment (overrides of a safety rule land here too), or
    to a patient without an appointment (a call back recorded or undone)."""

    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="audit"
    )
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.CASCADE, related_name="audit"
    )
    action = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "audit entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(appointment__isnull=False) | Q(patient__isnull=False),
                name="audit_entry_is_about_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.appointment_id or f'patient {self.patient_id}'}"


class Authorization(models.Model):
    """An insurer's approval of units and sessions for a period (docs/rules.md#authorizations).

    What is used is not stored: it is the course's live injections dated inside the
    period, counted when asked, so a cancelled booking gives its share back by itself.
    """

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="authorizations")
    payer = models.CharField(max_length=120)
    number = models.CharField(max_length=60)
    approved_units = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    approved_sessions = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    valid_from = models.DateField()
    valid_until = models.DateField()
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["course_id", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="authorization_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(approved_units__gte=1), name="authorization_units_positive"
            ),
            models.CheckConstraint(
                condition=Q(approved_sessions__gte=1), name="authorization_sessions_positive"
            ),
        ]
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self) -> str:
        return f"{self.payer} {self.number} ({self.valid_from} to {self.valid_until})"


class Note(models.Model):
    """A free note by staff: about the patient, or about one appointment when it names one.

    Notes are added, never edited, so who wrote what and when stays as it was.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="notes")
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="staff_notes"
    )
    text = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The writer's role when they wrote it: a later change of groups does not rewrite the past.
    by_role = models.CharField(
        max_length=20,
        blank=True,
        choices=[("front_desk", "Front desk"), ("clinician", "Clinician"), ("manager", "Manager")],
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"]), models.Index(fields=["appointment"])]

    def __str__(self) -> str:
        return f"Note on patient {self.patient_id} at {self.at:%Y-%m-%d %H:%M}"


# The waitlist's model lives with its services; imported here so Django finds it.
from bookings.waitlist.models import WaitlistEntry as WaitlistEntry  # noqa: E402
