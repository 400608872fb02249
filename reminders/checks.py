"""Start-up checks for reminders: every text must fit one GSM-7 SMS as configured.

SMS_CLINIC_NAME and CLINIC_PHONE go into every text; a name with "ô" or one too long
would make each text cost double or be refused at send time. Django runs this check
before ``runserver``, ``migrate`` and the worker's first task, so the clinic learns it
from the setting's name, not from a dashboard of failed texts.
"""

from typing import Any

from django.core.checks import Error, register


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
