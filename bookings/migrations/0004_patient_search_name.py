"""Patients are searched by their folded names (case and accents ignored both ways);
the audit trail also records what was done to a patient without an appointment."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from bookings.folding import search_name


def fill_search_names(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # The historical model has no custom save(), so each row is folded here.
    Patient = apps.get_model("bookings", "Patient")
    rows = Patient.objects.using(schema_editor.connection.alias).only(
        "pk", "first_name", "last_name"
    )
    batch: list[Any] = []
    for patient in rows.iterator(chunk_size=2000):
        patient.search_name = search_name(
            first_name=patient.first_name, last_name=patient.last_name
        )
        batch.append(patient)
        if len(batch) >= 2000:
            Patient.objects.bulk_update(batch, ["search_name"])
            batch = []
    Patient.objects.bulk_update(batch, ["search_name"])


# Search asks "contains" of the folded names; a trigram GIN index serves that on
# PostgreSQL at any number of patients. SQLite has no such index: it scans, which is
# fine at a single clinic's size. pg_trgm is a trusted extension (PostgreSQL 13+), so a
# database owner may create it.
TRIGRAM_INDEX = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS patient_search_name_trgm "
    "ON bookings_patient USING gin (search_name gin_trgm_ops)",
)


def add_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in TRIGRAM_INDEX:
            schema_editor.execute(statement)


def drop_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS patient_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0003_inbox_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="patient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="audit",
                to="bookings.patient",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="appointment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="audit",
                to="bookings.appointment",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("appointment__isnull", False))
                | models.Q(("patient__isnull", False)),
                name="audit_entry_is_about_something",
            ),
        ),
        migrations.AddField(
            model_name="patient",
            name="search_name",
            field=models.CharField(blank=True, db_default="", editable=False, max_length=170),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
