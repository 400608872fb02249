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


def require_production_settings(environ: Mapping[str, str]) -> None:
    missing = missing_settings(environ)
    if missing:
        hints = dict(REQUIRED)
        described = [f"{name} ({hints[name]})" if name in hints else name for name in missing]
        raise ImproperlyConfigured(
            "Production settings missing: " + "; ".join(described) + ". See .env.example."
        )
