"""Start-up checks and schema migrations for the terminal database.

Order at start-up: ``PRAGMA quick_check`` (a damaged file is reported plainly, never
migrated), then, only if the schema is behind, an online backup of the file, then Alembic.
Alembic is imported only when a migration is due, so an up-to-date start stays fast.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from local_db.engine import Database, open_database

#: The newest migration; tests check it equals Alembic's head.
HEAD_REVISION = "0008"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class DatabaseDamaged(Exception):
    """The database file failed its integrity check."""


def quick_check(path: Path) -> list[str]:
    """Problems SQLite's ``PRAGMA quick_check`` finds (empty when the file is healthy)."""
    conn = sqlite3.connect(path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


class IntegrityCheckFailed(Exception):
    """The full integrity check could not run to its end (the file is not readable)."""


def integrity_check_file(path: Path, *, max_errors: int = 100,
                         mmap_bytes: int = 0) -> list[str] | None:
    """SQLite's full ``PRAGMA integrity_check`` on a read-only connection of its own.

    Returns its rows (``["ok"]`` when healthy), or None when the file cannot be opened
    read-only (e.g. an in-memory database): the caller then checks on its own connection.
    """
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        if mmap_bytes:
            conn.execute(f"PRAGMA mmap_size={int(mmap_bytes)}")
        return [str(r[0]) for r in conn.execute(f"PRAGMA integrity_check({int(max_errors)})")]
    except sqlite3.OperationalError as exc:
        if "unable to open" in str(exc):
            return None
        raise IntegrityCheckFailed(str(exc)) from exc
    except sqlite3.Error as exc:
        raise IntegrityCheckFailed(str(exc)) from exc
    finally:
        conn.close()


def current_revision(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                           "AND name='alembic_version'").fetchone()
        if not has:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


def backup(path: Path, backup_dir: Path, label: str) -> Path:
    """An online, consistent copy through SQLite's backup API (safe while others read)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = backup_dir / f"{path.stem}-{stamp}-{label}.db"
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def upgrade(path: Path, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def damaged_message(path: Path, problems: list[str]) -> str:
    return (f"The shop database {path.name} failed its integrity check "
            f"({'; '.join(problems[:3])}). Nothing was changed. Restore the newest copy "
            f"from the backups folder, or ask for help before selling on this file.")


def prepare(path: Path, *, backup_dir: Path | None = None,
            synchronous: str = "FULL", check: bool = True) -> Database:
    """Check, back up if needed, migrate, and open the database at ``path``.

    ``check=False`` skips ``PRAGMA quick_check`` when no migration is due: it reads the
    whole file (seconds on a shop with a million sale lines), so the desktop program runs it
    in the background once the till is up (issue 5: ready to scan in 1.5 s) and stops the
    till if it fails. A file about to be migrated is always checked first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    rev = None
    if existed:
        try:
            rev = current_revision(path)
        except sqlite3.DatabaseError as exc:  # not even the version row can be read
            raise DatabaseDamaged(damaged_message(path, [str(exc)])) from exc
    if existed and (check or rev != HEAD_REVISION):
        problems = quick_check(path)
        if problems:
            raise DatabaseDamaged(damaged_message(path, problems))
    if rev != HEAD_REVISION:
        if existed and rev is not None:
            backup(path, backup_dir or path.parent / "backups", f"before-{HEAD_REVISION}")
        upgrade(path)
        # WAL is a property of the file: set it once here so every later connection has it.
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.close()
    return open_database(path, synchronous=synchronous)
