"""Running totals copy their apprenticeship's program, employer and status (the sponsor's numbers
add them up alone), filled from the apprenticeships, a row made for any apprenticeship without
one, and held equal to the apprenticeship's by a reference checked at commit."""

import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL only: the quick start's SQLite cannot add a composite reference to a table. Checked
# at commit, so that a status change may write the apprenticeship and its totals in either order.
COPY_IS_APPRENTICESHIPS = """
ALTER TABLE apprenticeships_hourtotals ADD CONSTRAINT hour_totals_copy_is_apprenticeships
    FOREIGN KEY (apprenticeship_id, program_id, employer_id, status)
    REFERENCES apprenticeships_apprenticeship (id, program_id, employer_id, status)
    DEFERRABLE INITIALLY DEFERRED
"""


def fill_copy(apps, schema_editor):
    Apprenticeship = apps.get_model("apprenticeships", "Apprenticeship")
    HourTotals = apps.get_model("apprenticeships", "HourTotals")
    missing = Apprenticeship.objects.filter(hour_totals__isnull=True)
    HourTotals.objects.bulk_create(
        [
            HourTotals(apprenticeship_id=a.pk, program_id=a.program_id, employer_id=a.employer_id, status=a.status)
            for a in missing
        ]
    )
    own = Apprenticeship.objects.filter(pk=models.OuterRef("apprenticeship_id"))
    HourTotals.objects.update(
        program_id=models.Subquery(own.values("program_id")[:1]),
        employer_id=models.Subquery(own.values("employer_id")[:1]),
        status=models.Subquery(own.values("status")[:1]),
    )


def add_reference(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COPY_IS_APPRENTICESHIPS)


def drop_reference(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE apprenticeships_hourtotals DROP CONSTRAINT hour_totals_copy_is_apprenticeships"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0009_hour_totals_logs"),
        ("sponsors", "0002_employer_journeyworkers"),
    ]

    operations = [
        migrations.AddField(
            model_name="hourtotals",
            name="program",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="apprenticeships.program",
            ),
        ),
        migrations.AddField(
            model_name="hourtotals",
            name="employer",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sponsors.employer"
            ),
        ),
        migrations.AddField(
            model_name="hourtotals",
            name="status",
            field=models.CharField(
                choices=[
                    ("registered", "Registered"),
                    ("active", "Active"),
                    ("suspended", "Suspended"),
                    ("cancelled", "Cancelled"),
                    ("completed", "Completed"),
                ],
                default="registered",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_copy, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="hourtotals",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="apprenticeships.program"
            ),
        ),
        migrations.AlterField(
            model_name="hourtotals",
            name="employer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sponsors.employer"
            ),
        ),
        migrations.AddConstraint(
            model_name="apprenticeship",
            constraint=models.UniqueConstraint(
                fields=("id", "program", "employer", "status"), name="apprenticeship_id_program_employer_status"
            ),
        ),
        migrations.RunPython(add_reference, drop_reference),
    ]
