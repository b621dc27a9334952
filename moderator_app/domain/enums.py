"""The closed vocabularies of the workstation.

Values are stored in the database as the enum *values* (short lowercase strings), so renaming a member
never needs a migration, but changing a value does.
"""

from __future__ import annotations

from enum import StrEnum


class TraderKind(StrEnum):
    BUSINESS = "business"
    PRIVATE = "private"


class TraderStatus(StrEnum):
    ACTIVE = "active"
    WARNED = "warned"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class ListingStatus(StrEnum):
    LIVE = "live"
    REMOVED = "removed"
    RESTRICTED = "restricted"


class FlagSource(StrEnum):
    """Where a flag came from (maps onto the DSA source types of a statement of reasons)."""

    USER_NOTICE = "user_notice"  # Art 16 notice
    TRUSTED_FLAGGER = "trusted_flagger"  # Art 22
    AUTOMATED = "automated"  # own automated detection
    AUTHORITY_ORDER = "authority_order"  # Art 9 order
    OWN_INITIATIVE = "own_initiative"  # voluntary, by staff


class PolicyCategory(StrEnum):
    """What a listing is flagged for, and what a decision finds.

    Kept product-oriented: these are the harms the 2025 findings named. The DSA Transparency Database
    category of each is in :mod:`moderator_app.domain.review.policy`.
    """

    COUNTERFEIT = "counterfeit"
    UNSAFE_TOY = "unsafe_toy"
    UNSAFE_ELECTRICAL = "unsafe_electrical"
    ILLEGAL_MEDICINE = "illegal_medicine"
    UNAPPROVED_SUPPLEMENT = "unapproved_supplement"
    HIDDEN_LINK = "hidden_link"
    ADULT_CONTENT = "adult_content"
    PROHIBITED_ITEM = "prohibited_item"
    MISLEADING_INFO = "misleading_info"
    TRADER_TRACEABILITY = "trader_traceability"
    OTHER = "other"


class Ground(StrEnum):
    """Why a restriction is lawful: illegal content (law) or incompatible with the terms (contract)."""

    ILLEGAL_CONTENT = "illegal_content"
    TERMS_OF_SERVICE = "terms_of_service"


class Action(StrEnum):
    NO_VIOLATION = "no_violation"
    REMOVE = "remove"
    RESTRICT = "restrict"
    WARN = "warn"
    ESCALATE = "escalate"


class ItemState(StrEnum):
    OPEN = "open"  # waiting in its queue, possibly under a claim lease
    DECIDED = "decided"  # a decision closed it
    ESCALATED = "escalated"  # closed here, a new item waits in the supervisor queue


class StrikeKind(StrEnum):
    VIOLATION = "violation"  # a confirmed violation (listing removed or restricted)
    WARNING = "warning"  # the trader was warned


class Queue(StrEnum):
    """The standard queues. Imports may name other queues; these are the ones routing knows."""

    PRODUCT_SAFETY = "product-safety"
    HEALTH = "health"
    COUNTERFEIT = "counterfeit"
    HIDDEN_LINKS = "hidden-links"
    ADULT = "adult"
    GENERAL = "general"
    ESCALATED = "escalated"
