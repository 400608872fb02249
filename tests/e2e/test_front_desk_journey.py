"""The front desk and the clinician walk a therapeutic patient from registration to injection.

Time is frozen (ticking) at a coming Monday morning inside this process, which the
live server's thread shares, so check-in ("only on the day") and completion ("not
before it starts") behave as on a real clinic day. The day is in the future because
the browser keeps its own clock and would drop session cookies that already expired.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from bookings import services
from bookings.models import Appointment, Status
from tests.clock import coming_monday, on, ticking_at
from tests.e2e.support import choose_slot, sign_in
from tests.factories import (
    LotFactory,
    PatientFactory,
    PractitionerFactory,
    UserFactory,
    treatment,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

COLLEAGUES = [
    "Dr. Daniel Lee",
    "Nurse Priya Shah",
    "Dr. Omar Haddad",
    "Nurse Chloé Martin",
    "Dr. Sofia Rossi",
]


def busy_day(day: date, clinician) -> None:
    """Five colleagues with a believable morning, booked through the service."""
    names = iter(
        [
            "Ava Chen",
            "Liam Patel",
            "Noah Tremblay",
            "Emma Roy",
            "Zoe Martin",
            "Lucas Wong",
            "Mia Gagnon",
            "Ethan Clark",
            "Chloe Brown",
            "Owen Scott",
            "Leah Green",
        ]
    )
    for i, name in enumerate(COLLEAGUES):
        doctor = PractitionerFactory(name=name)
        first, last = next(names).split()
        cosmetic = PatientFactory(first_name=first, last_name=last)
        hour = 9 + i % 3

        def book(patient, kind, start, code, doctor=doctor):
            return services.book_appointment(
                patient=patient,
                practitioner=doctor,
                treatment=treatment(code),
                kind=kind,
                start_at=start,
                by=clinician,
            )

        book(cosmetic, "exam", on(day, hour), "frown-lines")
        book(cosmetic, "injection", on(day, hour, 30), "frown-lines")
        book(cosmetic, "review", on(day, 15), "frown-lines")
        first, last = next(names).split()
        therapeutic = PatientFactory(first_name=first, last_name=last)
        book(therapeutic, "exam", on(day, 13), "neck-pain")
        book(therapeutic, "prescription", on(day, 13, 30), "neck-pain")
        if i % 2:
            confirmed = book(
                PatientFactory(first_name="Sam", last_name=f"Doe{i}"), "exam", on(day, 11), "tmj"
            )
            services.confirm_appointment(appointment=confirmed, by=clinician)


def injection_done_patient_pk() -> int:
    return Appointment.objects.get(patient__last_name="Vance", kind="injection").patient_id


def open_in_panel(page: Page, base: str, day: date, patient: str, kind: str) -> None:
    page.goto(f"{base}/calendar/?date={day:%Y-%m-%d}")
    page.locator("a.appt", has_text=patient).filter(has_text=kind).click()
    expect(page.locator("#panel")).to_contain_text(patient)


def test_front_desk_and_clinician_take_a_migraine_patient_from_registration_to_injection(
    live_server, browser, shot
):
    day = coming_monday()
    base = live_server.url
    with ticking_at(on(day, 8, 30)) as clock:
        desk_user = UserFactory(
            username="frontdesk", first_name="Fran", last_name="Desk", groups=["front_desk"]
        )
        clinician_user = UserFactory(
            username="clinician", first_name="Amelia", last_name="Hart", groups=["clinician"]
        )
        UserFactory(username="manager", first_name="Morgan", groups=["manager"])
        PractitionerFactory(name="Dr. Amelia Hart", user=clinician_user)
        lot = LotFactory(product="Botox (onabotulinumtoxinA)", lot_number="C7421A")
        busy_day(day, clinician_user)
        assert desk_user.pk

        desk = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        doctor = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        sign_in(desk, base, "frontdesk")
        expect(desk).to_have_url(f"{base}/calendar/")
        expect(desk.locator("header")).to_contain_text("Front desk")

        # Register, with a phone number mistyped first.
        desk.get_by_role("link", name="Patients").click()
        desk.get_by_role("link", name="Register a new patient").click()
        desk.get_by_label("First name").fill("Eleanor")
        desk.get_by_label("Last name").fill("Vance")
        desk.get_by_label("Mobile phone").fill("555-12")
        desk.get_by_label("The patient agrees to receive").check()
        desk.get_by_role("button", name="Register").click()
        expect(desk.locator(".errorlist")).to_contain_text("phone number")
        expect(desk.get_by_label("First name")).to_have_value("Eleanor")
        expect(desk.get_by_label("The patient agrees to receive")).to_be_checked()
        desk.get_by_label("Mobile phone").fill("416 555 0142")
        desk.get_by_role("button", name="Register").click()
        expect(desk.get_by_role("heading", name="Eleanor Vance")).to_be_visible()
        expect(desk.locator("main")).to_contain_text("+1 416-555-0142")

        # Book the exam; the injection is refused with the rule's words.
        desk.get_by_role("link", name="Book an appointment").click()
        desk.get_by_label("Treatment").select_option(label="Migraines and headaches")
        desk.get_by_role("button", name="Next").click()
        injection = desk.locator("li[data-kind=injection]")
        expect(injection).to_contain_text("needs a written prescription before the injection")
        expect(injection.get_by_role("link")).to_have_count(0)
        shot(desk, "booking-1-kinds")
        desk.get_by_role("link", name="Exam", exact=True).click()
        expect(desk.get_by_role("heading", name=re.compile("^Free on"))).to_be_visible()
        shot(desk, "booking-2-slots")
        choose_slot(desk, "Dr. Amelia Hart", "09:00")
        shot(desk, "booking-3-confirm")
        desk.get_by_role("button", name="Book").click()
        expect(desk.locator(".messages")).to_contain_text("Booked: Exam for Eleanor Vance")

        # And the prescription visit straight after it.
        desk.get_by_role("link", name="Book an appointment").click()
        desk.get_by_label("Treatment").select_option(label="Migraines and headaches")
        desk.get_by_role("button", name="Next").click()
        desk.get_by_role("link", name="Prescription", exact=True).click()
        choose_slot(desk, "Dr. Amelia Hart", "09:30")
        desk.get_by_role("button", name="Book").click()
        expect(desk.locator(".messages")).to_contain_text("Booked: Prescription")

        # Check in from the calendar.
        open_in_panel(desk, base, day, "Eleanor Vance", "Exam")
        expect(desk.locator("#panel")).not_to_contain_text("Complete the exam")
        desk.locator("#panel").get_by_role("button", name="Check in").click()
        expect(desk.locator(".messages")).to_contain_text("Eleanor Vance: checked in")
        shot(desk, "calendar-front-desk")

        # The clinician completes the exam: without a diagnosis first.
        sign_in(doctor, base, "clinician")
        open_in_panel(doctor, base, day, "Eleanor Vance", "Exam")
        panel = doctor.locator("#panel")
        panel.get_by_label("Notes").fill("Headache diary reviewed")
        panel.get_by_role("button", name="Complete").click()
        expect(doctor.get_by_role("alert")).to_contain_text("Enter the diagnosis")
        expect(doctor.get_by_label("Notes")).to_have_value("Headache diary reviewed")
        doctor.get_by_label("Diagnosis").fill("Chronic migraine, 18 headache days a month")
        doctor.get_by_role("button", name="Complete").click()
        expect(doctor.locator(".messages")).to_contain_text("Exam for Eleanor Vance recorded")

        clock.move_to(on(day, 9, 31))
        open_in_panel(doctor, base, day, "Eleanor Vance", "Prescription")
        panel = doctor.locator("#panel")
        panel.get_by_label("Units per session").fill("155")
        panel.get_by_label("Number of sessions").fill("4")
        panel.get_by_role("button", name="Write prescription").click()
        expect(doctor.locator(".messages")).to_contain_text(
            "Prescription for Eleanor Vance recorded"
        )

        # The front desk finds her by typing and books the injection from the slot picker.
        desk.get_by_role("link", name="Book", exact=True).click()
        desk.get_by_label("Find a patient by name or phone").press_sequentially("Vanc")
        desk.locator("#patient-results").get_by_role("link", name="Vance, Eleanor").click()
        desk.get_by_label("Treatment").select_option(label="Migraines and headaches")
        desk.get_by_role("button", name="Next").click()
        expect(desk.locator("li[data-kind=injection] .reason")).to_have_count(0)
        desk.get_by_role("link", name="Injection", exact=True).click()
        choose_slot(desk, "Dr. Amelia Hart")
        desk.get_by_label("Planned units").fill("155")
        desk.get_by_role("button", name="Book").click()
        expect(desk.locator(".messages")).to_contain_text("Booked: Injection for Eleanor Vance")
        expect(desk.locator("main")).to_contain_text("4 × 155 units")
        shot(desk, "patient-page")

        open_in_panel(desk, base, day, "Eleanor Vance", "Injection")
        desk.locator("#panel").get_by_role("button", name="Check in").click()
        expect(desk.locator(".messages")).to_contain_text("checked in")

        # The clinician records the injection given.
        open_in_panel(doctor, base, day, "Eleanor Vance", "Injection")
        panel = doctor.locator("#panel")
        expect(panel.get_by_label("Units given")).to_have_value("155")
        panel.get_by_label("Lot:", exact=True).select_option(str(lot.pk))
        shot(doctor, "calendar-clinician-panel")
        panel.get_by_role("button", name="Complete").click()
        expect(doctor.locator(".messages")).to_contain_text("Injection for Eleanor Vance recorded")

        doctor.goto(f"{base}/patients/{injection_done_patient_pk()}/")
        expect(doctor.get_by_role("heading", name="Past and cancelled")).to_be_visible()
        shot(doctor, "patient-page-after-injection")

        injection_done = Appointment.objects.get(patient__last_name="Vance", kind="injection")
        assert injection_done.status == Status.COMPLETED
        assert (injection_done.units_given, injection_done.lot) == (155, "C7421A")

        # A manager sees the day but never a clinical or booking button.
        manager = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        sign_in(manager, base, "manager")
        expect(manager).to_have_url(f"{base}/follow-ups/")
        later = Appointment.objects.filter(patient__last_name="Vance", status=Status.BOOKED)
        assert not later.exists()
        open_in_panel(manager, base, day, "Ava Chen", "Review")
        panel = manager.locator("#panel")
        for label in ("Complete", "Check in", "Confirm", "No-show"):
            expect(panel.get_by_role("button", name=label)).to_have_count(0)
        expect(panel.locator("summary", has_text="Cancel")).to_have_count(0)
        shot(manager, "calendar-manager")
        manager.goto(f"{base}/appointments/{injection_done.pk}/")
        expect(manager.get_by_role("button", name="Complete")).to_have_count(0)
        expect(manager.get_by_role("link", name="Book", exact=True)).to_have_count(0)
