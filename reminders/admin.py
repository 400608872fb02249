"""Admin for recalls and the SMS outbox: for looking, not editing (the services write)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reminders.models import (
    ConsentChange,
    InboundMessage,
    Message,
    MessageStatusEvent,
    Recall,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Recall)
class RecallAdmin(ReadOnlyAdmin):
    list_display = ["id", "patient", "treatment_type", "kind", "due_on", "status", "reminded_at"]
    list_filter = ["status", "kind", "treatment_type"]
    date_hierarchy = "due_on"
    search_fields = ["patient__last_name", "patient__first_name", "patient__phone"]
    raw_id_fields = ["patient", "course", "source_appointment", "booked_appointment"]
    list_select_related = ["patient", "treatment_type"]
    show_full_result_count = False


class StatusEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MessageStatusEvent
    extra = 0
    can_delete = False
    readonly_fields = ["provider_sid", "status", "error_code", "received_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "to", "purpose", "status", "error_code", "attempts"]
    list_filter = ["status", "purpose"]
    search_fields = ["to", "provider_sid", "patient__last_name"]
    raw_id_fields = ["patient", "recall", "appointment"]
    inlines = [StatusEventInline]
    show_full_result_count = False


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "received_at", "from_number", "patient", "action", "body"]
    list_filter = ["action"]
    search_fields = ["from_number", "body"]
    raw_id_fields = ["patient", "read_by"]


@admin.register(ConsentChange)
class ConsentChangeAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "patient", "field", "value", "source", "asked_in_person", "by"]
    list_filter = ["field", "source"]
    raw_id_fields = ["patient", "by"]
    list_select_related = ["patient", "by"]
    show_full_result_count = False
