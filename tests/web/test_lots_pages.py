"""The lots page, opening and closing vials, the recall page with its CSV, and the
injection form's lot, vial and site list."""

from datetime import date, timedelta

import pytest

from bookings.lots_read import list_lot_lines
from bookings.models import Status
from scheduler.models import Lot, OpenedVial
from tests.clock import NOW, in_march
from tests.factories import AppointmentFactory, LotFactory, PatientFactory, PrescriptionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_the_lots_page_shows_stock_and_warns_of_expiry_and_low_stock(client_for):
    LotFactory(lot_number="FRESH", expires_on=date(2027, 1, 1), vials_received=10)
    LotFactory(lot_number="SOON", expires_on=NOW.date() + timedelta(days=20))
    low = LotFactory(lot_number="LOW", vials_received=1, units_per_vial=100)
    AppointmentFactory(
        kind="injection",
        start_at=in_march(1, 10),
        status=Status.COMPLETED,
        units_given=60,
        product_lot=low,
    )
    html = client_for("clinician").get("/lots/").content.decode()
    fresh, soon, low_row = (
        html.split(f'id="lot-{Lot.objects.get(lot_number=n).pk}"')[1].split("</tr>")[0]
        for n in ("FRESH", "SOON", "LOW")
    )
    assert "Expires soon" in soon and "Expires soon" not in fresh
    assert "Low stock" in low_row and "<strong>40</strong>" in low_row
    assert "Low stock" not in fresh and "<strong>1000</strong>" in fresh
    assert client_for("manager").get("/lots/").status_code == 200
    assert client_for("front_desk").get("/lots/").status_code == 403


def test_a_lot_refused_keeps_what_was_typed(client_for):
    LotFactory(product="Botox", lot_number="C1")
    typed = {
        "product": "Botox",
        "lot_number": "C1",
        "expires_on": "2026-12-31",
        "vials_received": "3",
        "units_per_vial": "100",
    }
    response = client_for("clinician").post("/lots/new/", typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Lot C1 of Botox is already on record." in html
    assert 'value="2026-12-31"' in html and 'value="3"' in html
    assert Lot.objects.count() == 1
    added = client_for("manager").post("/lots/new/", {**typed, "lot_number": "C2"})
    assert added.status_code == 302
    assert Lot.objects.filter(lot_number="C2", vials_received=3).exists()


def test_a_vial_is_opened_with_its_diluent_and_closing_discards_the_rest(client_for):
    lot = LotFactory(vials_received=2, units_per_vial=100)
    client = client_for("clinician")
    refused = client.post(f"/lots/{lot.pk}/open-vial/", {f"lot{lot.pk}-diluent_ml": "0"})
    assert refused.status_code == 400
    assert "at least 0.1 mL" in refused.content.decode()
    assert not OpenedVial.objects.exists()
    opened = client.post(f"/lots/{lot.pk}/open-vial/", {f"lot{lot.pk}-diluent_ml": "2.5"})
    assert opened.status_code == 302
    vial = OpenedVial.objects.get()
    assert vial.use_by_at == NOW + timedelta(hours=24)
    page = client.get("/lots/").content.decode()
    assert "4.0 U per 0.1 mL" in page
    assert client.post(f"/vials/{vial.pk}/close/").status_code == 302
    vial.refresh_from_db()
    assert vial.discarded_units == 100 and vial.closed_at == NOW
    row = client.get("/lots/").content.decode().split(f'id="lot-{lot.pk}"')[1]
    assert "<strong>100</strong>" in row


def test_the_recall_page_and_its_csv_list_every_patient_of_the_lot(client_for):
    lot = LotFactory(lot_number="R7")
    for day, first in ((3, "Ann"), (1, "=cmd")):
        AppointmentFactory(
            patient=PatientFactory(first_name=first, last_name="Roy"),
            kind="injection",
            start_at=in_march(day, 10) - timedelta(days=7),
            status=Status.COMPLETED,
            units_given=20,
            product_lot=lot,
        )
    client = client_for("manager")
    html = client.get(f"/lots/{lot.pk}/recall/").content.decode()
    assert "Ann Roy" in html and "=cmd Roy" in html
    response = client.get(f"/lots/{lot.pk}/recall.csv")
    body = b"".join(response.streaming_content).decode()
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0] == "Patient,Phone,Date,Units,Practitioner"
    assert lines[1].startswith("'=cmd Roy,'+1416555") and ",2026-02-22,20," in lines[1]
    assert lines[2].startswith("Ann Roy,")
    assert client_for("front_desk").get(f"/lots/{lot.pk}/recall.csv").status_code == 403


def _injection(patient):
    PrescriptionFactory(appointment__patient=patient, appointment__start_at=in_march(1, 9))
    return AppointmentFactory(
        patient=patient, kind="injection", start_at=in_march(2, 7), planned_units=155
    )


def test_the_injection_form_lists_usable_lots_and_the_treatments_sites(client_for, patient):
    injection = _injection(patient)
    LotFactory(lot_number="GOOD")
    LotFactory(lot_number="OLD", expires_on=date(2026, 3, 1))
    html = client_for("clinician").get(f"/appointments/{injection.pk}/").content.decode()
    assert "lot GOOD" in html and "lot OLD" not in html
    assert html.count('class="site-units"') == 31
    assert "js/injection_sites.js" in html


def test_sites_that_do_not_add_up_are_refused_by_the_form_and_kept(client_for, patient):
    injection = _injection(patient)
    lot = LotFactory()
    client = client_for("clinician")
    url = f"/appointments/{injection.pk}/complete/"
    response = client.post(url, {"units": "155", "lot": lot.pk, "site-procerus": "7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The sites add up to 7 units, not the 155 units given." in html
    assert 'name="site-procerus" value="7"' in html
    injection.refresh_from_db()
    assert injection.status == Status.BOOKED
    done = client.post(
        url, {"units": "10", "lot": lot.pk, "site-procerus": "5", "site-corrugator-l": "5"}
    )
    assert done.status_code == 302
    injection.refresh_from_db()
    assert injection.site_units == [
        {"site": "procerus", "units": 5},
        {"site": "corrugator-l", "units": 5},
    ]
    page = client.get(f"/appointments/{injection.pk}/").content.decode()
    assert f"10 units of Botox, lot {lot.lot_number}, at 2 sites" in page


def test_the_demo_clinic_has_lots_its_past_injections_came_from():
    from benchmarks.demo import seed

    seed("demo-pass-1")
    lines = {line.lot.lot_number: line for line in list_lot_lines()}
    assert set(lines) == {"C7421A", "C6980B"}
    assert lines["C6980B"].expires_soon and not lines["C7421A"].expires_soon
    assert lines["C7421A"].units_given > 0
    assert OpenedVial.objects.filter(lot__lot_number="C6980B", closed_at=None).exists()
