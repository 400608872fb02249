"""The staff web pages' addresses, namespace `bookings` (the API is `bookings-api` under
/api/v1/; docs/architecture.md#url-names)."""

from django.contrib.auth.views import LogoutView
from django.urls import include, path

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

# Each record's pages hang off its own address, written once per record.
_patient = [
    path("", views_patients.patient_detail, name="patient"),
    path("edit/", views_patients.patient_edit, name="patient-edit"),
    path("notes/", views_notes.patient_note_add, name="patient-note-add"),
]
# The visit's actions: each at "<action>/", named "appointment-<action>".
_APPOINTMENT_ACTIONS = {
    "move": views_booking.move,
    "confirm": views_appointments.confirm,
    "check-in": views_appointments.check_in,
    "no-show": views_appointments.no_show,
    "undo-no-show": views_appointments.undo_no_show,
    "cancel": views_appointments.cancel,
    "complete": views_appointments.complete,
    "amend": views_appointments.amend,
}
_appointment = [
    path("", views_appointments.appointment_detail, name="appointment"),
    path("notes/", views_notes.appointment_note_add, name="appointment-note-add"),
    *(
        path(f"{action}/", view, name=f"appointment-{action}")
        for action, view in _APPOINTMENT_ACTIONS.items()
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("calendar/", views_calendar.day_calendar, name="calendar"),
    path("calendar/week/", views_calendar.week_calendar, name="calendar-week"),
    path("patients/", views_patients.patient_search, name="patients"),
    path("patients/new/", views_patients.patient_register, name="patient-register"),
    path("patients/<int:pk>/", include(_patient)),
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
    path("appointments/<int:pk>/", include(_appointment)),
    path("lots/", views_lots.lot_list, name="lots"),
    path("lots/new/", views_lots.lot_add, name="lot-add"),
    path("lots/<int:pk>/open-vial/", views_lots.vial_open, name="vial-open"),
    path("lots/<int:pk>/recall/", views_lots.lot_recall, name="lot-recall"),
    path("lots/<int:pk>/recall.csv", views_lots.lot_recall_csv, name="lot-recall-csv"),
    path("vials/<int:pk>/close/", views_lots.vial_close, name="vial-close"),
]
