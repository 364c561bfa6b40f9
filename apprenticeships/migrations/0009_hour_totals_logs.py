"""The running totals count every log (hour-logs/'s count), filled from the logs."""

from django.db import migrations, models


def count_logs(apps, schema_editor):
    HourTotals = apps.get_model("apprenticeships", "HourTotals")
    HourLog = apps.get_model("competencies", "HourLog")
    HourTotals.objects.update(
        logs=models.functions.Coalesce(
            models.Subquery(
                HourLog.objects.filter(apprenticeship_id=models.OuterRef("apprenticeship_id"))
                .order_by()
                .values("apprenticeship_id")
                .annotate(n=models.Count("id"))
                .values("n")
            ),
            0,
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0008_hour_log_employer"),
        ("competencies", "0003_hour_log_employer"),
    ]

    operations = [
        migrations.AddField(
            model_name="hourtotals",
            name="logs",
            field=models.PositiveIntegerField(
                default=0, help_text="Every log, whatever its status (hour-logs/'s count); logs are never deleted."
            ),
        ),
        migrations.RunPython(count_logs, migrations.RunPython.noop),
    ]
