#!/usr/bin/env bash
# The system libraries Qt (PySide6 wheels) needs to run the UI tests offscreen, and the
# screenshot script under Xvfb, on a bare Debian. Installs only what is missing, so a
# developer machine or a warm CI image is left alone. Found with `ldd` on
# PySide6/Qt/plugins/platforms/*.so and Qt/lib/libQt6XcbQpa.so.6 on Debian 12.
set -euo pipefail
PACKAGES=(
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3   # Qt GUI, offscreen included
  libxcb-icccm4 libxcb-keysyms1                             # linked by the offscreen plugin too
  libxcb-cursor0 libxkbcommon-x11-0                         # the xcb plugin (Xvfb screenshots)
  xvfb xauth                                                # xvfb-run, for docs/screenshots
)
missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "== installing Qt system libraries: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
