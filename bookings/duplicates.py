"""Is this patient already registered? Same name and date of birth, or the same phone.

Asked before registering: a second record splits a patient's courses, so the dose and
interval rules would no longer see all their injections. Names are compared folded (``bookings.folding``), so "Cote" finds "Côté".
"""

from datetime import date

from django.db.models import Q

from bookings.folding import search_name
from bookings.models import Patient

MAX_SHOWN = 5


def list_possible_duplicates(
    *, first_name: str, last_name: str, date_of_birth: date | None, phone: str
) -> list[Patient]:
    """Patients who may be the same person; one query. ``phone`` is E.164."""
    same = Q(phone=phone) if phone else Q(pk__in=[])
    if date_of_birth is not None:
        name = search_name(first_name=first_name, last_name=last_name)
        same |= Q(search_name=name, date_of_birth=date_of_birth)
    return list(Patient.objects.filter(same).order_by("last_name", "first_name", "pk")[:MAX_SHOWN])
