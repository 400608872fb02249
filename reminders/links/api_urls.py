"""/api/public/v1/: the patient link's JSON API (no staff sign-in; see reminders/links/api.py)."""

from django.urls import path

from reminders.links import api

app_name = "public-api"

# Every step of the link is "links/<token>/<step>/", named "link-<step>".
_STEPS = {
    "verify": api.LinkVerify,
    "slots": api.LinkSlots,
    "book": api.LinkBook,
    "confirm": api.LinkConfirm,
    "cancel": api.LinkCancel,
    "move": api.LinkMove,
}

urlpatterns = [
    path("links/<str:token>/", api.LinkDetail.as_view(), name="link"),
    *(
        path(f"links/<str:token>/{step}/", view.as_view(), name=f"link-{step}")
        for step, view in _STEPS.items()
    ),
]
