#!/usr/bin/env bash
# Installs the project and its test tools into .venv, then runs every check CI runs:
# PostgreSQL (started, or installed, for the central tests), Qt's system libraries, ruff, import-linter (layer
# rules), mypy strict (services/, local_db/, sync/, app/, ui/), and the whole pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
# The central-database tests need a real PostgreSQL: start it (install it if missing).
bash .ci/postgres.sh
# The UI tests run Qt offscreen: install the system libraries it links if missing.
bash .ci/qt-libs.sh
if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
echo "== ruff (unused and undefined names)"
.venv/bin/ruff check app ui local_db sync services bench tests
echo "== import-linter"
.venv/bin/lint-imports
echo "== mypy --strict services local_db sync app ui"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest "$@"
