"""Shared fixtures: an isolated data folder and Qt settings, and a fresh migrated database per test."""

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


@pytest.fixture
def db_path(tmp_path, template_db) -> Path:
    path = tmp_path / "desk.sqlite"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def db(db_path):
    from renewal_desk.core.db import open_database

    database = open_database(db_path, operator="测试员")
    yield database
    database.close()


@pytest.fixture
def demo_db(db):
    from renewal_desk.core.services.demo import generate_demo

    generate_demo(db, households=120, seed=7)
    return db
