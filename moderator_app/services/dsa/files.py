"""Writing export files whole or not at all."""

from __future__ import annotations

from pathlib import Path

from moderator_app.domain.errors import InvalidInput


def write_atomically(out: Path, text: str) -> None:
    """Write ``text`` to ``out`` through a temporary file beside it, so a failure leaves no half file."""
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {out}: {exc.strerror or exc}") from None
