"""``warungin report --user``: the services decide who may read the figures, the same
rule as the back office (owners only)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from app.cli.main import main


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_report_as_a_user_is_for_owners_only(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    d = str(tmp_path / "toko")
    assert run(capsys, ["demo", "--empty", "--data-dir", d])[0] == 0
    for name, pin in (("Sari", "1234"), ("Budi", "5678")):
        monkeypatch.setenv("WARUNGIN_PIN", pin)  # never on the command line (issue 10)
        code, out, err = run(capsys, ["report", "dashboard", "--data-dir", d, "--user",
                                      name])
        assert code != 0 and out == ""
        assert err.startswith("error: user: reports needs a owner"), err
    monkeypatch.setenv("WARUNGIN_PIN", "9999")
    code, out, _ = run(capsys, ["report", "stock", "--data-dir", d, "--user", "Wati"])
    assert code == 0 and json.loads(out)["report"] == "stock"
    monkeypatch.setenv("WARUNGIN_PIN", "0000")
    code, out, err = run(capsys, ["report", "stock", "--data-dir", d, "--user", "Wati"])
    assert code != 0 and out == "" and err.startswith("error: pin: wrong PIN"), err
