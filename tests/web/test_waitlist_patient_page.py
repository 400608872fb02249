"""The patient page's waitlist card: add, refuse in words keeping what was typed, remove,
roles (managers read only), CSRF, and a fixed number of queries whatever the list holds."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bookings.models import Patient
from bookings.waitlist.entries import add_entry
from bookings.waitlist.models import WaitlistEntry, WaitlistStatus
from scheduler.models import Kind
from tests.factories import treatment
from tests.histories import written_prescription

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def ready(patient) -> Patient:
    """A migraine patient with a written prescription: an injection is the next step."""
    written_prescription(patient)
    return patient


def fields(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "treatment": "migraine",
        "kind": "injection",
        "earliest_on": "2026-03-03",
        "latest_on": "2026-03-31",
        "practitioner": "",
        "parts_of_day": ["morning"],
        **changes,
    }
    return {f"waitlist-{k}": v for k, v in data.items()}


def test_front_desk_adds_the_patient_and_sees_the_entry(client_for, ready):
    client = client_for("front_desk")
    response = client.post(f"/patients/{ready.pk}/waitlist/", fields())
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.kind, entry.parts_of_day, entry.status) == ("injection", ["morning"], "waiting")
    page = client.get(f"/patients/{ready.pk}/").content.decode()
    assert f'data-entry="{entry.pk}"' in page
    assert "3 Mar – 31 Mar 2026" in page and "No time offered yet." in page


def test_latest_before_earliest_is_said_by_the_field_and_keeps_what_was_typed(client_for, ready):
    response = client_for("front_desk").post(
        f"/patients/{ready.pk}/waitlist/",
        fields(latest_on="2026-03-02", parts_of_day=["afternoon"]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The latest date must be on or after the earliest date." in page
    assert 'value="2026-03-02"' in page and 'value="2026-03-03"' in page
    assert 'value="afternoon" id="id_waitlist-parts_of_day_1" checked' in page
    assert WaitlistEntry.objects.count() == 0


def test_a_step_the_pathway_does_not_allow_yet_is_refused_in_its_words(client_for, patient):
    response = client_for("front_desk").post(f"/patients/{patient.pk}/waitlist/", fields())
    assert response.status_code == 400
    assert "exam" in response.content.decode().lower()
    assert WaitlistEntry.objects.count() == 0


def test_a_second_entry_for_the_same_step_is_refused(client_for, ready):
    client = client_for("clinician")
    assert client.post(f"/patients/{ready.pk}/waitlist/", fields()).status_code == 302
    again = client.post(f"/patients/{ready.pk}/waitlist/", fields())
    assert again.status_code == 400
    assert "already on the waitlist" in again.content.decode()


def test_a_missing_date_is_said_and_nothing_is_written(client_for, ready):
    response = client_for("front_desk").post(
        f"/patients/{ready.pk}/waitlist/", fields(earliest_on="")
    )
    assert response.status_code == 400
    assert "Give the first day a time may be offered." in response.content.decode()
    assert WaitlistEntry.objects.count() == 0


def wait_for(patient: Patient, by, code: str = "migraine", kind: str = Kind.INJECTION):
    return add_entry(
        patient=patient,
        treatment=treatment(code),
        kind=kind,
        earliest_on=date(2026, 3, 3),
        latest_on=date(2026, 3, 31),
        by=by,
    )


def test_remove_ends_the_entry_and_keeps_the_row(client_for, ready, users):
    entry = wait_for(ready, users["front_desk"])
    client = client_for("front_desk")
    assert client.post(f"/waitlist/{entry.pk}/remove/").status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.REMOVED
    page = client.get(f"/patients/{ready.pk}/").content.decode()
    assert "Not waiting for an earlier time." in page


def test_managers_read_the_card_but_get_no_form_and_cannot_post(client_for, ready):
    client = client_for("manager")
    page = client.get(f"/patients/{ready.pk}/").content.decode()
    assert 'id="waitlist"' in page and "Add to the waitlist" not in page
    assert client.post(f"/patients/{ready.pk}/waitlist/", fields()).status_code == 403
    assert WaitlistEntry.objects.count() == 0


def test_a_post_without_the_csrf_token_is_refused(users, ready):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["front_desk"])
    assert client.post(f"/patients/{ready.pk}/waitlist/", fields()).status_code == 403
    assert WaitlistEntry.objects.count() == 0


def test_the_booking_page_link_opens_the_form_prefilled(client_for, ready):
    page = client_for("front_desk").get(
        f"/patients/{ready.pk}/?waitlist-treatment=migraine&waitlist-kind=injection"
        "&waitlist-parts_of_day=afternoon"
    )
    html = page.content.decode()
    assert '<details class="cancel" open>' in html
    assert '<option value="migraine" selected>' in html
    assert 'value="afternoon" id="id_waitlist-parts_of_day_1" checked' in html


CODES = ["migraine", "neck-pain", "bruxism", "tmj", "trigger-points", "muscle-spasms"]


def test_the_card_costs_the_same_queries_for_one_entry_or_many(
    client_for, users, patient, django_assert_max_num_queries
):
    client = client_for("front_desk")
    wait_for(patient, users["front_desk"], CODES[0], Kind.EXAM)
    client.get(f"/patients/{patient.pk}/")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/patients/{patient.pk}/").status_code == 200
        return len(captured)

    one = count()
    for code in CODES[1:]:
        wait_for(patient, users["front_desk"], code, Kind.EXAM)
    with django_assert_max_num_queries(one):
        assert client.get(f"/patients/{patient.pk}/").status_code == 200


def test_the_slot_picker_offers_the_waitlist_with_the_choices_made(client_for, ready, doctor):
    page = client_for("front_desk").get(
        f"/book/?patient={ready.pk}&treatment=migraine&kind=injection&with={doctor.pk}&part=morning"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing suitable? Put on the waitlist" in html
    assert (
        f"/patients/{ready.pk}/?waitlist-treatment=migraine&amp;waitlist-kind=injection"
        f"&amp;waitlist-practitioner={doctor.pk}&amp;waitlist-parts_of_day=morning#waitlist"
    ) in html
