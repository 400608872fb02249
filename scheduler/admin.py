from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from scheduler.calendar_changes import calendar_change
from scheduler.models import (
    InjectionSite,
    Lot,
    OpenedVial,
    Practitioner,
    TimeOff,
    TreatmentType,
    WorkingHours,
)


class InjectionSiteInline(admin.TabularInline[InjectionSite, TreatmentType]):
    # The treatment's site template, edited where the treatment is.
    model = InjectionSite
    extra = 0


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
    inlines = [InjectionSiteInline]


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

    def save_related(
        self, request: HttpRequest, form: ModelForm[Practitioner], formsets: Any, change: bool
    ) -> None:
        # The hours and time-off inlines: time they open up is offered to the waitlist.
        with calendar_change(form.instance.pk):
            super().save_related(request, form, formsets, change)


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin[TimeOff]):
    list_display = ["practitioner", "start_at", "end_at", "reason"]
    list_filter = ["practitioner"]

    # Time off shortened, moved to someone else or taken back frees time for the waitlist.
    def save_model(
        self, request: HttpRequest, obj: TimeOff, form: ModelForm[TimeOff], change: bool
    ) -> None:
        was = TimeOff.objects.filter(pk=obj.pk).values_list("practitioner_id", flat=True).first()
        with calendar_change(obj.practitioner_id, was):
            super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: TimeOff) -> None:
        with calendar_change(obj.practitioner_id):
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TimeOff]) -> None:
        with calendar_change(*queryset.values_list("practitioner_id", flat=True).distinct()):
            super().delete_queryset(request, queryset)


@admin.register(InjectionSite)
class InjectionSiteAdmin(admin.ModelAdmin[InjectionSite]):
    list_display = ["treatment_type", "position", "code", "name", "default_units"]
    list_filter = ["treatment_type"]


class OpenedVialInline(admin.TabularInline[OpenedVial, Lot]):
    model = OpenedVial
    extra = 0
    fields = ["opened_at", "use_by_at", "diluent_ml", "units_drawn", "closed_at", "discarded_units"]
    # Drawn units follow the injections recorded; typing them here would break the stock.
    readonly_fields = ["units_drawn"]


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin[Lot]):
    list_display = ["product", "lot_number", "expires_on", "vials_received", "units_per_vial"]
    search_fields = ["product", "lot_number"]
    inlines = [OpenedVialInline]


@admin.register(OpenedVial)
class OpenedVialAdmin(admin.ModelAdmin[OpenedVial]):
    list_display = ["lot", "opened_at", "use_by_at", "units_drawn", "closed_at", "discarded_units"]
    readonly_fields = ["units_drawn"]
