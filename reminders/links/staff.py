"""Staff send a recall's booking link by text from the patient page.

The text is the recall's own (templates/sms/recall_due.txt or review.txt) and waits in
the outbox like any recall text: consent, quiet hours and the patient's budget apply,
and the link is made when it is sent. Each one gets its own stage (``link1``,
``link2``…), so the outbox's one-text-per-recall-stage key never refuses a new one.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from bookings import roles
from bookings.errors import PathwayError
from bookings.views import back_to, require
from reminders import eligibility, texts
from reminders.links import access
from reminders.links.tokens import links_enabled
from reminders.models import Message, MessageStatus, Purpose, Recall, RecallKind
from reminders.sending import first_allowed_at
from scheduler import clock


def queue_recall_link(*, recall: Recall) -> Message:
    """Queue the recall's text with its link; refused in words when it cannot go."""
    if not links_enabled():
        raise PathwayError("links_not_configured", "Links need PUBLIC_BASE_URL to be set.")
    if not recall.is_open:
        raise PathwayError("recall_closed", "This recall is closed: there is nothing to book.")
    patient = recall.patient
    reason = eligibility.reason_patient_not_texted(patient)
    if reason:
        raise PathwayError("cannot_text", "This patient cannot be texted: " + reason + ".")
    if not access.can_verify(patient=patient):
        raise PathwayError("no_date_of_birth", access.NO_DATE_OF_BIRTH)
    purpose = Purpose.REVIEW if recall.kind == RecallKind.REVIEW else Purpose.RECALL_DUE
    body = texts.render(purpose.value, **texts.link_context(purpose.value))
    sent_before = Message.objects.filter(recall=recall, stage__startswith="link").count()
    for n in range(sent_before + 1, sent_before + 4):
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    patient=patient,
                    to=patient.phone,
                    body=body,
                    purpose=purpose,
                    recall=recall,
                    stage=f"link{n}",
                    status=MessageStatus.QUEUED,
                    send_after=first_allowed_at(clock.now()),
                )
        except IntegrityError:  # another click took this stage a moment ago
            continue
        from reminders.sweeps import dispatch_due_messages

        transaction.on_commit(dispatch_due_messages)
        return message
    raise PathwayError("link_just_sent", "A link was just sent.")


@require_POST
@require(roles.can_book)
def send_recall_link(request: HttpRequest, pk: int) -> HttpResponse:
    recall = get_object_or_404(Recall.objects.select_related("patient"), pk=pk)
    try:
        queue_recall_link(recall=recall)
    except PathwayError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The booking link is on its way by text.")
    return back_to(request, reverse("bookings:patient", args=[recall.patient_id]))
