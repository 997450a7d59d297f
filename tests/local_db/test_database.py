"""The local database: pragmas, explicit write transactions, migrations with backup,
integrity check at start-up, and the rules enforced by triggers."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.shop import Shop
from local_db import migrate
from local_db.migrate import DatabaseDamaged, prepare
from local_db.store import post_journal


def test_pragmas(shop: Shop) -> None:
    with shop.uow() as uow:
        conn = uow.session
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_write_unit_holds_the_write_lock(shop: Shop) -> None:
    with shop.uow():
        other = sqlite3.connect(shop.db.path, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_head_revision_matches_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    cfg = Config()
    cfg.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_current_head() == migrate.HEAD_REVISION


def test_migration_backs_up_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.db"
    # A shop made by the previous release (schema 0001), with data in it.
    migrate.upgrade(path, "0001")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO account (code, name, type) VALUES ('9-9999', 'Old', 'asset')")
    conn.commit()
    conn.close()
    assert not (tmp_path / "backups").exists()
    # This release is ahead: start-up copies the file before migrating it.
    prepare(path).dispose()
    backups = list((tmp_path / "backups").glob(f"w-*-before-{migrate.HEAD_REVISION}.db"))
    assert len(backups) == 1
    assert migrate.current_revision(path) == migrate.HEAD_REVISION
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT COUNT(*) FROM account").fetchone()[0] > 10
    copy.close()


def test_damaged_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    prepare(path).dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for n in range(1, min(len(data) // page, 12)):  # break the b-tree page headers
        data[n * page] = 0x55
    path.write_bytes(bytes(data))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(DatabaseDamaged, match="integrity check"):
        prepare(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_unbalanced_journal_entry_cannot_be_committed(shop: Shop) -> None:
    with shop.uow() as uow, pytest.raises(Exception, match="unbalanced"):
        post_journal(uow.conn, kind="test", ref_id=None, memo="x",
                     lines=[("1-1100", 1000, 0), ("4-1000", 0, 999)])
    with shop.uow() as uow, pytest.raises(Exception, match="unbalanced"):
        post_journal(uow.conn, kind="test", ref_id=None, memo="x", lines=[])


def test_posted_entry_is_closed_and_history_append_only(shop: Shop) -> None:
    with shop.uow() as uow:
        eid = post_journal(uow.conn, kind="test", ref_id=None, memo="x",
                           lines=[("1-1100", 1000, 0), ("4-1000", 0, 1000)])
        uow.commit()
    for sql in [f"INSERT INTO journal_line(entry_id, account_code, debit, credit) "
                f"VALUES ('{eid}', '1-1100', 5, 0)",
                "UPDATE journal_line SET debit = debit + 1",
                "DELETE FROM journal_entry",
                "DELETE FROM stock_movement",
                "UPDATE audit_log SET details = '{}'",
                "UPDATE outbox SET payload = '{}'",
                "DELETE FROM outbox"]:
        with shop.uow() as uow, pytest.raises(Exception, match="posted|append-only|immutable|"
                                                               "cannot be deleted"):
            uow.session.execute(text(sql))


def _break_pages(path: Path, first: int, last: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for n in range(first, min(len(data) // page, last)):
        data[n * page] = 0x55
    path.write_bytes(bytes(data))


def test_start_without_the_check_still_checks_before_a_migration(tmp_path: Path) -> None:
    """check=False (the desktop program checks in the background) never lets a damaged
    file be migrated: a file whose schema is behind is checked first, whatever is asked."""
    path = tmp_path / "w.db"
    prepare(path).dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'older'")
    conn.commit()
    conn.close()
    _break_pages(path, 1, 12)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(DatabaseDamaged, match="integrity check"):
        prepare(path, check=False)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
