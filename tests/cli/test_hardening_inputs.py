"""Issue 10, one test per bad input found by hand: each is refused with exit 2 or 3, a message
naming the field, no traceback, and the business tables byte-for-byte unchanged; or, for the
inputs that were wrongly accepted, refused (or, for ``stock count SKU 0.0``, accepted)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.shop import Shop
from services.catalogue import ProductInput, lookup_item, save_product
from services.errors import ShopError
from services.users import Actor
from tests.cli.inputs_helpers import Outcome, assert_refused, business_digest, run_cli

ROOT = Path(__file__).resolve().parents[2]
SUP = ["--user", "Budi"]  # the PIN (5678) comes from WARUNGIN_PIN: see run_cli
CASH = [{"method": "cash", "tendered": 50000}]
HUGE = "9" * 5000
DEEP = "[" * 100_000


def d(shop: Shop) -> list[str]:
    return ["--data-dir", str(shop.folder)]


def refused(shop: Shop, argv: list[str], stdin: str = "", field: str | None = None
            ) -> Outcome:
    before = business_digest(shop.folder)
    outcome = run_cli([*d(shop), *argv], stdin)
    assert_refused(outcome, field)
    assert business_digest(shop.folder) == before, "a refusal wrote something"
    return outcome


def sale(lines: list[dict[str, Any]], **extra: Any) -> str:
    return json.dumps({"lines": lines, "payments": CASH, **extra})


def sell_one(shop: Shop) -> str:
    o = run_cli(["sale", *d(shop)], sale([{"sku": "MI-0001", "qty": 2}]))
    assert o.code == 0, o.err
    return str(json.loads(o.out)["receipt_no"])


# --- Tracebacks instead of a message -----------------------------------------------------

@pytest.mark.parametrize("qty", ["1e999999999", "-1e999999999", "1E+999999999"])
def test_overflowing_quantity_in_a_sale(shop: Shop, qty: str) -> None:
    refused(shop, ["sale"], sale([{"sku": "MI-0001", "qty": qty}]), "lines[0].qty")


def test_overflowing_quantity_in_refund_and_stock(shop: Shop) -> None:
    receipt = sell_one(shop)
    refused(shop, ["refund", receipt, *SUP, "--line", "1:1e999999999"],
            field="lines[0].qty")
    refused(shop, ["stock", "adjust", "MI-0001", "1e999999999", "--reason", "x", *SUP],
            field="qty")
    refused(shop, ["stock", "adjust", "--reason", "x", *SUP, "MI-0001", "--", "-1e999999999"],
            field="qty")
    refused(shop, ["stock", "count", "MI-0001", "1e999999999", *SUP], field="counted")
    refused(shop, ["stock", "receive", *SUP], json.dumps(
        {"supplier": "PT A", "lines": [{"sku": "MI-0001", "qty": "1e999999999", "cost": 1}]}),
        field="lines[0].qty")


def test_overflowing_low_stock_in_csv(shop: Shop) -> None:
    o = refused(shop, ["products", "import", "-", *SUP],
                "sku,name,price,low_stock\nA-1,Teh,1000,1e999999999\n")
    assert "line 2: low_stock:" in o.err


def test_integer_over_4300_digits(shop: Shop) -> None:
    refused(shop, ["sale"], '{"lines":[{"sku":"MI-0001","qty":' + HUGE + '}],"payments":'
            + json.dumps(CASH) + "}")
    refused(shop, ["shift", "close", *SUP, "--counted", '{"100000": ' + HUGE + "}"])
    refused(shop, ["stock", "receive", *SUP],
            '{"supplier":"PT A","lines":[{"sku":"MI-0001","qty":' + HUGE + ',"cost":1}]}')
    refused(shop, ["shift", "cash", "in", HUGE, "--reason", "x", *SUP], field="amount")
    refused(shop, ["kasbon", "pay", "c-1", HUGE, *SUP], field="amount")


def test_deeply_nested_json(shop: Shop) -> None:
    refused(shop, ["sale"], DEEP, "sale")
    refused(shop, ["shift", "close", *SUP, "--counted", DEEP], field="counted")
    refused(shop, ["shift", "close", *SUP], DEEP, "counted")
    refused(shop, ["stock", "receive", *SUP], DEEP, "receipt")


def test_lone_surrogate_in_json(shop: Shop) -> None:
    refused(shop, ["sale"], '{"lines":[{"sku":"\\ud800","qty":1}],"payments":'
            + json.dumps(CASH) + "}", "lines[0].sku")
    refused(shop, ["stock", "receive", *SUP], '{"supplier":"\\udfff","lines":[]}', "supplier")


def test_invalid_utf8_on_stdin_and_in_arguments(shop: Shop) -> None:
    # Python decodes stdin and argv with surrogateescape: an invalid byte becomes U+DCxx.
    bad = sale([{"sku": "MI-0001", "qty": 1}]).replace("MI-0001", "MI-\udcff")
    refused(shop, ["sale"], bad, "sale")
    refused(shop, ["stock", "adjust", "MI-\udcff", "1", "--reason", "x", *SUP], field="sku")
    refused(shop, ["stock", "adjust", "MI-0001", "1", "--reason", "r\udc80", *SUP],
            field="reason")


def test_invalid_utf8_in_a_real_process(shop: Shop) -> None:
    before = business_digest(shop.folder)
    payload = b'{"lines":[{"sku":"MI-\xff\xfe","qty":1}],"payments":[{"method":"cash",' \
              b'"tendered":50000}]}'
    proc = subprocess.run([sys.executable, "-m", "app.cli.main", "sale", *d(shop)],
                          input=payload, capture_output=True, cwd=ROOT, timeout=120,
                          check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(b"error: sale: ") and b"UTF-8" in proc.stderr
    assert b"Traceback" not in proc.stderr and proc.stdout == b""
    assert business_digest(shop.folder) == before


def test_csv_field_over_the_csv_limit(shop: Shop) -> None:
    o = refused(shop, ["products", "import", "-", *SUP],
                "sku,name,price\nA-1," + "x" * 140_000 + ",1000\n")
    assert "line 2:" in o.err


def test_document_no_must_be_text(shop: Shop) -> None:
    refused(shop, ["stock", "receive", *SUP], json.dumps(
        {"supplier": "PT A", "document_no": {"a": [1]},
         "lines": [{"sku": "MI-0001", "qty": 1, "cost": 1000}]}), "document_no")


def test_stream_reports_a_bad_line_and_goes_on(shop: Shop) -> None:
    good = sale([{"sku": "MI-0001", "qty": 1}])
    lines = [good, sale([{"sku": "MI-0001", "qty": "1e999999999"}]), "[" * 100_000, good,
             sale([{"sku": "NOPE"}]), good]
    o = run_cli(["sale", "--stream", *d(shop)], "\n".join(lines) + "\n")
    assert o.crash is None, o.crash
    printed = [json.loads(x) for x in o.out.splitlines()]
    sold = [p for p in printed if "receipt_no" in p]
    errors = [p for p in printed if "error" in p]
    assert [p["receipt_no"] for p in sold] == [
        "DEMO-T01-000001", "DEMO-T01-000002", "DEMO-T01-000003"]
    assert [(e["line"], e["field"]) for e in errors] == [
        (2, "lines[0].qty"), (3, "sale"), (5, "lines[0].sku")]
    assert [e["error"] for e in errors] == ["bad_input", "bad_input", "not_found"]
    assert o.code == 2  # the worst refusal: bad input
    assert "Traceback" not in o.err


def test_stream_survives_a_bug_in_one_line(shop: Shop, monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    from app.cli import sale as sale_cli
    real = sale_cli._sell
    calls = {"n": 0}

    def flaky(*args: Any, **kw: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ZeroDivisionError("a bug")
        return real(*args, **kw)
    monkeypatch.setattr(sale_cli, "_sell", flaky)
    good = sale([{"sku": "MI-0001", "qty": 1}])
    o = run_cli(["sale", "--stream", *d(shop)], "\n".join([good] * 3) + "\n")
    assert o.crash is None, o.crash
    printed = [json.loads(x) for x in o.out.splitlines()]
    assert [p.get("receipt_no") for p in printed] == ["DEMO-T01-000001", None,
                                                      "DEMO-T01-000002"]
    assert printed[1]["line"] == 2 and printed[1]["error"] == "internal"
    assert o.code == 1  # a bug, not a refusal
    # The bug itself goes to the log with its traceback.
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


# --- Accepted when it should be refused --------------------------------------------------

@pytest.mark.parametrize("qty", ["1e-999999999", "0.0001", "1e-4", "0E+5"])
def test_quantity_rounding_to_zero(shop: Shop, qty: str) -> None:
    refused(shop, ["sale"], sale([{"sku": "MI-0001", "qty": qty}]), "lines[0].qty")


def test_per_line_cap_holds_after_merging(shop: Shop) -> None:
    refused(shop, ["sale"], json.dumps(
        {"lines": [{"sku": "MI-0001", "qty": 10000}, {"sku": "MI-0001", "qty": 10000}],
         "payments": [{"method": "cash", "tendered": 10_000_000_000}]}), "lines[1].qty")


def test_unknown_customer_and_payment_keys(shop: Shop) -> None:
    refused(shop, ["sale"], sale([{"sku": "MI-0001"}], customer="no-such-customer"),
            "customer")
    refused(shop, ["sale"], json.dumps({"lines": [{"sku": "MI-0001"}], "payments": [
        {"method": "cash", "tendered": 50000, "note": "x"}]}), "payments[0].note")
    refused(shop, ["sale"], json.dumps({"lines": [{"sku": "MI-0001"}], "payments": [
        {"method": "cash", "tendered": 50000, "provider_ref": {"a": 1}}]}),
        "payments[0].provider_ref")
    # Found by the generated inputs: an empty key is still named (quoted).
    refused(shop, ["sale"], '{"": null}', '""')
    refused(shop, ["sale"], sale([{"sku": "MI-0001", " ": 1}]), 'lines[0]." "')


def test_barcode_equal_to_another_sku_is_refused_in_import(shop: Shop) -> None:
    o = refused(shop, ["products", "import", "-", *SUP],
                "sku,name,price,barcodes\nEVIL-1,Evil,1,MI-0001\n")
    assert "line 2: barcodes:" in o.err
    # ...and a SKU equal to another product's barcode.
    with shop.uow(write=False) as uow:
        code = uow.conn.execute(text("SELECT code FROM barcode LIMIT 1")).scalar()
    o = refused(shop, ["products", "import", "-", *SUP], f"sku,name,price\n{code},Evil,1\n")
    assert "line 2: sku:" in o.err
    # ...and within the file itself.
    o = refused(shop, ["products", "import", "-", *SUP],
                "sku,name,price,barcodes\nNEW-1,A,1,NEW-2\nNEW-2,B,1,\n")
    assert "barcodes" in o.err or "sku" in o.err


def test_barcode_equal_to_another_sku_is_refused_in_edit(shop: Shop,
                                                         supervisor: Actor) -> None:
    before = business_digest(shop.folder)
    with pytest.raises(ShopError) as e, shop.uow() as uow:
        save_product(uow, supervisor, ProductInput(sku="EVIL-1", name="Evil", price=1,
                                                   barcodes=("MI-0001",)))
    assert e.value.field == "barcode"
    with shop.uow(write=False) as uow:
        code = str(uow.conn.execute(text(
            "SELECT b.code FROM barcode b JOIN product p ON p.id = b.product_id "
            "WHERE p.sku <> 'MI-0002' LIMIT 1")).scalar())
    with pytest.raises(ShopError) as e, shop.uow() as uow:
        save_product(uow, supervisor, ProductInput(sku=code, name="Evil", price=1))
    assert e.value.field == "sku"
    assert business_digest(shop.folder) == before


def test_a_pulled_barcode_never_shadows_a_sku(shop: Shop) -> None:
    """Central sends a barcode equal to a local product's SKU: the till does not let it
    shadow the SKU (the barcode is set aside and reported), and a SKU still sells itself."""
    from sync.pull import Change, Page, PullReport, apply_page
    from sync.push_rows import Context
    with shop.uow(write=False) as uow:
        evil = str(uow.conn.execute(text("SELECT id FROM product WHERE sku = 'MI-0002'"))
                   .scalar())
    page = Page([Change(1, 1, "barcode", {"code": "MI-0001"}, "upsert", None)],
                {"barcode": {"MI-0001": {"code": "MI-0001", "product_id": evil,
                                         "deleted_at": None}}})
    report = PullReport()
    with shop.uow() as uow:
        apply_page(uow.conn, Context("t", "other-terminal", "s"), page, None, report)
        uow.commit()
    with shop.uow(write=False) as uow:
        assert lookup_item(uow.conn, "MI-0001").sku == "MI-0001"
        assert uow.conn.execute(text("SELECT COUNT(*) FROM barcode WHERE code = 'MI-0001'"))\
            .scalar() == 0
    assert report.collisions == 1


def test_a_collision_already_in_the_database_never_sells_the_wrong_product(
        shop: Shop) -> None:
    with shop.uow() as uow:
        evil = uow.conn.execute(text("SELECT id FROM product WHERE sku = 'MI-0002'")).scalar()
        uow.conn.execute(text("INSERT INTO barcode (code, product_id) VALUES ('MI-0001', :p)"),
                         {"p": evil})
        uow.commit()
    refused(shop, ["sale"], sale([{"sku": "MI-0001"}]), "lines[0].sku")


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)"]


def test_products_export_escapes_formulas(shop: Shop, tmp_path: Path) -> None:
    rows = "".join(f'F-{i},"{n}",1000,"{n}"\n' for i, n in enumerate(FORMULAS))
    o = run_cli(["products", "import", "-", *SUP, *d(shop)], "sku,name,price,category\n" + rows)
    assert o.code == 0, o.err
    with shop.uow(write=False) as uow:  # stored as typed
        names = {str(r[0]) for r in uow.conn.execute(text(
            "SELECT name FROM product WHERE sku LIKE 'F-%'"))}
    assert names == set(FORMULAS)
    o = run_cli(["products", "export", *d(shop)])
    exported = {r["sku"]: r for r in csv.DictReader(io.StringIO(o.out))}
    for i, name in enumerate(FORMULAS):
        assert exported[f"F-{i}"]["name"] == "'" + name
        assert exported[f"F-{i}"]["category"] == "'" + name
    # Import of the export gives back the names as typed.
    o = run_cli(["products", "import", "-", *SUP, *d(shop)], o.out)
    assert o.code == 0, o.err
    with shop.uow(write=False) as uow:
        again = {str(r[0]) for r in uow.conn.execute(text(
            "SELECT name FROM product WHERE sku LIKE 'F-%'"))}
    assert again == set(FORMULAS)


def test_csv_reports_escape_formulas_but_not_negative_numbers(shop: Shop) -> None:
    from services.reports.export import tables_to_csv
    from services.reports.values import Column, Table

    table = Table("t", "t", "t", (Column("name", "name", "name"),
                                  Column("v", "v", "v", "money")),
                  tuple((n, -5000) for n in [*FORMULAS, "\tx", "\rx"]), None)
    rows = list(csv.reader(io.StringIO(tables_to_csv([table]))))
    assert [r[0] for r in rows[1:]] == ["'" + n for n in [*FORMULAS, "\tx", "\rx"]]
    assert {r[1] for r in rows[1:]} == {"-5000"}
    # ...and through the CLI: a product named like a formula in the products report.
    run_cli(["products", "import", "-", *SUP, *d(shop)],
            'sku,name,price\nF-1,"=1+2",1000\n')
    o = run_cli(["sale", *d(shop)], sale([{"sku": "F-1"}]))
    assert o.code == 0, o.err
    o = run_cli(["report", "products", "--format", "csv", *d(shop)])
    assert o.code == 0, o.err
    assert "'=1+2" in o.out and ",=1+2" not in o.out


@pytest.mark.parametrize("body,line_field,words", [
    ("sku,name,price\nA-1,Teh,1000,extra\n", "line 2:", "column"),
    ("sku,name,price\nA-1,Te\x00h,1000\n", "line 2: name:", "control"),
    ("sku,name,price,category\nA-1,Teh,1000," + "k" * 10_000 + "\n", "line 2: category:",
     "60"),
    ("sku,name,price\nA-1,\"Teh,1000\nB-1,Kopi,2000\n", "line 2:", "quote"),
])
def test_csv_import_shape_errors(shop: Shop, body: str, line_field: str, words: str) -> None:
    o = refused(shop, ["products", "import", "-", *SUP], body)
    assert line_field in o.err and words in o.err, o.err
    assert "price" not in o.err.split("\n")[0] or words != "quote"


def test_stock_adjust_with_two_signs_is_refused(shop: Shop) -> None:
    refused(shop, ["stock", "adjust", "MI-0002", "+-5", "--reason", "x", *SUP], field="qty")
    refused(shop, ["stock", "adjust", "--reason", "x", *SUP, "MI-0002", "--", "--5"],
            field="qty")


@pytest.mark.parametrize("zero", ["0", "0.0", "0.000", "00"])
def test_stock_count_zero_in_any_spelling(shop: Shop, zero: str) -> None:
    o = run_cli(["stock", "count", "MI-0001", zero, *SUP, *d(shop)])
    assert o.code == 0, o.err
    assert json.loads(o.out)["level_milli"] == 0


def test_adjustment_reason_is_capped(shop: Shop) -> None:
    refused(shop, ["stock", "adjust", "MI-0001", "-1", "--reason", "x" * 100_000, *SUP],
            field="reason")
    refused(shop, ["stock", "count", "MI-0001", "3", "--reason", "x" * 201, *SUP],
            field="reason")
    o = run_cli(["stock", "adjust", "MI-0001", "-1", "--reason", "x" * 200, *SUP, *d(shop)])
    assert o.code == 0, o.err


@pytest.mark.parametrize("argv,field", [
    (["products", "search", "teh", "--limit", "99999999999999999999"], "--limit"),
    (["products", "search", "teh", "--limit=-1"], "--limit"),
    (["sale", "--wait", "nan"], "--wait"),
    (["sale", "--wait", "1e308"], "--wait"),
    (["stock", "adjust", "--reason", "x", "MI-0001", "--", "--"], "argv"),
])
def test_numeric_options_are_bounded(shop: Shop, argv: list[str], field: str) -> None:
    """Found by the generated inputs: an option's number beyond SQLite's integers, and
    Python 3.11 argparse's empty list for a literal '--' value."""
    refused(shop, argv, field=field)


def test_a_count_key_is_named_printably(shop: Shop) -> None:
    """Found by the generated-input campaign: a denomination key with a newline made the
    field name span lines."""
    o = refused(shop, ["shift", "close", *SUP, "--counted", '{"\\nX": 1}'], field='counted.\\x0aX')
    assert o.err.count("\n") == 1
