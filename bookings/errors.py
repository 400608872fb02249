"""The one domain error: every refusal carries the rule's code and plain words.

The API turns it into ``400 {"code", "detail"}`` (409 for a taken slot) and the web
UI shows ``message`` next to the form, so both say the same thing.
"""

RULE_CODES = frozenset(
    {
        "exam_required",
        "diagnosis_required",
        "prescription_required",
        "prescription_expired",
        "no_sessions_left",
        "reinjection_too_soon",
        "dose_limit_exceeded",
        "practitioner_not_qualified",
        "outside_working_hours",
        "in_the_past",
        "opt_out_confirmation_required",
        "invalid_transition",
        "override_not_allowed",
        "injection_required",
        "slot_taken",
        "patient_busy",
        "off_the_grid",
        "time_does_not_exist",
        "time_is_ambiguous",
        "not_allowed",
        "recall_interval_out_of_range",
        "planned_units_too_low",
        "units_over_prescription",
        "authorization_required",
        "authorization_expired",
        "authorization_exhausted",
        "product_expired",
        "invalid_input",
        "not_completed",
        "nothing_to_amend",
        "undo_too_late",
        # Patient links (reminders/links): said to the patient or the staff member.
        "too_late_to_cancel",
        "wrong_link_kind",
        "not_bookable_online",
        "not_offered",
        "links_not_configured",
        "recall_closed",
        "cannot_text",
        "link_just_sent",
        # The waitlist (bookings/waitlist, reminders/offers).
        "latest_before_earliest",
        "window_in_the_past",
        "window_too_far_ahead",
        "already_on_waitlist",
        "offer_taken",
        "offer_ended",
        "no_date_of_birth",
    }
)

# Safety rules a clinician may override with a written reason, naming each one
# (docs/rules.md#pathway, "Overrides"; the insurance ones: docs/rules.md#authorizations).
OVERRIDABLE = frozenset(
    {
        "reinjection_too_soon",
        "dose_limit_exceeded",
        "units_over_prescription",
        "authorization_required",
        "authorization_expired",
        "authorization_exhausted",
    }
)


class PathwayError(Exception):
    """A booking or status change the clinic's rules refuse."""

    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        assert code in RULE_CODES, code
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"PathwayError({self.code!r}, {self.message!r})"

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "detail": self.message}


class SlotTaken(PathwayError):
    def __init__(
        self, message: str = "That time was just taken. Please choose another slot."
    ) -> None:
        super().__init__("slot_taken", message, status=409)


class RulesRefused(PathwayError):
    """Safety rules a clinician could override, all of them, so none is seen only later.

    ``code`` and ``message`` are the first rule still refusing; ``rules`` lists every
    overridable rule that fails, for the clinician to name in ``override_rules``.
    """

    def __init__(self, code: str, message: str, *, rules: list[PathwayError]) -> None:
        super().__init__(code, message)
        self.rules = rules

    def as_json(self) -> dict[str, object]:
        return {
            **super().as_json(),
            "rules": [{"code": r.code, "detail": r.message} for r in self.rules],
        }


class PatientBusy(PathwayError):
    """The patient already has a live appointment overlapping this time (any practitioner)."""

    def __init__(
        self,
        message: str = "The patient already has an appointment at that time. "
        "Please choose another time.",
    ) -> None:
        super().__init__("patient_busy", message, status=409)


class FieldRefused(PathwayError):
    """A value that cannot be right, answered like a malformed field: ``{"<field>": ["…"]}``.

    Raised where the check needs the database (an unknown lot, a vial of another lot),
    so the API and the pages say it exactly as they say a field's own error.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__("invalid_input", message)
        self.field = field

    def as_json(self) -> dict[str, object]:
        return {self.field: [self.message]}
