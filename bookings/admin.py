from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from bookings.models import Appointment, AuditEntry, Course, Patient, Prescription
from bookings.selectors import search_patients


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin[Patient]):
    list_display = ["last_name", "first_name", "phone", "sms_consent", "sms_opted_out"]
    search_fields = ["last_name", "first_name", "phone"]
    # Consent and opt-out change only through the patient page or the API, where the
    # opt-out rule is checked and the change is kept in the consent history.
    readonly_fields = [
        "sms_consent",
        "sms_consent_at",
        "sms_consent_source",
        "sms_opted_out",
        "sms_opted_out_at",
    ]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Patient], search_term: str
    ) -> tuple[QuerySet[Patient], bool]:
        # The same folded search as the front desk's ("cote" finds Côté).
        if not search_term.strip():
            return queryset, False
        return queryset.filter(pk__in=search_patients(search_term).values("pk")), False


class AuditInline(admin.TabularInline[AuditEntry, Appointment]):
    model = AuditEntry
    extra = 0
    can_delete = False
    readonly_fields = ["action", "detail", "by", "at"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin[Appointment]):
    """Read-mostly: bookings go through the front-desk screens, which apply the rules."""

    list_display = ["start_at", "patient", "practitioner", "kind", "status"]
    list_filter = ["kind", "status", "practitioner"]
    date_hierarchy = "start_at"
    search_fields = ["patient__last_name", "patient__phone"]
    inlines = [AuditInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def get_readonly_fields(self, request: object, obj: Appointment | None = None) -> list[str]:
        return [f.name for f in Appointment._meta.fields]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin[Course]):
    list_display = ["patient", "treatment_type", "recall_interval_days", "created_at"]
    list_filter = ["treatment_type"]


@admin.register(Prescription)
class PrescriptionAdmin(admin.ModelAdmin[Prescription]):
    list_display = ["course", "units_per_session", "sessions", "written_on", "valid_until"]
