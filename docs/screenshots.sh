#!/usr/bin/env bash
# Saves screenshots of the real program on a fresh demo shop to docs/screenshots/:
# the login, the till mid-sale, the pay dialog, the sync panel and the owner's dashboard.
# Runs the program on a virtual screen (Xvfb; installed from Debian's packages if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v Xvfb >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y xvfb
fi
display=:$(( 90 + RANDOM % 9 ))
Xvfb "$display" -screen 0 1366x768x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$shop"' EXIT
shop=$(mktemp -d)
sleep 1
DISPLAY=$display QT_QPA_PLATFORM=xcb .venv/bin/python -m app.gui --data-dir "$shop/demo" \
  --screenshots docs/screenshots
