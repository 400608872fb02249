"""Start-up checks for reminders: every text must fit one GSM-7 SMS as configured, and
(deploy) the link throttles must count across processes.

SMS_CLINIC_NAME and CLINIC_PHONE go into every text; a name with "ô" or one too long
would make each text cost double or be refused at send time. Django runs this check
before ``runserver``, ``migrate`` and the worker's first task, so the clinic learns it
from the setting's name, not from a dashboard of failed texts.
"""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from config.production import cache_is_shared


@register()
def texts_fit_one_sms(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from reminders.texts import check_texts

    return [
        Error(
            problem,
            hint="Shorten SMS_CLINIC_NAME or CLINIC_PHONE, or use only GSM-7 characters "
            "(no accents other than é è ù ì ò à, no curly quotes or dashes).",
            id="reminders.E001",
        )
        for problem in check_texts()
    ]


@register(deploy=True)
def throttles_count_across_processes(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """The link pages' and public API's limits count in Django's cache: kept in each
    process's memory, every gunicorn worker would let a whole burst of guesses through."""
    if cache_is_shared(settings.CACHES):
        return []
    return [
        Warning(
            "The request throttles count in each process's memory: with several web "
            "processes, a burst of guesses on patient links is limited per process only.",
            hint="Set CACHE_URL to a cache every web process shares, e.g. "
            "redis://redis:6379/1 (see .env.example).",
            id="reminders.W001",
        )
    ]
