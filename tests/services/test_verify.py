"""``verify_database`` and ``warungin verify`` on real SQLite files.

A demo shop with a few varied sales verifies clean; then, for each rule, the file is broken
by hand with raw sqlite3 (dropping the protecting trigger where there is one, as someone
editing the file would) and the report must name that check and its first break.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from app.cli.main import main
from app.shop import Shop
from local_db.ids import now_iso
from local_db.store import AuditFields, audit_hash
from services.sale_input import parse_sale
from services.selling import complete_sale
from services.users import Actor
from services.verify import CHECK_NAMES, VerifyReport, verify_database

SALES: list[dict[str, Any]] = [
    {"lines": [{"sku": "MI-0001", "qty": 2}],
     "payments": [{"method": "cash", "tendered": 10000}]},
    {"lines": [{"sku": "MI-0002", "qty": 1, "discount": {"percent": 5}},
               {"sku": "TMB-0174", "qty": "0.5"}],
     "payments": [{"method": "cash", "tendered": 20000}]},
    {"lines": [{"sku": "MI-0003", "qty": 3}, {"sku": "MI-0004", "qty": 1},
               {"sku": "TMB-0175", "qty": "1.25"}],
     "payments": [{"method": "cash", "tendered": 100000}]},
    {"lines": [{"sku": "JSA-0184", "qty": 10}, {"sku": "MI-0001", "qty": 1}],
     "discount": {"amount": 500}, "payments": [{"method": "cash", "tendered": 50000}]},
    {"lines": [{"sku": "MI-0002", "qty": 2}, {"sku": "TMB-0176", "qty": "0.75"}],
     "payments": [{"method": "edc", "amount": 10000}, {"method": "cash", "tendered": 50000}]},
    {"lines": [{"sku": "MI-0004", "qty": 4}],
     "payments": [{"method": "cash", "tendered": 20000}]},
]


@pytest.fixture
def sold(shop: Shop, cashier: Actor) -> list[dict[str, Any]]:
    """Six committed sales (weighed goods, discounts, a service, a split payment)."""
    out = []
    for data in SALES:
        with shop.uow() as uow:
            out.append(complete_sale(uow, shop.config, cashier, parse_sale(data)).as_dict())
    return out


def verify(shop: Shop) -> VerifyReport:
    with shop.uow(write=False) as uow:
        return verify_database(uow.conn)


@contextmanager
def raw(shop: Shop) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection on the shop's file: no foreign keys, autocommit."""
    conn = sqlite3.connect(shop.db.path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def failed(report: VerifyReport) -> set[str]:
    return {c.name for c in report.failures}


def sale_id(shop: Shop, seq: int) -> str:
    with raw(shop) as conn:
        return str(conn.execute("SELECT id FROM sale WHERE seq = ?", (seq,)).fetchone()[0])


# --- clean ------------------------------------------------------------------------------

def test_a_demo_shop_with_sales_verifies_clean(shop: Shop, sold: list[dict[str, Any]]) -> None:
    report = verify(shop)
    assert report.ok, report.as_dict()["first_break"]
    assert [c.name for c in report.checks] == list(CHECK_NAMES)
    assert report.check("receipt_sequence").counts["rows"] == len(SALES)
    assert report.check("sale_lines").counts["sales"] == len(SALES)
    assert report.check("audit_chain").counts["records"] >= len(SALES)
    tb = report.check("trial_balance").counts
    assert tb["debit"] == tb["credit"] > 0
    assert report.check("stock_levels").counts["movements"] > 0
    # The report is plain JSON.
    assert json.loads(json.dumps(report.as_dict()))["ok"] is True


def test_a_fresh_demo_shop_verifies_clean(shop: Shop) -> None:
    assert verify(shop).ok


# --- one rule broken at a time ------------------------------------------------------------

def test_a_deleted_sale_line_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    sid = sale_id(shop, 3)
    with raw(shop) as conn:
        conn.execute("DROP TRIGGER sale_line_no_delete")
        conn.execute("DELETE FROM sale_line WHERE sale_id = ? AND line_no = 2", (sid,))
    report = verify(shop)
    assert failed(report) == {"sale_lines"}
    check = report.check("sale_lines")
    assert check.counts["broken"] == 1
    assert check.detail is not None and check.detail["sale_id"] == sid
    assert sold[2]["receipt_no"] in str(check.first_break)
    assert f"add up to {check.detail['gross']}, not the sale total {sold[2]['total']}" \
        in str(check.first_break)


def test_a_sale_without_lines_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    sid = sale_id(shop, 2)
    with raw(shop) as conn:
        conn.execute("DROP TRIGGER sale_line_no_delete")
        conn.execute("DELETE FROM sale_line WHERE sale_id = ?", (sid,))
    check = verify(shop).check("sale_lines")
    assert not check.ok
    assert check.first_break is not None
    assert check.first_break.startswith(f"sale {sold[1]['receipt_no']} (seq 2")
    assert check.first_break.endswith("has no lines")


def test_an_unbalanced_journal_line_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    sid = sale_id(shop, 4)
    with raw(shop) as conn:
        entry_id = conn.execute("SELECT id FROM journal_entry WHERE ref_id = ?",
                                (sid,)).fetchone()[0]
        conn.execute("DROP TRIGGER journal_line_no_update")
        conn.execute("UPDATE journal_line SET debit = debit + 7 WHERE id = (SELECT MIN(id) "
                     "FROM journal_line WHERE entry_id = ? AND debit > 0)", (entry_id,))
    report = verify(shop)
    assert failed(report) == {"journal_balanced", "trial_balance"}
    check = report.check("journal_balanced")
    assert check.counts["unbalanced"] == 1
    assert check.detail is not None
    assert check.detail["entry_id"] == entry_id and check.detail["ref_id"] == sid
    assert check.detail["debit"] - check.detail["credit"] == 7
    assert entry_id in str(check.first_break) and sold[3]["receipt_no"] in str(check.first_break)
    tb = report.check("trial_balance")
    assert tb.detail is not None and tb.detail["difference"] == 7


def test_an_orphan_journal_line_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        conn.execute("INSERT INTO journal_line(entry_id, account_code, debit, credit) "
                     "VALUES ('no-such-entry', '1-1100', 500, 0)")
    report = verify(shop)
    assert failed(report) == {"foreign_keys", "journal_orphan_lines", "trial_balance"}
    check = report.check("journal_orphan_lines")
    assert check.counts["orphans"] == 1
    assert "no-such-entry" in str(check.first_break)
    assert report.check("foreign_keys").detail == {
        "table": "journal_line", "rowid": check.detail["line_id"] if check.detail else None,
        "parent": "journal_entry", "fk": 0}


def test_a_changed_stock_level_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        pid, level = conn.execute("SELECT sl.product_id, sl.qty_milli FROM stock_level sl "
                                  "JOIN product p ON p.id = sl.product_id "
                                  "WHERE p.sku = 'TMB-0175'").fetchone()
        conn.execute("UPDATE stock_level SET qty_milli = qty_milli + 1000 "
                     "WHERE product_id = ?", (pid,))
    report = verify(shop)
    assert failed(report) == {"stock_levels"}
    check = report.check("stock_levels")
    assert check.detail is not None
    assert check.detail["sku"] == "TMB-0175"
    assert check.detail["level_milli"] == level + 1000
    assert check.detail["movements_milli"] == level
    assert str(check.first_break).startswith("product TMB-0175")


def test_a_missing_stock_level_row_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        conn.execute("DELETE FROM stock_level WHERE product_id = "
                     "(SELECT id FROM product WHERE sku = 'MI-0004')")
    check = verify(shop).check("stock_levels")
    assert not check.ok
    assert "MI-0004" in str(check.first_break) and "no stock level row" in str(check.first_break)


def test_a_sale_deleted_in_the_middle_of_the_sequence_is_named(
        shop: Shop, sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        conn.execute("DELETE FROM sale WHERE seq = 3")
    report = verify(shop)
    check = report.check("receipt_sequence")
    assert not check.ok
    assert check.detail == {"missing_seq": 3, "next_seq": 4, "missing": 1}
    assert check.first_break == (f"receipt seq 3 is missing; 2 ({sold[1]['receipt_no']}) is "
                                 f"followed by 4 ({sold[3]['receipt_no']})")
    # What it leaves behind is named too.
    assert {"foreign_keys", "sale_journal", "sale_outbox", "sale_audit"} <= failed(report)
    assert "does not exist" in str(report.check("sale_journal").first_break)


def test_the_last_sale_deleted_leaves_the_counter_ahead(shop: Shop,
                                                        sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        conn.execute("DELETE FROM sale WHERE seq = ?", (len(SALES),))
    check = verify(shop).check("receipt_sequence")
    assert not check.ok
    assert check.detail == {"counter": len(SALES), "rows": len(SALES) - 1}
    assert f"seq {len(SALES)} is missing" in str(check.first_break)


def test_a_counter_behind_its_rows_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        conn.execute("UPDATE counter SET value = value - 1 WHERE name = 'receipt'")
    report = verify(shop)
    assert failed(report) == {"receipt_sequence"}
    assert "would be reused" in str(report.check("receipt_sequence").first_break)


def test_a_deleted_outbox_event_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    sid = sale_id(shop, 5)
    with raw(shop) as conn:
        seq = conn.execute("SELECT seq FROM outbox WHERE aggregate_id = ?", (sid,)).fetchone()[0]
        conn.execute("DROP TRIGGER outbox_keep_unsent")
        conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
    report = verify(shop)
    assert failed(report) == {"outbox_sequence", "sale_outbox"}
    out = report.check("outbox_sequence")
    assert out.detail is not None and out.detail["missing_seq"] == seq
    assert str(out.first_break).startswith(f"outbox event seq {seq} is missing")
    check = report.check("sale_outbox")
    assert check.detail is not None and check.detail["sale_id"] == sid
    assert str(check.first_break) == (
        f"sale {sold[4]['receipt_no']} (seq 5, id {sid}) has 0 'sale.completed' outbox events "
        "(needs exactly 1)")


def test_payments_not_adding_up_are_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    sid = sale_id(shop, 5)
    with raw(shop) as conn:
        conn.execute("UPDATE payment SET amount = amount - 100 WHERE sale_id = ? "
                     "AND method = 'edc'", (sid,))
    report = verify(shop)
    assert failed(report) == {"sale_payments"}
    check = report.check("sale_payments")
    assert check.detail is not None
    assert check.detail["paid"] == sold[4]["payable"] - 100
    assert f"not the payable {sold[4]['payable']}" in str(check.first_break)


def test_a_sale_without_its_journal_entry_is_named(shop: Shop,
                                                   sold: list[dict[str, Any]]) -> None:
    sid = sale_id(shop, 6)
    with raw(shop) as conn:
        conn.execute("DROP TRIGGER journal_entry_no_delete")
        conn.execute("DELETE FROM journal_entry WHERE ref_id = ?", (sid,))
    report = verify(shop)
    assert failed(report) == {"foreign_keys", "journal_orphan_lines", "sale_journal"}
    assert str(report.check("sale_journal").first_break).startswith(
        f"sale {sold[5]['receipt_no']} (seq 6, id {sid}) has 0 journal entries")


def test_tampered_audit_details_are_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    sid = sale_id(shop, 2)
    with raw(shop) as conn:
        seq = conn.execute("SELECT seq FROM audit_log WHERE entity_id = ?", (sid,)).fetchone()[0]
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET details = replace(details, 'payable', 'paid') "
                     "WHERE seq = ?", (seq,))
    report = verify(shop)
    assert failed(report) == {"audit_chain"}
    check = report.check("audit_chain")
    assert check.detail is not None and check.detail["seq"] == seq
    assert check.counts["broken"] == 1
    assert str(check.first_break) == (
        f"audit record seq {seq} (sale.complete sale {sid}): its hash does not match its "
        "content (the record was altered)")


def test_a_rehashed_audit_record_breaks_the_next_link(shop: Shop,
                                                      sold: list[dict[str, Any]]) -> None:
    sid = sale_id(shop, 2)
    with raw(shop) as conn:
        row = conn.execute("SELECT seq, id, created_at, action, actor_id, approver_id, entity, "
                           "entity_id, details, prev_hash FROM audit_log WHERE entity_id = ?",
                           (sid,)).fetchone()
        seq, rid, created, action, actor, approver, entity, entity_id = row[:8]
        forged = AuditFields(seq, rid, created, action, actor, approver, entity, entity_id,
                             '{"payable":1,"receipt_no":"x"}')
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET details = ?, hash = ? WHERE seq = ?",
                     (forged.details, audit_hash(row[9], forged), row[0]))
    check = verify(shop).check("audit_chain")
    assert check.detail is not None and check.detail["seq"] == row[0] + 1
    assert "prev_hash does not match" in str(check.first_break)


def test_a_deleted_audit_record_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    sid = sale_id(shop, 3)
    with raw(shop) as conn:
        seq = conn.execute("SELECT seq FROM audit_log WHERE entity_id = ?", (sid,)).fetchone()[0]
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (seq,))
    report = verify(shop)
    assert failed(report) == {"audit_chain", "sale_audit"}
    assert str(report.check("audit_chain").first_break).startswith(
        f"audit record seq {seq + 1} ")
    assert f"follows seq {seq - 1}" in str(report.check("audit_chain").first_break)
    assert sold[2]["receipt_no"] in str(report.check("sale_audit").first_break)


def test_index_damage_only_the_full_integrity_check_sees(
        shop: Shop, sold: list[dict[str, Any]]) -> None:
    """An index whose entries no longer match its table: structurally sound, so the start-up
    quick_check passes, but the full integrity_check must report it."""
    with raw(shop) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = replace(sql, '(product_id)', '(sku)') "
                     "WHERE name = 'ix_sale_line_product_id'")
        conn.execute("PRAGMA writable_schema = OFF")
    shop.db.dispose()  # new connections read the edited schema
    with raw(shop) as conn:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    report = verify(shop)
    assert failed(report) == {"integrity"}
    assert "ix_sale_line_product_id" in str(report.check("integrity").first_break)


# --- refunds (rows written the way services/refunds.py writes them) ----------------------

def add_refund(conn: sqlite3.Connection, seq: int, sale: str) -> str:
    """A whole refund of a sale's first line: refund, line, stock back, journal, outbox."""
    rid = str(uuid.uuid4())
    line = conn.execute("SELECT id, product_id, qty_milli, gross, net, tax, cost FROM sale_line "
                        "WHERE sale_id = ? ORDER BY line_no LIMIT 1", (sale,)).fetchone()
    shift, user = conn.execute("SELECT shift_id, cashier_id FROM sale WHERE id = ?",
                               (sale,)).fetchone()
    stamp = now_iso()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO refund VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 (rid, seq, f"DEMO-T01-R{seq:05d}", sale, shift, user, user, "rusak", "cash",
                  line[3], line[4], line[5], line[6], stamp))
    conn.execute("INSERT INTO refund_line VALUES (?,?,?,?,?,?,?,?)",
                 (str(uuid.uuid4()), rid, line[0], line[2], line[3], line[4], line[5], line[6]))
    conn.execute("INSERT INTO stock_movement VALUES (?,?,?,?,?,?,?,?,?,?)",
                 (str(uuid.uuid4()), line[1], line[2], "refund", rid, 0, None, None, user,
                  stamp))
    conn.execute("UPDATE stock_level SET qty_milli = qty_milli + ? WHERE product_id = ?",
                 (line[2], line[1]))
    entry = str(uuid.uuid4())
    for account, debit, credit in [("4-1100", line[4], 0), ("2-1200", line[5], 0),
                                   ("1-1100", 0, line[3])]:
        if debit or credit:
            conn.execute("INSERT INTO journal_line(entry_id, account_code, debit, credit) "
                         "VALUES (?,?,?,?)", (entry, account, debit, credit))
    conn.execute("INSERT INTO journal_entry VALUES (?,?,?,?,?)",
                 (entry, "refund", rid, "refund", stamp))
    out = conn.execute("UPDATE counter SET value = value + 1 WHERE name = 'outbox' "
                       "RETURNING value").fetchone()[0]
    conn.execute("INSERT INTO outbox VALUES (?,?,?,?,?,?,?,?,?,?)",
                 (out, str(uuid.uuid4()), "sale.refunded", 1, rid, "{}", stamp, "pending",
                  None, None))
    conn.execute("UPDATE counter SET value = MAX(value, ?) WHERE name = 'refund'", (seq,))
    conn.execute("COMMIT")
    return rid


def test_a_whole_refund_verifies_clean(shop: Shop, sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        add_refund(conn, 1, sale_id(shop, 2))
    report = verify(shop)
    assert report.ok, report.as_dict()["first_break"]
    assert report.check("refund_sequence").counts["rows"] == 1


def test_a_gap_in_the_refund_sequence_is_named(shop: Shop, sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        add_refund(conn, 1, sale_id(shop, 2))
        add_refund(conn, 3, sale_id(shop, 3))
    report = verify(shop)
    assert failed(report) == {"refund_sequence"}
    assert report.check("refund_sequence").first_break == (
        "refund seq 2 is missing; 1 (DEMO-T01-R00001) is followed by 3 (DEMO-T01-R00003)")


def test_a_refund_without_its_outbox_event_is_named(shop: Shop,
                                                    sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        rid = add_refund(conn, 1, sale_id(shop, 2))
        conn.execute("DROP TRIGGER outbox_keep_unsent")
        conn.execute("DELETE FROM outbox WHERE aggregate_id = ?", (rid,))
    report = verify(shop)
    assert failed(report) == {"refund_outbox", "outbox_sequence"}
    assert report.check("refund_outbox").first_break == (
        f"refund DEMO-T01-R00001 (seq 1, id {rid}) has 0 'sale.refunded' outbox events "
        "(needs exactly 1)")
    assert "counter 'outbox'" in str(report.check("outbox_sequence").first_break)


def test_a_refund_without_its_journal_entry_is_named(shop: Shop,
                                                     sold: list[dict[str, Any]]) -> None:
    with raw(shop) as conn:
        rid = add_refund(conn, 1, sale_id(shop, 2))
        conn.execute("DROP TRIGGER journal_entry_no_delete")
        conn.execute("DELETE FROM journal_entry WHERE ref_id = ?", (rid,))
    report = verify(shop)
    assert "refund_journal" in failed(report)
    assert report.check("refund_journal").detail == {
        "refund_id": rid, "seq": 1, "refund_no": "DEMO-T01-R00001",
        "sale_id": sale_id(shop, 2), "lines": 1, "entries": 0, "events": 1}


# --- the command -------------------------------------------------------------------------

def dump(shop: Shop) -> str:
    with raw(shop) as conn:
        return "\n".join(conn.iterdump())


def test_cli_verify_clean_exits_0_and_changes_nothing(
        shop: Shop, sold: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    before = dump(shop)
    assert main(["verify", "--data-dir", str(shop.folder)]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["ok"] is True and report["failed"] == []
    assert [c["name"] for c in report["checks"]] == list(CHECK_NAMES)
    assert err == ""
    assert dump(shop) == before


def test_cli_verify_names_the_first_break(shop: Shop, sold: list[dict[str, Any]],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    sid = sale_id(shop, 3)
    with raw(shop) as conn:
        conn.execute("DROP TRIGGER sale_line_no_delete")
        conn.execute("DELETE FROM sale_line WHERE sale_id = ? AND line_no = 1", (sid,))
    assert main(["verify", "--data-dir", str(shop.folder)]) == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["ok"] is False and report["failed"] == ["sale_lines"]
    assert err.splitlines() == [f"error: sale_lines: {report['first_break']['break']}"]
    assert err.startswith(f"error: sale_lines: sale {sold[2]['receipt_no']} (seq 3, id {sid})")


def test_cli_verify_reports_a_file_the_start_up_check_refuses(
        shop: Shop, sold: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    path = shop.db.path
    shop.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root, size = conn.execute("SELECT rootpage, (SELECT page_size FROM pragma_page_size) "
                                  "FROM sqlite_master WHERE name = 'sale'").fetchone()
    conn.close()
    with open(path, "r+b") as f:  # clobber the cell pointers of the sale table's page
        f.seek((root - 1) * size + 12)
        f.write(b"\xff" * 64)
    assert main(["verify", "--data-dir", str(shop.folder)]) == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["failed"][0] == "integrity"
    assert f"tree page {root}" in report["first_break"]["break"]
    assert err.splitlines()[0].startswith(f"error: integrity: On tree page {root}")


def test_real_refunds_of_every_kind_verify_clean(shop: Shop, cashier: Actor) -> None:
    """Refunds made by services/refunds.py itself: partial, whole, kasbon, mixed."""
    from sqlalchemy import insert

    from local_db.models import Customer
    from services.refunds import refund_sale
    from services.selling import Approval
    with shop.uow() as uow:
        uow.conn.execute(insert(Customer).values(
            id="00000000-0000-7000-8000-00000000c001", name="Pelanggan Uji", credit_limit=10**6,
            consent_marketing=False, created_at=now_iso(), updated_at=now_iso()))
        uow.commit()
    sales = [
        {"lines": [{"sku": "MI-0001", "qty": 4}, {"sku": "TMB-0176", "qty": "0.5"}],
         "payments": [{"method": "cash", "tendered": 50000}]},
        {"lines": [{"sku": "M-0016", "qty": 3}], "payments": [{"method": "kasbon",
                                                                "amount": 10500}],
         "customer_id": "00000000-0000-7000-8000-00000000c001"},
        {"lines": [{"sku": "MI-0001", "qty": 4}], "customer_id":
            "00000000-0000-7000-8000-00000000c001",
         "payments": [{"method": "kasbon", "amount": 5000}, {"method": "cash", "tendered": 9000}]},
    ]
    receipts = []
    for data in sales:
        with shop.uow() as uow:
            receipts.append(complete_sale(uow, shop.config, cashier, parse_sale(data)).receipt_no)
    ok = Approval("Budi", "5678")
    for receipt, lines in [(receipts[0], [(1, 1000)]), (receipts[0], [(2, 250)]),
                           (receipts[0], []), (receipts[1], []), (receipts[2], [(1, 3000)])]:
        with shop.uow() as uow:
            refund_sale(uow, shop.config, cashier, receipt, lines, "uji", ok)
    report = verify(shop)
    assert report.ok, report.as_dict()["first_break"]
    assert report.check("refund_sequence").counts["rows"] == 5
