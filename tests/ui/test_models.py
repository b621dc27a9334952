"""The item models pass pytest-qt's model tester over real rows, and update in place where they should."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from pytestqt.modeltest import ModelTester

from moderator_app.services.workstation import Workstation
from moderator_app.ui.models import KEY_ROLE, ROW_ROLE, DecisionModel, FlagModel, QueueModel, ThumbModel
from tests.ui.conftest import QUEUE


def _case(ws: Workstation):  # type: ignore[no-untyped-def]
    case = ws.review.claim_next(QUEUE, "model-test")
    assert case is not None
    return case


def test_queue_model(qtmodeltester: ModelTester, review_ws: Workstation) -> None:
    model = QueueModel()
    model.update_counts(review_ws.review.queue_counts())
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 1
    assert model.index(0, QueueModel.NAME).data() == "Product safety"
    assert model.index(0, QueueModel.PENDING).data() == "10"
    assert model.index(0, 0).data(KEY_ROLE) == QUEUE

    # A refresh with the same queues changes the figures in place (the selection survives).
    _case(review_ws)
    changed: list[int] = []
    model.dataChanged.connect(lambda a, b, roles=(): changed.append(a.row()))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.update_counts(review_ws.review.queue_counts())
    assert model.index(0, QueueModel.PENDING).data() == "9"
    assert changed and not resets


def test_flag_and_decision_models(qtmodeltester: ModelTester, review_ws: Workstation) -> None:
    case = _case(review_ws)
    flags = FlagModel()
    flags.set_rows(case.flags)
    qtmodeltester.check(flags, force_py=True)
    assert flags.rowCount() == 2 and flags.columnCount() == 5
    assert flags.index(0, FlagModel.REASON).data() == "Unsafe toy"
    assert flags.index(0, 0).data(ROW_ROLE) == case.flags[0]
    assert flags.headerData(FlagModel.NOTIFIER, Qt.Orientation.Horizontal) == "Notifier"

    decisions = DecisionModel()
    decisions.set_rows(case.trader.recent_decisions)
    qtmodeltester.check(decisions, force_py=True)
    assert decisions.rowCount() == 3
    assert decisions.index(0, DecisionModel.ACTION).data() == "Remove listing"
    assert decisions.index(0, DecisionModel.LISTING).data().startswith("L-HIST-")


def test_thumbnail_model(qtmodeltester: ModelTester, review_ws: Workstation) -> None:
    case = _case(review_ws)
    model = ThumbModel()
    model.set_images(case.images)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3
    assert model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is None
    changed: list[int] = []
    model.dataChanged.connect(lambda a, b, roles=(): changed.append(a.row()))
    pix = QPixmap(8, 8)
    model.set_pixmap(case.images[1].id, pix)
    assert changed == [1]
    assert model.index(1, 0).data(Qt.ItemDataRole.DecorationRole).cacheKey() == pix.cacheKey()
    model.set_pixmap(case.images[2].id, None, "corrupt")
    assert "unreadable" in model.index(2, 0).data()
