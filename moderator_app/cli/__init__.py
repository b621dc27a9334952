"""The command line, over the same services the window uses."""

from moderator_app.cli.main import main

__all__ = ["main"]
