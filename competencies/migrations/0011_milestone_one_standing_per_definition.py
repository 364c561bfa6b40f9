"""At most one pending or approved milestone per apprenticeship and definition, held by the
database.

Before the constraint is added, the migration looks for definitions an apprenticeship holds two
standing milestones of (only a race could write them). It decides none of them: which one
stands is a RAPS administrator's decision (reject the pending one with a reason through the
API). So it stops, names every pair, and changes nothing; once resolved, migrate again."""

from django.db import migrations, models
from django.db.models import Count

STANDING = ["approved", "pending"]


def refuse_existing_doubles(apps, schema_editor):
    Milestone = apps.get_model("competencies", "Milestone")
    doubled = (
        Milestone.objects.filter(status__in=STANDING)
        .values("apprenticeship_id", "definition_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    lines = []
    for row in doubled:
        milestones = Milestone.objects.filter(
            status__in=STANDING, apprenticeship_id=row["apprenticeship_id"], definition_id=row["definition_id"]
        ).values_list("id", "status")
        named = ", ".join(f"{pk} ({status})" for pk, status in milestones)
        lines.append(f"  apprenticeship {row['apprenticeship_id']}, definition {row['definition_id']}: {named}")
    if lines:
        raise RuntimeError(
            "These apprenticeships hold more than one pending or approved milestone of one definition. Reject "
            "the pending ones that repeat a decision (POST /api/v1/milestones/<id>/reject/ with a reason), then "
            "migrate again:\n" + "\n".join(lines)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("competencies", "0010_hour_log_queue_indexes"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_doubles, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="milestone",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["approved", "pending"])),
                fields=("apprenticeship", "definition"),
                name="milestone_one_standing_per_definition",
            ),
        ),
    ]
