"""The reminders' web pages (mounted at the site root): the managers' follow-ups
dashboard, the staff inbox, and the actions on call backs, replies and recalls.
Namespace `reminders` (docs/architecture.md#url-names)."""

from django.urls import path

from reminders import views, views_inbox
from reminders.links import staff as link_staff
from reminders.waitlist_pages import patient as waitlist_patient
from reminders.waitlist_pages import views as waitlist_views

app_name = "reminders"

urlpatterns = [
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("follow-ups/<slug:table>.csv", views.follow_ups_csv, name="follow-ups-csv"),
    path("follow-ups/renewals/", views.renewal_worklist, name="renewals"),
    path("inbox/", views_inbox.inbox_page, name="inbox"),
    path("inbox/call-backs/<int:pk>/done/", views_inbox.called_back, name="callback-done"),
    path("inbox/call-backs/<int:pk>/undo/", views_inbox.undo_call_back, name="callback-undo"),
    path("inbox/texts/<int:pk>/read/", views_inbox.mark_read, name="inbound-read"),
    path("inbox/patients/<int:pk>/", views_inbox.thread, name="thread"),
    path("inbox/patients/<int:pk>/reply/", views_inbox.reply, name="thread-reply"),
    path("recalls/<int:pk>/dismiss/", views_inbox.dismiss, name="recall-dismiss"),
    path("recalls/<int:pk>/send-link/", link_staff.send_recall_link, name="recall-send-link"),
    path("patients/<int:pk>/waitlist/", waitlist_patient.waitlist_add, name="waitlist-add"),
    path("waitlist/", waitlist_views.waitlist_day, name="waitlist-day"),
    path("waitlist/<int:pk>/offer/", waitlist_views.offer, name="waitlist-offer"),
    path("waitlist/<int:pk>/remove/", waitlist_patient.waitlist_remove, name="waitlist-remove"),
]
