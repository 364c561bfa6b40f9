from django.db import migrations
from django.utils import timezone


def load_catalog(apps, schema_editor):
    """Load the catalog with a history record for each change, as every save in the portal has:
    a migration's historical models do not fire simple-history's signals, so write them here."""
    from apprenticeships.catalog import TECHNOLOGY_HRTP_OCCUPATIONS

    Occupation = apps.get_model("apprenticeships", "Occupation")
    HistoricalOccupation = apps.get_model("apprenticeships", "HistoricalOccupation")
    now = timezone.now()
    for entry in TECHNOLOGY_HRTP_OCCUPATIONS:
        occupation, created = Occupation.objects.update_or_create(title=entry["title"], defaults=entry)
        HistoricalOccupation.objects.create(
            id=occupation.id,
            created_at=occupation.created_at,
            updated_at=occupation.updated_at,
            history_date=now,
            history_type="+" if created else "~",
            history_change_reason="Technology HRTP catalog loaded",
            **entry,
        )


class Migration(migrations.Migration):
    dependencies = [("apprenticeships", "0002_initial")]

    operations = [migrations.RunPython(load_catalog, migrations.RunPython.noop)]
