"""Core must never import Qt: the CLI and tests run it on machines without a display."""

import subprocess
import sys
from pathlib import Path

import renewal_desk.core as core


def test_core_imports_no_pyside6():
    modules = sorted(
        "renewal_desk." + ".".join(p.relative_to(Path(core.__file__).parent.parent).with_suffix("").parts)
        for p in Path(core.__file__).parent.rglob("*.py")
    )
    modules = [m.removesuffix(".__init__") for m in modules]
    assert "renewal_desk.core.services.households" in modules
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) + "import renewal_desk.cli\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph')))\n"
            "print(bad)\nraise SystemExit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
