"""Repositories of a unit of work for the DSA policy files, the statement exports and the measures on
notifiers and complainants: by value, over the storage functions (``policy_repo``, ``export_repo``,
``measure_repo``, ``notice_repo``, ``appeal_repo``, ``outbox_repo``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from moderator_app.domain.dsa.model import (
    MeasureInfo,
    MeasureStep,
    OutboxKind,
    OutboxMessage,
    SubjectKind,
    TrustedFlaggerInfo,
)
from moderator_app.domain.dsa.repeat_offender import MeasureFact, OffenderPolicy
from moderator_app.storage.dsa import (
    appeal_repo,
    export_repo,
    measure_repo,
    notice_repo,
    outbox_repo,
    policy_repo,
)
from moderator_app.storage.dsa.orm_dsa import TrustedFlagger
from moderator_app.storage.dsa.policy_repo import PolicyName
from moderator_app.storage.rows import Rows


class PolicyRepository:
    def __init__(self, rows: Rows) -> None:
        self._s = rows.session

    def current_text(self, name: PolicyName) -> tuple[str, str]:
        """(text, where it comes from) of the version in force."""
        return policy_repo.current_text(self._s, name)

    def store(self, name: PolicyName, content: str, actor: str, now: datetime) -> int:
        """Store a new version (already checked by the caller) and return its number."""
        return policy_repo.store(self._s, name, content, actor, now)

    def offender_policy(self) -> OffenderPolicy:
        return policy_repo.offender_policy(self._s)


class ExportRepository:
    def __init__(self, rows: Rows) -> None:
        self._s = rows.session

    def statements(
        self, *, since: datetime | None, only_new: bool
    ) -> list[tuple[int, dict[str, Any], tuple[str, ...]]]:
        """(statement id, payload, personal data it must not contain), oldest first."""
        return export_repo.statements(self._s, since=since, only_new=only_new)

    def log(
        self,
        *,
        actor: str,
        since: date | None,
        only_new: bool,
        file: str,
        written_ids: list[int],
        failed: int,
        now: datetime,
    ) -> int:
        return export_repo.log(
            self._s,
            actor=actor,
            since=since,
            only_new=only_new,
            file=file,
            written_ids=written_ids,
            failed=failed,
            now=now,
        )


class MisuseRepository:
    """The record of a notifier or complainant, and the warnings and suspensions confirmed on them."""

    def __init__(self, rows: Rows) -> None:
        self._s = rows.session

    def notifier_record(self, key: str, since: datetime) -> tuple[int, list[datetime], str | None]:
        return notice_repo.notifier_record(self._s, key, since)

    def complainant_record(self, key: str, since: datetime) -> tuple[int, list[datetime], str | None]:
        return appeal_repo.complainant_record(self._s, key, since)

    def measures_of_subject(self, kind: SubjectKind, key: str) -> list[MeasureFact]:
        return measure_repo.facts(measure_repo.measures_of_subject(self._s, kind, key))

    def suspended_until(self, kind: SubjectKind, key: str, when: datetime) -> datetime | None:
        return notice_repo.suspended_until(self._s, kind, key, when)

    def add_measure(
        self,
        *,
        kind: SubjectKind,
        step: MeasureStep,
        subject_key: str,
        ends_at: datetime | None,
        reason: str,
        factors: dict[str, Any],
        actor: str,
        now: datetime,
    ) -> MeasureInfo:
        m = measure_repo.add(
            self._s,
            kind=kind,
            step=step,
            trader_id=None,
            subject_key=subject_key,
            ends_at=ends_at,
            reason=reason,
            factors=factors,
            actor=actor,
            now=now,
        )
        return measure_repo.info(self._s, m)


@dataclass(frozen=True, slots=True)
class FlaggerEntry:
    """A registry entry and its stored areas text (what the audit events record)."""

    info: TrustedFlaggerInfo
    areas: str

    def state(self) -> dict[str, object]:
        return {"areas": self.areas, "active": self.info.active}


class FlaggerRepository:
    """The trusted-flagger registry (Art 22)."""

    def __init__(self, rows: Rows) -> None:
        self._rows = rows
        self._s = rows.session

    def find(self, name: str) -> FlaggerEntry | None:
        row = notice_repo.find_flagger(self._s, name)
        return None if row is None else _entry(row)

    def register(self, name: str, areas: str, email: str | None, actor: str, now: datetime) -> FlaggerEntry:
        """Add the entry (or update the one of that name): its areas, its e-mail when given; active."""
        row = notice_repo.find_flagger(self._s, name)
        if row is None:
            row = TrustedFlagger(name=name, name_key=notice_repo.name_key(name), added_by=actor, added_at=now)
            self._s.add(row)
        row.areas = areas
        row.email = email if email else row.email
        row.active, row.revoked_at = True, None
        self._s.flush()
        return _entry(row)

    def revoke(self, flagger_id: int, now: datetime) -> FlaggerEntry:
        row = self._rows.get_one(TrustedFlagger, flagger_id)
        row.active, row.revoked_at = False, now
        return _entry(row)

    def all(self) -> list[TrustedFlaggerInfo]:
        return [notice_repo.flagger_info(f) for f in notice_repo.flaggers(self._s)]


def _entry(row: TrustedFlagger) -> FlaggerEntry:
    return FlaggerEntry(notice_repo.flagger_info(row), row.areas)


class OutboxRepository:
    def __init__(self, rows: Rows) -> None:
        self._s = rows.session

    def add(
        self,
        *,
        dedup_key: str,
        kind: OutboxKind,
        recipient_kind: str,
        recipient_name: str | None,
        recipient_email: str | None,
        subject: str,
        body: str,
        now: datetime,
        measure_id: int | None = None,
    ) -> bool:
        """Record a message unless one with the same key exists; True when recorded."""
        return outbox_repo.add(
            self._s,
            dedup_key=dedup_key,
            kind=kind,
            recipient_kind=recipient_kind,
            recipient_name=recipient_name,
            recipient_email=recipient_email,
            subject=subject,
            body=body,
            now=now,
            measure_id=measure_id,
        )

    def messages(
        self, *, only_new: bool, since: datetime | None = None, limit: int | None = None
    ) -> list[OutboxMessage]:
        return outbox_repo.messages(self._s, only_new=only_new, since=since, limit=limit)

    def mark_exported(self, ids: list[int], now: datetime) -> None:
        outbox_repo.mark_exported(self._s, ids, now)
