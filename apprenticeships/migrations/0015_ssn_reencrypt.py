"""The SSNs were encrypted with keys derived from SECRET_KEY (django-fernet-encrypted-fields):
they are re-encrypted with FIELD_ENCRYPTION_KEYS' first key, independent of SECRET_KEY.

A value that is already a token of FIELD_ENCRYPTION_KEYS is left as it is (the migration can
run again); one that no key opens is left too, and counted in the output.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.db import migrations

import portal.fields


def secret_key_derived_fernet() -> MultiFernet:
    """The keys django-fernet-encrypted-fields 0.4 derived: each secret key salted with each
    SALT_KEY (PBKDF2-SHA256, 100,000 iterations)."""
    salts = settings.SALT_KEY if isinstance(settings.SALT_KEY, list) else [settings.SALT_KEY]
    keys = []
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        for salt in salts:
            kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt.encode("utf-8"), iterations=100_000)
            keys.append(Fernet(base64.urlsafe_b64encode(kdf.derive(secret.encode("utf-8")))))
    return MultiFernet(keys)


def reencrypt(apps, schema_editor, *, backwards=False):
    model = apps.get_model("apprenticeships", "ApprenticeRegistration")
    table = schema_editor.quote_name(model._meta.db_table)
    column = schema_editor.quote_name(model._meta.get_field("ssn").column)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''")
        rows = cursor.fetchall()
    if not rows:
        return
    old, new = secret_key_derived_fernet(), portal.fields.field_fernet()
    source, target = (new, old) if backwards else (old, new)
    unreadable = 0
    with schema_editor.connection.cursor() as cursor:
        for pk, token in rows:
            if portal.fields.is_token_of(target, token):
                continue
            try:
                plain = source.decrypt(token.encode("utf-8"))
            except InvalidToken:
                unreadable += 1
                continue
            cursor.execute(
                f"UPDATE {table} SET {column} = %s WHERE id = %s", [target.encrypt(plain).decode("utf-8"), pk]
            )
    if unreadable:
        print(f"\n  {unreadable} SSN(s) could be opened by neither the old nor the new keys: left as they were.")


class Migration(migrations.Migration):
    dependencies = [
        ("apprenticeships", "0014_registration_ssn_lookup_credit_basis"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apprenticeregistration",
            name="ssn",
            field=portal.fields.KeyedEncryptedCharField(blank=True, max_length=11, null=True, verbose_name="SSN"),
        ),
        migrations.RunPython(reencrypt, lambda apps, schema_editor: reencrypt(apps, schema_editor, backwards=True)),
    ]
