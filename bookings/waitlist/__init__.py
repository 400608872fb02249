"""The waitlist: patients who want a course's next step sooner (docs/rules.md#waitlist).

``models`` holds the entry, ``entries`` writes it (add, remove, expire, offered, booked),
``read`` lists it, ``fits`` answers "who could take this freed time" with bookings'
own rules, and ``api`` serves ``/api/v1/waitlist/``.
"""
