"""Encrypted fields keyed by FIELD_ENCRYPTION_KEYS, independent of SECRET_KEY.

django-fernet-encrypted-fields derives its keys from SECRET_KEY (and its fallbacks) salted with
SALT_KEY: rotating the secret key would make every stored value unreadable. The field here
keeps the library's behaviour (Fernet tokens stored as text) but takes its keys from
FIELD_ENCRYPTION_KEYS: the first encrypts, every one decrypts; `manage.py rotate_field_keys`
re-encrypts every value with the first.

A key is a Fernet key (`Fernet.generate_key()`: 32 random bytes, url-safe base64), or any other
string, which is hashed (SHA-256) into one: a passphrase is only as strong as it is long.
"""

import base64
import binascii
import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from encrypted_fields.fields import EncryptedCharField


def fernet_key(key: str) -> bytes:
    """`key` as a Fernet key: as is if it is one, else its SHA-256."""
    try:
        if len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32:
            return key.encode("ascii")
    except (binascii.Error, ValueError, UnicodeEncodeError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(key.encode("utf-8")).digest())


@lru_cache(maxsize=8)
def multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ValueError("FIELD_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(fernet_key(key)) for key in keys])


def field_fernet() -> MultiFernet:
    """The keys FIELD_ENCRYPTION_KEYS names now (read on every use: tests override them)."""
    return multi_fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def is_token_of(fernet: MultiFernet, value: str) -> bool:
    try:
        fernet.decrypt(value.encode("utf-8"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


if TYPE_CHECKING:  # the library ships no types: to the type checker, a CharField
    _EncryptedCharField = models.CharField
else:
    _EncryptedCharField = EncryptedCharField


class KeyedEncryptedCharField(_EncryptedCharField):
    """EncryptedCharField with the keys of FIELD_ENCRYPTION_KEYS."""

    # The library caches its keys and Fernet on the field (cached_property); these are read
    # from the settings on every use instead.
    @property
    def keys(self) -> list[bytes]:
        return [fernet_key(key) for key in settings.FIELD_ENCRYPTION_KEYS]

    @property
    def f(self) -> MultiFernet:
        return field_fernet()
