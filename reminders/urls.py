"""Webhooks Twilio calls (mounted under /webhooks/), namespace `webhooks`."""

from django.urls import path

from reminders import webhooks

app_name = "webhooks"

urlpatterns = [
    path("twilio/status/", webhooks.twilio_status, name="twilio-status"),
    path("twilio/inbound/", webhooks.twilio_inbound, name="twilio-inbound"),
]
