"""The waitlist's pages: the patient page's card, the front desk's day page, the patient's
own link (docs/rules.md#waitlist). They ask bookings' waitlist services and reminders'
offers; no rule of the waitlist lives here.
"""
