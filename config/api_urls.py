"""/api/v1/: bookings and catalogue here; reminders adds its own routes."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from bookings.api import AppointmentViewSet, CourseViewSet, PatientViewSet, SlotsView
from bookings.api_authorizations import AuthorizationViewSet
from bookings.api_catalogue import PractitionerViewSet, TreatmentTypeViewSet
from bookings.api_lots import LotViewSet
from bookings.waitlist.api import WaitlistViewSet
from config.api_auth import TokenView

router = DefaultRouter()
router.register("treatment-types", TreatmentTypeViewSet, basename="treatment-type")
router.register("practitioners", PractitionerViewSet, basename="practitioner")
router.register("patients", PatientViewSet, basename="patient")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("courses", CourseViewSet, basename="course")
router.register("authorizations", AuthorizationViewSet, basename="authorization")
router.register("lots", LotViewSet, basename="lot")
router.register("waitlist", WaitlistViewSet, basename="waitlist")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("slots/", SlotsView.as_view(), name="slots"),
    path("", include(router.urls)),
    path("", include("reminders.api_urls")),
]
