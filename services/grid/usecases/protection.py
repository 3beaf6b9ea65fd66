"""Personal data at rest: AES-256-GCM encryption and keyed hashes for lookups.

Two keys are derived from the one master key with HKDF-SHA256: one encrypts, one
keys the HMAC used to find a person by ID number (and to keep ID numbers unique)
without storing the number in clear. Each ciphertext is bound to its record and
field (associated data), so it cannot be copied onto another person.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = "v1"
_NONCE = 12


class UnreadableSecret(Exception):
    """A stored ciphertext that does not decrypt with this key for this record."""

    problem_status = 500
    problem_type = "unreadable-personal-data"


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


class PersonalDataCipher:
    """Encrypts, decrypts and hashes personal fields with keys derived from one master key."""

    def __init__(self, master_key: bytes) -> None:
        self._aead = AESGCM(_derive(master_key, b"grid personal data encryption v1"))
        self._hash_key = _derive(master_key, b"grid personal data lookup v1")

    def encrypt(self, plaintext: str, *, record: str, field: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), f"{record}:{field}".encode())
        return f"{FORMAT}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, record: str, field: str) -> str:
        version, _, payload = token.partition(".")
        if version != FORMAT:
            raise UnreadableSecret(f"unknown ciphertext format {version!r}")
        blob = base64.urlsafe_b64decode(payload)
        try:
            plain = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], f"{record}:{field}".encode())
        except InvalidTag:
            raise UnreadableSecret(f"the {field} of record {record} does not decrypt") from None
        return plain.decode()

    def lookup_hash(self, value: str, *, kind: str) -> str:
        """A keyed hash (HMAC-SHA256, hex) of a normalized value, for equality lookups."""
        message = f"{kind}:{value}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()
