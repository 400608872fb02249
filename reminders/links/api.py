"""The link's JSON API, /api/public/v1/links/<token>/, for the clinic's own website.

The same flow as the pages (verify, slots, book; confirm, cancel, move) and the same
selectors and services underneath. A verified visit is a bearer value
(``Authorization: Bearer <session>``) that names its link and lasts 30 minutes.
Answers: unknown token 401, another link's session 403, an ended link 410, a locked
one 429 (docs/rules.md#patient-links); none of them carries personal data.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bookings.errors import PathwayError
from bookings.models import Appointment
from reminders.links import access, actions, offer
from reminders.links.tokens import find_link
from reminders.links.wording import refusal_for_patient
from reminders.models import Link, LinkPurpose
from scheduler import clock
from scheduler.models import Practitioner


class Refused(Exception):
    def __init__(self, status_code: int, code: str, detail: str) -> None:
        self.status_code, self.code, self.detail = status_code, code, detail


def _clinic() -> dict[str, str]:
    return {"name": settings.CLINIC_NAME, "phone": settings.CLINIC_PHONE}


def _refusal(exc: Refused) -> Response:
    return Response(
        {"code": exc.code, "detail": exc.detail, "clinic": _clinic()}, status=exc.status_code
    )


def _bearer(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


_V = TypeVar("_V", bound=Callable[..., Any])

# The session from verify/, sent back on every step that needs a verified patient.
SESSION_HEADER = OpenApiParameter("Authorization", str, OpenApiParameter.HEADER)


def with_session(
    operation_id: str, *, parameters: Sequence[Any] = (), **schema: Any
) -> Callable[[_V], _V]:
    """The schema of a step that needs a verified patient: the session header comes with it."""
    return extend_schema(
        operation_id=operation_id, parameters=[*parameters, SESSION_HEADER], **schema
    )


def open_link(token: str, *, request: Request | None = None, verified: bool = False) -> Link:
    """The link, or a Refused that says only what the caller may know."""
    link = find_link(token)
    if link is None:
        raise Refused(401, "link_invalid", "This link does not work. Please call the clinic.")
    state = access.link_state(link=link, now=clock.now())
    if state == access.LinkState.ENDED:
        raise Refused(410, "link_ended", "This link has ended. Please call the clinic.")
    if state == access.LinkState.LOCKED:
        raise Refused(429, "link_locked", "This link is paused for an hour. Please call us.")
    if verified and request is not None:
        session = _bearer(request)
        if not session:
            raise Refused(401, "not_verified", "Please give the date of birth first.")
        if not access.visit_is_valid(link=link, visit=session):
            other = access.session_link_id(visit=session)
            if other is not None and other != link.pk:
                raise Refused(403, "wrong_link", "This session is for another link.")
            raise Refused(401, "not_verified", "Please give the date of birth again.")
    return link


class PractitionerOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AppointmentOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    start = serializers.DateTimeField(source="start_at")
    end = serializers.DateTimeField(source="end_at")
    status = serializers.CharField()
    practitioner = PractitionerOut()


class ClinicOut(serializers.Serializer[Any]):
    name = serializers.CharField()
    phone = serializers.CharField()


class LinkOut(serializers.Serializer[Any]):
    verified = serializers.BooleanField()
    clinic = ClinicOut()
    kind = serializers.ChoiceField(choices=LinkPurpose.choices, required=False)
    patient = serializers.DictField(child=serializers.CharField(), required=False)
    appointment = AppointmentOut(required=False, allow_null=True)
    can_book = serializers.BooleanField(required=False)
    can_cancel = serializers.BooleanField(required=False)
    reason = serializers.CharField(required=False)


class VerifyIn(serializers.Serializer[Any]):
    date_of_birth = serializers.DateField()


class SessionOut(serializers.Serializer[Any]):
    session = serializers.CharField()
    expires_in = serializers.IntegerField()


class StartIn(serializers.Serializer[Any]):
    practitioner = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    start = serializers.DateTimeField()


class SlotOut(serializers.Serializer[Any]):
    practitioner = PractitionerOut()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class SlotsQuery(serializers.Serializer[Any]):
    from_ = serializers.DateField(required=False)
    to = serializers.DateField(required=False)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


def _appointment_json(appointment: Appointment | None) -> dict[str, Any] | None:
    if appointment is None:
        return None
    return dict(AppointmentOut(appointment).data)


def _slots_json(pairs: list[tuple[Practitioner, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "practitioner": {"id": p.pk, "name": p.name},
            "start": clock.local(slot.start_at).isoformat(),
            "end": clock.local(slot.end_at).isoformat(),
        }
        for p, slot in pairs
    ]


class LinkView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "patient_link"

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Refused):
            return _refusal(exc)
        return super().handle_exception(exc)


class LinkDetail(LinkView):
    @with_session("public_link_retrieve", responses={200: LinkOut})
    def get(self, request: Request, token: str) -> Response:
        link = open_link(token)
        session = _bearer(request)
        if not session or not access.visit_is_valid(link=link, visit=session):
            return Response({"verified": False, "clinic": _clinic()})
        what = offer.get_offer(link=link)
        appointment = offer.moving_visit(link)
        return Response(
            {
                "verified": True,
                "clinic": _clinic(),
                "kind": link.purpose,
                "patient": {"first_name": link.patient.first_name},
                "appointment": _appointment_json(appointment),
                "can_book": what.can_book,
                "can_cancel": appointment is not None
                and offer.can_self_cancel(appointment=appointment),
                "reason": what.reason,
            }
        )


class LinkVerify(LinkView):
    throttle_scope = "patient_link_verify"

    @extend_schema(operation_id="public_link_verify", request=VerifyIn, responses={200: SessionOut})
    def post(self, request: Request, token: str) -> Response:
        link = open_link(token)
        if not access.can_verify(patient=link.patient):
            raise Refused(
                403,
                "no_date_of_birth",
                "We cannot check it is you online: we have no date of birth on file. "
                "Please call us.",
            )
        data = VerifyIn(data=request.data)
        data.is_valid(raise_exception=True)
        answer = access.check_date_of_birth(
            link=link, date_of_birth=data.validated_data["date_of_birth"]
        )
        if answer.locked:
            raise Refused(429, "link_locked", "This link is paused for an hour. Please call us.")
        if not answer.verified:
            raise Refused(400, "wrong_answer", "That date does not match our records.")
        return Response(
            {
                "session": access.open_visit(link=link),
                "expires_in": int(access.VISIT.total_seconds()),
            }
        )


class LinkSlots(LinkView):
    @with_session("public_link_slots", parameters=[SlotsQuery], responses={200: SlotOut(many=True)})
    def get(self, request: Request, token: str) -> Response:
        link = open_link(token, request=request, verified=True)
        query = SlotsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        what = offer.get_offer(link=link)
        starts = offer.list_offered_starts(
            link=link,
            offer=what,
            first=query.validated_data.get("from"),
            last=query.validated_data.get("to"),
        )
        return Response(_slots_json(starts))


def _refused_with_next(link: Link, exc: PathwayError, after: Any) -> Response:
    what = offer.get_offer(link=link)
    nearby = offer.list_next_starts(link=link, offer=what, after=after)
    return Response(
        {
            "code": exc.code,
            "detail": refusal_for_patient(exc.code, exc.message),
            "next": _slots_json(nearby),
        },
        status=exc.status if exc.status in (400, 409) else 400,
    )


class LinkBook(LinkView):
    @with_session("public_link_book", request=StartIn, responses={201: AppointmentOut})
    def post(self, request: Request, token: str) -> Response:
        link, chosen = _chosen_start(
            request, token, (LinkPurpose.RECALL, LinkPurpose.OFFER), "changes a visit: use move"
        )
        what = offer.get_offer(link=link)
        start_at = chosen["start"]
        try:
            practitioner = _practitioner(chosen["practitioner"])
            appointment = actions.book_from_link(
                link=link, offer=what, practitioner=practitioner, start_at=start_at
            )
        except PathwayError as exc:
            return _refused_with_next(link, exc, start_at)
        return Response(_appointment_json(appointment), status=status.HTTP_201_CREATED)


def _chosen_start(
    request: Request, token: str, purposes: tuple[str, ...], wrong: str
) -> tuple[Link, dict[str, Any]]:
    """The verified link and the start it chose; a link of another kind is refused, the
    refusal saying what this link ``wrong`` does instead."""
    link = open_link(token, request=request, verified=True)
    if link.purpose not in purposes:
        raise Refused(400, "wrong_link_kind", f"This link {wrong}.")
    data = StartIn(data=request.data)
    data.is_valid(raise_exception=True)
    return link, data.validated_data


def _practitioner(pk: int) -> Practitioner:
    practitioner = Practitioner.objects.filter(pk=pk).first()
    if practitioner is None:
        raise PathwayError("not_offered", "Please choose one of the times offered.")
    return practitioner


class LinkMove(LinkView):
    @with_session("public_link_move", request=StartIn, responses={200: AppointmentOut})
    def post(self, request: Request, token: str) -> Response:
        link, chosen = _chosen_start(
            request, token, (LinkPurpose.APPOINTMENT,), "books a visit: use book"
        )
        start_at = chosen["start"]
        try:
            appointment = actions.move_from_link(
                link=link,
                practitioner=_practitioner(chosen["practitioner"]),
                start_at=start_at,
            )
        except PathwayError as exc:
            return _refused_with_next(link, exc, start_at)
        return Response(_appointment_json(appointment))


class _AppointmentAction(LinkView):
    def act(self, request: Request, token: str, *, cancel: bool) -> Response:
        link = open_link(token, request=request, verified=True)
        if link.purpose != LinkPurpose.APPOINTMENT:
            raise Refused(400, "wrong_link_kind", "This link has no visit to change.")
        try:
            if cancel:
                appointment = actions.cancel_from_link(link=link)
            else:
                appointment = actions.confirm_from_link(link=link)
        except PathwayError as exc:
            raise Refused(400, exc.code, exc.message) from exc
        return Response(_appointment_json(appointment))


class LinkConfirm(_AppointmentAction):
    @with_session("public_link_confirm", request=None, responses={200: AppointmentOut})
    def post(self, request: Request, token: str) -> Response:
        return self.act(request, token, cancel=False)


class LinkCancel(_AppointmentAction):
    @with_session("public_link_cancel", request=None, responses={200: AppointmentOut})
    def post(self, request: Request, token: str) -> Response:
        return self.act(request, token, cancel=True)
