"""The injection record over the API: a lot, an opened vial and the units at each site.

Expiry is judged on the clinic's calendar and use-by in real hours, so the clock is
frozen either side of midnight and across the spring DST change (docs/rules.md#lots-and-the-injection-record).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from bookings import lots
from bookings.injection_record import lot_expired, sites_problem, vial_past_use_by
from bookings.models import Appointment, AuditEntry, Status
from scheduler.models import InjectionSite, Lot, OpenedVial
from tests.bookings.support import act
from tests.clock import at, frozen_at
from tests.factories import AppointmentFactory, LotFactory, PatientFactory
from tests.histories import written_prescription

pytestmark = pytest.mark.django_db


def migraine_injection(start: datetime, planned: int = 155) -> Appointment:
    patient = PatientFactory()
    written_prescription(patient, units_per_session=155)
    return AppointmentFactory(
        patient=patient,
        treatment_code="migraine",
        kind="injection",
        start_at=start,
        planned_units=planned,
    )


def all_sites(units: int = 5) -> list[dict[str, object]]:
    codes = InjectionSite.objects.filter(treatment_type__code="migraine").values_list(
        "code", flat=True
    )
    return [{"site": code, "units": units} for code in codes]


def record(client, appointment: Appointment, **data: object):
    return act(client, appointment.pk, "complete", **{"units": 155, **data})


def open_vial_at(moment: datetime, lot: Lot, by) -> OpenedVial:
    with frozen_at(moment):
        return lots.open_vial(lot=lot, diluent_ml=Decimal("2.0"), by=by)


def assert_nothing_recorded(appointment: Appointment, vial: OpenedVial | None = None) -> None:
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED
    assert appointment.product_lot_id is None and appointment.units_given is None
    assert not AuditEntry.objects.filter(appointment=appointment, action="completed").exists()
    if vial is not None:
        vial.refresh_from_db()
        assert vial.units_drawn == 0


# --- the pure rules ---------------------------------------------------------------------


def test_sites_must_add_up_and_come_from_the_template() -> None:
    template = ["a", "b"]
    good = [{"site": "a", "units": 3}, {"site": "b", "units": 2}]
    assert sites_problem(sites=good, units=5, template=template) is None
    assert sites_problem(sites=[], units=5, template=template) is None
    assert "add up to 5 units, not the 6" in str(
        sites_problem(sites=good, units=6, template=template)
    )
    assert "not a site" in str(
        sites_problem(sites=[{"site": "z", "units": 5}], units=5, template=template)
    )
    assert "at least 1 unit" in str(
        sites_problem(sites=[{"site": "a", "units": -1}], units=-1, template=template)
    )
    assert "twice" in str(sites_problem(sites=good + good[:1], units=8, template=template))


def test_a_lot_keeps_through_its_expiry_date_and_a_vial_until_its_use_by() -> None:
    assert not lot_expired(expires_on=date(2026, 3, 1), on=date(2026, 3, 1))
    assert lot_expired(expires_on=date(2026, 3, 1), on=date(2026, 3, 2))
    use_by = at(2026, 3, 3, 10)
    assert not vial_past_use_by(use_by_at=use_by, at=use_by - timedelta(minutes=1))
    assert vial_past_use_by(use_by_at=use_by, at=use_by)


# --- recording --------------------------------------------------------------------------


def test_an_injection_names_its_lot_and_sites_and_the_vial_gives_its_units(clinician):
    injection = migraine_injection(at(2026, 3, 2, 9))
    lot = LotFactory(product="Botox", lot_number="C3709", units_per_vial=200)
    vial = open_vial_at(at(2026, 3, 2, 8, 50), lot, clinician.user)
    with frozen_at(at(2026, 3, 2, 9, 40)):
        response = record(clinician, injection, lot=lot.pk, vial=vial.pk, sites=all_sites())
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["product"], body["lot"], body["product_lot"], body["vial"]) == (
        "Botox",
        "C3709",
        lot.pk,
        vial.pk,
    )
    assert len(body["site_units"]) == 31
    vial.refresh_from_db()
    assert vial.units_drawn == 155
    completed = AuditEntry.objects.get(appointment=injection, action="completed").detail
    assert completed["lot_number"] == "C3709" and completed["lot"] == str(lot.pk)
    assert completed["sites"][0] == {"site": "procerus", "units": 5}


def test_an_unknown_lot_or_a_vial_of_another_lot_is_a_field_error(clinician):
    injection = migraine_injection(at(2026, 3, 2, 9))
    lot, other = LotFactory(), LotFactory()
    vial = open_vial_at(at(2026, 3, 2, 8, 50), other, clinician.user)
    with frozen_at(at(2026, 3, 2, 9, 40)):
        unknown = record(clinician, injection, lot=lot.pk + 1000)
        typed = record(clinician, injection, lot="C3709")
        wrong_vial = record(clinician, injection, lot=lot.pk, vial=vial.pk)
    assert unknown.status_code == 400 and list(unknown.json()) == ["lot"]
    assert "No such lot" in unknown.json()["lot"][0]
    assert typed.status_code == 400 and list(typed.json()) == ["lot"]
    assert wrong_vial.status_code == 400
    assert wrong_vial.json() == {
        "vial": [f"That vial is from another lot, not lot {lot.lot_number}."]
    }
    assert_nothing_recorded(injection, vial)


@pytest.mark.parametrize(
    ("sites", "words"),
    [
        ([{"site": "procerus", "units": 100}], "add up to 100 units, not the 155"),
        ([{"site": "axilla-l", "units": 155}], "not a site of this treatment"),
        ([{"site": "procerus", "units": -5}], "at least 1 unit"),
        ("procerus", "list"),
    ],
)
def test_sites_that_do_not_add_up_or_are_not_in_the_template_are_refused(clinician, sites, words):
    injection = migraine_injection(at(2026, 3, 2, 9))
    lot = LotFactory(units_per_vial=200)
    vial = open_vial_at(at(2026, 3, 2, 8, 50), lot, clinician.user)
    with frozen_at(at(2026, 3, 2, 9, 40)):
        response = record(clinician, injection, lot=lot.pk, vial=vial.pk, sites=sites)
    assert response.status_code == 400
    assert list(response.json()) == ["sites"]
    assert words in str(response.json()["sites"])
    assert_nothing_recorded(injection, vial)


def test_negative_units_are_a_field_error(clinician):
    injection = migraine_injection(at(2026, 3, 2, 9))
    with frozen_at(at(2026, 3, 2, 9, 40)):
        response = record(clinician, injection, units=-5, lot=LotFactory().pk)
    assert response.status_code == 400 and list(response.json()) == ["units"]
    assert_nothing_recorded(injection)


def test_a_lot_is_judged_on_the_clinic_date_of_the_injection_either_side_of_midnight(clinician):
    lot = LotFactory(expires_on=date(2026, 3, 2))
    # 20:00 in Toronto on the expiry date is already 3 March in UTC: still usable.
    late = migraine_injection(at(2026, 3, 2, 20))
    # Ten past midnight on the 3rd in the clinic: a day past expiry.
    after = migraine_injection(at(2026, 3, 3, 0, 10))
    with frozen_at(at(2026, 3, 3, 1)):
        assert record(clinician, late, lot=lot.pk).status_code == 200
        refused = record(clinician, after, lot=lot.pk)
    assert refused.status_code == 400
    assert refused.json()["code"] == "product_expired"
    assert "expired on 2 March 2026" in refused.json()["detail"]
    assert_nothing_recorded(after)


def test_a_vial_opened_late_in_the_evening_is_refused_the_next_evening(clinician):
    lot = LotFactory()
    vial = open_vial_at(at(2026, 3, 2, 22), lot, clinician.user)
    in_time = migraine_injection(at(2026, 3, 3, 21, 30), planned=50)
    too_late = migraine_injection(at(2026, 3, 3, 22), planned=50)
    with frozen_at(at(2026, 3, 3, 23)):
        ok = record(clinician, in_time, units=50, lot=lot.pk, vial=vial.pk)
        refused = record(clinician, too_late, units=50, lot=lot.pk, vial=vial.pk)
    assert ok.status_code == 200, ok.json()
    assert refused.status_code == 400 and refused.json()["code"] == "product_expired"
    vial.refresh_from_db()
    assert vial.units_drawn == 50
    assert_nothing_recorded(too_late)


def test_a_vials_use_by_counts_real_hours_across_the_spring_dst_change(clinician, settings):
    settings.VIAL_USE_HOURS = 24
    lot = LotFactory()
    # Opened Saturday 10:00 EST; clocks go forward overnight, so 24 hours later is
    # Sunday 11:00 EDT, not 10:00.
    vial = open_vial_at(at(2026, 3, 7, 10), lot, clinician.user)
    assert vial.use_by_at == at(2026, 3, 8, 11)
    in_time = migraine_injection(at(2026, 3, 8, 10, 30), planned=50)
    too_late = migraine_injection(at(2026, 3, 8, 11), planned=50)
    with frozen_at(at(2026, 3, 8, 12)):
        assert record(clinician, in_time, units=50, lot=lot.pk, vial=vial.pk).status_code == 200
        refused = record(clinician, too_late, units=50, lot=lot.pk, vial=vial.pk)
    assert refused.json()["code"] == "product_expired"
    assert "11:00 on 8 March 2026" in refused.json()["detail"]


def test_a_vial_cannot_give_more_than_it_holds(clinician):
    lot = LotFactory(units_per_vial=100)
    vial = open_vial_at(at(2026, 3, 2, 8, 50), lot, clinician.user)
    injection = migraine_injection(at(2026, 3, 2, 9))
    with frozen_at(at(2026, 3, 2, 9, 40)):
        response = record(clinician, injection, lot=lot.pk, vial=vial.pk)
    assert response.status_code == 400 and list(response.json()) == ["units"]
    assert "100 units left" in response.json()["units"][0]
    assert_nothing_recorded(injection, vial)


# --- amending ---------------------------------------------------------------------------


def test_amending_the_lot_and_sites_keeps_both_in_the_audit_and_moves_the_vials_units(clinician):
    first, second = LotFactory(lot_number="A1", units_per_vial=200), LotFactory(lot_number="B2")
    vial = open_vial_at(at(2026, 3, 2, 8, 50), first, clinician.user)
    injection = migraine_injection(at(2026, 3, 2, 9))
    with frozen_at(at(2026, 3, 2, 9, 40)):
        assert (
            record(clinician, injection, lot=first.pk, vial=vial.pk, sites=all_sites()).status_code
            == 200
        )
        mismatch = act(clinician, injection.pk, "amend", units=150, reason="Counted again")
        assert mismatch.status_code == 400 and list(mismatch.json()) == ["sites"]
        sites = all_sites()[1:]
        response = act(
            clinician,
            injection.pk,
            "amend",
            units=150,
            lot=second.pk,
            sites=sites,
            reason="Wrong box, and no procerus",
        )
    assert response.status_code == 200, response.json()
    vial.refresh_from_db()
    assert vial.units_drawn == 0
    entry = AuditEntry.objects.get(appointment=injection, action="amended")
    assert entry.detail["before"]["lot"] == "A1" and entry.detail["after"]["lot"] == "B2"
    assert entry.detail["before"]["lot_id"] == first.pk
    assert len(entry.detail["before"]["sites"]) == 31 and len(entry.detail["after"]["sites"]) == 30
    assert entry.detail["before"]["vial"] == vial.pk and entry.detail["after"]["vial"] is None


def test_a_vial_opened_late_the_same_day_serves_but_one_opened_the_next_day_does_not(clinician):
    lot = LotFactory()
    running_late = open_vial_at(at(2026, 3, 2, 9, 50), lot, clinician.user)
    next_day = open_vial_at(at(2026, 3, 3, 8), lot, clinician.user)
    first = migraine_injection(at(2026, 3, 2, 9), planned=50)
    second = migraine_injection(at(2026, 3, 2, 9, 30), planned=50)
    with frozen_at(at(2026, 3, 3, 9)):
        ok = record(clinician, first, units=50, lot=lot.pk, vial=running_late.pk)
        refused = record(clinician, second, units=50, lot=lot.pk, vial=next_day.pk)
    assert ok.status_code == 200, ok.json()
    assert refused.json() == {"vial": ["That vial was opened after the day of this injection."]}
    assert_nothing_recorded(second, next_day)


def test_a_lot_cannot_give_more_units_than_it_has_left(clinician):
    lot = LotFactory(vials_received=1, units_per_vial=100)
    injection = migraine_injection(at(2026, 3, 2, 9))
    with frozen_at(at(2026, 3, 2, 9, 40)):
        response = record(clinician, injection, lot=lot.pk)
    assert response.status_code == 400
    assert response.json() == {
        "units": [
            f"Lot {lot.lot_number} has 100 units left on record, fewer than the 155 given; "
            "check the lot chosen, or have its vials received corrected."
        ]
    }
    assert_nothing_recorded(injection)
