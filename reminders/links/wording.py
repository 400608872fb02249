"""The rules' refusals in words for the patient, where the rule's own words are for staff.

The insurance rules speak to the front desk ("add the insurer's authorization, or switch
the course to self-pay"): a patient on a link can do neither, so those are said for them.
The waitlist's duplicate refusal speaks of "the patient"; it is said to them too. Every
other refusal keeps the rule's words, which already say what is needed.
"""

from datetime import date

_INSURANCE = {
    "authorization_required": "Your insurance has not approved a visit for these dates, so "
    "it cannot be booked online. Please call us: we will help arrange the approval.",
    "authorization_expired": "Your insurance approval has ended and needs renewing before "
    "the next visit. Please call us: we will help arrange it.",
    "authorization_exhausted": "The visits your insurance approved are all used or booked. "
    "Please call us to arrange a new approval.",
}


_TO_THE_PATIENT = {
    **_INSURANCE,
    "already_on_waitlist": "You are already on the waitlist for this visit. "
    "We will text you when a time frees up.",
}


def refusal_for_patient(code: str, message: str) -> str:
    return _TO_THE_PATIENT.get(code, message)


def first_day_for_patient(day: date, code: str, message: str) -> str:
    """Why the first day offered is not today: the rule that holds the days before it."""
    why = (
        "the first day your insurance approval covers"
        if code in _INSURANCE
        else message[:1].lower() + message[1:]
    )
    return f"Next injection from {day:%a} {day.day} {day:%b %Y}: {why}"
