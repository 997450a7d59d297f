"""What people read in the books' reports (services.books.reports, services.books.reconcile):
words in their language, never a stored key ("goods") or both languages in one cell
("Saldo awal / opening"), and times and dates on the store's clock, never UTC."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from app.reports_pdf import to_pdf
from app.shop import Shop
from local_db.store import write_settings
from services.books.reconcile import midtrans_reconciliation
from services.books.reports import REPORTS
from services.expenses import record_expense
from services.reports.export import to_csv, to_html
from services.reports.source import local_source
from services.reports.values import Period, Table, TableReport, Words
from services.stock import ReceivedLine, receive_goods
from services.users import Actor
from tests.services.test_books_support import at, sell

JAN = Period(date(2027, 1, 1), date(2027, 2, 1))
#: A moment stored in UTC on the day before the store's (06:30 WIB = 23:30 UTC).
UTC_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
RAW_SOURCES = {"goods", "expense", "other"}


@pytest.fixture
def january(shop: Shop, cashier: Actor, supervisor: Actor) -> dict[str, object]:
    """A QRIS sale not yet settled, goods on credit and a repair owed, each early in the
    store's morning (the UTC stamp is on the day before)."""
    with at(2027, 1, 5, 6, 30):
        qris = sell(shop, cashier, [("R-0110", 1000)], "qris")
    with at(2027, 1, 7, 6, 30):
        with shop.uow() as uow:
            receive_goods(uow, supervisor, supplier="Grosir Jaya",
                          lines=[ReceivedLine("MI-0001", 24_000, 3_000)],
                          due_date=date(2027, 1, 21))
    with at(2027, 1, 8, 6, 30):
        with shop.uow() as uow:
            record_expense(uow, supervisor, category="perbaikan", payee="Bengkel Pak Dudung",
                           amount=150_000, paid_from="owed", due_date=date(2027, 1, 22))
    return {"qris": qris}


def _run(shop: Shop, name: str, period: Period | None = JAN) -> TableReport:
    with shop.uow(write=False) as uow:
        return REPORTS[name][1](uow.conn, period, local_source(uow.conn))


def _column(table: Table, key: str) -> list[object]:
    i = [c.key for c in table.columns].index(key)
    return [r[i] for r in table.rows]


def _pdf_text(report: TableReport, lang: str, zone_name: str = "Asia/Jakarta") -> str:
    data = to_pdf(report, report.title(lang), lang, zone_name=zone_name)
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_payables_say_where_they_come_from_in_words(shop: Shop,
                                                     january: dict[str, object]) -> None:
    report = _run(shop, "payables", Period.day(date(2027, 1, 10)))
    table = report.tables[0]
    sources = _column(table, "source")
    assert all(isinstance(s, Words) for s in sources)
    assert sorted(str(s) for s in sources) == ["Barang masuk", "Pengeluaran"]
    assert sorted(s.text("en") for s in sources if isinstance(s, Words)) == [
        "Expense", "Goods received"]
    indonesian, english = to_csv(report, "id"), to_csv(report, "en")
    assert "Grosir Jaya,Barang masuk," in indonesian
    assert "Bengkel Pak Dudung,Pengeluaran," in indonesian
    assert "Grosir Jaya,Goods received," in english and "Bengkel Pak Dudung,Expense," in english
    for text in (indonesian, english):
        cells = {c for line in text.splitlines() for c in line.split(",")}
        assert not cells & RAW_SOURCES, cells & RAW_SOURCES
    # Dates on the store's calendar: received 06:30 WIB on the 7th (23:30 UTC on the 6th).
    assert _column(table, "created") == [date(2027, 1, 7), date(2027, 1, 8)]
    assert _column(table, "due_date") == [date(2027, 1, 21), date(2027, 1, 22)]
    assert "Grosir Jaya,Barang masuk,2027-01-07,2027-01-21," in indonesian  # CSV: ISO dates
    html = to_html(report, "Utang usaha", "id")
    assert "07-01-2027" in html and "21-01-2027" in html and "06-01-2027" not in html
    pdf = _pdf_text(report, "en")
    assert "Goods received" in pdf and "Expense" in pdf and "goods" not in pdf
    assert "07-01-2027" in pdf


def test_midtrans_unsettled_times_on_the_stores_clock(shop: Shop,
                                                       january: dict[str, object]) -> None:
    report = _run(shop, "midtrans")
    [when] = _column(report.tables[1], "created_at")
    assert when == "05-01-2027 06:30 WIB"  # stored as 2027-01-04T23:30 UTC
    with shop.uow(write=False) as uow:
        recon = midtrans_reconciliation(uow.conn, JAN, source=local_source(uow.conn))
    [payment] = recon.unsettled
    assert payment.created_at.startswith("2027-01-04T23:30")  # the data keeps UTC
    # Another store's zone: the same moment on its clock.
    with shop.uow() as uow:
        write_settings(uow.conn, {"timezone": "Asia/Makassar"})
        uow.commit()
    shop.reload()
    wita = _run(shop, "midtrans")
    assert _column(wita.tables[1], "created_at") == ["05-01-2027 07:30 WITA"]
    for lang in ("id", "en"):
        text = to_csv(wita, lang)
        assert not UTC_STAMP.search(text), text
    assert "05-01-2027 07:30 WITA" in _pdf_text(wita, "id", "Asia/Makassar")


def test_midtrans_summary_speaks_one_language(shop: Shop,
                                               january: dict[str, object]) -> None:
    report = _run(shop, "midtrans")
    items = _column(report.tables[0], "item")
    assert all(isinstance(i, Words) for i in items)
    assert [str(i) for i in items] == [
        "Saldo awal", "Dibayar pelanggan", "Refund lewat Midtrans", "Dicairkan", "Biaya MDR",
        "Masuk bank", "Saldo akhir"]
    assert [i.text("en") for i in items if isinstance(i, Words)] == [
        "Opening balance", "Charged", "Refunded through Midtrans", "Settled", "MDR fees",
        "To the bank", "Closing balance"]
    indonesian, english = to_csv(report, "id"), to_csv(report, "en")
    assert "Saldo awal,0" in indonesian and "Opening balance,0" in english
    assert " / " not in indonesian and " / " not in english
    assert "Opening" not in indonesian and "Saldo" not in english
    pdf = _pdf_text(report, "en")
    assert "Opening balance" in pdf and "Saldo awal" not in pdf and " / " not in pdf


def test_expenses_by_category_in_both_languages(shop: Shop,
                                                 january: dict[str, object]) -> None:
    report = _run(shop, "expenses")
    names = dict(zip(_column(report.tables[0], "account"),
                     _column(report.tables[0], "name"), strict=True))
    repairs = names["6-1108"]
    assert isinstance(repairs, Words)
    assert (str(repairs), repairs.text("en")) == ("Beban perbaikan", "Repairs")
    assert "6-1108,Repairs,150000,150000" in to_csv(report, "en")
    assert "6-1108,Beban perbaikan,150000,150000" in to_csv(report, "id")


def test_no_books_report_shows_a_utc_stamp_or_a_raw_key(shop: Shop,
                                                         january: dict[str, object]) -> None:
    for name in REPORTS:
        report = _run(shop, name)
        for lang in ("id", "en"):
            text = to_csv(report, lang)
            assert not UTC_STAMP.search(text), (name, lang, UTC_STAMP.findall(text)[:3])
            cells = {c for line in text.splitlines() for c in line.split(",")}
            assert not cells & RAW_SOURCES, (name, lang)
            assert not re.search(r"[a-z] / [a-z]", text, re.IGNORECASE), (name, lang)
