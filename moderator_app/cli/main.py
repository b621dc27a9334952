"""``moderator-app``: the command line over the same services the window uses.

Errors a person can act on are one line on stderr and a non-zero exit; anything unexpected is a bug,
written with its traceback to the log file and summarised in one line.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import logging
import os
import stat
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from moderator_app import __version__
from moderator_app.cli import db as db_cli
from moderator_app.cli import output
from moderator_app.cli.safe_output import safe_std_streams
from moderator_app.domain.dsa.model import StatementAmendment
from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.domain.errors import WorkstationError
from moderator_app.domain.review.policy import default_ground
from moderator_app.services.workstation import Workstation, open_workstation
from moderator_app.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

Command = Callable[[Workstation, argparse.Namespace], int]


class UsageError(Exception):
    pass


def default_reviewer() -> str:
    """The login name (when neither --user nor $MODERATOR_USER names anyone)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def _enum_choice(enum: type, label: str):  # type: ignore[no-untyped-def]
    def parse(text: str):  # type: ignore[no-untyped-def]
        try:
            return enum(text.strip().lower().replace("-", "_"))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"unknown {label} {text!r}; choose from: {', '.join(m.value for m in enum)}"
            ) from None

    return parse


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="moderator-app",
        description="Moderator Workstation: review flagged marketplace listings. "
        "Without a command it opens the review window.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument(
        "--db",
        metavar="URL",
        help="SQLite file path or URL (sqlite:///..., postgresql+psycopg://user@host/db); "
        "default: $MODERATOR_DB_URL, else moderator.db in the user data folder",
    )
    p.add_argument(
        "--reviewer",
        "--user",
        dest="reviewer",
        default=None,
        help="your account or reviewer name (default: $MODERATOR_USER, $MODERATOR_REVIEWER or login name)",
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (else $MODERATOR_PASSWORD or a prompt)",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    g = sub.add_parser("gui", help="open the review window (the default)")
    g.add_argument("--queue", help="start on this queue")

    d = sub.add_parser("demo", help="fill the database with the realistic demo data set")
    d.add_argument("--listings", type=int, default=360)
    d.add_argument("--traders", type=int, default=48)
    d.add_argument("--seed", type=int, default=2025)

    i = sub.add_parser("import", help="import listings from a JSON Lines file (docs/import-format.md)")
    i.add_argument("file", type=Path)
    i.add_argument("--json", action="store_true", help="print the report as JSON")
    i.add_argument("--quiet", action="store_true", help="no progress display")

    q = sub.add_parser("queue", help="list the queues with their pending counts")
    q.add_argument("--json", action="store_true")

    n = sub.add_parser("next", help="claim the next item of a queue and show it")
    n.add_argument("--queue", required=True)
    n.add_argument("--json", action="store_true")

    dc = sub.add_parser("decide", help="record a decision on a listing, exactly as the window does")
    dc.add_argument("listing", help="listing id (the marketplace's id or the internal number)")
    dc.add_argument(
        "--action",
        required=True,
        type=_enum_choice(Action, "action"),
        help="; ".join(a.value for a in Action),
    )
    dc.add_argument(
        "--category",
        type=_enum_choice(PolicyCategory, "category"),
        help="policy category: " + ", ".join(c.value for c in PolicyCategory),
    )
    dc.add_argument(
        "--ground",
        type=_enum_choice(Ground, "ground"),
        help="illegal_content or terms_of_service (default: the category's usual ground)",
    )
    dc.add_argument("--explanation", default="", help="why (needed for every restricting action)")
    dc.add_argument(
        "--legal-ground", help="the law broken, for the illegal-content ground (statement of reasons)"
    )
    dc.add_argument("--terms-ground", help="the clause of the terms, for the terms-of-service ground")
    dc.add_argument(
        "--territorial-scope",
        help="EEA country codes the measure applies in, e.g. DE,AT (default: the template's)",
    )
    dc.add_argument(
        "--until", type=date.fromisoformat, metavar="YYYY-MM-DD", help="end of a temporary restriction"
    )
    dc.add_argument("--json", action="store_true")

    u = sub.add_parser("undo", help="take back your last decision (within the undo window)")
    u.add_argument("decision", nargs="?", type=int, help="decision id (default: your last decision)")
    u.add_argument("--json", action="store_true")

    t = sub.add_parser("trader", help="show a trader with its repeat-offender counters and status")
    t.add_argument("trader")
    t.add_argument("--json", action="store_true")

    li = sub.add_parser("listing", help="show a listing with its images, flags, items and decisions")
    li.add_argument("listing")
    li.add_argument("--json", action="store_true")

    s = sub.add_parser("screenshot", help="render the main window offscreen to a PNG")
    s.add_argument("out", type=Path)
    s.add_argument("--queue")

    db_cli.add_parser(sub)
    for module in COMMAND_MODULES:
        COMMANDS.update(importlib.import_module(module).add_commands(sub))
    return p


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_queue(ws: Workstation, a: argparse.Namespace) -> int:
    counts = ws.review.queue_counts(a.reviewer)
    _print(output.dumps(counts) if a.json else output.queue_table(counts))
    return EXIT_OK


def cmd_next(ws: Workstation, a: argparse.Namespace) -> int:
    case = ws.review.claim_next(a.queue, a.reviewer)
    if case is None:
        if a.json:
            _print("null")
        else:
            _print(f"The queue {a.queue} is empty.")
        return EXIT_OK
    _print(output.dumps(case) if a.json else output.case_text(case))
    return EXIT_OK


def cmd_decide(ws: Workstation, a: argparse.Namespace) -> int:
    ground = a.ground
    if (
        ground is None
        and a.category is not None
        and a.action in (Action.REMOVE, Action.RESTRICT, Action.WARN)
    ):
        ground = default_ground(a.category)
    amendment = None
    if a.legal_ground or a.terms_ground or a.territorial_scope or a.until:
        scope = (
            tuple(c.strip().upper() for c in a.territorial_scope.split(",") if c.strip())
            if a.territorial_scope
            else None
        )
        amendment = StatementAmendment(
            legal_ground=a.legal_ground,
            terms_ground=a.terms_ground,
            territorial_scope=scope,
            restriction_end=a.until,
        )
    item = ws.review.claim_listing(a.listing, a.reviewer)
    try:
        decision = ws.review.decide(
            item.id, a.reviewer, a.action, a.category, ground, a.explanation, statement=amendment
        )
    except WorkstationError:
        ws.review.release(item.id, a.reviewer)  # leave the item as it was found
        raise
    _print(output.dumps(decision) if a.json else output.decision_text(decision))
    return EXIT_OK


def cmd_undo(ws: Workstation, a: argparse.Namespace) -> int:
    decision_id = a.decision
    if decision_id is None:
        last = ws.review.last_decision(a.reviewer)
        if last is None:
            raise UsageError(f"{a.reviewer} has no decision to undo")
        decision_id = last.id
    undone = ws.review.undo(decision_id, a.reviewer)
    _print(output.dumps(undone) if a.json else output.decision_text(undone, "undone"))
    return EXIT_OK


def cmd_trader(ws: Workstation, a: argparse.Namespace) -> int:
    detail = ws.lookup.trader(a.trader)
    _print(output.dumps(detail) if a.json else output.trader_text(detail))
    return EXIT_OK


def cmd_listing(ws: Workstation, a: argparse.Namespace) -> int:
    detail = ws.lookup.listing(a.listing, viewer=a.reviewer)
    _print(output.dumps(detail) if a.json else output.listing_text(detail))
    return EXIT_OK


def cmd_import(ws: Workstation, a: argparse.Namespace) -> int:
    from moderator_app.cli.imports.importing import run_import

    return run_import(ws, a.file, as_json=a.json, quiet=a.quiet, actor=a.reviewer)


def cmd_demo(ws: Workstation, a: argparse.Namespace) -> int:
    from moderator_app.demo import build_demo

    report = build_demo(
        ws, listings=a.listings, traders=a.traders, seed=a.seed, accounts=True, actor=a.reviewer
    )
    _print(output.dumps(report))
    return EXIT_OK


def cmd_gui(ws: Workstation, a: argparse.Namespace) -> int:
    from moderator_app.ui.app import run_gui

    return run_gui(ws, a.reviewer, queue=getattr(a, "queue", None))


def cmd_screenshot(ws: Workstation, a: argparse.Namespace) -> int:
    from moderator_app.ui.screenshot import render_screenshot

    path = render_screenshot(ws, a.out, a.reviewer, queue=a.queue)
    _print(f"wrote {path}")
    return EXIT_OK


# Further command groups live in their own modules, each with ``add_commands(subparsers) -> {name: handler}``
# (handlers take (Workstation, argparse.Namespace) and return the exit status).
COMMAND_MODULES: tuple[str, ...] = (
    "moderator_app.cli.predictions.predicting",
    "moderator_app.cli.dsa.dsa",
    "moderator_app.cli.dsa.dsa_notices",
    "moderator_app.cli.dsa.dsa_policy",
    "moderator_app.cli.accounts.users",
    "moderator_app.cli.supervision.audit",
    "moderator_app.cli.supervision.reports_supervisor",
)

COMMANDS: dict[str, Command] = {
    "gui": cmd_gui,
    "demo": cmd_demo,
    "import": cmd_import,
    "queue": cmd_queue,
    "next": cmd_next,
    "decide": cmd_decide,
    "undo": cmd_undo,
    "trader": cmd_trader,
    "listing": cmd_listing,
    "screenshot": cmd_screenshot,
}


def _check_import_file(path: Path) -> None:
    """Say what the named file is when it cannot be imported (without opening it: a FIFO would block)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"cannot import {path}: it is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise UsageError(f"cannot import {path}: not a regular file (a device, FIFO or socket)")


def _log_bug(exc: BaseException, log_dir: Path) -> Path | None:
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "moderator-app.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return None


class _OneLine(logging.Formatter):
    """Log records on stderr without their tracebacks (those go to the log file)."""

    def format(self, record: logging.LogRecord) -> str:
        return logging.Formatter.format(
            self, logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        )


def _configure_logging(log_dir: Path) -> None:
    """Warnings and errors on stderr, one line each (configured once, as ``logging.basicConfig`` does);
    errors with their tracebacks also in the log file of the current data folder (a bug set off by one
    import line is that line's rejection, and its details are kept there)."""
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(_OneLine("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[console])
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_moderator_log_file", False)]:
        root.removeHandler(handler)
        handler.close()
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    to_file = logging.FileHandler(log_dir / "moderator-app.log", encoding="utf-8", delay=True)
    to_file.setLevel(logging.ERROR)
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    to_file._moderator_log_file = True  # type: ignore[attr-defined]
    root.addHandler(to_file)


def main(argv: Sequence[str] | None = None) -> int:
    with safe_std_streams():  # issue 10: no control sequence from a listing reaches the terminal
        return _main(argv)


def _main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on a usage error
    args.command = args.command or "gui"
    # The composition root: the one place (with its Settings) that reads the environment.
    settings = Settings.from_environ(os.environ, db=args.db, user=args.reviewer)
    args.settings = settings
    args.reviewer = settings.user or default_reviewer()
    _configure_logging(settings.log_folder)
    ws: Workstation | None = None
    try:
        if args.command == "import":
            _check_import_file(args.file)
        if args.command == "db":  # before any workstation: it may refuse an outdated database
            return db_cli.run(args)
        ws = open_workstation(settings=settings)
        if ws.migration and ws.migration.backup:
            sys.stderr.write(
                f"database upgraded from schema {ws.migration.before} to {ws.migration.after}; "
                f"backup kept at {ws.migration.backup}\n"
            )
        from moderator_app.cli.accounts.users import login  # issue 6: accounts, once any exist

        login(ws, args)
        return COMMANDS[args.command](ws, args)
    except UsageError as exc:
        sys.stderr.write(f"moderator-app: {exc}\n")
        return EXIT_USAGE
    except WorkstationError as exc:
        sys.stderr.write(f"moderator-app: {exc}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("moderator-app: interrupted; nothing half-written was kept\n")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: say so in one line, keep the details in the log
        where = _log_bug(exc, settings.log_folder)
        sys.stderr.write(
            f"moderator-app: internal error ({type(exc).__name__}: {exc}); "
            f"this is a bug{f', details in {where}' if where else ''}\n"
        )
        return EXIT_BUG
    finally:
        if ws is not None:
            ws.close()
