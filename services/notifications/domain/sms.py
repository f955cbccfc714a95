"""SMS or LMS: the 90-byte EUC-KR rule Korean carriers apply (pure function)."""

from __future__ import annotations

SMS_MAX_BYTES = 90
LMS_MAX_BYTES = 2000


class MessageTooLong(ValueError):
    pass


def euc_kr_bytes(text: str) -> int:
    """Length in EUC-KR bytes as carriers count them: the CP949 (MS949) extension of
    EUC-KR, so every Hangul syllable is 2 bytes (strict EUC-KR would spell the 8,822
    syllables outside KS X 1001, like '똠', as 8-byte jamo sequences). A character CP949
    cannot encode (emoji) counts as 2 bytes."""
    total = 0
    for char in text:
        try:
            total += len(char.encode("cp949"))
        except UnicodeEncodeError:
            total += 2
    return total


def message_kind(text: str) -> str:
    """``"SMS"`` up to 90 bytes, ``"LMS"`` up to 2,000 bytes, else MessageTooLong."""
    size = euc_kr_bytes(text)
    if size <= SMS_MAX_BYTES:
        return "SMS"
    if size <= LMS_MAX_BYTES:
        return "LMS"
    raise MessageTooLong(f"{size} bytes > {LMS_MAX_BYTES}")
