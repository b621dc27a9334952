"""Mappings of accounts, the audit log and quality sampling (issue 6, migration 0006; audit chains per
origin and signed checkpoints: migration 0008).

- ``users``: one row per account; ``password_hash`` is an argon2id hash (never the password), ``roles``
  the sorted role names separated by commas (few users, read by name only).
- ``login_throttle``: failed logins in a row per name (known or not), and until when the name must
  wait: kept in the database so a restart does not reset it.
- ``audit_events``: the hash-chained log: a global id (UUIDv7), the chain (``origin``) and the position in
  it (``seq`` 1, 2, 3 ... in the order of appending to that chain).
- ``audit_origins``: one row per chain: the workstation that appends to it (local chains) or none
  (a foreign chain merged from an offline copy, the legacy chain of schema 0006), and its head (last
  ``seq`` and hash), updated with every append under a row lock (PostgreSQL ``FOR UPDATE``): only the
  processes of one workstation ever wait for the same row.
- ``audit_checkpoints``: signed lists of every chain head (a copy is kept outside the database too).
- ``db_facts``: facts about the database itself that must never be taken back, one row per key; the key
  "managed" is written when the first account is made (migration 0009): from then on a database without
  accounts is refused instead of falling back to single-user mode. Append-only, like the audit log.
- ``quality_samples``: decisions drawn for a second review, the review item of the "quality" queue a
  supervisor claims, and the outcome.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderator_app.storage.orm import Base, UTCDateTime


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[str] = mapped_column(String(100))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    __tablename__ = "login_throttle"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_at", "at"),
        Index("ix_audit_events_actor_at", "actor", "at"),
        Index("ix_audit_events_listing", "listing_id"),
        Index("ux_audit_events_origin_seq", "origin", "seq", unique=True),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    origin: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(120))
    queue: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(32))
    listing_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: the log outlives rows
    before_json: Mapped[str] = mapped_column(Text)
    after_json: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditOrigin(Base):
    __tablename__ = "audit_origins"

    origin: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # local / foreign / legacy
    workstation: Mapped[str | None] = mapped_column(String(36), unique=True)  # local chains only
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class DbFact(Base):
    __tablename__ = "db_facts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    set_by: Mapped[str] = mapped_column(String(100))


class AuditCheckpointRow(Base):
    __tablename__ = "audit_checkpoints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    database: Mapped[str] = mapped_column(String(300))
    heads_json: Mapped[str] = mapped_column(Text)
    signer: Mapped[str] = mapped_column(String(100))
    signature: Mapped[str] = mapped_column(String(100))


class QualitySample(Base):
    __tablename__ = "quality_samples"
    __table_args__ = (Index("ix_quality_samples_moderator", "moderator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), unique=True)
    moderator: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(32))
    share: Mapped[str] = mapped_column(String(16))  # the share in force when drawn, e.g. "0.05"
    sampled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))  # agree / overturn
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
