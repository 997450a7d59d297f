"""A tiny run of every benchmark (shape of the output only: no timing is asserted here) and
the generator's determinism."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.cli.main import main
from app.shop import open_shop
from bench.generate import BatchUnitOfWork, build_dataset, generate_products, sale_totals
from services.barcodes import gs1_check_digit
from services.errors import NotFound
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import authenticate

SMALL = ["--products", "300", "--sales", "40", "--samples", "10", "--seed", "3"]


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the smoke runs, so the small data sets are generated once."""
    return tmp_path_factory.mktemp("bench-data")


def _figures(out: str) -> list[dict[str, object]]:
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines, "no output"
    return [json.loads(line) for line in lines]  # every line is one JSON object


@pytest.mark.parametrize("name, expected", [
    ("sale_commit", {"sale_commit.median", "sale_commit.p95"}),
    ("lookup", {"lookup_add.p50", "lookup_add.p99", "generate.products"}),
    ("search", {"search.p50", "search.p99", "generate.products"}),
    ("verify", {"verify", "generate.products", "generate.sales"}),
])
def test_benchmark_prints_json_figures(name: str, expected: set[str], work_dir: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "--only", name, "--work-dir", str(work_dir), *SMALL])
    assert code == 0
    figures = _figures(capsys.readouterr().out)
    assert {f["name"] for f in figures} == expected
    for f in figures:
        assert isinstance(f["name"], str) and isinstance(f["unit"], str)
        assert isinstance(f["value"], (int, float))
        if "baseline" in f:
            assert isinstance(f["baseline"], (int, float)) and "ratio" in f
        if "target" in f:
            assert isinstance(f["ok"], bool) and f["target_of"] in ("value", "ratio")
    if name == "verify":
        (fig,) = [f for f in figures if f["name"] == "verify"]
        assert fig["clean"] is True, fig["first_break"]  # the generated books are consistent


def test_raw_baseline_writes_the_same_rows(tmp_path: Path) -> None:
    from bench.sale_commit import measure
    from services.verify import verify_database

    run = measure(tmp_path, samples=5, emit=lambda f: None)
    tables = ["sale", "sale_line", "payment", "stock_movement", "stock_level", "journal_line",
              "journal_entry", "audit_log", "outbox", "counter"]
    counts = []
    for db in (run.services_db, run.raw_db):
        conn = sqlite3.connect(db)
        try:
            counts.append({t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                           for t in tables}
                          | {"levels": conn.execute("SELECT SUM(qty_milli) FROM stock_level")
                             .fetchone()[0],
                             "payable": conn.execute("SELECT SUM(payable) FROM sale")
                             .fetchone()[0]})
        finally:
            conn.close()
        shop = open_shop(db.parent)
        try:
            with shop.uow(write=False) as uow:
                report = verify_database(uow.conn)
        finally:
            shop.close()
        assert report.ok, report.as_dict()["first_break"]
    assert counts[0] == counts[1]


def test_products_are_deterministic_with_valid_unique_barcodes() -> None:
    a, b = generate_products(11, 400), generate_products(11, 400)
    assert a == b
    assert generate_products(12, 400) != a
    codes = [c for p in a for c in p.barcodes]
    assert len(codes) == len(set(codes))
    for c in codes:
        assert len(c) == 13 and c.startswith("899") and gs1_check_digit(c[:-1]) == int(c[-1])
    assert len({p.sku for p in a}) == len(a)
    assert all(p.price > 0 and 0 <= p.cost <= p.price for p in a)


def _catalogue(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT p.sku, p.name, p.price, p.unit, group_concat(b.code) FROM product p "
            "LEFT JOIN barcode b ON b.product_id = p.id GROUP BY p.pk ORDER BY p.sku").fetchall()
    finally:
        conn.close()


def test_same_seed_same_data_sets(tmp_path: Path) -> None:
    one = build_dataset(tmp_path / "one", seed=5, products=150, sales=25, log=None)
    two = build_dataset(tmp_path / "two", seed=5, products=150, sales=25, log=None)
    assert not one.cached and not two.cached
    assert _catalogue(one.db) == _catalogue(two.db)
    totals = list(sale_totals(one.db))
    assert len(totals) == 25 and totals == list(sale_totals(two.db))
    other = build_dataset(tmp_path / "one", seed=6, products=150, sales=25, log=None)
    assert list(sale_totals(other.db)) != totals
    again = build_dataset(tmp_path / "one", seed=5, products=150, sales=25, log=None)
    assert again.cached and again.folder == one.folder


def test_a_failing_sale_rolls_back_its_whole_batch(tmp_path: Path) -> None:
    data = build_dataset(tmp_path, seed=2, products=50, sales=0, log=None)
    shop = open_shop(data.folder)
    try:
        with shop.uow() as uow:
            cashier = authenticate(uow, "Sari", "1234")
            uow.commit()
        sku = _catalogue(data.db)[0][0]
        good = SaleRequest((LineRequest(str(sku), 1_000),), (PaymentRequest("cash", 10**7),))
        bad = SaleRequest((LineRequest("NO-SUCH-SKU", 1_000),), good.payments)
        with pytest.raises(NotFound), BatchUnitOfWork(shop.db) as uow:
            complete_sale(uow, shop.config, cashier, good)
            complete_sale(uow, shop.config, cashier, bad)
            uow.flush()
    finally:
        shop.close()
    assert list(sale_totals(data.db)) == []
