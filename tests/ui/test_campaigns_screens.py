"""The segments and campaigns screens (issue 15) on a copy of the demo shop, through the real
backend on the pool and writer lanes: the segment table with the services' own counts, a
campaign composed with a live audience count, sent from the screen (the holdout never),
and its results with the reason there is no lift for a tiny holdout."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from services.segments import recompute_segments
from services.users import Actor
from tests.helpers import scalar
from tests.services.campaign_helpers import add_customers, sale_at
from ui.books_common import BooksScreen
from ui.office.common import OfficeContext
from ui.tasks import TaskManager

WAIT = 10_000


@pytest.fixture
def office(shop: Shop, qtbot: QtBot) -> Iterator[OfficeContext]:
    backend = GuiBackend(shop)
    backend.core.login("Wati", "9999")
    tasks = TaskManager()
    yield OfficeContext(tasks, backend, backend.ctx.require_actor())
    tasks.shutdown()


def shown(qtbot: QtBot, screen: BooksScreen) -> None:
    qtbot.addWidget(screen)
    screen.resize(1116, 768)
    screen.show()
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        screen.activate()  # type: ignore[attr-defined]


def test_segment_table_and_recompute(qtbot: QtBot, office: OfficeContext, shop: Shop,
                                     cashier: Actor) -> None:
    from ui.campaigns_segments import SegmentsScreen
    ids = add_customers(shop, 3)
    sale_at(shop, cashier, ids[0], datetime.now(UTC) - timedelta(days=1))
    screen = SegmentsScreen(office)
    shown(qtbot, screen)
    assert screen.view is not None and screen.view.computed_at is None
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        screen.recompute_button.click()
    assert screen.view.computed_at is not None
    rows = {screen.table.item(r, 0).text(): int(screen.table.item(r, 1).text())
            for r in range(screen.table.rowCount())}
    assert rows["Baru"] >= 1 and sum(rows.values()) >= 3
    assert rows["Baru"] == scalar(shop, "SELECT COUNT(*) FROM customer_segment "
                                        "WHERE segment = 'baru'")


def test_compose_preview_send_and_results(qtbot: QtBot, office: OfficeContext,
                                          shop: Shop) -> None:
    from ui.campaigns_screen import CampaignsScreen
    add_customers(shop, 30)
    with shop.uow() as uow:
        recompute_segments(uow, datetime.now(UTC))
    screen = CampaignsScreen(office)
    shown(qtbot, screen)
    screen.name.setText("Promo layar")
    screen.text.setPlainText("diskon untuk Anda.")
    screen.cost.setText("10.000")
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        screen.preview_button.click()
    assert screen.count is not None and screen.count.eligible >= 30
    assert str(screen.count.holdout) in screen.count_label.text()
    with qtbot.waitSignal(screen.done, timeout=WAIT):
        screen.save_button.click()
    assert screen.created is not None and screen.created.status == "draft"
    qtbot.waitUntil(lambda: len(screen.rows) == 1, timeout=WAIT)
    screen.table.selectRow(0)
    assert screen.send_button.isEnabled()
    with qtbot.waitSignal(screen.done, timeout=WAIT):
        screen.send_button.click()
    qtbot.waitUntil(lambda: bool(screen.rows) and screen.rows[0].status == "sent",
                    timeout=WAIT)
    bulk = screen.rows[0].bulk_id
    held = scalar(shop, "SELECT COUNT(*) FROM message m JOIN campaign_recipient r ON "
                        "r.customer_id = m.customer_id AND r.arm = 'holdout' "
                        "WHERE m.bulk_id = :b", b=bulk)
    assert held == 0
    screen.table.clearSelection()
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        screen.table.selectRow(0)
    assert screen.results is not None and screen.results.lift is None
    assert "Pendapatan teratribusi" in screen.results_label.text()
    assert "kontrol" in screen.results_label.text()


def test_a_cashier_does_not_see_the_screens() -> None:
    from ui.office.shell import screens_for
    keys = {s.key for s in screens_for("cashier")}
    assert "campaigns" not in keys and "segments" not in keys
    assert {"campaigns", "segments"} <= {s.key for s in screens_for("supervisor")}
