"""Running the CLI in-process on bad input, and fingerprints of the business tables.

Shared by the hardening tests (one test per known bad input) and the generated-input
campaign (tests/cli/test_fuzz_inputs.py)."""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from app.cli.main import main

#: Every table a refusal must leave byte-for-byte as it was (the business of the shop: sales,
#: lines, payments, stock, ledger, audit, outbox, kasbon, refunds, cash, catalogue).
BUSINESS_TABLES = ("sale", "sale_line", "payment", "stock_movement", "stock_level",
                   "journal_entry", "journal_line", "audit_log", "outbox", "kasbon_entry",
                   "refund", "cash_movement", "product", "barcode", "category",
                   "goods_receipt", "customer", "shift")


def business_digest(folder: Path) -> str:
    """A SHA-256 over every row of every business table, in rowid order (a fresh read-only
    connection: it sees what was committed, nothing else)."""
    conn = sqlite3.connect(f"file:{folder / 'warungin.db'}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in BUSINESS_TABLES:
            if table not in names:
                continue
            h.update(f"\x00{table}\x00".encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                h.update(repr(row).encode("utf-8", "backslashreplace"))
        return h.hexdigest()
    finally:
        conn.close()


@dataclass
class Outcome:
    code: int | None
    out: str
    err: str
    crash: str | None  # the traceback of an exception that escaped main(), if any


class _Stdin(io.StringIO):
    """A text stdin whose ``buffer`` gives the same input as bytes (surrogateescape, as
    Python's own stdin does for undecodable bytes under a UTF-8 locale)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # U+D800..U+DC7F: not from a byte; as invalid UTF-8
            raw = text.encode("utf-8", "surrogatepass")
        self.buffer = io.BytesIO(raw)


#: PINs come from the environment, never the command line (app/cli/common.py).
PIN_VARS = ("WARUNGIN_PIN", "WARUNGIN_APPROVER_PIN")


def run_cli(argv: list[str], stdin: str = "", *, pin: str | None = "5678") -> Outcome:
    """``warungin ARGV`` in this process with ``stdin`` and ``pin`` (default: the demo
    supervisor Budi's) as the acting user's and the approver's PIN; nothing escapes (a
    SystemExit is a code, any other exception is reported as ``crash``)."""
    old = sys.stdin, sys.stdout, sys.stderr
    old_env = {k: os.environ.get(k) for k in PIN_VARS}
    for k in PIN_VARS:
        if pin is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = pin
    out, err = io.StringIO(), io.StringIO()
    sys.stdin, sys.stdout, sys.stderr = _Stdin(stdin), out, err
    code: int | None
    crash = None
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException:  # noqa: BLE001 — that is what is looked for
        code = None
        crash = traceback.format_exc()
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Outcome(code, out.getvalue(), err.getvalue(), crash)


def assert_refused(outcome: Outcome, field: str | None = None) -> None:
    """Exit 2 or 3, one message naming the field on stderr, nothing on stdout, no traceback."""
    assert outcome.crash is None, outcome.crash
    assert "Traceback" not in outcome.err, outcome.err
    assert outcome.code in (2, 3), (outcome.code, outcome.err[:2000])
    assert outcome.out == "", outcome.out[:2000]
    if outcome.err.startswith("usage: "):  # argparse's own refusal names the argument
        assert outcome.code == 2 and "error: " in outcome.err, outcome.err[:2000]
        if field is not None:
            assert field in outcome.err.split("error: ", 1)[1], outcome.err[:2000]
        return
    assert outcome.err.startswith("error: "), outcome.err[:2000]
    if field is not None:
        assert outcome.err.startswith(f"error: {field}:") or f": {field}:" in outcome.err, \
            outcome.err[:2000]
