"""Turning DTOs into JSON and into short human-readable text."""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, TextIO

from moderator_app.domain.review.model import (
    DecisionInfo,
    ListingDetail,
    QueueCount,
    ReviewCase,
    TraderDetail,
)


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for extra in ("price_text", "repeat_offender"):
            if hasattr(type(value), extra):
                out[extra] = getattr(value, extra)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):  # a duration: seconds (report supervisor's median times)
        return value.total_seconds()
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def queue_table(counts: list[QueueCount]) -> str:
    if not counts:
        return "No open review items."
    width = max(len(c.queue) for c in counts)
    lines = [f"{'queue':<{width}}  {'pending':>8}  {'claimed':>8}  oldest waiting"]
    for c in counts:
        lines.append(f"{c.queue:<{width}}  {c.pending:>8}  {c.claimed:>8}  {_when(c.oldest_pending_at)}")
    return "\n".join(lines)


def case_text(case: ReviewCase) -> str:
    li, tr = case.listing, case.trader
    lines = [
        f"item {case.item.id} in {case.item.queue} (priority {case.item.priority}), "
        f"claimed by {case.item.claimed_by} until {_when(case.item.lease_expires_at)}",
        f"listing {li.external_id}: {li.title}",
        f"  {li.price_text}  {li.category}  {li.status.value}  {li.url or ''}".rstrip(),
        f"trader {tr.trader.external_id}: {tr.trader.display_name} ({tr.trader.status.value}), "
        f"violations 90d {tr.counters.violations_90d}, all time {tr.counters.violations_total}, "
        f"warnings {tr.counters.warnings}" + ("  REPEAT OFFENDER" if tr.counters.repeat_offender else ""),
        f"images: {len(case.images)} ({sum(1 for i in case.images if not i.readable)} unreadable)",
    ]
    lines += [f"flag: {f.source.value} / {f.category.value}: {f.explanation}" for f in case.flags]
    return "\n".join(lines)


def trader_text(detail: TraderDetail) -> str:
    t, c = detail.trader, detail.counters
    missing = t.missing_traceability()
    lines = [
        f"trader {t.external_id}: {t.display_name} ({t.kind.value}, {t.country or 'country unknown'})",
        f"  status: {c.status.value}" + (f" until {_when(t.suspended_until)}" if t.suspended_until else ""),
        f"  violations: {c.violations_90d} in the last 90 days, {c.violations_total} in all; "
        f"warnings: {c.warnings}" + ("  REPEAT OFFENDER" if c.repeat_offender else ""),
        f"  listings: {detail.listings_total}",
        "  traceability (Art 30): " + ("complete" if not missing else "missing " + ", ".join(missing)),
    ]
    for d in detail.recent_decisions:
        undone = "  (undone)" if d.undone_at else ""
        lines.append(
            f"  {_when(d.decided_at)}  {d.action.value:<12} {d.listing_external_id}  "
            f"{d.category.value if d.category else ''}{undone}"
        )
    return "\n".join(lines)


def listing_text(detail: ListingDetail) -> str:
    li = detail.listing
    lines = [
        f"listing {li.external_id} ({li.status.value}) by {detail.trader.external_id} {detail.trader.display_name}",
        f"  title: {li.title}",
        f"  price: {li.price_text or '-'}  category: {li.category}  EAN: {li.ean or '-'}",
        f"  url: {li.url or '-'}",
        f"  created: {_when(li.created_at)}",
    ]
    for im in detail.images:
        state = f"{im.width}x{im.height} {im.format}" if im.readable else f"UNREADABLE: {im.problem}"
        lines.append(f"  image {im.position}: {state}")
    for f in detail.flags:
        lines.append(f"  flag {_when(f.received_at)} {f.source.value} / {f.category.value}: {f.explanation}")
    for it in detail.items:
        lines.append(f"  review item {it.id}: {it.queue} {it.state.value} priority {it.priority}")
    for d in detail.decisions:
        undone = "  (undone)" if d.undone_at else ""
        lines.append(f"  decision {d.id} {_when(d.decided_at)} {d.action.value} by {d.reviewer}{undone}")
    return "\n".join(lines)


def decision_text(d: DecisionInfo, verb: str = "recorded") -> str:
    cat = f" ({d.category.value}, {d.ground.value if d.ground else '-'})" if d.category else ""
    return f"decision {d.id} {verb}: {d.action.value}{cat} on listing {d.listing_external_id} by {d.reviewer}"


class ProgressLine:
    """A live line on a terminal; on a pipe or a log, a plain line now and then (every 5 s)."""

    def __init__(self, stream: TextIO, *, interval: float | None = None) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.interval = interval if interval is not None else (0.2 if self.live else 5.0)
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False

    def due(self, *, final: bool = False) -> bool:
        """Whether a line is due now (always for the final one); the caller then formats and shows it."""
        now = time.monotonic()
        if now - self.last < self.interval and not final:
            return False
        self.last = now
        return True

    @property
    def elapsed(self) -> float:
        return max(time.monotonic() - self.started, 1e-6)

    def show(self, text: str) -> None:
        if self.live:  # its own carriage return is wanted (a SafeStream would neutralise it)
            getattr(self.stream, "write_trusted", self.stream.write)("\r")
            self.stream.write(text.ljust(78))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.live and self.shown:
            self.stream.write("\n")
            self.stream.flush()
