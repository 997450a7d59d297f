"""Property: any sequence of sales, refunds, goods received and stock adjustments keeps every
journal entry balanced, the trial balance at zero, stock levels equal to their movements and
receipt numbers gapless — on a real SQLite file."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import text

from app.demo import seed_demo
from app.shop import Shop, open_shop
from services.cart import Discount
from services.errors import ShopError
from services.refunds import refund_sale
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.stock import ReceivedLine, adjust_stock, receive_goods
from services.users import authenticate

SKUS = ["MI-0001", "M-0016", "R-0110", "TMB-0176", "JSA-0184", "MI-0011"]
_TEMPLATE: list[Path] = []


def template() -> Path:
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="warungin-prop-"))
        shop = open_shop(folder)
        seed_demo(shop)
        shop.close()
        conn = sqlite3.connect(folder / "warungin.db")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        _TEMPLATE.append(folder)
    return _TEMPLATE[0]


class ShopDay(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="warungin-day-"))
        shutil.copytree(template(), self.folder, dirs_exist_ok=True)
        self.shop: Shop = open_shop(self.folder)
        with self.shop.uow() as uow:
            self.cashier = authenticate(uow, "Sari", "1234")
            self.supervisor = authenticate(uow, "Budi", "5678")
            uow.commit()
        self.receipts: list[str] = []

    def teardown(self) -> None:
        self.shop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(lines=st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 4),
                                   st.sampled_from([0, 5, 10])), min_size=1, max_size=4),
          order_pct=st.sampled_from([0, 0, 5, 10]), method=st.sampled_from(["cash", "edc"]),
          extra=st.sampled_from([0, 50, 1000, 20_000]))
    def sell(self, lines: list[tuple[str, int, int]], order_pct: int, method: str,
             extra: int) -> None:
        reqs = tuple(LineRequest(sku, qty * (250 if sku == "TMB-0176" else 1000),
                                 discount=Discount(percent=Decimal(pct)) if pct else Discount())
                     for sku, qty, pct in lines)
        probe = SaleRequest(reqs, (PaymentRequest("cash", 10**8),),
                            Discount(percent=Decimal(order_pct)) if order_pct else Discount())
        # Price the cart first to pay it exactly (edc) or with change (cash).
        from services.cart import price_cart
        from services.selling import build_cart
        with self.shop.uow(write=False) as uow:
            total = price_cart(build_cart(uow.conn, probe), self.shop.config.tax_rules,
                               pkp=self.shop.config.pkp).total
        if total == 0:
            return
        # Cash must cover the total after rounding to the store's unit (Rp 100 here).
        cash = -(-total // 100) * 100 + extra
        pay = PaymentRequest(method, cash if method == "cash" else total)
        with self.shop.uow() as uow:
            r = complete_sale(uow, self.shop.config, self.cashier,
                              SaleRequest(reqs, (pay,), probe.discount))
        self.receipts.append(r.receipt_no)

    @precondition(lambda self: bool(self.receipts))
    @rule(data=st.data())
    def refund(self, data: st.DataObject) -> None:
        receipt = data.draw(st.sampled_from(self.receipts))
        line_no = data.draw(st.integers(1, 4))
        qty = data.draw(st.sampled_from([250, 1000]))
        try:
            with self.shop.uow() as uow:
                refund_sale(uow, self.shop.config, self.cashier, receipt,
                            [(line_no, qty)] if data.draw(st.booleans()) else [],
                            "property test", Approval("Budi", "5678"))
        except ShopError:
            pass  # over-refund, unknown line, whole-unit rule: refused, nothing written

    @rule(sku=st.sampled_from(SKUS[:4]), qty=st.integers(1, 30), cost=st.integers(0, 40_000))
    def receive(self, sku: str, qty: int, cost: int) -> None:
        with self.shop.uow() as uow:
            receive_goods(uow, self.supervisor, supplier="Grosir",
                          lines=[ReceivedLine(sku, qty * 1000, cost)])

    @rule(sku=st.sampled_from(SKUS[:4]), qty=st.integers(-20, 20), waste=st.booleans())
    def adjust(self, sku: str, qty: int, waste: bool) -> None:
        if qty == 0:
            return
        with self.shop.uow() as uow:
            adjust_stock(uow, self.supervisor, sku, qty * 1000, "property test", waste=waste)

    @invariant()
    def books_and_stock_hold(self) -> None:
        with self.shop.uow(write=False) as uow:
            q = uow.session
            unbalanced = q.execute(text(
                "SELECT COUNT(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id "
                "HAVING SUM(debit) != SUM(credit))")).scalar()
            assert unbalanced == 0
            assert q.execute(text("SELECT COALESCE(SUM(debit) - SUM(credit), 0) "
                                  "FROM journal_line")).scalar() == 0
            drift = q.execute(text(
                "SELECT COUNT(*) FROM stock_level l WHERE l.qty_milli != (SELECT "
                "COALESCE(SUM(qty_milli), 0) FROM stock_movement m "
                "WHERE m.product_id = l.product_id)")).scalar()
            assert drift == 0
            n, top = q.execute(text("SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM sale")).one()
            assert n == top
            n, top = q.execute(text("SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM refund")).one()
            assert n == top
            # Nothing is refunded beyond what was sold.
            over = q.execute(text(
                "SELECT COUNT(*) FROM sale_line s WHERE s.qty_milli < (SELECT "
                "COALESCE(SUM(qty_milli), 0) FROM refund_line r WHERE r.sale_line_id = s.id)"
            )).scalar()
            assert over == 0


ShopDay.TestCase.settings = settings(max_examples=12, stateful_step_count=15, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow])
TestShopDay = ShopDay.TestCase
