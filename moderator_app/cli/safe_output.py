"""Nothing from a listing reaches a terminal as a control sequence.

Titles, names, explanations and rejection messages are untrusted: an ESC, CSI or OSC sequence in one could
recolour the terminal, rewrite what is on screen, set the window title or worse. The command line writes
through :class:`SafeStream` on stdout and stderr, so no print path can forget it: every C0 control but
newline and tab, DEL and every C1 control becomes the visible escape ``\\u001b``. That is also a valid JSON
escape of the same character, so JSON output stays valid JSON (``json.dumps`` escapes C0 controls already;
C1 controls and DEL it would pass raw).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any, TextIO

_CONTROLS = [*range(0x20), *range(0x7F, 0xA0)]
_TABLE = {c: f"\\u{c:04x}" for c in _CONTROLS if c not in (0x09, 0x0A)}


def neutralise(text: str) -> str:
    """``text`` with its control characters (but newline and tab) made visible and harmless."""
    return text.translate(_TABLE)


class SafeStream:
    """A text stream that neutralises control characters in everything written to it."""

    def __init__(self, stream: TextIO) -> None:
        self.raw_stream = stream

    def write(self, text: str) -> int:
        return self.raw_stream.write(text.translate(_TABLE))

    def write_trusted(self, text: str) -> int:
        """For the workstation's own control characters (the progress line's carriage return)."""
        return self.raw_stream.write(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding, fileno, ...
        return getattr(self.raw_stream, name)


@contextlib.contextmanager
def safe_std_streams() -> Iterator[None]:
    """stdout and stderr as :class:`SafeStream` for the duration of one command."""
    before = sys.stdout, sys.stderr
    sys.stdout = SafeStream(before[0])  # type: ignore[assignment]
    sys.stderr = SafeStream(before[1])  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = before
