"""F12 (logout) with items waiting to be sent warns with their number first, as the README
says; the person logs out or stays at the till."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.shop import Shop
from local_db.models import OutboxEvent
from ui.main_window import MainWindow
from ui.sync_panel import UnsentWarning


def pending(shop: Shop) -> int:
    with shop.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OutboxEvent)
                                      .where(OutboxEvent.status == "pending")) or 0)


def test_f12_with_unsent_items_warns_with_the_count_then_logs_out(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    waiting = pending(shop)  # the demo's outbox: no central yet, what the status bar counts
    assert waiting > 0
    with qtbot.waitSignal(till.logout_warned, timeout=10_000) as blocker:
        till.till.logout()  # F12
    box = blocker.args[0]
    assert isinstance(box, UnsentWarning) and box.isVisible()
    assert box.text().startswith(f"{waiting} item menunggu dikirim")
    assert "belum terhubung ke server pusat" in box.text()
    assert till.pages.currentWidget() is till.till and till.actor is not None  # asks first
    till.till.logout()  # F12 again while asking: still one question
    assert till.logout_warning is box
    assert box.go_on is not None
    box.go_on.click()
    qtbot.waitUntil(lambda: till.pages.currentWidget() is till.login, timeout=5000)
    assert till.actor is None and till.logout_warning is None


def test_staying_keeps_the_cashier_at_the_till(qtbot: QtBot, till: MainWindow) -> None:
    with qtbot.waitSignal(till.logout_warned, timeout=10_000) as blocker:
        till.till.logout()
    box = blocker.args[0]
    assert box.defaultButton() is box.stay  # Enter does not log out behind one's back
    box.stay.click()
    qtbot.waitUntil(lambda: till.logout_warning is None, timeout=5000)
    assert till.pages.currentWidget() is till.till and till.actor is not None
    qtbot.waitUntil(till.till.scan.hasFocus, timeout=5000)


def test_nothing_waiting_logs_out_at_once(qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    from sqlalchemy import text

    from local_db.ids import now_iso
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE outbox SET status = 'sent', sent_at = :at "
                              "WHERE status = 'pending'"), {"at": now_iso()})
        uow.commit()
    till.till.logout()
    qtbot.waitUntil(lambda: till.pages.currentWidget() is till.login, timeout=5000)
    assert till.logout_warning is None
