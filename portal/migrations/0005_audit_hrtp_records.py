from django.db import migrations


def index_existing_history(apps, schema_editor):
    # The history of the record types the audit trail took in later (agreement versions and
    # signatures, priority populations, progress reviews and their ratings, interim credentials),
    # written before it did: each row gets its entry once (portal/audit/writing.py backfill).
    from portal.audit import backfill

    backfill(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_user_language"),
        # The history tables it indexes, as they are now.
        ("apprenticeships", "0023_priority_populations"),
        ("competencies", "0015_queue_indexes_end_with_id"),
    ]

    operations = [migrations.RunPython(index_existing_history, migrations.RunPython.noop)]
