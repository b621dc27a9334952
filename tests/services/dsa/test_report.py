"""The transparency report: every figure equals a recount made here, by hand, from the raw rows."""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from moderator_app.cli.main import main
from moderator_app.domain.dsa.model import AppealOutcome, AppellantKind, MeasureStep, SubjectKind
from moderator_app.domain.enums import Action, FlagSource, Ground, PolicyCategory
from moderator_app.services.workstation import Workstation
from moderator_app.storage import orm
from moderator_app.storage.dsa.orm_dsa import AccountMeasure, Appeal, TrustedFlagger
from tests.conftest import FakeClock
from tests.services.dsa.helpers import decide, flag, make_trader

FROM, TO = date(2026, 11, 1), date(2026, 11, 30)
START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
NOTICE = {FlagSource.USER_NOTICE.value, FlagSource.TRUSTED_FLAGGER.value}
ACTIONS = {Action.REMOVE.value, Action.RESTRICT.value, Action.WARN.value}


def build(ws: Workstation, clock: FakeClock) -> None:
    clock.now = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)  # some history before the period
    old = make_trader(ws, listings=2, created=clock.now - timedelta(days=10))
    flag(ws, old.listing_ids[0], received=clock.now - timedelta(hours=3))
    decide(ws, old.listing_exts[0])
    ws.dsa.flaggers.add("Consumer Safety Network e.V.", [PolicyCategory.UNSAFE_TOY], "sam")

    clock.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    a = make_trader(ws, listings=9)
    b = make_trader(ws, listings=5)
    now = clock.now
    flag(ws, a.listing_ids[0], received=now - timedelta(hours=30))
    flag(ws, a.listing_ids[1], received=now - timedelta(hours=2), category=PolicyCategory.COUNTERFEIT)
    flag(
        ws,
        a.listing_ids[2],
        source=FlagSource.AUTOMATED,
        notifier=None,
        email=None,
        received=now - timedelta(hours=1),
    )
    flag(
        ws,
        a.listing_ids[3],
        source=FlagSource.TRUSTED_FLAGGER,
        notifier="Consumer Safety Network e.V.",
        email=None,
        received=now - timedelta(hours=4),
    )
    flag(
        ws,
        a.listing_ids[4],
        source=FlagSource.TRUSTED_FLAGGER,
        notifier="Consumer Safety Network e.V.",
        email=None,
        category=PolicyCategory.COUNTERFEIT,
        received=now - timedelta(hours=6),
    )
    flag(
        ws,
        a.listing_ids[5],
        source=FlagSource.OWN_INITIATIVE,
        notifier=None,
        email=None,
        received=now - timedelta(hours=1),
    )
    flag(
        ws,
        a.listing_ids[6],
        source=FlagSource.AUTHORITY_ORDER,
        notifier="Customs",
        email=None,
        received=now - timedelta(hours=8),
    )
    flag(ws, a.listing_ids[7], category=PolicyCategory.HIDDEN_LINK, received=now - timedelta(hours=9))
    flag(ws, a.listing_ids[8], received=now - timedelta(hours=12))
    for i, lid in enumerate(b.listing_ids[:4]):
        flag(
            ws,
            lid,
            source=FlagSource.AUTOMATED,
            notifier=None,
            email=None,
            received=now - timedelta(minutes=30 + i),
        )
    flag(
        ws, old.listing_ids[1], received=now - timedelta(hours=1)
    )  # a notice in the period on an old listing

    d_remove = decide(ws, a.listing_exts[0])
    decide(ws, a.listing_exts[1], Action.WARN, category=PolicyCategory.COUNTERFEIT)
    d_auto = decide(ws, a.listing_exts[2], Action.RESTRICT, reviewer="ben")
    decide(ws, a.listing_exts[3])
    decide(ws, a.listing_exts[4], Action.NO_VIOLATION, category=PolicyCategory.COUNTERFEIT)
    decide(ws, a.listing_exts[5])
    decide(ws, a.listing_exts[6])
    decide(ws, a.listing_exts[7], category=PolicyCategory.HIDDEN_LINK, ground=Ground.TERMS_OF_SERVICE)
    undone = decide(ws, a.listing_exts[8])
    ws.review.undo(undone.id, "ana")
    ws.review.release(undone.item_id, "ana")
    d_b = [decide(ws, ext, reviewer="cleo") for ext in b.listing_exts[:3]]
    item = ws.review.claim_listing(b.listing_exts[3], "ana")
    ws.review.decide(item.id, "ana", Action.ESCALATE, explanation="Not sure.")

    clock.advance(hours=5)
    ws.dsa.offenders.confirm(b.trader_ext, MeasureStep.WARNING, "sue")
    clock.advance(minutes=5)
    flag(ws, b.listing_ids[4], notifier=None, email=None)
    decide(ws, b.listing_exts[4], reviewer="cleo")
    ws.dsa.offenders.confirm(b.trader_ext, MeasureStep.SUSPENSION, "sue")
    rev = ws.dsa.appeals.file(d_auto.id, AppellantKind.TRADER, "Wrong.", "frontdesk")
    up = ws.dsa.appeals.file(d_remove.id, AppellantKind.TRADER, "Wrong too.", "frontdesk")
    waiting = ws.dsa.appeals.file(d_b[0].id, AppellantKind.TRADER, "Still waiting.", "frontdesk")
    clock.advance(hours=20)
    for appeal, outcome in ((rev, AppealOutcome.REVERSE), (up, AppealOutcome.UPHOLD)):
        others = {x.item_id for x in (rev, up, waiting)} - {appeal.item_id}
        case = ws.dsa.appeals.claim_next("dora", exclude=others)  # this complaint's item
        assert case is not None and case.appeal.id == appeal.id
        ws.dsa.appeals.decide(appeal.id, "dora", outcome, "Looked again.")
    clock.advance(days=40)  # after the period: must not count
    late = make_trader(ws)
    flag(ws, late.listing_ids[0])
    decide(ws, late.listing_exts[0])


def recount(ws: Workstation) -> dict[str, Any]:
    with ws.db.read() as s:
        flags = s.scalars(select(orm.Flag)).all()
        registry = {f.name_key: set(f.areas.split(",")) for f in s.scalars(select(TrustedFlagger))}
        decisions = s.scalars(select(orm.Decision).where(orm.Decision.undone_at.is_(None))).all()
        appeals = s.scalars(select(Appeal)).all()
        measures = s.scalars(select(AccountMeasure)).all()

        def trusted(f: orm.Flag) -> bool:
            key = " ".join((f.notifier or "").split()).casefold()
            return f.source == FlagSource.TRUSTED_FLAGGER.value and f.category in registry.get(key, set())

        def before(d: orm.Decision) -> list[orm.Flag]:
            return [f for f in flags if f.listing_id == d.listing_id and f.received_at <= d.decided_at]

        notices = [f for f in flags if f.source in NOTICE and START <= f.received_at < END]
        acts = [d for d in decisions if d.action in ACTIONS and START <= d.decided_at < END]
        on_notice = [d for d in acts if any(f.source in NOTICE for f in before(d))]
        automated = {
            d.id for d in decisions if any(f.source == FlagSource.AUTOMATED.value for f in before(d))
        }
        ap = [a for a in appeals if START <= a.received_at < END]
        decided = [a for a in ap if a.status != "open"]
        model = [a for a in decided if a.decision_id in automated]
        ms = [
            m
            for m in measures
            if START <= m.created_at < END and m.revoked_at is None and m.step != "warning"
        ]
        return {
            "notices_total": len(notices),
            "notices_by_category": dict(Counter(f.category for f in notices)),
            "trusted_flagger_notices": sum(1 for f in notices if trusted(f)),
            "actions_total": len(acts),
            "actions_by_ground": dict(Counter(d.ground for d in acts)),
            "actions_by_action": dict(Counter(d.action for d in acts)),
            "actions_on_notices": len(on_notice),
            "own_initiative_actions": sum(
                1 for d in acts if not any(f.source in NOTICE | {"authority_order"} for f in before(d))
            ),
            "automated_detection_share": round(sum(1 for d in acts if d.id in automated) / len(acts), 4),
            "median_hours_notice_to_action": round(
                statistics.median(
                    (
                        d.decided_at - min(f.received_at for f in before(d) if f.source in NOTICE)
                    ).total_seconds()
                    / 3600
                    for d in on_notice
                ),
                2,
            ),
            "complaints_received": len(ap),
            "complaints_by_outcome": {
                k: sum(1 for a in ap if a.status == k) for k in ("open", "upheld", "reversed")
            },
            "median_hours_complaint_to_outcome": round(
                statistics.median((a.decided_at - a.received_at).total_seconds() / 3600 for a in decided), 2
            ),
            "suspensions": {
                "illegal_content": sum(1 for m in ms if m.subject_kind == SubjectKind.TRADER.value),
                "unfounded_notices": sum(1 for m in ms if m.subject_kind == SubjectKind.NOTIFIER.value),
                "unfounded_complaints": sum(1 for m in ms if m.subject_kind == SubjectKind.COMPLAINANT.value),
            },
            "reversal_rate": round(sum(1 for a in decided if a.status == "reversed") / len(decided), 4),
            "reversal_rate_model_involved": round(
                sum(1 for a in model if a.status == "reversed") / len(model), 4
            ),
        }


def test_every_figure_equals_a_recount_from_the_raw_rows(ws: Workstation, clock: FakeClock) -> None:
    build(ws, clock)
    report = ws.dsa.transparency.report(FROM, TO)
    expected = recount(ws)
    got = {k: getattr(report, k) for k in expected}
    assert got == expected
    # and the scenario exercises what it should
    assert expected["trusted_flagger_notices"] == 1 and expected["own_initiative_actions"] == 5
    assert expected["suspensions"]["illegal_content"] == 1
    assert expected["complaints_by_outcome"] == {"open": 1, "upheld": 1, "reversed": 1}
    assert report.automated_decision_share == 0.0
    assert sum(report.notices_by_source.values()) == report.notices_total


def test_the_command_line_prints_the_same_figures_as_json_and_csv(
    ws: Workstation, clock: FakeClock, db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    build(ws, clock)
    report = ws.dsa.transparency.report(FROM, TO)
    assert (
        main(
            ["--db", db_url, "report", "transparency", "--from", "2026-11-01", "--to", "2026-11-30", "--json"]
        )
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["actions_total"] == report.actions_total
    assert printed["actions_by_ground"] == report.actions_by_ground
    assert (
        main(
            ["--db", db_url, "report", "transparency", "--from", "2026-11-01", "--to", "2026-11-30", "--csv"]
        )
        == 0
    )
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["section", "figure", "value"]
    assert ["actions", "total", str(report.actions_total)] in rows
    assert main(["--db", db_url, "report", "transparency", "--from", "2026-11-30", "--to", "2026-11-01"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ends (2026-11-01) before it starts" in err
