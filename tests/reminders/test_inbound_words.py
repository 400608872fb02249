"""Every text a patient might send, read the same whatever its case, spaces or punctuation."""

from datetime import date, time

import pytest

from bookings.models import Patient
from reminders.keywords import Intent, read_intent
from reminders.models import ConsentChange, ConsentField, InboundAction, InboundMessage
from scheduler import clock
from tests.clock import frozen_at
from tests.factories import PatientFactory

from .test_webhooks import reply_of, sms_from

OPT_OUT, OPT_IN, HELP = InboundAction.OPT_OUT, InboundAction.OPT_IN, InboundAction.HELP
CONFIRM_FAILED, CALLBACK, OTHER = (
    InboundAction.CONFIRM_FAILED,
    InboundAction.CALLBACK,
    InboundAction.OTHER,
)

# (what the patient texts, what we make of it)
INBOUND_TEXTS = [
    # the keywords, in every case and with punctuation
    ("STOP", OPT_OUT),
    ("stop", OPT_OUT),
    ("Stop.", OPT_OUT),
    ("  sToP!!! ", OPT_OUT),
    ("STOPALL", OPT_OUT),
    ("stop all", OPT_OUT),
    ("Unsubscribe", OPT_OUT),
    ("cancel", OPT_OUT),
    ("End.", OPT_OUT),
    ("QUIT", OPT_OUT),
    ("revoke", OPT_OUT),
    ("Revoke!", OPT_OUT),
    ("OPT OUT", OPT_OUT),
    ("opt-out", OPT_OUT),
    ("OptOut", OPT_OUT),
    ("opt out.", OPT_OUT),
    # plain requests
    ("stop texting me", OPT_OUT),
    ("Please stop", OPT_OUT),
    ("please stop!", OPT_OUT),
    ("No more texts", OPT_OUT),
    ("no more messages please", OPT_OUT),
    ("Hi, please stop texting me. Thanks", OPT_OUT),
    ("Stop sending me messages", OPT_OUT),
    ("don't text me", OPT_OUT),
    ("Do not text me again", OPT_OUT),
    ("I don't want these texts", OPT_OUT),
    ("Remove me from your list", OPT_OUT),
    ("unsubscribe me", OPT_OUT),
    # back in
    ("START", OPT_IN),
    ("start", OPT_IN),
    ("Unstop", OPT_IN),
    ("yes", OPT_IN),
    # help
    ("HELP", HELP),
    ("help?", HELP),
    ("Info", HELP),
    # confirm (nothing booked here) and call back
    ("C", CONFIRM_FAILED),
    ("c.", CONFIRM_FAILED),
    ("confirm", CONFIRM_FAILED),
    ("R", CALLBACK),
    ("r!", CALLBACK),
    # free text, kept for staff
    ("please stop by the pharmacy", OTHER),
    ("Can I cancel my visit on Tuesday?", OTHER),
    ("When does the clinic open?", OTHER),
    ("Is parking free?", OTHER),
    ("I will be at the end of the street", OTHER),
    ("", OTHER),
]


def test_the_table_has_at_least_thirty_texts():
    assert len(INBOUND_TEXTS) >= 30


@pytest.mark.parametrize(("body", "action"), INBOUND_TEXTS)
@pytest.mark.django_db
def test_an_inbound_text_is_read_as_the_patient_meant_it(client, sms_settings, body, action):
    patient = PatientFactory(sms_consent=True)
    response = sms_from(client, patient, body)
    assert response.status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.action == action
    patient.refresh_from_db()
    assert patient.sms_opted_out is (action == OPT_OUT)


@pytest.mark.parametrize(("body", "action"), INBOUND_TEXTS)
def test_the_words_alone_decide_the_intent(body, action):
    expected = {
        OPT_OUT: Intent.OPT_OUT,
        OPT_IN: Intent.OPT_IN,
        HELP: Intent.HELP,
        CONFIRM_FAILED: Intent.CONFIRM,
        CALLBACK: Intent.CALLBACK,
        OTHER: Intent.OTHER,
    }[action]
    assert read_intent(body) == expected


@pytest.mark.django_db
def test_an_opt_out_keeps_its_time_and_source_and_start_brings_the_patient_back(
    client, sms_settings
):
    patient = PatientFactory(sms_consent=True)
    with frozen_at(clock.at(date(2026, 3, 2), time(10))):
        sms_from(client, patient, "stop texting me", sid="SM" + "1" * 32)
    with frozen_at(clock.at(date(2026, 3, 9), time(11))):
        sms_from(client, patient, "Start", sid="SM" + "2" * 32)
    changes = list(
        ConsentChange.objects.filter(patient=patient, field=ConsentField.SMS_OPTED_OUT).values_list(
            "value", "source", "at"
        )
    )
    assert changes == [
        (True, "sms_stop", clock.at(date(2026, 3, 2), time(10))),
        (False, "sms_start", clock.at(date(2026, 3, 9), time(11))),
    ]
    assert not Patient.objects.get(pk=patient.pk).sms_opted_out


@pytest.mark.django_db
def test_an_opt_out_twilio_does_not_know_is_confirmed_by_us_once(client, sms_settings):
    patient = PatientFactory(sms_consent=True)
    reply = reply_of(sms_from(client, patient, "REVOKE"))
    assert "no more texts" in reply
    assert "START" in reply
    # Twilio answers its own words; a second confirmation would be one text too many.
    assert reply_of(sms_from(client, patient, "STOP", sid="SM" + "8" * 32)) == ""


@pytest.mark.django_db
def test_help_says_who_we_are_how_often_we_text_and_how_to_stop(client, sms_settings):
    sms_settings.SMS_MAX_PER_DAY = 1
    sms_settings.SMS_MAX_PER_WEEK = 3
    reply = reply_of(sms_from(client, PatientFactory(), "help"))
    assert "Lakeshore Clinic" in reply
    assert "+1 416 555 0199" in reply
    assert "1/day" in reply
    assert "3/week" in reply
    assert "STOP" in reply


@pytest.mark.django_db
def test_a_text_from_an_opted_out_patient_is_kept_without_an_automatic_answer(client, sms_settings):
    patient = PatientFactory(sms_opted_out=True)
    assert reply_of(sms_from(client, patient, "Are you open on Saturday?")) == ""
    assert InboundMessage.objects.get().action == OTHER
