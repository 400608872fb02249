"""Production refuses to start half-configured, and says which setting is missing."""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

REQUIRED = (
    ("DJANGO_SECRET_KEY", "a long random string"),
    ("DJANGO_ALLOWED_HOSTS", "the host names the site answers to"),
    ("DATABASE_URL", "postgres://user:password@host:5432/clinic"),
)


def missing_settings(environ: Mapping[str, str]) -> list[str]:
    """What a production start (DJANGO_DEBUG false) still needs, by name."""
    missing = [name for name, _ in REQUIRED if not environ.get(name, "").strip()]
    if not (environ.get("REDIS_URL") or environ.get("CELERY_BROKER_URL")):
        missing.append("REDIS_URL (or CELERY_BROKER_URL)")
    return missing


def missing_twilio_settings(environ: Mapping[str, str]) -> list[str]:
    """What SMS_BACKEND=twilio needs, in development as in production."""
    if environ.get("SMS_BACKEND", "console") != "twilio":
        return []
    needed = {
        "TWILIO_ACCOUNT_SID": environ.get("TWILIO_ACCOUNT_SID"),
        "TWILIO_AUTH_TOKEN": environ.get("TWILIO_AUTH_TOKEN"),
        "TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER": (
            environ.get("TWILIO_MESSAGING_SERVICE_SID") or environ.get("TWILIO_FROM_NUMBER")
        ),
        "PUBLIC_BASE_URL": environ.get("PUBLIC_BASE_URL"),
    }
    return [name for name, value in needed.items() if not (value or "").strip()]


def require_sms_settings(environ: Mapping[str, str]) -> None:
    missing = missing_twilio_settings(environ)
    if missing:
        raise ImproperlyConfigured(f"SMS_BACKEND=twilio needs {', '.join(missing)}.")


def require_production_settings(environ: Mapping[str, str]) -> None:
    missing = missing_settings(environ)
    if missing:
        hints = dict(REQUIRED)
        described = [f"{name} ({hints[name]})" if name in hints else name for name in missing]
        raise ImproperlyConfigured(
            "Production settings missing: " + "; ".join(described) + ". See .env.example."
        )


def cache_is_shared(caches: Mapping[str, Mapping[str, object]]) -> bool:
    """The throttles' cache is one store for every web process (not each one's memory)."""
    backend = str(caches.get("default", {}).get("BACKEND", ""))
    return not backend.endswith(("locmem.LocMemCache", "dummy.DummyCache"))
