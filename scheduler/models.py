"""The clinic's calendar: what it treats, who treats it, and when they work."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# A course's recall interval, whoever sets it (docs/rules.md#catalogue): not sooner than
# eight weeks (no product is re-injected sooner), not later than a year.
RECALL_INTERVAL_MIN_DAYS = 56
RECALL_INTERVAL_MAX_DAYS = 365
RECALL_INTERVAL_IN_RANGE = Q(
    recall_interval_days__gte=RECALL_INTERVAL_MIN_DAYS,
    recall_interval_days__lte=RECALL_INTERVAL_MAX_DAYS,
)
RECALL_INTERVAL_VALIDATORS = [
    MinValueValidator(RECALL_INTERVAL_MIN_DAYS),
    MaxValueValidator(RECALL_INTERVAL_MAX_DAYS),
]


class Category(models.TextChoices):
    THERAPEUTIC = "therapeutic", "Therapeutic"
    COSMETIC = "cosmetic", "Cosmetic"


class Kind(models.TextChoices):
    EXAM = "exam", "Exam"
    PRESCRIPTION = "prescription", "Prescription"
    INJECTION = "injection", "Injection"
    REVIEW = "review", "Review"


class TreatmentType(models.Model):
    """One indication, e.g. migraine or frown lines."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=12, choices=Category.choices)
    requires_prescription = models.BooleanField(default=False)
    recall_interval_days = models.PositiveSmallIntegerField(validators=RECALL_INTERVAL_VALIDATORS)
    min_reinjection_days = models.PositiveSmallIntegerField()
    review_after_days = models.PositiveSmallIntegerField(null=True, blank=True)
    exam_minutes = models.PositiveSmallIntegerField(default=30)
    prescription_minutes = models.PositiveSmallIntegerField(default=15)
    injection_minutes = models.PositiveSmallIntegerField(default=30)
    review_minutes = models.PositiveSmallIntegerField(default=15)
    typical_units = models.PositiveSmallIntegerField(default=50)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=RECALL_INTERVAL_IN_RANGE,
                name="treatment_recall_interval_in_range",
            ),
            models.CheckConstraint(
                condition=Q(exam_minutes__gt=0)
                & Q(prescription_minutes__gt=0)
                & Q(injection_minutes__gt=0)
                & Q(review_minutes__gt=0),
                name="treatment_durations_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def minutes_for(self, kind: str) -> int:
        return {
            Kind.EXAM: self.exam_minutes,
            Kind.PRESCRIPTION: self.prescription_minutes,
            Kind.INJECTION: self.injection_minutes,
            Kind.REVIEW: self.review_minutes,
        }[Kind(kind)]


class Role(models.TextChoices):
    PHYSICIAN = "physician", "Physician"
    NURSE_INJECTOR = "nurse_injector", "Nurse injector"
    DENTIST = "dentist", "Dentist"


class Practitioner(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practitioner",
    )
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=Role.choices)
    can_examine = models.BooleanField(default=False)
    can_prescribe = models.BooleanField(default=False)
    can_inject = models.BooleanField(default=False)
    treatment_types = models.ManyToManyField(
        TreatmentType, related_name="practitioners", blank=True
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHours(models.Model):
    """A weekly block of work in clinic-local wall-clock time; a day may have several."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["practitioner", "weekday", "start_time"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="hours_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class TimeOff(models.Model):
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="time_off"
    )
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_at"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=models.F("start_at")), name="time_off_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["practitioner", "start_at"])]

    def __str__(self) -> str:
        return f"{self.practitioner}: {self.start_at:%Y-%m-%d %H:%M} – {self.end_at:%Y-%m-%d %H:%M}"
