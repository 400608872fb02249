"""Lots, opened vials and site templates: what the database itself refuses."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from scheduler.models import InjectionSite, Lot, OpenedVial

pytestmark = pytest.mark.django_db

OPENED = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _lot(**kwargs: object) -> Lot:
    fields = {
        "product": "Botox",
        "lot_number": "C3709",
        "expires_on": date(2026, 6, 30),
        "vials_received": 4,
        "units_per_vial": 100,
    }
    return Lot.objects.create(**{**fields, **kwargs})


def test_the_migraine_template_is_the_31_site_155_unit_pattern() -> None:
    sites = InjectionSite.objects.filter(treatment_type__code="migraine")
    assert sites.count() == 31
    assert sum(s.default_units for s in sites) == 155


@pytest.mark.parametrize(
    ("code", "count"),
    [("frown-lines", 5), ("hyperhidrosis", 2), ("bruxism", 2), ("crows-feet", 6)],
)
def test_each_seeded_treatment_has_its_template(code: str, count: int) -> None:
    assert InjectionSite.objects.filter(treatment_type__code=code).count() == count


def test_a_lot_needs_vials_and_units() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        _lot(vials_received=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        _lot(lot_number="C1", units_per_vial=0)


def test_the_same_lot_number_of_a_product_is_kept_once() -> None:
    _lot()
    with pytest.raises(IntegrityError), transaction.atomic():
        _lot()


def test_a_vial_is_used_after_it_is_opened_and_discards_only_when_closed() -> None:
    lot = _lot()
    with pytest.raises(IntegrityError), transaction.atomic():
        OpenedVial.objects.create(lot=lot, opened_at=OPENED, use_by_at=OPENED, diluent_ml=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        OpenedVial.objects.create(
            lot=lot,
            opened_at=OPENED,
            use_by_at=OPENED + timedelta(hours=24),
            diluent_ml=2,
            discarded_units=10,
        )


def test_a_vial_tells_the_injector_the_units_in_a_tenth_of_a_millilitre() -> None:
    vial = OpenedVial(
        lot=_lot(), opened_at=OPENED, use_by_at=OPENED + timedelta(hours=24), diluent_ml=2
    )
    assert vial.units_per_tenth_ml == 5.0
