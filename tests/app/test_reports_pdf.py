"""The report PDFs as a person reads them (issue 11): the store's header with address and
NPWP, the title once, ``Halaman 1 dari N`` on every page, columns as wide as what they hold,
no hours without sales, and the kasbon report with a short reference and a masked phone,
never a customer's UUID.

The text is read back from the uncompressed PDF (every line reportlab draws is one string
shown with ``Tj``), so no PDF reader is needed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text as sql

from app.cli.main import main
from app.reports_pdf import column_widths, page_label, to_pdf
from app.shop import Shop
from local_db.store import write_settings
from services import reports as R
from services.reports.export import display_value
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor

MADE = datetime(2026, 12, 7, 12, 36, tzinfo=UTC)
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_STRING = re.compile(rb"\(((?:[^()\\]|\\.)*)\) Tj")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


@pytest.fixture(autouse=True)
def readable_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab import rl_config
    monkeypatch.setattr(rl_config, "pageCompression", 0)


def _unescape(raw: bytes) -> str:
    def one(m: re.Match[bytes]) -> bytes:
        c = m.group(1)
        if c[:1].isdigit():
            return bytes([int(c, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(c, c)
    # WinAnsiEncoding as reportlab writes it: cp1252, with the bullet at 0x7F.
    return _ESCAPE.sub(one, raw).decode("cp1252").replace("\x7f", "•")


def lines(pdf: bytes) -> list[str]:
    """Every line of text the PDF draws, in order."""
    return [_unescape(m.group(1)) for m in _STRING.finditer(pdf)]


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def stock(n: int) -> R.StockLevels:
    rows = tuple(R.StockRow(f"p{i}", f"SKU-{i:04d}", f"Galon Aqua (isi ulang) 19 L no {i}", "pcs",
                            i * 1000, 5000, 1234, i * 1234, False, i < 5) for i in range(n))
    return R.StockLevels(rows, 0, 5, sum(r.value for r in rows))


def dashboard(hours: dict[int, tuple[int, int]]) -> R.Dashboard:
    count, total = sum(n for n, _ in hours.values()), sum(a for _, a in hours.values())
    return R.Dashboard(
        day=date(2026, 12, 7), sales_count=count, sales_total=total,
        average_sale=total // count if count else 0, refunds_count=0, refunds_total=0,
        by_hour=tuple(R.HourSales(h, *hours.get(h, (0, 0))) for h in range(24)),
        payment_mix=(R.MethodTotal("cash", 2, 50_000), R.MethodTotal("kasbon", 1, 10_000),
                     R.MethodTotal("edc", 1, 5_000)),
        top_products=(), low_stock=(), kasbon_outstanding=0, kasbon_customers=0)


# --- the page ------------------------------------------------------------------------

def test_every_page_says_which_of_how_many() -> None:
    pdf = to_pdf(stock(150), "Stok", shop_name="Toko Ani", made_at=MADE)
    n = pages(pdf)
    assert n >= 3
    text = lines(pdf)
    assert [t for t in text if t.startswith("Halaman")] == [
        f"Halaman {i} dari {n}" for i in range(1, n + 1)]
    en = lines(to_pdf(stock(150), "Stock", lang="en", made_at=MADE))
    assert f"Page 1 of {n}" in en and f"Page {n} of {n}" in en
    assert page_label(2, 10) == "Halaman 2 dari 10" and page_label(2, 10, "en") == "Page 2 of 10"


def test_store_header_title_once_and_the_time_on_the_stores_clock() -> None:
    period = R.Period(date(2026, 11, 1), date(2026, 12, 1))
    report = R.ProductSales(period, (R.ProductSalesRow(
        "p1", "R-0118", "Sampoerna Kretek 12", "pcs", 172_000, 3_440_000, 3_440_000,
        3_095_366, 344_634, 1002),), 172_000, 3_440_000, 3_440_000, 3_095_366, 344_634)
    title = "Penjualan per produk 01-11-2026 – 30-11-2026"
    text = lines(to_pdf(report, title, shop_name="Toko Demo Warungin", zone_name="Asia/Makassar",
                        made_at=MADE, address="Jl. Contoh No. 1, Bandung",
                        npwp="0123456789012345", where="Terminal T01"))
    assert text[:4] == ["Toko Demo Warungin", "Jl. Contoh No. 1, Bandung",
                        "NPWP 0123456789012345", title]
    assert text.count(title) == 1 and not any(t.startswith("Penjualan per produk") and t != title
                                              for t in text)
    assert "Terminal T01 · Dibuat 07-12-2026 20:36 WITA" in text
    assert not any("UTC" in t for t in text)
    # No address or NPWP set: those lines are left out, not printed empty.
    bare = lines(to_pdf(report, title, shop_name="Toko Ani", made_at=MADE))
    assert bare[:2] == ["Toko Ani", title] and not any(t.startswith("NPWP") for t in bare)


def test_columns_are_as_wide_as_what_they_hold() -> None:
    """SKU and unit columns are snug; the name takes the room and does not wrap on A4."""
    s = stock(3)
    (table,) = R.tables_of(s)
    cells = [[display_value(c, v) for c, v in zip(table.columns, r, strict=True)]
             for r in table.rows]
    cells.append([display_value(c, v) for c, v in zip(table.columns, table.totals or (),
                                                      strict=True)])
    widths, fits = column_widths(table, cells, "id", 523.0)
    assert fits
    by_key = dict(zip((c.key for c in table.columns), widths, strict=True))
    assert by_key["name"] > 2 * by_key["sku"] and by_key["unit"] < 40
    pdf = to_pdf(s, "Stok", made_at=MADE)
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # portrait: it fits
    assert "Galon Aqua (isi ulang) 19 L no 1" in lines(pdf)  # one line, not wrapped


def test_hours_without_sales_are_not_listed_and_methods_are_words() -> None:
    pdf = to_pdf(dashboard({7: (2, 40_000), 9: (2, 25_000)}), "Ringkasan hari ini 07-12-2026",
                 zone_name="Asia/Jakarta", made_at=MADE)
    text = lines(pdf)
    assert "Jam (WIB)" in text
    assert "07:00–08:00" in text and "09:00–10:00" in text
    slots = [t for t in text if re.fullmatch(r"\d\d:00–\d\d:00", t)]
    assert slots == ["07:00–08:00", "09:00–10:00"]  # not 24 rows, not the idle 08:00
    assert ["07", "08", "09"] == [t for t in text if re.fullmatch(r"\d\d", t)]  # chart axis
    assert {"Tunai", "Kasbon", "Kartu EDC"} <= set(text)
    assert not {"cash", "kasbon", "edc"} & set(text)
    # A day without sales: a sentence, no chart, no empty grid with a TOTAL of nothing.
    quiet = lines(to_pdf(dashboard({}), "Ringkasan", made_at=MADE))
    assert not any(re.fullmatch(r"\d\d(:00–\d\d:00)?", t) for t in quiet)
    assert "Tidak ada data." in quiet and "Jam (WIB)" not in quiet


def test_kasbon_shows_a_short_reference_never_the_uuid() -> None:
    cid = "01a2511b-c08b-745a-b9eb-3d54330465c0"
    rows = (R.KasbonRow(cid, "Bu Ani", True, 329_900, 500_000, False, "+62 ••• 2816"),
            R.KasbonRow("01a2511b-c08f-7515-b56f-18902fd084ce", "Pak Joko", True, 219_500,
                        750_000, False, None))
    report = R.KasbonOutstanding(rows, 549_400, 2)
    text = lines(to_pdf(report, "Kasbon belum lunas", made_at=MADE))
    assert not any(UUID_RE.search(t) for t in text)
    assert "330465C0" in text and "2FD084CE" in text
    assert "+62 ••• 2816" in text and "Telepon" in text
    # Without a key at hand (no phone decrypted) there is no empty phone column.
    no_phones = R.KasbonOutstanding(tuple(R.KasbonRow(r.customer_id, r.label, True, r.balance,
                                                      r.credit_limit, False) for r in rows),
                                    549_400, 2)
    assert "Telepon" not in lines(to_pdf(no_phones, "Kasbon belum lunas", made_at=MADE))


# --- through the command line, on a shop -----------------------------------------------

def _run(capsys: pytest.CaptureFixture[str], shop: Shop, *argv: str,
         pin: str | None = None) -> tuple[int, Any, str]:
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as env:
        if pin:
            env.setenv("WARUNGIN_PIN", pin)
        code = main([*argv, "--data-dir", str(shop.folder)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_cli_kasbon_pdf_has_the_header_a_reference_and_a_masked_phone(
        shop: Shop, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, c, err = _run(capsys, shop, "customers", "add", "--name", "Bu Ani Contoh",
                        "--phone", "0812-0000-1234", "--credit-limit", "20000", "--user", "Budi",
                        pin="5678")
    assert code == 0, err
    with shop.uow(write=False) as uow:
        row = uow.session.execute(sql("SELECT id, name, role FROM user WHERE name = 'Sari'")
                                  ).one()
    with shop.uow() as uow:
        complete_sale(uow, shop.config, Actor(row[0], row[1], row[2]), SaleRequest(
            (LineRequest("MI-0001", 2000),), (PaymentRequest("kasbon", 7_000),),
            customer_id=c["id"]))
    with shop.uow() as uow:
        write_settings(uow.conn, {"store.address": "Jl. Contoh No. 1, Bandung",
                                  "store.npwp": "0123456789012345"})
        uow.commit()
    out = tmp_path / "kasbon.pdf"
    code, said, err = _run(capsys, shop, "report", "kasbon", "--format", "pdf", "--out",
                           str(out))
    assert code == 0 and said["out"] == str(out), err
    text = lines(out.read_bytes())
    assert text[:4] == [shop.config.store_name, "Jl. Contoh No. 1, Bandung",
                        "NPWP 0123456789012345", "Kasbon belum lunas"]
    assert text.count("Kasbon belum lunas") == 1
    assert not any(UUID_RE.search(t) or c["id"][:8] in t for t in text)
    assert R.KasbonRow(c["id"], "", True, 0, 0, False).ref in text
    assert "+62 ••• 1234" in text and "0812" not in " ".join(text)
    assert "Halaman 1 dari 1" in text
    if shutil.which("pdftotext"):  # what a reader extracts, where poppler is installed
        plain = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                               check=True).stdout
        assert "Halaman 1 dari 1" in plain and not UUID_RE.search(plain)
