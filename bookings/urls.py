"""The staff web pages' addresses, namespace `bookings` (the API is `bookings-api` under
/api/v1/; docs/architecture.md#url-names)."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from bookings import (
    views,
    views_appointments,
    views_authorizations,
    views_booking,
    views_calendar,
    views_lots,
    views_notes,
    views_patients,
)

app_name = "bookings"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("calendar/", views_calendar.day_calendar, name="calendar"),
    path("calendar/week/", views_calendar.week_calendar, name="calendar-week"),
    path("patients/", views_patients.patient_search, name="patients"),
    path("patients/new/", views_patients.patient_register, name="patient-register"),
    path("patients/<int:pk>/", views_patients.patient_detail, name="patient"),
    path("patients/<int:pk>/edit/", views_patients.patient_edit, name="patient-edit"),
    path("patients/<int:pk>/notes/", views_notes.patient_note_add, name="patient-note-add"),
    path(
        "appointments/<int:pk>/notes/",
        views_notes.appointment_note_add,
        name="appointment-note-add",
    ),
    path("courses/<int:pk>/funding/", views_authorizations.course_funding, name="course-funding"),
    path(
        "courses/<int:pk>/authorizations/",
        views_authorizations.authorization_add,
        name="authorization-add",
    ),
    path(
        "authorizations/<int:pk>/",
        views_authorizations.authorization_edit,
        name="authorization-edit",
    ),
    path("book/", views_booking.book, name="book"),
    path("book/confirm/", views_booking.book_confirm, name="book-confirm"),
    path("appointments/<int:pk>/", views_appointments.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/move/", views_booking.move, name="appointment-move"),
    path("appointments/<int:pk>/confirm/", views_appointments.confirm, name="appointment-confirm"),
    path(
        "appointments/<int:pk>/check-in/", views_appointments.check_in, name="appointment-check-in"
    ),
    path("appointments/<int:pk>/no-show/", views_appointments.no_show, name="appointment-no-show"),
    path(
        "appointments/<int:pk>/undo-no-show/",
        views_appointments.undo_no_show,
        name="appointment-undo-no-show",
    ),
    path("appointments/<int:pk>/cancel/", views_appointments.cancel, name="appointment-cancel"),
    path(
        "appointments/<int:pk>/complete/", views_appointments.complete, name="appointment-complete"
    ),
    path("appointments/<int:pk>/amend/", views_appointments.amend, name="appointment-amend"),
    path("lots/", views_lots.lot_list, name="lots"),
    path("lots/new/", views_lots.lot_add, name="lot-add"),
    path("lots/<int:pk>/open-vial/", views_lots.vial_open, name="vial-open"),
    path("lots/<int:pk>/recall/", views_lots.lot_recall, name="lot-recall"),
    path("lots/<int:pk>/recall.csv", views_lots.lot_recall_csv, name="lot-recall-csv"),
    path("vials/<int:pk>/close/", views_lots.vial_close, name="vial-close"),
]
