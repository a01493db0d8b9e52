"""The project keeps its promises about set-up, layout and translations."""

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

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


def test_wheel_carries_resources_and_migrations_and_runs_outside_the_checkout(tmp_path):
    """An installed copy (no checkout beside it) finds its fonts, translations and migrations; the wheel is
    built from the tracked sources only (no .qm there: the build step compiles them), opens the window
    and prints a PDF."""
    import os
    import shutil
    import sys

    source = tmp_path / "source"  # what a fresh clone has: tracked files, no built .qm
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    assert not list((source / "resources" / "i18n").glob("*.qm"))
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    site = tmp_path / "site"
    wheel = next(wheels.glob("renewal_desk-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    assert (site / "renewal_desk" / "_data" / "db" / "versions" / "0001_initial.py").exists()
    assert (site / "renewal_desk" / "_data" / "resources" / "fonts" / "wqy-microhei.ttc").exists()
    qm = site / "renewal_desk" / "_data" / "resources" / "i18n" / "renewal_desk_zh_CN.qm"
    assert qm.exists() and qm.stat().st_size > 10000
    script = (
        f"import sys; sys.path = [p for p in sys.path if p not in ('', '.', {str(REPO)!r})]\n"
        f"sys.path.insert(0, {str(site)!r})\n"
        "import renewal_desk.core.paths as paths\n"
        "assert 'site' in str(paths.resources_dir()) and 'site' in str(paths.migrations_dir()), paths.resources_dir()\n"
        "from renewal_desk.cli import main\n"
        f"db = {str(tmp_path / 'w.sqlite')!r}\n"
        "assert main(['demo', '--db', db, '--households', '12']) == 0\n"
        "assert main(['check', '--db', db]) == 0\n"
        f"assert main(['print', 'building-roster', '--db', db, '--id', '1', '--out', {str(tmp_path / 'r.pdf')!r}]) == 0\n"
        # the window, in Chinese from the wheel's compiled translations, and a PDF printed from a page
        "from renewal_desk.ui.app import make_application\n"
        "app = make_application(lang='zh_CN')\n"
        "from renewal_desk.core.db import open_database\n"
        "from renewal_desk.ui.main_window import MainWindow\n"
        "from renewal_desk.ui import tasks\n"
        "from renewal_desk.ui.pdf import print_in_background\n"
        "database = open_database(db, operator='wheel')\n"
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
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(QT_QPA_PLATFORM="offscreen", RENEWAL_DESK_DATA=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "w.pdf").exists()
