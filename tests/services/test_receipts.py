"""Receipts read back from committed sales and refunds of the real demo shop."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from local_db.store import write_settings
from services.cart import Discount
from services.customers import create_customer
from services.errors import BadInput, NotFound
from services.money import line_amount
from services.receipt_layout import as_text, layout_receipt
from services.receipts import Receipt, last_receipt_no, receipt_for, refund_receipt_for
from services.refunds import refund_sale
from services.selling import (
    Approval,
    LineRequest,
    PaymentRequest,
    SaleRequest,
    SaleResult,
    complete_sale,
)
from services.users import Actor


def sell(shop: Shop, actor: Actor, lines: list[LineRequest], pays: list[tuple[str, int]],
         **kw: object) -> SaleResult:
    req = SaleRequest(tuple(lines), tuple(PaymentRequest(m, a) for m, a in pays),
                      **kw)  # type: ignore[arg-type]
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


def receipt(shop: Shop, number: str, *, copy: bool = False) -> Receipt:
    with shop.uow(write=False) as uow:
        return receipt_for(uow, shop.config, number, copy=copy)


def settings(shop: Shop, values: dict[str, str]) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, values)
        uow.commit()


def adds_up(r: Receipt) -> None:
    """What the receipt prints must add up, line by line, to what the customer paid."""
    assert sum(x.line_total for x in r.lines) == r.subtotal - r.line_discounts
    assert r.subtotal - r.discount_total + r.tax_added == r.total
    assert r.total + r.rounding == r.payable
    assert sum(t.amount for t in r.tenders) == r.payable
    assert sum(t.tendered for t in r.tenders) - r.change == r.payable


def test_cash_sale_with_discounts_and_a_weighed_item(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [
        LineRequest("MI-0001", 2000),
        LineRequest("8991548927138", 1000, discount=Discount(percent=Decimal(10))),
        LineRequest("TMB-0176", 750),
    ], [("cash", 50_000)], discount=Discount(amount=500))
    r = receipt(shop, sale.receipt_no)

    assert (r.kind, r.number, r.copy) == ("sale", sale.receipt_no, False)
    assert r.store_name == "Toko Demo Warungin"
    assert r.store_address == "Jl. Contoh No. 1, Bandung"  # the demo's own setting
    assert r.cashier == "Sari" and r.customer is None and r.kasbon == 0
    assert [(x.sku, x.qty_milli, x.unit, x.weighed) for x in r.lines] == [
        ("MI-0001", 2000, "pcs", False), ("M-0016", 1000, "pcs", False),
        ("TMB-0176", 750, "kg", True)]
    indomie, aqua, eggs = r.lines
    assert (indomie.unit_price, indomie.line_discount, indomie.line_total) == (3_500, 0, 7_000)
    assert (aqua.line_discount, aqua.line_total) == (350, 3_150)
    assert eggs.line_total == line_amount(29_000, 750) == 21_750
    assert (r.subtotal, r.line_discounts, r.order_discount) == (32_250, 350, 500)
    assert r.tax == sale.tax_total > 0 and r.tax_added == 0  # PPN inside the prices
    assert r.tax_included == sale.tax_total
    assert (r.total, r.rounding, r.payable, r.change) == (
        sale.total, sale.rounding, sale.payable, sale.change)
    assert [(t.method, t.tendered) for t in r.tenders] == [("cash", 50_000)]
    assert r.took_cash
    adds_up(r)
    # The store's wall clock (WIB, UTC+7), not the stored UTC stamp.
    assert r.zone == "WIB"
    utc = datetime.fromisoformat(sale.created_at)
    assert r.issued_at.utcoffset() == timedelta(hours=7)
    assert r.issued_at == utc


def test_split_tender_keeps_the_order_tendered(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [LineRequest("MI-0001", 5000)],  # Rp 17.500
                [("edc", 10_000), ("cash", 10_000)])
    r = receipt(shop, sale.receipt_no)
    assert [(t.method, t.amount, t.tendered, t.change) for t in r.tenders] == [
        ("edc", 10_000, 10_000, 0), ("cash", 7_500, 10_000, 2_500)]
    assert r.change == 2_500 and r.took_cash
    adds_up(r)


def test_non_cash_sale_takes_no_cash(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [LineRequest("MI-0001", 1000)], [("edc", 3_500)])
    r = receipt(shop, sale.receipt_no)
    assert not r.took_cash and r.change == 0 and r.rounding == 0
    adds_up(r)


def test_kasbon_sale_names_the_customer_and_the_amount(shop: Shop, cashier: Actor,
                                                        supervisor: Actor) -> None:
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        ani = create_customer(uow, cipher, supervisor, name="Bu Ani Contoh",
                              credit_limit=100_000).id
    sale = sell(shop, cashier, [LineRequest("MI-0001", 3000)], [("kasbon", 10_500)],
                customer_id=ani)
    r = receipt(shop, sale.receipt_no)
    assert r.customer == "Bu Ani Contoh"
    assert r.kasbon == 10_500
    assert [(t.method, t.amount) for t in r.tenders] == [("kasbon", 10_500)]
    assert not r.took_cash
    adds_up(r)
    printed = as_text(layout_receipt(r, 32))
    assert "Bu Ani Contoh" in printed and "Kasbon" in printed


def test_store_settings_head_and_foot_the_receipt(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [LineRequest("MI-0001", 1000)], [("cash", 5_000)])
    settings(shop, {"store.address": "Jl. Braga No. 7\nBandung 40111",
                    "store.npwp": "01.234.567.8-901.000",
                    "receipt.header": "Buka 07.00-22.00\nWA 0812-0000-0000",
                    "receipt.footer": "Barang yang sudah dibeli\ntidak dapat ditukar"})
    r = receipt(shop, sale.receipt_no, copy=True)
    assert r.store_address == "Jl. Braga No. 7\nBandung 40111"
    assert r.npwp == "01.234.567.8-901.000"
    assert r.header == ("Buka 07.00-22.00", "WA 0812-0000-0000")
    assert r.footer == ("Barang yang sudah dibeli", "tidak dapat ditukar")
    assert r.copy
    printed = as_text(layout_receipt(r, 48))
    for expected in ("Bandung 40111", "NPWP: 01.234.567.8-901.000", "WA 0812-0000-0000",
                     "SALINAN", "tidak dapat ditukar"):
        assert expected in printed
    # An owner who empties the footer gets none (not the default).
    settings(shop, {"receipt.footer": ""})
    assert receipt(shop, sale.receipt_no).footer == ()


def test_tax_added_on_top_is_shown_as_added(shop: Shop, cashier: Actor) -> None:
    with shop.uow() as uow:
        uow.conn.execute(text(
            "INSERT INTO tax_class(code, name, rate, base_numerator, base_denominator, "
            "inclusive) VALUES ('PPNX', 'PPN 12% ditambahkan', '0.12', 11, 12, 0)"))
        uow.conn.execute(text("UPDATE product SET tax_class = 'PPNX' WHERE sku = 'MI-0001'"))
        uow.commit()
    shop.reload()
    sale = sell(shop, cashier, [LineRequest("MI-0001", 2000), LineRequest("M-0016", 1000)],
                [("cash", 20_000)])
    r = receipt(shop, sale.receipt_no)
    assert r.tax_added == 770  # 11% of Rp 7.000, added to the price
    assert r.tax_included == sale.tax_total - 770 > 0  # Aqua's PPN is inside its price
    adds_up(r)
    printed = as_text(layout_receipt(r, 32))
    assert "PPN" in printed and "Rp 770" in printed


def test_unknown_or_missing_receipt_number(shop: Shop) -> None:
    with shop.uow(write=False) as uow:
        with pytest.raises(NotFound) as err:
            receipt_for(uow, shop.config, "DEMO-T01-999999")
        assert err.value.field == "receipt_no"
        with pytest.raises(BadInput) as bad:
            receipt_for(uow, shop.config, "  ")
        assert bad.value.field == "receipt_no"
        with pytest.raises(NotFound) as err:
            refund_receipt_for(uow, shop.config, "DEMO-T01-R99999")
        assert err.value.field == "refund_no"


def test_last_receipt_is_this_terminals_latest(shop: Shop, cashier: Actor) -> None:
    with shop.uow(write=False) as uow:
        assert last_receipt_no(uow, shop.config) is None
    sell(shop, cashier, [LineRequest("MI-0001", 1000)], [("cash", 5_000)])
    second = sell(shop, cashier, [LineRequest("MI-0001", 1000)], [("cash", 5_000)])
    with shop.uow(write=False) as uow:
        assert last_receipt_no(uow, shop.config) == second.receipt_no


def test_refund_receipt_says_what_came_back_and_how(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [LineRequest("MI-0001", 3000), LineRequest("TMB-0176", 500)],
                [("cash", 50_000)])
    with shop.uow() as uow:
        done = refund_sale(uow, shop.config, cashier, sale.receipt_no, [(1, 1000)], "rusak",
                           Approval("Budi", "5678"))
    with shop.uow(write=False) as uow:
        r = refund_receipt_for(uow, shop.config, done.refund_no)
    assert (r.kind, r.number, r.refund_of) == ("refund", done.refund_no, sale.receipt_no)
    assert (r.reason, r.approved_by, r.cashier) == ("rusak", "Budi", "Sari")
    assert [(x.sku, x.qty_milli, x.line_total) for x in r.lines] == [("MI-0001", 1000, 3_500)]
    assert r.total == done.gross == 3_500
    assert r.rounding == done.rounding
    assert [(t.method, t.amount) for t in r.tenders] == [("cash", done.cash_paid)]
    printed = as_text(layout_receipt(r, 32))
    assert "RETUR" in printed and sale.receipt_no in printed and "rusak" in printed
