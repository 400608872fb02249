"""The dashboard's tables as CSV: every filtered row, clinic dates, no formula injection."""

import csv
import io
import re

import pytest

from reminders.models import Message

from .clinic import client_as, read_csv

pytestmark = pytest.mark.django_db


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
