"""Factories for the clinic's rows. Treatment types come from the seeded catalogue."""

from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from bookings.models import Appointment, Course, Patient, Prescription, Status
from reminders.models import (
    InboundAction,
    InboundMessage,
    Message,
    MessageStatus,
    Recall,
    RecallKind,
)
from scheduler import clock
from scheduler.clock import local_date
from scheduler.models import Kind, Lot, Practitioner, Role, TreatmentType, WorkingHours

T = TypeVar("T")


class ModelFactory(factory.django.DjangoModelFactory[T]):
    """A factory whose call is typed as the row it makes, so the tests are type-checked."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy's metaclass returns the created row; its own ``__new__`` is untyped.
        def __new__(cls, *args: Any, **kwargs: Any) -> T: ...  # type: ignore[misc]


def treatment(code: str) -> TreatmentType:
    return TreatmentType.objects.get(code=code)


def _set_password(user: User, password: str | None) -> None:
    user.set_password(password or "pw-for-tests-1")
    user.save()


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    password = factory.PostGeneration(
        lambda user, create, extracted, **kw: _set_password(user, extracted)
    )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))


class PatientFactory(ModelFactory[Patient]):
    class Meta:
        model = Patient

    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = "Example"
    # As for nearly every real patient: a link's identity check needs it.
    date_of_birth = date(1980, 5, 17)
    phone = factory.Sequence(lambda n: f"+1416555{n % 10000:04d}")
    sms_consent = True
    sms_consent_source = "front_desk"
    sms_consent_at = factory.LazyFunction(timezone.now)


def _hours(practitioner: Practitioner, hours: Any) -> None:
    """Weekdays 09:00–17:00 unless given ``(weekdays, start, end)``."""
    weekdays, start, end = hours or (range(5), time(9), time(17))
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=practitioner, weekday=d, start_time=start, end_time=end)
        for d in weekdays
    )


class PractitionerFactory(ModelFactory[Practitioner]):
    """Qualified for everything and working Mon–Fri 09:00–17:00 unless told otherwise."""

    class Meta:
        model = Practitioner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Dr. Practitioner {n}")
    role = Role.PHYSICIAN
    can_examine = True
    can_prescribe = True
    can_inject = True

    @factory.post_generation
    def treatment_types(self, create, extracted, **kwargs):
        codes = extracted if extracted is not None else None
        qs = (
            TreatmentType.objects.all()
            if codes is None
            else TreatmentType.objects.filter(code__in=codes)
        )
        self.treatment_types.set(qs)

    hours = factory.PostGeneration(
        lambda practitioner, create, extracted, **kw: _hours(practitioner, extracted)
    )


def course_for(patient: Patient, code: str) -> Course:
    return Course.objects.get_or_create(patient=patient, treatment_type=treatment(code))[0]


class AppointmentFactory(ModelFactory[Appointment]):
    """A row written straight to the table, for history the rules must see.

    It skips the booking service on purpose (past visits, given injections); the
    service's own behaviour is tested through the service and the API.
    """

    class Meta:
        model = Appointment
        exclude = ("treatment_code", "minutes")

    treatment_code = "migraine"
    minutes = 30
    patient = factory.SubFactory(PatientFactory)
    practitioner = factory.SubFactory(PractitionerFactory)
    course = factory.LazyAttribute(lambda o: course_for(o.patient, o.treatment_code))
    kind = Kind.EXAM
    start_at = factory.LazyFunction(timezone.now)
    end_at = factory.LazyAttribute(lambda o: o.start_at + timedelta(minutes=o.minutes))
    status = Status.BOOKED


class PrescriptionFactory(ModelFactory[Prescription]):
    """A written prescription, with the completed prescription visit it came from."""

    class Meta:
        model = Prescription

    course = factory.LazyAttribute(lambda o: o.appointment.course)
    appointment = factory.SubFactory(
        AppointmentFactory, kind=Kind.PRESCRIPTION, status=Status.COMPLETED, minutes=15
    )
    units_per_session = 155
    sessions = 4
    written_on = factory.LazyAttribute(lambda o: local_date(o.appointment.start_at))
    valid_until = factory.LazyAttribute(lambda o: o.written_on + timedelta(days=365))


class LotFactory(ModelFactory[Lot]):
    """A lot of 100-unit vials that keeps well past the tests' dates."""

    class Meta:
        model = Lot
        django_get_or_create = ("product", "lot_number")

    product = "Botox"
    lot_number = factory.Sequence(lambda n: f"C{3709 + n}")
    expires_on = date(2030, 12, 31)
    vials_received = 10
    units_per_vial = 100


class RecallFactory(ModelFactory[Recall]):
    """A reinjection recall of the course of its source injection, due ten days from today.

    Give ``source_appointment`` (a given injection) to tie it to real history; the
    course and treatment follow from it.
    """

    class Meta:
        model = Recall

    patient = factory.SubFactory(PatientFactory)
    source_appointment = factory.SubFactory(
        AppointmentFactory,
        patient=factory.SelfAttribute("..patient"),
        kind=Kind.INJECTION,
        status=Status.COMPLETED,
    )
    course = factory.LazyAttribute(lambda o: o.source_appointment.course)
    treatment_type = factory.LazyAttribute(lambda o: o.course.treatment_type)
    kind = RecallKind.REINJECTION
    due_on = factory.LazyFunction(lambda: clock.today() + timedelta(days=10))
    last_injection_on = factory.LazyAttribute(lambda o: o.due_on - timedelta(days=90))


class MessageFactory(ModelFactory[Message]):
    """A recall text waiting in the outbox, to go now."""

    class Meta:
        model = Message

    patient = factory.SubFactory(PatientFactory)
    to = factory.LazyAttribute(lambda o: o.patient.phone)
    body = "Lakeshore Clinic: you are now due. Reply STOP to opt out."
    purpose = "recall_due"
    send_after = factory.LazyFunction(clock.now)
    status = MessageStatus.QUEUED


class InboundMessageFactory(ModelFactory[InboundMessage]):
    """A text a patient sent, matched to them by their phone: a plain reply unless told."""

    class Meta:
        model = InboundMessage

    patient = factory.SubFactory(PatientFactory)
    from_number = factory.LazyAttribute(lambda o: o.patient.phone if o.patient else "+14165550100")
    body = "See you soon"
    action = InboundAction.OTHER
