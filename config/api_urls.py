"""/api/v1/: bookings and catalogue here (namespace `bookings-api`); reminders adds its
own routes (`reminders-api`). The token endpoint is config's (config/urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from bookings.api import AppointmentViewSet, CourseViewSet, PatientViewSet, SlotsView
from bookings.api_authorizations import AuthorizationViewSet
from bookings.api_catalogue import PractitionerViewSet, TreatmentTypeViewSet
from bookings.api_lots import LotViewSet
from bookings.waitlist.api import WaitlistViewSet

router = DefaultRouter()
router.register("treatment-types", TreatmentTypeViewSet, basename="treatment-type")
router.register("practitioners", PractitionerViewSet, basename="practitioner")
router.register("patients", PatientViewSet, basename="patient")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("courses", CourseViewSet, basename="course")
router.register("authorizations", AuthorizationViewSet, basename="authorization")
router.register("lots", LotViewSet, basename="lot")
router.register("waitlist", WaitlistViewSet, basename="waitlist")

bookings_api = [path("slots/", SlotsView.as_view(), name="slots"), *router.urls]

urlpatterns = [
    path("", include((bookings_api, "bookings-api"))),
    path("", include("reminders.api_urls")),
]
