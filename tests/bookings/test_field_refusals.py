"""A value the services refuse is a field error, a broken rule has its own code, and
``invalid_transition`` is only a status change (docs/rules.md#errors)."""

import ast
import re
from pathlib import Path

import pytest

from bookings import amendments, notes, services
from bookings.errors import RULE_CODES, FieldRefused
from bookings.models import Prescription
from scheduler.models import Kind
from tests.bookings.support import act, client_for
from tests.clock import at
from tests.factories import AppointmentFactory, PatientFactory, UserFactory
from tests.histories import written_prescription

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

ROOT = Path(__file__).resolve().parents[2]
RULES_DOC = ROOT / "docs" / "rules.md"


def prescription_visit(patient=None):
    """A prescription visit after a diagnosed exam, ready to be written today."""
    patient = patient or PatientFactory()
    AppointmentFactory(
        patient=patient, start_at=at(2026, 3, 2, 7), status="completed", diagnosis="Migraine"
    )
    return AppointmentFactory(
        patient=patient, kind=Kind.PRESCRIPTION, start_at=at(2026, 3, 2, 7, 30), minutes=15
    )


def test_a_prescription_valid_until_yesterday_is_a_field_error_on_the_api():
    visit = prescription_visit()
    response = act(
        client_for("clinician"),
        visit.pk,
        "complete",
        units_per_session=155,
        sessions=4,
        valid_until="2026-03-01",
    )
    assert response.status_code == 400
    assert response.json() == {"valid_until": ["“Valid until” cannot be before today."]}
    assert not Prescription.objects.filter(appointment=visit).exists()


def test_a_missing_outcome_value_names_its_field():
    visit = prescription_visit()
    clinician = UserFactory(groups=["clinician"])
    with pytest.raises(FieldRefused) as refused:
        services.complete_appointment(
            appointment=visit, by=clinician, outcome={"units_per_session": 155}
        )
    assert refused.value.field == "sessions"
    assert refused.value.as_json() == {
        "sessions": ["Enter the number of sessions to complete the appointment."]
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"units_per_session": 0}, "units_per_session"), ({"sessions": 0}, "sessions")],
)
def test_an_amended_prescription_below_one_names_its_field(changes, field):
    rx = written_prescription(PatientFactory(), units_per_session=155, sessions=4)
    with pytest.raises(FieldRefused) as refused:
        amendments.amend_outcome(
            appointment=rx.appointment,
            by=UserFactory(groups=["clinician"]),
            changes=changes,
            reason="Typo",
        )
    assert refused.value.field == field
    rx.refresh_from_db()
    assert (rx.units_per_session, rx.sessions) == (155, 4)


def test_an_amendment_without_a_reason_is_a_field_error():
    rx = written_prescription(PatientFactory(), sessions=4)
    with pytest.raises(FieldRefused) as refused:
        amendments.amend_outcome(
            appointment=rx.appointment,
            by=UserFactory(groups=["clinician"]),
            changes={"sessions": 3},
            reason="  ",
        )
    assert refused.value.as_json() == {"reason": ["Say why the record is amended."]}


def test_an_empty_note_is_a_field_error():
    with pytest.raises(FieldRefused) as refused:
        notes.add_note(patient=PatientFactory(), text=" ", by=UserFactory(groups=["front_desk"]))
    assert refused.value.field == "text"


def test_every_rule_code_is_explained_in_the_errors_section():
    section = RULES_DOC.read_text().split("## Errors", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z_]+)`", section))
    assert named >= RULE_CODES, sorted(RULE_CODES - named)


def _refusals(code: str) -> list[tuple[str, int, object]]:
    """Every ``PathwayError(code, …)`` in the apps: (file, line, its status if given)."""
    found: list[tuple[str, int, object]] = []
    for app in ("bookings", "reminders", "scheduler"):
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) == "PathwayError"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value == code
                ):
                    status = next((k.value for k in node.keywords if k.arg == "status"), None)
                    given = status.value if isinstance(status, ast.Constant) else None
                    found.append((str(path.relative_to(ROOT)), node.lineno, given))
    return found


def test_not_allowed_is_always_a_403():
    refusals = _refusals("not_allowed")
    assert refusals, "the scan found no refusal at all"
    assert [r for r in refusals if r[2] != 403] == []
