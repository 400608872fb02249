"""Login, the home page by role, and the header every page shows."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_the_login_page():
    for url in ("/", "/calendar/", "/patients/", "/book/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_staff_log_in_and_land_on_the_calendar(users, settings):
    settings.CLINIC_NAME = "Harbourfront Clinic"
    client = Client()
    page = client.get("/login/")
    assert b"Harbourfront Clinic" in page.content
    response = client.post("/login/", {"username": "front_desk", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/calendar/"


def test_a_wrong_password_is_refused_with_a_message(users):
    response = Client().post("/login/", {"username": "front_desk", "password": "nope"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_managers_land_on_the_follow_ups_dashboard(client_for):
    client = client_for("manager")
    assert client.get("/").url == "/follow-ups/"


def test_the_header_shows_clinic_today_user_role_and_a_logout_form(client_for, frozen, settings):
    settings.CLINIC_NAME = "Harbourfront Clinic"
    page = client_for("clinician").get("/calendar/").content.decode()
    assert "Harbourfront Clinic" in page
    assert "Monday 2 March 2026" in page
    assert "Clinician" in page
    assert 'action="/logout/"' in page and 'method="post"' in page


def test_the_menu_marks_the_page_it_is_on(client_for, frozen):
    # The menu compares full route names ("bookings:patients"), as every name is namespaced.
    client = client_for("manager")
    for url in ("/patients/", "/patients/new/", "/follow-ups/", "/lots/"):
        page = client.get(url).content.decode()
        assert f'href="{url.split("new/")[0]}" aria-current="page"' in page
        assert page.count('aria-current="page"') == 1


def test_logout_is_a_post(client_for):
    client = client_for("front_desk")
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/calendar/").status_code == 302


def test_a_user_without_a_clinic_role_is_refused(db):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/calendar/").status_code == 403


def test_vendored_htmx_is_served_locally():
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/htmx.min.js")
    assert finders.find("css/app.css")
