"""The front desk keeps an insured migraine course's authorization; the picker obeys it;
a clinician overrides it with a reason (docs/rules.md#authorizations).

An insured course is refused without an authorization, refused when the authorization
is used up, accepted once it covers the injection, and overridden by a clinician with a
reason that stays in the audit trail.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from bookings.models import Appointment, AuditEntry, Funding
from tests.clock import coming_monday, on, ticking_at
from tests.e2e.support import choose_slot, sign_in
from tests.factories import PatientFactory, PractitionerFactory, UserFactory
from tests.histories import written_prescription

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def prescribed(first: str, last: str, day: date, *, insured: bool):
    """A migraine patient diagnosed and prescribed four weeks ago (4 × 155 units)."""
    patient = PatientFactory(first_name=first, last_name=last)
    rx = written_prescription(patient, examined_at=on(day - timedelta(days=28), 9))
    if insured:
        rx.course.funding = Funding.INSURANCE
        rx.course.save(update_fields=["funding"])
    return patient, rx.course


def open_injection_picker(page: Page, base: str, patient_pk: int, *, see_all: bool = False):
    extra = "&all=1" if see_all else ""
    page.goto(f"{base}/book/?patient={patient_pk}&treatment=migraine&kind=injection{extra}")


def test_an_insured_migraine_course_is_booked_only_as_its_authorization_allows(
    live_server, browser, shot
):
    day = coming_monday()
    base = live_server.url
    with ticking_at(on(day, 8, 30)):
        UserFactory(username="frontdesk", first_name="Fran", groups=["front_desk"])
        UserFactory(username="clinician", first_name="Amelia", groups=["clinician"])
        PractitionerFactory(name="Dr. Amelia Hart")
        ines, course = prescribed("Inès", "Gagné", day, insured=False)
        ruth, _ = prescribed("Ruth", "Okafor", day, insured=True)

        desk = browser.new_context().new_page()
        sign_in(desk, base, "frontdesk")

        # The course is switched to insurance on the patient page.
        desk.goto(f"{base}/patients/{ines.pk}/")
        insurance = desk.locator("#insurance")
        insurance.get_by_label("Paid by").select_option(label="Insurance")
        insurance.get_by_role("button", name="Save who pays").click()
        expect(desk.locator(".messages")).to_contain_text("paid by insurance")
        expect(desk.locator("#insurance")).to_contain_text("No authorization yet")

        # Without an authorization the picker says so and offers nothing.
        open_injection_picker(desk, base, ines.pk)
        expect(desk.locator("#picker-wait")).to_contain_text("no authorization covers")
        shot(desk, "insurance-1-refused-without-authorization")

        # The authorization, typed wrong first: the words are by the field, nothing lost.
        desk.goto(f"{base}/patients/{ines.pk}/")
        insurance = desk.locator("#insurance")
        insurance.locator("summary", has_text="Add an authorization").click()
        form = insurance.locator(
            "form", has=desk.get_by_role("button", name="Add the authorization")
        )
        form.get_by_label("Insurer").fill("Sun Life")
        form.get_by_label("Authorization number").fill("PA-2291")
        form.get_by_label("Approved sessions").fill("4")
        form.get_by_label("Approved units").fill("100")
        form.get_by_label("Valid from").fill(f"{day:%Y-%m-%d}")
        form.get_by_label("Valid until").fill(f"{day - timedelta(days=1):%Y-%m-%d}")
        form.get_by_role("button", name="Add the authorization").click()
        expect(desk.locator("#insurance")).to_contain_text("must be on or after its start")
        form = desk.locator(
            "#insurance form", has=desk.get_by_role("button", name="Add the authorization")
        )
        expect(form.get_by_label("Authorization number")).to_have_value("PA-2291")
        until = day + timedelta(days=180)
        form.get_by_label("Valid until").fill(f"{until:%Y-%m-%d}")
        form.get_by_role("button", name="Add the authorization").click()
        expect(desk.locator(".messages")).to_contain_text("authorization added")
        expect(desk.locator("#insurance")).to_contain_text(
            f"0 of 4 sessions, 0 of 100 units, until {until.day} {until:%b %Y}"
        )

        # 100 units cannot cover a 155-unit session: refused as used up.
        open_injection_picker(desk, base, ines.pk)
        expect(desk.locator("#picker-wait")).to_contain_text("would pass the insurer's approval")
        shot(desk, "insurance-2-refused-exhausted")

        # The insurer approves 620 units; now it is booked.
        desk.goto(f"{base}/patients/{ines.pk}/")
        item = desk.locator("#insurance li[data-authorization]")
        item.locator("summary", has_text="Edit").click()
        item.get_by_label("Approved units").fill("620")
        item.get_by_role("button", name="Save the authorization").click()
        expect(desk.locator(".messages")).to_contain_text("authorization saved")
        open_injection_picker(desk, base, ines.pk)
        expect(desk.locator("#picker-wait")).to_have_count(0)
        choose_slot(desk, "Dr. Amelia Hart")
        desk.get_by_role("button", name="Book").click()
        expect(desk.locator(".messages")).to_contain_text("Booked: Injection for Inès Gagné")
        desk.goto(f"{base}/patients/{ines.pk}/")
        expect(desk.locator("#insurance")).to_contain_text("1 of 4 sessions, 155 of 620 units")
        shot(desk, "insurance-3-patient-page")

        # A clinician books Ruth, insured with no authorization, overriding with a reason.
        doctor = browser.new_context().new_page()
        sign_in(doctor, base, "clinician")
        open_injection_picker(doctor, base, ruth.pk, see_all=True)
        choose_slot(doctor, "Dr. Amelia Hart")
        doctor.get_by_role("button", name="Book").click()
        rule = doctor.get_by_label("no authorization covers", exact=False)
        expect(rule).to_be_visible()
        rule.check()
        doctor.get_by_label("Reason for overriding").fill("The patient pays for this one")
        doctor.get_by_role("button", name="Book").click()
        expect(doctor.locator(".messages")).to_contain_text("Booked: Injection for Ruth Okafor")
        shot(doctor, "insurance-4-overridden")

    booked = Appointment.objects.get(patient=ruth, kind="injection")
    assert booked.overridden_rules == ["authorization_required"]
    audit = AuditEntry.objects.get(appointment=booked, action="override")
    assert audit.detail["reason"] == "The patient pays for this one"
    assert course.authorizations.get().approved_units == 620
