"""What a patient's text asks for: a pure reading of the words, no database.

Since the 2024 revocation rules a patient may withdraw consent in any reasonable way,
so beside the keywords (STOP, REVOKE, OPT OUT…) a plain request such as "stop texting
me" or "no more texts" opts the number out too (docs/rules.md#texts). Case, spaces and
punctuation never matter: "Stop!", " s t o p " and "opt-out" are read the same. A
keyword inside a longer sentence ("please stop by the pharmacy") is not one: such a
text goes to staff, who can act on it.
"""

import re
from enum import StrEnum


class Intent(StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"
    CONFIRM = "confirm"
    CALLBACK = "callback"
    OTHER = "other"


# The provider's own opt-out words: it blocks the number and confirms by itself, so we
# must not send a second confirmation.
PROVIDER_OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_OUT_WORDS = PROVIDER_OPT_OUT_WORDS | {"REVOKE", "OPTOUT"}
# YES is one of the provider's own opt-in words: mirror its block list, whatever we reply.
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES", "OPTIN"})
HELP_WORDS = frozenset({"HELP", "INFO"})
CONFIRM_WORDS = frozenset({"C", "CONFIRM"})
CALLBACK_WORDS = frozenset({"R"})

# A whole text that is one of these (after normalising) is a request to stop.
STOP_PHRASES = frozenset(
    {
        "PLEASE STOP",
        "STOP PLEASE",
        "STOP IT",
        "STOP NOW",
        "STOP ALL",
        "STOP THIS",
        "STOP THAT",
        "OPT ME OUT",
        "UNSUBSCRIBE ME",
        "REMOVE ME",
        "PLEASE REMOVE ME",
        "LEAVE ME ALONE",
    }
)
# A text containing one of these anywhere is a request to stop ("hi, please stop
# texting me, thanks" included): each names texting itself, so it cannot mean
# anything else.
_TEXTING = r"(?:TEXT|TEXTS|TEXTING|MESSAGE|MESSAGES|MESSAGING|MSGS?|SMS|SMSES|REMINDERS?)"
STOP_REQUESTS = re.compile(
    r"\b(?:"
    rf"(?:STOP|QUIT|CEASE|END)\s+(?:SENDING\s+(?:ME\s+)?)?(?:ALL\s+)?(?:THESE\s+|THE\s+|YOUR\s+)?{_TEXTING}"
    rf"|NO\s+MORE\s+{_TEXTING}"
    r"|(?:DONT|DO\s+NOT|NEVER)\s+(?:TEXT|MESSAGE|SMS|CONTACT)\s+ME"
    rf"|(?:DONT|DO\s+NOT)\s+WANT\s+(?:ANY\s+)?(?:MORE\s+)?(?:YOUR\s+|THESE\s+)?{_TEXTING}"
    r"|(?:REMOVE|TAKE)\s+(?:ME|MY\s+NUMBER)\s+(?:OFF|FROM)"
    r"|UNSUBSCRIBE\s+ME"
    r"|OPT\s+ME\s+OUT"
    r")\b"
)


def normalise(body: str) -> str:
    """Upper case, apostrophes dropped ("don't" → DONT), other punctuation made a space."""
    text = body.upper().replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^0-9A-Z]+", " ", text).split())


def read_intent(body: str) -> Intent:
    """What this text asks for; ``Intent.OTHER`` when it is a message for staff."""
    words = normalise(body)
    compact = words.replace(" ", "")
    if compact in OPT_OUT_WORDS or words in STOP_PHRASES or STOP_REQUESTS.search(words):
        return Intent.OPT_OUT
    if compact in OPT_IN_WORDS:
        return Intent.OPT_IN
    if compact in HELP_WORDS:
        return Intent.HELP
    if compact in CONFIRM_WORDS:
        return Intent.CONFIRM
    if compact in CALLBACK_WORDS:
        return Intent.CALLBACK
    return Intent.OTHER


def provider_confirms_opt_out(body: str) -> bool:
    """The provider answered this opt-out itself (one of its own words)."""
    return normalise(body).replace(" ", "") in PROVIDER_OPT_OUT_WORDS
