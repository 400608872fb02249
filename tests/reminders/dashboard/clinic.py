"""A small clinic with follow-ups at every state, and how the dashboard tests read it."""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.test import Client

from reminders.models import Message, MessageStatus
from tests.clock import on
from tests.factories import MessageFactory, PatientFactory, PractitionerFactory, UserFactory

from ..conftest import make_recall

TODAY = date(2025, 6, 18)  # a Wednesday; its week starts Monday 16 June


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


def page(query: dict | None = None, role: str = "manager"):
    response = client_as(role).get("/follow-ups/", query or {})
    assert response.status_code == 200
    return response.context


def names(rows) -> list[str]:
    return [row.patient.split()[0] for row in rows]


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
