"""The SSN's keys are FIELD_ENCRYPTION_KEYS, independent of SECRET_KEY: the first encrypts, all
decrypt, `rotate_field_keys` re-encrypts with the first; the migration moved the values
encrypted under the old SECRET_KEY-derived keys."""

import importlib
from io import StringIO

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from apprenticeships.models import ApprenticeRegistration
from portal.fields import fernet_key

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
reencrypt_migration = importlib.import_module("apprenticeships.migrations.0015_ssn_reencrypt")


def stored_token(registration) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ssn FROM apprenticeships_apprenticeregistration WHERE id = %s", [registration.pk])
        return cursor.fetchone()[0]


def ssn_of(registration) -> str | None:
    return ApprenticeRegistration.objects.get(pk=registration.pk).ssn


@pytest.fixture
def registration(apprenticeship):
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        record = apprenticeship.registration
        record.ssn = "123-45-6789"
        record.save()
    return record


def test_the_ssn_is_stored_encrypted_with_the_first_key(registration):
    token = stored_token(registration)

    assert "6789" not in token
    assert Fernet(fernet_key(OLD)).decrypt(token.encode()) == b"123-45-6789"


def test_rotating_re_encrypts_with_the_new_first_key_and_reads_back(registration):
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        assert ssn_of(registration) == "123-45-6789"  # the old key still decrypts
        call_command("rotate_field_keys", stdout=StringIO(), stderr=StringIO())

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        assert ssn_of(registration) == "123-45-6789"  # the old key is no longer needed
    assert Fernet(fernet_key(NEW)).decrypt(stored_token(registration).encode()) == b"123-45-6789"


def test_rotating_without_the_key_that_opens_a_value_fails_and_changes_nothing(registration):
    before = stored_token(registration)

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]), pytest.raises(CommandError, match="none of"):
        call_command("rotate_field_keys", stdout=StringIO(), stderr=StringIO())

    assert stored_token(registration) == before


def test_changing_the_secret_key_loses_no_ssn(registration):
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD], SECRET_KEY="a-completely-different-secret-key-0123456789"):
        assert ssn_of(registration) == "123-45-6789"


def test_a_passphrase_key_works_as_well_as_a_fernet_key(apprenticeship):
    with override_settings(FIELD_ENCRYPTION_KEYS=["a long passphrase, not a fernet key"]):
        record = apprenticeship.registration
        record.ssn = "987-65-4321"
        record.save()
        assert ssn_of(record) == "987-65-4321"


def test_the_migration_re_encrypts_values_of_the_secret_key_derived_keys(registration):
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW], SALT_KEY=["old-salt"], SECRET_KEY="the-old-secret-key-xyz"):
        legacy = reencrypt_migration.secret_key_derived_fernet()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE apprenticeships_apprenticeregistration SET ssn = %s WHERE id = %s",
                [legacy.encrypt(b"123-45-6789").decode(), registration.pk],
            )
        assert ssn_of(registration) != "123-45-6789"  # unreadable with the new keys before the migration

        with connection.schema_editor() as editor:
            reencrypt_migration.reencrypt(apps, editor)
            reencrypt_migration.reencrypt(apps, editor)  # a second run changes nothing

        assert ssn_of(registration) == "123-45-6789"
        assert MultiFernet([Fernet(fernet_key(NEW))]).decrypt(stored_token(registration).encode()) == b"123-45-6789"
