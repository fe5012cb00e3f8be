"""Encryption at rest and keyed hashes for sensitive fields (PIPL: ID numbers, mobiles, health).

Ciphertext format (text, so it fits any column): "v1:<key index>:<base64(nonce + AES-GCM ciphertext)>".
The first configured key encrypts; every configured key can decrypt, so keys can be rotated.
Lookups use HMAC-SHA256 under a separate key: equal inputs give equal hashes, but the hash
cannot be reversed by enumerating the ~10^9 possible mobile numbers without the key.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1:"


def _derive(label: str) -> bytes:
    # Development fallback only: production settings refuse to start without explicit keys.
    return hashlib.sha256(f"youthlink:{label}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=1)
def _keys() -> tuple[AESGCM, ...]:
    raw = settings.FIELD_ENCRYPTION_KEYS or [base64.urlsafe_b64encode(_derive("enc")).decode()]
    keys = []
    for item in raw:
        key = base64.urlsafe_b64decode(item.encode())
        if len(key) != 32:
            raise ValueError("FIELD_ENCRYPTION_KEYS entries must be 32 bytes, urlsafe-base64 encoded")
        keys.append(AESGCM(key))
    return tuple(keys)


@lru_cache(maxsize=1)
def _hash_key() -> bytes:
    return settings.FIELD_HASH_KEY.encode() if settings.FIELD_HASH_KEY else _derive("hash")


def reset_key_cache() -> None:
    _keys.cache_clear()
    _hash_key.cache_clear()


def encrypt(plain: str) -> str:
    nonce = os.urandom(12)
    sealed = _keys()[0].encrypt(nonce, plain.encode("utf-8"), None)
    return f"{PREFIX}0:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    index, _, payload = token[len(PREFIX):].partition(":")
    data = base64.b64decode(payload)
    keys = _keys()
    # Try the key the value names first, then the others (after a rotation, indexes shift).
    order = [int(index)] + [i for i in range(len(keys)) if i != int(index)]
    for i in order:
        if i >= len(keys):
            continue
        try:
            return keys[i].decrypt(data[:12], data[12:], None).decode("utf-8")
        except Exception:  # noqa: BLE001 - wrong key, try the next
            continue
    raise ValueError("no configured key decrypts this value")


def keyed_hash(value: str, *, purpose: str) -> str:
    return hmac.new(_hash_key(), f"{purpose}:{value}".encode("utf-8"), hashlib.sha256).hexdigest()
