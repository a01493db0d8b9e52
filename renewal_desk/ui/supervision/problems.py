"""The 问题 tab: the problem list with its filters, one problem's detail, history and photo thumbnails, and
what is done to problems (record, correct, issue and re-issue a notice, reply, re-check, close, photos).

Photo thumbnails are scaled as QImage in a worker and become QPixmaps here on the GUI thread, cached by
content hash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QSplitter, QVBoxLayout, QWidget)

from renewal_desk.core.db import Database
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import rectification as rules
from renewal_desk.core.services import supervision as svc
from renewal_desk.core.services.attachments import AttachmentInfo, open_attachment, stored_path

from ..i18n import core_lang, enum_label, fmt
from ..operations import QueryOp
from ..rows_model import RowsModel
from ..widgets.tables import table_view
from .common import OVERDUE, SupervisionTab, _combo
from .dialogs import InspectionDialog, NoticeDialog, ProblemDialog, StepDialog

THUMB = 96
PROBLEM_HEADERS = (
    QT_TRANSLATE_NOOP("SupervisionPage", "No."),
    QT_TRANSLATE_NOOP("SupervisionPage", "Found"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Location"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Category"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Severity"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Problem"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Responsible party"),
    QT_TRANSLATE_NOOP("SupervisionPage", "State"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Notice"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Deadline"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Days overdue"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Photos"),
)
HISTORY_HEADERS = (
    QT_TRANSLATE_NOOP("SupervisionPage", "Date"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Step"),
    QT_TRANSLATE_NOOP("SupervisionPage", "State"),
    QT_TRANSLATE_NOOP("SupervisionPage", "By"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Notice"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Deadline"),
    QT_TRANSLATE_NOOP("SupervisionPage", "Text"),
)


class ProblemsTab(SupervisionTab):
    def __init__(self, page):
        super().__init__(page)
        self._rows: dict[int, svc.ProblemRow] = {}
        self.detail: svc.ProblemDetail | None = None
        self._detail = QueryOp(page, self._show_detail)  # the page: a failure shows in its banner or status line
        self._thumbs: dict[str, QPixmap] = {}  # sha256 -> thumbnail (GUI thread only)
        self._pending_thumbs = 0
        self._thumb_load = QueryOp(page)  # one batch per problem shown
        tl = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.state_filter = _combo([(self.tr("All states"), None)] + [(rules.state_label(s, core_lang()), s.value)
                                                                          for s in rules.State])
        self.overdue_only = QCheckBox(self.tr("Overdue only"))
        self.open_only = QCheckBox(self.tr("Open only"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search description, place, party, notice no."))
        for widget in (self.state_filter, self.overdue_only, self.open_only):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.toggled
            signal.connect(lambda *_a: self.refresh())
        self.search.returnPressed.connect(self.refresh)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.overdue_only)
        filters.addWidget(self.open_only)
        filters.addWidget(self.search, 1)
        tl.addLayout(filters)
        tl.addLayout(self.buttons((
            (self.tr("Log inspection…"), self.new_inspection), (self.tr("Record problem…"), self.new_problem),
            (self.tr("Correct problem…"), self.correct_problem), (self.tr("Issue notice…"), self.new_notice), (self.tr("Reply…"), lambda: self.step("reply")),
            (self.tr("Re-check…"), lambda: self.step("recheck")),
            (self.tr("Re-issue notice…"), self.reissue_notice), (self.tr("Close…"), lambda: self.step("close")),
            (self.tr("Add photos…"), self.add_photos), (self.tr("Print notice…"), self.print_notice_of_problem))))
        self.problems = RowsModel("SupervisionPage", PROBLEM_HEADERS, right_aligned=(10, 11), parent=self)
        self.problems.highlight = lambda row: OVERDUE if self.problems.rows[row][10] else None
        self.problem_table = table_view(self.problems)
        self.problem_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.problem_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.show_problem(self.problems.key_at(cur.row())))
        for col, width in ((0, 48), (1, 88), (2, 130), (3, 70), (4, 48), (5, 230), (6, 160), (7, 80), (8, 110),
                           (9, 88), (10, 64)):
            self.problem_table.setColumnWidth(col, width)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.detail_label = QLabel(self.tr("Select a problem to see its history and photos."))
        self.detail_label.setObjectName("problemDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.photo_strip = QListWidget()
        self.photo_strip.setViewMode(QListWidget.ViewMode.IconMode)
        self.photo_strip.setIconSize(QSize(THUMB, THUMB))
        self.photo_strip.setFixedHeight(THUMB + 40)
        self.photo_strip.setGridSize(QSize(THUMB + 40, THUMB + 30))
        self.photo_strip.setMovement(QListWidget.Movement.Static)
        self.photo_strip.setFlow(QListWidget.Flow.LeftToRight)
        self.photo_strip.setWrapping(False)
        self.photo_strip.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.photo_strip.itemDoubleClicked.connect(self._open_photo)
        self.history = RowsModel("SupervisionPage", HISTORY_HEADERS, parent=self)
        self.history_table = table_view(self.history)
        for col, width in ((0, 82), (1, 90), (2, 84), (3, 100), (4, 100), (5, 82)):  # 复查未通过 whole
            self.history_table.setColumnWidth(col, width)
        rl.addWidget(self.detail_label)
        rl.addWidget(self.photo_strip)
        rl.addStretch()
        history = QGroupBox(self.tr("History"))
        QVBoxLayout(history).addWidget(self.history_table)
        lower = QSplitter()
        lower.addWidget(right)
        lower.addWidget(history)
        lower.setSizes([420, 760])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.problem_table)
        split.addWidget(lower)
        split.setSizes([420, 320])
        tl.addWidget(split, 1)

    # --- the list ----------------------------------------------------------------------------------
    def filter(self, project_id: int | None) -> svc.ProblemFilter:
        """The list's filter as the user has set it."""
        return svc.ProblemFilter(project_id=project_id, state=self.state_filter.currentData(),
                                 overdue_only=self.overdue_only.isChecked(), open_only=self.open_only.isChecked(),
                                 text=self.search.text())

    def show_rows(self, rows: list[svc.ProblemRow]) -> None:
        self._rows = {r.id: r for r in rows}
        self.problems.set_rows([(f"#{r.id}", r.found_on.isoformat(), r.place, enum_label(rules.PROBLEM_CATEGORY_LABELS, r.category),
                                 enum_label(rules.SEVERITY_LABELS, r.severity), r.description,
                                 r.party, rules.state_label(r.state, core_lang()), r.notice_no, r.deadline.isoformat() if r.deadline else "",
                                 r.days_overdue or "", r.photos or "") for r in rows], [r.id for r in rows])

    def release(self) -> None:
        self._rows = {}
        self.problems.set_rows([])

    # --- one problem: detail, history, thumbnails -----------------------------------------------------
    def select_problem(self, problem_id: int) -> None:
        for row in range(self.problems.rowCount()):
            if self.problems.key_at(row) == problem_id:
                self.problem_table.selectRow(row)
                self.show_problem(problem_id)
                return

    def show_problem(self, problem_id: int | None) -> None:
        if problem_id is None:
            return
        as_of = self.as_of
        self._detail.run(lambda: svc.problem_detail(self.db, problem_id, as_of))

    def _show_detail(self, detail: svc.ProblemDetail) -> None:
        self.detail = detail
        r = detail.row
        overdue = (f"　<span style='color:{OVERDUE}'>" + fmt(self.tr("%1 days overdue"), str(r.days_overdue))
                   + "</span>") if r.overdue else ""
        self.detail_label.setText(
            f"<b>#{r.id} {r.place}</b>　{enum_label(rules.PROBLEM_CATEGORY_LABELS, r.category)}·{enum_label(rules.SEVERITY_LABELS, r.severity)}　<b>{rules.state_label(r.state, core_lang())}</b>{overdue}<br>{r.description}<br>"
            + fmt(self.tr("Basis: %1"), detail.basis or "—") + "<br>"
            + fmt(self.tr("Measures: %1"), detail.measures or "—") + "<br>"
            + fmt(self.tr("Responsible party: %1"), r.party or "—"))
        lang = core_lang()
        self.history.set_rows([(h.on.isoformat(), rules.step_label(h.action, h.from_state, lang),
                                rules.state_label(h.to_state, lang), h.by, h.notice_no,
                                h.deadline.isoformat() if h.deadline else "",
                                h.text + (f"（{len(h.photos)} " + self.tr("photos") + "）" if h.photos else ""))
                               for h in detail.history], [h.id for h in detail.history])
        self._show_thumbnails([(a, self.tr("found")) for a in detail.photos]
                              + [(a, rules.step_label(h.action, h.from_state, lang)) for h in detail.history
                                 for a in h.photos])
        self.page.detail_loaded.emit()

    def _show_thumbnails(self, photos: list[tuple[AttachmentInfo, str]]) -> None:
        self.photo_strip.clear()
        self._thumb_load.drop()  # the strip shows another problem now: the last one's thumbnails are dropped
        self._pending_thumbs = 0
        for info, caption in photos:
            item = QListWidgetItem(caption)
            item.setData(Qt.ItemDataRole.UserRole, info)
            item.setToolTip(info.original_name)
            self.photo_strip.addItem(item)
            if info.sha256 in self._thumbs and stored_path(self.db, info.sha256).exists():  # a stat, not a read
                item.setIcon(QIcon(self._thumbs[info.sha256]))
                continue
            self._thumbs.pop(info.sha256, None)  # the file went away since: load again, to say so
            self._pending_thumbs += 1
            self._thumb_load.run(lambda info=info: _thumbnail(self.db, info),
                                 lambda result, item=item, info=info: self._thumb_ready(item, info, result),
                                 lambda exc, item=item: self._thumb_ready(item, None, exc), join=True)
        if not self._pending_thumbs:
            self.page.thumbnails_loaded.emit()

    def _thumb_ready(self, item: QListWidgetItem, info: AttachmentInfo | None, result) -> None:
        if isinstance(result, QImage):
            pixmap = QPixmap.fromImage(result)  # QPixmap only here, on the GUI thread
            self._thumbs[info.sha256] = pixmap
        else:
            pixmap = _placeholder(self.tr("missing") if isinstance(result, InputError) else self.tr("unreadable"))
            item.setToolTip(result.describe(core_lang()) if isinstance(result, InputError) else item.toolTip())
        item.setIcon(QIcon(pixmap))
        self._pending_thumbs -= 1
        if self._pending_thumbs <= 0:
            self.page.thumbnails_loaded.emit()

    def _open_photo(self, item: QListWidgetItem) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        try:
            path = open_attachment(self.db, item.data(Qt.ItemDataRole.UserRole))
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Photo"), exc.describe(core_lang()))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # --- actions -----------------------------------------------------------------------------------
    def selected_problems(self) -> list[svc.ProblemRow]:
        rows = sorted({i.row() for i in self.problem_table.selectionModel().selectedRows()})
        if not rows and self.problem_table.currentIndex().isValid():
            rows = [self.problem_table.currentIndex().row()]
        return [self._rows[k] for k in (self.problems.key_at(r) for r in rows) if k in self._rows]

    def new_inspection(self) -> None:
        if self.page._need_project() and InspectionDialog(self.db, self.project_id, self).exec():
            self.page._after(self.tr("Inspection logged"))

    def new_problem(self) -> None:
        if self.page._need_project() and ProblemDialog(self.db, self.project_id, parent=self).exec():
            self.page._after(self.tr("Problem recorded"))

    def correct_problem(self) -> None:
        """更正: the selected problem recorded with a wrong place, category, party or text."""
        chosen = self.selected_problems()
        if not chosen:
            QMessageBox.information(self, self.tr("Correct problem"), self.tr("Select a problem first."))
            return
        if ProblemDialog(self.db, chosen[0].project_id, parent=self, amend=chosen[0].id).exec():
            self.page._after(self.tr("Problem corrected"))

    def new_notice(self) -> None:
        chosen = self.selected_problems()
        if not chosen:
            QMessageBox.information(self, self.tr("Issue notice"), self.tr("Select one or more problems of one party."))
            return
        if NoticeDialog(self.db, chosen, self).exec():
            self.page._after(self.tr("Notice issued"))

    def step(self, action: str) -> None:
        chosen = self.selected_problems()
        if len(chosen) != 1:
            QMessageBox.information(self, self.tr("Problems"), self.tr("Select one problem."))
            return
        dialog = StepDialog(self.db, chosen[0], action, self)
        if not dialog.exec():
            return
        self.page._after(self.tr("Saved"))
        if action == "recheck" and dialog.passed.currentData() is False:
            answer = QMessageBox.question(
                self, self.tr("Re-check not passed"),
                self.tr("The re-check did not pass. Re-issue the rectification notice now, with a new deadline?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                self.reissue_notice(chosen[0].id)

    def reissue_notice(self, problem_id: int | None = None) -> bool:
        """重新下发整改通知: a new notice with a new deadline for a problem whose re-check failed."""
        if problem_id is None:
            chosen = self.selected_problems()
            if len(chosen) != 1:
                QMessageBox.information(self, self.tr("Problems"), self.tr("Select one problem."))
                return False
            problem_id = chosen[0].id
        rows = svc.problem_rows(self.db, svc.ProblemFilter(ids=[problem_id]), self.as_of)
        if not rows or rows[0].state != rules.State.FAILED.value:
            QMessageBox.information(self, self.tr("Re-issue notice"), self.tr(
                "Only a problem whose re-check did not pass gets a re-issued notice."))
            return False
        if NoticeDialog(self.db, rows, self, reissue=True).exec():
            self.page._after(self.tr("Notice re-issued"))
            return True
        return False

    def add_photos(self, files: list[str] | None = None) -> int:
        chosen = self.selected_problems()
        if len(chosen) != 1:
            QMessageBox.information(self, self.tr("Problems"), self.tr("Select one problem."))
            return 0
        if files is None:
            files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add photos"), str(Path.home()),
                                                    self.tr("Images (*.jpg *.jpeg *.png *.gif *.bmp)"))
        try:
            added = svc.add_problem_photos(self.db, chosen[0].id, files)
        except InputError as exc:
            QMessageBox.warning(self, self.tr("Add photos"), exc.describe(core_lang()))
            return 0
        self.page._after(fmt(self.tr("%1 photos added"), str(added)))
        return added

    def print_notice_of_problem(self) -> None:
        chosen = self.selected_problems()
        if chosen and chosen[0].notice_id:
            self.page.print_doc("rectification-notice", chosen[0].notice_id)
        else:
            QMessageBox.information(self, self.tr("Print notice"), self.tr("The selected problem has no notice yet."))


def _thumbnail(db: Database, info: AttachmentInfo) -> QImage:
    """In a worker thread: the stored photo (checked against its hash) scaled to a thumbnail.
    QImage is safe off the GUI thread; a missing or unreadable file raises, for the placeholder."""
    path = open_attachment(db, info)
    image = QImage(str(path))
    if image.isNull():
        raise ValueError(info.original_name)
    return image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def _placeholder(text: str) -> QPixmap:
    pixmap = QPixmap(THUMB, THUMB)
    pixmap.fill(QColor("#eeeeee"))
    painter = QPainter(pixmap)
    painter.setPen(QColor(OVERDUE))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap
