"""The clinic's roles (docs/rules.md#roles) as Django groups, and what each may do."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

FRONT_DESK = "front_desk"
CLINICIAN = "clinician"
MANAGER = "manager"
ROLES = (FRONT_DESK, CLINICIAN, MANAGER)

AnyUser = AbstractBaseUser | AnonymousUser


def roles_of(user: AnyUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    if getattr(user, "is_superuser", False):
        return set(ROLES)
    cached: set[str] | None = getattr(user, "_clinic_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        user._clinic_roles = cached  # type: ignore[attr-defined]
    return cached


def can_read(user: AnyUser) -> bool:
    return bool(roles_of(user))


def can_book(user: AnyUser) -> bool:
    """Front desk and clinicians book, move, cancel and register patients."""
    return bool(roles_of(user) & {FRONT_DESK, CLINICIAN})


def can_record_clinical(user: AnyUser) -> bool:
    """Only clinicians record outcomes and override safety rules."""
    return CLINICIAN in roles_of(user)


def can_manage(user: AnyUser) -> bool:
    return MANAGER in roles_of(user)


def primary_role(user: AnyUser) -> str | None:
    roles = roles_of(user)
    for role in (CLINICIAN, FRONT_DESK, MANAGER):
        if role in roles:
            return role
    return None
