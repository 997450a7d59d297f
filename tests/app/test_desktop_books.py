"""The desktop's books adapter (app/desktop/books.py) on a copy of the demo shop: each
method is one service call as the person logged in, its figures the services' own, a shop
scope on a till without central falls back to the till's figures saying why, and the
owner's rule for reading the books comes from services.reports.access."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app.gui import GuiBackend
from app.shop import Shop
from services import analytics
from services.books.ageing import receivables_ageing
from services.books.statements import profit_and_loss, trial_balance
from services.errors import BadInput, Refused
from services.expenses import list_expenses
from services.reports.scope import Scope
from services.reports.values import Period
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from ui.backend_books import ExpenseForm

INDOMIE = "8991619730698"  # Rp 3.500


def owner_backend(shop: Shop) -> GuiBackend:
    backend = GuiBackend(shop)
    backend.core.login("Wati", "9999")
    return backend


def sell(shop: Shop, actor: Actor, qty: int) -> None:
    req = SaleRequest((LineRequest(INDOMIE, qty * 1000),), (PaymentRequest("cash",
                                                                           3_500 * qty),))
    with shop.uow() as uow:
        complete_sale(uow, shop.config, actor, req)


def month(backend: GuiBackend) -> Period:
    today = backend.books.today()
    return Period(today.replace(day=1), today + timedelta(days=1))


def test_statements_are_the_services_figures_on_this_till(shop: Shop, cashier: Actor) -> None:
    sell(shop, cashier, 6)
    backend = owner_backend(shop)
    backend.books.record_expense(ExpenseForm("sewa", "Pak RT", 500_000, "bank"))
    period = month(backend)
    got = backend.books.statement("pnl", period, Scope.till())
    with shop.uow(write=False) as uow:
        assert got.value == profit_and_loss(uow.conn, period)
        tb = trial_balance(uow.conn, period)
    assert got.read.origin == "till" and not got.read.fell_back
    assert got.report.name == got.value.report().name
    assert got.value.total_expenses == 500_000
    trial = backend.books.statement("trial-balance", period, Scope.till())
    assert trial.value == tb and trial.value.debit == trial.value.credit
    with pytest.raises(BadInput) as refused:
        backend.books.statement("cashflow", period, Scope.till())
    assert refused.value.field == "statement"


def test_a_shop_scope_without_central_falls_back_and_says_why(shop: Shop,
                                                              cashier: Actor) -> None:
    sell(shop, cashier, 2)
    backend = owner_backend(shop)
    today = backend.books.today()
    till = backend.books.ageing(today, Scope.till())
    shop_wide = backend.books.ageing(today, Scope.tenant())
    assert shop_wide.read.fell_back and shop_wide.read.origin == "till"
    assert shop_wide.read.reason is not None and "central" in shop_wide.read.reason
    assert shop_wide.value == till.value
    with shop.uow(write=False) as uow:
        assert till.value == receivables_ageing(uow.conn, today)
    choices = backend.books.scope_choices()
    assert not choices.central and choices.stores == () and choices.note


def test_analytics_bundles_the_services_values(shop: Shop, cashier: Actor) -> None:
    for qty in (1, 4):
        sell(shop, cashier, qty)
    backend = owner_backend(shop)
    period = month(backend)
    got = backend.books.analytics(period, Scope.till())
    with shop.uow(write=False) as uow:
        assert got.value.trend == analytics.revenue_trend(uow.conn, period)
        assert got.value.baskets == analytics.basket_stats(uow.conn, period)
        assert got.value.cashiers == analytics.cashier_sales(uow.conn, period)
    assert got.value.trend.net == 17_500 and got.value.baskets.sales_count == 2
    # Its report is every part's tables, in order.
    names = [t.key for t in got.report.tables]
    assert names[0].startswith("revenue_") and len(names) >= 6


def test_only_the_owner_reads_the_books(shop: Shop) -> None:
    backend = GuiBackend(shop)
    backend.core.login("Budi", "5678")  # a supervisor
    period = month(backend)
    for read in (lambda: backend.books.statement("pnl", period, Scope.till()),
                 lambda: backend.books.journal(Scope.till(), period=period),
                 lambda: backend.books.analytics(period, Scope.till())):
        with pytest.raises(Refused):
            read()
    # ...while a supervisor records expenses (services.expenses' rule).
    view = backend.books.record_expense(ExpenseForm("air", "PDAM", 75_000, "bank"))
    assert view.amount == 75_000


def test_a_quick_expense_from_the_drawer_and_the_export(shop: Shop, tmp_path: Path) -> None:
    backend = GuiBackend(shop)
    backend.core.login("Sari", "1234")  # a cashier, at the till's cash-out
    backend.books.cash_out_expense("transport", 12_000, "ojek antar galon")
    with shop.uow(write=False) as uow:
        listed = list_expenses(uow.conn)
    assert [(e.category, e.amount, e.paid_from, e.shift_id is not None) for e in listed] == [
        ("transport", 12_000, "drawer", True)]
    with pytest.raises(BadInput):
        backend.books.cash_out_expense("transport", 0, "nothing")
    owner = owner_backend(shop)
    book = owner.books.statement("cashbook", month(owner), Scope.till())
    assert book.value.account == "1-1100" and book.value.money_out >= 12_000
    path = owner.books.export_statement(book.report, "html", str(tmp_path / "kas.html"))
    assert "ojek antar galon" in Path(path).read_text("utf-8")
    with pytest.raises(BadInput) as refused:
        owner.books.export_statement(book.report, "xlsx", str(tmp_path / "kas.xlsx"))
    assert refused.value.field == "format"


def test_a_statement_exports_to_pdf_as_the_reports_screen_does(
        shop: Shop, cashier: Actor, tmp_path: Path) -> None:
    """The statements screen's PDF (app.reports_pdf, the store's header): the P&L's lines
    by their names (no field keys in the account column), its net income and the store."""
    import io

    from pypdf import PdfReader

    from services import formatting as fmt
    from services.books.statements import ProfitAndLoss
    sell(shop, cashier, 4)
    owner = owner_backend(shop)
    pnl = owner.books.statement("pnl", month(owner), Scope.till())
    assert isinstance(pnl.value, ProfitAndLoss)
    written = {}
    for lang in ("id", "en"):
        path = owner.books.export_statement(pnl.report, "pdf", str(tmp_path / f"pnl-{lang}.pdf"),
                                            lang)
        data = Path(path).read_bytes()
        assert data.startswith(b"%PDF")
        written[lang] = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert not list(tmp_path.glob("*.part"))
    ind, eng = written["id"], written["en"]
    assert "Laba rugi" in ind and "Laba bersih" in ind and "Toko Demo Warungin" in ind
    assert "Profit and loss" in eng and "Net income" in eng and "Gross sales" in eng
    assert fmt.money(pnl.value.net_income, "id") in ind
    assert fmt.money(pnl.value.gross_sales, "en") in eng
    for key in ("net_income", "gross_sales", "total_expenses", "cost_of_goods"):
        assert key not in ind and key not in eng
