"""Finding patients ignores case and accents both ways, on the web and over the API.

Run on SQLite and on PostgreSQL (DATABASE_URL): the same scenarios on both.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bookings.folding import fold
from bookings.models import Patient
from bookings.selectors import search_patients
from tests.bookings.support import client_for
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

# (stored name, what is typed)
BOTH_WAYS = [
    (("Élise", "Côté"), "cote"),
    (("Elise", "Cote"), "côté"),
    (("Élise", "Côté"), "CÔTÉ"),
    (("Marie", "Gagné"), "gagne"),
    (("Marie", "Gagne"), "Gagné"),
    (("Søren", "Kierkegaard"), "soren"),
    (("Hélène", "Lefèvre-Côté"), "helene lefevre"),
    (("François", "Dubé"), "FRANCOIS dube"),
]


@pytest.mark.parametrize(("name", "typed"), BOTH_WAYS)
def test_the_api_search_ignores_case_and_accents_both_ways(name, typed):
    first, last = name
    wanted = PatientFactory(first_name=first, last_name=last)
    PatientFactory(first_name="John", last_name="Smith")
    response = client_for("front_desk").get("/api/v1/patients/", {"search": typed})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


@pytest.mark.parametrize(("name", "typed"), BOTH_WAYS)
def test_the_web_search_ignores_case_and_accents_both_ways(name, typed):
    first, last = name
    PatientFactory(first_name=first, last_name=last)
    PatientFactory(first_name="John", last_name="Smith")
    client = Client()
    client.force_login(UserFactory(username="desk", groups=["front_desk"]))
    page = client.get("/patients/", {"q": typed}, headers={"HX-Request": "true"})
    html = page.content.decode()
    assert f"{last}, {first}" in html and "Smith" not in html


def test_every_word_must_match_and_phones_still_match_by_digits():
    cote = PatientFactory(first_name="Élise", last_name="Côté", phone="+14165550123")
    PatientFactory(first_name="Élise", last_name="Martin", phone="+14165550999")
    assert list(search_patients("elise cote")) == [cote]
    assert list(search_patients("(416) 555-0123")) == [cote]
    assert list(search_patients("côté 0123")) == [cote]


def test_a_renamed_patient_is_found_by_the_new_name_only():
    patient = PatientFactory(first_name="Anne", last_name="Roy")
    patient.last_name = "Bélanger"
    patient.save(update_fields=["last_name"])
    assert list(search_patients("belanger")) == [patient]
    assert list(search_patients("roy")) == []


def test_patients_created_in_bulk_are_searchable_too():
    Patient.objects.bulk_create([Patient(first_name="Zoé", last_name="Thériault", phone="+1")])
    assert [p.last_name for p in search_patients("theriault zoe")] == ["Thériault"]


def test_the_migration_folds_the_names_of_existing_patients():
    patient = PatientFactory(first_name="Zoé", last_name="Thériault")
    Patient.objects.update(search_name="")
    migration = importlib.import_module("bookings.migrations.0004_patient_search_name")
    # Only its connection is read; SQLite refuses a real schema editor inside a test's
    # transaction.
    migration.fill_search_names(apps, SimpleNamespace(connection=connection))
    patient.refresh_from_db()
    assert patient.search_name == "zoe theriault"


def test_a_search_is_one_query_whatever_the_words():
    PatientFactory(first_name="Élise", last_name="Côté")
    with CaptureQueriesContext(connection) as queries:
        list(search_patients("élise côté 416"))
    assert len(queries) == 1


def test_postgresql_serves_the_search_from_a_trigram_index_and_sqlite_has_none():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'patient_search_name_trgm'"
            )
            (definition,) = cursor.fetchone()
            assert "gin" in definition and "gin_trgm_ops" in definition
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'patient_search_name_trgm'")
            assert cursor.fetchone() is None


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Côté", "cote"),
        ("  GAGNÉ  ", "gagne"),
        ("Łukasz Ørsted", "lukasz orsted"),
        ("Straße", "strasse"),
        ("Cô\x00té\u200b", "cote"),
    ],
)
def test_fold_lowers_case_and_drops_accents(typed, folded):
    assert fold(typed) == folded


def test_the_admin_finds_patients_the_same_way(admin_client):
    PatientFactory(first_name="Élise", last_name="Côté")
    PatientFactory(first_name="John", last_name="Smith")
    page = admin_client.get("/admin/bookings/patient/", {"q": "cote"}).content.decode()
    assert "Côté" in page and "Smith" not in page


def test_a_nul_in_a_name_search_is_a_plain_400_not_a_server_error():
    # Refused before any view runs (config/request_guard.py), never a database error;
    # fold() also drops control characters for searches that reach it another way.
    PatientFactory(first_name="Élise", last_name="Côté")
    response = client_for("front_desk").get("/api/v1/patients/", {"search": "cô\x00te"})
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"
    assert fold("cô\x00te") == "cote"
