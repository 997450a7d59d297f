"""Receipt layout (pure): 58 mm (32 characters) and 80 mm (48 characters)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.money import format_rupiah
from services.receipt_layout import (
    LaidLine,
    as_text,
    columns_for_paper,
    layout_receipt,
    pair,
)
from services.receipts import Receipt, ReceiptLine, Tender

WIB = timezone(timedelta(hours=7), "WIB")
LONG_NAME = "Minyak Goreng Bimoli Spesial Kemasan Pouch Isi Ulang 2 Liter Promo Lebaran"


def line(n: int, name: str, qty_milli: int, price: int, *, unit: str = "pcs",
         discount: int = 0) -> ReceiptLine:
    base = price * qty_milli // 1000
    return ReceiptLine(n, f"SKU-{n}", name, qty_milli, unit, unit != "pcs", price, discount,
                       base - discount, 0)


def sample(**changes: object) -> Receipt:
    lines = (line(1, "Indomie Goreng 85 g", 2000, 3_500),
             line(2, LONG_NAME, 1000, 1_234_500, discount=34_500),
             line(3, "Telur Ayam Curah", 750, 29_000, unit="kg"))
    subtotal = 7_000 + 1_234_500 + 21_750
    values: dict[str, object] = dict(
        kind="sale", number="DEMO-T01-000042", store_name="Toko Demo Warungin",
        store_address="Jl. Contoh No. 1, Bandung", npwp="01.234.567.8-901.000",
        header=("Buka setiap hari",), footer=("Terima kasih",),
        issued_at=datetime(2026, 11, 26, 19, 5, tzinfo=WIB), zone="WIB", cashier="Sari",
        lines=lines, subtotal=subtotal, line_discounts=34_500, order_discount=0,
        tax=121_000, tax_added=0, total=subtotal - 34_500, rounding=-50,
        payable=subtotal - 34_500 - 50,
        tenders=(Tender("edc", 1_000_000, 1_000_000, 0),
                 Tender("cash", 228_700, 300_000, 71_300)),
        change=71_300, customer="Bu Ani", kasbon=0, copy=False)
    values.update(changes)
    return Receipt(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("paper,width", [(58, 32), (80, 48)])
def test_both_paper_widths_hold_every_line(paper: int, width: int) -> None:
    assert columns_for_paper(paper) == width
    laid = layout_receipt(sample(), width)
    assert all(len(x.text) <= width for x in laid)
    assert max(len(x.text) for x in laid) == width  # rules and amounts reach the edge
    text = as_text(laid)
    # Every amount is whole on one line, flush right.
    for amount in (7_000, 1_234_500, 21_750, 1_228_700, 300_000, 71_300):
        shown = format_rupiah(amount)
        assert any(x.text.endswith(shown) for x in laid), shown
    assert "-Rp 34.500" in text and "Rp 1.228.700" in text
    assert "0,75 kg x Rp 29.000" in text
    assert "27/11/2026" not in text and "26/11/2026 19:05 WIB" in text


def test_58mm_wraps_long_names_and_80mm_needs_fewer_lines() -> None:
    narrow = layout_receipt(sample(), 32)
    wide = layout_receipt(sample(), 48)
    words_58 = " ".join(x.text.strip() for x in narrow)
    assert "Minyak Goreng Bimoli Spesial" in words_58 and "Promo Lebaran" in words_58
    assert sum(1 for x in narrow if "Bimoli" in x.text or "Lebaran" in x.text) >= 2
    assert len(wide) < len(narrow)


def test_total_is_tall_and_store_name_bold() -> None:
    laid = layout_receipt(sample(), 32)
    tall = [x for x in laid if x.tall]
    assert len(tall) == 1 and tall[0].text.startswith("TOTAL")
    assert tall[0].text.endswith("Rp 1.228.700") and len(tall[0].text) == 32
    assert laid[0].bold and laid[0].text.strip() == "Toko Demo Warungin"


def test_copy_refund_and_english_words() -> None:
    text = as_text(layout_receipt(sample(copy=True), 32))
    assert "SALINAN / COPY" in text
    english = as_text(layout_receipt(sample(language="en"), 48))
    assert "Cashier" in english and "Change" in english and "0.75 kg" in english
    refund = sample(kind="refund", number="DEMO-T01-R00003", refund_of="DEMO-T01-000042",
                    reason="rusak", approved_by="Budi", tenders=(Tender("cash", 3_500, 3_500,
                                                                       0),),
                    rounding=0, payable=3_500, tax=0)
    text = as_text(layout_receipt(refund, 32))
    assert "RETUR" in text and "DEMO-T01-000042" in text and "TOTAL RETUR" in text


def test_pair_puts_an_amount_that_does_not_fit_on_its_own_line() -> None:
    out = pair("Minyak goreng 2 liter sekali beli banyak", "Rp 10.000.000", 24)
    assert [len(x.text) <= 24 for x in out] == [True] * len(out)
    assert out[-1].text.endswith("Rp 10.000.000")
    assert "Rp 10.000.000" in out[-1].text  # never split
    with pytest.raises(ValueError):
        layout_receipt(sample(), 20)


_words = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1,
                 max_size=90)


@settings(max_examples=60, deadline=None)
@given(names=st.lists(_words, min_size=1, max_size=4),
       prices=st.lists(st.integers(0, 9_999_999_999), min_size=4, max_size=4),
       width=st.sampled_from([32, 48]))
def test_any_names_and_amounts_stay_in_their_columns(names: list[str], prices: list[int],
                                                     width: int) -> None:
    lines = tuple(line(i, n, 1000, prices[i % 4]) for i, n in enumerate(names, 1))
    subtotal = sum(x.line_total for x in lines)
    r = sample(lines=lines, subtotal=subtotal, line_discounts=0, total=subtotal, rounding=0,
               payable=subtotal, tenders=(Tender("cash", subtotal, subtotal, 0),), change=0)
    laid: tuple[LaidLine, ...] = layout_receipt(r, width)
    assert all(len(x.text) <= width for x in laid)
    for x in lines:
        shown = format_rupiah(x.line_total)
        assert any(re.search(re.escape(shown) + "$", y.text) for y in laid)
