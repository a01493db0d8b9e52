"""概览 as today's desk: what needs doing, each line a link that opens its record in its section; two
small charts (arrears by age, the ordering round's return); counts that agree with the lists; the latest
changes in words. The figures come from core.services.overview.today_desk, loaded in the background."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from . import tasks
from .i18n import core_lang, fmt
from .rows_model import RowsModel
from .page import Page
from .widgets.style import RED, page_heading
from .widgets.tables import fit_columns, table_view

if TYPE_CHECKING:
    from renewal_desk.core.db import Database

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # a DeskItem on a line that opens a record
RECENT_HEADERS = (QT_TRANSLATE_NOOP("OverviewPage", "Time"), QT_TRANSLATE_NOOP("OverviewPage", "Operator"),
                  QT_TRANSLATE_NOOP("OverviewPage", "Action"), QT_TRANSLATE_NOOP("OverviewPage", "Record"))


class OverviewPage(Page):
    open_record = Signal(str, str, int, int)  # section, record kind, record id, scope: the main window opens it
    loaded = Signal()
    watches = frozenset()
    refresh_when_shown = True  # it counts everything: reloaded when shown (and on others' changes while in sight)

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.desk = None
        layout = QVBoxLayout(self)

        layout.addWidget(page_heading(self.tr("Overview")))
        self.counts = QLabel()
        self.counts.setObjectName("overviewCounts")
        self.counts.setStyleSheet("font-size: 12pt;")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)

        self.todo = QTreeWidget()
        self.todo.setObjectName("overviewTodo")
        self.todo.setHeaderHidden(True)
        self.todo.setRootIsDecorated(True)
        self.todo.setUniformRowHeights(True)
        self.todo.setToolTip(self.tr("Click a line to open that record"))
        self.todo.itemClicked.connect(self._clicked)
        self.todo.itemActivated.connect(self._clicked)
        todo_box = QGroupBox(self.tr("To do today"))
        QVBoxLayout(todo_box).addWidget(self.todo)

        self.charts = QWidget()
        self.charts.setObjectName("overviewCharts")
        self.charts_layout = QVBoxLayout(self.charts)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        self.ageing_plot = None
        self.return_plot = None

        recent_box = QGroupBox(self.tr("Recent changes"))
        self.recent_model = RowsModel("OverviewPage", RECENT_HEADERS, parent=self)
        self.recent = fit_columns(table_view(self.recent_model))
        self.recent.setObjectName("overviewRecent")
        QVBoxLayout(recent_box).addWidget(self.recent)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.charts)
        right.addWidget(recent_box)
        right.setSizes([300, 300])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(todo_box)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.refresh()

    def refresh(self) -> None:
        tasks.submit(self._load, self._show, owner=self)

    def _load(self):
        import pyqtgraph  # noqa: F401  (~0.3 s: loaded here, beside the queries, not on the GUI thread by _charts)

        from renewal_desk.core.services import overview

        return overview.counts(self.db), overview.recent_changes(self.db), overview.today_desk(self.db)

    def _show(self, result) -> None:
        from renewal_desk.core.services import overview

        found, recent, desk = result
        self.desk = desk
        lang = core_lang()
        self.counts.setText(fmt(self.tr("Projects: %1    Buildings: %2    Households: %3    Residents: %4    "
                                        "Other people (lessors, attendees…): %5"),
                                str(found["project"]), str(found["building"]), str(found["household"]),
                                str(found["person"]), str(found["others"])))
        self.todo.clear()
        bold = QFont()
        bold.setBold(True)
        red = QBrush(QColor(RED))
        link = QBrush(QColor("#1c4f82"))
        for kind, (zh, en) in overview.DESK_KINDS.items():
            items = desk.of(kind)
            head = QTreeWidgetItem([f"{zh if lang == 'zh' else en}（{len(items)}）" if lang == "zh"
                                    else f"{en} ({len(items)})"])
            head.setFont(0, bold)
            head.setData(0, Qt.ItemDataRole.UserRole, kind)
            self.todo.addTopLevelItem(head)
            if not items:
                none = QTreeWidgetItem([self.tr("Nothing")])
                none.setForeground(0, QBrush(QColor("#777777")))
                head.addChild(none)
            for item in items:
                line = QTreeWidgetItem([item.text(lang)])
                line.setData(0, ITEM_ROLE, item)
                line.setForeground(0, red if item.urgent else link)
                line.setToolTip(0, self.tr("Click to open"))
                head.addChild(line)
            head.setExpanded(bool(items))
        self._charts(desk)
        rows = []
        for change in recent:
            action, record = overview.change_words(change, lang)
            rows.append((change.at.astimezone().strftime("%Y-%m-%d %H:%M"), change.operator, action,
                         change.note or record))
        self.recent_model.set_rows(rows)
        self.loaded.emit()

    def _charts(self, desk) -> None:
        """Arrears by age and the round's return: bars read faster than the figures."""
        import pyqtgraph as pg  # loaded on first use: the window opens without it

        pg.setConfigOptions(antialias=True, background="w", foreground="k")
        if self.ageing_plot is None:
            self.ageing_plot = pg.PlotWidget(title=self.tr("Rent in arrears by age (yuan)"))
            self.ageing_plot.setObjectName("overviewAgeing")
            self.ageing_plot.setMenuEnabled(False)
            self.ageing_plot.setMouseEnabled(False, False)
            self.ageing_plot.getAxis("left").setWidth(64)  # room for ¥ figures like 98,000
            self.return_plot = pg.PlotWidget(title=self.tr("Ordering return rate (%)"))
            self.return_plot.setObjectName("overviewReturn")
            self.return_plot.setMenuEnabled(False)
            self.return_plot.setMouseEnabled(False, False)
            self.charts_layout.addWidget(self.ageing_plot)
            self.charts_layout.addWidget(self.return_plot)
        from renewal_desk.core.services.overview import AGEING_WORDS

        lang = core_lang()
        plot = self.ageing_plot
        plot.clear()
        keys = list(AGEING_WORDS)
        values = [desk.ageing_fen.get(k, 0) / 100 for k in keys]
        plot.addItem(pg.BarGraphItem(x=list(range(len(keys))), height=values, width=0.6,
                                     brushes=["#f0b37e", "#e07b53", RED]))
        plot.getAxis("bottom").setTicks([[(i, AGEING_WORDS[k][0 if lang == "zh" else 1]) for i, k in enumerate(keys)]])
        plot.setYRange(0, max(values + [1]) * 1.15)
        plot = self.return_plot
        plot.clear()
        rates = desk.return_rates
        if rates:
            pct = [100 * got / eligible if eligible else 0 for _t, got, eligible in rates]
            plot.addItem(pg.BarGraphItem(x0=[0] * len(rates), y=list(range(len(rates))), width=pct, height=0.5,
                                         brush="#1e88e5"))
            plot.getAxis("left").setTicks([[(i, t if len(t) <= 12 else t[:11] + "…") for i, (t, _g, _e) in enumerate(rates)]])
            plot.setXRange(0, 100)
            plot.setYRange(-0.6, len(rates) - 0.4)
        self.return_plot.setVisible(bool(rates))

    def _clicked(self, line: QTreeWidgetItem, _column: int = 0) -> None:
        item = line.data(0, ITEM_ROLE)
        if item is not None:
            self.open_record.emit(item.section, item.record, item.record_id, item.scope)

    def lines(self, kind: str) -> list[QTreeWidgetItem]:
        """The clickable lines under one heading (tests, keyboard)."""
        for i in range(self.todo.topLevelItemCount()):
            head = self.todo.topLevelItem(i)
            if head.data(0, Qt.ItemDataRole.UserRole) == kind:
                return [head.child(j) for j in range(head.childCount()) if head.child(j).data(0, ITEM_ROLE)]
        return []


__all__ = ["OverviewPage"]
