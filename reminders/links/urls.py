"""The patient's pages behind a personal link, at /p/<token>/ (the address texts carry)."""

from django.urls import path

from reminders.links import views, waitlist

app_name = "links"

urlpatterns = [
    path("p/<str:token>", views.link_page, name="page"),
    path("p/<str:token>/choose/", views.choose_page, name="choose"),
    path("p/<str:token>/book/", views.book_page, name="book"),
    path("p/<str:token>/confirm/", views.confirm_page, name="confirm"),
    path("p/<str:token>/cancel/", views.cancel_page, name="cancel"),
    path("p/<str:token>/waitlist/", waitlist.waitlist_page, name="waitlist"),
    path("p/<str:token>/visit.ics", views.calendar_page, name="ics"),
]
