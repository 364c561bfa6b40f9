from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from portal.fields import field_fernet
from portal.progress import progress

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value (the SSNs) with the first of FIELD_ENCRYPTION_KEYS. Put the new key "
        "first, keep the old ones after it, run this, then drop the old ones."
    )

    def handle(self, *args, **options):
        from apprenticeships.models import ApprenticeRegistration

        fernet = field_fernet()
        table = connection.ops.quote_name(ApprenticeRegistration._meta.db_table)
        column = connection.ops.quote_name("ssn")
        rotated, unreadable = 0, []
        with progress("rotate_field_keys", self.stderr.write) as state, transaction.atomic():
            with connection.cursor() as cursor:
                # Locked while rotated: a value written meanwhile is not overwritten with an old one.
                cursor.execute(
                    f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> '' FOR UPDATE"
                    if connection.features.has_select_for_update
                    else f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"
                )
                rows = cursor.fetchall()
            state.start_phase("re-encrypting SSNs", total=len(rows))
            for start in range(0, len(rows), BATCH):
                batch = []
                for pk, token in rows[start : start + BATCH]:
                    try:
                        batch.append((fernet.rotate(token.encode("utf-8")).decode("utf-8"), pk))
                    except InvalidToken:
                        unreadable.append(pk)
                with connection.cursor() as cursor:
                    cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s", batch)
                rotated += len(batch)
                state.advance(len(batch))
        self.stdout.write(f"Re-encrypted {rotated} SSN(s) with the first of FIELD_ENCRYPTION_KEYS.")
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} SSN(s) open with none of FIELD_ENCRYPTION_KEYS (registrations {unreadable[:20]}): "
                "left as they were. Is a key missing from the list?"
            )
