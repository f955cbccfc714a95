"""Personal data at rest: Fernet encryption, and a keyed hash for lookup."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet

from ..domain.masking import normalize


class Pii:
    def __init__(self, encryption_key: str, hash_key: str):
        self._fernet = Fernet(encryption_key.encode())
        self._hash_key = hash_key.encode()

    @classmethod
    def from_settings(cls, settings) -> Pii:
        return cls(settings.secret("PII_ENCRYPTION_KEY"), settings.secret("PII_HASH_KEY"))

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()

    def hash(self, address: str) -> str:
        return hmac.new(self._hash_key, normalize(address).encode(), hashlib.sha256).hexdigest()
