"""The command line works where the ``bench`` package is absent, as in the one-folder build
(build.spec excludes ``bench``): ``app.cli.main`` imports, and ``--help``, ``demo``, ``sale``,
``status`` and ``verify`` run, in a child interpreter in which ``import bench`` fails.
``warungin bench`` itself refuses with a clear message there. This is the CI proof that the
PyInstaller build's CLI starts; the build itself is too slow for CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Runs ``warungin ARGS`` with ``bench`` unimportable (None in sys.modules makes every
#: ``import bench`` / ``from bench... import`` raise ModuleNotFoundError), and checks at the
#: end that nothing imported it anyway.
CHILD = """
import sys
sys.modules["bench"] = None
from app.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:  # --help
    code = exc.code
assert sys.modules["bench"] is None, "something imported bench"
raise SystemExit(code)
"""

SALE = {"lines": [{"sku": "MI-0001", "qty": 2}], "payments": [{"method": "cash",
                                                              "tendered": 20000}]}


def warungin(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "WARUNGIN_DATA_DIR"}
    return subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120,
                          check=False)


def test_the_blocker_really_blocks_bench() -> None:
    done = subprocess.run([sys.executable, "-c", 'import sys; sys.modules["bench"] = None\n'
                           "import bench"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr


def test_cli_runs_without_bench(tmp_path: Path) -> None:
    folder = str(tmp_path / "toko")

    shown = warungin("--help")
    assert shown.returncode == 0, shown.stderr
    assert "demo" in shown.stdout and "verify" in shown.stdout and "bench" in shown.stdout

    seeded = warungin("demo", "--empty", "--data-dir", folder)
    assert seeded.returncode == 0, seeded.stderr
    assert json.loads(seeded.stdout)["store"] == "DEMO"

    sold = warungin("sale", "--data-dir", folder, stdin=json.dumps(SALE))
    assert sold.returncode == 0, sold.stderr
    assert json.loads(sold.stdout)["receipt_no"]

    status = warungin("status", "--data-dir", folder)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["sales"] >= 1

    verified = warungin("verify", "--data-dir", folder)
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["ok"] is True

    refused = warungin("bench", "--only", "lookup", "--work-dir", str(tmp_path / "b"))
    assert refused.returncode == 3
    assert refused.stderr.startswith("error: bench: the benchmarks are not part of this build")
