"""The demo shop's history (app.demo_history): believable, deterministic, and written by the
real use cases, so ``verify`` is clean."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from app.demo_history import DEFAULT_DAYS, DemoWithHistory, seed_history
from app.shop import Shop, open_shop
from services.reports.queries import dashboard
from services.stock import low_stock
from services.verify import verify_database

WIB = timezone(timedelta(hours=7))
#: A fixed end of the history (19:30 WIB on a Friday), so the history is the same each run.
NOW = datetime(2026, 11, 20, 12, 30, tzinfo=UTC)


def _seed(folder: Path, **kwargs: Any) -> tuple[Shop, DemoWithHistory]:
    shop = open_shop(folder)
    began = time.perf_counter()
    seeded = seed_history(shop, **kwargs)
    took = time.perf_counter() - began
    h = seeded.history
    # Printed, not asserted: the machine running the tests may be busy.
    print(f"\nseeded {h.days} days, {h.sales} sales in {took:.2f} s", file=sys.stderr)
    return shop, seeded


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Shop, DemoWithHistory]]:
    shop, seeded = _seed(tmp_path_factory.mktemp("history"), now=NOW)
    yield shop, seeded
    shop.close()


def _db(shop: Shop) -> sqlite3.Connection:
    return sqlite3.connect(shop.folder / "warungin.db")


def _local(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).astimezone(WIB)


def _sales_by_day(shop: Shop) -> Counter[date]:
    with _db(shop) as db:
        return Counter(_local(s).date() for (s,) in db.execute("SELECT created_at FROM sale"))


def test_verify_is_clean(history: tuple[Shop, DemoWithHistory]) -> None:
    shop, _ = history
    with shop.uow(write=False) as uow:
        report = verify_database(uow.conn)
    assert report.ok, report.first_failure


def test_receipts_are_gapless_and_stamped_in_the_past(
        history: tuple[Shop, DemoWithHistory]) -> None:
    shop, seeded = history
    with _db(shop) as db:
        rows = db.execute("SELECT seq, receipt_no, created_at FROM sale ORDER BY seq").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0][1] == "DEMO-T01-000001" and len(rows) == seeded.history.sales
    with _db(shop) as db:  # the README's refund example takes one packet of it back
        first = db.execute("SELECT l.sku, l.qty_milli, p.method FROM sale s "
                           "JOIN sale_line l ON l.sale_id = s.id "
                           "JOIN payment p ON p.sale_id = s.id WHERE s.seq = 1").fetchall()
    assert first == [("MI-0001", 2000, "cash")]
    start = datetime.combine(date.fromisoformat(seeded.history.first_day),
                             datetime.min.time(), WIB)
    stamps = [datetime.fromisoformat(r[2]) for r in rows]
    assert all(start <= s <= NOW for s in stamps)
    assert stamps == sorted(stamps)  # sold one after another, as a till does
    assert seeded.history.days == DEFAULT_DAYS == len(_sales_by_day(shop))


def test_days_look_like_a_warung(history: tuple[Shop, DemoWithHistory]) -> None:
    shop, seeded = history
    per_day = _sales_by_day(shop)
    last = date.fromisoformat(seeded.history.last_day)
    full = {d: n for d, n in per_day.items() if d != last}
    assert all(60 <= n <= 150 for n in full.values()), sorted(full.values())
    weekday = [n for d, n in full.items() if d.weekday() < 5]
    weekend = [n for d, n in full.items() if d.weekday() >= 5]
    assert sum(weekend) / len(weekend) > 1.2 * sum(weekday) / len(weekday)
    with _db(shop) as db:
        hours = Counter(_local(s).hour for (s,) in db.execute("SELECT created_at FROM sale"))
    assert set(hours) <= set(range(6, 22))  # open 06:00 to 22:00
    morning, midday, evening = (hours[7] + hours[8], hours[13] + hours[14],
                                hours[18] + hours[19])
    assert morning > 1.5 * midday and evening > 1.5 * midday and evening > morning


def test_payments_cash_mostly_some_qris_edc_kasbon(
        history: tuple[Shop, DemoWithHistory]) -> None:
    shop, _ = history
    with _db(shop) as db:
        mix = dict(db.execute("SELECT method, COUNT(*) FROM payment GROUP BY method").fetchall())
        charges = dict(db.execute("SELECT state, COUNT(*) FROM provider_job "
                                  "WHERE kind = 'charge' GROUP BY state").fetchall())
        settled = db.execute("SELECT COUNT(*) FROM journal_entry "
                             "WHERE kind = 'midtrans.settlement'").fetchone()[0]
    total = sum(mix.values())
    assert mix["cash"] > 0.7 * total
    for method in ("qris", "edc", "kasbon"):
        assert 0.02 * total < mix[method] < 0.15 * total, mix
    # Each QRIS payment is a charge Midtrans answered "settlement", taken by its sale.
    assert charges == {"succeeded": mix["qris"]}
    assert 0 < settled < mix["qris"]  # paid out by Midtrans, the last days' still to come


def test_the_rest_of_a_shops_life(history: tuple[Shop, DemoWithHistory]) -> None:
    shop, seeded = history
    h = seeded.history
    assert h.refunds >= 3 and h.voided_lines >= 10 and h.voided_carts >= 5
    assert h.customers == 8 and h.deliveries >= 20
    with _db(shop) as db:
        def q(sql: str) -> list[Any]:
            return db.execute(sql).fetchall()
        assert q("SELECT COUNT(*) FROM refund")[0][0] == h.refunds
        actions = dict(q("SELECT action, COUNT(*) FROM audit_log GROUP BY action"))
        assert actions["cart.void_line"] == h.voided_lines
        assert actions["cart.void"] == h.voided_carts
        kinds = dict(q("SELECT kind, COUNT(*) FROM kasbon_entry GROUP BY kind"))
        assert kinds["sale"] > 50 and kinds["repayment"] > 20
        moves = dict(q("SELECT kind, COUNT(*) FROM cash_movement GROUP BY kind"))
        assert moves["cash_in"] > 0 and moves["cash_out"] > 10
        shifts = q("SELECT status, opened_at, z_report FROM shift ORDER BY opened_at")
        negative_levels = q("SELECT COUNT(*) FROM stock_level WHERE qty_milli < 0")[0][0]
    assert [s[0] for s in shifts] == ["closed"] * (h.days - 1) + ["open"]
    assert _local(shifts[-1][1]).date() == NOW.astimezone(WIB).date()
    z = [json.loads(s[2]) for s in shifts[:-1]]
    assert sum(1 for r in z if r["difference"] == 0) > 0.7 * len(z)  # counted as expected
    assert negative_levels == 0  # what is not on the shelf is not sold
    with shop.uow(write=False) as uow:
        low = low_stock(uow.conn)
        board = dashboard(uow.conn, NOW.astimezone(WIB).date())
    assert 3 <= len(low) <= 20
    assert board.sales_count == h.sales_today > 30 and board.kasbon_outstanding > 0


def _fingerprint(shop: Shop) -> list[tuple[Any, ...]]:
    with _db(shop) as db:
        sales = db.execute(
            "SELECT receipt_no, created_at, total, payable, change, "
            "(SELECT group_concat(sku || 'x' || qty_milli, ',') FROM sale_line l "
            " WHERE l.sale_id = s.id), "
            "(SELECT group_concat(method || ':' || amount, ',') FROM payment p "
            " WHERE p.sale_id = s.id) FROM sale s ORDER BY seq").fetchall()
        refunds = db.execute("SELECT refund_no, created_at, gross FROM refund "
                             "ORDER BY seq").fetchall()
    return sales + refunds


def test_same_seed_same_history_other_seed_other_history(tmp_path: Path) -> None:
    prints = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        shop, _ = _seed(tmp_path / name, days=6, seed=seed, now=NOW)
        prints.append(_fingerprint(shop))
        shop.close()
    assert prints[0] == prints[1] and len(prints[0]) > 6 * 60
    assert prints[0] != prints[2]


def test_an_early_morning_first_run_still_has_sales_today(tmp_path: Path) -> None:
    early = datetime(2026, 11, 20, 0, 30, tzinfo=WIB)
    shop, seeded = _seed(tmp_path / "early", days=2, now=early)
    try:
        with shop.uow(write=False) as uow:
            assert verify_database(uow.conn).ok
            board = dashboard(uow.conn, early.date())
        assert board.sales_count == seeded.history.sales_today > 0
        with _db(shop) as db:
            opened = db.execute("SELECT opened_at FROM shift WHERE status = 'open'").fetchone()
        assert _local(opened[0]).date() == early.date()
    finally:
        shop.close()


def test_demo_cli_seeds_history_unless_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["demo", "--days", "2", "--seed", "3", "--data-dir", str(tmp_path / "h")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["history"]["days"] == 2 and out["history"]["sales_today"] > 0
    assert main(["verify", "--data-dir", str(tmp_path / "h")]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    assert main(["demo", "--empty", "--data-dir", str(tmp_path / "e")]) == 0
    assert json.loads(capsys.readouterr().out)["history"] is None
    assert main(["status", "--data-dir", str(tmp_path / "e")]) == 0
    assert json.loads(capsys.readouterr().out)["sales"] == 0


def test_the_seeding_clock_is_this_threads_only() -> None:
    import threading

    from local_db.ids import now_iso, seeding_clock
    seen: list[str] = []
    with seeding_clock(datetime(2026, 1, 2, 8, 0, tzinfo=WIB)):
        inside = now_iso()
        worker = threading.Thread(target=lambda: seen.append(now_iso()))
        worker.start()
        worker.join()
        with seeding_clock(datetime(2026, 1, 3, 9, 0, tzinfo=UTC)):
            nested = now_iso()
        assert now_iso() == inside
    assert inside == "2026-01-02T01:00:00.000000+00:00"
    assert nested == "2026-01-03T09:00:00.000000+00:00"
    for real in (seen[0], now_iso()):  # the worker thread, and this one after the block
        assert abs(datetime.now(UTC) - datetime.fromisoformat(real)) < timedelta(minutes=5)
    with pytest.raises(ValueError):
        with seeding_clock(datetime(2026, 1, 2, 8, 0)):
            pass
