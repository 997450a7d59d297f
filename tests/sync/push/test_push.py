"""The push against real PostgreSQL and real SQLite files: a demo shop enrolled into
central sells, refunds, edits products and customers; ``sync --once`` sends it all."""

from __future__ import annotations

import io
import json
import shutil
import uuid
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from sqlalchemy import text

from app.enroll import INSTALL_ID_SECRET, central_credentials, enroll
from app.secrets import cipher_for, secret_store_for
from app.cli.main import main
from app.shop import Shop, open_shop
from local_db.ids import uuid7
from services.catalogue import ProductInput, save_product
from services.customers import create_customer, erase_customer
from services.refunds import RefundResult, refund_sale
from services.selling import (
    Approval,
    LineRequest,
    PaymentRequest,
    SaleRequest,
    SaleResult,
    complete_sale,
)
from services.users import Actor
from sync.push import CentralLink, PushRefused, push_once
from sync.status import sync_status
from tests.central.conftest import CentralDB, Terminal, make_tenant, make_terminal

BUDI = Approval("Budi", "5678")


def fresh_event_ids(shop: Shop) -> None:
    """Every test's shop is a copy of one seeded template, so their demo events share ids;
    central rightly refuses a second terminal pushing the same event. Give this copy its own
    ids, as a freshly seeded shop would have (the immutability trigger is dropped on this
    throw-away copy only)."""
    with shop.uow() as uow:
        uow.conn.execute(text("DROP TRIGGER IF EXISTS outbox_content_frozen"))
        seqs = [int(s) for (s,) in uow.conn.execute(text("SELECT seq FROM outbox"))]
        uow.conn.execute(text("UPDATE outbox SET id = :id WHERE seq = :s"),
                         [{"id": uuid7(), "s": s} for s in seqs])
        uow.commit()


def enrol(db: CentralDB, shop: Shop, name: str = "Toko Push") -> tuple[CentralLink, Terminal]:
    fresh_event_ids(shop)
    term = make_terminal(db, make_tenant(db, name), "T01")
    enroll(shop, term.code)
    creds = central_credentials(shop)
    install_id = secret_store_for(shop).get(INSTALL_ID_SECRET)
    assert install_id
    return CentralLink(creds.dsn, creds.password, install_id), term


def sell(shop: Shop, actor: Actor, lines: list[tuple[str, int]], pays: list[tuple[str, int]]
         ) -> SaleResult:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      tuple(PaymentRequest(m, a) for m, a in pays))
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


def refund(shop: Shop, actor: Actor, receipt_no: str) -> RefundResult:
    with shop.uow() as uow:
        return refund_sale(uow, shop.config, actor, receipt_no, [], "rusak", BUDI)


def edit_product(shop: Shop, actor: Actor, price: int) -> None:
    with shop.uow() as uow:
        save_product(uow, actor, ProductInput(sku="MI-0001", name="Indomie Goreng 85 g",
                                              price=price, cost=2850, category="Mi Instan",
                                              barcodes=("8991619730698",)))


def customers(shop: Shop, actor: Actor) -> None:
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        a = create_customer(uow, cipher, actor, name="Ibu Contoh", phone="0812-0000-1234")
    with shop.uow() as uow:
        b = create_customer(uow, cipher, actor, name="Pak Contoh")
    with shop.uow() as uow:
        erase_customer(uow, actor, b.id)
    del a


TABLES = {
    "sale": "count(*), sum(total), sum(payable), sum(tax_total)",
    "sale_line": "count(*), sum(gross), sum(net), sum(qty_milli)",
    "payment": "count(*), sum(amount), sum(change)",
    "refund": "count(*), sum(gross), sum(net)",
    "refund_line": "count(*), sum(gross), sum(qty_milli)",
    "journal_entry": "count(*), count(DISTINCT id), 0",
    "journal_line": "count(*), sum(debit), sum(credit)",
    "stock_movement": "count(*), sum(qty_milli), sum(unit_cost)",
}


def _norm(row: Any) -> tuple[int, ...]:
    return tuple(int(v or 0) for v in row)


def local_figures(shop: Shop, where: dict[str, str] | None = None) -> dict[str, tuple[int, ...]]:
    with shop.uow(write=False) as uow:
        return {t: _norm(uow.conn.execute(text(f"SELECT {agg} FROM {t}")).one())
                for t, agg in TABLES.items()}


def central_figures(db: CentralDB, tenant_id: str) -> dict[str, tuple[int, ...]]:
    with db.connect() as c:
        out = {t: _norm(c.execute(f"SELECT {agg} FROM central.{t} WHERE tenant_id = %s",
                                  (tenant_id,)).fetchone())
               for t, agg in TABLES.items()}
        out["event"] = _norm(c.execute(
            "SELECT count(*), count(DISTINCT event_id), count(DISTINCT seq) FROM central.event "
            "WHERE tenant_id = %s", (tenant_id,)).fetchone())
    return out


def outbox_counts(shop: Shop) -> dict[str, int]:
    with shop.uow(write=False) as uow:
        return {str(s): int(n) for s, n in uow.conn.execute(
            text("SELECT status, count(*) FROM outbox GROUP BY status"))}


# --- tests ---------------------------------------------------------------------------------

def _business(shop: Shop, cashier: Actor, supervisor: Actor, owner: Actor) -> None:
    sales = [sell(shop, cashier, [("MI-0001", 2000), ("TMB-0176", 750)], [("cash", 50_000)])
             for _ in range(5)]
    refund(shop, cashier, sales[0].receipt_no)
    edit_product(shop, supervisor, 3700)
    customers(shop, owner)
    sell(shop, cashier, [("JSA-0184", 3000)], [("cash", 100_000)])


def test_push_everything_then_nothing(central_db: CentralDB, shop: Shop, cashier: Actor,
                                      supervisor: Actor, owner: Actor) -> None:
    link, term = enrol(central_db, shop)
    _business(shop, cashier, supervisor, owner)
    before = outbox_counts(shop)

    report = push_once(shop.db, link, batch_size=50)
    assert report.quarantined == 0, report.quarantine_reasons
    assert report.sent == before["pending"]
    assert outbox_counts(shop) == {"sent": before["pending"] + before.get("sent", 0)}
    central = central_figures(central_db, term.tenant_id)
    local = local_figures(shop)
    for table, figures in local.items():
        assert central[table] == figures, table
    n = report.sent
    assert central["event"] == (n, n, n)
    with central_db.connect() as c:
        assert c.execute("SELECT last_seq FROM central.terminal WHERE id = %s",
                         (term.terminal_id,)).fetchone() == (n,)
        price = c.execute("SELECT price FROM central.product WHERE tenant_id = %s AND "
                          "sku = 'MI-0001'", (term.tenant_id,)).fetchone()
        erased = c.execute("SELECT count(*) FROM central.customer WHERE tenant_id = %s "
                           "AND erased_at IS NOT NULL AND name_enc IS NULL",
                           (term.tenant_id,)).fetchone()
    assert price == (3700,) and erased == (1,)

    again = push_once(shop.db, link)
    assert (again.batches, again.sent, again.quarantined) == (0, 0, 0)
    assert central_figures(central_db, term.tenant_id) == central
    status = sync_status(shop.db)
    assert status["pending"] == 0 and status["quarantined"] == 0
    assert status["central_gaps"] == 0 and status["last_push_at"] and not status["refused"]


def test_unknown_sale_quarantines_only_its_refund(central_db: CentralDB, shop: Shop,
                                                  cashier: Actor) -> None:
    link, term = enrol(central_db, shop, "Toko Karantina")
    push_once(shop.db, link)  # the demo's own events first
    lost = sell(shop, cashier, [("MI-0001", 1000)], [("cash", 10_000)])
    r = refund(shop, cashier, lost.receipt_no)
    after = sell(shop, cashier, [("MI-0001", 1000)], [("cash", 10_000)])
    # As if the sale's event went elsewhere: central never hears of the sale.
    with shop.uow() as uow:
        uow.conn.execute(text("UPDATE outbox SET status = 'sent' WHERE aggregate_id = :a"),
                         {"a": lost.id})
        uow.commit()

    report = push_once(shop.db, link)
    assert report.quarantined == 1 and report.sent >= 1
    with shop.uow(write=False) as uow:
        status, why = uow.conn.execute(text(
            "SELECT status, last_error FROM outbox WHERE aggregate_id = :a"), {"a": r.id}).one()
    assert status == "quarantined" and "unknown at central" in why
    with central_db.connect() as c:
        assert c.execute("SELECT count(*) FROM central.sale WHERE tenant_id = %s AND id = %s",
                         (term.tenant_id, after.id)).fetchone() == (1,)
        assert c.execute("SELECT count(*) FROM central.refund WHERE tenant_id = %s",
                         (term.tenant_id,)).fetchone() == (0,)
        q = c.execute("SELECT q.reason, e.type FROM central.quarantine q JOIN central.event e "
                      "USING (event_id) WHERE q.tenant_id = %s", (term.tenant_id,)).fetchall()
    assert len(q) == 1 and "unknown at central" in q[0][0] and q[0][1] == "sale.refunded"
    status_now = sync_status(shop.db)
    assert status_now["quarantined"] == 1 and status_now["pending"] == 0
    assert "unknown at central" in status_now["quarantined_recent"][0]["reason"]


def test_a_totals_mismatch_is_quarantined(central_db: CentralDB, shop: Shop,
                                          cashier: Actor) -> None:
    link, term = enrol(central_db, shop, "Toko Salah")
    push_once(shop.db, link)
    bad = sell(shop, cashier, [("MI-0001", 1000)], [("cash", 10_000)])
    good = sell(shop, cashier, [("MI-0001", 1000)], [("cash", 10_000)])
    # A payload whose totals disagree with its lines (a bug or a tampered till): central's own
    # arithmetic refuses it. The outbox is immutable, so the event is rewritten around the
    # trigger, as a damaged file would be.
    with shop.uow() as uow:
        seq, payload = uow.conn.execute(text(
            "SELECT seq, payload FROM outbox WHERE aggregate_id = :a"), {"a": bad.id}).one()
        p = json.loads(payload)
        p["sale"]["total"] += 100
        uow.conn.execute(text("DROP TRIGGER IF EXISTS outbox_content_frozen"))
        uow.conn.execute(text("UPDATE outbox SET payload = :p WHERE seq = :s"),
                         {"p": json.dumps(p), "s": seq})
        uow.commit()
    report = push_once(shop.db, link)
    assert report.quarantined == 1
    assert "totals do not match" in str(report.quarantine_reasons[0]["reason"])
    with central_db.connect() as c:
        ids = {r[0] for r in c.execute("SELECT id::text FROM central.sale WHERE tenant_id = %s",
                                       (term.tenant_id,))}
    assert good.id in ids and bad.id not in ids


def test_a_copied_database_is_refused_not_merged(central_db: CentralDB, shop: Shop,
                                                 cashier: Actor, tmp_path: Path) -> None:
    link, term = enrol(central_db, shop, "Toko Klon")
    push_once(shop.db, link)
    shop.close()
    copy_dir = tmp_path / "copy"
    shutil.copytree(shop.folder, copy_dir)
    original, copy = open_shop(shop.folder), open_shop(copy_dir)
    try:
        sell(original, cashier, [("MI-0001", 1000)], [("cash", 10_000)])
        sell(copy, cashier, [("MI-0001", 2000)], [("cash", 10_000)])
        assert push_once(original.db, link).sent == 1
        with central_db.connect() as c:
            before = central_figures(central_db, term.tenant_id)

        # A second machine has its own install id: refused before anything is written.
        other = CentralLink(link.dsn, link.password, str(uuid.uuid4()))
        with pytest.raises(PushRefused, match="another installation"):
            push_once(copy.db, other)
        # Even with the same install id (the secret copied too), the same seq under another
        # event id gives the copy away.
        with pytest.raises(PushRefused, match="seq"):
            push_once(copy.db, link)
        assert central_figures(central_db, term.tenant_id) == before
        status = sync_status(copy.db)
        assert status["pending"] == 1 and status["refused"]
        assert sync_status(original.db)["refused"] is None
        del c
    finally:
        original.close()
        copy.close()


def test_cli_sync_once_and_status(central_db: CentralDB, shop: Shop, cashier: Actor) -> None:
    enrol(central_db, shop, "Toko CLI")
    sell(shop, cashier, [("MI-0001", 1000)], [("cash", 10_000)])
    folder = str(shop.folder)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["sync", "--once", "--data-dir", folder]) == 0
    pushed = json.loads(out.getvalue())
    assert pushed["sent"] > 0 and pushed["status"]["pending"] == 0
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["sync", "status", "--data-dir", folder]) == 0
    status = json.loads(out.getvalue())
    assert status["pending"] == 0 and status["quarantined"] == 0 and status["last_push_at"]
