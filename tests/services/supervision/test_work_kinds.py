"""Issue 9 item 2: work items come in kinds, each with its own claim and decide path. The listing path
(review window, ``next``, ``decide``) hands out and decides listing items only; internal queues cannot
be named by an import line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderator_app.domain.dsa.model import AppellantKind
from moderator_app.domain.enums import Action, Ground, PolicyCategory
from moderator_app.domain.errors import AlreadyDecided, InvalidInput
from moderator_app.domain.review.policy import QUEUE_OF_CATEGORY
from moderator_app.domain.review.work import INTERNAL_QUEUES
from moderator_app.services.workstation import Workstation
from moderator_app.storage import orm
from tests.services.dsa.helpers import decide, flag, make_trader
from tests.services.supervision.helpers import add_accounts


def _decision_under_complaint(ws: Workstation) -> tuple[str, int]:
    """A decided listing whose only open item is the complaint against the decision."""
    add_accounts(ws)
    t = make_trader(ws)
    flag(ws, t.listing_ids[0], queue="general")
    d = decide(ws, t.listing_exts[0], reviewer="a.moreau")
    a = ws.dsa.appeals.file(d.id, AppellantKind.TRADER, "The toy has its CE mark.", "a.moreau")
    return t.listing_exts[0], a.item_id


def test_the_listing_path_never_hands_out_or_decides_a_complaint(ws: Workstation) -> None:
    listing, complaint_item = _decision_under_complaint(ws)
    for queue, path in (("appeals", "appeal next"), ("quality", "quality review")):
        with pytest.raises(InvalidInput, match=path):
            ws.review.claim_next(queue, "s.supervisor")
    with pytest.raises(AlreadyDecided, match="no open review item"):  # not the complaint's item
        ws.review.claim_listing(listing, "s.supervisor")
    # even holding the complaint's item, a supervisor cannot decide it as if it were the listing
    case = ws.dsa.appeals.claim_next("s.supervisor")
    assert case is not None and case.appeal.item_id == complaint_item
    with pytest.raises(InvalidInput, match="holds complaints"):
        ws.review.decide(
            complaint_item,
            "s.supervisor",
            Action.REMOVE,
            PolicyCategory.UNSAFE_TOY,
            Ground.TERMS_OF_SERVICE,
            "Loose magnets.",
        )
    with ws.db.read() as s:
        assert s.get_one(orm.ReviewItem, complaint_item).state == "open"
    # the window's queue list shows listing queues only (complaints and second reviews have their own)
    assert not {c.queue for c in ws.review.queue_counts("s.supervisor")} & {"appeals", "quality"}


def test_no_import_line_and_no_routing_rule_names_an_internal_queue(ws: Workstation, tmp_path: Path) -> None:
    assert not INTERNAL_QUEUES & {q.value for q in QUEUE_OF_CATEGORY.values()} - {"escalated"}
    lines = [json.dumps({"record": "trader", "id": "T-1", "name": "Shop", "kind": "private"})]
    for n, queue in enumerate(("appeals", "quality", "Escalated")):
        lines.append(
            json.dumps(
                {
                    "record": "listing",
                    "id": f"L-{n}",
                    "trader": "T-1",
                    "title": "A toy",
                    "category": "Toys",
                    "created_at": "2026-11-01T10:00:00Z",
                    "queue": queue,
                    "flags": [
                        {
                            "source": "automated",
                            "category": "unsafe_toy",
                            "explanation": "magnets",
                            "received_at": "2026-11-01T11:00:00Z",
                        }
                    ],
                }
            )
        )
    report = ws.importer.import_lines(lines, tmp_path)
    assert report.listings_added == 0
    assert [why for _, why in report.rejected] == [
        f"the queue {q!r} is internal (filled by the workstation itself); name another queue"
        for q in ("appeals", "quality", "Escalated")
    ]
