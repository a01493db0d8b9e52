#!/usr/bin/env bash
# Builds the Linux artefacts of Renewal Desk from this checkout, on a Debian-like x86_64 machine:
#
#   dist/renewal-desk-<version>-linux-x86_64.tar.gz   the one-folder program, unpack and run
#   dist/renewal-desk_<version>_amd64.deb             installs to /opt/renewal-desk, with
#                                                     /usr/bin/renewal-desk, a menu entry and icons
#   dist/SHA256SUMS
#
#   bash installers/build-linux.sh            then   bash installers/smoke-test.sh
#
# <version> is renewal_desk.__version__ (the one place the version is written). Set-up is
# installers/bootstrap.sh plus PyInstaller from pyproject's `dist` extra. Work files go to build/,
# results to dist/ (both ignored by git). Windows: see installers/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

bash installers/bootstrap.sh
want=$(sed -n 's/^ *"pyinstaller==\([^"]*\)".*/\1/p' pyproject.toml)
have=$(.venv/bin/python -c 'import PyInstaller; print(PyInstaller.__version__)' 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  echo "build-linux: installing PyInstaller $want (pyproject's dist extra)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,dist]'
fi
for tool in dpkg-deb tar strip; do
  command -v "$tool" >/dev/null || { echo "build-linux: $tool is missing" >&2; exit 1; }
done

VERSION=$(.venv/bin/python -c 'import renewal_desk; print(renewal_desk.__version__)')
MACHINE=$(uname -m)
DEB_ARCH=$(dpkg --print-architecture)
[ "$MACHINE" = x86_64 ] && [ "$DEB_ARCH" = amd64 ] || echo "build-linux: note: building on $MACHINE ($DEB_ARCH)"
TARBALL_NAME="renewal-desk-$VERSION-linux-$MACHINE"
DEB_NAME="renewal-desk_${VERSION}_${DEB_ARCH}"
echo "build-linux: Renewal Desk $VERSION"

# The icons are rendered from the SVG and committed; a stale one would ship the old picture.
.venv/bin/python installers/make_icons.py --check
command -v desktop-file-validate >/dev/null && desktop-file-validate installers/linux/renewal-desk.desktop

# 1. The one-folder program.
rm -rf build/pyinstaller/dist
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath build/pyinstaller/dist \
  --workpath build/pyinstaller/work installers/renewal-desk.spec
BUNDLE=build/pyinstaller/dist/renewal-desk
got=$(env -i PATH=/usr/bin:/bin HOME=/tmp QT_QPA_PLATFORM=offscreen "$BUNDLE/renewal-desk" --version)
[ "$got" = "renewal-desk $VERSION" ] || { echo "build-linux: the bundle says '$got'" >&2; exit 1; }
mkdir -p dist
rm -f "dist/$TARBALL_NAME.tar.gz" "dist/$DEB_NAME.deb" dist/SHA256SUMS

# 2. The tarball: the program folder plus its menu entry, icon and a short note.
STAGE=build/stage/$TARBALL_NAME
rm -rf build/stage
mkdir -p "$STAGE"
cp -a "$BUNDLE/." "$STAGE/"
cp installers/linux/renewal-desk.desktop installers/linux/README.txt "$STAGE/"
cp resources/icons/renewal-desk-256.png "$STAGE/renewal-desk.png"
chmod -R u+rwX,go+rX,go-w "$STAGE"
tar -C build/stage --owner=0 --group=0 --numeric-owner --sort=name -czf "dist/$TARBALL_NAME.tar.gz" "$TARBALL_NAME"

# 3. The .deb (dpkg-deb; --root-owner-group instead of fakeroot).
PKG=build/deb/$DEB_NAME
rm -rf build/deb
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/doc/renewal-desk"
cp -a "$BUNDLE" "$PKG/opt/renewal-desk"
ln -s /opt/renewal-desk/renewal-desk "$PKG/usr/bin/renewal-desk"
install -m 644 installers/linux/renewal-desk.desktop "$PKG/usr/share/applications/"
for size in 16 32 48 64 128 256; do
  install -D -m 644 "resources/icons/renewal-desk-$size.png" \
    "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/renewal-desk.png"
done
install -D -m 644 resources/icons/renewal-desk.svg "$PKG/usr/share/icons/hicolor/scalable/apps/renewal-desk.svg"
install -m 644 resources/fonts/LICENSES.md "$PKG/usr/share/doc/renewal-desk/fonts-LICENSES.md"
install -m 644 resources/fonts/Apache-2.0.txt "$PKG/usr/share/doc/renewal-desk/fonts-Apache-2.0.txt"
cat > "$PKG/usr/share/doc/renewal-desk/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: renewal-desk

Files: *
License: GPL-3.0-or-later
 On Debian systems the full text is in /usr/share/common-licenses/GPL-3.

Files: opt/renewal-desk/_internal/resources/fonts/*
License: see fonts-LICENSES.md and fonts-Apache-2.0.txt beside this file
 WenQuanYi Micro Hei: Apache-2.0 or GPL-3+ with font exception; HanaMinA (subset) and
 HanaMinB: Hanazono Font License or SIL OFL 1.1.

Files: opt/renewal-desk/_internal/*
Comment: Python $(.venv/bin/python -c 'import platform; print(platform.python_version())'), Qt for Python, and the libraries
 listed in the project's pyproject.toml, each under its own licence.
EOF
install -m 755 installers/linux/postinst installers/linux/postrm "$PKG/DEBIAN/"
chmod -R u+rwX,go+rX,go-w "$PKG"

# Depends: the C library this was built against and the lib* packages of bootstrap.sh (Qt's
# xcb/EGL/fontconfig libraries; the bundle carries Qt itself). libglib2.0-0 is libglib2.0-0t64
# on Debian 13 and Ubuntu 24.04.
GLIBC=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
depends="libc6 (>= $GLIBC)"
for pkg in $(sed -n '/^APT_PACKAGES=(/,/^)/p' installers/bootstrap.sh | tr -s ' ()' '\n' | grep '^lib'); do
  case "$pkg" in
    libglib2.0-0) depends="$depends, libglib2.0-0t64 | libglib2.0-0" ;;
    *) depends="$depends, $pkg" ;;
  esac
done
cat > "$PKG/DEBIAN/control" <<EOF
Package: renewal-desk
Version: $VERSION
Architecture: $DEB_ARCH
Maintainer: ${DEB_MAINTAINER:-Renewal Desk <renewal-desk@localhost>}
Installed-Size: $(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Description: 街区更新议事台 Renewal Desk - offline desk for neighbourhood renewal
 The offline desk for sub-district and community staff who run the renewal of
 old neighbourhoods and historic blocks with residents: rosters, printouts,
 rent-storage, demand ordering, consultation meetings, the supervisor team and
 chief street designer notes. Data stays in one SQLite file per user.
 .
 Installs to /opt/renewal-desk with the launcher /usr/bin/renewal-desk.
EOF
dpkg-deb --root-owner-group -Zxz --build "$PKG" "dist/$DEB_NAME.deb" >/dev/null

(cd dist && sha256sum "$TARBALL_NAME.tar.gz" "$DEB_NAME.deb" > SHA256SUMS)
echo "build-linux: done in $(( $(date +%s) - started )) s; program folder $(du -sh "$BUNDLE" | cut -f1)"
ls -l "dist/$TARBALL_NAME.tar.gz" "dist/$DEB_NAME.deb"
