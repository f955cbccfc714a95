"""Intake: one application, decided (eligible or not) in the transaction that stores it."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError

from services.common.db import execute_all
from services.common.runtime import Runtime
from services.common.tables import utcnow

from ..adapters import applications, audit, repository, rule_sets
from ..adapters.pii import PiiVault
from ..domain import commands, events, people
from ..domain.eligibility import Facts, decide
from ..domain.rules import RuleSet
from ..domain.scoring import score
from .clock import seoul_today
from .errors import Conflict, Invalid, NotFound
from .views import audit_state, public_view, recipient

DUPLICATE = "이미 이 모집에 신청하셨습니다. 한 사람은 한 모집에 한 번만 신청할 수 있습니다."


def submit(runtime: Runtime, cmd: commands.SubmitApplication, today: date | None = None) -> dict:
    """Everything that needs no database first (parsing, keys, encryption; the recruitment,
    which never changes once opened, kept per process), then one short transaction: one
    statement locks the recruitment and reads what a concurrent change could alter (draw
    published, already applied, past participations, the current rule version); the
    decision and points are made under those rules and the rows written. On SQLite the
    write lock covers that statement, the decision (pure, well under a millisecond) and
    the inserts, not the encryption before them."""
    today = today or seoul_today()
    try:
        identity = people.parse_rrn(cmd.rrn)
        phone = people.normalise_phone(cmd.phone)
    except people.InvalidPersonalData as exc:
        field = "rrn" if "주민" in str(exc) else "phone"
        raise Invalid(str(exc), {field: [str(exc)]}) from None
    recruitment = _recruitment(runtime, cmd.recruitment_id)
    if recruitment is None:
        raise NotFound("해당 모집공고가 없습니다.")
    offered = {p.code for p in recruitment.programs}
    unknown = [c for c in cmd.preferences if c not in offered]
    if unknown:
        message = f"이 모집에 없는 사업입니다: {', '.join(unknown)}"
        raise Invalid(message, {"preferences": [message]})
    personal = _personal(cmd, identity, phone, _vault(runtime))
    try:
        with runtime.db.transaction() as session:
            gate = applications.intake_gate(session, recruitment.id, personal["person_key"])
            if gate is None:
                raise NotFound("해당 모집공고가 없습니다.")
            if not recruitment.intake_open_on(today) or gate.drawn:
                raise Conflict("지금은 이 모집의 접수 기간이 아닙니다.")
            if gate.applied:
                raise Conflict(DUPLICATE)
            rules = _rules(runtime, session, gate.rule_version)
            row = _decided(cmd, recruitment, identity, personal, rules, gate.past)
            _store(runtime, session, cmd, recruitment, row)
    except IntegrityError:  # a concurrent duplicate got in first
        raise Conflict(DUPLICATE) from None
    return public_view(row)


def _recruitment(runtime: Runtime, recruitment_id: str):
    """The recruitment, read once per process: a recruitment and its programs are never
    changed after it is opened (its draw and placements live in other tables), so a kept
    copy is the stored one. Whether intake is still open is checked on every application,
    in the write transaction. Not found is not kept (it may be opened later)."""
    kept = runtime.__dict__.setdefault("_recruitments", {})
    found = kept.get(recruitment_id)
    if found is None:
        with runtime.db.read() as session:
            found = repository.get(session, recruitment_id)
        if found is not None:
            if len(kept) >= 256:
                kept.clear()
            kept[recruitment_id] = found
    return found


def _rules(runtime: Runtime, session, version: int):
    """The rule set of ``version`` (the current one, read by the gate), kept per process:
    a stored version never changes, a new one has a new number."""
    kept = runtime.__dict__.setdefault("_rule_sets", {})
    if version not in kept:
        row = rule_sets.get(session, version)
        kept[version] = RuleSet(row["version"], row["data"])
    return kept[version]


def _vault(runtime: Runtime) -> PiiVault:
    """One vault per runtime (Fernet keys are parsed once)."""
    vault = runtime.__dict__.get("_pii_vault")
    if vault is None:
        vault = runtime.__dict__["_pii_vault"] = PiiVault.from_settings(runtime.settings)
    return vault


def _personal(cmd, identity, phone, vault: PiiVault) -> dict:
    """The application's personal data as stored: keyed hashes, encrypted and masked."""
    return {
        "person_key": vault.key("person", identity.rrn),
        "household_key": vault.key("household", people.normalise_address(cmd.address)),
        "name_enc": vault.encrypt(cmd.name),
        "rrn_enc": vault.encrypt(identity.rrn),
        "phone_enc": vault.encrypt(phone),
        "address_enc": vault.encrypt(cmd.address),
        "name_masked": people.mask_name(cmd.name),
        "rrn_masked": people.mask_rrn(identity.rrn),
        "phone_masked": people.mask_phone(phone),
        "address_masked": people.mask_address(cmd.address),
    }


def _decided(cmd, recruitment, identity, personal, rules, recorded) -> dict:
    """The application row: facts, the decision and points under ``rules`` (``recorded``:
    past participations the database knows). No database."""
    facts = Facts(
        age=identity.age_on(recruitment.work_starts),
        in_district=people.in_district(cmd.address),
        household_size=cmd.household_size,
        property_krw=cmd.property_krw,
        monthly_income_krw=cmd.monthly_income_krw,
        priority_groups=cmd.priority_groups,
        past_participations=max(cmd.past_participations, recorded),
        preferences=cmd.preferences,
    )
    decision = decide(facts, rules)
    points = score(facts, rules)
    now = utcnow()
    return {
        "id": str(uuid.uuid4()),
        "recruitment_id": recruitment.id,
        **personal,
        "age": facts.age,
        "sex": identity.sex,
        "household_size": cmd.household_size,
        "household_members": [
            {"relation": m.relation, "birth_year": m.birth_year} for m in cmd.household_members
        ],
        "property_krw": cmd.property_krw,
        "monthly_income_krw": cmd.monthly_income_krw,
        "priority_groups": list(cmd.priority_groups),
        "past_participations": facts.past_participations,
        "preferences": list(cmd.preferences),
        "kakao": cmd.kakao,
        "channel": cmd.channel,
        "consent_version": cmd.consent_version,
        "status": decision.status,
        "rule_version": decision.rule_version,
        "reasons": [r.to_dict() for r in decision.reasons],
        "eligible_programs": list(decision.programs),
        "priority": decision.priority,
        "score": points.total,
        "score_items": [i.to_dict() for i in points.items],
        "program_code": None,
        "waitlist_rank": None,
        "created_at": now,
        "updated_at": now,
    }


def _store(runtime, session, cmd, recruitment, row) -> None:
    """The application, its audit record and its events: one round trip on PostgreSQL."""
    to = recipient(row)
    received = events.ApplicationReceived(
        row["id"], recruitment.id, recruitment.title, cmd.preferences, to
    )
    writes = [
        applications.prepared(row),
        audit.prepared("application", row["id"], "received", "applicant", None, audit_state(row)),
        runtime.prepare(session, received.type, received.payload())[1],
    ]
    if row["status"] != "eligible":
        rejected = events.ApplicationRejected(
            row["id"],
            recruitment.id,
            recruitment.title,
            to,
            tuple(row["reasons"]),
            row["rule_version"],
        )
        writes.append(runtime.prepare(session, rejected.type, rejected.payload())[1])
    execute_all(session, writes)
