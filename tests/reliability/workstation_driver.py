"""A workstation that works flat out, for the reliability tests.

It claims items of the general queue and decides them (now and then it takes its last decision back), and
reports one line per acknowledged change only after the service call returned (the transaction
committed): ``claimed ITEM_ID``, ``decided DECISION_ID ITEM_ID`` and ``undone DECISION_ID``. The tests kill it with SIGKILL at
random moments and then check that the database holds everything that was acknowledged.

Run by hand: ``python -m tests.reliability.workstation_driver URL REVIEWER SEED`` (prints, flushed). The
tests start it as a process of a fork server that has imported the app once (:func:`run_process`), so a
round of workstations starts in a fraction of a second on a loaded machine; each line then goes through a
pipe with one blocking write before the next step.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection

from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.services.workstation import open_workstation

DECISIONS = [
    (Action.REMOVE, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "Loose magnets, no CE mark."),
    (Action.RESTRICT, PolicyCategory.UNSAFE_TOY, Ground.ILLEGAL_CONTENT, "Sold without warnings."),
    (Action.WARN, PolicyCategory.UNSAFE_TOY, Ground.TERMS_OF_SERVICE, "First notice about the labels."),
    (Action.NO_VIOLATION, None, None, ""),
]
UNDO_SHARE = 0.15


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_process(url: str, reviewer: str, seed: int, out: Connection) -> None:
    """The fork server's target: the same work, each line sent through ``out`` before going on; a
    failure is sent as one ``error`` line and ends the process with exit code 1."""
    try:
        main(url, reviewer, seed, lambda line: out.send_bytes(line.encode()))
    except Exception as exc:
        out.send_bytes(f"error {type(exc).__name__}: {exc}".replace("\n", " ")[:2000].encode())
        sys.exit(1)


def main(url: str, reviewer: str, seed: int, say: Callable[[str], None] = say) -> int:
    rng = random.Random(seed)
    ws = open_workstation(url)
    say("ready")
    try:
        while True:
            case = ws.review.claim_next("general", reviewer)
            if case is None:
                say("empty")
                return 0
            say(f"claimed {case.item.id}")
            action, category, ground, why = rng.choice(DECISIONS)
            decision = ws.review.decide(case.item.id, reviewer, action, category, ground, why)
            say(f"decided {decision.id} {case.item.id}")
            if rng.random() < UNDO_SHARE:
                ws.review.undo(decision.id, reviewer)
                say(f"undone {decision.id}")
    finally:
        ws.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
