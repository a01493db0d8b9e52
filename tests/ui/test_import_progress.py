"""The roster import shows its progress and can be cancelled while it writes (nothing is written)."""

from __future__ import annotations

import sqlite3

from renewal_desk.core.services.roster_import import ImportCancelled
from renewal_desk.ui.import_dialog import ImportDialog
from tests.fixtures.make_rosters import clean_roster


def test_cancel_while_importing_writes_nothing(qtbot, db, tmp_path):
    path = tmp_path / "big.xlsx"
    clean_roster(path, 1500, seed=2)
    dialog = ImportDialog(db, str(path), "测试项目")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.parse is not None, timeout=20000)
    assert dialog.import_button.isEnabled() and not dialog.progress.isVisible()
    with qtbot.waitSignal(dialog.finished_import, timeout=30000) as blocker:
        dialog.run_import()
        assert dialog.progress.isVisibleTo(dialog) and dialog.importing
        dialog.reject()  # Cancel while writing: the dialog stays, the import stops
    assert isinstance(blocker.args[0], ImportCancelled)
    assert not dialog.importing and not dialog.progress.isVisibleTo(dialog)
    assert "nothing was written" in dialog.summary.text() or "未写入" in dialog.summary.text()
    con = sqlite3.connect(db.path)
    try:
        assert con.execute("SELECT count(*) FROM household").fetchone()[0] == 0
    finally:
        con.close()
