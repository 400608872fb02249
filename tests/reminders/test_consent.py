"""An opt-out is the patient's word: every channel clears it only when they asked in person."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from bookings.errors import PathwayError
from bookings.models import Patient
from tests.bookings.support import client_for
from tests.clock import frozen_at, in_march
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db
# Monday 2 March 2026, 10:00 in the clinic, when the opt-out is changed.
CHANGED_AT = in_march(2, 10)


@pytest.fixture
def opted_out() -> Patient:
    return PatientFactory(sms_opted_out=True, sms_opted_out_at=CHANGED_AT, phone="+14165550111")


@pytest.fixture
def client_for_web():
    def make(role: str) -> Client:
        client = Client()
        client.force_login(UserFactory(username=f"web-{role}", groups=[role]))
        return client

    return make


def patch(client, patient, **fields):
    return client.patch(f"/api/v1/patients/{patient.pk}/", fields, format="json")


def test_the_api_refuses_to_clear_an_opt_out_without_the_in_person_confirmation(opted_out):
    response = patch(client_for("front_desk"), opted_out, sms_opted_out=False)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "opt_out_confirmation_required"
    assert "asked" in body["detail"] and "in person" in body["detail"]
    opted_out.refresh_from_db()
    assert opted_out.sms_opted_out and opted_out.sms_opted_out_at == CHANGED_AT


def test_a_refused_re_consent_writes_nothing_else_either(opted_out):
    before = Patient.objects.values().get(pk=opted_out.pk)
    response = patch(
        client_for("front_desk"),
        opted_out,
        sms_opted_out=False,
        sms_consent=True,
        first_name="Changed",
        phone="647 555 0188",
    )
    assert response.status_code == 400
    assert Patient.objects.values().get(pk=opted_out.pk) == before


@pytest.mark.parametrize("asked", [False, "false", 0])
def test_the_confirmation_must_be_a_yes(opted_out, asked):
    response = patch(
        client_for("front_desk"), opted_out, sms_opted_out=False, asked_in_person=asked
    )
    assert response.status_code == 400
    opted_out.refresh_from_db()
    assert opted_out.sms_opted_out


@frozen_at(CHANGED_AT)
def test_the_api_clears_an_opt_out_the_patient_asked_for_in_person_and_audits_it(opted_out):
    from reminders.models import ConsentChange

    client = client_for("front_desk")
    response = patch(client, opted_out, sms_opted_out=False, asked_in_person=True)
    assert response.status_code == 200, response.json()
    assert response.json()["sms_opted_out"] is False
    assert "asked_in_person" not in response.json()  # an instruction, not a field
    opted_out.refresh_from_db()
    assert not opted_out.sms_opted_out and opted_out.sms_opted_out_at is None
    change = ConsentChange.objects.get(patient=opted_out)
    assert (change.field, change.value, change.source) == ("sms_opted_out", False, "api")
    assert change.asked_in_person and change.by == client.user and change.at == CHANGED_AT


def test_the_api_may_still_record_an_opt_out_and_unrelated_edits_without_confirmation():
    from reminders.models import ConsentChange

    patient = PatientFactory()
    client = client_for("front_desk")
    assert patch(client, patient, sms_opted_out=True).status_code == 200
    # An opted-out patient's other details stay editable; repeating the opt-out is no change.
    assert patch(client, patient, first_name="Ana", sms_opted_out=True).status_code == 200
    patient.refresh_from_db()
    assert patient.sms_opted_out and patient.first_name == "Ana"
    assert list(ConsentChange.objects.values_list("field", "value", "asked_in_person")) == [
        ("sms_opted_out", True, False)
    ]


def test_giving_and_withdrawing_consent_is_audited_with_its_source():
    from reminders.models import ConsentChange

    patient = PatientFactory(sms_consent=False, sms_consent_at=None, sms_consent_source="")
    client = client_for("front_desk")
    patch(client, patient, sms_consent=True)
    patch(client, patient, sms_consent=False)
    assert list(ConsentChange.objects.values_list("field", "value", "source")) == [
        ("sms_consent", True, "api"),
        ("sms_consent", False, "api"),
    ]


def test_registering_with_consent_is_audited():
    from reminders.models import ConsentChange

    client = client_for("front_desk")
    data = {"first_name": "Ana", "last_name": "Silva", "phone": "416 555 0123", "sms_consent": True}
    assert client.post("/api/v1/patients/", data, format="json").status_code == 201
    change = ConsentChange.objects.get()
    assert (change.field, change.value, change.source) == ("sms_consent", True, "api")


def test_the_web_form_and_the_api_apply_the_same_rule(client_for_web, opted_out):
    from reminders.models import ConsentChange

    client = client_for_web("front_desk")
    data = {
        "first_name": opted_out.first_name,
        "last_name": opted_out.last_name,
        "phone": opted_out.phone,
        "sms_consent": "on",
    }
    refused = client.post(f"/patients/{opted_out.pk}/edit/", data)
    assert refused.status_code == 400
    assert "asked you in person" in refused.content.decode()
    assert "opt_out_confirmation_required" not in refused.content.decode()
    client.post(f"/patients/{opted_out.pk}/edit/", {**data, "asked_in_person": "on"})
    opted_out.refresh_from_db()
    assert not opted_out.sms_opted_out
    change = ConsentChange.objects.get()
    assert (change.source, change.asked_in_person) == ("front_desk", True)


def test_the_admin_cannot_clear_an_opt_out_around_the_rule():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[Patient]
    form = model_admin.get_form(request, PatientFactory())
    assert "sms_opted_out" not in form.base_fields
    assert "sms_consent" not in form.base_fields


def test_inbound_stop_and_start_land_in_the_consent_history(opted_out):
    from reminders import consent
    from reminders.models import ConsentChange

    consent.opt_in_number(phone=opted_out.phone)
    consent.opt_out_number(phone=opted_out.phone)
    changes: list[tuple[object, ...]] = list(
        ConsentChange.objects.values_list("field", "value", "source", "by")
    )
    assert changes == [
        ("sms_opted_out", False, "sms_start", None),
        ("sms_opted_out", True, "sms_stop", None),
    ]


@pytest.mark.parametrize(
    ("was", "now", "asked", "refused"),
    [
        (True, False, False, True),
        (True, False, True, False),
        (True, None, False, False),  # not touched
        (True, True, False, False),
        (False, True, False, False),  # staff record an opt-out asked for at the desk
        (False, False, False, False),
    ],
)
def test_the_opt_out_rule_as_a_pure_function(was, now, asked, refused):
    from bookings.patients import check_opt_out_change

    if refused:
        with pytest.raises(PathwayError) as caught:
            check_opt_out_change(was_opted_out=was, opted_out=now, asked_in_person=asked)
        assert caught.value.code == "opt_out_confirmation_required"
    else:
        check_opt_out_change(was_opted_out=was, opted_out=now, asked_in_person=asked)
