"""The clinic's roles (docs/rules.md#roles) as Django groups, and what each may do."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

FRONT_DESK = "front_desk"
CLINICIAN = "clinician"
MANAGER = "manager"
ROLES = (FRONT_DESK, CLINICIAN, MANAGER)

AnyUser = AbstractBaseUser | AnonymousUser
# Who makes a change: a user, or None when the system acts (a patient's text, a sweep).
Actor = AnyUser | None


def roles_of(user: Actor) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    if getattr(user, "is_superuser", False):
        return set(ROLES)
    cached: set[str] | None = getattr(user, "_clinic_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        user._clinic_roles = cached  # type: ignore[attr-defined]
    return cached


def recorded_by(by: Actor) -> User | None:
    """Whom to store as having done it: the signed-in user, or None when the system acted."""
    return by if isinstance(by, User) and by.is_authenticated else None


def can_read(user: Actor) -> bool:
    return bool(roles_of(user))


def can_book(user: Actor) -> bool:
    """Front desk and clinicians book, move, cancel and register patients."""
    return bool(roles_of(user) & {FRONT_DESK, CLINICIAN})


def can_record_clinical(user: Actor) -> bool:
    """Only clinicians record outcomes and override safety rules."""
    return CLINICIAN in roles_of(user)


def can_manage(user: Actor) -> bool:
    return MANAGER in roles_of(user)


def primary_role(user: Actor) -> str | None:
    roles = roles_of(user)
    for role in (CLINICIAN, FRONT_DESK, MANAGER):
        if role in roles:
            return role
    return None
