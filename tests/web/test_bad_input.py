"""Hostile and mistyped input on the pages and Twilio's webhooks: a plain 400 (or the
page with its message), never a 500, and nothing half written.

The NUL cases matter on PostgreSQL, whose text columns refuse the byte outright; they
run on SQLite too, where the answer must be the same.
"""

import pytest
from twilio.request_validator import RequestValidator

from bookings.models import Patient
from reminders.models import InboundMessage, MessageStatusEvent

pytestmark = pytest.mark.django_db

AUTH_TOKEN = "fake-auth-token"
PUBLIC_BASE_URL = "https://clinic.example.org"


@pytest.fixture
def signed_webhooks(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.SMS_BACKEND = "console"


def post_signed(client, path, params):
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def said_plainly(response) -> str:
    text = response.content.decode()
    assert "NUL" in text or "character" in text, text[:500]
    return text


# --- NUL bytes ------------------------------------------------------------------------

NUL_PAGES = [
    "/patients/?q=%00",
    "/patients/?q=Lo%00pez",
    "/patients/?q=%00&for=booking",
    "/calendar/?date=2026-03-02%00",
    "/calendar/?cancelled=%00",
    "/book/?patient={patient}&treatment=%00",
    "/book/?patient={patient}&treatment=mig%00raine&kind=exam",
    "/book/?patient={patient}&treatment=migraine&kind=exam&from=%00&day=%00",
    "/book/confirm/?patient={patient}&treatment=migr%00aine&kind=exam"
    "&practitioner={doctor}&start=2026-03-02T10:00",
    "/book/confirm/?patient={patient}&treatment=migraine&kind=exam"
    "&practitioner={doctor}&start=2026-03-02T10:00&planned_units=%00",
    "/follow-ups/?treatment_type=%00",
    "/follow-ups/?due_after=%00",
    "/follow-ups/overdue.csv?treatment_type=%00",
    "/inbox/?next=%00",
    "/login/?next=/%00",
    "/%00/",
    "/patients/%00/",
    "/static/%00",
]


@pytest.mark.parametrize("url", NUL_PAGES)
def test_a_nul_byte_in_a_page_address_is_answered_400_in_plain_words(
    client_for, patient, doctor, frozen, url
):
    response = client_for("manager" if "follow-ups" in url else "front_desk").get(
        url.format(patient=patient.pk, doctor=doctor.pk)
    )
    assert response.status_code == 400
    said_plainly(response)


def test_a_nul_byte_in_the_session_cookie_is_a_400_not_a_database_error(client):
    # A quoted cookie value may spell bytes in octal; Django decodes \000 to NUL.
    response = client.get("/calendar/", HTTP_COOKIE='sessionid="abcdefgh\\000ijklmnop"')
    assert response.status_code == 400


def test_a_nul_byte_typed_into_a_form_is_refused_by_the_field_keeping_the_rest(client_for, frozen):
    response = client_for("front_desk").post(
        "/patients/new/",
        {"first_name": "Ma\x00ria", "last_name": "Gagné", "phone": "416 555 0123"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Null characters are not allowed" in html
    assert 'value="Gagné"' in html
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    "field", ["MessageSid", "From", "To", "Body"], ids=lambda f: f"inbound-{f}"
)
def test_a_signed_inbound_text_with_a_nul_byte_is_refused_without_a_500(
    client, signed_webhooks, field
):
    params = {"MessageSid": "SM" + "7" * 32, "From": "+14165550123", "To": "+15005550006"}
    params["Body"] = "STOP"
    params[field] = params[field][:3] + "\x00" + params[field][3:]
    response = post_signed(client, "/webhooks/twilio/inbound/", params)
    assert response.status_code == 400
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("field", ["MessageSid", "MessageStatus", "ErrorCode"])
def test_a_signed_status_callback_with_a_nul_byte_is_refused_without_a_500(
    client, signed_webhooks, field
):
    params = {"MessageSid": "SM" + "7" * 32, "MessageStatus": "delivered", "ErrorCode": "30003"}
    params[field] = params[field][:2] + "\x00" + params[field][2:]
    response = post_signed(client, "/webhooks/twilio/status/", params)
    assert response.status_code == 400
    assert not MessageStatusEvent.objects.exists()


def test_a_nul_byte_in_a_webhook_address_is_refused(client, signed_webhooks):
    params = {"MessageSid": "SM" + "7" * 32, "MessageStatus": "delivered"}
    response = post_signed(client, "/webhooks/twilio/status/?m=1%00", params)
    assert response.status_code == 400
    assert not MessageStatusEvent.objects.exists()
