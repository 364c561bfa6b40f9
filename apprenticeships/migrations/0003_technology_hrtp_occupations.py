from django.db import migrations


def load_catalog(apps, schema_editor):
    from apprenticeships.catalog import TECHNOLOGY_HRTP_OCCUPATIONS

    Occupation = apps.get_model("apprenticeships", "Occupation")
    for entry in TECHNOLOGY_HRTP_OCCUPATIONS:
        Occupation.objects.update_or_create(title=entry["title"], defaults=entry)


class Migration(migrations.Migration):
    dependencies = [("apprenticeships", "0002_initial")]

    operations = [migrations.RunPython(load_catalog, migrations.RunPython.noop)]
