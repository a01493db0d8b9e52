"""The installers agree with the program: one version, the data the bundle must carry, icons and
menu entries that exist, the smoke-test hook; and (with --slow) the real build and smoke test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from renewal_desk import APP_NAME, APP_ORG, __version__

REPO = Path(__file__).resolve().parent.parent
INSTALLERS = REPO / "installers"
SPEC = INSTALLERS / "renewal-desk.spec"
ISS = INSTALLERS / "windows" / "renewal-desk.iss"
DESKTOP = INSTALLERS / "linux" / "renewal-desk.desktop"
BUILD = INSTALLERS / "build-linux.sh"


def _iss() -> str:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the .iss carries Chinese text: keep it UTF-8 with a BOM for ISCC"
    return raw.decode("utf-8-sig")


def test_version_is_written_once_and_the_cli_says_it(capsys):
    from renewal_desk.cli import main

    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"renewal-desk {__version__}"
    # Nowhere else may a version be written down: pyproject reads it, the installers read it.
    assert 'version = { attr = "renewal_desk.__version__" }' in (REPO / "pyproject.toml").read_text()
    assert __version__ not in SPEC.read_text(encoding="utf-8")
    assert __version__ not in BUILD.read_text()


def test_windows_script_defaults_to_the_same_version_and_takes_one_from_the_command_line():
    text = _iss()
    assert re.search(r'#ifndef AppVersion\s+#define AppVersion "([^"]+)"\s+#endif', text).group(1) == __version__
    assert "AppVersion={#AppVersion}" in text and "VersionInfoVersion={#AppVersion}" in text


def test_spec_carries_every_data_folder_the_program_reads():
    text = SPEC.read_text(encoding="utf-8")
    dirs = re.search(r"DATA_DIRS = \[(.*?)\]", text, re.S).group(1)
    listed = set(re.findall(r'"([^"]+)"', dirs))
    # Everything under resources/ the program opens, and the migrations.
    expected = {f"resources/{p.name}" for p in (REPO / "resources").iterdir() if p.is_dir()} | {"db"}
    assert listed == expected
    for folder in listed:
        assert (REPO / folder).is_dir()
    assert (REPO / "db" / "env.py").exists() and (REPO / "db" / "alembic.ini").exists()
    # The entry script, the hook folder and the icon the spec names exist.
    assert (INSTALLERS / "entry.py").exists()
    assert (INSTALLERS / "pyinstaller-hooks" / "hook-PySide6.QtGui.py").exists()
    assert (REPO / "resources" / "icons" / "renewal-desk.ico").exists()
    # Migrations are loaded from files at run time: what they import must be bundled by name.
    imported = set()
    for migration in (REPO / "db" / "versions").glob("*.py"):
        imported |= set(re.findall(r"^from (alembic\.\w+|alembic) import (\w+)", migration.read_text(), re.M))
    for module, name in imported:
        assert f'"{module}.{name}"' in text or f'"{module}"' in text, f"{module}.{name} not in hiddenimports"


def test_bundle_paths_match_between_spec_build_script_and_windows_script():
    # PyInstaller writes build/pyinstaller/dist/renewal-desk; both packagers read it from there.
    assert 'name="renewal-desk"' in SPEC.read_text(encoding="utf-8")
    assert "--distpath build/pyinstaller/dist" in BUILD.read_text()
    assert r'#define BundleDir RepoRoot + "\build\pyinstaller\dist\renewal-desk"' in _iss()
    assert '#define AppExeName "renewal-desk.exe"' in _iss()


def test_windows_script_sections_and_user_data_folder():
    text = _iss()
    for section in ("[Setup]", "[Languages]", "[CustomMessages]", "[Files]", "[Icons]", "[Code]"):
        assert section in text
    assert 'MessagesFile: "compiler:Languages\\ChineseSimplified.isl"' in text
    assert 'MessagesFile: "compiler:Default.isl"' in text
    # Every custom message exists in both languages.
    names = re.findall(r"^(chinesesimplified|english)\.(\w+)=", text, re.M)
    zh = {n for lang, n in names if lang == "chinesesimplified"}
    en = {n for lang, n in names if lang == "english"}
    assert zh == en and "RemoveDataQuestion" in zh
    for used in re.findall(r"CustomMessage\('(\w+)'\)", text):
        assert used in zh
    # The folder offered for deletion is the one platformdirs uses on Windows:
    # %LOCALAPPDATA%\<appauthor>\<appname>; the uninstaller removes the author's folder.
    assert f"ExpandConstant('{{localappdata}}\\{APP_ORG}')" in text
    assert f"'Software\\{APP_ORG}'" in text  # QSettings (organisation name) in HKCU
    assert "procedure CurUninstallStepChanged" in text and "MB_DEFBUTTON2, IDNO" in text
    icon = re.search(r"SetupIconFile=\{#RepoRoot\}\\(.+)", text).group(1).strip().replace("\\", "/")
    assert (REPO / icon).exists()


def test_linux_menu_entry_matches_the_package():
    entry = DESKTOP.read_text(encoding="utf-8")
    assert re.search(r"^Exec=renewal-desk$", entry, re.M)
    assert re.search(r"^Icon=renewal-desk$", entry, re.M)
    assert re.search(r"^Name\[zh_CN\]=街区更新议事台$", entry, re.M)
    script = BUILD.read_text()
    assert 'ln -s /opt/renewal-desk/renewal-desk "$PKG/usr/bin/renewal-desk"' in script
    sizes = re.search(r"for size in ([\d ]+); do", script).group(1).split()
    for size in sizes:
        assert (REPO / "resources" / "icons" / f"renewal-desk-{size}.png").exists()
    validate = shutil.which("desktop-file-validate")
    if validate:  # installed by bootstrap.sh
        result = subprocess.run([validate, str(DESKTOP)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    # The app tells Wayland/X11 which menu entry its windows belong to.
    assert 'setDesktopFileName("renewal-desk")' in (REPO / "renewal_desk" / "ui" / "app.py").read_text()


def test_deb_depends_on_the_qt_libraries_bootstrap_installs():
    bootstrap = (INSTALLERS / "bootstrap.sh").read_text()
    block = re.search(r"^APT_PACKAGES=\((.*?)^\)", bootstrap, re.S | re.M).group(1)
    libs = [p for p in block.split() if p.startswith("lib")]
    assert {"libegl1", "libgl1", "libfontconfig1", "libxkbcommon-x11-0", "libxcb-cursor0"} <= set(libs)
    # build-linux.sh derives Depends from that same block.
    assert "sed -n '/^APT_PACKAGES=(/,/^)/p' installers/bootstrap.sh" in BUILD.read_text()


def test_committed_icons_are_rendered_from_the_svg():
    result = subprocess.run([sys.executable, str(INSTALLERS / "make_icons.py"), "--check"],
                            capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stdout + result.stderr
    ico = (REPO / "resources" / "icons" / "renewal-desk.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and int.from_bytes(ico[4:6], "little") == 7  # 16 ... 256 px


def test_pdf_metadata_names_the_version(demo_db, tmp_path):
    from renewal_desk.core.services.printouts import print_document

    out = tmp_path / "roster.pdf"
    print_document(demo_db, "building-roster", 1, out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Creator:\s+Renewal Desk {re.escape(__version__)}$", info, re.M)
    assert re.search(rf"^Producer:\s+Renewal Desk {re.escape(__version__)} \(ReportLab ", info, re.M)


def test_smoke_hook_shows_the_window_and_quits(tmp_path, template_db):
    """RENEWAL_DESK_SMOKE: the window opens on a database, is saved as a picture, exit 0."""
    db = tmp_path / "desk.sqlite"
    shutil.copy(template_db, db)
    shot = tmp_path / "window.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RENEWAL_DESK_SMOKE": str(shot),
           "RENEWAL_DESK_DATA": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-m", "renewal_desk", "--db", str(db)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke: main window shown: " in result.stdout and "unexpected errors: 0" in result.stdout
    assert shot.stat().st_size > 10_000


@pytest.mark.slow
def test_linux_build_and_smoke_test(tmp_path):
    """The real thing: build the bundle, tarball and .deb, then run them with `env -i`
    (and install/remove the .deb when running as root). Several minutes."""
    if shutil.which("dpkg-deb") is None:
        pytest.skip("needs dpkg-deb (Debian-like system)")
    build = subprocess.run(["bash", str(BUILD)], cwd=REPO, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    deb_installed = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "renewal-desk"],
                                   capture_output=True, text=True).stdout
    mode = "--all" if os.geteuid() == 0 and "install ok installed" not in deb_installed else "--tarball"
    smoke = subprocess.run(["bash", str(INSTALLERS / "smoke-test.sh"), mode], cwd=REPO, capture_output=True, text=True)
    assert smoke.returncode == 0, smoke.stdout[-3000:] + smoke.stderr[-3000:]
    assert f"smoke test: all passed ({mode}, Renewal Desk {__version__})" in smoke.stdout
