"""文件 → 归档签字件… (issue 20): a phone photo of a real printed page chosen in the dialog is filed to its
meeting and leaves the missing list; an unreadable photo is listed with its reason, matched by hand and then
shown filed."""

from __future__ import annotations

from datetime import datetime

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog
from sqlalchemy import select

from renewal_desk.core.models import IssuedDocument, MeetingKind
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services.places import create_place
from renewal_desk.core.services.printouts import print_document
from tests.fixtures.scans import photograph


@pytest.fixture
def win(qtbot, db, tmp_path):
    from renewal_desk.ui.main_window import MainWindow

    project = create_place(db, "project", "幸福里改造")
    mid = svc.create_meeting(db, svc.MeetingInput("加装电梯业主大会", datetime(2026, 11, 25, 14, 30), MeetingKind.OWNERS,
                                                  project))
    for name in ("meeting-minutes", "sign-in-sheet"):
        print_document(db, name, mid, tmp_path / f"{name}.pdf", printed_at=datetime(2026, 11, 26, 9, 0))
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def _texts(model) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_file_signed_copies_from_the_file_menu(win, db, qtbot, tmp_path, monkeypatch):
    from renewal_desk.ui.signed_copies_dialog import SignedCopiesDialog

    with db.read() as s:
        docs = {d.kind: (d.doc_no, d.pages) for d in s.scalars(select(IssuedDocument))}
    minutes_no, pages = docs["meeting-minutes"]
    sheet_no, _ = docs["sign-in-sheet"]
    photo = photograph(tmp_path / "meeting-minutes.pdf", tmp_path / "IMG_3001.jpg", page=pages, angle=4,
                       scale=0.6)
    blurred = tmp_path / "IMG_3002.jpg"
    Image.new("RGB", (700, 990), (240, 238, 230)).save(blurred)

    file_menu = win.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.objectName() == "fileSignedCopiesAction")
    assert action.text() == "归档签字件…"
    action.trigger()
    dialog = win.signed_copies_dialog
    assert isinstance(dialog, SignedCopiesDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "归档签字件"
    qtbot.waitUntil(lambda: dialog.missing_model.rowCount() == 2, timeout=10000)
    assert dialog.tabs.tabText(1) == "缺少签字件（2）"
    assert {r[0] for r in _texts(dialog.missing_model)} == {minutes_no, sheet_no}

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(photo), str(blurred)], ""))
    dialog.choose_button.click()
    qtbot.waitUntil(lambda: dialog.filed_model.rowCount() == 1 and dialog.unmatched_model.rowCount() == 1,
                    timeout=30000)
    assert _texts(dialog.filed_model) == [["IMG_3001.jpg", minutes_no, "会议记录（加装电梯业主大会）",
                                           f"{pages}/{pages}", "1"]]
    assert _texts(dialog.unmatched_model) == [["IMG_3002.jpg", "1", "未能识别页面上的条码"]]
    assert "1 页已归档，1 页未能归档" in dialog.status.text()
    qtbot.waitUntil(lambda: dialog.missing_model.rowCount() == 1, timeout=10000)
    assert [r[0] for r in _texts(dialog.missing_model)] == [sheet_no]
    assert dialog.tabs.tabText(1) == "缺少签字件（1）"

    # the unreadable photo is the sign-in sheet's page 1: matched by hand
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: asked.append(a[2]) or (sheet_no.lower(), True))
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: asked.append(a[2]) or (1, True))
    assert dialog.match_button.isEnabled()
    dialog.match_button.click()
    qtbot.waitUntil(lambda: dialog.unmatched_model.rowCount() == 0, timeout=10000)
    assert "文书编号" in asked[0] and len(asked) == 2
    assert _texts(dialog.filed_model)[1] == ["IMG_3002.jpg", sheet_no, "会议签到表（加装电梯业主大会）", "1/1", "1"]
    assert "已归档为" in dialog.feedback.text()
    qtbot.waitUntil(lambda: dialog.missing_model.rowCount() == 0, timeout=10000)
    assert not dialog.match_button.isEnabled()


def test_a_dropped_page_matched_to_a_wrong_number_is_refused_in_words(win, db, qtbot, tmp_path, monkeypatch):
    blank = tmp_path / "blank.png"
    Image.new("RGB", (500, 700), "white").save(blank)
    dialog = win.file_signed_copies()
    # dragged in from the file manager (a text file among them is not taken)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(blank)), QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    point = QPointF(dialog.width() / 2, dialog.height() / 2)
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(dialog, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(dialog, QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                              Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: dialog.unmatched_model.rowCount() == 1, timeout=10000)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("XX-1", True))
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (1, True))
    dialog.match_button.click()
    qtbot.waitUntil(lambda: "不是本系统打印的文书" in dialog.feedback.text(), timeout=10000)
    assert dialog.unmatched_model.rowCount() == 1 and dialog.filed_model.rowCount() == 0
    assert [r[0] for r in _texts(dialog.unmatched_model)] == ["blank.png"]
