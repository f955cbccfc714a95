"""Personal data at rest: the common vault (Fernet + keyed hashes)."""

from services.common.pii import PiiVault

__all__ = ["PiiVault"]
