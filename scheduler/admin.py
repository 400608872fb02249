from django.contrib import admin

from scheduler.models import Practitioner, TimeOff, TreatmentType, WorkingHours


@admin.register(TreatmentType)
class TreatmentTypeAdmin(admin.ModelAdmin[TreatmentType]):
    list_display = [
        "name",
        "code",
        "category",
        "requires_prescription",
        "recall_interval_days",
        "min_reinjection_days",
        "review_after_days",
        "active",
    ]
    list_filter = ["category", "active"]
    search_fields = ["name", "code"]


class WorkingHoursInline(admin.TabularInline[WorkingHours, Practitioner]):
    model = WorkingHours
    extra = 0


class TimeOffInline(admin.TabularInline[TimeOff, Practitioner]):
    model = TimeOff
    extra = 0


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin[Practitioner]):
    list_display = ["name", "role", "can_examine", "can_prescribe", "can_inject", "active"]
    list_filter = ["role", "active"]
    filter_horizontal = ["treatment_types"]
    inlines = [WorkingHoursInline, TimeOffInline]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin[TimeOff]):
    list_display = ["practitioner", "start_at", "end_at", "reason"]
    list_filter = ["practitioner"]
