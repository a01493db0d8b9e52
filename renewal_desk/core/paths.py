"""Where things are: shipped resources, migrations, and the user's data folder.

A checkout keeps `resources/` and `db/` at the top level (design card). An installed wheel carries
them as `renewal_desk/_data/{resources,db}`, and a PyInstaller bundle at the top of `sys._MEIPASS`.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_path

from renewal_desk import APP_NAME, APP_ORG

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _candidates(name: str) -> list[Path]:
    found = [_PACKAGE_DIR.parent / name, _PACKAGE_DIR / "_data" / name]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.insert(0, Path(bundle) / name)
    return found


@lru_cache(maxsize=None)
def _locate(name: str, marker: str) -> Path:
    for candidate in _candidates(name):
        if (candidate / marker).exists():
            return candidate
    raise FileNotFoundError(f"Renewal Desk installation is incomplete: '{name}/' not found")


def resources_dir() -> Path:
    return _locate("resources", "fonts")


def migrations_dir() -> Path:
    return _locate("db", "env.py")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """The user's data folder (platformdirs); RENEWAL_DESK_DATA overrides it (tests, portable use)."""
    override = os.environ.get("RENEWAL_DESK_DATA")
    path = Path(override) if override else user_data_path(APP_NAME, APP_ORG)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "renewal-desk.sqlite"
