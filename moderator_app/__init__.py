"""Moderator Workstation: review flagged marketplace listings, record decisions, keep repeat offenders in view."""

__version__ = "0.1.0"
