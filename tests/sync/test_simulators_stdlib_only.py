"""The provider simulators import only the standard library and each other.

The import-linter contract "simulators import only the standard library and themselves"
forbids the project's own packages and its listed dependencies; this reads every import
statement of sync/simulators/ and checks the exact rule, for any package."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SIMULATORS = Path(__file__).resolve().parents[2] / "sync" / "simulators"


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            names.add(node.module or "")
    return names


def test_simulators_import_only_the_standard_library_and_themselves() -> None:
    files = sorted(SIMULATORS.glob("*.py"))
    assert {p.name for p in files} >= {"__init__.py", "server.py", "midtrans.py"}
    foreign = {f"{p.name}: {name}" for p in files for name in imported(p)
               if name != "__future__" and name.split(".")[0] not in sys.stdlib_module_names
               and not (name == "sync.simulators" or name.startswith("sync.simulators."))}
    assert not foreign, sorted(foreign)
