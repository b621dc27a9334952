"""Mappings of accounts, the audit log and quality sampling (issue 6, migration 0006).

- ``users``: one row per account; ``password_hash`` is an argon2id hash (never the password), ``roles``
  the sorted role names separated by commas (few users, read by name only).
- ``login_throttle``: failed logins in a row per name (known or not), and until when the name must
  wait: kept in the database so a restart does not reset it.
- ``audit_events``: the hash-chained log, ``seq`` 1, 2, 3 ... in the order of appending.
- ``audit_head``: one row (id 1), the last ``seq`` and its hash, updated with every append under the
  writer lock (SQLite) or a row lock (PostgreSQL, ``FOR UPDATE``), which serializes the chain.
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
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
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


class AuditHead(Base):
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class DbFact(Base):
    __tablename__ = "db_facts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    set_by: Mapped[str] = mapped_column(String(100))


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
