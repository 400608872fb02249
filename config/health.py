"""GET /healthz for load balancers and compose: is this instance able to do its work?

Answers 503 naming the part that is down when the database or the broker cannot be
reached; a late beat or an SMS backlog is reported but does not take web out of
rotation, since web itself still works. No patient data, no auth.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_celery_beat.models import PeriodicTask

from config.celery import app
from reminders.models import Message, MessageStatus
from scheduler import clock

BEAT_STALE_AFTER = timedelta(minutes=15)
BROKER_TIMEOUT_SECONDS = 2


def _database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "not reachable" to a load balancer
        return type(exc).__name__
    return None


def _broker() -> str | None:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:
        return type(exc).__name__
    return None


def _beat() -> dict[str, object]:
    last = PeriodicTask.objects.filter(enabled=True).aggregate(last=Max("last_run_at"))["last"]
    if last is None:
        return {"status": "no tick yet", "last_tick_at": None}
    late = clock.now() - last > BEAT_STALE_AFTER
    return {"status": "late" if late else "ok", "last_tick_at": last.isoformat()}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    failing = {}
    if error := _database():
        failing["database"] = error
    if error := _broker():
        failing["broker"] = error
    body: dict[str, object] = {"status": "ok" if not failing else "failing", "failing": failing}
    if "database" not in failing:
        body["beat"] = _beat()
        body["sms_backlog"] = Message.objects.filter(status=MessageStatus.QUEUED).count()
    return JsonResponse(body, status=503 if failing else 200)
