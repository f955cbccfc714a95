"""Tamper evidence: each ledger entry stores sha256(previous hash + canonical entry).

The chain runs per balance (program, source), in the order the entries were written to
that balance (``account_seq`` 1, 2, 3, ...); the balance row holds the last hash and the
count. An edited entry no longer hashes to its stored hash; a deleted one leaves a gap
in the sequence or a head that no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = (
    "id",
    "account_id",
    "account_seq",
    "document_id",
    "kind",
    "d_appropriated",
    "d_committed",
    "d_spent",
    "commitment_id",
    "reverses_entry_id",
    "business_date",
    "created_at",
    "created_by",
    "reason",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical(entry: Mapping[str, Any]) -> str:
    """The entry's hashed fields as compact, key-sorted JSON."""
    return json.dumps(
        {k: _plain(entry[k]) for k in HASHED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(entry)).encode()).hexdigest()


_SEQ_MARK = -918273645  # a number no entry has, to find where account_seq is written


def canonical_around_seq(entry: Mapping[str, Any]) -> tuple[str, str]:
    """(before, after) such that ``before + str(seq) + after`` is the canonical text of
    ``entry`` with ``account_seq = seq``: the database can then hash an entry whose
    sequence number it alone knows (the balance row it has just locked), in the same
    statement, as ``sha256(prev_hash || before || seq || after)``."""
    text = canonical({**entry, "account_seq": _SEQ_MARK})
    before, after = text.split(f'"account_seq":{_SEQ_MARK}', 1)
    return before + '"account_seq":', after


@dataclass(frozen=True)
class Finding:
    account_id: str
    account_seq: int | None
    problem: str  # Korean, for a person


def verify_account(
    account_id: str,
    entries: Iterable[Mapping[str, Any]],
    head_hash: str,
    head_count: int,
    totals: tuple[int, int, int] | None = None,
) -> list[Finding]:
    """Check one balance's chain (entries in account_seq order) against its head."""
    findings: list[Finding] = []
    prev, expected_seq, sums = GENESIS, 1, [0, 0, 0]
    for e in entries:
        seq = e["account_seq"]
        if seq != expected_seq:
            findings.append(Finding(account_id, expected_seq, "원장 항목이 삭제되었습니다."))
        if e["prev_hash"] != prev:
            findings.append(Finding(account_id, seq, "이전 항목의 해시와 연결되지 않습니다."))
        if entry_hash(e["prev_hash"], e) != e["hash"]:
            findings.append(Finding(account_id, seq, "원장 항목 내용이 변경되었습니다."))
        prev, expected_seq = e["hash"], seq + 1
        sums = [sums[0] + e["d_appropriated"], sums[1] + e["d_committed"], sums[2] + e["d_spent"]]
    if expected_seq - 1 != head_count or prev != head_hash:
        findings.append(
            Finding(account_id, None, "잔액의 마지막 해시·건수가 원장과 맞지 않습니다 (삭제 의심).")
        )
    if totals is not None and tuple(sums) != tuple(totals):
        findings.append(Finding(account_id, None, "잔액이 원장 합계와 맞지 않습니다."))
    return findings
