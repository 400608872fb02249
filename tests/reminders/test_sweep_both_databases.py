"""The recall sweep's two implementations give the same outcome, scenario by scenario.

PostgreSQL runs one set-based statement; SQLite (development) runs the ORM loop. Both
read who may be texted from ``reminders.eligibility``. On PostgreSQL this test runs
both on the same scenario and compares every row they write; on SQLite it checks the
ORM loop against the expected rows, so each database is held to the same answers.
"""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from reminders import eligibility, texts
from reminders.models import Message, MessageStatus, Purpose
from reminders.sweeps import (
    _insert_recall_messages_orm,
    _insert_recall_messages_sql,
    recall_stages,
)
from scheduler import clock
from tests.factories import MessageFactory, PatientFactory

from .conftest import make_recall

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 6, 18)


def _scenario() -> None:
    """Every bar to texting, a patient with two recalls due, one with a text waiting,
    stages before, on and after due, a recall already texted at its stage, and a
    patient with no date of birth (their text has no link: they could not open one)."""
    make_recall(due_on=AS_OF)  # due today
    make_recall(due_on=AS_OF + timedelta(days=14))  # due soon
    make_recall(due_on=AS_OF - timedelta(days=30))  # overdue
    make_recall(due_on=AS_OF + timedelta(days=20))  # not yet
    make_recall(PatientFactory(sms_opted_out=True), due_on=AS_OF)
    make_recall(PatientFactory(phone_invalid=True), due_on=AS_OF)
    make_recall(PatientFactory(sms_consent=False), due_on=AS_OF)
    make_recall(PatientFactory(phone=""), due_on=AS_OF)
    # Opted out and no consent: the first bar in the rule's order is the reason.
    make_recall(PatientFactory(sms_opted_out=True, sms_consent=False), due_on=AS_OF)
    twice = PatientFactory()
    make_recall(twice, due_on=AS_OF, code="migraine")
    make_recall(twice, due_on=AS_OF - timedelta(days=29), code="neck-pain")
    waiting = PatientFactory()
    make_recall(waiting, due_on=AS_OF)
    MessageFactory(patient=waiting, purpose=Purpose.RECALL_DUE_SOON, status=MessageStatus.QUEUED)
    texted = make_recall(due_on=AS_OF)
    MessageFactory(patient=texted.patient, recall=texted, stage="due", status=MessageStatus.SENT)
    make_recall(PatientFactory(last_name="Unborn", date_of_birth=None), due_on=AS_OF)


def _outcome() -> list[tuple[object, ...]]:
    rows = Message.objects.filter(recall__isnull=False).values_list(
        "recall__patient__last_name", "recall__due_on", "stage", "status", "error_message", "body"
    )
    return sorted(rows, key=repr)


def _run(insert) -> tuple[tuple[int, int], list[tuple[object, ...]]]:
    # The linked text marked, so the rows show which of the two each patient got.
    stages = [
        (stage, "[linked] " + texts.render(stage.purpose.value), texts.render(stage.purpose.value))
        for stage in recall_stages()
    ]
    send_after = clock.now()
    sid = transaction.savepoint()
    if insert is _insert_recall_messages_sql:
        counts = insert(stages, AS_OF, send_after, send_after)
    else:
        counts = insert(stages, AS_OF, send_after)
    outcome = _outcome()
    transaction.savepoint_rollback(sid)
    return counts, outcome


def test_both_implementations_write_the_same_rows():
    _scenario()
    orm_counts, orm_rows = _run(_insert_recall_messages_orm)
    # What the rules say, whichever database: one text per patient, each bar's words.
    reasons = sorted(str(r[4]) for r in orm_rows if r[3] == MessageStatus.SUPPRESSED)
    assert reasons == sorted(
        ["patient opted out"] * 2
        + ["number cannot receive texts", "no SMS consent", "no phone number"]
    )
    # Today, soon, overdue, one of the patient's two, and the one without a birth date.
    assert orm_counts == (5, 5)
    linked = sorted(
        (r[0] == "Unborn", str(r[5]).startswith("[linked]")) for r in orm_rows if r[3] == "queued"
    )
    assert linked == [(False, True)] * 4 + [(True, False)]
    if connection.vendor != "postgresql":
        return
    assert _run(_insert_recall_messages_sql) == (orm_counts, orm_rows)


def test_the_sql_bars_are_the_python_bars():
    # The CASE is built from the same list, in the same order, with the same words.
    sql, params = eligibility.reason_case_sql("p")
    assert sql.count("WHEN") == len(eligibility.BARS)
    assert [params[f"reason{n}"] for n in range(len(eligibility.BARS))] == [
        bar.reason for bar in eligibility.BARS
    ]
    assert (
        eligibility.reason_not_to_text(phone="", consented=False, opted_out=True, invalid=True)
        == "patient opted out"
    )
    assert (
        eligibility.reason_not_to_text(
            phone="+14165550100", consented=True, opted_out=False, invalid=False
        )
        == ""
    )
