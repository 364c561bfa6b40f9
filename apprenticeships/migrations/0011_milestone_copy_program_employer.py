"""Milestones copy their apprenticeship's program and employer (a sponsor's pending milestones are
found by their own columns, not among every apprenticeship), filled from the apprenticeships, and
held by references checked at commit: the copy equal to the apprenticeship's, and the definition
one of that program's."""

import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL only: the quick start's SQLite cannot add a composite reference to a table.
REFERENCES = {
    "milestone_copy_is_apprenticeships": """
        FOREIGN KEY (apprenticeship_id, program_id, employer_id)
        REFERENCES apprenticeships_apprenticeship (id, program_id, employer_id)
        DEFERRABLE INITIALLY DEFERRED""",
    "milestone_definition_is_programs": """
        FOREIGN KEY (definition_id, program_id)
        REFERENCES apprenticeships_milestonedefinition (id, program_id)
        DEFERRABLE INITIALLY DEFERRED""",
}


def fill_copy(apps, schema_editor):
    Apprenticeship = apps.get_model("apprenticeships", "Apprenticeship")
    Milestone = apps.get_model("apprenticeships", "Milestone")
    own = Apprenticeship.objects.filter(pk=models.OuterRef("apprenticeship_id"))
    Milestone.objects.update(
        program_id=models.Subquery(own.values("program_id")[:1]),
        employer_id=models.Subquery(own.values("employer_id")[:1]),
    )


def add_references(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, reference in REFERENCES.items():
            schema_editor.execute(f"ALTER TABLE apprenticeships_milestone ADD CONSTRAINT {name} {reference}")


def drop_references(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in REFERENCES:
            schema_editor.execute(f"ALTER TABLE apprenticeships_milestone DROP CONSTRAINT {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0010_hour_totals_copy_program_employer_status"),
        ("sponsors", "0002_employer_journeyworkers"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmilestone",
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
            model_name="historicalmilestone",
            name="program",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="apprenticeships.program",
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="employer",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sponsors.employer"
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="program",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="apprenticeships.program"
            ),
        ),
        migrations.RunPython(fill_copy, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="milestone",
            name="employer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sponsors.employer"
            ),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="apprenticeships.program"
            ),
        ),
        migrations.AddConstraint(
            model_name="apprenticeship",
            constraint=models.UniqueConstraint(
                fields=("id", "program", "employer"), name="apprenticeship_id_program_employer"
            ),
        ),
        migrations.AddConstraint(
            model_name="milestonedefinition",
            constraint=models.UniqueConstraint(fields=("id", "program"), name="milestone_definition_id_program"),
        ),
        migrations.RunPython(add_references, drop_references),
    ]
