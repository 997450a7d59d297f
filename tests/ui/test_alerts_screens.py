"""The reorder and scheduled-emails screens (issue 15) on a copy of the demo shop, loading
through the real backend on the pool lane: the open alerts on top of the reorder list with
the services' own figures, the owner's digest sent from the screen (once), and the daily
summary's schedule, the scheduler's jobs on the store's clock and the email log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.secrets import cipher_for
from app.shop import Shop
from local_db.ids import seeding_clock
from local_db.store import write_settings
from services.formatting import zone
from services.reorder import reorder_list, set_reorder_terms
from services.schedule_summary import run_due_summaries, scheduled_moment
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.stock import count_stock
from services.users import Actor
from tests.helpers import scalar
from ui import i18n
from ui.office.common import OfficeContext
from ui.tasks import TaskManager

WAIT = 10_000
TZ = "Asia/Jakarta"


#: The screens a test opened, kept until its task lanes are shut down: a screen whose last
#: reference were a finished read's callbacks would be freed on a pool thread (seen as a
#: segfault in the next test when the screen ended right after its first load).
KEEP: list[object] = []


def office_as(shop: Shop, name: str, pin: str) -> tuple[OfficeContext, TaskManager]:
    backend = GuiBackend(shop)
    backend.core.login(name, pin)
    tasks = TaskManager()
    return OfficeContext(tasks, backend, backend.ctx.require_actor()), tasks


@pytest.fixture
def office(shop: Shop) -> Iterator[OfficeContext]:
    ctx, tasks = office_as(shop, "Wati", "9999")  # the owner
    yield ctx
    tasks.shutdown()
    KEEP.clear()


def shown(qtbot: QtBot, screen: object) -> None:
    KEEP.append(screen)
    qtbot.addWidget(screen)
    screen.resize(1116, 768)  # type: ignore[attr-defined]
    screen.show()  # type: ignore[attr-defined]
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):  # type: ignore[attr-defined]
        screen.activate()  # type: ignore[attr-defined]


def text_at(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def sell(shop: Shop, actor: Actor, sku: str, qty_milli: int) -> None:
    req = SaleRequest((LineRequest(sku, qty_milli),), (PaymentRequest("cash", 1_000_000),))
    with shop.uow() as uow:
        complete_sale(uow, shop.config, actor, req)


def settings(shop: Shop, values: dict[str, str]) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, values)
        uow.commit()


# --- the reorder list ------------------------------------------------------------------

def test_open_alerts_on_top_of_the_reorder_list_and_the_digest_sent_once(
        qtbot: QtBot, office: OfficeContext, shop: Shop, cashier: Actor,
        supervisor: Actor) -> None:
    from ui.alerts_reorder import ReorderScreen

    settings(shop, {"messaging.owner_channel": "email",
                    "messaging.owner_to": "pemilik@warung.test"})
    now = datetime.now(UTC)
    with shop.uow() as uow:  # 12 on hand, threshold 5 (demo catalogue)
        count_stock(uow, supervisor, "MI-0001", 12_000)
    with shop.uow() as uow:
        set_reorder_terms(uow, supervisor, "MI-0001", supplier="CV Sumber Rejeki",
                          lead_days="4", pack="12")
    with seeding_clock(now - timedelta(days=3)):  # sold last week: the velocity
        sell(shop, cashier, "MI-0001", 8000)  # 12 -> 4: crosses 5, one alert
    screen = ReorderScreen(office)
    shown(qtbot, screen)
    view = screen.view
    assert view is not None and view.channel == "email" and view.pending >= 1
    assert [a.sku for a in view.alerts][:1] == ["MI-0001"]
    with shop.uow(write=False) as uow:
        expected = reorder_list(uow.conn, view.reorder.as_of)
    assert view.reorder == expected  # the service's own figures
    row = next(r for r in screen.rows if r.sku == "MI-0001")
    # 8 sold in 28 days × 4 days + safety 5 = 6.143 -> point 6.143 units; on hand 4:
    # need 2.143, rounded up to one pack of 12.
    assert (row.lead_days, row.pack_milli, row.suggested_milli) == (4, 12_000, 12_000)
    assert row.reorder_point_milli == -(-8000 * 4 // 28) + 5000
    # Alerted products come first, marked; figures in the screen's words.
    assert screen.rows[0].product_id in {a.product_id for a in view.alerts}
    first = [text_at(screen.table, 0, c) for c in range(screen.table.columnCount())]
    r = screen.rows.index(row)
    cells = [text_at(screen.table, r, c) for c in range(screen.table.columnCount())]
    assert cells[0].endswith("⚠") and first[0].endswith("⚠")
    assert cells[1] == "4" and cells[2] == "0,29" and cells[3] == "4 hari"
    assert cells[5] == "12 (1 × kemasan 12)" and cells[6] == "CV Sumber Rejeki"
    alert_row = [a.sku for a in view.alerts].index("MI-0001")
    assert text_at(screen.alerts_table, alert_row, 2) == "4"
    assert text_at(screen.alerts_table, alert_row, 5) == "menunggu dikirim"
    assert "email" in screen.summary.text()
    # The digest from the screen: one message, the alerts marked; again sends nothing.
    assert screen.send_button.isEnabled()
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            screen.send_button.click()
    assert screen.sent is not None and len(screen.sent.message_ids) == 1
    assert "dikirim ke pemilik" in screen.message.text()
    assert screen.view is not None and screen.view.pending == 0
    assert not screen.send_button.isEnabled()
    assert scalar(shop, "SELECT COUNT(*) FROM message WHERE template='low_stock'") == 1
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            screen.send_digest()
    assert screen.sent is not None and len(screen.sent.message_ids) == 0
    assert scalar(shop, "SELECT COUNT(*) FROM message WHERE template='low_stock'") == 1
    # In English the same figures, in English words.
    i18n.set_language("en")
    screen.retranslate()
    assert screen.table.horizontalHeaderItem(5).text() == "Suggested order"
    assert text_at(screen.table, r, 3) == "4 days"


def test_no_owner_channel_keeps_the_alerts_on_the_screen(
        qtbot: QtBot, office: OfficeContext, shop: Shop, supervisor: Actor) -> None:
    from ui.alerts_reorder import ReorderScreen

    settings(shop, {"messaging.owner_channel": ""})
    with shop.uow() as uow:
        count_stock(uow, supervisor, "MI-0002", 1000)
    screen = ReorderScreen(office)
    shown(qtbot, screen)
    assert screen.view is not None and screen.view.channel is None
    assert "belum diatur" in screen.summary.text()
    assert not screen.send_button.isEnabled()


def test_a_cashier_is_refused_by_the_service(qtbot: QtBot, shop: Shop) -> None:
    from ui.alerts_reorder import ReorderScreen

    ctx, tasks = office_as(shop, "Sari", "1234")
    try:
        screen = ReorderScreen(ctx)
        shown(qtbot, screen)
        assert screen.view is None and "supervisor" in screen.message.text()
    finally:
        tasks.shutdown()
        KEEP.clear()


# --- scheduled emails ------------------------------------------------------------------

def test_schedule_jobs_and_log_on_the_stores_clock(
        qtbot: QtBot, office: OfficeContext, shop: Shop) -> None:
    from ui.alerts_schedule import ScheduleScreen

    today = datetime.now(UTC).astimezone(zone(TZ)).date()
    settings(shop, {"timezone": TZ, "summary.time": "21:00", "summary.misfire_hours": "6",
                    "summary.recipients": "pemilik@warung.test, akuntan@warung.test",
                    "schedule.since": scheduled_moment(today - timedelta(days=3), time(20, 0),
                                                       TZ).isoformat()})
    cipher = cipher_for(shop)
    # Three and two days ago were missed (the PC off until yesterday morning); yesterday's
    # was queued at its closing time.
    run_due_summaries(shop.uow, cipher, None, now=scheduled_moment(
        today - timedelta(days=1), time(8, 0), TZ))
    run_due_summaries(shop.uow, cipher, None, now=scheduled_moment(
        today - timedelta(days=1), time(21, 5), TZ))
    screen = ScheduleScreen(office)
    shown(qtbot, screen)
    view = screen.view
    assert view is not None and not view.running
    assert screen.values["time"].text() == "21:00 WIB"
    assert screen.values["recipients"].text() == "pemilik@warung.test, akuntan@warung.test"
    assert screen.values["misfire"].text() == "6 jam"
    assert screen.values["till"].text().startswith("kasir mana pun")
    assert screen.values["next"].text().endswith("21:00 WIB")
    # The jobs with their next run on the store's clock.
    jobs = {view.jobs[r].id: [text_at(screen.jobs, r, c) for c in range(3)]
            for r in range(len(view.jobs))}
    assert jobs["daily-summary"][:2] == ["Ringkasan harian", "setiap hari 21:00"]
    assert jobs["daily-summary"][2].endswith("21:00 WIB")
    assert jobs["summary-catch-up"][1] == "setiap 10 menit"
    assert jobs["stock-alerts"][1] == "setiap hari 07:00"
    # The log: masked recipients, states and reasons in words, newest day first.
    log = [[text_at(screen.log, r, c) for c in range(5)]
           for r in range(screen.log.rowCount())]
    assert len(log) == 6
    assert {r[1] for r in log} == {"p***@warung.test", "a***@warung.test"}
    yesterday = (today - timedelta(days=1)).strftime("%d-%m-%Y")
    assert [r[3] for r in log if r[0] == yesterday] == ["Menunggu dikirim"] * 2
    earlier = [r for r in log if r[0] != yesterday]
    assert [r[3] for r in earlier] == ["Dilewati"] * 4
    assert all(r[4].startswith("terlewat") for r in earlier)
    assert all(r[2].endswith("21:00 WIB") for r in log)
    i18n.set_language("en")
    screen.retranslate()
    assert text_at(screen.log, 0, 3) == "Waiting to send"
    assert screen.values["misfire"].text() == "6 hours"


def test_the_scheduled_emails_are_the_owners(qtbot: QtBot, shop: Shop) -> None:
    from ui.alerts_schedule import ScheduleScreen

    ctx, tasks = office_as(shop, "Budi", "5678")  # a supervisor
    try:
        screen = ScheduleScreen(ctx)
        shown(qtbot, screen)
        assert screen.view is None and "owner" in screen.message.text()
    finally:
        tasks.shutdown()
        KEEP.clear()
