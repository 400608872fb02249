"""A patient is never in two live appointments at once, with any practitioners.

Like the practitioner rule (0002), PostgreSQL enforces it with an exclusion constraint
and other databases rely on the booking service's check. Rows booked before this rule
may already clash; the constraint cannot be added over them, so the migration stops and
names them for staff to move or cancel rather than changing appointments itself.
"""

from django.db import migrations

# Live: booked, confirmed, checked in or completed (cancelled and no-show free the time).
CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_appointment ADD CONSTRAINT appointment_patient_no_overlap
    EXCLUDE USING gist (patient_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
    WHERE (status IN ('booked', 'confirmed', 'checked_in', 'completed'));
"""
DROP = "ALTER TABLE bookings_appointment DROP CONSTRAINT IF EXISTS appointment_patient_no_overlap;"
CLASHES = """
SELECT a.id, b.id FROM bookings_appointment a
JOIN bookings_appointment b
  ON a.patient_id = b.patient_id AND a.id < b.id
 AND a.start_at < b.end_at AND b.start_at < a.end_at
WHERE a.status IN ('booked', 'confirmed', 'checked_in', 'completed')
  AND b.status IN ('booked', 'confirmed', 'checked_in', 'completed')
ORDER BY a.id, b.id
LIMIT 20;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CLASHES)
        clashes = cursor.fetchall()
    if clashes:
        pairs = ", ".join(f"{a} and {b}" for a, b in clashes)
        raise RuntimeError(
            "Some patients have two appointments at the same time (appointment ids "
            f"{pairs}). Move or cancel one of each pair, then migrate again."
        )
    schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0004_patient_search_name")]

    operations = [migrations.RunPython(forwards, backwards)]
