"""The daily Z report, sync health and stock value by category on the till (SQLite): a day
of trading through the real use cases (sales in cash and by card with a discount, a
refund, voids, an expense and the owner's drawings from the drawer, a shift closed short
and another opened), each figure checked against an independent computation from the raw
rows, the shifts against services.shifts' own X/Z, and the PDF opened and its totals read."""

from __future__ import annotations

import io
import json
import sqlite3
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from app.reports_pdf import to_pdf
from app.shop import Shop
from services import formatting as fmt
from services.cart import Cart, Discount
from services.catalogue import lookup_item
from services.refunds import refund_sale
from services.reports import catalogue
from services.reports.daily_z import daily_z
from services.reports.export import to_csv
from services.reports.source import local_source
from services.reports.stock_value import stock_value
from services.reports.sync_health import sync_health
from services.reports.values import Period, TableReport
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.shifts import close_shift, move_cash, open_shift, shift_report
from services.users import Actor
from services.voids import void_cart, void_line
from tests.conftest import login

BUDI = Approval("Budi", "5678")
SRC = local_source(timezone="Asia/Jakarta")


def _today() -> date:
    return datetime.now(fmt.zone("Asia/Jakarta")).date()


def _period() -> Period:
    """Yesterday to tomorrow: a test run around midnight still finds its day's rows."""
    today = _today()
    return Period(today - timedelta(days=1), today + timedelta(days=2))


def _sell(shop: Shop, actor: Actor, lines: list[tuple[str, int, Discount]],
          pays: list[tuple[str, int]]) -> str:
    req = SaleRequest(tuple(LineRequest(c, q, discount=d) for c, q, d in lines),
                      tuple(PaymentRequest(m, a) for m, a in pays))
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req).receipt_no


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def traded(shop: Shop) -> dict[str, Any]:
    """A day on the demo till: what happened, for the tests to compare with."""
    sari, budi = login(shop, "Sari", "1234"), login(shop, "Budi", "5678")
    none = Discount()
    first = _sell(shop, sari, [("MI-0001", 3000, none), ("TMB-0176", 750, none)],
                  [("cash", 100_000)])
    _sell(shop, sari, [("MI-0002", 2000, Discount(amount=500)), ("MI-0003", 1000, none)],
          [("edc", 4_000), ("cash", 10_000)])
    _sell(shop, sari, [("MI-0004", 5000, none)], [("cash", 20_000)])
    with shop.uow() as uow:
        refund_sale(uow, shop.config, sari, first, [(1, 1000)], "rusak", BUDI)
    with shop.uow() as uow:
        cart = (Cart().add(lookup_item(uow.conn, "MI-0001"), 2000)
                .add(lookup_item(uow.conn, "TMB-0176"), 500))
    with shop.uow() as uow:
        void_line(uow, sari, cart, 1)
    with shop.uow() as uow:
        void_cart(uow, sari, cart, reason="pelanggan batal")
    with shop.uow() as uow:
        move_cash(uow, shop.config, sari, "cash_out", 12_000, "es batu balok",
                  category="es_batu")
    with shop.uow() as uow:
        move_cash(uow, shop.config, budi, "cash_out", 20_000, "diambil pemilik")
    with shop.uow() as uow:
        move_cash(uow, shop.config, sari, "cash_in", 50_000, "uang kecil dari brankas")
    with shop.uow() as uow:
        x = shift_report(uow, shop.config)
    # Counted Rp 1.000 short of what the drawer should hold.
    short = x.expected_cash - 1_000
    assert short % 100 == 0  # the store rounds cash to Rp 100
    with shop.uow() as uow:
        z = close_shift(uow, shop.config, sari, {"100": short // 100})
    with shop.uow() as uow:
        open_shift(uow, shop.config, budi, 150_000)
    _sell(shop, budi, [("MI-0001", 1000, none)], [("cash", 5_000)])
    with shop.uow() as uow:
        x2 = shift_report(uow, shop.config)
    return {"z": z, "x": x2}


def _raw(shop: Shop) -> sqlite3.Connection:
    return sqlite3.connect(shop.folder / "warungin.db")


def test_the_z_report_is_the_raw_rows(shop: Shop, traded: dict[str, Any]) -> None:
    p = _period()
    with shop.uow(write=False) as uow:
        z = daily_z(uow.conn, p, source=SRC)
    with _raw(shop) as db:
        n, gross, disc, tax, payable = db.execute(
            "SELECT COUNT(*), SUM(subtotal), SUM(discount_total), SUM(tax_total), "
            "SUM(payable) FROM sale").fetchone()
        rn, rgross, rtax = db.execute("SELECT COUNT(*), SUM(gross), SUM(tax) FROM refund"
                                      ).fetchone()
        methods = dict(db.execute("SELECT method, SUM(amount) FROM payment GROUP BY method"))
        voids = db.execute("SELECT details FROM audit_log WHERE action IN "
                           "('cart.void', 'cart.void_line')").fetchall()
        moves = db.execute("SELECT kind, amount, reason, account_code FROM cash_movement "
                           "ORDER BY created_at").fetchall()
        shifts = db.execute("SELECT status, z_report FROM shift ORDER BY opened_at").fetchall()
    t = z.totals
    assert (t.sales_count, t.gross, t.discounts, t.refunds_count, t.refunds, t.tax) == (
        n, gross, disc, rn, rgross, tax - rtax)
    assert n == 4 and disc == 500 and rn == 1 and rgross > 0
    assert t.net == gross - disc - rgross
    assert t.received == payable == sum(methods.values())
    assert t.voids == len(voids) == 2
    assert t.void_amount == sum(json.loads(d)["amount"] for (d,) in voids) > 0
    # Every day of the period, the days' rows add up to the totals.
    assert [d.day for d in z.days] == list(p.days())
    for field in ("sales_count", "gross", "discounts", "refunds", "net", "tax", "received"):
        assert sum(getattr(d, field) for d in z.days) == getattr(t, field), field
    by_method: Counter[str] = Counter()
    for m in z.methods:
        by_method[m.method] += m.amount
    assert dict(by_method) == methods and set(methods) == {"cash", "edc"}
    # The drawer's movements, in words: an expense, the owner's drawings, cash put in.
    assert [(m.kind, m.amount, m.reason, m.account) for m in z.cash_moves] == moves
    assert (z.cash_in, z.cash_out) == (50_000, 32_000)
    report = z.report()
    kinds = [str(r[1]) for r in report.tables[3].rows]
    assert kinds == ["Beban dari laci", "Prive (diambil pemilik)", "Kas masuk"]
    # Shifts: the closed one's Z as frozen at close, the open one's X as services.shifts
    # computes it; expected against counted.
    closed, still_open = traded["z"], traded["x"]
    assert [s[0] for s in shifts][-2:] == ["closed", "open"]
    (zs, xs) = z.shifts[-2:]
    assert (zs.kind, zs.expected_cash, zs.counted_cash, zs.difference) == (
        "Z", closed.expected_cash, closed.counted_cash, -1_000)
    assert json.loads(shifts[-2][1])["expected_cash"] == zs.expected_cash
    assert (zs.sales_count, zs.sales_total, zs.cash_in, zs.cash_out) == (
        closed.sales_count, closed.sales_total, 50_000, 32_000)
    assert (xs.kind, xs.sales_count, xs.sales_total, xs.expected_cash, xs.counted_cash) == (
        "X", still_open.sales_count, still_open.sales_total, still_open.expected_cash, None)
    assert xs.float_amount == 150_000 and xs.expected_cash == 150_000 + xs.sales_total > 150_000


def test_the_z_report_exports_and_its_pdf_shows_the_totals(
        shop: Shop, traded: dict[str, Any]) -> None:
    p = _period()
    with shop.uow(write=False) as uow:
        report = catalogue.run(uow.conn, "z-report", p, source=SRC)
        z = daily_z(uow.conn, p, source=SRC)
    assert isinstance(report, TableReport) and report.name == "z-report"
    assert [t.key for t in report.tables] == ["z_days", "z_methods", "z_shifts", "z_cash"]
    csv_text = to_csv(report)
    total_line = next(x for x in csv_text.splitlines() if x.startswith("TOTAL,"))
    t = z.totals
    assert total_line == (f"TOTAL,{t.sales_count},{t.gross},{t.discounts},{t.refunds_count},"
                          f"{t.refunds},{t.net},{t.tax},{t.received},{t.voids},"
                          f"{t.void_amount}")
    for lang in ("id", "en"):
        text = _pdf_text(to_pdf(report, report.title(lang), lang, p.label(),
                                shop_name="Toko Demo Warungin", zone_name="Asia/Jakarta"))
        assert report.title(lang) in text
        for amount in (t.gross, t.net, t.received, z.cash_out, traded["z"].expected_cash):
            assert fmt.money(amount, lang) in text, (lang, amount)
        words = ("Prive (diambil pemilik)", "Kas seharusnya") if lang == "id" else (
            "Owner's drawings", "Cash expected")
        assert all(w in text for w in words), lang


def test_sync_health_on_the_till_is_its_outbox_and_jobs(
        shop: Shop, traded: dict[str, Any]) -> None:
    with shop.uow(write=False) as uow:
        h = sync_health(uow.conn, source=SRC)
    with _raw(shop) as db:
        states = dict(db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status"))
        top = db.execute("SELECT MAX(seq) FROM outbox").fetchone()[0]
        jobs = {(p, s): n for p, s, n in db.execute(
            "SELECT provider, state, COUNT(*) FROM provider_job GROUP BY provider, state")}
    (till,) = h.tills
    assert till.pending == states.get("pending", 0) > 0
    assert till.sent == sum(states.values()) - till.pending
    assert (till.quarantined, till.gaps, till.last_seq) == (0, 0, top)
    assert {(j.provider, j.state): j.jobs for j in h.jobs} == jobs
    # Fault injection: one event refused by central, two sent ones gone from the middle
    # (only a sent event can be deleted; nothing deletes them today) and the oldest one
    # (the till counts from its oldest row: no gap before it).
    with _raw(shop) as db:
        db.execute("UPDATE outbox SET status = 'quarantined' WHERE seq = 2")
        db.execute("UPDATE outbox SET status = 'sent' WHERE seq IN (1, 4, 5)")
        db.execute("DELETE FROM outbox WHERE seq IN (1, 4, 5)")
    with shop.uow(write=False) as uow:
        h = sync_health(uow.conn, source=SRC)
    (till,) = h.tills
    assert (till.quarantined, till.gaps, till.last_seq) == (1, 2, top)
    # seq 2 reached central (and was refused there); seq 3 and the rest still wait.
    assert (till.sent, till.pending) == (1, sum(states.values()) - 4)
    assert [(g.after, g.before, g.missing) for g in h.gaps] == [(3, 6, 2)]
    report = h.report()
    text = _pdf_text(to_pdf(report, report.title("en"), "en"))
    assert "Sync health" in text and "Quarantined (refused by central)" in text


def _to_rupiah(cost: int, milli: int) -> int:
    return int((Decimal(cost) * milli / 1000).quantize(Decimal(1), ROUND_HALF_UP))


def test_stock_value_by_category_is_the_movements_at_cost(
        shop: Shop, traded: dict[str, Any]) -> None:
    with shop.uow(write=False) as uow:
        sv = stock_value(uow.conn, source=SRC)
        stock = catalogue.run(uow.conn, "stock", None, source=SRC)
    with _raw(shop) as db:
        rows = db.execute(
            "SELECT COALESCE(c.name, ''), p.cost, COALESCE(SUM(m.qty_milli), 0) "
            "FROM product p LEFT JOIN category c ON c.id = p.category_id "
            "LEFT JOIN stock_movement m ON m.product_id = p.id "
            "WHERE p.active = 1 AND p.tracks_stock = 1 GROUP BY p.id").fetchall()
    want: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, cost, level in rows:
        want[name or "Tanpa kategori"][0] += 1
        want[name or "Tanpa kategori"][1] += _to_rupiah(cost, max(level, 0))
    assert {c.name: [c.products, c.value] for c in sv.categories} == dict(want)
    assert sv.value == sum(v for _n, v in want.values()) == stock.value > 0  # type: ignore[union-attr]
    assert [c.value for c in sv.categories] == sorted((c.value for c in sv.categories),
                                                      reverse=True)
    assert sum(c.share_bp or 0 for c in sv.categories) in range(9_990, 10_011)
    report = sv.report()
    text = _pdf_text(to_pdf(report, report.title("id"), "id"))
    assert fmt.money(sv.value) in text and sv.categories[0].name in text
