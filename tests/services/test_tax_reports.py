"""The monthly PPN report and the Coretax retail export on a real demo shop (SQLite).

Figures are checked against plain SQL over the raw rows (sale headers, refund headers, the
ledger's PPN payable account), never by running the report's own query again."""

from __future__ import annotations

import shutil
import sqlite3
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from app.enroll import INSTALL_ID_SECRET, central_credentials, enroll
from app.secrets import secret_store_for
from app.shop import Shop, open_shop
from local_db.ids import uuid7
from local_db.models import GoodsReceipt
from local_db.store import write_settings
from services.cart import Discount
from services.catalogue import ProductInput, save_product
from services.errors import BadInput, Refused
from services.exports import coretax
from services.money import to_rupiah
from services.refunds import refund_sale
from services.reports.export import to_csv
from services.reports.source import local_source
from services.reports.tables import tables_of
from services.reports.values import Period
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, SaleResult
from services.selling import complete_sale
from services.tax_reports import (
    REPORTS,
    SEEDED_TAX_CLASSES,
    month_of,
    month_period,
    ppn_report,
    tax_classes,
)
from services.users import Actor, authenticate
from sync.push import CentralLink, push_once
from tests.central.conftest import CentralDB, make_tenant, make_terminal
from tests.central.conftest import central_db as central_db  # the fixture, for the test below
from tests.sync.push.test_push import fresh_event_ids

WIB = ZoneInfo("Asia/Jakarta")
BUDI = Approval("Budi", "5678")
NPWP = "0123456789012345"


def sell(shop: Shop, actor: Actor, lines: list[tuple[str, int]], cash: int = 2_000_000,
         **kw: object) -> SaleResult:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      (PaymentRequest("cash", cash),), **kw)  # type: ignore[arg-type]
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


def add_products(shop: Shop, supervisor: Actor) -> None:
    for sku, price, klass in (("ODOO", 111_000, "PPN"), ("EXCL", 10_000, "PPN_EXCL"),
                              ("LUX", 50_000, "PPNBM"), ("FREE", 7_000, "BEBAS"),
                              ("ODD", 3_333, "PPN")):
        with shop.uow() as uow:
            save_product(uow, supervisor, ProductInput(sku=sku, name=f"Barang {sku}",
                                                       price=price, tax_class=klass))


def month_of_stamp(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(WIB).strftime("%Y-%m")


def bounds(month: str) -> tuple[str, str]:
    p = month_period(month)
    lo = datetime.combine(p.start, time(0), WIB).astimezone(UTC)
    hi = datetime.combine(p.end, time(0), WIB).astimezone(UTC)
    return lo.isoformat(timespec="microseconds"), hi.isoformat(timespec="microseconds")


def sql(shop: Shop, query: str, **params: object) -> list[tuple[object, ...]]:
    with shop.uow(write=False) as uow:
        return [tuple(r) for r in uow.conn.execute(text(query), params)]


def set_settings(shop: Shop, values: dict[str, str]) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, values)
        uow.commit()
    shop.reload()


@pytest.fixture
def month_sold(shop: Shop, cashier: Actor, supervisor: Actor) -> str:
    """Sales over four tax classes, an order discount, and a refund of part of one."""
    add_products(shop, supervisor)
    sales = [
        sell(shop, cashier, [("ODOO", 2000), ("EXCL", 3000), ("FREE", 1000)]),
        sell(shop, cashier, [("LUX", 1000), ("ODD", 3000), ("MI-0001", 2000)],
             discount=Discount(amount=1_001), approval=BUDI),
        sell(shop, cashier, [("EXCL", 1000), ("TMB-0176", 750)]),
    ]
    with shop.uow() as uow:
        refund_sale(uow, shop.config, cashier, sales[0].receipt_no, [(1, 1000), (2, 1000)],
                    "rusak", BUDI)
    months = {month_of_stamp(s.created_at) for s in sales}
    assert len(months) == 1, "the sales straddle a month boundary; run again"
    return months.pop()


def test_output_tax_equals_the_sales_and_refunds_tax_rows(shop: Shop, month_sold: str
                                                         ) -> None:
    lo, hi = bounds(month_sold)
    with shop.uow(write=False) as uow:
        rep = ppn_report(uow.conn, month_sold)
    sales_tax = sql(shop, "SELECT COALESCE(SUM(tax_total), 0) FROM sale WHERE created_at >= :lo"
                          " AND created_at < :hi", lo=lo, hi=hi)[0][0]
    refund_tax = sql(shop, "SELECT COALESCE(SUM(tax), 0) FROM refund WHERE created_at >= :lo "
                           "AND created_at < :hi", lo=lo, hi=hi)[0][0]
    assert isinstance(sales_tax, int) and isinstance(refund_tax, int)
    assert refund_tax > 0
    assert rep.output_tax == sales_tax - refund_tax
    # ... and what the ledger booked to PPN payable (2-1200) for those sales and refunds
    booked = sql(shop, "SELECT COALESCE(SUM(l.credit - l.debit), 0) FROM journal_line l "
                       "JOIN journal_entry e ON e.id = l.entry_id WHERE l.account_code = "
                       "'2-1200' AND e.kind IN ('sale', 'refund') AND e.created_at >= :lo "
                       "AND e.created_at < :hi", lo=lo, hi=hi)[0][0]
    assert rep.output_tax == booked
    # per class, from the lines: sales minus refunds made in the month
    per_class = {str(k): (int(str(n)), int(str(t))) for k, n, t in sql(
        shop, "SELECT l.tax_class, SUM(l.net), SUM(l.tax) FROM sale_line l JOIN sale s ON "
              "s.id = l.sale_id WHERE s.created_at >= :lo AND s.created_at < :hi "
              "GROUP BY l.tax_class", lo=lo, hi=hi)}
    for k, n, t in sql(shop, "SELECT l.tax_class, SUM(rl.net), SUM(rl.tax) FROM refund_line rl "
                             "JOIN refund r ON r.id = rl.refund_id JOIN sale_line l ON "
                             "l.id = rl.sale_line_id WHERE r.created_at >= :lo AND "
                             "r.created_at < :hi GROUP BY l.tax_class", lo=lo, hi=hi):
        dpp, tax = per_class[str(k)]
        per_class[str(k)] = (dpp - int(str(n)), tax - int(str(t)))
    assert {r.tax_class: (r.dpp, r.tax) for r in rep.output} == per_class
    assert {r.tax_class for r in rep.output} == {"PPN", "PPN_EXCL", "PPNBM", "BEBAS"}
    rows = {r.tax_class: r for r in rep.output}
    assert rows["BEBAS"].tax == 0 and rows["BEBAS"].rate_bp == 0
    assert rows["PPN"].rate_bp == 1200 and (rows["PPN"].base_numerator,
                                            rows["PPN"].base_denominator) == (11, 12)
    assert rows["PPN"].dpp_other == to_rupiah(Decimal(rows["PPN"].dpp) * 11 / 12)
    assert rows["PPNBM"].dpp_other == rows["PPNBM"].dpp  # luxury: the full price
    assert rows["PPN"].refund_dpp > 0 and rows["PPN_EXCL"].refund_dpp > 0
    # 11/111 of an inclusive price: the two ODOO items sold (222.000) carried 22.000
    odoo = sql(shop, "SELECT SUM(l.tax), SUM(l.gross) FROM sale_line l WHERE l.sku = 'ODOO'")
    assert odoo[0] == (22_000, 222_000)
    assert rep.pkp and rep.input == () and rep.payable == rep.output_tax


def test_a_month_without_sales_is_empty_and_other_months_do_not_leak(
        shop: Shop, month_sold: str) -> None:
    first = month_period(month_sold).start
    before = (first - timedelta(days=1)).strftime("%Y-%m")
    with shop.uow(write=False) as uow:
        rep = ppn_report(uow.conn, before)
    assert rep.output == () and rep.output_tax == 0
    assert rep.report().tables[0].rows == ()


def test_input_tax_from_goods_received_with_the_suppliers_faktur(
        shop: Shop, month_sold: str, owner: Actor) -> None:
    p = month_period(month_sold)
    inside = datetime.combine(p.start, time(9), WIB).astimezone(UTC).isoformat(
        timespec="microseconds")
    later = datetime.combine(p.start, time(10), WIB).astimezone(UTC).isoformat(
        timespec="microseconds")
    outside = datetime.combine(p.end, time(9), WIB).astimezone(UTC).isoformat(
        timespec="microseconds")
    with shop.uow() as uow:
        for supplier, faktur, tax, at in (("PT Sumber", "010.000-26.00000001", 11_000, inside),
                                          ("CV Makmur", "010.000-26.00000002", 5_500, later),
                                          ("Pasar", None, 0, inside),  # no faktur: no input tax
                                          ("PT Lain", "010.000-26.00000003", 9_999, outside)):
            uow.session.add(GoodsReceipt(id=uuid7(), supplier=supplier, document_no="SJ-1",
                                         total_cost=tax * 10 or 50_000, paid_from="cash",
                                         user_id=owner.id, created_at=at, faktur_no=faktur,
                                         input_tax=tax))
        uow.session.flush()
        uow.commit()
    lo, hi = bounds(month_sold)
    expected = sql(shop, "SELECT SUM(input_tax) FROM goods_receipt WHERE faktur_no IS NOT NULL "
                         "AND created_at >= :lo AND created_at < :hi", lo=lo, hi=hi)[0][0]
    with shop.uow(write=False) as uow:
        rep = ppn_report(uow.conn, month_sold)
    assert [r.faktur_no for r in rep.input] == ["010.000-26.00000001", "010.000-26.00000002"]
    assert rep.input_tax == expected == 16_500
    assert rep.payable == rep.output_tax - 16_500
    assert rep.input[0].day == p.start
    report = rep.report()
    assert [t.key for t in report.tables] == ["output", "input", "summary"]
    assert report.tables[1].totals is not None and report.tables[1].totals[-1] == 16_500
    assert report.tables[2].rows[2][1] == rep.payable


def test_a_shop_that_is_not_pkp_charges_none(shop: Shop, cashier: Actor,
                                             supervisor: Actor, owner: Actor) -> None:
    add_products(shop, supervisor)
    set_settings(shop, {"pkp": "0"})
    sale = sell(shop, cashier, [("ODOO", 1000), ("EXCL", 1000)])
    assert sale.tax_total == 0
    month = month_of_stamp(sale.created_at)
    with shop.uow() as uow:
        uow.session.add(GoodsReceipt(id=uuid7(), supplier="PT Sumber", document_no=None,
                                     total_cost=100_000, paid_from="cash", user_id=owner.id,
                                     created_at=sale.created_at, faktur_no="010.1",
                                     input_tax=11_000))
        uow.session.flush()
        uow.commit()
    with shop.uow(write=False) as uow:
        rep = ppn_report(uow.conn, month)
    assert not rep.pkp
    assert rep.output_tax == 0 and rep.input == () and rep.input_tax == 0
    assert {r.tax_class: r.gross for r in rep.output} == {"PPN": 111_000, "PPN_EXCL": 10_000}
    assert any("bukan PKP" in n and "pkp" in n for n in rep.report().notes)
    with shop.uow(write=False) as uow, pytest.raises(Refused) as no:
        coretax.retail_export(uow.conn, month)
    assert no.value.field == "pkp"


def test_bad_months_are_refused_naming_the_field(shop: Shop) -> None:
    for bad in ("2026-13", "2026/11", "26-11", "", "2026-1", "november"):
        with shop.uow(write=False) as uow, pytest.raises(BadInput) as err:
            ppn_report(uow.conn, bad)
        assert err.value.field == "month", bad
    assert month_period("2026-12").end == date(2027, 1, 1)
    with pytest.raises(BadInput) as err:
        month_of(Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert err.value.field == "from"
    spec, runner = REPORTS["ppn"]
    assert spec.name == "ppn" and spec.takes_period
    with shop.uow(write=False) as uow, pytest.raises(BadInput) as err:
        runner(uow.conn, None, local_source(uow.conn))
    assert err.value.field == "from"


def test_the_registry_runner_gives_tables_for_csv(shop: Shop, month_sold: str) -> None:
    spec, runner = REPORTS["ppn"]
    with shop.uow(write=False) as uow:
        report = runner(uow.conn, month_period(month_sold), local_source(uow.conn))
        rep = ppn_report(uow.conn, month_sold)
    assert report.name == "ppn" and tables_of(report) == report.tables
    totals = report.tables[0].totals
    assert totals is not None and totals[-1] == rep.output_tax
    text_csv = to_csv(report)
    assert "Pajak keluaran per kelas pajak" in text_csv and str(rep.output_tax) in text_csv


def test_seeded_tax_classes_equal_the_tills_table(shop: Shop) -> None:
    with shop.uow(write=False) as uow:
        till = tax_classes(uow.conn)
    assert {c: (i.name, i.rate, i.base_numerator, i.base_denominator, i.inclusive)
            for c, i in till.items()} == {
        c: (n, Decimal(r), a, b, i) for c, n, r, a, b, i in SEEDED_TAX_CLASSES}


# --- Coretax -------------------------------------------------------------------------------

def test_coretax_with_odoos_sample_figures(shop: Shop, cashier: Actor,
                                           supervisor: Actor) -> None:
    """Odoo's Coretax sample: TaxBase 100000, OtherTaxBase 91666.67, VATRate 12, VAT 11000 —
    one item at 111.000 with PPN included."""
    add_products(shop, supervisor)
    set_settings(shop, {"store.npwp": NPWP})
    sale = sell(shop, cashier, [("ODOO", 1000)])
    month = month_of_stamp(sale.created_at)
    with shop.uow(write=False) as uow:
        export = coretax.retail_export(uow.conn, month)
    (row,) = export.rows
    assert (row.tax_base, row.other_tax_base, row.vat_rate, row.vat) == (
        100_000, Decimal("91666.67"), 12, 11_000)
    assert row.vat_rounding == 0
    body = export.xml()
    coretax.validate_retail_xml(body)
    root = ET.fromstring(body)
    assert root.tag == "RetailInvoiceBulk"
    assert [c.tag for c in root] == ["TIN", "TaxPeriodMonth", "TaxPeriodYear",
                                     "ListOfRetailInvoice"]
    y, m = int(month[:4]), int(month[5:])
    assert (root.findtext("TIN"), root.findtext("TaxPeriodMonth"),
            root.findtext("TaxPeriodYear")) == (NPWP, str(m), str(y))
    inv = root.find("ListOfRetailInvoice/RetailInvoice")
    assert inv is not None
    assert [c.tag for c in inv] == list(coretax.ROW_FIELDS)
    got = {c.tag: (c.text or "") for c in inv}
    last = month_period(month).last
    assert got == {
        "TrxCode": "Normal", "BuyerName": "-", "BuyerIdOpt": "NIK",
        "BuyerIdNumber": "0000000000000000", "GoodServiceOpt": "A",
        "SerialNo": f"DEMO-{y:04d}{m:02d}-1", "TransactionDate": last.isoformat(),
        "TaxBaseSellingPrice": "100000", "OtherTaxBaseSellingPrice": "91666.67",
        "VAT": "11000", "STLG": "0", "Info": ""}
    assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_coretax_groups_classes_and_ties_to_the_ppn_report(shop: Shop, month_sold: str
                                                           ) -> None:
    set_settings(shop, {"store.npwp": "012345678901234"})
    with shop.uow(write=False) as uow:
        rep = ppn_report(uow.conn, month_sold)
        export = coretax.retail_export(uow.conn, month_sold)
    assert export.tin == "0012345678901234"  # 15 digits: a leading zero
    rows = {r.tax_classes: r for r in export.rows}
    assert set(rows) == {("PPN", "PPN_EXCL"), ("PPNBM",)}
    by = {r.tax_class: r for r in rep.output}
    general = rows[("PPN", "PPN_EXCL")]
    assert general.tax_base == by["PPN"].dpp + by["PPN_EXCL"].dpp
    assert general.other_tax_base == (Decimal(general.tax_base) * 11 / 12).quantize(
        Decimal("0.01"))
    assert general.vat == by["PPN"].tax + by["PPN_EXCL"].tax
    assert abs(general.vat_rounding) <= 3  # per-line rounding only
    lux = rows[("PPNBM",)]
    assert lux.other_tax_base == lux.tax_base and lux.vat == by["PPNBM"].tax
    assert export.left_out == by["BEBAS"].dpp > 0
    assert export.vat == rep.output_tax - by["BEBAS"].tax
    assert [r.serial_no[-2:] for r in export.rows] == ["-1", "-2"]
    assert export.rows[0] is general
    coretax.validate_retail_xml(export.xml())


def test_coretax_refuses_without_npwp_and_validates_the_layout(shop: Shop, month_sold: str
                                                                ) -> None:
    with shop.uow(write=False) as uow, pytest.raises(BadInput) as err:
        coretax.retail_export(uow.conn, month_sold)
    assert err.value.field == "store.npwp"
    set_settings(shop, {"store.npwp": "123"})
    with shop.uow(write=False) as uow, pytest.raises(BadInput) as err:
        coretax.retail_export(uow.conn, month_sold)
    assert err.value.field == "store.npwp"
    set_settings(shop, {"store.npwp": NPWP})
    with shop.uow(write=False) as uow:
        good = coretax.retail_export(uow.conn, month_sold).xml()
    bad_cases = {
        b"<RetailInvoiceBulk><TIN>1</TIN>": "xml",
        good.replace(b"<TaxPeriodMonth>", b"<TaxMonth>").replace(b"</TaxPeriodMonth>",
                                                                 b"</TaxMonth>"):
            "RetailInvoiceBulk",
        good.replace(b"<BuyerName>-</BuyerName>", b"").replace(
            b"<BuyerIdOpt>", b"<BuyerName>-</BuyerName><BuyerIdOpt>", 1): None,
        good.replace(b"<VAT>", b"<VAT>1.000.", 1): "RetailInvoice[0].VAT",
        good.replace(b"<TIN>" + NPWP.encode(), b"<TIN>12345", 1): "TIN",
        good.replace(b"RetailInvoiceBulk", b"TaxInvoiceBulk"): "xml",
    }
    for data, field in bad_cases.items():
        if field is None:  # BuyerName moved after BuyerIdOpt: the order is wrong
            data = good.replace(b"<BuyerName>-</BuyerName>", b"", 1).replace(
                b"<GoodServiceOpt>", b"<BuyerName>-</BuyerName><GoodServiceOpt>", 1)
            field = "RetailInvoice[0]"
        with pytest.raises(BadInput) as err:
            coretax.validate_retail_xml(data)
        assert err.value.field == field, data[:80]


# --- central: the same code over PostgreSQL -------------------------------------------------

def test_the_ppn_report_on_central_equals_the_tills(
        central_db: CentralDB, demo_template: Path, tmp_path: Path) -> None:
    """A till sells and refunds over four tax classes and pushes to a real central; the
    owner's PPN report on central (row-level security, the tenant's store settings) equals
    the till's own, and another tenant sees none of it."""
    from app.reports_central import central_report_source, owner_connection

    # (the keyring is tests/conftest.py's in-memory one: autouse)
    a, b = make_tenant(central_db, "Toko PPN A"), make_tenant(central_db, "Toko PPN B")
    shutil.copytree(demo_template, tmp_path / "a1")
    conn = sqlite3.connect(tmp_path / "a1" / "warungin.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    till = open_shop(tmp_path / "a1")
    try:
        fresh_event_ids(till)
        enroll(till, make_terminal(central_db, a, "T01").code)
        with till.uow() as uow:
            cashier = authenticate(uow, "Sari", "1234")
            supervisor = authenticate(uow, "Budi", "5678")
            uow.commit()
        add_products(till, supervisor)
        # Every class, tax added on top included (central once refused such a sale: its
        # subtotal check assumed the tax inside the price).
        sale = sell(till, cashier, [("ODOO", 2000), ("ODD", 3000), ("LUX", 1000),
                                    ("FREE", 1000), ("EXCL", 2000)],
                    discount=Discount(amount=1_001), approval=BUDI)
        with till.uow() as uow:
            refund_sale(uow, till.config, cashier, sale.receipt_no, [(1, 1000)], "rusak",
                        BUDI)
        creds = central_credentials(till)
        install_id = secret_store_for(till).get(INSTALL_ID_SECRET)
        assert install_id
        pushed = push_once(till.db, CentralLink(creds.dsn, creds.password, install_id))
        assert pushed.quarantined == 0 and pushed.sent > 0
        with central_db.connect(autocommit=True) as su:
            su.execute("INSERT INTO central.store_setting (tenant_id, store_id, key, value) "
                       "VALUES (%s, %s, 'pkp', '1'), (%s, %s, 'store.npwp', %s)",
                       (a.tenant_id, a.store_id, a.tenant_id, a.store_id, NPWP))
        month = month_of_stamp(sale.created_at)
        with till.uow(write=False) as uow:
            mine = ppn_report(uow.conn, month)
        with owner_connection(central_db.admin_dsn, role=a.owner_role) as pg:
            theirs = ppn_report(pg, month, source=central_report_source())
            table = REPORTS["ppn"][1](pg, month_period(month), central_report_source())
        with owner_connection(central_db.admin_dsn, role=b.owner_role) as pg:
            other = ppn_report(pg, month, source=central_report_source())
    finally:
        till.close()
    assert theirs.output == mine.output and len(mine.output) == 4
    assert theirs.output_tax == mine.output_tax > 0
    assert (theirs.pkp, theirs.npwp, theirs.engine, theirs.input) == (True, NPWP, "central", ())
    assert any("central" in n for n in theirs.notes())
    assert table.tables[0].totals is not None and table.tables[0].totals[-1] == mine.output_tax
    assert other.output == () and not other.pkp


def test_input_tax_through_receive_goods_ties_to_the_ledger(shop: Shop, month_sold: str,
                                                             supervisor: Actor) -> None:
    """Goods received with a faktur through the use case (services.stock.receive_goods): the
    report's input tax equals what the ledger booked to 1-1600 PPN masukan."""
    from services.stock import ReceivedLine, receive_goods
    with shop.uow() as uow:
        receive_goods(uow, supervisor, supplier="PT Sumber Rejeki",
                      lines=[ReceivedLine("MI-0001", 10_000, 2_500)], document_no="SJ-77",
                      faktur_no="010.000-26.00000077", input_tax=2_750)
        uow.commit()
    with shop.uow() as uow:
        receive_goods(uow, supervisor, supplier="Pasar Induk",
                      lines=[ReceivedLine("MI-0002", 5_000, 2_000)])
        uow.commit()
    lo, hi = bounds(month_sold)
    booked = sql(shop, "SELECT COALESCE(SUM(l.debit - l.credit), 0) FROM journal_line l JOIN "
                       "journal_entry e ON e.id = l.entry_id WHERE l.account_code = '1-1600' "
                       "AND e.created_at >= :lo AND e.created_at < :hi", lo=lo, hi=hi)[0][0]
    with shop.uow(write=False) as uow:
        rep = ppn_report(uow.conn, month_sold)
    assert [(r.supplier, r.document_no, r.faktur_no, r.input_tax) for r in rep.input] == [
        ("PT Sumber Rejeki", "SJ-77", "010.000-26.00000077", 2_750)]
    assert rep.input_tax == booked == 2_750
