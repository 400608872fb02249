"""The staff inbox (``/inbox/``) and the actions on replies and recalls.

Every action is a plain POST that redirects back (so it works without JavaScript);
htmx posts the same forms and swaps in just the part of the page that changed.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from bookings import roles
from bookings.errors import FieldRefused, PathwayError
from bookings.models import Patient
from bookings.phones import display_phone
from bookings.views import back_to, page, require, safe_next
from bookings.views_patients import patient_page
from reminders import inbox, replies, texts
from reminders.models import InboundAction, InboundMessage, Recall
from reminders.patient_panel import DismissForm
from reminders.recalls import dismiss_recall
from scheduler import clock


@require(roles.can_read)
def inbox_page(request: HttpRequest) -> HttpResponse:
    callbacks = inbox.list_callback_requests()
    unread = inbox.list_unread_texts()
    read = inbox.list_read_texts()
    for text in (*unread, *read):
        text.phone_display = display_phone(text.from_number)  # type: ignore[attr-defined]
    return page(
        request,
        "reminders/inbox.html",
        {
            "callbacks": [{"patient": p, "phone": display_phone(p.phone)} for p in callbacks],
            "unread": unread,
            "read": read,
            "rows_shown": inbox.ROWS_SHOWN,
        },
    )


@require(roles.can_book)
def called_back(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (a page of its own, so it works without JavaScript); records on "yes".

    The inbox and the patient page ask the same question inline; a POST without the
    answer is asked again rather than acted on.
    """
    patient = get_object_or_404(Patient, pk=pk)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return page(
            request,
            "reminders/called_back_confirm.html",
            {
                "patient": patient,
                "phone_display": display_phone(patient.phone),
                "next": safe_next(request, reverse("reminders:inbox")),
            },
        )
    if inbox.mark_called_back(patient=patient, by=request.user):
        messages.success(
            request,
            f"Call back to {patient.full_name} recorded. "
            "A mistake? Undo it on the patient's page until the end of today.",
        )
    else:
        messages.info(request, f"{patient.full_name} was already called back.")
    return back_to(request, reverse("reminders:inbox"))


@require_POST
@require(roles.can_book)
def undo_call_back(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    try:
        inbox.undo_call_back(patient=patient, by=request.user)
    except PathwayError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{patient.full_name} is waiting for a call back again.")
    return back_to(request, reverse("bookings:patient", args=[pk]))


@require_POST
@require(roles.can_book)
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    text = get_object_or_404(InboundMessage, pk=pk, action=InboundAction.OTHER)
    if inbox.mark_read(text=text, by=request.user):
        messages.success(
            request, f"Text from {text.patient or display_phone(text.from_number)} marked read."
        )
    return back_to(request, reverse("reminders:inbox"))


@require_POST
@require(roles.can_book)
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    recall = get_object_or_404(Recall.objects.select_related("patient"), pk=pk)
    patient_url = reverse("bookings:patient", args=[recall.patient_id])
    form = DismissForm(request.POST, auto_id=f"dismiss-{recall.pk}-%s")
    if form.is_valid():
        try:
            dismiss_recall(recall=recall, by=request.user, reason=form.cleaned_data["reason"])
        except FieldRefused as exc:
            form.add_error("reason", exc.message)
        except PathwayError as exc:
            messages.error(request, exc.message)
            return back_to(request, patient_url)
        else:
            messages.success(
                request, f"The {recall.get_kind_display().lower()} recall is dismissed."
            )
            return back_to(request, patient_url)
    # Shown again on the patient page, next to its recall, with what was typed.
    return patient_page(
        request,
        recall.patient,
        extra={"dismiss_form": form, "dismiss_recall_id": recall.pk},
        status=400,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=True,
        error_messages={"required": "Write a reply first."},
    )
    in_reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


@require(roles.can_read)
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=pk)
    answering = request.GET.get("reply_to", "")
    form = ReplyForm(initial={"in_reply_to": answering if answering.isdigit() else None})
    return _thread_page(request, patient, form)


def _thread_page(
    request: HttpRequest, patient: Patient, form: ReplyForm, status: int = 200
) -> HttpResponse:
    return page(
        request,
        "reminders/thread.html",
        {
            "patient": patient,
            "phone_display": display_phone(patient.phone),
            "entries": replies.get_thread(patient=patient),
            "reply_form": form,
            # After a refused POST the form stays, with the reason and what was typed.
            "cannot_reply": "" if form.is_bound else replies.reason_not_to_reply(patient),
            "limit": texts.SEGMENT_LENGTH - len(settings.SMS_CLINIC_NAME) - 2,
            "next": safe_next(request, reverse("reminders:thread", args=[patient.pk])),
        },
        status=status,
    )


@require_POST
@require(roles.can_book)
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a reply; a refusal comes back on the thread page with what was typed."""
    patient = get_object_or_404(Patient, pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        answered = InboundMessage.objects.filter(
            pk=form.cleaned_data["in_reply_to"] or 0, patient=patient
        ).first()
        try:
            message = replies.send_reply(
                patient=patient, words=form.cleaned_data["body"], by=request.user,
                in_reply_to=answered,
            )  # fmt: skip
        except replies.ReplyRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            when = clock.local(message.send_after)
            if message.send_after > clock.now():
                messages.success(
                    request,
                    f"Reply to {patient.full_name} written; it goes at {when:%H:%M} "
                    "when quiet hours end.",
                )
            else:
                messages.success(request, f"Reply to {patient.full_name} sent.")
            return back_to(request, reverse("reminders:thread", args=[pk]))
    return _thread_page(request, patient, form, status=400)
