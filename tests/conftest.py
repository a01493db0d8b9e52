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


DEMO = {"households": 120, "seed": 7}  # what demo_db holds, made once per session


def _wants_demo(request) -> bool:
    """True when the test's demo_db is this file's (a test module may define a demo_db of its own)."""
    defs = request.node._fixtureinfo.name2fixturedefs.get("demo_db")
    return bool(defs) and defs[-1].func.__module__ == __name__


def _copy_database(source: Path, target: Path) -> None:
    shutil.copy(source, target)
    files = source.parent / f"{source.stem}-files"  # the attachment store beside it, if any
    if files.is_dir():
        shutil.copytree(files, target.parent / f"{target.stem}-files")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, template_db) -> Path:
    """The demo community (DEMO) generated once per session; each demo_db test gets a copy of the file."""
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.demo import generate_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    shutil.copy(template_db, path)
    database = open_database(path, operator="测试员")
    generate_demo(database, **DEMO)
    database.close()
    return path


@pytest.fixture
def db_path(request, tmp_path, template_db) -> Path:
    path = tmp_path / "desk.sqlite"
    _copy_database(request.getfixturevalue("demo_template") if _wants_demo(request) else template_db, path)
    return path


@pytest.fixture
def db(db_path):
    from renewal_desk.core.db import open_database

    database = open_database(db_path, operator="测试员")
    yield database
    database.close()


@pytest.fixture
def demo_db(db):
    """`db` holding the demo community (DEMO): a copy of demo_template, not generated again per test."""
    return db
