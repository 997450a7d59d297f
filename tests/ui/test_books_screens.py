"""The books screens (issue 14) on a copy of the demo shop, each loading its figures from
the services through the real backend on the pool lane: expenses, payables, receivables,
the journal, statements, period close and analytics, the scope selector (a till that is
not enrolled falls back to its own figures and says so), and the till's cash-out booking a
quick expense."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from services.books.ageing import receivables_ageing
from services.books.statements import BalanceSheet, CashBook, journal_page, profit_and_loss
from services.customers import create_customer
from services.expenses import list_expenses
from services.payables import list_payables
from services.reports.scope import Scope
from services.reports.values import Period
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from ui.office.common import OfficeContext
from ui.tasks import TaskManager

INDOMIE = "8991619730698"  # Rp 3.500 in the demo catalogue
WAIT = 10_000


@pytest.fixture
def office(shop: Shop, qtbot: QtBot) -> Iterator[OfficeContext]:
    backend = GuiBackend(shop)
    backend.core.login("Wati", "9999")  # the owner
    actor = backend.ctx.require_actor()
    tasks = TaskManager()
    yield OfficeContext(tasks, backend, actor)
    tasks.shutdown()


def rows(shop: Shop, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(shop.db.path)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def sell(shop: Shop, actor: Actor, qty: int, method: str = "cash",
         customer_id: str | None = None) -> int:
    amount = 3_500 * qty
    req = SaleRequest(lines=(LineRequest(INDOMIE, qty * 1000),),
                      payments=(PaymentRequest(method, amount),), customer_id=customer_id)
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req).payable


def shown(qtbot: QtBot, screen: object) -> None:
    """Open ``screen`` as the shell does and wait for its first figures."""
    qtbot.addWidget(screen)  # type: ignore[arg-type]
    screen.resize(1116, 768)  # type: ignore[attr-defined]
    screen.show()  # type: ignore[attr-defined]
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):  # type: ignore[attr-defined]
        screen.activate()  # type: ignore[attr-defined]


def reload(qtbot: QtBot, screen: object) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):  # type: ignore[attr-defined]
        screen.reload()  # type: ignore[attr-defined]


# --- expenses --------------------------------------------------------------------------

def test_an_expense_entered_on_the_screen_is_booked_and_listed(
        qtbot: QtBot, office: OfficeContext, shop: Shop) -> None:
    from ui.books_expenses import ExpensesScreen

    screen = ExpensesScreen(office)
    shown(qtbot, screen)
    qtbot.waitUntil(lambda: screen.category.count() >= 9, timeout=WAIT)
    assert screen.category.findData("listrik") >= 0 and screen.category.findData("es_batu") >= 0
    assert screen.rows == ()

    screen.category.setCurrentIndex(screen.category.findData("listrik"))
    qtbot.keyClicks(screen.payee, "PLN")
    qtbot.keyClicks(screen.amount, "250.000")
    screen.paid_from.setCurrentIndex(screen.paid_from.findData("bank"))
    qtbot.keyClicks(screen.note, "token November")
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):  # saved, then the list reloads
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert screen.saved is not None and screen.saved.amount == 250_000
    assert "Rp 250.000" in screen.form_message.text()
    # The service has it, the ledger booked it: Dr listrik 6-1101 / Cr bank 1-1200.
    with shop.uow(write=False) as uow:
        listed = list_expenses(uow.conn)
    assert [(e.payee, e.amount, e.paid_from, e.category) for e in listed] == [
        ("PLN", 250_000, "bank", "listrik")]
    assert rows(shop, "SELECT l.account_code, l.debit, l.credit FROM journal_line l "
                      "WHERE l.entry_id = ? ORDER BY l.debit DESC",
                screen.saved.journal_entry_id) == [("6-1101", 250_000, 0),
                                                  ("1-1200", 0, 250_000)]
    assert [e.id for e in screen.rows] == [e.id for e in listed]
    assert screen.table.item(0, 2).text() == "PLN"
    assert screen.table.item(0, 3).text() == "Rp 250.000"
    assert "Rp 250.000" in screen.total.text()
    # Filtered to another category: nothing.
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        screen.filter_category.setCurrentIndex(screen.filter_category.findData("sewa"))
    assert screen.rows == () and screen.table.rowCount() == 0


def test_a_refused_expense_says_why_under_the_field_and_books_nothing(
        qtbot: QtBot, office: OfficeContext, shop: Shop) -> None:
    from ui.books_expenses import ExpensesScreen

    screen = ExpensesScreen(office)
    shown(qtbot, screen)
    qtbot.waitUntil(lambda: screen.category.count() >= 9, timeout=WAIT)
    qtbot.keyClicks(screen.payee, "Pak Joko")  # no amount
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        screen.save()
    assert screen.errors.error_of("amount") != ""
    assert rows(shop, "SELECT count(*) FROM expense") == [(0,)]


def test_the_owner_adds_a_category(qtbot: QtBot, office: OfficeContext) -> None:
    from ui.books_expenses import ExpensesScreen

    screen = ExpensesScreen(office)
    shown(qtbot, screen)
    qtbot.waitUntil(lambda: screen.category.count() >= 9, timeout=WAIT)
    before = screen.category.count()
    qtbot.keyClicks(screen.cat_code, "internet")
    qtbot.keyClicks(screen.cat_name, "Internet")
    with qtbot.waitSignal(screen.done, timeout=WAIT):
        screen.add_category()
    qtbot.waitUntil(lambda: screen.category.count() == before + 1, timeout=WAIT)
    assert screen.category.findData("internet") >= 0
    assert "Internet" in screen.cat_message.text()


# --- payables --------------------------------------------------------------------------

def test_an_owed_expense_is_a_payable_paid_in_part_then_whole(
        qtbot: QtBot, office: OfficeContext, shop: Shop) -> None:
    from ui.backend_books import ExpenseForm
    from ui.books_payables import PayablesScreen

    today = office.backend.books.today()
    office.backend.books.record_expense(ExpenseForm(
        "es_batu", "Pak Joko", 120_000, "owed", due_date=today - timedelta(days=3)))
    screen = PayablesScreen(office)
    shown(qtbot, screen)
    with shop.uow(write=False) as uow:
        assert [(p.id, p.open_amount, p.overdue_days) for p in screen.rows] == [
            (p.id, p.open_amount, p.overdue_days) for p in list_payables(uow.conn)]
    assert len(screen.rows) == 1
    payable = screen.rows[0]
    assert (payable.supplier, payable.open_amount, payable.overdue_days) == (
        "Pak Joko", 120_000, 3)
    assert screen.table.item(0, 3).text() == "3 hari"
    assert "Rp 120.000" in screen.totals.text()

    screen.table.selectRow(0)
    assert screen.chosen is not None and screen.pay_button.isEnabled()
    qtbot.keyClicks(screen.amount, "50000")
    screen.paid_from.setCurrentIndex(screen.paid_from.findData("bank"))
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            screen.pay()
    assert screen.rows[0].open_amount == 70_000 and screen.rows[0].paid == 50_000
    assert "Rp 70.000" in screen.pay_message.text()
    # More than is open is refused under the amount; nothing is paid.
    screen.amount.setText("80000")
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        screen.pay()
    assert screen.errors.error_of("amount") != ""
    assert rows(shop, "SELECT count(*), sum(amount) FROM payable_payment") == [(1, 50_000)]
    # The whole rest: the payable leaves the open list.
    screen.whole_button.click()
    assert screen.amount.text() == "70000"
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            screen.pay()
    assert screen.rows == ()
    screen.open_only.setChecked(False)
    qtbot.waitUntil(lambda: len(screen.rows) == 1, timeout=WAIT)
    assert screen.rows[0].open_amount == 0


# --- receivables -----------------------------------------------------------------------

def test_receivables_ageing_shows_the_services_figures_as_of_a_day(
        qtbot: QtBot, office: OfficeContext, shop: Shop, cashier: Actor,
        supervisor: Actor) -> None:
    from app.secrets import cipher_for, ensure_data_key
    from ui.books_receivables import ReceivablesScreen

    ensure_data_key(shop)
    with shop.uow() as uow:
        ani = create_customer(uow, cipher_for(shop), supervisor, name="Bu Ani",
                              credit_limit=1_000_000).id
    owed = sell(shop, cashier, 4, "kasbon", customer_id=ani)
    screen = ReceivablesScreen(office)
    shown(qtbot, screen)
    data = screen.data
    assert data is not None
    today = office.backend.books.today()
    with shop.uow(write=False) as uow:
        direct = receivables_ageing(uow.conn, today)
    assert data.value == direct
    assert data.value.total == owed == 14_000 == data.value.receivables
    assert data.read.origin == "till" and not data.read.fell_back
    assert screen.scope_bar.as_of.text().startswith("per ")
    texts = [screen.tabs.tables[0].item(r, c).text()
             for r in range(screen.tabs.tables[0].rowCount())
             for c in range(screen.tabs.tables[0].columnCount())]
    assert "Rp 14.000" in texts
    # As of yesterday the kasbon did not exist yet.
    screen.as_of.setDate(screen.as_of.date().addDays(-1))
    reload(qtbot, screen)
    assert screen.data is not None and screen.data.value.total == 0


# --- journal ---------------------------------------------------------------------------

def test_the_journal_lists_entries_filtered_by_kind(
        qtbot: QtBot, office: OfficeContext, shop: Shop, cashier: Actor) -> None:
    from ui.backend_books import ExpenseForm
    from ui.books_journal import JournalScreen

    sell(shop, cashier, 2)
    office.backend.books.record_expense(ExpenseForm("plastik", "Toko Plastik", 15_000,
                                                    "bank"))
    screen = JournalScreen(office)
    shown(qtbot, screen)
    data = screen.data
    assert data is not None
    today = office.backend.books.today()
    month = Period(today.replace(day=1), today + timedelta(days=1))
    with shop.uow(write=False) as uow:
        direct = journal_page(uow.conn, period=month, limit=200)
    assert data.value == direct
    kinds = {e.kind for e in data.value.entries}
    assert {"sale", "expense"} <= kinds
    screen.set_filters(kind="expense")
    qtbot.waitUntil(lambda: screen.data is not None and screen.data.value != direct,
                    timeout=WAIT)
    assert {e.kind for e in screen.data.value.entries} == {"expense"}
    assert screen.tabs.tables[0].rowCount() >= 2  # its two lines


# --- statements ------------------------------------------------------------------------

def test_the_profit_and_loss_is_the_services_and_exports(
        qtbot: QtBot, office: OfficeContext, shop: Shop, cashier: Actor,
        tmp_path: Path) -> None:
    from ui.backend_books import ExpenseForm
    from ui.books_statements import StatementsScreen

    sell(shop, cashier, 10)  # Rp 35.000
    office.backend.books.record_expense(ExpenseForm("listrik", "PLN", 20_000, "bank"))
    screen = StatementsScreen(office)
    shown(qtbot, screen)
    data = screen.data
    assert data is not None and screen.kind.currentData() == "pnl"
    period = screen.period()
    with shop.uow(write=False) as uow:
        direct = profit_and_loss(uow.conn, period)
    assert data.value == direct
    assert direct.total_expenses == 20_000
    assert direct.net_income == direct.gross_profit - 20_000 + sum(
        a.amount for a in direct.other_income)
    texts = [t.item(r, c).text() for t in screen.tabs.tables
             for r in range(t.rowCount()) for c in range(t.columnCount())
             if t.item(r, c) is not None]
    from ui.i18n import rupiah
    assert rupiah(direct.net_income) in texts
    # The balance sheet balances; the cash book of the bank shows the expense.
    screen.choose("balance-sheet")
    qtbot.waitUntil(lambda: isinstance(getattr(screen.data, "value", None), BalanceSheet),
                    timeout=WAIT)
    sheet = screen.data.value
    assert sheet.balanced and sheet.total_assets > 0
    screen.choose("cashbook", account="1-1200")
    qtbot.waitUntil(lambda: isinstance(getattr(screen.data, "value", None), CashBook),
                    timeout=WAIT)
    assert screen.account.isVisible()
    book = screen.data.value
    # The bare demo's opening of the safe (capital into the bank, drawn into the safe:
    # app.demo_books.open_the_safe) is in the bank's book too; the expense is the rest.
    assert book.account == "1-1200" and book.money_out - book.money_in == 20_000
    assert [m.credit for m in book.movements if m.kind == "expense"] == [20_000]
    # Export: the CSV has the cash book's figures.
    target = tmp_path / "kas.csv"
    with qtbot.waitSignal(screen.exported, timeout=WAIT):
        screen.export("csv", str(target))
    text = target.read_text("utf-8")
    assert "20000" in text and "PLN" in text
    # ...and the PDF, as the Reports screen makes it (off the Qt main thread, on the pool).
    assert set(screen.export_buttons) == {"csv", "html", "pdf"}
    pdf = tmp_path / "kas.pdf"
    with qtbot.waitSignal(screen.exported, timeout=WAIT):
        screen.export("pdf", str(pdf))
    from pypdf import PdfReader
    printed = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "PLN" in printed and "Rp 20.000" in printed


# --- period close ----------------------------------------------------------------------

def test_closing_locking_and_reopening_last_month(
        qtbot: QtBot, office: OfficeContext, shop: Shop) -> None:
    from ui.books_periods import PeriodsScreen

    screen = PeriodsScreen(office)
    shown(qtbot, screen)
    assert screen.rows == ()
    today = office.backend.books.today()
    last = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    screen.choose_month(last)
    assert screen.close_button.isEnabled() and not screen.reopen_button.isEnabled()
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            screen.close_chosen()
    assert [(p.period, p.state) for p in screen.rows] == [(last, "soft")]
    assert screen.table.item(0, 1).text() == "Ditutup"
    assert not screen.close_button.isEnabled() and screen.reopen_button.isEnabled()
    # Reopening needs a reason (said under the field), then opens it.
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        screen.reopen_chosen()
    assert screen.errors.error_of("reason") != ""
    assert rows(shop, "SELECT state FROM accounting_period WHERE period = ?", last) == [
        ("soft",)]
    qtbot.keyClicks(screen.reason, "koreksi nota listrik")
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            screen.reopen_chosen()
    assert screen.rows[0].state == "open" and screen.close_button.isEnabled()
    # Closed again, then locked once the PPN return is filed: it never reopens.
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            screen.close_chosen()
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            screen.lock_chosen()
    assert screen.rows[0].state == "hard" and screen.rows[0].ppn_filed_at
    assert screen.table.item(0, 1).text() == "Dikunci"
    assert not screen.reopen_button.isEnabled() and not screen.lock_button.isEnabled()
    assert rows(shop, "SELECT state FROM accounting_period WHERE period = ?", last) == [
        ("hard",)]


# --- analytics -------------------------------------------------------------------------

def test_analytics_draws_the_services_trend_and_heatmap(
        qtbot: QtBot, office: OfficeContext, shop: Shop, cashier: Actor) -> None:
    from services import analytics
    from ui.books_analytics import AnalyticsScreen

    for qty in (1, 2, 3):
        sell(shop, cashier, qty)
    screen = AnalyticsScreen(office)
    shown(qtbot, screen)
    data = screen.data
    assert data is not None
    period = screen.period()
    assert (period.end - period.start).days == 30
    with shop.uow(write=False) as uow:
        trend = analytics.revenue_trend(uow.conn, period)
        heat = analytics.hour_heatmap(uow.conn, period)
    assert data.value.trend == trend and data.value.heatmap == heat
    assert trend.net == 21_000 and trend.sales_count == 3
    net = screen.series["net"]
    assert net.count() == len(trend.points) == 30
    assert [net.at(i).y() for i in range(net.count())] == [float(p.net) for p in trend.points]
    ma7 = screen.series["ma7"]
    assert ma7.at(ma7.count() - 1).y() == float(trend.points[-1].ma7)
    assert sum(sum(r) for r in screen.heat_counts()) == 3
    assert screen.figures["net"][1].text() == "Rp 21.000"
    assert screen.figures["basket"][1].text() == "Rp 7.000"
    assert screen.axis_y is not None and "Rp" in screen.axis_y.categoriesLabels()[0]
    assert screen.cashiers.rowCount() >= 1


# --- scope -----------------------------------------------------------------------------

def test_a_shop_scope_on_a_till_without_central_shows_its_own_figures_and_says_so(
        qtbot: QtBot, office: OfficeContext, shop: Shop, cashier: Actor) -> None:
    from ui.books_statements import StatementsScreen

    sell(shop, cashier, 2)
    screen = StatementsScreen(office)
    shown(qtbot, screen)
    till = screen.data
    assert till is not None and not till.read.fell_back
    assert screen.scope_bar.note.text() == ""
    screen.scope_bar.set_scope(Scope.tenant())
    reload(qtbot, screen)
    data = screen.data
    assert data is not None and data.read.fell_back and data.read.origin == "till"
    assert data.read.scope == Scope.tenant()
    assert data.value == till.value  # this till's figures
    note = screen.scope_bar.note.text()
    assert note.startswith("Offline") and "central" in note
    assert screen.scope_bar.as_of.text().startswith("per ")


def test_the_books_are_refused_to_a_supervisor(shop: Shop) -> None:
    from services.errors import Refused

    backend = GuiBackend(shop)
    backend.core.login("Budi", "5678")
    today = backend.books.today()
    with pytest.raises(Refused):
        backend.books.statement("pnl", Period.day(today), Scope.till())
    assert backend.books.payables() == ()  # a supervisor pays payables


# --- the till's cash-out as a quick expense ---------------------------------------------

def test_a_cash_out_with_a_category_books_an_expense_from_the_drawer(
        qtbot: QtBot, shop: Shop) -> None:
    from ui.shift_dialog import ShiftDialog

    backend = GuiBackend(shop)
    backend.core.login("Sari", "1234")  # a cashier
    tasks = TaskManager()
    try:
        dialog = ShiftDialog(backend, tasks)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.shift_changed, timeout=WAIT):
            dialog.open()
        qtbot.waitUntil(lambda: dialog.move_category.count() >= 10, timeout=WAIT)
        assert dialog.move_category.itemData(0) is None  # owner's drawings first
        assert dialog.move_category.itemText(0).startswith("Prive")
        dialog.move_category.setCurrentIndex(dialog.move_category.findData("es_batu"))
        qtbot.keyClicks(dialog.move_amount, "8000")
        qtbot.keyClicks(dialog.move_reason, "es batu 2 balok")
        with qtbot.waitSignal(dialog.cash_moved, timeout=WAIT):
            qtbot.mouseClick(dialog.cash_out_button, Qt.MouseButton.LeftButton)
        assert "Rp 8.000" in dialog.message.text() and "Es" in dialog.message.text()
        assert dialog.move_category.currentIndex() == 0  # back to drawings
        with shop.uow(write=False) as uow:
            listed = list_expenses(uow.conn)
        assert [(e.category, e.amount, e.paid_from) for e in listed] == [
            ("es_batu", 8_000, "drawer")]
        assert rows(shop, "SELECT account_code, debit, credit FROM journal_line "
                          "WHERE entry_id = ? ORDER BY debit DESC",
                    listed[0].journal_entry_id) == [("6-1106", 8_000, 0),
                                                    ("1-1100", 0, 8_000)]
        # Without a category a cash out is still the owner's drawings (3-2000).
        qtbot.keyClicks(dialog.move_amount, "5000")
        qtbot.keyClicks(dialog.move_reason, "ambil pribadi")
        with qtbot.waitSignal(dialog.cash_moved, timeout=WAIT):
            qtbot.mouseClick(dialog.cash_out_button, Qt.MouseButton.LeftButton)
        with shop.uow(write=False) as uow:
            assert len(list_expenses(uow.conn)) == 1
        assert rows(shop, "SELECT sum(debit) FROM journal_line WHERE account_code = "
                          "'3-2000'") == [(5_000,)]
    finally:
        tasks.shutdown()


def test_the_shell_opens_every_books_screen(qtbot: QtBot, window: object) -> None:
    from tests.ui.conftest import log_in
    from ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    log_in(qtbot, window, "Wati", "9999")
    page = window.office.page
    with qtbot.waitSignal(page.screen_shown, timeout=WAIT):
        qtbot.keyClick(window.till.scan, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    for key in ("expenses", "payables", "receivables", "journal", "statements", "periods",
                "analytics"):
        with qtbot.waitSignal(page.screen_shown, timeout=WAIT):
            page.nav_buttons[key].click()
        screen = page.widget(key)
        assert screen is not None and screen.isVisible()
        qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=WAIT)
        # Loaded without a refusal or a fault (the message line says nothing).
        assert getattr(screen, "message").text() == "", key
        assert page.nav_scroll.viewport().rect().intersects(
            page.nav_buttons[key].geometry().translated(
                0, -page.nav_scroll.verticalScrollBar().value()))  # scrolled into view
    assert page.nav_buttons["payables"].text() == "Utang\nCtrl+8"
    assert page.nav_buttons["analytics"].text() == "Analitik"  # the 13th: no Ctrl+number
