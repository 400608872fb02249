"""A clinician records a migraine injection site by site and sees the totals
(docs/rules.md#lots-and-the-injection-record).

The site list is a small static script: a click gives a site its usual units, the total
is kept beside the units given, and the record keeps every site with the lot and vial.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from bookings import lots
from bookings.models import Appointment, Status
from tests.clock import coming_monday, on, ticking_at
from tests.e2e.support import sign_in
from tests.factories import (
    AppointmentFactory,
    LotFactory,
    PatientFactory,
    PractitionerFactory,
    UserFactory,
)
from tests.histories import written_prescription

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_clinician_records_a_migraine_injection_site_by_site_and_sees_the_totals(
    live_server, browser, shot
):
    day = coming_monday()
    base = live_server.url
    with ticking_at(on(day, 9, 40)):
        clinician = UserFactory(username="clinician", first_name="Amelia", groups=["clinician"])
        doctor = PractitionerFactory(name="Dr. Amelia Hart", user=clinician)
        patient = PatientFactory(first_name="Nora", last_name="Quinn")
        written_prescription(patient, examined_at=on(day - timedelta(days=28), 9))
        injection = AppointmentFactory(
            patient=patient,
            practitioner=doctor,
            treatment_code="migraine",
            kind="injection",
            start_at=on(day, 9),
            planned_units=155,
            status=Status.CHECKED_IN,
        )
        lot = LotFactory(
            product="Botox (onabotulinumtoxinA)", lot_number="C8812", units_per_vial=200
        )
        vial = lots.open_vial(lot=lot, diluent_ml=Decimal("4.0"), by=clinician)

        page = browser.new_context().new_page()
        sign_in(page, base, "clinician")
        page.goto(f"{base}/appointments/{injection.pk}/")
        form = page.locator("form", has=page.locator("fieldset.injection-sites"))
        form.get_by_label("Units given").fill("155")
        form.get_by_label("Lot:", exact=True).select_option(str(lot.pk))
        form.get_by_label("Opened vial (optional)").select_option(str(vial.pk))
        total = form.locator(".site-total")
        expect(total).to_contain_text("Sites total: 0 of 155 units given")

        # Two sites by clicking (their usual 5 units), one typed, then the rest clicked.
        form.get_by_role("button", name="Procerus").click()
        form.get_by_role("button", name="Corrugator, left").click()
        expect(total).to_contain_text("Sites total: 10 of 155")
        expect(total).to_contain_text("do not match yet")
        form.get_by_label("Units at Corrugator, left").fill("")
        expect(total).to_contain_text("Sites total: 5 of 155")
        for button in form.locator("button.site-toggle").all():
            if button.get_attribute("aria-pressed") == "false":
                button.click()
        expect(total).to_contain_text("Sites total: 155 of 155 units given — they match.")
        shot(page, "injection-sites-155")

        form.get_by_role("button", name="Complete").click()
        expect(page.locator(".messages")).to_contain_text("Injection for Nora Quinn recorded")

    recorded = Appointment.objects.get(pk=injection.pk)
    assert recorded.status == Status.COMPLETED
    assert (recorded.units_given, recorded.lot, recorded.product_lot_id) == (155, "C8812", lot.pk)
    assert len(recorded.site_units) == 31
    assert sum(row["units"] for row in recorded.site_units) == 155
    vial.refresh_from_db()
    assert vial.units_drawn == 155
