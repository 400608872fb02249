"""Phone numbers never wrap mid-number: every page shows them in a no-wrap element."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from reminders.models import InboundAction
from scheduler import clock
from tests.clock import in_march
from tests.factories import InboundMessageFactory

pytestmark = pytest.mark.django_db
SHOWN = "+1 416-555-0123"


def phones_outside_nowrap(page: str) -> list[str]:
    """The shown numbers whose enclosing element is not marked class="phone"."""
    bad = []
    for found in re.finditer(re.escape(SHOWN), page):
        opening = page[: found.start()].rsplit("<", 1)[-1]
        if not re.search(r'class="[^"]*\bphone\b', opening):
            bad.append(page[max(0, found.start() - 80) : found.end()])
    return bad


def test_the_stylesheet_keeps_a_phone_on_one_line():
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    assert re.search(r"\.phone\b[^{]*\{[^}]*white-space:\s*nowrap", css)


def test_every_page_showing_a_phone_keeps_it_on_one_line(client_for, patient, book, frozen):
    appointment = book(patient, "exam", in_march(2, 9))
    patient.callback_requested_at = clock.now()
    patient.save()
    InboundMessageFactory(patient=patient, body="Call me", action=InboundAction.OTHER)
    client = client_for("front_desk")
    pages = {
        "patient": f"/patients/{patient.pk}/",
        "search": "/patients/?q=lopez",
        "appointment": f"/appointments/{appointment.pk}/",
        "booking": f"/book/?patient={patient.pk}",
        "inbox": "/inbox/",
        "call back question": f"/inbox/call-backs/{patient.pk}/done/",
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert SHOWN in page, name
        assert phones_outside_nowrap(page) == [], name
