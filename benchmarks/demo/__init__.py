"""A believable demo clinic: staff, practitioners with hours, patients at every step.

Future appointments are booked through the booking service, so they obey every rule.
History (past exams, prescriptions and injections) is written directly, as an import
of earlier records would be, and then announced as completed so that recalls follow.
"""

from django.contrib.auth.models import User
from django.db import transaction

from benchmarks.demo.clinic import Demo, lots
from benchmarks.demo.people import STAFF, already_seeded, ensure_users, practitioners
from benchmarks.demo.waitlist import seed_waitlist
from bookings.models import Status
from scheduler.models import Kind

__all__ = ["already_seeded", "ensure_users", "seed"]


@transaction.atomic
def seed(password: str | None) -> tuple[dict[str, User], str | None, bool]:
    users, generated = ensure_users(password)
    if already_seeded():
        return users, generated, False
    staff = practitioners()
    demo = Demo(users, staff)
    demo.lot = lots(users["clinician"])
    hart, lee, megan, shah = (s.name for s in STAFF)

    # Today, around now, whatever the hour: visits that began a little earlier (check
    # in, record the outcome, or mark a no-show) and the next ones from now on.
    p = demo.patient()
    demo.earlier_today(p, "migraine", Kind.EXAM, hart, minutes_ago=30)  # arrived? check in
    p = demo.patient()
    demo.earlier_today(
        p, "frown-lines", Kind.EXAM, megan, minutes_ago=60, status=Status.CHECKED_IN
    )  # a consultation to record
    p = demo.patient()
    demo.past(p, "migraine", Kind.EXAM, 15, shah, diagnosis="Chronic migraine, 16 days/month")
    demo.past(p, "migraine", Kind.PRESCRIPTION, 14, shah)
    demo.earlier_today(
        p, "migraine", Kind.INJECTION, shah, minutes_ago=45, status=Status.CONFIRMED
    )  # an injection to record
    p = demo.patient()
    demo.earlier_today(p, "bruxism", Kind.EXAM, lee, minutes_ago=90)  # never came: no-show?

    # Tomorrow: first visits, so the next day is not empty either.
    demo.book(demo.patient(), "laugh-lines", Kind.EXAM, megan, after_days=1)
    demo.book(demo.patient(), "jaw-clenching", Kind.EXAM, lee, after_days=1)

    # Every step of the pathway.
    p = demo.patient()
    demo.book(p, "migraine", Kind.EXAM, hart, after_days=0)  # needs exam → exam booked
    p = demo.patient()
    demo.past(p, "neck-pain", Kind.EXAM, 5, shah, diagnosis="Cervical dystonia")  # needs Rx
    p = demo.patient()
    demo.past(p, "tmj", Kind.EXAM, 12, lee, diagnosis="Myofascial TMJ pain")
    demo.past(p, "tmj", Kind.PRESCRIPTION, 11, lee)  # ready to book injection
    p = demo.patient()
    demo.past(p, "migraine", Kind.EXAM, 20, shah, diagnosis="Chronic migraine, 18 days/month")
    demo.past(p, "migraine", Kind.PRESCRIPTION, 19, shah)
    demo.book(p, "migraine", Kind.INJECTION, shah)  # injection booked
    p = demo.patient()
    demo.book(p, "frown-lines", Kind.EXAM, megan, after_days=0, nearest=2)  # consultation
    p = demo.patient()
    demo.injected(p, "crows-feet", 10, megan)  # review due soon
    demo.book(p, "crows-feet", Kind.REVIEW, megan, after_days=2)

    # Recalls falling due in the coming days, one overdue, one for sweating at 6 months.
    for days_ago, code, who in (
        (80, "migraine", shah),
        (86, "forehead-lines", megan),
        (89, "bruxism", lee),
        (90, "neck-pain", hart),
        (95, "frown-lines", megan),
        (120, "trigger-points", hart),
        (178, "hyperhidrosis", shah),
    ):
        demo.injected(demo.patient(), code, days_ago, who)
    # SMS rules need these: no consent, and an opt-out.
    demo.injected(demo.patient(consent=False), "migraine", 88, shah)
    demo.injected(demo.patient(opted_out=True), "laugh-lines", 84, megan)
    # Who waits for an earlier time, and a freed time of tomorrow offered to them.
    seed_waitlist(demo, shah)
    return users, generated, True
