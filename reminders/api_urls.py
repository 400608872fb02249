"""Reminders' routes under /api/v1/ (included from config/api_urls.py), namespace
`reminders-api`."""

from django.urls import path

from reminders import api

app_name = "reminders-api"

urlpatterns = [
    path("recalls/", api.RecallListView.as_view(), name="recall-list"),
    path("recalls/<int:pk>/dismiss/", api.RecallDismissView.as_view(), name="recall-dismiss"),
    path("follow-ups/summary/", api.FollowUpSummaryView.as_view(), name="follow-up-summary"),
    path("messages/", api.MessageListView.as_view(), name="message-list"),
]
