"""What keeps the start fast: an up-to-date database opens without alembic, and the heavy libraries
(alembic, pypinyin, reportlab's printouts, openpyxl, pyqtgraph) load only when needed."""

from __future__ import annotations

import subprocess
import sys


def test_revision_graph_matches_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from renewal_desk.core import db as dbmod
    from renewal_desk.core.paths import migrations_dir

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(cfg)
    assert dbmod.head_revision() == script.get_current_head()
    assert dbmod.known_revisions() == {r.revision for r in script.walk_revisions()}
    assert dbmod._revision_graph() == {r.revision: r.down_revision for r in script.walk_revisions()}


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return {m.split(".")[0] for m in out.stdout.split()}


def test_opening_an_up_to_date_database_needs_no_alembic_or_pinyin(tmp_path):
    from renewal_desk.core.db import open_database

    path = tmp_path / "a.sqlite"
    open_database(path, create=True).close()  # created and migrated (alembic runs here)
    loaded = _modules_after(f"from renewal_desk.core.db import open_database\n"
                            f"from renewal_desk.core.services import households, overview\n"
                            f"db = open_database({str(path)!r})\n"
                            f"households.household_ids(db, households.HouseholdFilter(query='王'))\n"
                            f"overview.counts(db)\ndb.close()")
    assert not loaded & {"alembic", "pypinyin", "openpyxl", "reportlab"}, loaded & {"alembic", "pypinyin"}


def test_main_window_module_loads_no_printing_charts_or_pages():
    loaded = _modules_after("import os\nos.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
                            "import renewal_desk.ui.main_window, renewal_desk.ui.app")
    assert not loaded & {"alembic", "pypinyin", "openpyxl", "pyqtgraph", "numpy"}, loaded
    full = subprocess.run([sys.executable, "-c", "import os\nos.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
                           "import sys, renewal_desk.ui.main_window\n"
                           "print(sorted(m for m in sys.modules if m.startswith('renewal_desk.ui.') and "
                           "m.endswith('_page')))"], capture_output=True, text=True, timeout=120)
    assert full.stdout.strip() == "[]", full.stdout + full.stderr
