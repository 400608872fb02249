"""403, 404 and 500 look like the rest of the clinic's pages, in plain words."""

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from config import urls as project_urls
from config.errors import server_error

pytestmark = pytest.mark.django_db

STYLESHEET = "/static/css/app.css"


def test_a_manager_on_a_front_desk_page_gets_a_styled_403_that_says_why(client_for):
    response = client_for("manager").get("/patients/new/")
    page = response.content.decode()
    assert response.status_code == 403
    assert STYLESHEET in page and "Lakeshore Clinic" in page
    assert "This page is not for your role" in page and "signed in as <strong>manager" in page
    assert 'href="/">Go to your home page' in page
    assert "Log out" in page  # the usual header, to go on from here


def test_a_missing_appointment_gets_a_styled_404(client_for):
    response = client_for("front_desk").get("/appointments/987654/")
    page = response.content.decode()
    assert response.status_code == 404
    assert STYLESHEET in page and "We could not find that page" in page


def test_an_unknown_address_gets_the_styled_404_even_signed_out():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert STYLESHEET in page and "We could not find that page" in page


def failing_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", failing_view), *project_urls.urlpatterns]
handler500 = project_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_gets_a_styled_500_without_touching_the_database(
    client_for, django_assert_num_queries
):
    client = client_for("front_desk")
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert STYLESHEET in page and "Something went wrong on our side" in page
    with django_assert_num_queries(0):
        assert server_error(RequestFactory().get("/")).status_code == 500
