"""Exports for accounting software: Jurnal.id's sales-invoice CSV and the generic journal CSV,
each read back and its totals checked against plain SQL over the raw rows; who may export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from local_db.store import write_settings
from services.cart import Discount
from services.catalogue import ProductInput, save_product
from services.customers import create_customer
from services.errors import BadInput, Refused
from services.exports import export_for, run_export
from services.exports import journal_csv as J
from services.exports import jurnal_id as JI
from services.refunds import refund_sale
from services.reports.values import Period
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, SaleResult
from services.selling import complete_sale
from services.users import Actor

WIB = ZoneInfo("Asia/Jakarta")
BUDI = Approval("Budi", "5678")


def sell(shop: Shop, actor: Actor, lines: list[tuple[str, int]],
         pays: list[tuple[str, int]] | None = None, **kw: object) -> SaleResult:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      tuple(PaymentRequest(m, a) for m, a in (pays or [("cash", 2_000_000)])),
                      **kw)  # type: ignore[arg-type]
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


def local_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone(WIB).date()


def utc_bounds(period: Period) -> tuple[str, str]:
    lo = datetime.combine(period.start, time(0), WIB).astimezone(UTC)
    hi = datetime.combine(period.end, time(0), WIB).astimezone(UTC)
    return lo.isoformat(timespec="microseconds"), hi.isoformat(timespec="microseconds")


def sql(shop: Shop, query: str, **params: object) -> list[tuple[object, ...]]:
    with shop.uow(write=False) as uow:
        return [tuple(r) for r in uow.conn.execute(text(query), params)]


class Sold:
    def __init__(self, shop: Shop, sales: list[SaleResult], customer: str, period: Period):
        self.shop, self.sales, self.customer, self.period = shop, sales, customer, period


@pytest.fixture
def sold(shop: Shop, cashier: Actor, supervisor: Actor) -> Sold:
    with shop.uow() as uow:
        for sku, price, klass in (("EXCL", 10_000, "PPN_EXCL"), ("TIGA", 10_000, "PPN")):
            save_product(uow, supervisor, ProductInput(sku=sku, name=f"Barang {sku}",
                                                       price=price, tax_class=klass))
        uow.commit()
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        cust = create_customer(uow, cipher, supervisor, name="=Ibu Rina",
                               phone="0812-0000-7777", credit_limit=500_000)
    with shop.uow() as uow:
        write_settings(uow.conn, {"invoice.due_days": "14"})
        uow.commit()
    sales = [
        sell(shop, cashier, [("MI-0001", 3000), ("TMB-0176", 750)]),
        # 30.000 less 1.000 over three items: 9.667 each does not divide
        sell(shop, cashier, [("TIGA", 3000)], discount=Discount(amount=1_000), approval=BUDI),
        sell(shop, cashier, [("EXCL", 2000), ("MI-0002", 1000)],
             [("kasbon", 10_000), ("cash", 100_000)], customer_id=cust.id),
    ]
    with shop.uow() as uow:
        refund_sale(uow, shop.config, cashier, sales[2].receipt_no, [(1, 1000)], "rusak", BUDI)
    days = sorted({local_day(s.created_at) for s in sales})
    return Sold(shop, sales, "=Ibu Rina", Period(days[0], days[-1] + timedelta(days=1)))


# --- Jurnal.id ------------------------------------------------------------------------------

@given(st.integers(min_value=1, max_value=50_000), st.integers(min_value=0, max_value=10**8))
def test_line_rows_multiply_back_to_the_amount(qty_milli: int, amount: int) -> None:
    rows = JI.line_rows(qty_milli, amount)
    assert sum(q * p for q, p in rows) == amount
    assert 1 <= len(rows) <= 2
    for q, p in rows:
        assert q > 0 and p >= 0
        assert p == p.quantize(Decimal("0.01"))  # at most two decimals


def test_an_invoice_holds_at_most_500_rows() -> None:
    day = date(2026, 11, 30)
    big = JI.SaleDoc("DEMO-T01-000009", "Umum", day, day,
                     tuple(JI.SaleLineDoc(f"P{i}", 1000, 1000 + i) for i in range(1201)))
    small = JI.SaleDoc("DEMO-T01-000010", "Umum", day, day,
                       tuple(JI.SaleLineDoc(f"P{i}", 1000, 500) for i in range(500)))
    rows = JI.invoice_rows([big, small])
    per: dict[str, int] = {}
    for r in rows:
        per[r.invoice_number] = per.get(r.invoice_number, 0) + 1
    assert per == {"DEMO-T01-000009-1": 500, "DEMO-T01-000009-2": 500,
                   "DEMO-T01-000009-3": 201, "DEMO-T01-000010": 500}
    back = JI.read_jurnal_csv(JI.to_jurnal_csv(rows))
    assert JI.jurnal_total(back) == sum(1000 + i for i in range(1201)) + 500 * 500
    too_many = JI.to_jurnal_csv([JI.JurnalRow("Umum", day, day, "X", "P", Decimal(1),
                                              Decimal(1))] * 501)
    with pytest.raises(BadInput) as err:
        JI.read_jurnal_csv(too_many)
    assert err.value.field == "row 502 *Invoice Number"


def test_jurnal_export_round_trip_equals_net_sales(sold: Sold) -> None:
    shop, period = sold.shop, sold.period
    with shop.uow(write=False) as uow:
        f = run_export(uow.conn, "jurnal", period)
    body = f.body.decode("utf-8")
    lines = body.split("\r\n")
    assert lines[0] == ("*Customer,*Invoice Date,*Due Date,*Invoice Number,*Product Name,"
                        "*Quantity,*Unit Price")
    rows = JI.read_jurnal_csv(body)
    assert f.rows == len(rows)
    # independent: what the sale lines added to net sales (PPN inside the price counts, PPN
    # added on top does not), minus the refunds of the period, from the raw rows
    lo, hi = utc_bounds(period)
    excl = "(SELECT code FROM tax_class WHERE inclusive = 0)"
    sold_amount, on_top = sql(shop, f"""
        SELECT SUM(l.gross - CASE WHEN l.tax_class IN {excl} THEN l.tax ELSE 0 END),
               SUM(CASE WHEN l.tax_class IN {excl} THEN l.tax ELSE 0 END)
        FROM sale_line l JOIN sale s ON s.id = l.sale_id
        WHERE s.created_at >= :lo AND s.created_at < :hi""", lo=lo, hi=hi)[0]
    refunded = sql(shop, f"""
        SELECT SUM(rl.gross - CASE WHEN l.tax_class IN {excl} THEN rl.tax ELSE 0 END)
        FROM refund_line rl JOIN refund r ON r.id = rl.refund_id
        JOIN sale_line l ON l.id = rl.sale_line_id
        WHERE r.created_at >= :lo AND r.created_at < :hi""", lo=lo, hi=hi)[0][0]
    assert isinstance(sold_amount, int) and isinstance(refunded, int)
    assert isinstance(on_top, int) and on_top > 0 and refunded > 0
    assert JI.jurnal_total(rows) == sold_amount == f.totals["total"]
    assert JI.jurnal_total(rows) - refunded == f.totals["net_sales"]
    assert f.totals["refunds"] == refunded and f.totals["tax_on_top"] == on_top
    # one invoice per sale, numbered by its receipt, each adding up to its lines
    per = JI.sale_docs(rows)
    assert set(per) == {s.receipt_no for s in sold.sales}
    for s in sold.sales:
        assert per[s.receipt_no] == sum(ln.gross for ln in s.lines) - (
            on_top if s is sold.sales[2] else 0)
    # the discounted TIGA line (29.000 over 3) is two rows: 2 x 9.667 + 1 x 9.666
    tiga = [(r.quantity, r.unit_price) for r in rows if r.product_name == "Barang TIGA"]
    assert sorted(tiga) == [(Decimal(1), Decimal(9_666)), (Decimal(2), Decimal(9_667))]
    # customers: walk-in "Umum", the customer's name (a formula-looking one escaped)
    assert {r.invoice_number: r.customer for r in rows} == {
        sold.sales[0].receipt_no: "Umum", sold.sales[1].receipt_no: "Umum",
        sold.sales[2].receipt_no: "=Ibu Rina"}
    raw = list(csv.reader(io.StringIO(body)))
    assert {r[0] for r in raw[1:]} == {"Umum", "'=Ibu Rina"}
    # dates dd/mm/yyyy; the kasbon sale is due 14 days later (invoice.due_days)
    day = local_day(sold.sales[2].created_at)
    kas = [r for r in raw[1:] if r[3] == sold.sales[2].receipt_no]
    assert kas[0][1] == day.strftime("%d/%m/%Y")
    assert kas[0][2] == (day + timedelta(days=14)).strftime("%d/%m/%Y")
    cash = [r for r in raw[1:] if r[3] == sold.sales[0].receipt_no]
    assert cash[0][1] == cash[0][2]
    # numbers: digits and a '.' only; the weighed 0.75 keeps its point
    for r in raw[1:]:
        assert re.fullmatch(r"\d+(\.\d+)?", r[5]) and re.fullmatch(r"\d+(\.\d{1,2})?", r[6])
    assert any(r[5] == "0.75" for r in raw[1:])


def test_jurnal_reader_refuses_bad_files() -> None:
    head = ",".join(JI.HEADER)
    cases = {
        "Customer,Invoice Date\r\n": "header",
        head + "\r\nUmum,2026-11-30,30/11/2026,A,P,1,1000\r\n": "row 2 *Invoice Date",
        head + "\r\nUmum,30/11/2026,30/11/2026,A,P,1,\"1,000\"\r\n": "row 2 *Unit Price",
        head + "\r\nUmum,30/11/2026,30/11/2026,A,P,1,Rp1000\r\n": "row 2 *Unit Price",
        head + "\r\n,30/11/2026,30/11/2026,A,P,1,1000\r\n": "row 2",
    }
    for body, field in cases.items():
        with pytest.raises(BadInput) as err:
            JI.read_jurnal_csv(body)
        assert err.value.field == field, body


# --- the journal ----------------------------------------------------------------------------

def test_journal_csv_round_trip_equals_the_trial_balance(sold: Sold) -> None:
    shop, period = sold.shop, sold.period
    with shop.uow(write=False) as uow:
        f = run_export(uow.conn, "journal", period)
    rows = J.read_journal_csv(f.body.decode("utf-8"))
    lo, hi = utc_bounds(period)
    tb = {str(a): int(str(b)) for a, b in sql(shop, """
        SELECT l.account_code, SUM(l.debit) - SUM(l.credit) FROM journal_line l
        JOIN journal_entry e ON e.id = l.entry_id
        WHERE e.created_at >= :lo AND e.created_at < :hi GROUP BY l.account_code""",
        lo=lo, hi=hi)}
    assert J.totals_by_account(rows) == tb
    assert sum(tb.values()) == 0
    n_entries, n_lines = sql(shop, """
        SELECT COUNT(DISTINCT e.id), COUNT(*) FROM journal_line l
        JOIN journal_entry e ON e.id = l.entry_id
        WHERE e.created_at >= :lo AND e.created_at < :hi""", lo=lo, hi=hi)[0]
    assert (f.totals["entries"], f.rows) == (n_entries, n_lines) == (
        len({r.entry_number for r in rows}), len(rows))
    assert f.totals["debit"] == f.totals["credit"] == sum(r.debit for r in rows)
    header = f.body.decode("utf-8").split("\r\n")[0]
    assert header == ("date,entry_number,account_code,account_name,debit,credit,memo,"
                      "source_document")
    docs = {r.source_document for r in rows}
    assert {f"sale {s.receipt_no}" for s in sold.sales} <= docs
    assert any(d.startswith("refund ") and d.endswith("-R00001") for d in docs)
    names = {r.account_code: r.account_name for r in rows}
    assert names["1-1100"].startswith("Kas") and names["2-1200"].startswith("PPN")
    # an earlier period has none of them
    with shop.uow(write=False) as uow:
        empty = run_export(uow.conn, "journal", Period(period.start - timedelta(days=3),
                                                        period.start))
    assert empty.rows == 0 and J.read_journal_csv(empty.body.decode("utf-8")) == ()


def test_journal_reader_refuses_bad_files() -> None:
    head = ",".join(J.HEADER)
    cases = {
        "date,entry\r\n": "header",
        head + "\r\n2026-11-30,E1,1-1100,Kas,1000,0,m,s\r\n": "entry_number",  # unbalanced
        head + "\r\n2026-11-30,E1,1-1100,Kas,1.000,0,m,s\r\n": "row 2 debit",
        head + "\r\n2026-11-30,E1,1-1100,Kas,10,10,m,s\r\n": "row 2 debit",
        head + "\r\n30/11/2026,E1,1-1100,Kas,10,0,m,s\r\n": "row 2 date",
    }
    for body, field in cases.items():
        with pytest.raises(BadInput) as err:
            J.read_journal_csv(body)
        assert err.value.field == field, body


# --- who may -------------------------------------------------------------------------------

def test_only_an_owner_exports(sold: Sold, cashier: Actor, supervisor: Actor,
                               owner: Actor) -> None:
    with sold.shop.uow(write=False) as uow:
        for who in (cashier, supervisor):
            with pytest.raises(Refused) as err:
                export_for(uow.conn, who, "journal", sold.period)
            assert err.value.field == "user"
        assert export_for(uow.conn, owner, "journal", sold.period).rows > 0
        with pytest.raises(BadInput) as bad:
            export_for(uow.conn, owner, "excel", sold.period)
        assert bad.value.field == "kind"
        with pytest.raises(BadInput) as bad:
            export_for(uow.conn, owner, "coretax", sold.period)  # not a calendar month
        assert bad.value.field == "from"
