#!/usr/bin/env bash
# Smoke test of the BUILT program, with nothing of the checkout's Python around it:
#
#   bash installers/smoke-test.sh                 the folder from build-linux.sh
#                                                 (build/pyinstaller/dist/renewal-desk)
#   bash installers/smoke-test.sh --tarball       unpacks dist/renewal-desk-<v>-linux-*.tar.gz
#   bash installers/smoke-test.sh --deb           dpkg -i dist/renewal-desk_<v>_*.deb (as root),
#                                                 runs /usr/bin/renewal-desk, then dpkg -r
#   bash installers/smoke-test.sh --all           all three
#
# Every run of the program is `env -i PATH=/usr/bin:/bin HOME=<temp> QT_QPA_PLATFORM=offscreen`:
# no virtual environment, no PYTHONPATH, no user settings. Steps: --version; demo database with 50
# households; check; list buildings; print a building roster and find Chinese in pdftotext's
# output and the version in the PDF's Creator; export a bundle and check it with a dry-run import
# (schemas travel inside the program); open the window offscreen (RENEWAL_DESK_SMOKE,
# see renewal_desk/ui/app.py) and require exit 0 with no unexpected error. Exit 0 when all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' renewal_desk/__init__.py)
MACHINE=$(uname -m)
DEB_ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
WORK=$(mktemp -d /tmp/renewal-desk-smoke.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# run BIN ARGS...: the program in an empty environment, HOME in the temporary folder.
run() {
  local bin=$1; shift
  env -i PATH=/usr/bin:/bin HOME="$WORK/home" QT_QPA_PLATFORM=offscreen ${SMOKE:+RENEWAL_DESK_SMOKE=$SMOKE} \
    timeout 300 "$bin" "$@"
}

smoke() {  # smoke LABEL BIN
  local label=$1 bin=$2 db out pdf id
  echo "== $label: $bin"
  rm -rf "$WORK/home" "$WORK/$label"
  mkdir -p "$WORK/home" "$WORK/$label"
  db="$WORK/$label/演示.sqlite"
  pdf="$WORK/$label/roster.pdf"

  out=$(run "$bin" --version) || fail "$label: --version exited $?"
  echo "$out"
  [ "$out" = "renewal-desk $VERSION" ] || fail "$label: --version says '$out', expected 'renewal-desk $VERSION'"

  local t0=$SECONDS
  run "$bin" demo --db "$db" --households 50 || fail "$label: demo exited $?"
  echo "(demo: $((SECONDS - t0)) s)"
  run "$bin" check --db "$db" || fail "$label: check exited $?"

  out=$(run "$bin" list buildings --db "$db" --limit 1) || fail "$label: list buildings exited $?"
  echo "$out"
  id=$(printf '%s\n' "$out" | awk -F'\t' 'NR == 2 {print $1}')
  [[ "$id" =~ ^[0-9]+$ ]] || { fail "$label: no building id in 'list buildings'"; return; }

  run "$bin" print building-roster --db "$db" --id "$id" --out "$pdf" || fail "$label: print exited $?"
  if [ -s "$pdf" ]; then
    local text han
    text=$(pdftotext -enc UTF-8 "$pdf" -)
    han=$(printf '%s' "$text" | LC_ALL=C.UTF-8 grep -oP '\p{Han}' | wc -l)
    echo "PDF: $(pdfinfo "$pdf" | grep -E '^(Pages|Creator):' | tr -s ' ' | paste -sd ';'); $han Chinese characters"
    printf '%s\n' "$text" | grep -q "楼栋住户花名册" || fail "$label: the roster PDF lacks its title 楼栋住户花名册"
    [ "$han" -ge 100 ] || fail "$label: only $han Chinese characters in the roster PDF"
    pdfinfo "$pdf" | grep -q "^Creator: *Renewal Desk $VERSION$" || fail "$label: PDF Creator is not 'Renewal Desk $VERSION'"
  else
    fail "$label: no PDF written"
  fi

  # the export bundle: schemas and docs travel inside the program (resources/schemas); a sound bundle
  # is one that the same program merges back (a dry run)
  run "$bin" export --db "$db" --out "$WORK/$label/bundle.zip" --recipient 冒烟测试 || fail "$label: export exited $?"
  run "$bin" import-bundle --db "$WORK/$label/empty.sqlite" --dry-run "$WORK/$label/bundle.zip" \
    || fail "$label: the exported bundle does not pass its own checks"

  SMOKE="$WORK/$label/window.png" run "$bin" --db "$db" > "$WORK/$label/gui.log" 2>&1 \
    || fail "$label: the window run exited $? (log: $(tail -3 "$WORK/$label/gui.log" | tr '\n' ' '))"
  grep "^smoke:" "$WORK/$label/gui.log" || fail "$label: the window was not shown"
  grep -q "unexpected errors: 0" "$WORK/$label/gui.log" || { fail "$label: unexpected errors in the window"; cat "$WORK/$label/gui.log" >&2; }
  [ -s "$WORK/$label/window.png" ] || fail "$label: no window picture"
  if [ -n "${SMOKE_KEEP:-}" ]; then
    mkdir -p "$SMOKE_KEEP" && cp "$pdf" "$WORK/$label/window.png" "$SMOKE_KEEP/" && echo "(kept in $SMOKE_KEEP)"
  fi
}

mode=${1:---folder}
case "$mode" in
  --folder|--tarball|--deb|--all) ;;
  *) echo "usage: $0 [--folder|--tarball|--deb|--all]" >&2; exit 2 ;;
esac

if [ "$mode" = --folder ] || [ "$mode" = --all ]; then
  smoke folder "$REPO/build/pyinstaller/dist/renewal-desk/renewal-desk"
fi

if [ "$mode" = --tarball ] || [ "$mode" = --all ]; then
  tarball="dist/renewal-desk-$VERSION-linux-$MACHINE.tar.gz"
  mkdir -p "$WORK/unpacked"
  tar -C "$WORK/unpacked" -xzf "$tarball"
  smoke tarball "$WORK/unpacked/renewal-desk-$VERSION-linux-$MACHINE/renewal-desk"
fi

if [ "$mode" = --deb ] || [ "$mode" = --all ]; then
  deb="dist/renewal-desk_${VERSION}_${DEB_ARCH}.deb"
  [ "$(id -u)" = 0 ] || { echo "the .deb test installs the package: run as root" >&2; exit 2; }
  if dpkg-query -W -f='${Status}' renewal-desk 2>/dev/null | grep -q "install ok installed"; then
    echo "renewal-desk is already installed here; not touching it" >&2; exit 2
  fi
  echo "== deb: dpkg -i $deb"
  # Whatever happens below, the package does not stay installed.
  trap 'dpkg -P renewal-desk >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
  dpkg -i "$deb"
  for path in /usr/bin/renewal-desk /opt/renewal-desk/renewal-desk /usr/share/applications/renewal-desk.desktop \
      /usr/share/icons/hicolor/256x256/apps/renewal-desk.png /usr/share/icons/hicolor/scalable/apps/renewal-desk.svg; do
    [ -e "$path" ] || fail "deb: $path not installed"
  done
  smoke deb /usr/bin/renewal-desk
  echo "== deb: dpkg -r renewal-desk"
  dpkg -r renewal-desk
  [ ! -e /usr/bin/renewal-desk ] && [ ! -e /opt/renewal-desk ] || fail "deb: files left after dpkg -r"
  dpkg -P renewal-desk >/dev/null  # and forget its maintainer scripts (state "rc" otherwise)
fi

if [ "$failures" -gt 0 ]; then
  echo "smoke test: $failures failure(s)" >&2
  exit 1
fi
echo "smoke test: all passed ($mode, Renewal Desk $VERSION)"
