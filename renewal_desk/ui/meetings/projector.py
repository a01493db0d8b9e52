"""The wall window shown to the hall."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from renewal_desk.core.rules.consent import percent
from renewal_desk.core.services import meetings as svc

from ..i18n import core_lang


class MeetingProjector(QWidget):
    """The wall: title, agenda with the current item, the motion under vote with its tally and result.
    Large type (Ctrl+= / Ctrl+− to adjust), no editing controls, no personal data."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Meeting — projector"))
        self.setStyleSheet("background: #fffdf7; color: #1a1a1a;")
        self.scale = 1.0
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.attendance = QLabel()
        self.attendance.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.agenda = QLabel()
        self.agenda.setObjectName("projectorAgenda")
        self.agenda.setWordWrap(True)
        self.agenda.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.current = QLabel()
        self.current.setObjectName("projectorCurrent")
        self.current.setWordWrap(True)
        self.motion = QLabel()
        self.motion.setWordWrap(True)
        self.result = QLabel()
        self.result.setObjectName("projectorResult")
        self.result.setWordWrap(True)
        self.plot = None
        self.chart_box = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 20, 36, 20)
        layout.addWidget(self.title)
        layout.addWidget(self.attendance)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.current)
        left.addWidget(self.agenda, 1)
        right = QVBoxLayout()
        right.addWidget(self.motion)
        right.addLayout(self.chart_box, 1)
        right.addWidget(self.result)
        body.addLayout(left, 4)
        body.addLayout(right, 7)
        layout.addLayout(body, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, lambda: self.showNormal() if self.isFullScreen()
                  else self.showFullScreen())
        QShortcut(QKeySequence("Ctrl+="), self, lambda: self.zoom(1.1))
        QShortcut(QKeySequence("Ctrl++"), self, lambda: self.zoom(1.1))
        QShortcut(QKeySequence("Ctrl+-"), self, lambda: self.zoom(1 / 1.1))
        self._fonts()
        self.resize(1024, 768)
        self.wall: svc.WallView | None = None

    def zoom(self, factor: float) -> None:
        self.scale = max(0.6, min(2.5, self.scale * factor))
        self._fonts()

    def _fonts(self) -> None:
        for label, size, bold in ((self.title, 30, True), (self.attendance, 18, False), (self.current, 24, True),
                                  (self.agenda, 19, False), (self.motion, 21, True), (self.result, 20, False)):
            font = QFont(self.font())
            font.setPointSizeF(size * self.scale)
            font.setBold(bold)
            label.setFont(font)

    def show_on(self, screen_index: int) -> None:
        screens = QGuiApplication.screens()
        if 0 <= screen_index < len(screens) and len(screens) > 1:
            self.setScreen(screens[screen_index])
            self.move(screens[screen_index].geometry().topLeft())
            self.showFullScreen()
        else:
            self.show()
        self.raise_()

    def show_wall(self, wall: svc.WallView) -> None:
        self.wall = wall
        self.title.setText(wall.meeting.title)
        a = wall.attendance
        self.attendance.setText(self.tr("Expected %1 · present %2 · %3").replace("%1", str(a.expected))
                                .replace("%2", str(a.present)).replace("%3", a.text(core_lang())))
        lines = []
        current = None
        for row in wall.items:
            text = f"{row.position}. {row.title}"
            if row.current:
                current = row
                lines.append(f"<b style='color:#a61b1b'>▶ {text}</b>")
            else:
                lines.append(f"<span style='color:#555'>　{text}</span>")
        if wall.ordering is not None:  # the residents' ordering results instead of the agenda list
            o = wall.ordering
            lines = [f"<b>{o.title}</b>", self.tr("Answered: %1 of %2 households").replace("%1", str(o.answered))
                     .replace("%2", str(o.eligible))]
            lines += [f"{n}. {name}　{count}　({percent(share)})" for n, (name, count, share) in enumerate(o.top, start=1)]
        self.agenda.setText("<br>".join(lines))
        self.current.setText(self.tr("Now: %1").replace("%1", current.title) if current else self.tr("Agenda"))
        self._show_motion(wall.motion)

    def _show_motion(self, m: svc.MotionResult | None) -> None:
        if m is None:
            self.motion.setText("")
            self.result.setText("")
            self._chart(None)
            return
        self.motion.setText(m.motion.title)
        r = m.result
        if r is None:
            self.result.setText(self.tr("Voting…") if m.motion.state != "待表决" else "")
            self._chart(None)
            return
        declared = m.motion.state == "已表决"
        # no verdict on the wall before 宣布结果: while counting the hall sees the tally only
        verdict = (self.tr("PASSED") if r.passed else self.tr("NOT PASSED")) if declared else self.tr("Voting…")
        color = ("#1d6b2f" if r.passed else "#a61b1b") if declared else "#1a1a1a"
        zh = core_lang() == "zh"
        figures = [(f.label, f.value) for f in m.figures(core_lang())][:7]
        short = {"实到（参与表决）": "实到", "参与率（人数 / 面积）": "参与率", "赞成占比（人数 / 面积）": "赞成占比",
                 "Participation (people / area)": "Participation", "Yes share (people / area)": "Yes share"}
        rows = "".join(f"<tr><td style='white-space:nowrap'>{short.get(k, k)}</td>"
                       f"<td style='padding-left:18px'>{v}</td></tr>" for k, v in figures)
        state = "" if declared else self.tr(" (counting, not yet declared)")
        rule_head = m.rule.name(core_lang()).split("：" if zh else ":")[0]
        matter = svc.MATTER_NAMES[m.motion.matter][0 if zh else 1]
        self.result.setText(f"<b style='color:{color}; font-size:{int(30 * self.scale)}pt'>{verdict}</b>{state}"
                            f"<table>{rows}</table><div style='color:#444'>{rule_head} · {matter}</div>")
        self._chart(r)

    def _chart(self, r) -> None:
        import pyqtgraph as pg

        if self.plot is None:
            pg.setConfigOptions(antialias=True, background="w", foreground="k")
            self.plot = pg.PlotWidget()
            self.plot.setMouseEnabled(False, False)
            self.plot.hideButtons()
            self.plot.setMinimumHeight(120)
            self.chart_box.addWidget(self.plot)
        self.plot.clear()
        self.plot.setVisible(r is not None)
        if r is None:
            return
        counts = [r.yes_owners, r.no_owners, r.abstain_owners]
        self.plot.addItem(pg.BarGraphItem(x=[0, 1, 2], height=counts, width=0.6,
                                          brushes=[pg.mkBrush("#2e8b57"), pg.mkBrush("#c0392b"), pg.mkBrush("#999999")]))
        axis = self.plot.getAxis("bottom")
        names = ["赞成", "反对", "弃权"] if core_lang() == "zh" else ["Yes", "No", "Abstain"]
        axis.setTicks([[(i, f"{names[i]} {counts[i]}") for i in range(3)]])
        font = QFont(self.font())
        font.setPointSizeF(16 * self.scale)
        axis.setTickFont(font)
        axis.setHeight(int(QFontMetrics(font).height() * 1.8))
        self.plot.setYRange(0, max(counts + [1]) * 1.15)

