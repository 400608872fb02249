"""Who may be texted: one definition for Python and for the SQL the sweeps run.

A patient may be texted only with consent, never after STOP, never on a number the
provider refused, and only with a number at all (docs/rules.md#texts). The bars are
checked in this order, and the first that applies is the reason stored on a
suppressed row, so staff read the same words whichever database wrote it. The
PostgreSQL sweep builds its CASE from the same list (``reason_case_sql``) instead of
repeating the rule in SQL by hand.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from bookings.models import Patient


def can_open_link(date_of_birth: date | None) -> bool:
    """A patient's personal link opens only once they give the date of birth on file
    (docs/rules.md#patient-links): without one their texts keep the "call us" wording
    rather than carry a link that could only say "call us". The recall sweep's SQL asks
    the same through ``can_open_link_sql``."""
    return date_of_birth is not None


def can_open_link_sql(alias: str) -> str:
    """``can_open_link`` as a condition on the patient table aliased ``alias``."""
    return f"{alias}.date_of_birth IS NOT NULL"


@dataclass(frozen=True)
class Bar:
    """A reason not to text: the patient column, the value that bars, and the words."""

    column: str
    bars_when: bool | str
    reason: str


BARS = (
    Bar("sms_opted_out", True, "patient opted out"),
    Bar("phone_invalid", True, "number cannot receive texts"),
    Bar("sms_consent", False, "no SMS consent"),
    Bar("phone", "", "no phone number"),
)


def _first_reason(values: Mapping[str, bool | str]) -> str:
    for bar in BARS:
        if values[bar.column] == bar.bars_when:
            return bar.reason
    return ""


def reason_not_to_text(*, phone: str, consented: bool, opted_out: bool, invalid: bool) -> str:
    """Why this patient may not be texted ("" when they may)."""
    return _first_reason(
        {
            "sms_opted_out": opted_out,
            "phone_invalid": invalid,
            "sms_consent": consented,
            "phone": phone or "",
        }
    )


def reason_patient_not_texted(patient: Patient) -> str:
    """The same, read off the patient's row: the bars name its columns."""
    return _first_reason({bar.column: getattr(patient, bar.column) for bar in BARS})


def reason_case_sql(alias: str) -> tuple[str, dict[str, Any]]:
    """``CASE … END`` giving the same reason as ``reason_not_to_text`` for the patient
    row ``alias``, with its parameters (named ``bar<n>`` and ``reason<n>``)."""
    whens, params = [], {}
    for n, bar in enumerate(BARS):
        whens.append(f"WHEN {alias}.{bar.column} = %(bar{n})s THEN %(reason{n})s")
        params[f"bar{n}"] = bar.bars_when
        params[f"reason{n}"] = bar.reason
    return "CASE " + " ".join(whens) + " ELSE '' END", params


def may_be_texted_q(prefix: str = "") -> Q:
    """The same bars as a queryset filter, for a model that reaches the patient by ``prefix``."""
    barred = Q()
    for bar in BARS:
        barred |= Q(**{f"{prefix}{bar.column}": bar.bars_when})
    return ~barred
