"""``warungin central period close|lock|reopen``: the tenant's month closed at central (the
tills take it with the pull: tests/central/test_books_central.py)."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main
from tests.central.conftest import CentralDB, make_tenant


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object], str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, (json.loads(out.strip().splitlines()[-1]) if out.strip() else {}), err


def test_close_lock_and_refusals(central_db: CentralDB,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    t = make_tenant(central_db, "Toko Tutup Buku")
    base = ("central", "period", "--dsn", central_db.admin_dsn, "--tenant", t.tenant_id)
    code, out, err = run(capsys, *base[:2], "close", *base[2:], "--period", "2026-10",
                         "--note", "Oktober beres", "--by", "Wati")
    assert code == 0, err
    assert (out["period"], out["state"], out["note"]) == ("2026-10", "soft", "Oktober beres")
    assert out["closed_at"]
    code, out, err = run(capsys, *base[:2], "lock", *base[2:], "--period", "2026-10")
    assert code == 0, err
    assert out["state"] == "hard" and out["ppn_filed_at"]
    code, out, err = run(capsys, *base[:2], "close", *base[2:], "--period", "2026-13")
    assert code == 2 and "period" in err
    code, out, err = run(capsys, *base[:2], "close", *base[2:], "--period", "2999-01")
    assert code != 0 and err  # a month that has not ended is refused
