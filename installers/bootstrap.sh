#!/usr/bin/env bash
# Sets up everything Renewal Desk needs on a fresh Debian machine with Python 3.11:
#  - Debian packages: Qt's xcb/EGL libraries, Xvfb (real-window screenshots), poppler-utils
#    (PDF checks in tests), LibreOffice Calc without GUI (tests open exported workbooks headless);
#    desktop-file-utils (checks the Linux menu entry; installers/); postgresql-15 and postgresql-contrib
#    (pg_trgm): the office-server engine; the tests start their own throw-away cluster from its binaries
#    (tests/pg_cluster.py), no system service is needed or started;
#    the lib* packages here are also what the .deb depends on (installers/build-linux.sh);
#  - a virtual environment in .venv with the pinned dependencies from pyproject.toml;
#  - the compiled translations (resources/i18n/*.qm) from their .ts sources.
# Idempotent and quick when nothing changed. Used by README's two commands and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libx11-xcb1
  xvfb xauth poppler-utils libreoffice-calc-nogui desktop-file-utils
  postgresql-15 postgresql-contrib
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
stamp=$(sha256sum pyproject.toml | cut -c1-16)
if [ "$(cat .venv/.bootstrap-stamp 2>/dev/null)" != "$stamp" ]; then
  echo "bootstrap: installing Python dependencies"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
  echo "$stamp" > .venv/.bootstrap-stamp
fi

# Translations: .qm files are built, never committed.
for ts in resources/i18n/*.ts; do
  [ -e "$ts" ] || continue
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    .venv/bin/pyside6-lrelease -silent "$ts" -qm "$qm"
  fi
done
