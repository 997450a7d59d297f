"""The pull cursor orders change_log by xid as a number.

The page query once said ``ORDER BY xid`` while selecting ``xid::text`` as ``xid``: the
ORDER BY named the text column, so '10000' came before '9999'. A page ending at the row of
xid 10000 moved the cursor past the row of xid 9999, which was never read. Two catalogue
changes are placed on either side of a power of ten below the horizon, and pulled one per
page: both must arrive.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from sync.pull import pull_once
from tests.central.conftest import CentralDB
from tests.sync.push.test_push import enrol


def test_cursor_follows_xid_numbers_across_a_power_of_ten(central_db: CentralDB,
                                                          shop: Shop) -> None:
    link, term = enrol(central_db, shop, f"Toko Urutan {uuid.uuid4().hex[:6]}")
    made = {"URUT-A": str(uuid.uuid4()), "URUT-B": str(uuid.uuid4())}
    with central_db.connect() as c:
        for sku, pid in made.items():
            c.execute("INSERT INTO central.product (tenant_id, id, sku, name, price, cost, "
                      "tax_class) VALUES (%s, %s, %s, %s, 1000, 800, 'PPN')",
                      (term.tenant_id, pid, sku, f"Barang {sku}"))
        c.commit()
        (horizon,) = c.execute("SELECT central.pull_horizon()::text").fetchone() or ("0",)
        power = 10 ** (len(str(int(horizon) - 1)) - 1)  # e.g. 10000 below 13042
        assert 1 < power < int(horizon)
        # As if A's transaction had xid 9999 and B's 10000 (both long finished).
        for sku, xid in (("URUT-A", power - 1), ("URUT-B", power)):
            c.execute("UPDATE central.change_log SET xid = %s::xid8 WHERE tenant_id = %s "
                      "AND table_name = 'product' AND row_key ->> 'id' = %s",
                      (str(xid), term.tenant_id, made[sku]))
        c.commit()

    report = pull_once(shop.db, link, cipher=cipher_for(shop), page_size=1)

    assert report.pages == report.changes == 2
    with shop.uow(write=False) as uow:
        got = dict(uow.conn.execute(text(
            "SELECT sku, id FROM product WHERE sku IN ('URUT-A', 'URUT-B')")).all())
    assert got == made
