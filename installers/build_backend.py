"""The in-tree build backend (pyproject: build-backend = "build_backend", backend-path = ["installers"]):
setuptools' own, plus a build step that compiles the translations.

`pip wheel .` / `pip install .` run setuptools' build_py; pyproject's [tool.setuptools] cmdclass points it
at BuildWithTranslations below, which compiles resources/i18n/*.ts to .qm in the build folder with Qt's
lrelease (from PySide6, a build requirement): the .qm are never committed, and an installed copy carries
what the sources say. Everything else about the package is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools.build_meta import *  # noqa: F403 - the PEP 517 hooks, unchanged
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent.parent  # the checkout (this file is installers/build_backend.py)


def lrelease() -> list[str]:
    """The lrelease command: PySide6's (in the build environment), else one on PATH."""
    try:
        import PySide6

        folder = Path(PySide6.__file__).parent
        for name in ("lrelease", "lrelease.exe", "Qt/libexec/lrelease"):
            if (folder / name).exists():
                return [str(folder / name)]
    except ImportError:
        pass
    for name in ("pyside6-lrelease", "lrelease-qt6", "lrelease"):
        found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
        if found:
            return [found]
    raise RuntimeError("lrelease not found: the build needs PySide6 (pyproject's build-system requires)")


class BuildWithTranslations(build_py):
    """build_py, then resources/i18n/*.ts -> <build>/renewal_desk/_data/resources/i18n/*.qm."""

    def run(self) -> None:
        super().run()
        out = Path(self.build_lib) / "renewal_desk" / "_data" / "resources" / "i18n"
        out.mkdir(parents=True, exist_ok=True)
        for ts in sorted((HERE / "resources" / "i18n").glob("*.ts")):
            qm = out / (ts.stem + ".qm")
            subprocess.run([*lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True)
            if not qm.exists() or qm.stat().st_size == 0:
                raise RuntimeError(f"lrelease made no {qm.name} from {ts.name}")

