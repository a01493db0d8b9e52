"""Shared fixtures: an isolated data folder and Qt settings, and a fresh migrated database per test (a copy of
a template migrated once per session; demo_db a copy of a demo community generated once per session)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests.fixtures.* importable from every test


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", default=False, help="run long tests too")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated_data(tmp_path_factory, monkeypatch):
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("RENEWAL_DESK_DATA", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data / "config"))
    return data


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    from renewal_desk.core.db import open_database

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_database(path, create=True, operator="template").close()
    return path


# The demo communities a test can ask for by fixture name, each generated once per session (by the
# template fixtures below) and copied for every test that asks: generating one per test cost 0.3-0.5 s
# (demo_db) and several seconds (records_db, every record type) each time.
DEMOS = {"demo_db": {"households": 120, "seed": 7},
         "records_db": {"households": 120, "seed": 7, "with_records": True}}


def _wanted_demo(request) -> str | None:
    """Which of DEMOS the test's database is to hold: the one whose fixture (this file's, not a test
    module's own of the same name) the test uses."""
    for name in DEMOS:
        defs = request.node._fixtureinfo.name2fixturedefs.get(name)
        if defs and defs[-1].func.__module__ == __name__:
            return name
    return None


def _copy_database(source: Path, target: Path) -> None:
    shutil.copy(source, target)
    files = source.parent / f"{source.stem}-files"  # the attachment store beside it, if any
    if files.is_dir():
        shutil.copytree(files, target.parent / f"{target.stem}-files")


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory, template_db):
    """{demo name: its SQLite file}, each made on first use in the session."""
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.demo import generate_demo

    made: dict[str, Path] = {}

    def template(name: str) -> Path:
        if name not in made:
            path = tmp_path_factory.mktemp("demo-template") / f"{name}.sqlite"
            shutil.copy(template_db, path)
            database = open_database(path, operator="测试员")
            generate_demo(database, **DEMOS[name])
            database.close()
            made[name] = path
        return made[name]

    return template


@pytest.fixture
def db_path(request, tmp_path, template_db) -> Path:
    path = tmp_path / "desk.sqlite"
    demo = _wanted_demo(request)
    _copy_database(request.getfixturevalue("demo_templates")(demo) if demo else template_db, path)
    return path


@pytest.fixture
def db(db_path):
    from renewal_desk.core.db import open_database

    database = open_database(db_path, operator="测试员")
    yield database
    database.close()


@pytest.fixture
def demo_db(db):
    """`db` holding the demo community (DEMOS["demo_db"]): a copy of its template, not generated again."""
    return db


@pytest.fixture
def records_db(db):
    """`db` holding the demo with every record type (DEMOS["records_db"], as the first run's demo offers it)."""
    return db
