"""Personal data at rest: Fernet encryption and keyed hashes (HMAC-SHA256).

Every service that stores 주민등록번호, phone numbers or addresses uses this one vault,
keyed from the environment (PII_ENCRYPTION_KEY, PII_HASH_KEY); events carry the same
Fernet tokens, so personal data never crosses the broker in the clear.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet


class PiiVault:
    def __init__(self, encryption_key: str, hash_key: str):
        self._fernet = Fernet(encryption_key.encode())
        self._hash_key = hash_key.encode()

    @classmethod
    def from_settings(cls, settings) -> PiiVault:
        return cls(settings.secret("PII_ENCRYPTION_KEY"), settings.secret("PII_HASH_KEY"))

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()

    def key(self, purpose: str, value: str) -> str:
        """A keyed hash of ``value``; ``purpose`` keeps e.g. person and household keys apart."""
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:  # never show keys
        return f"{type(self).__name__}(***)"
