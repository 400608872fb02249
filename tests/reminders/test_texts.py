"""Every SMS text fits one GSM-7 segment with the longest realistic values."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from reminders import texts

TEMPLATES = sorted(
    path.stem for path in (Path(django_settings.BASE_DIR) / "templates" / "sms").glob("*.txt")
)
HEALTH_WORDS = (
    "botox", "toxin", "botulinum", "injection", "inject", "migraine", "sweat",
    "wrinkle", "lines", "units", "prescription", "diagnos", "treatment", "dose",
)  # fmt: skip


@pytest.fixture
def longest_values(settings):
    settings.SMS_CLINIC_NAME = "St. Catharines Family & Skin Care Clinic"  # 40 characters
    settings.CLINIC_PHONE = "+1 (905) 555-0199 x123"
    settings.CLINIC_CLOCK = "12h"  # "12:45 PM" is longer than "12:45"


@pytest.mark.parametrize("name", TEMPLATES)
def test_each_sms_template_fits_one_gsm7_segment_with_the_longest_values(name, longest_values):
    # Wednesday, 30 September, 12:45 PM: the longest day, month and time there are.
    text = texts.render(name, when=texts.spoken_time(datetime(2026, 9, 30, 16, 45, tzinfo=UTC)))
    assert texts.gsm7_length(text) <= 160, (len(text), text)


@pytest.mark.parametrize("name", TEMPLATES)
def test_each_sms_template_names_the_clinic_and_a_way_to_call_without_health_words(name):
    text = texts.render(name, when="Mon Jun 2 at 9:30 AM", words="See you then.")
    assert "Lakeshore Clinic" in text
    if name == "staff_reply":  # the staff's own words after the clinic's name
        return
    assert "+1 416 555 0199" in text
    # A reply to the patient's own text, or the confirmation that they are out.
    if name not in ("confirmed", "opted_out"):
        assert "Reply STOP to opt out" in text
    without_name = text.replace("Lakeshore Clinic", "").lower()
    assert not [word for word in HEALTH_WORDS if word in without_name]


def test_there_is_a_template_for_every_purpose_and_reply():
    assert {
        "recall_due_soon",
        "recall_due",
        "recall_overdue",
        "review",
        "appointment_reminder",
    } <= set(TEMPLATES)
    assert {"help", "confirmed", "callback"} <= set(TEMPLATES)


def test_a_character_outside_gsm7_is_refused():
    with pytest.raises(texts.NotGsm7):
        texts.gsm7_length("Clinic \u2013 call us")


def test_extended_gsm7_characters_count_double():
    assert texts.gsm7_length("[a]") == 5


def test_a_clinic_name_with_an_apostrophe_is_not_html_escaped(settings):
    settings.SMS_CLINIC_NAME = "O'Brien Clinic"
    assert texts.render("help").startswith("O'Brien Clinic:")


def test_appointment_times_are_spoken_in_clinic_time():
    assert texts.spoken_time(datetime(2025, 3, 10, 13, 5, tzinfo=UTC)) == "Mon Mar 10 at 09:05"


def test_texts_follow_the_clinics_clock_like_its_pages(settings):
    settings.CLINIC_CLOCK = "12h"
    assert texts.spoken_time(datetime(2025, 3, 10, 18, 5, tzinfo=UTC)) == "Mon Mar 10 at 2:05 PM"
    settings.CLINIC_CLOCK = "24h"
    assert texts.spoken_time(datetime(2025, 3, 10, 18, 5, tzinfo=UTC)) == "Mon Mar 10 at 14:05"


def test_rendering_refuses_a_text_outside_gsm7(settings):
    settings.SMS_CLINIC_NAME = "Clinique C\u00f4t\u00e9"
    with pytest.raises(texts.NotGsm7):
        texts.render("recall_due")


def test_the_start_up_check_names_each_text_a_setting_breaks(settings):
    from django.core.checks import run_checks

    assert [e.id for e in run_checks() if e.id == "reminders.E001"] == []
    settings.SMS_CLINIC_NAME = "Clinique C\u00f4t\u00e9"
    errors = [e for e in run_checks() if e.id == "reminders.E001"]
    assert len(errors) == len(TEMPLATES)
    assert "'ô' is not a GSM-7 character" in errors[0].msg
    settings.SMS_CLINIC_NAME = "The Very Long Named Family and Cosmetic Skin Care Clinic Ltd"
    too_long = [e.msg for e in run_checks() if e.id == "reminders.E001"]
    assert too_long and all("more than one SMS (160)" in msg for msg in too_long)
