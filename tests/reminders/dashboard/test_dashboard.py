"""The managers' follow-ups dashboard: every number checked against a small clinic by hand."""

from datetime import date, timedelta

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reminders import selectors
from reminders.dashboard import describe_sms_problem
from reminders.models import RecallStatus
from tests.factories import PatientFactory, UserFactory

from .clinic import TODAY, client_as, message, names, page

pytestmark = pytest.mark.django_db


# --- who may see it -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["front_desk", "clinician"])
def test_front_desk_and_clinicians_may_not_see_the_dashboard_or_its_exports(role):
    client = client_as(role)
    assert client.get("/follow-ups/").status_code == 403
    assert client.get("/follow-ups/overdue.csv").status_code == 403


def test_superusers_see_the_dashboard():
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/follow-ups/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in():
    assert Client().get("/follow-ups/")["Location"].startswith("/login/")
    assert Client().get("/follow-ups/overdue.csv")["Location"].startswith("/login/")


# --- the numbers --------------------------------------------------------------------


def test_the_chart_counts_each_coming_week_by_status(clinic):
    weeks = page()["weeks"]
    assert len(weeks) == 8
    assert weeks[0]["week_start"] == date(2025, 6, 16)
    first, second = weeks[0], weeks[1]
    # Dee's review (pending); the backlog Ada, Bea, Kim is overdue in the first row only.
    assert (first["due"], first["pending"], first["reminded"], first["booked"]) == (1, 1, 0, 0)
    assert first["overdue"] == 3
    # Cy reminded, Eve booked.
    assert (second["due"], second["pending"], second["reminded"], second["booked"]) == (2, 0, 1, 1)
    assert all(w["due"] == 0 for w in weeks[2:])
    context = page()
    assert (context["due_total"], context["booked_total"]) == (3, 1)
    assert context["chart"]["booked"][:2] == [0, 1]


def test_the_overdue_list_is_past_due_and_not_booked_oldest_first(clinic):
    context = page()
    assert context["overdue_count"] == 3
    assert names(context["overdue_rows"]) == ["Bea", "Ada", "Kim"]
    bea, ada, kim = context["overdue_rows"]
    assert (bea.days_overdue, ada.days_overdue, kim.days_overdue) == (40, 10, 5)
    assert ada.treatment == "Migraines and headaches"
    assert ada.injected_by == "Dr. Amelia Hart"
    assert ada.last_injection_on == TODAY - timedelta(days=100)
    # The last text, not the first: Ada's due-date text failed.
    assert ada.last_sms == "Recall: due"
    assert ada.last_sms_status == "Failed"
    assert ada.last_sms_problem == "number not a mobile (cannot receive texts) (21614)"
    assert (kim.last_sms_status, kim.last_sms_problem) == ("Not sent", "patient opted out")


def test_the_reminded_list_leaves_out_the_overdue_ones(clinic):
    context = page()
    assert context["reminded_count"] == 1
    [cy] = context["reminded_rows"]
    assert (cy.patient, cy.last_sms_status, cy.last_sms_problem) == ("Cy Lopez", "Delivered", "")


def test_conversion_counts_bookings_within_30_days_of_due_by_treatment(clinic):
    context = page()
    assert context["windows"].conversion == (date(2025, 2, 18), date(2025, 5, 18))
    rows = {(row["treatment_type"], row["kind"]): row for row in context["conversion"]}
    migraine = rows[("migraine", "reinjection")]
    # Due: Fay (lapsed), Gus (booked late), Hal (in time), Bea (open); Ivy dismissed apart.
    assert {
        k: migraine[k]
        for k in ("due", "booked_in_time", "booked_late", "open", "lapsed", "dismissed")
    } == {
        "due": 4,
        "booked_in_time": 1,
        "booked_late": 1,
        "open": 1,
        "lapsed": 1,
        "dismissed": 1,
    }
    assert migraine["rate"] == 25
    frown = rows[("frown-lines", "reinjection")]
    assert (frown["due"], frown["booked_in_time"], frown["rate"]) == (1, 1, 100)  # Mo, before due
    total = context["conversion_total"]
    assert (total["due"], total["booked_in_time"], total["rate"]) == (5, 2, 40)


def test_a_booking_on_the_30th_day_counts_in_clinic_time(clinic):
    # Hal booked at 23:00 on day 30 in Toronto, already day 31 in UTC.
    hal = clinic.recalls["hal"]
    [row] = selectors.get_recall_conversion(due_after=hal.due_on, due_before=hal.due_on)
    assert (row["booked_in_time"], row["booked_late"]) == (1, 0)


def test_sms_health_counts_the_last_30_days_by_status(clinic, settings):
    settings.SMS_BACKEND = "twilio"
    sms = page()["sms"]
    assert (sms.delivered, sms.sent, sms.failed, sms.unknown, sms.suppressed) == (2, 1, 3, 1, 1)
    assert sms.delivery_rate == 29  # 2 delivered of 7 handed to the provider
    html = client_as("manager").get("/follow-ups/").content.decode()
    assert "29%" in html and "of texts delivered" in html


def test_the_console_backend_is_not_shown_a_delivery_rate_it_cannot_have(settings):
    settings.SMS_BACKEND = "console"
    message(patient=PatientFactory(), written_on=TODAY - timedelta(days=2), status="sent")
    sms = page()["sms"]
    assert sms.sent == 1 and sms.delivery_rate is None
    html = client_as("manager").get("/follow-ups/").content.decode()
    assert "of texts delivered" not in html and "0%" not in html
    assert "delivery is not reported by the console backend" in html


def test_failed_texts_are_explained_in_words(clinic):
    context = page()
    reasons = {(r["status"], r["words"]): r["count"] for r in context["reasons"]}
    assert reasons == {
        ("failed", "number not a mobile (cannot receive texts) (21614)"): 1,
        ("failed", "patient opted out (replied STOP) (21610)"): 1,
        ("undelivered", "phone switched off or out of coverage (30003)"): 1,
        ("suppressed", "patient opted out"): 1,
        ("unknown", "sent, but the outcome is uncertain"): 1,
    }
    assert [f["message"].patient.first_name for f in context["failed"]] == ["Lee", "Ada", "Lee"]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (21211, "invalid phone number"),
        (30005, "number unknown or no longer in service"),
        (30006, "landline, or the carrier cannot be reached"),
        (30007, "blocked by the carrier as spam"),
        (30008, "the carrier gave no reason"),
    ],
)
def test_twilio_error_codes_read_as_words(code, words):
    assert describe_sms_problem("failed", code, "raw text") == f"{words} ({code})"


def test_an_unknown_error_code_keeps_the_providers_text():
    assert describe_sms_problem("failed", 12345, "Something odd") == "Something odd (12345)"


# --- filters ------------------------------------------------------------------------


def test_filtering_by_treatment_narrows_every_part(clinic):
    context = page({"treatment_type": "frown-lines"})
    assert names(context["overdue_rows"]) == ["Kim"]
    assert names(context["reminded_rows"]) == ["Cy"]
    assert [(w["due"], w["reminded"]) for w in context["weeks"][:2]] == [(1, 0), (1, 1)]
    assert [row["treatment_type"] for row in context["conversion"]] == ["frown-lines"]
    # Only Kim's suppressed text is about frown lines.
    assert context["sms"].counts["suppressed"] == 1
    assert context["sms"].failed == 0


def test_filtering_by_the_practitioner_who_injected(clinic):
    context = page({"practitioner": clinic.dr_osei.pk})
    assert names(context["overdue_rows"]) == ["Bea", "Kim"]
    assert context["reminded_count"] == 0
    assert context["conversion_total"]["due"] == 2  # Bea (migraine) and Mo (frown lines)


def test_filtering_by_follow_up_kind(clinic):
    context = page({"kind": "review"})
    assert context["due_total"] == 1
    assert context["overdue_count"] == 0


def test_a_date_range_narrows_the_lists_and_sets_the_chart_weeks(clinic):
    context = page({"due_after": "2025-06-02", "due_before": "2025-06-30"})
    assert names(context["overdue_rows"]) == ["Ada", "Kim"]
    assert [w["week_start"] for w in context["weeks"]] == [
        date(2025, 6, 2),
        date(2025, 6, 9),
        date(2025, 6, 16),
        date(2025, 6, 23),
        date(2025, 6, 30),
    ]
    assert context["windows"].conversion == (date(2025, 6, 2), date(2025, 6, 17))
    assert context["conversion_total"]["due"] == 2  # Ada and Kim fell due in June so far


def test_bad_filters_are_left_out_and_said(clinic):
    context = page({"due_after": "2025-07-01", "due_before": "2025-06-01", "practitioner": "x"})
    assert context["filters"].due_after is None
    assert context["filters"].practitioner_id is None
    assert len(context["filters"].problems) == 2
    assert context["overdue_count"] == 3


def test_the_filters_are_kept_in_the_page_links(clinic):
    response = client_as("manager").get("/follow-ups/", {"treatment_type": "migraine"})
    assert b'href="/follow-ups/overdue.csv?treatment_type=migraine"' in response.content
    assert b'<option value="migraine" selected>' in response.content


def test_patients_link_to_their_page(clinic):
    response = client_as("manager").get("/follow-ups/")
    assert f'href="/patients/{clinic.recalls["ada"].patient_id}/"'.encode() in response.content


# --- the API gives the same numbers -------------------------------------------------


def test_the_api_summary_gives_the_charts_numbers_with_the_same_filters(clinic):
    client = APIClient()
    client.force_authenticate(UserFactory(groups=["manager"]))
    query = {"treatment_type": "migraine", "practitioner": clinic.dr_hart.pk}
    api = client.get("/api/v1/follow-ups/summary/", {**query, "weeks": 8}).json()
    weeks = page(query)["weeks"]
    assert [(w["week_start"], w["due"], w["reminded"], w["booked"], w["overdue"]) for w in api] == [
        (f"{w['week_start']:%Y-%m-%d}", w["due"], w["reminded"], w["booked"], w["overdue"])
        for w in weeks
    ]
    assert api[0]["overdue"] == 1  # Ada: Bea and Kim were injected by Dr. Osei


def test_the_api_recall_list_takes_the_practitioner_filter(clinic):
    client = APIClient()
    client.force_authenticate(UserFactory(groups=["manager"]))
    response = client.get(
        "/api/v1/recalls/", {"practitioner": clinic.dr_osei.pk, "due_before": TODAY}
    )
    assert {row["patient"] for row in response.json()["results"]} == {
        clinic.recalls[name].patient_id for name in ("bea", "kim", "mo")
    }


def test_recalls_that_are_not_open_never_appear_in_the_lists(clinic):
    context = page()
    listed = {row.patient_id for row in context["overdue_rows"] + context["reminded_rows"]}
    closed = {
        r.patient_id
        for r in clinic.recalls.values()
        if r.status in (RecallStatus.BOOKED, RecallStatus.DISMISSED, RecallStatus.LAPSED)
    }
    assert not listed & closed
