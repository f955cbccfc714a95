"""The hash chain finds an edited entry, a deleted one and a deleted last one."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest

from services.budget.domain.chain import (
    GENESIS,
    canonical,
    canonical_around_seq,
    entry_hash,
    verify_account,
)


def chain(n: int) -> list[dict]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        e = {
            "id": f"e{seq}", "account_id": "a", "account_seq": seq, "document_id": f"d{seq}",
            "kind": "commitment", "d_appropriated": 0, "d_committed": 100 * seq, "d_spent": 0,
            "commitment_id": f"d{seq}", "reverses_entry_id": None,
            "business_date": date(2022, 9, 1),
            "created_at": datetime(2022, 9, 1, 1, 2, 3, 456789, tzinfo=UTC),
            "created_by": "재무담당", "reason": None, "prev_hash": prev,
        }  # fmt: skip
        e["hash"] = entry_hash(prev, e)
        prev = e["hash"]
        entries.append(e)
    return entries


def totals(entries):
    return (0, sum(e["d_committed"] for e in entries), 0)


def test_an_intact_chain_has_no_findings():
    entries = chain(4)
    assert verify_account("a", entries, entries[-1]["hash"], 4, totals(entries)) == []


def test_an_edited_amount_is_found_at_its_sequence():
    entries = chain(4)
    head = entries[-1]["hash"]
    entries[1] = {**entries[1], "d_committed": 1}
    found = verify_account("a", entries, head, 4)
    assert [(f.account_seq, f.problem) for f in found] == [(2, "원장 항목 내용이 변경되었습니다.")]


def test_a_deleted_middle_entry_leaves_a_gap():
    entries = chain(4)
    head = entries[-1]["hash"]
    del entries[1]
    problems = {f.problem for f in verify_account("a", entries, head, 4)}
    assert "원장 항목이 삭제되었습니다." in problems


def test_a_deleted_last_entry_no_longer_matches_the_head():
    entries = chain(3)
    head = entries[-1]["hash"]
    found = verify_account("a", entries[:-1], head, 3)
    assert len(found) == 1 and found[0].account_seq is None


def test_balances_that_disagree_with_the_entries_are_found():
    entries = chain(2)
    found = verify_account("a", entries, entries[-1]["hash"], 2, (0, 1, 0))
    assert [f.problem for f in found] == ["잔액이 원장 합계와 맞지 않습니다."]


def test_canonical_form_is_stable_and_timezone_independent():
    e = chain(1)[0]
    from zoneinfo import ZoneInfo

    seoul = {**e, "created_at": e["created_at"].astimezone(ZoneInfo("Asia/Seoul"))}
    assert canonical(e) == canonical(seoul)
    assert '"created_at":"2022-09-01T01:02:03.456789Z"' in canonical(e)


@pytest.mark.parametrize("seq", [1, 9, 10, 12_345_678])
def test_the_text_around_the_sequence_hashes_as_the_entry_does(seq):
    """What PostgreSQL hashes (prev || before || seq || after) is the entry's own hash,
    whatever the number of digits, with Hangul and quotes in the text."""
    entry = {**chain(1)[0], "reason": '추경 "1회"', "account_seq": seq}
    before, after = canonical_around_seq(entry)
    assert before + str(seq) + after == canonical(entry)
    digest = hashlib.sha256((GENESIS + before + str(seq) + after).encode()).hexdigest()
    assert digest == entry_hash(GENESIS, entry)
