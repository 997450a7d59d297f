"""``warungin verify``: check the whole database; print the JSON report.

Exit 0 when every check passes; otherwise exit 1 with one ``error: <check>: <first break>``
line on stderr per failed check, the first failed check first. The database is opened as
every command opens it (``open_shop``: its start-up quick check, no migration when the schema
is current) and read in one read transaction; nothing is written. A file that fails the
start-up quick check is not refused here: it is opened read-only and verified as far as it
can be, so the report says what is broken.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import create_engine

from app.cli.common import shop_from
from app.cli.output import emit
from app.paths import data_dir, db_path
from local_db.migrate import DatabaseDamaged
from services.verify import VerifyReport, verify_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("verify", parents=[common],
                       help="check the whole database (integrity, ledger, stock, sequences, "
                            "sales, audit chain); JSON report, exit 1 naming the first break")
    p.set_defaults(handler=run)


def _verify_damaged(path: Path) -> VerifyReport:
    """A file the start-up check refuses: read it through a read-only connection."""
    engine = create_engine(f"sqlite+pysqlite:///{path.as_uri()}?mode=ro&uri=true")
    try:
        with engine.connect() as conn:
            return verify_database(conn)
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> int:
    try:
        shop = shop_from(args)
    except DatabaseDamaged:
        report = _verify_damaged(db_path(data_dir(getattr(args, "data_dir", None))))
    else:
        try:
            with shop.uow(write=False) as uow:
                report = verify_database(uow.conn)
        finally:
            shop.close()
    emit(report.as_dict())
    for check in report.failures:
        first_break = " ".join(str(check.first_break).split())
        sys.stderr.write(f"error: {check.name}: {first_break}\n")
    sys.stderr.flush()
    return 0 if report.ok else 1
