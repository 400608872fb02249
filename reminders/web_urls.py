"""The managers' follow-ups dashboard in the web UI (mounted at the site root)."""

from django.urls import path

from reminders import views

urlpatterns = [
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("follow-ups/<slug:table>.csv", views.follow_ups_csv, name="follow-ups-csv"),
]
