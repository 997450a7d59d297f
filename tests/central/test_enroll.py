"""``warungin enroll``: a real demo shop redeems a one-time code against real PostgreSQL."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from psycopg import conninfo

from app.cli.main import main
from app.enroll import (
    INSTALL_ID_SECRET,
    PASSWORD_SECRET,
    central_credentials,
    enroll,
)
from app.secrets import secret_store_for
from app.shop import Shop, open_shop
from local_db.store import read_settings
from services.errors import Conflict, Refused
from sync.central.admin import EnrolmentCode
from sync.central.connect import terminal_connect
from tests.central.conftest import CentralDB, make_tenant, make_terminal


def settings(shop: Shop) -> dict[str, str]:
    with shop.uow(write=False) as uow:
        return read_settings(uow.conn)


def second_shop(template: Path, tmp_path: Path) -> Shop:
    folder = tmp_path / "other"
    shutil.copytree(template, folder)
    conn = sqlite3.connect(folder / "warungin.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return open_shop(folder)


def test_enrolment_round_trip(central_db: CentralDB, shop: Shop) -> None:
    tenant = make_tenant(central_db, "Toko Enrol")
    term = make_terminal(central_db, tenant, "T01", terminal_id=shop.config.terminal_id)
    with central_db.connect() as c:
        verifier_before = c.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                    (term.role,)).fetchone()

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["enroll", term.code, "--data-dir", str(shop.folder)]) == 0
    printed = json.loads(out.getvalue())
    assert printed["tenant_id"] == tenant.tenant_id and printed["resumed"] is False
    assert term.password not in out.getvalue()

    s = settings(shop)
    assert s["tenant_id"] == tenant.tenant_id
    assert s["central.store_id"] == tenant.store_id
    assert s["central.terminal_id"] == term.terminal_id
    assert "password" not in conninfo.conninfo_to_dict(s["central.dsn"])
    assert conninfo.conninfo_to_dict(s["central.dsn"])["user"] == term.role

    store = secret_store_for(shop)
    password, install_id = store.get(PASSWORD_SECRET), store.get(INSTALL_ID_SECRET)
    assert password and install_id and password != term.password
    # Not in the shop's database, in any form.
    shop.close()
    raw = b"".join(p.read_bytes() for p in shop.folder.glob("warungin.db*"))
    assert password.encode() not in raw and term.password.encode() not in raw

    with central_db.connect() as c:
        row = c.execute("SELECT enrolled_at IS NOT NULL, install_id::text FROM central.terminal "
                        "WHERE id = %s", (term.terminal_id,)).fetchone()
        verifier_after = c.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                   (term.role,)).fetchone()
    assert row == (True, install_id)
    assert verifier_after != verifier_before  # the code's password is spent

    reopened = open_shop(shop.folder)
    try:
        creds = central_credentials(reopened)
        assert password not in repr(creds)
        with terminal_connect(creds.dsn, creds.password) as c:
            assert c.execute("SELECT central.current_tenant()::text, "
                             "central.current_terminal()::text").fetchone() == (
                tenant.tenant_id, term.terminal_id)
        # Running it again on this machine finishes nothing new and changes nothing.
        again = enroll(reopened, term.code)
        assert again.resumed is True
        assert secret_store_for(reopened).get(PASSWORD_SECRET) == password
    finally:
        reopened.close()


def test_a_code_works_once(central_db: CentralDB, shop: Shop, demo_template: Path,
                           tmp_path: Path) -> None:
    term = make_terminal(central_db, make_tenant(central_db, "Toko Sekali"), "T01")
    enroll(shop, term.code)
    other = second_shop(demo_template, tmp_path)
    try:
        with pytest.raises(Refused, match="already used"):
            enroll(other, term.code)
        assert "central.terminal_id" not in settings(other)
        assert secret_store_for(other).get(PASSWORD_SECRET) is None
    finally:
        other.close()


def test_pending_work_never_moves_to_another_tenant(central_db: CentralDB,
                                                    shop: Shop) -> None:
    first = make_terminal(central_db, make_tenant(central_db, "Toko Satu"), "T01")
    enroll(shop, first.code)
    with shop.uow(write=False) as uow:
        pending = uow.conn.exec_driver_sql(
            "SELECT count(*) FROM outbox WHERE status = 'pending'").scalar()
    assert pending  # the demo's catalogue events have not been sent
    before = settings(shop)
    password = secret_store_for(shop).get(PASSWORD_SECRET)

    elsewhere = make_terminal(central_db, make_tenant(central_db, "Toko Dua"), "T01")
    with pytest.raises(Conflict, match="another tenant"):
        enroll(shop, elsewhere.code)
    assert settings(shop) == before
    assert secret_store_for(shop).get(PASSWORD_SECRET) == password
    with central_db.connect() as c:  # and the other tenant's code is still unspent
        assert c.execute("SELECT enrolled_at FROM central.terminal WHERE id = %s",
                         (elsewhere.terminal_id,)).fetchone() == (None,)


def test_an_interrupted_enrolment_can_be_finished(central_db: CentralDB, shop: Shop) -> None:
    term = make_terminal(central_db, make_tenant(central_db, "Toko Putus"), "T01")
    enroll(shop, term.code)
    # As if the till died after central's commit, before writing its settings.
    with shop.uow() as uow:
        uow.conn.exec_driver_sql("DELETE FROM setting WHERE key LIKE 'central.%'")
        uow.commit()
    done = enroll(shop, term.code)
    assert done.resumed and settings(shop)["central.terminal_id"] == term.terminal_id


def test_a_damaged_code_is_refused_plainly(shop: Shop) -> None:
    code = EnrolmentCode("host=127.0.0.1 user=x", "wg_x_t_1", "pw",
                         "00000000-0000-4000-8000-000000000001",
                         "00000000-0000-4000-8000-000000000002",
                         "00000000-0000-4000-8000-000000000003").encode()
    err = io.StringIO()
    from contextlib import redirect_stderr
    with redirect_stderr(err):
        assert main(["enroll", code[:-6], "--data-dir", str(shop.folder)]) == 2
    assert "code" in err.getvalue()
