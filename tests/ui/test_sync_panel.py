"""The sync status bar, the sync panel (retry, discard with a supervisor PIN, audited) and
the unsent-items warnings, on the real main window over a copy of the demo shop.

The quarantined outbox row and the dead provider job are made the way the push and the
dispatcher leave them (status, last_error and state columns of our own tables), not mocked.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.shop import Shop
from local_db.ids import now_iso
from local_db.jobs import set_state
from local_db.store import add_provider_job
from tests.central.conftest import CentralDB, central_db  # noqa: F401  (a fixture)
from tests.sync.push.test_push import enrol
from ui.i18n import age, tr
from ui.main_window import MainWindow
from ui.sync_panel import SyncPanel, UnsentWarning

QUARANTINE_REASON = "product 0192-unknown is not known at central"
DEAD_REASON = "gave up after 8 tries: HTTP 503 from Midtrans"


def quarantine_first_pending(shop: Shop, reason: str = QUARANTINE_REASON) -> int:
    """What the push does when central refuses an event: status and reason, nothing else."""
    with shop.uow() as uow:
        seq = int(uow.conn.execute(text(
            "SELECT min(seq) FROM outbox WHERE status = 'pending'")).scalar_one())
        uow.conn.execute(text("UPDATE outbox SET status = 'quarantined', sent_at = :at, "
                              "last_error = :why WHERE seq = :s"),
                         {"at": now_iso(), "why": reason, "s": seq})
        uow.commit()
    return seq


def add_job(shop: Shop, *, dead: bool = False, provider: str = "midtrans",
            kind: str = "refund") -> str:
    with shop.uow() as uow:
        job_id = add_provider_job(uow.conn, provider=provider, kind=kind,
                                  ref_id="0192f000-0000-7000-8000-00000000abcd",
                                  idempotency_key=f"test-{now_iso()}", payload={"amount": 5000})
        if dead:
            set_state(uow.conn, job_id, from_states=("pending",), state="dead", now=now_iso(),
                      last_error=DEAD_REASON, attempts=8)
        uow.commit()
    return job_id


def outbox_status(shop: Shop, seq: int) -> tuple[str, str | None]:
    with shop.uow(write=False) as uow:
        status, error = uow.conn.execute(text(
            "SELECT status, last_error FROM outbox WHERE seq = :s"), {"s": seq}).one()
    return str(status), error


def job_state(shop: Shop, job_id: str) -> tuple[str, int, str | None]:
    with shop.uow(write=False) as uow:
        state, attempts, error = uow.conn.execute(text(
            "SELECT state, attempts, last_error FROM provider_job WHERE id = :i"),
            {"i": job_id}).one()
    return str(state), int(attempts), error


def audits(shop: Shop, action: str) -> list[dict[str, Any]]:
    with shop.uow(write=False) as uow:
        rows = uow.conn.execute(text(
            "SELECT a.entity_id, a.details, u.name AS approver FROM audit_log a "
            "LEFT JOIN user u ON u.id = a.approver_id WHERE a.action = :a ORDER BY a.seq"),
            {"a": action}).mappings().all()
    return [{"entity_id": r["entity_id"], "details": json.loads(r["details"]),
             "approver": r["approver"]} for r in rows]


def fresh_figures(qtbot: QtBot, w: MainWindow) -> Any:
    with qtbot.waitSignal(w.status.refreshed, timeout=10_000) as blocker:
        w.status.refresh()
    return blocker.args[0]


def open_panel(qtbot: QtBot, w: MainWindow) -> SyncPanel:
    qtbot.waitUntil(lambda: w.status.figures is not None, timeout=10_000)
    qtbot.mouseClick(w.status, Qt.MouseButton.LeftButton)  # clicking the bar opens it
    panel = w.sync.panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.isVisible() and "central" in panel.channel_tabs,
                    timeout=10_000)
    return panel


def reload(qtbot: QtBot, panel: SyncPanel) -> None:
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.refresh()


def type_pin(qtbot: QtBot, panel: SyncPanel, user: str, pin: str) -> None:
    qtbot.waitUntil(lambda: panel.pin_dialog is not None and panel.pin_dialog.isVisible(),
                    timeout=5000)
    dialog = panel.pin_dialog
    assert dialog is not None
    dialog.select_user(user)
    dialog.pin.clear()
    qtbot.keyClicks(dialog.pin, pin)
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)


# --- the status bar -----------------------------------------------------------------------

def test_status_bar_shows_pending_oldest_age_failed_and_state(qtbot: QtBot, till: MainWindow,
                                                              shop: Shop) -> None:
    add_job(shop)  # one provider job waiting
    quarantine_first_pending(shop)
    f = fresh_figures(qtbot, till)
    with shop.uow(write=False) as uow:
        outbox_pending = int(uow.conn.execute(text(
            "SELECT count(*) FROM outbox WHERE status = 'pending'")).scalar_one())
    assert outbox_pending > 0
    assert (f.outbox_pending, f.jobs_open, f.pending) == (outbox_pending, 1,
                                                          outbox_pending + 1)
    assert f.quarantined == 1 and f.failed == 1
    assert f.oldest_pending_age_s is not None and f.oldest_pending_age_s >= 0
    bar = till.status
    assert bar.pending.text() == tr("sync.pending_age", count=outbox_pending + 1,
                                    age=age(f.oldest_pending_age_s))
    assert bar.pending.text().startswith(f"Antre kirim: {outbox_pending + 1} (tertua ")
    assert bar.failed.isVisible() and bar.failed.text() == "Gagal: 1"
    # The demo shop has no central: the bar says so instead of pretending to be online.
    assert f.connection == "not_connected"
    assert bar.online.text() == "● Offline (tanpa server pusat)"
    assert "not connected to a central database" in bar.online.toolTip()
    assert bar.last_sync.text() == "Sinkron: belum pernah"
    assert not bar.skew.isVisible()
    # A clock skew measured at the last sync shows as a warning on every screen.
    with shop.uow() as uow:
        uow.conn.execute(text("INSERT INTO setting(key, value) VALUES "
                              "('sync.clock_skew_s', '-612.5'), "
                              "('sync.last_push_at', :t)"), {"t": now_iso()})
        uow.commit()
    f = fresh_figures(qtbot, till)
    assert f.skew_flagged and f.skew_s == -612.5
    assert bar.skew.isVisible() and "10 mnt" in bar.skew.text()
    assert bar.last_sync.text().startswith("Sinkron: ")
    assert "belum" not in bar.last_sync.text()


def test_a_sale_wakes_the_sync_and_refreshes_the_bar(qtbot: QtBot, till: MainWindow,
                                                     shop: Shop) -> None:
    before = fresh_figures(qtbot, till).outbox_pending
    woken: list[int] = []
    backend = till.backend
    assert backend is not None
    original = backend.sync.wake
    backend.sync.wake = lambda: (woken.append(1), original())[1]  # type: ignore[method-assign]
    with qtbot.waitSignal(till.status.refreshed, timeout=10_000,
                          check_params_cb=lambda f: f.outbox_pending > before):
        till.till.sale_completed.emit(None)  # as after a committed sale...
        with shop.uow() as uow:  # ...whose outbox event is already written
            uow.conn.execute(text(
                "INSERT INTO outbox (seq, id, type, schema_version, payload, created_at, "
                "status) SELECT max(seq) + 1, '0192f000-0000-7000-8000-0000000000ee', "
                "'note.test', 1, '{}', :t, 'pending' FROM outbox"), {"t": now_iso()})
            uow.commit()
        till.status.refresh()
    assert woken == [1]


# --- the panel ----------------------------------------------------------------------------

def test_panel_lists_quarantined_and_dead_items_with_their_errors(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    seq = quarantine_first_pending(shop)
    job = add_job(shop, dead=True)
    panel = open_panel(qtbot, till)
    assert [panel.tabs.tabText(i).split(" (")[0] for i in range(panel.tabs.count())] == [
        "Server pusat", "Pembayaran", "Kurir", "Email", "SMS/WhatsApp", "Notifikasi"]
    central = panel.tab("central")
    row = [i for i in central.items if i.item_id == str(seq)]
    assert row and row[0].state == "quarantined" and row[0].last_error == QUARANTINE_REASON
    r = central.items.index(row[0])
    assert central.table.item(r, 1).text() == "dikarantina"
    assert central.table.item(r, 4).text() == QUARANTINE_REASON
    # Each item in the shop's words, not the event's internal name (issue 11), and its time
    # on the store's clock with WIB (the demo's Asia/Jakarta), not this computer's UTC.
    what = central.table.item(r, 0).text()
    assert f"(#{seq})" in what and "." not in what.split(" (#")[0], what
    assert central.table.item(r, 0).toolTip() == row[0].what
    assert central.table.item(r, 5).text().endswith(" WIB")
    # A product change names the product (from the event's payload, in clear).
    r1 = next(i for i, item in enumerate(central.items) if item.what == "product.upserted")
    assert central.items[r1].detail and central.table.item(r1, 0).text() == (
        f"Perubahan produk (#{central.items[r1].item_id}): {central.items[r1].detail}")
    # Pending events are listed too, in push order, after what needs a person.
    assert [i.state for i in central.items][:2] == ["quarantined", "pending"]
    # No central: the tab says so (the engine's words), no fake connection state.
    assert central.note.isVisible() and "belum terhubung ke server pusat" in central.note.text()
    payments = panel.tab("payments")
    [dead] = payments.items
    assert (dead.item_id, dead.state, dead.attempts, dead.last_error) == (
        job, "dead", 8, DEAD_REASON)
    assert payments.table.item(0, 1).text() == "berhenti dicoba"
    assert payments.table.item(0, 4).text() == DEAD_REASON
    assert payments.table.item(0, 0).text() == "Pengembalian dana lewat Midtrans"
    assert panel.tabs.tabText(panel.tabs.indexOf(payments)) == "Pembayaran (1)"
    email = panel.tab("email")
    assert not email.items and not email.table.isVisibleTo(panel)
    assert email.empty.text() == "Tidak ada antrean."


def test_retry_requeues_a_dead_job_with_a_supervisor_and_a_quarantined_event(
        qtbot: QtBot, till: MainWindow, shop: Shop) -> None:
    seq = quarantine_first_pending(shop)
    job = add_job(shop, dead=True)
    panel = open_panel(qtbot, till)
    assert panel.choose("payments", job)
    # Sari is a cashier: a dead job's replay moves money again, so a supervisor is asked.
    qtbot.keyClick(panel, Qt.Key.Key_F5)
    type_pin(qtbot, panel, "Budi", "5678")
    qtbot.waitUntil(lambda: job_state(shop, job)[0] == "pending", timeout=5000)
    assert job_state(shop, job) == ("pending", 0, None)
    [replay] = audits(shop, "job.replay")
    assert replay["entity_id"] == job and replay["approver"] == "Budi"
    reload(qtbot, panel)
    assert panel.tab("payments").items[0].state == "pending"
    # A quarantined event goes back to the push queue (safe: the push is idempotent).
    assert panel.choose("central", str(seq))
    with qtbot.waitSignal(panel.acted, timeout=10_000):
        panel.buttons["retry"].click()
    assert outbox_status(shop, seq)[0] == "pending"
    assert [a["details"]["seq"] for a in audits(shop, "outbox.retry")] == [seq]
    # Nothing to retry on a pending event: said, nothing changes.
    panel.choose("central", str(seq))
    qtbot.waitUntil(lambda: panel.current() is not None and
                    panel.current().state == "pending", timeout=5000)  # type: ignore[union-attr]
    panel.retry()
    assert panel.message.text() == "Baris ini tidak bisa dicoba lagi."


def test_discard_needs_a_supervisor_pin_and_is_audited(qtbot: QtBot, till: MainWindow,
                                                       shop: Shop) -> None:
    seq = quarantine_first_pending(shop)
    job = add_job(shop)  # pending
    panel = open_panel(qtbot, till)
    assert panel.choose("central", str(seq))
    qtbot.keyClick(panel, Qt.Key.Key_F8)
    type_pin(qtbot, panel, "Budi", "0000")  # wrong
    dialog = panel.pin_dialog
    assert dialog is not None and dialog.isVisible()
    assert "wrong PIN" in dialog.message.text()
    assert outbox_status(shop, seq) == ("quarantined", QUARANTINE_REASON)
    assert audits(shop, "outbox.discard") == []
    type_pin(qtbot, panel, "Sari", "1234")  # right PIN, but a cashier
    assert "needs a supervisor" in dialog.message.text()
    assert outbox_status(shop, seq)[0] == "quarantined"
    with qtbot.waitSignal(panel.acted, timeout=10_000):
        type_pin(qtbot, panel, "Budi", "5678")
    status, error = outbox_status(shop, seq)
    assert status == "discarded" and error is not None
    assert error.startswith("discarded by Sari (approved by Budi)")
    assert QUARANTINE_REASON in error
    [audit] = audits(shop, "outbox.discard")
    assert audit["approver"] == "Budi" and audit["details"]["reason"] == QUARANTINE_REASON
    # A provider job the same way: dead, audited with who approved.
    qtbot.waitUntil(lambda: panel.pin_dialog is None, timeout=5000)
    reload(qtbot, panel)
    # The payment job waits because this till has no Midtrans key; the tab says so.
    payments = panel.tab("payments")
    assert not payments.note.isHidden() and "Midtrans is not set up" in payments.note.text()
    assert panel.choose("payments", job)
    panel.discard()
    with qtbot.waitSignal(panel.acted, timeout=10_000):
        type_pin(qtbot, panel, "Budi", "5678")
    state, _attempts, reason = job_state(shop, job)
    assert state == "dead" and reason == "discarded by Sari (approved by Budi)"
    [job_audit] = audits(shop, "job.discard")
    assert job_audit["entity_id"] == job and job_audit["approver"] == "Budi"


# --- unsent items at close and logout ------------------------------------------------------

def test_closing_with_unsent_items_warns_with_the_count(qtbot: QtBot, till: MainWindow,
                                                        shop: Shop) -> None:
    add_job(shop)
    add_job(shop, provider="sendgrid", kind="email")
    with qtbot.waitSignal(till.sync.warned, timeout=10_000) as blocker:
        till.close()
    box = blocker.args[0]
    assert isinstance(box, UnsentWarning) and box.summary.total == 2
    assert box.text().startswith("2 item belum terkirim")
    assert till.isVisible() and till.backend is not None  # not closed while asking
    box.stay.click()
    qtbot.waitUntil(lambda: till.sync.warning is None, timeout=5000)
    assert till.isVisible() and till.backend is not None
    with qtbot.waitSignal(till.sync.warned, timeout=10_000) as blocker:
        till.close()
    box = blocker.args[0]
    assert box.go_on is not None
    box.go_on.click()
    qtbot.waitUntil(lambda: till.backend is None, timeout=10_000)
    assert not till.isVisible()


def test_closing_with_nothing_unsent_just_closes(qtbot: QtBot, till: MainWindow) -> None:
    # The demo shop has no central: its outbox waits for the day it is connected, which
    # staying open would not bring closer, so it is no reason to ask.
    till.close()
    qtbot.waitUntil(lambda: till.backend is None, timeout=10_000)
    assert till.sync.warning is None


def test_logging_out_with_unsent_items_says_how_many(qtbot: QtBot, till: MainWindow,
                                                     shop: Shop) -> None:
    # More in tests/ui/test_logout.py (the demo's outbox, with no central yet).
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE outbox SET status = 'sent', sent_at = :at "
                              "WHERE status = 'pending'"), {"at": now_iso()})
        uow.commit()
    add_job(shop)
    with qtbot.waitSignal(till.logout_warned, timeout=10_000) as blocker:
        till.till.logout_requested.emit()
    box = blocker.args[0]
    assert till.pages.currentWidget() is till.till  # asks first
    assert box.text().startswith("1 item belum terkirim") and box.go_on is not None
    box.go_on.click()
    qtbot.waitUntil(lambda: till.pages.currentWidget() is till.login, timeout=5000)


# --- the real program with a central ---------------------------------------------------------

def test_the_window_syncs_a_sale_to_central(qtbot: QtBot, shop: Shop,
                                            central_db: CentralDB  # noqa: F811
                                            ) -> None:
    """Enrolled shop: the window starts the worker, the bar turns online, a sale made at
    the till wakes the worker and reaches central; closing stops the worker."""
    from app.gui import GuiBackend
    from tests.ui.conftest import log_in

    _link, term = enrol(central_db, shop, "Toko Layar")
    w = MainWindow(lambda: GuiBackend(shop))
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.login_shown, timeout=10_000):
        w.start()
    try:
        qtbot.waitUntil(lambda: w.status.figures is not None
                        and w.status.figures.connection == "online"
                        and w.status.figures.outbox_pending == 0, timeout=30_000)
        assert w.status.online.text() == "● Online"
        assert w.status.last_sync.text() != "Sinkron: belum pernah"
        log_in(qtbot, w)
        w.till.add_code("8991619730698")
        qtbot.waitUntil(lambda: len(w.till.cart.lines) == 1, timeout=5000)
        qtbot.keyClick(w.till.scan, Qt.Key.Key_F9)
        dialog = w.till.pay_dialog
        assert dialog is not None
        with qtbot.waitSignal(w.till.sale_completed, timeout=10_000) as done:
            qtbot.mouseClick(dialog.exact_button, Qt.MouseButton.LeftButton)
        receipt = done.args[0].receipt_no
        with central_db.connect() as c:
            def at_central() -> bool:
                return c.execute("SELECT count(*) FROM central.sale WHERE tenant_id = %s "
                                 "AND receipt_no = %s", (term.tenant_id, receipt)
                                 ).fetchone()[0] == 1
            qtbot.waitUntil(at_central, timeout=15_000)
        qtbot.waitUntil(lambda: w.status.figures is not None
                        and w.status.figures.outbox_pending == 0, timeout=10_000)
    finally:
        w.shutdown()
    assert not [t for t in threading.enumerate() if t.name.startswith(("APScheduler",
                                                                     "provider-jobs"))]
