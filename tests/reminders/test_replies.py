"""Staff replies: what the text says and when it is refused (pages: tests/web)."""

import pytest

from reminders import replies
from reminders.models import InboundAction, InboundMessage

from .test_webhooks import INBOUND, post_signed

pytestmark = pytest.mark.django_db


def test_a_reply_is_the_clinics_name_then_the_staff_words_on_one_line(settings):
    settings.SMS_CLINIC_NAME = "Lakeshore Clinic"
    assert replies.compose_reply(words="  Yes,\n 4 pm is fine. ") == (
        "Lakeshore Clinic: Yes, 4 pm is fine."
    )


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("", "reply_empty"),
        ("   \n ", "reply_empty"),
        ("x" * 150, "reply_too_long"),
        ("See you at 4 \u2013 thanks", "reply_not_gsm7"),
        ("Great \U0001f600", "reply_not_gsm7"),
    ],
)
def test_an_empty_too_long_or_non_gsm7_reply_is_refused_with_plain_words(words, code):
    with pytest.raises(replies.ReplyRefused) as refused:
        replies.compose_reply(words=words)
    assert refused.value.code == code
    assert refused.value.field == "body"
    assert code not in refused.value.message


def test_a_reply_that_just_fits_in_one_text_is_accepted(settings):
    settings.SMS_CLINIC_NAME = "Lakeshore Clinic"
    words = "y" * (160 - len("Lakeshore Clinic: "))
    assert len(replies.compose_reply(words=words)) == 160


def test_a_text_from_an_unknown_number_is_kept_for_staff_and_answered_200(client, sms_settings):
    params = {"MessageSid": "SM" + "4" * 32, "From": "+14165559876", "Body": "Who is this?"}
    assert post_signed(client, INBOUND, params).status_code == 200
    kept = InboundMessage.objects.get()
    assert (kept.patient, kept.action, kept.body) == (None, InboundAction.OTHER, "Who is this?")
