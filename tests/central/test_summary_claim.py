"""The daily summary's claim at a real central PostgreSQL: two tills of one store racing for
the same day and recipient send exactly one email between them; the claim is walled by
tenant and terminal like every central table."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import psycopg
import pytest

from app.secrets import cipher_for
from app.shop import Shop, open_shop
from local_db.store import write_settings
from services.formatting import zone
from services.schedule_summary import ClaimUnavailable, run_due_summaries, scheduled_moment
from sync.summary_claim import CentralClaims
from tests.central.conftest import CentralDB, Terminal, make_tenant, make_terminal

TZ = "Asia/Jakarta"


def claims_of(db: CentralDB, term: Terminal) -> CentralClaims:
    return CentralClaims(lambda: db.connect(term.role, term.password), term.terminal_id)


def test_racing_claims_one_winner(central_db: CentralDB) -> None:
    tenant = make_tenant(central_db, "Toko Klaim")
    t1, t2 = make_terminal(central_db, tenant, "T01"), make_terminal(central_db, tenant, "T02")
    c1, c2 = claims_of(central_db, t1), claims_of(central_db, t2)
    day = date(2026, 12, 7)
    for round_no in range(5):
        key = f"r{round_no}"
        results: dict[str, object] = {}
        start = threading.Barrier(2)

        def go(name: str, c: CentralClaims, key: str = key) -> None:
            start.wait()
            results[name] = c.claim(tenant.store_id, day, key)

        threads = [threading.Thread(target=go, args=(n, c)) for n, c in
                   (("a", c1), ("b", c2))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        won = [r for r in results.values() if r.won]  # type: ignore[attr-defined]
        assert len(won) == 1
        holders = {r.holder for r in results.values()}  # type: ignore[attr-defined]
        assert holders == {won[0].holder}  # type: ignore[attr-defined]
    # Asking again answers the same holder.
    again = c2.claim(tenant.store_id, day, "r0")
    assert not again.won or again.holder == t2.terminal_id


def test_claims_are_walled(central_db: CentralDB) -> None:
    a, b = make_tenant(central_db, "Toko A klaim"), make_tenant(central_db, "Toko B klaim")
    a1, a2 = make_terminal(central_db, a, "T01"), make_terminal(central_db, a, "T02")
    b1 = make_terminal(central_db, b, "T01")
    assert claims_of(central_db, a1).claim(a.store_id, date(2026, 12, 1), "k").won
    # Tenant B's till neither sees A's claim nor is stopped by it (its own tenant's key).
    assert claims_of(central_db, b1).claim(a.store_id, date(2026, 12, 1), "k").won
    with central_db.connect(b1.role, b1.password) as c:
        n = c.execute("SELECT COUNT(*) FROM central.daily_summary_claim").fetchone()
        assert n is not None and n[0] == 1
    # A till cannot claim in its sibling's name, nor change or delete a claim.
    with central_db.connect(a1.role, a1.password) as c, pytest.raises(psycopg.Error):
        c.execute("INSERT INTO central.daily_summary_claim (tenant_id, store_id, day, "
                  "recipient, terminal_id) VALUES (%s, %s, '2026-12-02', 'k', %s)",
                  (a.tenant_id, a.store_id, a2.terminal_id))
    with central_db.connect(a1.role, a1.password) as c, pytest.raises(psycopg.Error):
        c.execute("UPDATE central.daily_summary_claim SET terminal_id = %s",
                  (a1.terminal_id,))
    with central_db.connect(a1.role, a1.password) as c, pytest.raises(psycopg.Error):
        c.execute("DELETE FROM central.daily_summary_claim")


def test_unreachable_central_is_claim_unavailable() -> None:
    def refuse() -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect("host=127.0.0.1 port=1 user=x dbname=x connect_timeout=2")
    with pytest.raises(ClaimUnavailable):
        CentralClaims(refuse, "t").claim("s", date(2026, 12, 7), "k")


def _copy(template: Path, to: Path) -> Shop:
    shutil.copytree(template, to)
    conn = sqlite3.connect(to / "warungin.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return open_shop(to)


@pytest.fixture
def two_tills(demo_template: Path, tmp_path: Path) -> Iterator[tuple[Shop, Shop]]:
    a, b = _copy(demo_template, tmp_path / "a"), _copy(demo_template, tmp_path / "b")
    yield a, b
    a.close()
    b.close()


def test_two_tills_running_send_one_summary(central_db: CentralDB,
                                            two_tills: tuple[Shop, Shop]) -> None:
    tenant = make_tenant(central_db, "Toko Dua Kasir")
    terms = [make_terminal(central_db, tenant, "T01"), make_terminal(central_db, tenant, "T02")]
    today = datetime.now(UTC).astimezone(zone(TZ)).date()
    closing = scheduled_moment(today, time(21, 0), TZ)
    for shop, term in zip(two_tills, terms, strict=True):
        with shop.uow() as uow:
            write_settings(uow.conn, {
                "central.store_id": tenant.store_id, "central.terminal_id": term.terminal_id,
                "summary.recipients": "pemilik@warung.test", "summary.time": "21:00",
                "timezone": TZ, "schedule.since": (closing - timedelta(hours=1)).isoformat()})
            uow.commit()
    ciphers = [cipher_for(s) for s in two_tills]
    outcomes: dict[int, list[str]] = {}
    start = threading.Barrier(2)

    def till(i: int) -> None:
        start.wait()
        out = run_due_summaries(two_tills[i].uow, ciphers[i], claims_of(central_db, terms[i]),
                                now=closing + timedelta(minutes=1))
        outcomes[i] = [o.status for o in out]

    threads = [threading.Thread(target=till, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for v in outcomes.values() for s in v) == ["queued", "skipped"]
    sent = 0
    for shop in two_tills:
        with shop.uow(write=False) as uow:
            sent += int(uow.conn.exec_driver_sql(
                "SELECT COUNT(*) FROM message WHERE template = 'daily_summary'").scalar() or 0)
    assert sent == 1
    # Both tills restart later within the window: still one.
    for i, shop in enumerate(two_tills):
        out = run_due_summaries(shop.uow, ciphers[i], claims_of(central_db, terms[i]),
                                now=closing + timedelta(hours=2))
        assert [o for o in out if o.status == "queued"] == []
