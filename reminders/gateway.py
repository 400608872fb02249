"""The SMS provider: the only module that imports twilio.

Backends, chosen by ``SMS_BACKEND``: ``console`` prints the text (development, demo)
and ``twilio`` sends it through the official client. Errors come back as three
kinds, because they call for three different actions:

- ``NotProcessed``: the provider did not take the message (HTTP 429 / 20429, a
  connection that never opened). Retried here with backoff, then later.
- ``Uncertain``: the request left and no clear answer came back (read timeout, 5xx).
  Twilio has no idempotency key, so a resend could text the patient twice: never
  resent automatically; a status callback may still settle it.
- ``Rejected``: a definite no (21610 unsubscribed, 21211/21614 bad number, …).
"""

import random
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import requests
from django.conf import settings
from django.urls import reverse
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

OPTED_OUT_CODES = frozenset({21610})
INVALID_NUMBER_CODES = frozenset({21211, 21614})
TOO_MANY_REQUESTS_CODES = frozenset({20429})


@dataclass(frozen=True)
class Sent:
    sid: str
    status: str


class SmsError(Exception):
    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotProcessed(SmsError):
    """Safe to send again later: the provider did not take it."""


class Uncertain(SmsError):
    """It may have gone out: do not resend."""


class Rejected(SmsError):
    """The provider refused it for good."""

    @property
    def opted_out(self) -> bool:
        return self.code in OPTED_OUT_CODES

    @property
    def invalid_number(self) -> bool:
        return self.code in INVALID_NUMBER_CODES


def status_callback_url(message_id: int) -> str:
    """Carries our id, so a callback can settle a message whose create call timed out."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{reverse('webhooks:twilio-status')}?m={message_id}" if base else ""


def _nothing_to_record() -> None:
    return None


def send(
    *, to: str, body: str, message_id: int, before_request: Callable[[], None] = _nothing_to_record
) -> Sent:
    """Send one text. ``before_request`` runs just before each request that could reach
    the provider (the caller records the hand-over; it may raise to stop the send)."""
    backend = settings.SMS_BACKEND
    if backend == "console":
        before_request()
        return _send_console(to=to, body=body)
    if backend == "twilio":
        return _send_twilio(to=to, body=body, message_id=message_id, before_request=before_request)
    raise ValueError(f"Unknown SMS_BACKEND {backend!r}: use 'console' or 'twilio'.")


def _send_console(*, to: str, body: str) -> Sent:
    sid = f"console-{uuid.uuid4().hex}"
    # Development only: printing the text is this backend's whole job.
    print(f"SMS to {to}: {body}", file=sys.stdout, flush=True)
    return Sent(sid=sid, status="sent")


class _RedirectedHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Sends the real client's requests to another host (a local fake Twilio in tests)."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base = urllib.parse.urlsplit(base_url)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        parts = urllib.parse.urlsplit(url)
        url = urllib.parse.urlunsplit(
            (self.base.scheme, self.base.netloc, parts.path, parts.query, parts.fragment)
        )
        return super().request(method, url, *args, **kwargs)


TWILIO_API = "https://api.twilio.com"


@cache
def _client(account_sid: str, auth_token: str, api_base_url: str, timeout: float) -> Client:
    # No timeout is TwilioHttpClient's default: a stalled connection would hold the worker.
    if api_base_url:
        http_client: TwilioHttpClient = _RedirectedHttpClient(api_base_url, timeout=timeout)
    else:
        http_client = TwilioHttpClient(timeout=timeout)
    _read_environment_once(http_client, api_base_url or TWILIO_API)
    return Client(account_sid, auth_token, http_client=http_client)


def _read_environment_once(http_client: TwilioHttpClient, url: str) -> None:
    """The proxy and certificate settings of the environment, read once for Twilio's host.

    requests reads them again for every request (it scans the whole environment twice,
    most of a millisecond a text); a worker's environment does not change while it runs.
    """
    session = http_client.session
    found = session.merge_environment_settings(url, {}, None, None, None)
    session.trust_env = False
    session.verify = found["verify"]
    http_client.proxy = found["proxies"]


def _send_twilio(
    *, to: str, body: str, message_id: int, before_request: Callable[[], None]
) -> Sent:
    client = _client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        settings.TWILIO_API_BASE_URL,
        settings.SMS_HTTP_TIMEOUT_SECONDS,
    )
    params: dict[str, Any] = {"to": to, "body": body}
    if settings.TWILIO_MESSAGING_SERVICE_SID:
        params["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
    else:
        params["from_"] = settings.TWILIO_FROM_NUMBER
    callback = status_callback_url(message_id)
    if callback:
        params["status_callback"] = callback

    tries = max(1, settings.SMS_SEND_TRIES)
    for attempt in range(tries):
        try:
            before_request()
            return _create(client, params)
        except NotProcessed:
            if attempt == tries - 1:
                raise
            delay = settings.SMS_RETRY_BACKOFF_SECONDS * 2**attempt
            time.sleep(delay + random.uniform(0, delay))
    raise AssertionError("unreachable")  # pragma: no cover


def _create(client: Client, params: dict[str, Any]) -> Sent:
    try:
        message = client.messages.create(**params)
    except TwilioRestException as exc:
        code = int(exc.code) if exc.code is not None else None
        text = str(exc.msg or exc)[:300]
        if exc.status == 429 or code in TOO_MANY_REQUESTS_CODES:
            raise NotProcessed(text, code=code or 20429) from exc
        if exc.status >= 500:
            raise Uncertain(text, code=code) from exc
        raise Rejected(text, code=code) from exc
    except requests.exceptions.ConnectTimeout as exc:
        raise NotProcessed(f"could not connect to Twilio: {exc}") from exc
    except requests.exceptions.ConnectionError as exc:
        if _never_connected(exc):
            raise NotProcessed(f"could not connect to Twilio: {exc}") from exc
        raise Uncertain(f"connection to Twilio broke: {exc}") from exc
    except requests.exceptions.Timeout as exc:
        raise Uncertain(f"no answer from Twilio in time: {exc}") from exc
    except ValueError as exc:
        # The request went out but the answer made no sense (not JSON): Twilio may
        # have taken the message, so it must not be sent blindly again.
        raise Uncertain(f"Twilio's answer could not be read: {exc}") from exc
    return Sent(sid=str(message.sid), status=str(message.status or "queued"))


def _never_connected(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the TCP connection never opened, so nothing reached Twilio."""
    import urllib3.exceptions

    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
    )


def signature_is_valid(*, url: str, params: Any, signature: str) -> bool:
    """Twilio signs the public URL it called plus every POST parameter (a QueryDict)."""
    token = settings.TWILIO_AUTH_TOKEN
    if not token or not signature:
        return False
    from twilio.request_validator import RequestValidator

    return bool(RequestValidator(token).validate(url, params, signature))


def twiml_reply(text: str = "") -> str:
    """A TwiML answer to an inbound SMS: one reply message, or none."""
    from twilio.twiml.messaging_response import MessagingResponse

    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)
