"""Phone numbers: whatever staff type, stored as E.164 so SMS reaches the patient."""

import phonenumbers
from django.conf import settings


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str, region: str | None = None) -> str:
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("Enter a phone number.")
    try:
        number = phonenumbers.parse(text, region or settings.CLINIC_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"“{text}” is not a phone number.") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(
            f"“{text}” is not a valid phone number. Include the area code, "
            "or start with + and the country code."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
