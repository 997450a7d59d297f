"""One way to show numbers, money and time (issue 11): services.formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services import formatting as f


def test_money_in_rupiah_with_the_languages_grouping() -> None:
    assert f.money(15000) == "Rp 15.000"
    assert f.money(0) == "Rp 0"
    assert f.money(1_228_700) == "Rp 1.228.700"
    assert f.money(-15000) == "-Rp 15.000"
    assert f.signed_money(500) == "+Rp 500" and f.signed_money(-500) == "-Rp 500"
    assert f.money(15000, "en") == "Rp 15,000"
    assert f.money(-1_228_700, "en") == "-Rp 1,228,700"
    with pytest.raises(TypeError):
        f.money(1.5)  # type: ignore[arg-type]


def test_quantities_with_the_decimal_comma() -> None:
    assert f.quantity(750, "kg") == "0,75 kg"
    assert f.quantity(12_500) == "12,5"
    assert f.quantity(2000) == "2"
    assert f.quantity(2000, "pcs") == "2"
    assert f.quantity(1_250_000) == "1.250"
    assert f.quantity(-1500, "kg") == "-1,5 kg"
    assert f.quantity(750, "kg", "en") == "0.75 kg"
    assert f.quantity(1_250_500, None, "en") == "1,250.5"
    assert f.number(60000) == "60.000" and f.number(60000, "en") == "60,000"
    assert f.number(Decimal("12.5")) == "12,5"


def test_percentages_are_rounded_not_cut() -> None:
    assert f.ratio_bp(2923, 22523) == 1298  # 12,9778...: cut would say 12,97
    assert f.percent_of(2923, 22523) == "12,98 %"
    assert f.percent_of(2923, 22523, "en") == "12.98%"
    assert f.percent(1298) == "12,98 %"
    assert f.percent(1250, decimals=0) == "13 %"  # half up, not to even
    assert f.percent(-1250) == "-12,50 %"
    assert f.ratio_bp(-2923, 22523) == -1298
    assert f.ratio_bp(1, 0) is None and f.percent(None) == ""
    assert f.ratio_bp(1, 20000) == 1  # 0,5 bp rounds up
    assert f.number(Decimal("0.125"), decimals=2) == "0,13"  # babel alone rounds to even


def test_times_on_the_stores_clock_with_wib_wita_wit() -> None:
    stamp = "2026-12-07T12:36:10+00:00"
    assert f.time_text(stamp) == "19:36 WIB"
    assert f.time_text(stamp, "Asia/Jakarta") == "19:36 WIB"
    assert f.time_text(stamp, "Asia/Pontianak") == "19:36 WIB"
    assert f.time_text(stamp, "Asia/Makassar") == "20:36 WITA"
    assert f.time_text(stamp, "Asia/Jayapura") == "21:36 WIT"
    assert f.time_text("2026-12-07T12:36:10", "Asia/Jakarta") == "19:36 WIB"  # naive is UTC
    assert f.datetime_text(stamp, "Asia/Jayapura", seconds=True) == "07-12-2026 21:36:10 WIT"
    assert f.datetime_text("2026-12-07T20:00:00Z", "Asia/Jakarta") == "08-12-2026 03:00 WIB"
    assert f.time_text(stamp, "Nowhere/Else") == "19:36 WIB"  # unknown: the default zone
    assert f.time_text(stamp, "Asia/Tokyo") == "21:36 JST"
    now = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    assert f.moment_text(stamp, "Asia/Jakarta", now=now) == "19:36 WIB"
    assert f.moment_text("2026-12-06T12:36:10Z", "Asia/Jakarta", now=now) == \
        "06-12-2026 19:36 WIB"
    assert "UTC" not in f.datetime_text(stamp)


def test_dates_and_periods() -> None:
    assert f.date_text(date(2026, 11, 1)) == "01-11-2026"
    assert f.period_text(date(2026, 11, 1), date(2026, 11, 30)) == "01-11-2026 – 30-11-2026"
    assert f.period_text(date(2026, 11, 1), date(2026, 11, 1)) == "01-11-2026"


def test_payment_methods_in_words() -> None:
    assert f.payment_method("cash") == "Tunai" and f.payment_method("cash", "en") == "Cash"
    assert f.payment_method("edc") == "Kartu EDC"
    assert f.payment_method("kasbon") == "Kasbon"
    assert f.payment_method("va_bca") == "VA BCA"
    assert f.payment_method("va_permata") == "VA Permata"
    assert f.payment_method("qris", "en") == "QRIS"
    assert f.payment_method("something_new") == "something_new"
