#!/usr/bin/env bash
# Installs the project and its test tools into .venv, then runs every check CI runs:
# ruff, import-linter (layer rules), mypy strict (services/, local_db/), and the whole pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
echo "== ruff (unused and undefined names)"
.venv/bin/ruff check app ui local_db sync services bench tests
echo "== import-linter"
.venv/bin/lint-imports
echo "== mypy --strict services local_db sync app"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest "$@"
