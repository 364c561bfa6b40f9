"""One open apprenticeship per apprentice and program, held by the database.

Before the constraint is added, the migration looks for apprentices who already hold two open
apprenticeships in one program (only a race could write them: the service refuses the second).
It does not choose which one to close: closing an agreement is a registration decision with a
reason, an exit code and a date (RAPIDS), made by the sponsor's RAPS administrators through the
API. So it stops, names every pair, and changes nothing; once they are resolved (one of each
pair cancelled through `transition/`), the migration runs again and adds the constraint."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count

OPEN = ["active", "registered", "suspended"]


def refuse_existing_duplicates(apps, schema_editor):
    Apprenticeship = apps.get_model("apprenticeships", "Apprenticeship")
    doubled = (
        Apprenticeship.objects.filter(status__in=OPEN)
        .values("apprentice_id", "program_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    lines = []
    for row in doubled:
        ids = Apprenticeship.objects.filter(
            status__in=OPEN, apprentice_id=row["apprentice_id"], program_id=row["program_id"]
        ).values_list("id", flat=True)
        lines.append(f"  apprentice {row['apprentice_id']}, program {row['program_id']}: {', '.join(map(str, ids))}")
    if lines:
        raise RuntimeError(
            "These apprentices hold more than one open apprenticeship in one program. Cancel all but one "
            "of each (POST /api/v1/apprenticeships/<id>/transition/ with a reason), then migrate again:\n"
            + "\n".join(lines)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0016_index_start_date"),
        ("sponsors", "0004_invitation_open_per_sponsor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="apprenticeship",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["active", "registered", "suspended"])),
                fields=("apprentice", "program"),
                name="apprenticeship_one_open_per_apprentice_program",
            ),
        ),
    ]
