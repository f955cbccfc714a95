"""Masking personal data for display, and normalising addresses before hashing."""

from __future__ import annotations

import re


def normalize(address: str) -> str:
    """Phones to digits only, e-mail lower-cased, anything else stripped."""
    address = address.strip()
    if "@" in address:
        return address.lower()
    digits = re.sub(r"\D", "", address)
    return digits if len(digits) >= 8 and re.fullmatch(r"[\d\s+().-]+", address) else address


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}-****-{digits[-4:]}"


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 2)}@{domain}"


def mask(address: str) -> str:
    if "@" in address:
        return mask_email(address)
    if address.startswith(("http://", "https://")):
        return re.sub(r"^(https?://[^/]+).*$", r"\1/…", address)
    return mask_phone(address)


def is_address(text: str) -> bool:
    """A phone number or e-mail address (personal data), not a configured name such as
    ``staff:일자리창출팀``: it may be looked up by its keyed hash, never carried as it is."""
    return "@" in text or any(c.isdigit() for c in text)
