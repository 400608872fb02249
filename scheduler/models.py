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


class InjectionSite(models.Model):
    """One site of a treatment's template, e.g. the left temporalis of the migraine pattern.

    Records keep the site's code and their own units, so editing a template later never
    rewrites what was given (docs/rules.md#lots-and-the-injection-record).
    """

    treatment_type = models.ForeignKey(
        TreatmentType, on_delete=models.CASCADE, related_name="injection_sites"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)
    default_units = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["treatment_type", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["treatment_type", "code"], name="injection_site_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Lot(models.Model):
    """A batch of product as delivered: what a recall names (docs/rules.md#lots-and-the-injection-record)."""

    product = models.CharField(max_length=80)
    lot_number = models.CharField(max_length=40)
    expires_on = models.DateField()
    vials_received = models.PositiveIntegerField()
    units_per_vial = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires_on", "product", "lot_number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot_number"], name="lot_number_unique"),
            models.CheckConstraint(condition=Q(vials_received__gte=1), name="lot_vials_positive"),
            models.CheckConstraint(
                condition=Q(units_per_vial__gte=1), name="lot_units_per_vial_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} lot {self.lot_number}"

    @property
    def units_received(self) -> int:
        return self.vials_received * self.units_per_vial


class OpenedVial(models.Model):
    """A vial reconstituted for use: it keeps for a set time, then what is left is discarded."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="vials")
    opened_at = models.DateTimeField()
    use_by_at = models.DateTimeField()
    diluent_ml = models.DecimalField(max_digits=4, decimal_places=1)
    units_drawn = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    discarded_units = models.PositiveSmallIntegerField(default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(use_by_at__gt=models.F("opened_at")), name="vial_use_by_after_opened"
            ),
            models.CheckConstraint(condition=Q(diluent_ml__gt=0), name="vial_diluent_positive"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("opened_at")),
                name="vial_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=False) | Q(discarded_units=0),
                name="vial_discards_only_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["lot", "closed_at"])]

    def __str__(self) -> str:
        return f"Vial of {self.lot} opened {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def units_left(self) -> int:
        return max(self.lot.units_per_vial - self.units_drawn - self.discarded_units, 0)

    @property
    def units_per_tenth_ml(self) -> float:
        """What the injector draws per 0.1 mL: the label's units over the diluent added."""
        return round(self.lot.units_per_vial / float(self.diluent_ml) / 10, 2)
