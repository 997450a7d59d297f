"""The push under network faults, through a TCP proxy the test controls.

The reply to COMMIT is lost after central committed on 30% of batches (the issue asks for
10,000 events; WARUNGIN_PUSH_FAULT_EVENTS sets the count, the default keeps this quick):
central must end equal to the till with no duplicates, and the outbox drains once the
proxy heals.
"""

from __future__ import annotations

import os
import time

from psycopg import conninfo
from sqlalchemy import text

from app.shop import Shop
from services.users import Actor
from sync.central.connect import CentralUnavailable
from sync.push import CentralLink, push_once
from tests.central.conftest import CentralDB
from tests.sync.push.proxy import Proxy
from tests.sync.push.test_push import (
    central_figures,
    enrol,
    local_figures,
    outbox_counts,
    sell,
)

EVENTS = int(os.environ.get("WARUNGIN_PUSH_FAULT_EVENTS", "2000"))
BATCH = int(os.environ.get("WARUNGIN_PUSH_FAULT_BATCH", "100"))


def _bulk_sales(shop: Shop, cashier: Actor, n: int) -> None:
    items = ["MI-0001", "TMB-0176", "JSA-0184"]
    for i in range(n):
        sell(shop, cashier, [(items[i % 3], 1000), (items[(i + 1) % 3], 2000)],
             [("cash", 100_000)])


def test_lost_commit_replies_leave_no_duplicates(central_db: CentralDB, shop: Shop,
                                                 cashier: Actor) -> None:
    link, term = enrol(central_db, shop, "Toko Putus Balas")
    pending = outbox_counts(shop)["pending"]
    _bulk_sales(shop, cashier, max(0, EVENTS - pending))
    total = outbox_counts(shop)["pending"]

    params = conninfo.conninfo_to_dict(link.dsn)
    proxy = Proxy(str(params.get("host", "127.0.0.1")), int(str(params.get("port", 5432))))
    params.update(host="127.0.0.1", port=str(proxy.port))
    via_proxy = CentralLink(conninfo.make_conninfo("", **params), link.password,
                            link.install_id)
    proxy.drop_commit_reply = 0.3
    started = time.perf_counter()
    failures = 0
    try:
        for _ in range(10 * (total // BATCH + 1)):
            try:
                push_once(shop.db, via_proxy, batch_size=BATCH)
                break
            except CentralUnavailable:
                failures += 1  # the batch landed but we were not told: it is resent
        proxy.heal()
        final = push_once(shop.db, via_proxy, batch_size=BATCH)
    finally:
        proxy.close()
    elapsed = time.perf_counter() - started
    print(f"\npush with 30% lost COMMIT replies: {total} events, batch {BATCH}, "
          f"{proxy.commits} commits, {proxy.replies_dropped} replies dropped, "
          f"{elapsed:.1f} s ({total / elapsed:.0f} events/s)")

    assert proxy.replies_dropped > 0 and failures == proxy.replies_dropped
    assert final.sent == 0  # healed run: nothing left
    assert outbox_counts(shop) == {"sent": total}
    central = central_figures(central_db, term.tenant_id)
    assert central["event"] == (total, total, total)  # UNIQUE event_id and seq, no extras
    for table, figures in local_figures(shop).items():
        assert central[table] == figures, table
    with central_db.connect() as c:
        dup = c.execute("SELECT count(*) - count(DISTINCT receipt_no) FROM central.sale "
                        "WHERE tenant_id = %s", (term.tenant_id,)).fetchone()
        quarantined = c.execute("SELECT count(*) FROM central.quarantine WHERE tenant_id = %s",
                                (term.tenant_id,)).fetchone()
    assert dup == (0,) and quarantined == (0,)
    with shop.uow(write=False) as uow:
        assert uow.conn.execute(text("SELECT count(*) FROM outbox WHERE status != 'sent'")
                                ).scalar() == 0


def test_a_cut_connection_sends_again_later(central_db: CentralDB, shop: Shop,
                                            cashier: Actor) -> None:
    link, term = enrol(central_db, shop, "Toko Putus")
    _bulk_sales(shop, cashier, 20)
    params = conninfo.conninfo_to_dict(link.dsn)
    proxy = Proxy(str(params.get("host", "127.0.0.1")), int(str(params.get("port", 5432))))
    params.update(host="127.0.0.1", port=str(proxy.port))
    via = CentralLink(conninfo.make_conninfo("", **params), link.password, link.install_id)
    try:
        proxy.refuse = True
        try:
            push_once(shop.db, via)
            raise AssertionError("a refused connection must not look like success")
        except CentralUnavailable:
            pass
        assert "sent" not in outbox_counts(shop)
        proxy.heal()
        proxy.delay_s = 0.001
        push_once(shop.db, via, batch_size=7)
    finally:
        proxy.close()
    assert set(outbox_counts(shop)) == {"sent"}
    central = central_figures(central_db, term.tenant_id)
    for table, figures in local_figures(shop).items():
        assert central[table] == figures, table
