"""SMS texts: rendered from files in templates/sms/, one segment of GSM-7 each.

The texts name no treatment, diagnosis or product: a phone screen is not private.
A character outside GSM-7 (a curly quote, an en dash, a non-breaking space) silently
switches the whole SMS to UCS-2, which cuts a segment to 70 characters and doubles
the cost, so rendering refuses such text, and a system check (``check_texts``, run
by every ``manage.py`` command and at start-up) refuses a clinic name or phone that
would break a text before any is sent.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from scheduler import clock
from scheduler.time_format import clock_time

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# These take two characters (an escape and the character) of the 160.
GSM7_EXTENDED = "^{}\\[~]|€\f"
SEGMENT_LENGTH = 160


class NotGsm7(ValueError):
    pass


def gsm7_length(text: str) -> int:
    """Length in GSM-7 septets; raises NotGsm7 for a character GSM-7 cannot carry."""
    length = 0
    for char in text:
        if char in GSM7_BASIC:
            length += 1
        elif char in GSM7_EXTENDED:
            length += 2
        else:
            raise NotGsm7(f"{char!r} is not a GSM-7 character")
    return length


def sms_context() -> dict[str, Any]:
    return {
        "clinic_name": settings.SMS_CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "per_day": settings.SMS_MAX_PER_DAY,
        "per_week": settings.SMS_MAX_PER_WEEK,
    }


def render(name: str, **context: Any) -> str:
    """The text of ``templates/sms/<name>.txt`` on one line, with clinic name and phone."""
    text = " ".join(render_to_string(f"sms/{name}.txt", {**sms_context(), **context}).split())
    gsm7_length(text)  # raises NotGsm7: better no text than one at twice the price
    return text


# The texts that carry the patient's personal link (docs/rules.md#patient-links).
LINKED_TEMPLATES = frozenset(
    {
        "recall_due",
        "recall_due_soon",
        "recall_overdue",
        "review",
        "appointment_reminder",
        "appointment_reminder_confirmed",
        "waitlist_offer",
    }
)


def link_context(name: str, *, can_open: bool = True) -> dict[str, str]:
    """The slot the send fills with a new link, for a text that carries one.

    None when the patient could not open it (``links.access.can_open_link``): the text
    keeps its "call us" wording rather than send a link that only says "call us".
    """
    from reminders.links.tokens import LINK_SLOT, links_enabled

    wanted = can_open and name in LINKED_TEMPLATES and links_enabled()
    return {"link": LINK_SLOT} if wanted else {}


def longest_link() -> str:
    from reminders.links.tokens import TOKEN_LENGTH, link_url, links_enabled

    return link_url("x" * TOKEN_LENGTH) if links_enabled() else ""


def template_names() -> list[str]:
    folder = Path(settings.BASE_DIR) / "templates" / "sms"
    return sorted(path.stem for path in folder.glob("*.txt"))


def check_texts() -> list[str]:
    """What is wrong with any text as the settings render it ([] when nothing is).

    Each template is rendered with the longest appointment time there is (Wednesday,
    30 September, 12:45 PM) and a link as long as any (the token's length is fixed),
    so a text that fits here fits for every patient.
    """
    longest_when = spoken_time(datetime(2026, 9, 30, 16, 45, tzinfo=UTC))
    link = longest_link()
    problems = []
    for name in template_names():
        try:
            length = gsm7_length(
                " ".join(
                    render_to_string(
                        f"sms/{name}.txt",
                        {
                            **sms_context(),
                            "when": longest_when,
                            "link": link if name in LINKED_TEMPLATES else "",
                        },
                    ).split()
                )
            )
        except NotGsm7 as exc:
            problems.append(f"templates/sms/{name}.txt: {exc}")
            continue
        if length > SEGMENT_LENGTH:
            problems.append(
                f"templates/sms/{name}.txt: {length} characters, more than one SMS "
                f"({SEGMENT_LENGTH})"
            )
    return problems


def spoken_time(moment: datetime) -> str:
    """``Tue Mar 4 at 09:30`` (or ``9:30 AM``) in clinic time, on the clinic's clock
    (``CLINIC_CLOCK``, the same as its pages), whatever the server's locale."""
    local = clock.local(moment)
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return (
        f"{days[local.weekday()]} {months[local.month - 1]} {local.day} "
        f"at {clock_time(local, clock=settings.CLINIC_CLOCK)}"
    )
