"""``notice``, ``flagger`` and ``notifier``: notices entered by hand (Art 16), the trusted-flagger registry
(Art 22) and notifiers or complainants who misuse the system (Art 23(2))."""

from __future__ import annotations

import argparse
from typing import Any

from moderator_app.cli.dsa.dsa import Handler, dumps, emit
from moderator_app.domain.dsa.model import MeasureStep, NoticeInfo, SubjectKind
from moderator_app.domain.dsa.notices import NotifierStanding
from moderator_app.domain.enums import FlagSource, PolicyCategory
from moderator_app.domain.errors import InvalidInput
from moderator_app.services.dsa.notices import NewNotice
from moderator_app.services.workstation import Workstation


def category(text: str) -> PolicyCategory:
    try:
        return PolicyCategory(text.strip().lower().replace("-", "_"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"unknown category {text!r}; choose from: {', '.join(c.value for c in PolicyCategory)}"
        ) from None


def notice_ref(text: str) -> int:
    raw = text.strip().upper().removeprefix("N-")
    if not raw.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a notice number (N-123 or 123)")
    return int(raw)


def areas(text: str) -> tuple[PolicyCategory, ...]:
    return tuple(category(part) for part in text.replace(";", ",").split(",") if part.strip())


def add_commands(sub: Any) -> dict[str, Handler]:
    n = sub.add_parser("notice", help="notices (Art 16): enter one by hand, list, mark unfounded")
    ns = n.add_subparsers(dest="notice_kind", metavar="KIND", required=True)
    add = ns.add_parser("add", help="record a notice received outside the import (form, e-mail, letter)")
    add.add_argument("listing")
    add.add_argument("--category", type=category, required=True)
    add.add_argument("--explanation", default="", help="why the notifier thinks the listing is illegal")
    add.add_argument("--notifier", help="name of the person or body")
    add.add_argument("--email", help="notifier's e-mail")
    add.add_argument("--url", help="exact location of the listing (default: none given)")
    add.add_argument(
        "--good-faith", action="store_true", help="the notifier confirmed the notice is made in good faith"
    )
    add.add_argument(
        "--csam", action="store_true", help="alleges a child sexual abuse offence (name/e-mail optional)"
    )
    add.add_argument("--trusted", action="store_true", help="sent by a trusted flagger")
    add.add_argument("--json", action="store_true")
    ls = ns.add_parser("list", help="list notices, newest first (incomplete ones are marked)")
    ls.add_argument("--listing")
    ls.add_argument("--notifier", help="name or e-mail")
    ls.add_argument("--incomplete", action="store_true", help="only notices missing an Art 16(2) element")
    ls.add_argument("--json", action="store_true")
    ns.add_parser("sync", help="give imported notices their records, receipts and trusted-flagger priority")
    un = ns.add_parser("unfounded", help="find a notice manifestly unfounded (counts against its notifier)")
    un.add_argument("notice", type=notice_ref, help="notice number (N-123 or 123)")
    un.add_argument("--reason", required=True)

    f = sub.add_parser("flagger", help="the trusted-flagger registry (Art 22)")
    fs = f.add_subparsers(dest="flagger_kind", metavar="KIND", required=True)
    fa = fs.add_parser("add", help="register a trusted flagger (or change its areas)")
    fa.add_argument("name")
    fa.add_argument("--areas", type=areas, required=True, help="policy categories, comma-separated")
    fa.add_argument("--email")
    fa.add_argument("--json", action="store_true")
    fr = fs.add_parser("revoke", help="take a trusted flagger off the registry")
    fr.add_argument("name")
    fl = fs.add_parser("list", help="list the registry")
    fl.add_argument("--json", action="store_true")

    m = sub.add_parser("notifier", help="notifiers and complainants who misuse the system (Art 23(2))")
    ms = m.add_subparsers(dest="notifier_kind", metavar="KIND", required=True)
    for name, helptext in (
        ("standing", "their record and the step it calls for"),
        ("confirm", "confirm that step"),
    ):
        p = ms.add_parser(name, help=helptext)
        p.add_argument("who", help="e-mail or name (complainants: also trader:ID)")
        p.add_argument("--complainant", action="store_true", help="their complaints, not their notices")
        p.add_argument("--json", action="store_true")
        if name == "confirm":
            p.add_argument(
                "--step", required=True, choices=[MeasureStep.WARNING.value, MeasureStep.SUSPENSION.value]
            )
            p.add_argument("--note", default="")
    return {"notice": cmd_notice, "flagger": cmd_flagger, "notifier": cmd_notifier}


def notice_line(n: NoticeInfo) -> str:
    marks = []
    if n.trusted_flagger:
        marks.append(f"trusted flagger {n.trusted_flagger}")
    if n.missing:
        marks.append("INCOMPLETE: missing " + ", ".join(n.missing))
    if n.not_processed:
        marks.append("NOT PROCESSED: " + n.not_processed)
    if n.unfounded_at:
        marks.append("manifestly unfounded")
    return (
        f"N-{n.flag_id} {n.received_at:%Y-%m-%d %H:%M} {n.listing_external_id} {n.source.value} / {n.category.value}"
        + (f"  [{'; '.join(marks)}]" if marks else "")
    )


def cmd_notice(ws: Workstation, a: argparse.Namespace) -> int:
    if a.notice_kind == "sync":
        emit(f"{ws.dsa.notices.sync()} new notices recorded")
        return 0
    if a.notice_kind == "unfounded":
        n = ws.dsa.notices.mark_unfounded(a.notice, a.reviewer, a.reason)
        emit(notice_line(n))
        return 0
    if a.notice_kind == "add":
        n = ws.dsa.notices.submit(
            NewNotice(
                listing=a.listing,
                category=a.category,
                explanation=a.explanation,
                notifier=a.notifier,
                notifier_email=a.email,
                location_url=a.url,
                good_faith=True if a.good_faith else None,
                csam=a.csam,
                source=FlagSource.TRUSTED_FLAGGER if a.trusted else FlagSource.USER_NOTICE,
            ),
            a.reviewer,
        )
        emit(dumps(n) if a.json else "recorded " + notice_line(n))
        return 0
    found = ws.dsa.notices.notices(
        listing=a.listing, notifier=a.notifier, incomplete_only=a.incomplete, viewer=a.reviewer
    )
    if a.json:
        emit(dumps(found))
    else:
        for n in found:
            emit(notice_line(n))
        if not found:
            emit("No notices.")
    return 0


def cmd_flagger(ws: Workstation, a: argparse.Namespace) -> int:
    if a.flagger_kind == "add":
        f = ws.dsa.flaggers.add(a.name, a.areas, a.reviewer, email=a.email)
        emit(dumps(f) if a.json else f"registered {f.name}: {', '.join(c.value for c in f.areas)}")
    elif a.flagger_kind == "revoke":
        f = ws.dsa.flaggers.revoke(a.name, a.reviewer)
        emit(f"{f.name} is no longer a trusted flagger")
    else:
        found = ws.dsa.flaggers.list()
        if a.json:
            emit(dumps(found))
        for f in [] if a.json else found:
            state = "active" if f.active else "revoked"
            emit(f"{f.name} ({state}): {', '.join(c.value for c in f.areas)}")
        if not found and not a.json:
            emit("No trusted flaggers registered.")
    return 0


def standing_text(s: NotifierStanding) -> str:
    lines = [
        f"{s.name or s.key}: {s.unfounded_in_window} of {s.submitted_in_window} manifestly unfounded "
        f"in {s.window_days} days ({s.share_percent:g}%)",
        f"  warned: {'yes' if s.warned else 'no'}"
        + (f"; suspended until {s.suspended_until:%Y-%m-%d %H:%M} UTC" if s.suspended_until else ""),
        "  proposal: "
        + (
            s.proposal.value + (f" for {s.suspension_days} days" if s.suspension_days else "")
            if s.proposal
            else "none"
        ),
    ]
    return "\n".join(lines)


def cmd_notifier(ws: Workstation, a: argparse.Namespace) -> int:
    kind = SubjectKind.COMPLAINANT if a.complainant else SubjectKind.NOTIFIER
    if a.notifier_kind == "standing":
        s = ws.dsa.misuse.standing(kind, a.who)
        emit(dumps(s) if a.json else standing_text(s))
        return 0
    if not a.who.strip():
        raise InvalidInput("name the notifier or complainant")
    m = ws.dsa.misuse.confirm(kind, a.who, MeasureStep(a.step), a.reviewer, a.note)
    emit(dumps(m) if a.json else f"{m.step.value} confirmed for {m.subject_key}: {m.reason}")
    return 0
