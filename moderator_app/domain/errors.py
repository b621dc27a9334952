"""Errors a person can act on. Anything else that escapes a service is a bug."""

from __future__ import annotations


class WorkstationError(Exception):
    """A known failure with a message meant for the person at the keyboard."""


class NotFound(WorkstationError):
    pass


class InvalidInput(WorkstationError):
    pass


class ClaimLost(WorkstationError):
    """The item is not (or no longer) claimed by this reviewer."""


class AlreadyDecided(WorkstationError):
    pass


class UndoNotAllowed(WorkstationError):
    pass


class IncompleteDecision(InvalidInput):
    def __init__(self, missing: list[str]) -> None:
        super().__init__("the decision is missing: " + ", ".join(missing))
        self.missing = missing


class DatabaseUnavailable(WorkstationError):
    """The database cannot be reached, is locked for too long, or the disk is full."""


class SchemaTooNew(WorkstationError):
    pass


class SchemaOutdated(WorkstationError):
    """A shared database (PostgreSQL) has an older schema than this version needs: an administrator
    upgrades it with ``moderator-app db upgrade``; workstations never do it on their own."""
