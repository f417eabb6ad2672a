"""Personal data at rest: AES-GCM field encryption and keyed blind indexes.

Ciphertexts look like ``k1:<base64(nonce || ciphertext+tag)>``; the key id lets
old rows be read while new rows use the newest key (see ``gonghui rotate-keys``).
A blind index is an HMAC-SHA256 of the normalised value under a separate key: it
supports exact lookup and uniqueness without storing the value in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from functools import cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

PREFIX_SEP = ":"


class DecryptionError(ValueError):
    pass


def parse_keys(spec: str) -> list[tuple[str, bytes]]:
    """Parse ``id:base64key,id:base64key`` (newest first)."""
    keys = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        key_id, _, b64 = part.partition(PREFIX_SEP)
        raw = base64.b64decode(b64)
        if len(raw) != 32:
            raise ValueError(f"field key {key_id!r} must be 32 bytes (AES-256)")
        keys.append((key_id, raw))
    if not keys:
        raise ValueError("GONGHUI_FIELD_KEYS holds no key")
    return keys


@cache
def _ciphers(spec: str) -> tuple[tuple[str, AESGCM], dict[str, AESGCM]]:
    keys = parse_keys(spec)
    by_id = {key_id: AESGCM(raw) for key_id, raw in keys}
    return (keys[0][0], by_id[keys[0][0]]), by_id


def encrypt(plaintext: str, spec: str | None = None) -> str:
    (key_id, aead), _ = _ciphers(spec or settings.FIELD_ENCRYPTION_KEYS)
    nonce = os.urandom(12)
    blob = aead.encrypt(nonce, plaintext.encode(), key_id.encode())
    return f"{key_id}{PREFIX_SEP}{base64.b64encode(nonce + blob).decode()}"


def bulk_encryptor() -> Callable[[str], str]:
    """``encrypt`` with the key looked up once: for bulk writes of many rows (same output format)."""
    (key_id, aead), _ = _ciphers(settings.FIELD_ENCRYPTION_KEYS)
    aad, prefix, urandom, b64 = key_id.encode(), f"{key_id}{PREFIX_SEP}", os.urandom, base64.b64encode

    def encrypt_one(plaintext: str) -> str:
        nonce = urandom(12)
        return prefix + b64(nonce + aead.encrypt(nonce, plaintext.encode(), aad)).decode()

    return encrypt_one


def decrypt(token: str, spec: str | None = None) -> str:
    _, by_id = _ciphers(spec or settings.FIELD_ENCRYPTION_KEYS)
    key_id, _, b64 = token.partition(PREFIX_SEP)
    aead = by_id.get(key_id)
    if aead is None:
        raise DecryptionError(f"unknown field key id {key_id!r}")
    raw = base64.b64decode(b64)
    try:
        return aead.decrypt(raw[:12], raw[12:], key_id.encode()).decode()
    except Exception as exc:  # InvalidTag: wrong key or tampered data
        raise DecryptionError("ciphertext cannot be decrypted") from exc


def key_id_of(token: str) -> str:
    return token.partition(PREFIX_SEP)[0]


def current_key_id() -> str:
    return _ciphers(settings.FIELD_ENCRYPTION_KEYS)[0][0]


@cache
def _bidx_key(spec: str) -> bytes:
    return base64.b64decode(spec)


def blind_index(value: str, purpose: str) -> str:
    """HMAC of a normalised value; ``purpose`` keeps indexes of different fields apart."""
    key = _bidx_key(settings.BLIND_INDEX_KEY)
    msg = f"{purpose}\x00{value.strip().upper()}".encode()
    return hmac.digest(key, msg, hashlib.sha256).hex()[:40]  # one-shot C HMAC: bulk imports call this per row


def blind_indexer(purpose: str) -> Callable[[str], str]:
    """``blind_index`` for one purpose with the key looked up once (same digests; for bulk imports)."""
    key = _bidx_key(settings.BLIND_INDEX_KEY)
    prefix = f"{purpose}\x00"

    def index(value: str) -> str:
        return hmac.digest(key, (prefix + value.strip().upper()).encode(), hashlib.sha256).hex()[:40]

    return index


# Serialised values (backups) carry the ciphertext, marked, never the plaintext.
SERIALISED_MARK = "enc$"


class EncryptedTextField(models.TextField):
    """A text column stored AES-GCM encrypted; reads give the plaintext back."""

    sensitive = True

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return SERIALISED_MARK + encrypt(str(value)) if value else ""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(SERIALISED_MARK):
            return decrypt(value[len(SERIALISED_MARK):])
        return super().to_python(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def mask_id_number(value: str | None) -> str:
    """4401**********123X: region and last four kept, the rest hidden."""
    if not value:
        return ""
    if len(value) <= 8:
        return value[0] + "*" * (len(value) - 1)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
