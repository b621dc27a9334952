"""Tables of the DSA features (issue 5), on the same metadata as the core tables.

Notices extend flags (one row per flag that is a notice), statements freeze the statement of reasons
of a decision or an account measure when it is taken, the outbox records every message owed to a
notifier, trader or complainant, and the export log says which statements went out in which export.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderator_app.storage.orm import Base, UTCDateTime, gid_column


class TrustedFlagger(Base):
    __tablename__ = "trusted_flaggers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)  # lower-case, single spaces
    email: Mapped[str | None] = mapped_column(String(300))
    areas: Mapped[str] = mapped_column(Text)  # comma-separated PolicyCategory values
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Notice(Base):
    """The Art 16 side of a flag of source user_notice or trusted_flagger."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gid: Mapped[str] = gid_column()
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id"), unique=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    location_url: Mapped[str | None] = mapped_column(Text)
    good_faith: Mapped[bool | None] = mapped_column(Boolean)
    csam: Mapped[bool] = mapped_column(Boolean, default=False)
    entered_by: Mapped[str | None] = mapped_column(String(100))  # set for notices entered by hand
    trusted_flagger_id: Mapped[int | None] = mapped_column(ForeignKey("trusted_flaggers.id"))
    trusted_in_area: Mapped[bool] = mapped_column(Boolean, default=False)
    priority_bonus: Mapped[int] = mapped_column(Integer, default=0)
    notifier_key: Mapped[str | None] = mapped_column(String(300), index=True)
    not_processed: Mapped[str | None] = mapped_column(String(300))
    unfounded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unfounded_by: Mapped[str | None] = mapped_column(String(100))
    unfounded_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountMeasure(Base):
    """A warning, suspension or termination under Art 23, confirmed by a supervisor."""

    __tablename__ = "account_measures"
    __table_args__ = (Index("ix_account_measures_subject", "subject_kind", "subject_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    trader_id: Mapped[int | None] = mapped_column(ForeignKey("traders.id"), index=True)
    subject_key: Mapped[str | None] = mapped_column(String(300))  # notifier / complainant key
    step: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    factors: Mapped[str] = mapped_column(Text)  # JSON of the case-by-case factors shown when confirmed
    confirmed_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MeasureListing(Base):
    """A listing a suspension or termination restricted, and its status before (to restore it)."""

    __tablename__ = "measure_listings"

    measure_id: Mapped[int] = mapped_column(ForeignKey("account_measures.id"), primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), primary_key=True)
    status_before: Mapped[str] = mapped_column(String(16))


class SorExport(Base):
    __tablename__ = "sor_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    since: Mapped[date | None] = mapped_column(Date)
    only_new: Mapped[bool] = mapped_column(Boolean, default=False)
    file: Mapped[str] = mapped_column(Text)
    written: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)


class Statement(Base):
    """A statement of reasons, frozen as the Transparency Database payload when the decision is taken."""

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    puid: Mapped[str] = mapped_column(String(64), unique=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), unique=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("account_measures.id"), unique=True)
    payload: Mapped[str] = mapped_column(Text)  # JSON
    redress: Mapped[str] = mapped_column(Text)
    exportable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    first_export_id: Mapped[int | None] = mapped_column(ForeignKey("sor_exports.id"))


class Appeal(Base):
    """A complaint (Art 20) against a decision; its review item waits in the "appeals" queue."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gid: Mapped[str] = gid_column()
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), unique=True)
    appellant_kind: Mapped[str] = mapped_column(String(16))
    appellant: Mapped[str | None] = mapped_column(String(300))
    appellant_email: Mapped[str | None] = mapped_column(String(300))
    appellant_key: Mapped[str | None] = mapped_column(String(300), index=True)
    reason: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entered_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="open")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    unfounded: Mapped[bool] = mapped_column(Boolean, default=False)


class OutboxMessage(Base):
    """A message owed to someone; ``dedup_key`` keeps each one recorded once whatever runs twice."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_exported", "exported_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient_kind: Mapped[str] = mapped_column(String(16))
    recipient_name: Mapped[str | None] = mapped_column(String(300))
    recipient_email: Mapped[str | None] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("flags.id"))
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeals.id"))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("account_measures.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DsaPolicy(Base):
    """Supervisors' versions of the policy files; the newest row of a name is in force."""

    __tablename__ = "dsa_policies"
    __table_args__ = (Index("ix_dsa_policies_name", "name", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    edited_by: Mapped[str] = mapped_column(String(100))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime)
