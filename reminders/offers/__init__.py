"""Filling freed time from the waitlist (docs/rules.md#waitlist).

``models`` keeps each freed time and the offers made for it; ``freeing`` records a
time freed by a cancellation or a move (a booking-event handler); ``engine`` offers it
to the entries that fit, a few at a time, and the minute sweep cascades; ``accept``
books or moves for the patient who answers first; ``figures`` counts for the dashboard.
"""
