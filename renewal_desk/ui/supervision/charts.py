"""The 统计图表 tab: the team's figures for the last 180 days and four charts (pyqtgraph, loaded for the
first chart), and the work report (工作报告) to print."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from renewal_desk.core.rules.rectification import PROBLEM_CATEGORY_LABELS
from renewal_desk.core.services import supervision as svc

from ..i18n import enum_label, fmt
from ..pdf import print_with_period
from .common import SupervisionTab


class ChartsTab(SupervisionTab):
    def __init__(self, page):
        super().__init__(page)
        self.plots: dict[str, object] = {}
        tl = QVBoxLayout(self)
        head = QHBoxLayout()
        self.figures = QLabel()
        self.figures.setObjectName("supervisionFigures")
        self.figures.setWordWrap(True)
        self.figures.setStyleSheet("font-size: 12pt;")
        head.addWidget(self.figures, 1)
        report = QPushButton(self.tr("Print report…"))
        report.clicked.connect(self.print_report)
        head.addWidget(report, 0, Qt.AlignmentFlag.AlignTop)
        tl.addLayout(head)
        self.chart_grid = QGridLayout()
        tl.addLayout(self.chart_grid, 1)

    def _plot(self, key: str, title: str, row: int, col: int):
        import pyqtgraph as pg

        if key not in self.plots:
            pg.setConfigOptions(antialias=True, background="w", foreground="k")
            plot = pg.PlotWidget(title=title)
            plot.showGrid(x=False, y=True, alpha=0.3)
            self.chart_grid.addWidget(plot, row, col)
            self.plots[key] = plot
        self.plots[key].clear()
        return self.plots[key]

    def show_stats(self, stats: svc.Statistics) -> None:
        import pyqtgraph as pg

        avg = fmt(self.tr("%1 days"), str(stats.avg_days_to_close)) if stats.avg_days_to_close else "—"
        self.figures.setText(
            fmt(self.tr("Last 180 days: %1 inspections, %2 problems found, %3 closed, %4 notices; open now: %5, "
                        "overdue: %6; average days to close: %7"),
                str(stats.inspections), str(stats.found), str(stats.closed), str(stats.notices), str(stats.open_now),
                str(stats.overdue), avg))
        open_pen, closed_pen = pg.mkPen("#c0392b", width=2), pg.mkPen("#2e7d32", width=2)
        line = self._plot("timeline", self.tr("Open and closed problems over time"), 0, 0)
        if line.getPlotItem().legend is None:  # keep no Python reference to the legend (a QGraphicsItem)
            line.addLegend()
        xs = list(range(len(stats.timeline)))
        line.plot(xs, [p[1] for p in stats.timeline], pen=open_pen, symbol="o", symbolSize=4, name=self.tr("open"))
        line.plot(xs, [p[2] for p in stats.timeline], pen=closed_pen, symbol="o", symbolSize=4, name=self.tr("closed"))
        line.getAxis("bottom").setTicks([[(x, p[0].strftime("%m-%d")) for x, p in enumerate(stats.timeline)][::2]])
        for key, title, data, pos in (("category", self.tr("Problems by category"), stats.by_category, (0, 1)),
                                      ("party", self.tr("Problems by party"), stats.by_party, (1, 0))):
            plot = self._plot(key, title, *pos)
            labels = list(reversed(list(data)))
            ys = list(range(len(labels)))
            opened = [data[k][0] for k in labels]
            closed = [data[k][1] for k in labels]
            if labels:  # horizontal stacked bars: long names stay readable
                plot.addItem(pg.BarGraphItem(x0=[0] * len(ys), y=ys, width=opened, height=0.6, brush="#c0392b"))
                plot.addItem(pg.BarGraphItem(x0=opened, y=ys, width=closed, height=0.6, brush="#2e7d32"))
            words = [enum_label(PROBLEM_CATEGORY_LABELS, k) if key == "category" else k for k in labels]
            plot.getAxis("left").setTicks([[(y, k) for y, k in zip(ys, words)]])
        days = self._plot("days", self.tr("Average days to close, by party"), 1, 1)
        labels = list(reversed(list(stats.avg_days_by_party)))
        if labels:
            days.addItem(pg.BarGraphItem(x0=[0] * len(labels), y=list(range(len(labels))),
                                         width=[float(stats.avg_days_by_party[k]) for k in labels], height=0.6,
                                         brush="#1e88e5"))
        days.getAxis("left").setTicks([[(y, k) for y, k in enumerate(labels)]])

    def print_report(self, path: str | None = None):
        return print_with_period(self.page, "supervision-report", self.project_id or 0,
                                 self.as_of - timedelta(days=179), self.as_of, path)
