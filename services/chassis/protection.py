"""Personal data at rest, for every service: AES-256-GCM, keyed lookup hashes, key rotation.

Each service has one current master key (`<SERVICE>_PERSONAL_DATA_KEY`) and may keep
retired ones (`<SERVICE>_PERSONAL_DATA_RETIRED_KEYS`, comma-separated) while district IT
rotates. Two keys are derived from a master key with HKDF-SHA256: one encrypts, one keys
the HMAC used for equality lookups (an ID number) without storing the value in clear.

A ciphertext is `v2.<key id>.<base64(nonce + sealed)>`: the key id says which master key
sealed it, so a rotation re-encrypts row by row (`reencrypt`) while both keys decrypt.
`v1.<...>` (grid before key ids) is tried with every known key. Each ciphertext is bound
to its record and field (associated data), so it cannot be copied onto another record.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .config import Settings

FORMAT = "v2"
LEGACY_FORMAT = "v1"
_NONCE = 12
# The HKDF purposes predate the chassis (grid sealed with them first); changing them would
# orphan every stored ciphertext, so they keep their original names.
_ENCRYPTION_PURPOSE = b"grid personal data encryption v1"
_LOOKUP_PURPOSE = b"grid personal data lookup v1"
_KEY_ID_PURPOSE = b"personal data key id"


class UnreadableSecret(Exception):
    """A stored ciphertext that does not decrypt with any known key for this record."""

    problem_status = 500
    problem_type = "unreadable-personal-data"


class MissingKey(RuntimeError):
    """No personal-data key outside the embedded mode: refuse to start."""


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


@dataclass(frozen=True)
class _Key:
    id: str
    aead: AESGCM
    hash_key: bytes

    @classmethod
    def of(cls, master: bytes) -> _Key:
        key_id = _derive(master, _KEY_ID_PURPOSE).hex()[:8]
        return cls(key_id, AESGCM(_derive(master, _ENCRYPTION_PURPOSE)), _derive(master, _LOOKUP_PURPOSE))


class PersonalDataCipher:
    """Encrypts with the current key; decrypts with the current or any retired key."""

    def __init__(self, master_key: bytes, retired: Sequence[bytes] = ()) -> None:
        self._current = _Key.of(master_key)
        self._keys = {key.id: key for key in (self._current, *(_Key.of(k) for k in retired))}

    @property
    def key_id(self) -> str:
        """The id of the key new ciphertexts are sealed with."""
        return self._current.id

    def encrypt(self, plaintext: str, *, record: str, field: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._current.aead.encrypt(nonce, plaintext.encode(), f"{record}:{field}".encode())
        payload = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"{FORMAT}.{self._current.id}.{payload}"

    def decrypt(self, token: str, *, record: str, field: str) -> str:
        version, _, rest = token.partition(".")
        if version == FORMAT:
            key_id, _, payload = rest.partition(".")
            candidates = [self._keys[key_id]] if key_id in self._keys else []
        elif version == LEGACY_FORMAT:
            payload, candidates = rest, list(self._keys.values())
        else:
            raise UnreadableSecret(f"unknown ciphertext format {version!r}")
        blob = base64.urlsafe_b64decode(payload)
        for key in candidates:
            try:
                plain = key.aead.decrypt(blob[:_NONCE], blob[_NONCE:], f"{record}:{field}".encode())
            except InvalidTag:
                continue
            return plain.decode()
        raise UnreadableSecret(f"the {field} of record {record} does not decrypt with a known key")

    def is_current(self, token: str) -> bool:
        """Whether `token` is sealed with the current key (nothing to re-encrypt)."""
        return token.startswith(f"{FORMAT}.{self._current.id}.")

    def reencrypt(self, token: str, *, record: str, field: str) -> str:
        """The same value sealed with the current key (unchanged when it already is)."""
        if self.is_current(token):
            return token
        return self.encrypt(self.decrypt(token, record=record, field=field), record=record, field=field)

    def lookup_hash(self, value: str, *, kind: str) -> str:
        """A keyed hash (HMAC-SHA256, hex) of a normalized value with the current key."""
        return self._hash(self._current, value, kind)

    def lookup_hashes(self, value: str, *, kind: str) -> list[str]:
        """The value's hash under every known key (a lookup during a rotation finds both)."""
        return [self._hash(key, value, kind) for key in self._keys.values()]

    @staticmethod
    def _hash(key: _Key, value: str, kind: str) -> str:
        return hmac.new(key.hash_key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def key_env(service: str) -> str:
    return f"{service.upper()}_PERSONAL_DATA_KEY"


def load_cipher(
    settings: Settings, service: str, current: str | None, retired: str | Iterable[str] | None = None
) -> PersonalDataCipher:
    """The service's cipher from its configured keys.

    The embedded mode makes a key under the data folder on first start; any other
    environment must be given one (a lost key makes stored personal data unreadable).
    """
    if current:
        master = decode_key(current, service)
    elif settings.environment == "embedded":
        master = _local_key(settings.data_dir / "keys" / f"{service}-personal-data.key", service)
    else:
        raise MissingKey(f"set {key_env(service)} (base64 of 32 random bytes) for the {service} service")
    if isinstance(retired, str):
        retired = [part for part in retired.split(",") if part.strip()]
    return PersonalDataCipher(master, [decode_key(k, service) for k in retired or ()])


def decode_key(value: str | bytes, service: str = "the") -> bytes:
    if isinstance(value, bytes) and len(value) == 32:
        return value
    text = (value.decode() if isinstance(value, bytes) else value).strip()
    key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(key) < 32:
        raise MissingKey(f"{key_env(service)} must decode to at least 32 bytes")
    return key


def _local_key(path: Path, service: str) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        tmp.write_bytes(base64.urlsafe_b64encode(secrets.token_bytes(32)))
        tmp.chmod(0o600)
        if path.exists():  # another process won the race
            tmp.unlink()
        else:
            tmp.replace(path)
    return decode_key(path.read_bytes().decode(), service)


def new_key() -> str:
    """A fresh master key for `<SERVICE>_PERSONAL_DATA_KEY`."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
