"""The slot picker narrows by practitioner and part of day, keeping the choice as it moves."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

PICKER = "/book/?patient={}&treatment=frown-lines&kind=exam&day=2026-03-03"


def test_the_picker_shows_only_the_chosen_practitioner_and_keeps_the_choice(
    client_for, patient, doctor, frozen
):
    other = PractitionerFactory(name="Dr. Ben Okafor")
    html = (
        client_for("front_desk")
        .get(PICKER.format(patient.pk) + f"&with={other.pk}")
        .content.decode()
    )
    assert "<dt>Dr. Ben Okafor" in html
    assert "<dt>Dr. Amelia Hart" not in html
    assert f'<option value="{other.pk}" selected>Dr. Ben Okafor</option>' in html
    # The day links carry the filter, so a click on another day keeps it.
    assert f"with={other.pk}&amp;from=2026-03-02&amp;day=2026-03-04" in html


def test_the_picker_shows_only_the_part_of_day_chosen(client_for, patient, doctor, frozen):
    PractitionerFactory(name="Dr. Late Shift", hours=(range(5), time(9), time(20)))
    client = client_for("front_desk")
    afternoon = client.get(PICKER.format(patient.pk) + "&part=afternoon").content.decode()
    assert ">12:00<" in afternoon and ">16:30<" in afternoon
    assert ">11:45<" not in afternoon and ">09:00<" not in afternoon
    assert ">17:00<" not in afternoon
    evening = client.get(PICKER.format(patient.pk) + "&part=evening").content.decode()
    assert "<dt>Dr. Late Shift" in evening and "<dt>Dr. Amelia Hart" not in evening
    assert ">17:00<" in evening and ">19:30<" in evening and ">16:45<" not in evening
    assert '<option value="evening" selected>Evening</option>' in evening


@pytest.mark.parametrize(
    "query", ["&with=99999", "&with=abc", "&with=" + "9" * 5000, "&part=lunch"]
)
def test_a_filter_that_names_nothing_offered_is_dropped(client_for, patient, doctor, frozen, query):
    response = client_for("front_desk").get(PICKER.format(patient.pk) + query)
    assert response.status_code == 200
    assert ">09:00<" in response.content.decode()


def test_a_practitioner_not_qualified_for_the_kind_is_not_offered(
    client_for, patient, doctor, frozen
):
    dentist = PractitionerFactory(name="Dr. Tooth", treatment_types=["bruxism"])
    html = (
        client_for("front_desk")
        .get(PICKER.format(patient.pk) + f"&with={dentist.pk}")
        .content.decode()
    )
    assert "Dr. Tooth" not in html
    assert "<dt>Dr. Amelia Hart" in html


def test_the_filtered_picker_costs_the_same_queries_for_two_practitioners_or_eight(
    client_for, patient, doctor, frozen
):
    client = client_for("front_desk")
    url = PICKER.format(patient.pk) + f"&with={doctor.pk}&part=morning"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    PractitionerFactory()
    few = count()
    for _ in range(6):
        PractitionerFactory()
    assert count() == few
