"""Personal data at rest: the common vault, with a lookup hash of a normalised address."""

from __future__ import annotations

from services.common.pii import PiiVault

from ..domain.masking import normalize


class Pii(PiiVault):
    def hash(self, address: str) -> str:
        return self.key("address", normalize(address))
