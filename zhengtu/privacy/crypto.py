"""Encryption at rest and keyed hashes for personal identifiers.

Identity and phone numbers are stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with a
key from the environment or a key file (settings.ZHENGTU_FIELD_KEY, never in the repo).
An HMAC-SHA256 "blind index" of the normalised value, under a key derived from the same
secret, lets exact search work without decrypting every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    material = secret.encode()
    encryption_key = hashlib.sha256(b"zhengtu-field-encryption\x00" + material).digest()
    index_key = hashlib.sha256(b"zhengtu-blind-index\x00" + material).digest()
    return Fernet(base64.urlsafe_b64encode(encryption_key)), index_key


def _current() -> tuple[Fernet, bytes]:
    return _keys(settings.ZHENGTU_FIELD_KEY)


def encrypt(plaintext: str) -> str:
    if not plaintext:
        return ""
    return _current()[0].encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _current()[0].decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The stored value cannot be decrypted with the configured field key.") from error


def blind_index(value: str) -> str:
    """Keyed hash of a normalised identifier, for exact-match lookups."""
    normalised = value.strip().upper().replace(" ", "")
    if not normalised:
        return ""
    return hmac.new(_current()[1], normalised.encode(), hashlib.sha256).hexdigest()


def mask_identity_number(value: str) -> str:
    """4301**********1234: first four and last four characters kept."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678: first three and last four digits kept."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
