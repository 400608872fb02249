from django.db import migrations

from scheduler.catalogue import SEED_CATALOGUE


def seed(apps, schema_editor):
    TreatmentType = apps.get_model("scheduler", "TreatmentType")
    for row in SEED_CATALOGUE:
        TreatmentType.objects.update_or_create(
            code=row["code"],
            defaults={**row, "requires_prescription": row["category"] == "therapeutic"},
        )


def unseed(apps, schema_editor):
    TreatmentType = apps.get_model("scheduler", "TreatmentType")
    TreatmentType.objects.filter(code__in=[r["code"] for r in SEED_CATALOGUE]).delete()


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ("front_desk", "clinician", "manager"):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("scheduler", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]
