"""Cross-checking the state against the audit log: every decision, undo, reversal, strike and account
change has its event, and every such event its row.

The hash chain (:mod:`.audit`) proves that the log was not edited; it says nothing of the tables the log
describes. Someone who deletes a decision row, adds a strike or gives an account the admin role by raw
SQL leaves the chain intact. :func:`crosscheck` compares what the tables hold (:class:`StateFacts`, read
by storage) with what the log recorded (:class:`LogFacts`, folded from the events by
:func:`fold_log`) and names every disagreement in one sentence.

Pure: no I/O; the facts are small tuples so that a database of a million decisions fits in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from moderator_app.domain.enums import Action
from moderator_app.domain.review.policy import strike_kind_of
from moderator_app.domain.supervision.audit import AuditAction, AuditEvent

# What the fold reads; storage selects only these actions.
CROSSCHECKED_ACTIONS: tuple[str, ...] = (
    AuditAction.DECIDE,
    AuditAction.UNDO,
    AuditAction.APPEAL_DECIDE,
    AuditAction.QUALITY_AGREE,
    AuditAction.QUALITY_OVERTURN,
    AuditAction.USER_ADD,
    AuditAction.USER_ROLES,
    AuditAction.USER_DISABLE,
    AuditAction.USER_ENABLE,
    AuditAction.USER_RECOVER,
)


# -- facts from the tables ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DecisionFact:
    id: int
    action: str
    reviewer: str
    undone: bool


@dataclass(frozen=True, slots=True)
class StrikeFact:
    id: int
    decision_id: int
    kind: str
    revoked: bool


@dataclass(frozen=True, slots=True)
class AppealFact:
    id: int
    decision_id: int
    status: str  # open / upheld / reversed


@dataclass(frozen=True, slots=True)
class SampleFact:
    id: int
    decision_id: int
    outcome: str | None  # None: not reviewed yet


@dataclass(frozen=True, slots=True)
class AccountFact:
    name: str
    roles: str  # sorted role names, comma separated (as stored)
    disabled: bool


@dataclass(frozen=True, slots=True)
class StateFacts:
    decisions: Mapping[int, DecisionFact]
    strikes: Mapping[int, StrikeFact]  # by decision id (one strike per decision at most)
    appeals: Mapping[int, AppealFact]
    samples: Mapping[int, SampleFact]
    accounts: Mapping[str, AccountFact]


# -- facts from the log -------------------------------------------------------------------------------


@dataclass(slots=True)
class LoggedAccount:
    seq: int  # the last event that changed it
    roles: str | None
    disabled: bool


@dataclass(slots=True)
class LogFacts:
    decided: dict[int, tuple[int, str, str]] = field(default_factory=dict)  # id -> (seq, action, actor)
    undone: dict[int, int] = field(default_factory=dict)  # decision id -> seq
    overturned: dict[int, int] = field(default_factory=dict)  # decision id -> seq
    reviewed: dict[int, tuple[int, str, int]] = field(default_factory=dict)  # sample -> (seq, outcome, dec.)
    appeals: dict[int, tuple[int, str]] = field(default_factory=dict)  # appeal id -> (seq, status)
    accounts: dict[str, LoggedAccount] = field(default_factory=dict)
    problems: list[Mismatch] = field(default_factory=list)  # found while folding (twice, unknown ...)


@dataclass(frozen=True, slots=True)
class Mismatch:
    subject: str  # "decision:17", "strike:5", "user:bob", "appeal:3", "sample:2"
    text: str  # one sentence for a person


@dataclass(frozen=True, slots=True)
class CrosscheckResult:
    mismatches: tuple[Mismatch, ...]
    decisions: int
    strikes: int
    accounts: int
    events: int

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def text(self) -> str:
        if self.ok:
            return (
                f"cross-check: tables and audit log agree ({self.decisions} decisions, {self.strikes} "
                f"strikes, {self.accounts} accounts, {self.events} events)"
            )
        return f"cross-check: {len(self.mismatches)} mismatches between the tables and the audit log"


def _ref(subject: str, kind: str) -> int | None:
    prefix = kind + ":"
    if not subject.startswith(prefix):
        return None
    try:
        return int(subject[len(prefix) :])
    except ValueError:
        return None


def _after(e: AuditEvent) -> dict[str, Any]:
    try:
        value = json.loads(e.after)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def fold_log(events: Iterable[AuditEvent]) -> tuple[LogFacts, int]:
    """What the log says the tables should hold (events in seq order). Returns (facts, events read)."""
    log = LogFacts()
    count = 0
    for e in events:
        count += 1
        action, after = e.action, _after(e)
        if action == AuditAction.DECIDE:
            _fold_decide(log, e, after)
        elif action == AuditAction.UNDO:
            ref = _ref(e.subject, "decision")
            if ref is not None:
                log.undone.setdefault(ref, e.seq)
        elif action in (AuditAction.QUALITY_AGREE, AuditAction.QUALITY_OVERTURN):
            ref, sample = _ref(e.subject, "decision"), after.get("sample")
            if ref is not None and isinstance(sample, int):
                log.reviewed[sample] = (e.seq, str(after.get("outcome", "")), ref)
                if action == AuditAction.QUALITY_OVERTURN:
                    log.overturned.setdefault(ref, e.seq)
        elif action == AuditAction.APPEAL_DECIDE:
            ref = _ref(e.subject, "appeal")
            if ref is not None:
                log.appeals[ref] = (e.seq, str(after.get("status", "")))
        else:
            _fold_account(log, e, after)
    return log, count


def _fold_decide(log: LogFacts, e: AuditEvent, after: Mapping[str, Any]) -> None:
    ref = _ref(e.subject, "decision")
    if ref is None:
        return
    if ref in log.decided:
        log.problems.append(
            Mismatch(
                f"decision:{ref}",
                f"decision {ref} has two 'decide' events (#{log.decided[ref][0]} and #{e.seq})",
            )
        )
        return
    log.decided[ref] = (e.seq, str(after.get("action", "")), e.actor)


def _fold_account(log: LogFacts, e: AuditEvent, after: Mapping[str, Any]) -> None:
    name = e.subject.removeprefix("user:") if e.subject.startswith("user:") else None
    if name is None:
        return
    known = log.accounts.get(name)
    if e.action in (AuditAction.USER_ADD, AuditAction.USER_RECOVER):
        if known is not None and e.action == AuditAction.USER_ADD:
            log.problems.append(
                Mismatch(
                    f"user:{name}", f"account {name!r} is added twice (events #{known.seq} and #{e.seq})"
                )
            )
        roles = after.get("roles")
        log.accounts[name] = LoggedAccount(
            e.seq, str(roles) if roles is not None else None, bool(after.get("disabled", False))
        )
        return
    if known is None:
        log.problems.append(
            Mismatch(
                f"user:{name}",
                f"event #{e.seq} ({e.action}) changes account {name!r}, which no earlier event added",
            )
        )
        known = log.accounts[name] = LoggedAccount(e.seq, None, False)
    known.seq = e.seq
    if e.action == AuditAction.USER_ROLES:
        known.roles = str(after.get("roles", ""))
    elif e.action == AuditAction.USER_DISABLE:
        known.disabled = True
    elif e.action == AuditAction.USER_ENABLE:
        known.disabled = False


# -- the comparison -----------------------------------------------------------------------------------


def crosscheck(state: StateFacts, log: LogFacts, events: int = 0) -> CrosscheckResult:
    """Every disagreement between the tables and the log, each named in one sentence."""
    out: list[Mismatch] = list(log.problems)
    out += _decisions(state, log)
    out += _strikes(state, log)
    out += _appeals_and_samples(state, log)
    out += _accounts(state, log)
    return CrosscheckResult(tuple(out), len(state.decisions), len(state.strikes), len(state.accounts), events)


def _decisions(state: StateFacts, log: LogFacts) -> Iterable[Mismatch]:
    for d in sorted(state.decisions.values(), key=lambda d: d.id):
        logged = log.decided.get(d.id)
        what = f"decision {d.id} ({d.action} by {d.reviewer})"
        if logged is None:
            yield Mismatch(f"decision:{d.id}", f"{what} has no 'decide' event in the audit log")
        elif logged[1] != d.action:
            yield Mismatch(
                f"decision:{d.id}",
                f"decision {d.id} is '{d.action}' in the database but its event #{logged[0]} "
                f"recorded '{logged[1]}'",
            )
        if d.undone and d.id not in log.undone:
            yield Mismatch(f"decision:{d.id}", f"{what} is marked undone but no 'undo' event records it")
        if not d.undone and d.id in log.undone:
            yield Mismatch(
                f"decision:{d.id}",
                f"event #{log.undone[d.id]} records the undo of decision {d.id}, "
                "but the database has it in force",
            )
    for ref, (seq, action, actor) in sorted(log.decided.items()):
        if ref not in state.decisions:
            yield Mismatch(
                f"decision:{ref}",
                f"event #{seq} records decision {ref} ({action} by {actor}), "
                f"but the database has no decision {ref} (deleted?)",
            )
    for ref, seq in sorted(log.undone.items()):
        if ref not in state.decisions and ref not in log.decided:
            yield Mismatch(
                f"decision:{ref}",
                f"event #{seq} undoes decision {ref}, which neither the log nor the database has",
            )


def _reversals(state: StateFacts, log: LogFacts) -> dict[int, int]:
    """Decision id -> the first event that undid or reversed it."""
    out = dict(log.undone)
    for ref, seq in log.overturned.items():
        out.setdefault(ref, seq)
    for appeal_id, (seq, status) in log.appeals.items():
        a = state.appeals.get(appeal_id)
        if a is not None and status == "reversed":
            out.setdefault(a.decision_id, seq)
    return out


def _strikes(state: StateFacts, log: LogFacts) -> Iterable[Mismatch]:
    undone_or_reversed = _reversals(state, log)
    for s in sorted(state.strikes.values(), key=lambda s: s.id):
        what = f"strike {s.id} ({s.kind}, decision {s.decision_id})"
        logged = log.decided.get(s.decision_id)
        if logged is None:
            yield Mismatch(
                f"strike:{s.id}", f"{what} has no event: the log records no decision {s.decision_id}"
            )
        else:
            expected = _strike_kind(logged[1])
            if expected != s.kind:
                leaves = f"a {expected}" if expected else "no strike"
                yield Mismatch(
                    f"strike:{s.id}",
                    f"{what} has no event: decision {s.decision_id}'s event #{logged[0]} records "
                    f"'{logged[1]}', which leaves {leaves}",
                )
        ended = undone_or_reversed.get(s.decision_id)
        if s.revoked and ended is None:
            yield Mismatch(
                f"strike:{s.id}",
                f"{what} is revoked but no undo or reversal event for decision {s.decision_id} is in the log",
            )
        if not s.revoked and ended is not None:
            yield Mismatch(
                f"strike:{s.id}",
                f"{what} still stands although event #{ended} undid or reversed decision {s.decision_id}",
            )
    for ref, (seq, action, _actor) in sorted(log.decided.items()):
        if _strike_kind(action) and ref in state.decisions and ref not in state.strikes:
            yield Mismatch(
                f"decision:{ref}",
                f"decision {ref} ('{action}', event #{seq}) left a strike, but the database has none for it "
                "(deleted?)",
            )


def _strike_kind(action: str) -> str | None:
    try:
        kind = strike_kind_of(Action(action))
    except ValueError:
        return None
    return kind.value if kind is not None else None


def _appeals_and_samples(state: StateFacts, log: LogFacts) -> Iterable[Mismatch]:
    for a in sorted(state.appeals.values(), key=lambda a: a.id):
        logged = log.appeals.get(a.id)
        if a.status != "open" and logged is None:
            yield Mismatch(
                f"appeal:{a.id}", f"complaint {a.id} is '{a.status}' but no 'appeal_decide' event records it"
            )
        elif logged is not None and logged[1] != a.status:
            yield Mismatch(
                f"appeal:{a.id}",
                f"complaint {a.id} is '{a.status}' in the database but event #{logged[0]} recorded "
                f"'{logged[1]}'",
            )
    for ref, (seq, status) in sorted(log.appeals.items()):
        if ref not in state.appeals:
            yield Mismatch(
                f"appeal:{ref}",
                f"event #{seq} records complaint {ref} as '{status}', but the database has no complaint {ref}",
            )
    for q in sorted(state.samples.values(), key=lambda q: q.id):
        reviewed = log.reviewed.get(q.id)
        if q.outcome is not None and reviewed is None:
            yield Mismatch(
                f"sample:{q.id}",
                f"quality sample {q.id} (decision {q.decision_id}) is '{q.outcome}' but no event records "
                "the second review",
            )
        elif reviewed is not None and reviewed[1] != (q.outcome or ""):
            yield Mismatch(
                f"sample:{q.id}",
                f"quality sample {q.id} is '{q.outcome or 'not reviewed'}' in the database but event "
                f"#{reviewed[0]} recorded '{reviewed[1]}'",
            )
    for ref, (seq, outcome, decision) in sorted(log.reviewed.items()):
        if ref not in state.samples:
            yield Mismatch(
                f"sample:{ref}",
                f"event #{seq} records the second review of decision {decision} ({outcome}), but the "
                f"database has no quality sample {ref}",
            )


def _accounts(state: StateFacts, log: LogFacts) -> Iterable[Mismatch]:
    for u in sorted(state.accounts.values(), key=lambda u: u.name):
        logged = log.accounts.get(u.name)
        if logged is None:
            yield Mismatch(
                f"user:{u.name}",
                f"account {u.name!r} ({u.roles or 'no roles'}) has no 'user_add' event in the audit log",
            )
            continue
        if logged.roles is not None and logged.roles != u.roles:
            yield Mismatch(
                f"user:{u.name}",
                f"account {u.name!r} has roles '{u.roles}' in the database, but the log's last change "
                f"(event #{logged.seq}) left '{logged.roles}'",
            )
        if logged.disabled != u.disabled:
            state_text = "disabled" if u.disabled else "enabled"
            log_text = "disabled" if logged.disabled else "enabled"
            yield Mismatch(
                f"user:{u.name}",
                f"account {u.name!r} is {state_text} in the database, but the log (event #{logged.seq}) "
                f"has it {log_text}",
            )
    for name, logged in sorted(log.accounts.items()):
        if name not in state.accounts:
            yield Mismatch(
                f"user:{name}",
                f"the audit log has account {name!r} (last event #{logged.seq}), but the database has no "
                "such account (deleted?)",
            )
