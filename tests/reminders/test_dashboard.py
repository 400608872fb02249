"""The managers' follow-ups dashboard: every number checked against a small clinic by hand."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reminders import selectors
from reminders.dashboard import describe_sms_problem
from reminders.models import Message, MessageStatus, RecallStatus
from tests.clock import frozen_at, on
from tests.factories import MessageFactory, PatientFactory, PractitionerFactory, UserFactory

from .conftest import make_recall

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 18)  # a Wednesday; its week starts Monday 16 June


@pytest.fixture(autouse=True)
def _today():
    with frozen_at(on(TODAY, 12)):
        yield


def client_as(role: str) -> Client:
    client = Client()
    client.force_login(UserFactory(groups=[role]))
    return client


@dataclass
class Clinic:
    dr_hart: object
    dr_osei: object
    recalls: dict


def message(recall=None, *, patient=None, written_on: date, stage: str = "", **fields) -> Message:
    """An outbox row written on ``written_on`` (created_at is set by the database)."""
    sms = MessageFactory(patient=patient or recall.patient, recall=recall, stage=stage, **fields)
    Message.objects.filter(pk=sms.pk).update(created_at=on(written_on, 11))
    return sms


def seed_small_clinic(today: date = TODAY) -> Clinic:
    """Follow-ups at every state, relative to ``today``; the tests' numbers come from here.

    Overdue, not booked: Bea (40 days, reminded), Ada (10 days), Kim (5 days, opted out).
    Reminded, not booked and not due yet: Cy. Due this week: Dee's review; next week:
    Cy and Eve (booked). Conversion (due 18 Feb – 18 May): Fay lapsed, Gus booked late,
    Hal booked in time, Ivy dismissed, Bea still open (migraine); Mo booked before due
    (frown lines).
    """
    hart = PractitionerFactory(name="Dr. Amelia Hart")
    osei = PractitionerFactory(name="Dr. Kofi Osei")
    d = lambda days: today + timedelta(days=days)  # noqa: E731
    p = lambda first, **kw: PatientFactory(first_name=first, last_name="Lopez", **kw)  # noqa: E731
    r = {
        "ada": make_recall(p("Ada"), due_on=d(-10), practitioner=hart),
        "bea": make_recall(
            p("Bea"),
            due_on=d(-40),
            practitioner=osei,
            status="reminded",
            reminded_at=on(d(-54), 12),
        ),
        "cy": make_recall(
            p("Cy"),
            due_on=d(5),
            code="frown-lines",
            practitioner=hart,
            status="reminded",
            reminded_at=on(d(-9), 12),
        ),
        "dee": make_recall(
            p("Dee"), due_on=d(3), code="frown-lines", kind="review", practitioner=hart
        ),
        "eve": make_recall(
            p("Eve"), due_on=d(7), practitioner=hart, status="booked", booked_at=on(d(-2), 12)
        ),
        "fay": make_recall(p("Fay"), due_on=d(-100), practitioner=hart, status="lapsed"),
        "gus": make_recall(
            p("Gus"),
            due_on=d(-78),
            practitioner=hart,
            status="booked",
            booked_at=on(d(-34), 12),  # 44 days after due
        ),
        "hal": make_recall(
            p("Hal"),
            due_on=d(-69),
            practitioner=hart,
            status="booked",
            booked_at=on(d(-39), 23),  # day 30, late evening
        ),
        "ivy": make_recall(
            p("Ivy"),
            due_on=d(-59),
            practitioner=hart,
            status="dismissed",
            dismissed_reason="moved away",
        ),
        "kim": make_recall(
            p("Kim", sms_opted_out=True), due_on=d(-5), code="frown-lines", practitioner=osei
        ),
        "mo": make_recall(
            p("Mo"),
            due_on=d(-48),
            code="frown-lines",
            practitioner=osei,
            status="booked",
            booked_at=on(d(-54), 12),
        ),
    }
    # Texts of the last 30 days (since 19 May), and one older that must not count.
    message(r["bea"], written_on=d(-54), stage="due_soon", status=MessageStatus.DELIVERED)
    message(r["ada"], written_on=d(-24), stage="due_soon", status=MessageStatus.DELIVERED)
    message(
        r["ada"],
        written_on=d(-10),
        stage="due",
        status=MessageStatus.FAILED,
        error_code=21614,
        error_message="To number: +14165550001, is not a mobile number",
    )
    message(r["cy"], written_on=d(-9), stage="due_soon", status=MessageStatus.DELIVERED)
    message(
        r["kim"],
        written_on=d(-5),
        stage="due",
        status=MessageStatus.SUPPRESSED,
        error_message="patient opted out",
    )
    lee = p("Lee")
    message(
        patient=lee,
        written_on=d(-17),
        purpose="appointment_reminder",
        status=MessageStatus.FAILED,
        error_code=21610,
        error_message="Attempt to send to unsubscribed recipient",
    )
    message(
        patient=lee,
        written_on=d(-8),
        purpose="appointment_reminder",
        status=MessageStatus.UNDELIVERED,
        error_code=30003,
        error_message="Unreachable",
    )
    message(
        patient=r["eve"].patient,
        written_on=d(-1),
        purpose="appointment_reminder",
        status=MessageStatus.UNKNOWN,
        error_message="read timed out",
    )
    message(
        patient=r["eve"].patient,
        written_on=d(-2),
        purpose="appointment_reminder",
        status=MessageStatus.SENT,
    )
    return Clinic(dr_hart=hart, dr_osei=osei, recalls=r)


@pytest.fixture
def clinic() -> Clinic:
    return seed_small_clinic()


def page(query: dict | None = None, role: str = "manager"):
    response = client_as(role).get("/follow-ups/", query or {})
    assert response.status_code == 200
    return response.context


def names(rows) -> list[str]:
    return [row.patient.split()[0] for row in rows]


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


# --- CSV ----------------------------------------------------------------------------


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_overdue_csv_has_every_filtered_row_in_clinic_dates(clinic):
    response = client_as("manager").get("/follow-ups/overdue.csv", {"treatment_type": "migraine"})
    assert 'filename="overdue-not-booked-2025-06-18.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert [r["Patient"] for r in rows] == ["Bea Lopez", "Ada Lopez"]
    ada = rows[1]
    assert ada["Patient ID"] == str(clinic.recalls["ada"].patient_id)
    assert (ada["Due on"], ada["Days overdue"], ada["Last injection on"]) == (
        "2025-06-08",
        "10",
        "2025-03-10",
    )
    # Written at 11:00 Toronto time (15:00 UTC).
    assert ada["Last SMS at"] == "2025-06-08 11:00"
    assert ada["Last SMS problem"] == "number not a mobile (cannot receive texts) (21614)"
    assert "id" not in {key.lower() for key in ada} - {"patient id"}


def test_the_other_tables_export_too(clinic):
    client = client_as("manager")
    assert [r["Patient"] for r in read_csv(client.get("/follow-ups/reminded.csv"))] == ["Cy Lopez"]
    conversion = read_csv(client.get("/follow-ups/conversion.csv"))
    assert [(r["Treatment"], r["Due"], r["Booked within 30 days (%)"]) for r in conversion] == [
        ("Frown lines", "1", "100"),
        ("Migraines and headaches", "4", "25"),
    ]
    failed = read_csv(client.get("/follow-ups/failed-sms.csv"))
    assert [(r["Patient"], r["Error code"]) for r in failed] == [
        ("Lee Lopez", "30003"),
        ("Ada Lopez", "21614"),
        ("Lee Lopez", "21610"),
    ]
    assert client.get("/follow-ups/everything.csv").status_code == 404


def test_a_name_that_looks_like_a_formula_is_exported_as_text(clinic):
    Message.objects.all().delete()
    clinic.recalls["ada"].patient.__class__.objects.filter(
        pk=clinic.recalls["ada"].patient_id
    ).update(first_name='=HYPERLINK("x")')
    rows = read_csv(client_as("manager").get("/follow-ups/overdue.csv"))
    assert rows[1]["Patient"].startswith("'=HYPERLINK")
    assert rows[1]["Phone"].startswith("'+1")


@pytest.mark.parametrize("table", ["overdue", "reminded", "conversion", "failed-sms"])
def test_a_name_starting_with_a_sign_and_a_digit_is_exported_as_text_everywhere(clinic, table):
    for recall in clinic.recalls.values():
        recall.patient.__class__.objects.filter(pk=recall.patient_id).update(
            first_name='-1+1+HYPERLINK("http://x.example","Click")', last_name="Gagné"
        )
    body = client_as("manager").get(f"/follow-ups/{table}.csv").getvalue()
    assert body.startswith(b"\xef\xbb\xbf")
    for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
        for cell in row:
            if re.fullmatch(r"-?\d+", cell):
                continue  # a number we computed (days overdue may be negative)
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    if table != "conversion":  # the only export without patients' names
        assert "'-1+1+HYPERLINK" in body.decode("utf-8-sig")
        assert "Gagné" in body.decode("utf-8-sig")


def test_recalls_that_are_not_open_never_appear_in_the_lists(clinic):
    context = page()
    listed = {row.patient_id for row in context["overdue_rows"] + context["reminded_rows"]}
    closed = {
        r.patient_id
        for r in clinic.recalls.values()
        if r.status in (RecallStatus.BOOKED, RecallStatus.DISMISSED, RecallStatus.LAPSED)
    }
    assert not listed & closed
