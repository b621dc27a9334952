"""``policy``, ``offenders`` and ``appeal``: the policy files, the repeat-offender policy (Art 23) and
complaints against decisions (Art 20). The acting person is the global ``--reviewer``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from moderator_app.cli.dsa.dsa import Handler, day, dumps, emit
from moderator_app.domain.dsa.model import (
    AppealCase,
    AppealInfo,
    AppealOutcome,
    AppealStatus,
    AppellantKind,
    MeasureStep,
)
from moderator_app.domain.dsa.repeat_offender import Proposal
from moderator_app.domain.errors import InvalidInput
from moderator_app.services.workstation import Workstation


def add_commands(sub: Any) -> dict[str, Handler]:
    p = sub.add_parser("policy", help="show or change the repeat-offender policy or the statement templates")
    ps = p.add_subparsers(dest="policy_kind", metavar="KIND", required=True)
    show = ps.add_parser("show", help="print the version in force")
    show.add_argument(
        "--name", default="repeat_offender_policy", help="repeat_offender_policy or sor_templates"
    )
    put = ps.add_parser("set", help="store an edited version (checked first; supervisors)")
    put.add_argument("file", type=Path)
    put.add_argument("--name", default="repeat_offender_policy")

    o = sub.add_parser("offenders", help="repeat-offender proposals and measures (Art 23)")
    os_ = o.add_subparsers(dest="offenders_kind", metavar="KIND", required=True)
    pr = os_.add_parser("propose", help="what the policy proposes now (one trader, or all)")
    pr.add_argument("trader", nargs="?")
    pr.add_argument("--json", action="store_true")
    co = os_.add_parser("confirm", help="confirm the proposed step for a trader (supervisors)")
    co.add_argument("trader")
    co.add_argument("--step", required=True, choices=[s.value for s in MeasureStep])
    co.add_argument("--note", default="", help="your assessment of the trader's intent")
    co.add_argument("--json", action="store_true")
    me = os_.add_parser("measures", help="a trader's measures")
    me.add_argument("trader")
    me.add_argument("--json", action="store_true")
    os_.add_parser("lift-expired", help="end suspensions whose time is up")

    a = sub.add_parser("appeal", help="complaints against decisions (Art 20)")
    as_ = a.add_subparsers(dest="appeal_kind", metavar="KIND", required=True)
    fi = as_.add_parser("file", help="record a complaint against a decision (id or puid)")
    fi.add_argument("decision")
    fi.add_argument("--by", choices=[k.value for k in AppellantKind], required=True)
    fi.add_argument("--reason", required=True)
    fi.add_argument("--name", help="complainant's name (default for traders: the trader)")
    fi.add_argument("--email")
    fi.add_argument("--received", type=day, help="day received (default: now)")
    fi.add_argument("--json", action="store_true")
    li = as_.add_parser("list", help="list complaints")
    li.add_argument("--status", choices=[s.value for s in AppealStatus])
    li.add_argument("--json", action="store_true")
    nx = as_.add_parser("next", help="claim the next complaint you may decide")
    nx.add_argument("--json", action="store_true")
    sh = as_.add_parser("show", help="a complaint with the decision and statement it contests")
    sh.add_argument("appeal", type=int)
    sh.add_argument("--json", action="store_true")
    de = as_.add_parser("decide", help="uphold or reverse (claim it first with appeal next)")
    de.add_argument("appeal", type=int)
    outcome = de.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--uphold", action="store_true")
    outcome.add_argument("--reverse", action="store_true")
    de.add_argument("--reason", required=True)
    de.add_argument("--unfounded", action="store_true", help="the complaint was manifestly unfounded")
    de.add_argument("--json", action="store_true")
    return {"policy": cmd_policy, "offenders": cmd_offenders, "appeal": cmd_appeal}


def cmd_policy(ws: Workstation, a: argparse.Namespace) -> int:
    if a.policy_kind == "show":
        p = ws.dsa.policies.show(a.name)
        emit(f"// {p.name}: {p.source}\n{p.text.rstrip()}")
        return 0
    try:
        text = a.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {a.file}: {exc}") from None
    p = ws.dsa.policies.set(a.name, text, a.reviewer)
    emit(f"{p.name} is now {p.source}")
    return 0


def proposal_text(p: Proposal) -> str:
    f = p.factors
    length = f" of {p.suspension_days} days" if p.suspension_days else ""
    lines = [
        f"trader {p.trader_external_id}: propose {p.step.value}{length}",
        f"  items in {f.window_days} days: {f.items_in_window}; share of listings: {f.share_percent:g}% "
        f"of {f.listings_total}; gravity score: {f.gravity_score}",
        "  by category: " + ", ".join(f"{k} {v}" for k, v in sorted(f.by_category.items())),
        f"  warned: {'yes' if f.warned else 'no'}; suspensions before: {f.suspensions_before}",
    ]
    lines += [f"  intent: {n}" for n in f.intent_notes]
    lines += [f"  why: {r}" for r in p.reasons]
    return "\n".join(lines)


def cmd_offenders(ws: Workstation, a: argparse.Namespace) -> int:
    o = ws.dsa.offenders
    if a.offenders_kind == "propose":
        found = [o.proposal(a.trader)] if a.trader else o.proposals()
        props = [p for p in found if p is not None]
        if a.json:
            emit(dumps(props))
        else:
            emit("\n".join(proposal_text(p) for p in props) or "The policy proposes nothing now.")
    elif a.offenders_kind == "confirm":
        m = o.confirm(a.trader, MeasureStep(a.step), a.reviewer, a.note)
        until = f" until {m.ends_at:%Y-%m-%d %H:%M} UTC" if m.ends_at else ""
        emit(
            dumps(m)
            if a.json
            else f"{m.step.value} confirmed{until}; {m.listings_affected} listings restricted; statement {m.statement_puid}"
        )
    elif a.offenders_kind == "measures":
        ms = o.measures(a.trader)
        if a.json:
            emit(dumps(ms))
        for m in [] if a.json else ms:
            state = (
                "in force"
                if m.in_force
                else ("revoked: " + (m.revoked_reason or "") if m.revoked_at else "ended")
            )
            emit(f"{m.created_at:%Y-%m-%d} {m.step.value} by {m.confirmed_by} ({state})")
    else:
        lifted = o.lift_expired(actor=a.reviewer)
        emit(f"{len(lifted)} suspensions ended")
    return 0


def appeal_line(x: AppealInfo) -> str:
    done = f" by {x.decided_by}" if x.decided_by else ""
    return (
        f"C-{x.id} {x.received_at:%Y-%m-%d} {x.status.value}{done}: {x.appellant_kind.value} contests "
        f"{x.original_action.value} on {x.listing_external_id} (decision {x.decision_id} by {x.original_reviewer})"
    )


def case_text(c: AppealCase) -> str:
    lines = [
        appeal_line(c.appeal),
        f"  reasons: {c.appeal.reason}",
        f"  explanation: {c.decision.explanation}",
    ]
    if c.statement:
        lines.append(f"  statement: {c.statement.puid}")
    return "\n".join(lines)


def cmd_appeal(ws: Workstation, a: argparse.Namespace) -> int:
    svc = ws.dsa.appeals
    if a.appeal_kind == "file":
        received = datetime.combine(a.received, time(12), tzinfo=UTC) if a.received else None
        x = svc.file(
            a.decision,
            AppellantKind(a.by),
            a.reason,
            a.reviewer,
            appellant=a.name,
            appellant_email=a.email,
            received_at=received,
        )
        emit(dumps(x) if a.json else "recorded " + appeal_line(x))
    elif a.appeal_kind == "list":
        found = svc.appeals(AppealStatus(a.status) if a.status else None, viewer=a.reviewer)
        emit(dumps(found) if a.json else "\n".join(appeal_line(x) for x in found) or "No complaints.")
    elif a.appeal_kind in ("next", "show"):
        c = svc.claim_next(a.reviewer) if a.appeal_kind == "next" else svc.case(a.appeal, a.reviewer)
        if c is None:
            emit("null" if a.json else "No complaint waits for you.")
        else:
            emit(dumps(c) if a.json else case_text(c))
    else:
        outcome = AppealOutcome.REVERSE if a.reverse else AppealOutcome.UPHOLD
        x = svc.decide(a.appeal, a.reviewer, outcome, a.reason, manifestly_unfounded=a.unfounded)
        emit(dumps(x) if a.json else appeal_line(x))
    return 0
