"""SMS dispatch (docs/performance.md): outbox rows sent by real Celery workers to a fake Twilio.

The worker processes run the real ``twilio`` client, pointed at a fake Messages endpoint
on 127.0.0.1 that notes when each message arrives. Two passes:

- one solo worker without a rate limit: its time per message, less the Twilio client's
  own round trip (measured here with the same client against the same fake), is the
  worker's overhead;
- two worker processes with ``SMS_MAX_PER_SECOND``: the rate reached, and the most
  messages the fake saw inside any one-second window.
"""

import time
from datetime import timedelta
from typing import Any

from django.test import override_settings

from benchmarks import data
from benchmarks.fake_twilio import FakeTwilio, max_in_a_clock_second, max_in_any_second
from benchmarks.processes import celery_worker, purge_queues, server_env
from benchmarks.report import Row, Timing, verdict
from benchmarks.sizes import Sizes
from reminders import gateway
from reminders.models import Message, MessageStatus
from reminders.sweeps import sweep_recalls
from scheduler import clock

SECTION = "4. SMS dispatch"
BUDGET_OVERHEAD_MS = 5.0
TWILIO = {
    "SMS_BACKEND": "twilio",
    "TWILIO_ACCOUNT_SID": "AC" + "b" * 32,
    "TWILIO_AUTH_TOKEN": "bench-auth-token",
    "TWILIO_FROM_NUMBER": "+15005550006",
    "TWILIO_MESSAGING_SERVICE_SID": "",
    "PUBLIC_BASE_URL": "https://clinic.example.org",
    "SMS_QUIET_HOURS": "",
}


def run(sizes: Sizes) -> list[Row]:
    fake = FakeTwilio()
    try:
        return _run(sizes, fake)
    finally:
        fake.close()


def _run(sizes: Sizes, fake: FakeTwilio) -> list[Row]:
    n = sizes.sms_messages
    twilio = {**TWILIO, "TWILIO_API_BASE_URL": fake.url}
    http = _client_round_trip(twilio, sizes.sms_http_samples)
    fake.clear()

    unlimited = server_env(**twilio, SMS_MAX_PER_SECOND="0")
    with celery_worker("bench-sms-solo", unlimited, pool="solo"):
        solo = _send_all(n, fake, twilio)
    per_message = solo["span_s"] * 1000 / max(1, n - 1)
    overhead = per_message - http.median

    limited = server_env(**twilio, SMS_MAX_PER_SECOND=str(sizes.sms_rate))
    with celery_worker("bench-sms-pair", limited, pool="prefork", concurrency=2):
        pair = _send_all(n, fake, twilio)
    rate = (n - 1) / pair["span_s"] if pair["span_s"] else 0.0
    sliding = max_in_any_second(pair["arrivals"])
    clock_second = max_in_a_clock_second(pair["arrivals"])
    return [
        Row(
            SECTION,
            "worker overhead per message",
            f"{n:,} messages, 1 solo worker, no rate limit",
            f"{overhead:.2f} ms (= {per_message:.2f} ms per message − {http.median:.2f} ms "
            f"Twilio client round trip); {solo['failed']} not sent",
            f"≤ {BUDGET_OVERHEAD_MS:.0f} ms",
            verdict(overhead <= BUDGET_OVERHEAD_MS and solo["failed"] == 0),
            {
                "overhead_ms": overhead,
                "per_message_ms": per_message,
                "client_round_trip": http.as_dict(),
                "not_sent": solo["failed"],
            },
        ),
        Row(
            SECTION,
            "rate vs SMS_MAX_PER_SECOND",
            f"{n:,} messages, 2 worker processes, limit {sizes.sms_rate}/s",
            f"{rate:.1f}/s achieved; max {sliding} in any 1-s window "
            f"({clock_second} in a clock second); {pair['failed']} not sent",
            f"never > {sizes.sms_rate}/s",
            verdict(sliding <= sizes.sms_rate and pair["failed"] == 0),
            {
                "achieved_per_s": rate,
                "max_sliding_1s": sliding,
                "max_clock_second": clock_second,
                "not_sent": pair["failed"],
            },
        ),
    ]


def _client_round_trip(twilio: dict[str, str], samples: int) -> Timing:
    """The real client's create call against the fake, from this process."""
    times = []
    with override_settings(**twilio):
        gateway.send(to="+14165550100", body="warm-up", message_id=0)
        for number in range(samples):
            started = time.perf_counter()
            gateway.send(to="+14165550100", body="Bench message", message_id=number + 1)
            times.append((time.perf_counter() - started) * 1000)
    return Timing(times)


def _send_all(n: int, fake: FakeTwilio, twilio: dict[str, str]) -> dict[str, Any]:
    """n recalls due, swept into the outbox and sent; returns what the fake saw."""
    today = clock.today()
    data.reset()
    data.fill_recalls(count=n, due_from=today - timedelta(days=10), due_days=10, today=today)
    purge_queues()
    fake.clear()
    # The sweep queues n rows and, once committed, puts a send task on the broker for each.
    with override_settings(SMS_DISPATCH_BATCH=n, SMS_QUIET_HOURS=twilio["SMS_QUIET_HOURS"]):
        queued = sweep_recalls(as_of=today).queued
    if queued != n:
        raise RuntimeError(f"the sweep queued {queued} SMS, not {n}")
    deadline = time.monotonic() + 120 + n / 10
    while time.monotonic() < deadline:
        if not Message.objects.filter(
            status__in=(MessageStatus.QUEUED, MessageStatus.SENDING)
        ).exists():
            break
        time.sleep(0.25)
    arrivals = sorted(fake.arrivals)
    failed = Message.objects.exclude(status=MessageStatus.SENT).count()
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
    return {"arrivals": arrivals, "span_s": span, "failed": failed}
