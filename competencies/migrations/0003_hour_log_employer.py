"""Hour logs carry their apprenticeship's employer (filled from it), indexed for employer staff's
list, and held equal to the apprenticeship's by a reference to (apprenticeship, employer)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# PostgreSQL only: the quick start's SQLite cannot add a composite reference to a table.
EMPLOYER_IS_APPRENTICESHIPS = """
ALTER TABLE competencies_hourlog ADD CONSTRAINT hour_log_employer_is_apprenticeships
    FOREIGN KEY (apprenticeship_id, employer_id)
    REFERENCES apprenticeships_apprenticeship (id, employer_id)
"""


def fill_employer(apps, schema_editor):
    HourLog = apps.get_model("competencies", "HourLog")
    Apprenticeship = apps.get_model("apprenticeships", "Apprenticeship")
    HourLog.objects.update(
        employer_id=models.Subquery(
            Apprenticeship.objects.filter(pk=models.OuterRef("apprenticeship_id")).values("employer_id")[:1]
        )
    )


def add_reference(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EMPLOYER_IS_APPRENTICESHIPS)


def drop_reference(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE competencies_hourlog DROP CONSTRAINT hour_log_employer_is_apprenticeships")


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0008_hour_log_employer"),
        ("competencies", "0002_hour_log_recent_index"),
        ("sponsors", "0002_employer_journeyworkers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalhourlog",
            name="employer",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="sponsors.employer",
            ),
        ),
        migrations.AddField(
            model_name="hourlog",
            name="employer",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sponsors.employer"
            ),
        ),
        migrations.RunPython(fill_employer, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="hourlog",
            name="employer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sponsors.employer"
            ),
        ),
        migrations.AddIndex(
            model_name="hourlog",
            index=models.Index(fields=["employer", "-date", "-created_at"], name="hour_log_employer_recent"),
        ),
        migrations.RunPython(add_reference, drop_reference),
    ]
