"""/api/public/v1/: the patient link's JSON API (no staff sign-in; see reminders/links/api.py)."""

from django.urls import path

from reminders.links import api

app_name = "public-api"

urlpatterns = [
    path("links/<str:token>/", api.LinkDetail.as_view(), name="link"),
    path("links/<str:token>/verify/", api.LinkVerify.as_view(), name="link-verify"),
    path("links/<str:token>/slots/", api.LinkSlots.as_view(), name="link-slots"),
    path("links/<str:token>/book/", api.LinkBook.as_view(), name="link-book"),
    path("links/<str:token>/confirm/", api.LinkConfirm.as_view(), name="link-confirm"),
    path("links/<str:token>/cancel/", api.LinkCancel.as_view(), name="link-cancel"),
    path("links/<str:token>/move/", api.LinkMove.as_view(), name="link-move"),
]
