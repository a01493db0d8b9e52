"""The project keeps its promises about set-up, layout and translations."""

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _readme_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_has_run_and_test_commands_and_ci_runs_the_test_one():
    commands = _readme_commands()
    assert commands[0] == "bash installers/bootstrap.sh && .venv/bin/renewal-desk"
    assert commands[1] == "bash installers/bootstrap.sh && .venv/bin/python -m pytest"
    ci = (REPO / ".ci" / "run").read_text()
    assert commands[1] in ci


def test_top_level_layout_is_the_design_card():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True).stdout.split()
    if not tracked:  # not a git checkout (an unpacked copy): look at the folder instead
        tracked = [p.name for p in REPO.iterdir()]
    top = {p.split("/")[0] for p in tracked if not p.startswith(".")}
    assert top <= {"renewal_desk", "resources", "db", "installers", "tests", "pyproject.toml", "README.md"}
    for required in ("renewal_desk", "resources", "db", "tests", "pyproject.toml", "README.md"):
        assert required in top


def test_dependencies_are_pinned():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    deps = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        deps += extra
    assert deps
    for dep in deps:
        spec = re.split(r"\s*#", dep)[0]
        name = re.match(r"[A-Za-z0-9_.\-]+", spec).group(0)
        assert spec[len(name):].startswith("=="), f"{name} is not pinned"


def test_chinese_translation_complete_and_fonts_shipped():
    ts = ET.parse(REPO / "resources" / "i18n" / "renewal_desk_zh_CN.ts")
    messages = list(ts.iter("message"))
    assert len(messages) > 100
    unfinished = [m.find("source").text for m in messages
                  if m.find("translation").get("type") == "unfinished"
                  or not ("".join(m.find("translation").itertext())).strip()]
    assert unfinished == []
    fonts = REPO / "resources" / "fonts"
    assert (fonts / "wqy-microhei.ttc").exists() and (fonts / "LICENSES.md").exists()


def test_every_ui_string_is_in_the_ts_file(tmp_path):
    """lupdate finds no source text the .ts lacks: nothing in the UI escapes the translation system."""
    import sys

    ts = REPO / "resources" / "i18n" / "renewal_desk_zh_CN.ts"
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = sorted(str(p) for p in (REPO / "renewal_desk" / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)

    def messages(path):
        return {(c.find("name").text, m.find("source").text) for c in ET.parse(path).iter("context")
                for m in c.iter("message")}

    found = messages(fresh)
    assert len(found) > 100
    assert found - messages(ts) == set()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip wheel . --no-deps` builds from what a fresh clone has: the tracked files, no built .qm
    (the build step compiles them; pip builds it in an isolated environment with pyproject's build
    requirements)."""
    import shutil
    import sys

    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    assert not list((source / "resources" / "i18n").glob("*.qm"))
    wheels = tmp / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    return next(wheels.glob("renewal_desk-*.whl"))


def test_wheel_carries_the_compiled_translations_resources_and_migrations(wheel):
    import zipfile

    with zipfile.ZipFile(wheel) as zf:
        sizes = {info.filename: info.file_size for info in zf.infolist()}
    data = "renewal_desk/_data/"
    assert sizes[data + "resources/i18n/renewal_desk_zh_CN.qm"] > 10_000  # compiled by the build, not committed
    assert data + "resources/i18n/renewal_desk_en.qm" in sizes
    assert data + "resources/fonts/wqy-microhei.ttc" in sizes
    assert data + "db/versions/0001_initial.py" in sizes and data + "db/env.py" in sizes
    assert "renewal_desk/ui/meetings/__init__.py" in sizes  # every package of pyproject's explicit list


@pytest.mark.slow
def test_wheel_installed_with_its_dependencies_in_a_fresh_venv_opens_the_window_and_prints(wheel, tmp_path):
    """What a user gets from `pip install renewal_desk-….whl`: a new virtual environment (nothing from this
    checkout or its .venv), the wheel installed with its dependencies resolved by pip from its configured
    package index, as installers/bootstrap.sh installs them; then the installed program makes a demo
    database, checks it and prints a PDF from the command line, and opens its window (in Chinese, from the
    wheel's compiled translations) and prints from a page. About 2 minutes: a fresh PySide6 and numpy."""
    import os
    import sys

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python, program = venv / "bin" / "python", venv / "bin" / "renewal-desk"
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", RENEWAL_DESK_DATA=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "cfg"))

    def run(*args, **extra):
        result = subprocess.run([*map(str, args)], cwd=tmp_path, capture_output=True, text=True,
                                env={**env, **extra}, timeout=300)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    where = run(python, "-c", "import renewal_desk, renewal_desk.core.paths as p; "
                              "print(renewal_desk.__file__); print(p.resources_dir()); print(p.migrations_dir())")
    assert all(str(venv) in line for line in where.split()), where  # the installed copy, not this checkout
    db, pdf = tmp_path / "w.sqlite", tmp_path / "roster.pdf"
    run(program, "--db", db, "demo", "--households", "12")
    run(program, "--db", db, "check")
    assert "共" in run(program, "--db", db, "print", "building-roster", "--id", "1", "--out", pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "楼栋住户花名册" in "".join(text.split())
    shot = tmp_path / "window.png"
    out = run(program, "--db", db, RENEWAL_DESK_SMOKE=str(shot))  # the window opens, is saved as a picture
    assert "smoke: main window shown: " in out and "unexpected errors: 0" in out and shot.stat().st_size > 10_000
    script = (
        "from renewal_desk.ui.app import make_application\n"
        "app = make_application(lang='zh_CN')\n"
        "from renewal_desk.core.db import open_database\n"
        "from renewal_desk.ui.main_window import MainWindow\n"
        "from renewal_desk.ui import tasks\n"
        "from renewal_desk.ui.pdf import print_in_background\n"
        f"database = open_database({str(db)!r}, operator='wheel')\n"
        "win = MainWindow(database); win.show_on_screen()\n"
        "assert win.nav.item(1).text() == '项目与住户', win.nav.item(1).text()\n"
        "page = win.show_section('households')\n"
        "done = []\n"
        "page.status_message.connect(done.append)\n"
        f"print_in_background(page, 'building-roster', 1, {str(tmp_path / 'w.pdf')!r})\n"
        "import time\n"
        "end = time.monotonic() + 60\n"
        "while not any('已保存' in d for d in done) and time.monotonic() < end: app.processEvents(); time.sleep(0.02)\n"
        "tasks.wait_all(10000); win.close(); database.close()\n"
        "assert any('已保存' in d for d in done), done\n"
    )
    run(python, "-c", script)
    assert (tmp_path / "w.pdf").stat().st_size > 1000
