"""The wall window shown to the hall: one slide at a time, following the current agenda item.

Every figure and sentence comes from core's `slide_of` (services/meetings/wall.py); this module only
places them. The slides are laid out in proportion to the window (a 1024×768 projector, a 1280×720
or 1920×1080 screen) and every text fits its box by itself: broken only where a line may break
(core.rules.linebreak — never inside a word), else in a smaller font, else cut with "…". Nothing here
asks the window for more room, so neither long text nor zoom (Ctrl+= / Ctrl+−) can widen it.
No controls on the wall; Esc closes it, F11 toggles full screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetrics, QGuiApplication, QKeySequence, QPainter, QPainterPath, QPalette,
                           QPen, QShortcut)
from PySide6.QtWidgets import QLabel, QWidget

from renewal_desk.core.rules import linebreak
from renewal_desk.core.services import meetings as svc

from ..i18n import core_lang, fmt

INK = "#000000"
PAPER = "#ffffff"
BAND = "#0b2545"  # the header band (white text on it: contrast 15:1)
ACCENT = "#0b3d91"  # the current agenda item (white on it: 10:1)
DONE = "#4d4d4d"  # items already discussed (on white: 8:1)
PASSED = "#0a6b2a"  # white on it: 6.9:1
FAILED = "#a4161a"  # white on it: 7.6:1
COUNTING = "#fff2b3"  # behind 正在表决… (black on it: 19:1)
FILL = "#1f5fbf"
TRACK = "#e4e4e4"

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
TOP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


class FitLabel(QLabel):
    """A text that fits the box it is given: the largest font up to `max_px` at which it takes at most
    `max_lines` lines, broken only where allowed; at `min_px` the lines that fit, the last one cut
    with "…". Qt's own word wrap is off (it breaks Chinese between any two characters)."""

    def __init__(self, parent: QWidget, bold: bool = False, align=LEFT):
        super().__init__(parent)
        self.setWordWrap(False)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(align)
        self.bold = bold
        self.source = ""
        self.lines: tuple[str, ...] = ()
        self.elided = False
        self.colors = (INK, "transparent")

    def paint_as(self, color: str, background: str = "transparent", pad: int = 0) -> None:
        if (color, background, pad) != (*self.colors, self.contentsMargins().left()):
            self.colors = (color, background)
            self.setStyleSheet(f"color:{color}; background:{background};")
            self.setContentsMargins(pad, 0, pad, 0)

    def fit(self, text: str, rect: QRect, max_px: float, min_px: float, max_lines: int = 1) -> None:
        self.source = text
        self.setGeometry(rect)
        height = self.contentsRect().height()
        font = QFont(self.font())
        font.setBold(self.bold)
        px = max(min_px, max_px)
        while True:
            font.setPixelSize(max(6, round(px)))
            fm = QFontMetrics(font)
            width = self.contentsRect().width() - max(2, px // 8)  # room for glyphs wider than their advance (㎡)
            lines = linebreak.wrap(text, width, fm.horizontalAdvance)
            if lines is not None and len(lines) <= max_lines and len(lines) * fm.lineSpacing() + 3 <= height:
                self.elided = False
                break
            if px <= min_px:
                if fm.lineSpacing() + 3 > height and px > 6:  # not even one line at the floor: smaller still
                    min_px = px = px * 0.9
                    continue
                found = linebreak.fit(text, width, fm.horizontalAdvance,
                                      max(1, min(max_lines, (height - 3) // fm.lineSpacing())))
                lines, self.elided = list(found.lines), found.elided
                break
            px = max(min_px, px * 0.92)
        self.lines = tuple(lines)
        self.setFont(font)
        self.setText("\n".join(lines))
        self.show()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Qt draws no synthetic bold from 64 px up (the font has no bold face): large bold text is
        drawn as outlines, filled and stroked."""
        font = self.font()
        if not (self.bold and font.pixelSize() >= 64 and self.lines):
            super().paintEvent(event)
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        color, background = self.colors
        if background != "transparent":
            p.fillRect(self.rect(), QColor(background))
        fm = QFontMetrics(font)
        r = self.contentsRect()
        y = r.top() + fm.ascent() + (0 if self.alignment() & Qt.AlignmentFlag.AlignTop
                                     else (r.height() - len(self.lines) * fm.lineSpacing()) / 2)
        path = QPainterPath()
        align = self.alignment()
        for line in self.lines:
            w = fm.horizontalAdvance(line)
            x = (r.left() + (r.width() - w) / 2 if align & Qt.AlignmentFlag.AlignHCenter
                 else r.right() - w if align & Qt.AlignmentFlag.AlignRight else r.left())
            path.addText(x, y, font, line)
            y += fm.lineSpacing()
        p.fillPath(path, QColor(color))
        p.strokePath(path, QPen(QColor(color), font.pixelSize() / 28, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        p.end()


class BarRow(QWidget):
    """One bar of a tally: its name and figures above, the bar with its share, and the threshold as a
    black line across the bar with the threshold written under it."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.name = FitLabel(self, bold=True)
        self.value = FitLabel(self, align=RIGHT)
        self.share_label = FitLabel(self, bold=True, align=RIGHT)
        self.need = FitLabel(self, align=CENTER)
        self.bar: svc.WallBar | None = None
        self.track = QRect()

    def place(self, bar: svc.WallBar, rect: QRect, u: float, split: float = 0.42,
              caps: tuple[float, float] | None = None) -> None:
        """Lay the row out in `rect`; `caps` are the largest fonts of its name and its figures (the rows
        of one tally share them, so that one long figure does not make every name small)."""
        self.bar = bar
        self.setGeometry(rect)
        w, h = rect.width(), rect.height()
        top = int(h * 0.40)
        px = min(34 * u, h * 0.30)
        name_px, value_px = caps or (px, px)
        self.name.fit(bar.label, QRect(0, 0, int(w * split), top), min(px, name_px), 0.5 * px)
        gap = int(12 * u)
        self.value.fit(bar.value, QRect(int(w * split) + gap, 0, w - int(w * split) - gap, top), min(px, value_px),
                       0.5 * px)
        self.track = QRect(2, top + int(h * 0.04), int(w * 0.78), int(h * 0.30))
        self.share_label.fit(bar.share_text, QRect(int(w * 0.79), top, w - int(w * 0.79), int(h * 0.38)),
                             px * 1.1, 0.55 * px)
        if bar.threshold is not None:
            x = self.track.left() + int(self.track.width() * float(bar.threshold))
            cw = int(w * 0.40)
            left = max(0, min(x - cw // 2, self.track.right() - cw))
            self.need.fit(fmt(self.tr("needs %1"), bar.threshold_text),
                          QRect(left, self.track.bottom() + 4, cw, h - self.track.bottom() - 4), px * 0.85, 0.5 * px)
        else:
            self.need.hide()
        self.show()
        self.update()

    def fitted(self) -> tuple[int, int]:
        """The fonts its name and its figures came out at."""
        return self.name.font().pixelSize(), self.value.font().pixelSize()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.bar is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        t = self.track
        p.fillRect(t, QColor(TRACK))
        share = max(0.0, min(1.0, float(self.bar.share)))
        p.fillRect(QRectF(t.left(), t.top(), t.width() * share, t.height()), QColor(FILL))
        p.setPen(QPen(QColor(INK), 2))
        p.drawRect(t)
        if self.bar.threshold is not None:
            x = t.left() + t.width() * float(self.bar.threshold)
            p.setPen(QPen(QColor(INK), max(3, t.height() // 8)))
            p.drawLine(int(x), t.top() - t.height() // 3, int(x), t.bottom())
        p.end()


class MeetingProjector(QWidget):
    """The wall: the slide for the current moment (title, agenda, motion before / during / after the
    vote, ordering results). Large type scaled to the window, no editing controls, no personal data."""

    def __init__(self, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Meeting — projector"))
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(PAPER))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(INK))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setMinimumSize(320, 240)
        self.scale = 1.0
        self.slide: svc.WallSlide | None = None
        self.wall: svc.WallView | None = None
        label = lambda bold=False, align=LEFT: FitLabel(self, bold, align)  # noqa: E731
        # the title slide
        self.title = label(True, CENTER)
        self.when = label(False, CENTER)
        self.place = label(False, CENTER)
        self.attendance = label(True, CENTER)
        # the header of every other slide
        self.head_title = label(True)
        self.head_attendance = label(False, RIGHT)
        self.current = label(True)
        # the motion
        self.motion = label(True, TOP)
        self.motion_text = label(False, TOP)
        self.scope = label()
        self.rule = label()
        self.method = label()
        self.status = label(True, CENTER)
        self.verdict = label(True, CENTER)
        self.reasons = label(False, TOP)
        self.counts = label(False, CENTER)
        self.gauge = label(True, CENTER)  # what is still needed, during the vote (figures, never a verdict)
        self.gauge.setObjectName("wallGauge")
        self.agenda_rows: list[FitLabel] = []
        self.bars: list[BarRow] = []
        for w in self.findChildren(FitLabel):
            w.hide()
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, lambda: self.showNormal() if self.isFullScreen()
                  else self.showFullScreen())
        QShortcut(QKeySequence("Ctrl+="), self, lambda: self.zoom(1.1))
        QShortcut(QKeySequence("Ctrl++"), self, lambda: self.zoom(1.1))
        QShortcut(QKeySequence("Ctrl+-"), self, lambda: self.zoom(1 / 1.1))
        self.resize(1024, 768)

    # --- public ----------------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        """Bigger or smaller type; the boxes stay where they are, so the window never grows."""
        self.scale = max(0.6, min(1.6, self.scale * factor))
        self._place()

    def show_on(self, screen_index: int) -> None:
        screens = QGuiApplication.screens()
        if 0 <= screen_index < len(screens) and len(screens) > 1:
            self.setScreen(screens[screen_index])
            self.move(screens[screen_index].geometry().topLeft())
            self.showFullScreen()
        else:
            screen = self.screen().availableGeometry()
            self.resize(min(self.width(), screen.width()), min(self.height(), screen.height()))
            self.show()
        self.raise_()

    def show_wall(self, wall: svc.WallView) -> None:
        """Show what the page has loaded: the slide is computed by core from it."""
        self.wall = wall
        self.show_slide(svc.slide_of(wall, core_lang()))

    def show_slide(self, slide: svc.WallSlide) -> None:
        self.slide = slide
        self._place()

    def text_labels(self) -> list[FitLabel]:
        """Every text shown on the wall now."""
        return [w for w in self.findChildren(FitLabel) if w.isVisibleTo(self) and w.text()]

    def visible_text(self) -> str:
        return "\n".join(w.text() for w in self.text_labels())

    # --- layout ----------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._place()

    def _rect(self, x: float, y: float, w: float, h: float) -> QRect:
        W, H = self.width(), self.height()  # noqa: N806
        return QRect(int(x * W), int(y * H), int(w * W), int(h * H))

    def _unit(self) -> float:
        return min(self.width() / 1024, self.height() / 768) * self.scale

    def _place(self) -> None:
        for w in self.findChildren(FitLabel):
            if w.parent() is self:
                w.hide()
        for b in self.bars:
            b.hide()
        s = self.slide
        self.update()
        if s is None:
            return
        u = self._unit()
        if s.kind == "title":
            self._title_slide(s, u)
            return
        self._header(s, u)
        if s.kind == "agenda":
            self._agenda_slide(s, u)
        elif s.kind == "ordering":
            self._ordering_slide(s, u)
        elif s.motion is not None:
            {"before": self._motion_slide, "voting": self._voting_slide,
             "declared": self._result_slide}[s.motion.stage](s.motion, u)

    def _attendance(self, s: svc.WallSlide) -> str:
        return (fmt(self.tr("Expected %1 · present %2"), str(s.expected), str(s.present)))

    def _title_slide(self, s: svc.WallSlide, u: float) -> None:
        self.title.fit(s.title, self._rect(0.06, 0.12, 0.88, 0.34), 76 * u, 34 * u, 3)
        self.when.fit(s.when, self._rect(0.06, 0.50, 0.88, 0.10), 44 * u, 26 * u)
        if s.place:
            self.place.fit(fmt(self.tr("Place: %1"), s.place), self._rect(0.06, 0.61, 0.88, 0.10),
                           44 * u, 26 * u)
        self.attendance.fit(self._attendance(s), self._rect(0.06, 0.76, 0.88, 0.12), 56 * u, 30 * u)

    def _header(self, s: svc.WallSlide, u: float) -> None:
        band = self._rect(0, 0, 1, 0.11)
        self.head_title.paint_as("#ffffff", BAND, pad=int(24 * u))
        self.head_title.fit(s.title, QRect(0, 0, int(self.width() * 0.62), band.height()), 34 * u, 20 * u)
        self.head_attendance.paint_as("#ffffff", BAND, pad=int(24 * u))
        self.head_attendance.fit(self._attendance(s), QRect(int(self.width() * 0.62), 0,
                                                            self.width() - int(self.width() * 0.62), band.height()),
                                 34 * u, 20 * u)
        current = s.current if s.kind != "ordering" else fmt(self.tr("Residents' ordering: %1"),
                                                             s.ordering.title if s.ordering else "")
        self.current.paint_as(ACCENT)
        self.current.fit(current, self._rect(0.04, 0.12, 0.92, 0.09), 40 * u, 24 * u)

    def _agenda_slide(self, s: svc.WallSlide, u: float) -> None:
        top, bottom = 0.23, 0.97
        H = self.height()  # noqa: N806
        fits = max(3, int((bottom - top) * H // max(1, 56 * u)))
        rows, before, after = svc.agenda_window(s.agenda, fits)
        lines: list[tuple[str, bool, bool]] = []  # (text, current, done)
        if before:
            lines.append((fmt(self.tr("… %1 items before"), str(before)), False, True))
        lines += [(("▶ " if r.current else "　") + r.text, r.current, r.done) for r in rows]
        if after:
            lines.append((fmt(self.tr("… %1 more items"), str(after)), False, False))
        row_h = min((bottom - top) * H / max(1, len(lines)), 92 * u)
        while len(self.agenda_rows) < len(lines):
            self.agenda_rows.append(FitLabel(self))
        x, w = int(0.04 * self.width()), int(0.92 * self.width())
        largest = min(46 * u, row_h * 0.62)
        cap = largest
        for _ in range(2):  # once each as large as it fits, then one size for all (a long title alone smaller)
            for n, (text, current, done) in enumerate(lines):
                label = self.agenda_rows[n]
                label.bold = current
                if current:
                    label.paint_as("#ffffff", ACCENT, pad=int(16 * u))
                else:
                    label.paint_as(DONE if done else INK, pad=int(16 * u))
                label.fit(text, QRect(x, int(top * H + n * row_h), w, int(row_h * 0.9)), cap, 24 * u)
            cap = max(min(label.font().pixelSize() for label in self.agenda_rows[:len(lines)]), 0.75 * largest)

    def _bar_rows(self, bars, rect: QRect, u: float, columns: int, split: float = 0.42) -> None:
        while len(self.bars) < len(bars):
            self.bars.append(BarRow(self))
        rows = (len(bars) + columns - 1) // columns
        gap = int(28 * u)
        cw = (rect.width() - gap * (columns - 1)) // columns
        rh = rect.height() // max(1, rows)
        caps: dict[int, tuple[float, float]] = {}
        for _ in range(2):  # once each as large as it fits, then a column's names (and figures) at one size
            for n, bar in enumerate(bars):
                row, col = divmod(n, columns)
                self.bars[n].place(bar, QRect(rect.left() + col * (cw + gap), rect.top() + row * rh, cw,
                                              int(rh * 0.92)), u, split, caps.get(col))
            for col in range(columns):
                fitted = [self.bars[n].fitted() for n in range(col, len(bars), columns)]
                caps[col] = (min(f[0] for f in fitted), min(f[1] for f in fitted))

    def _motion_head(self, m: svc.WallMotion, u: float, height: float) -> float:
        self.motion.fit(m.title, self._rect(0.04, 0.21, 0.92, height), 52 * u, 30 * u, 2)
        return 0.21 + height

    def _motion_slide(self, m: svc.WallMotion, u: float) -> None:
        y = self._motion_head(m, u, 0.14)
        if m.text:
            self.motion_text.fit(m.text, self._rect(0.04, y + 0.01, 0.92, 0.26), 40 * u, 26 * u, 4)
        self.scope.fit(fmt(self.tr("Who votes: %1"), m.scope), self._rect(0.04, 0.63, 0.92, 0.08), 36 * u,
                       22 * u)
        self.rule.fit(fmt(self.tr("Rule: %1 (%2)"), m.rule, m.basis),
                      self._rect(0.04, 0.71, 0.92, 0.08), 36 * u, 22 * u)
        self.method.fit(fmt(self.tr("Method: %1"), m.method), self._rect(0.04, 0.79, 0.92, 0.08), 36 * u,
                        22 * u)
        self.status.paint_as(INK, "#e8eef8")
        self.status.fit(self.tr("Not yet put to the vote"), self._rect(0.04, 0.88, 0.92, 0.09), 40 * u, 24 * u)

    def _voting_slide(self, m: svc.WallMotion, u: float) -> None:
        self._motion_head(m, u, 0.085)
        self.rule.fit(fmt(self.tr("%1 · %2 (%3)"), m.scope, m.rule, m.basis),
                      self._rect(0.04, 0.295, 0.92, 0.065), 30 * u, 18 * u)
        self.status.paint_as(INK, COUNTING)
        self.status.fit(self.tr("Voting… (the result is not yet declared)"), self._rect(0.04, 0.37, 0.92, 0.08),
                        40 * u, 24 * u)
        if m.bars:
            self._bar_rows(m.bars, self._rect(0.04, 0.46, 0.92, 0.34), u, 2 if len(m.bars) == 4 else 1)
        elif m.problem:
            self.reasons.paint_as(INK)
            self.reasons.fit(m.problem, self._rect(0.04, 0.50, 0.92, 0.28), 36 * u, 22 * u, 3)
        if m.gauge:
            self.gauge.paint_as(INK, "#fff4d6")
            self.gauge.fit(m.gauge, self._rect(0.04, 0.805, 0.92, 0.065), 30 * u, 14 * u, 2)
        if m.count_parts:
            self._counts(m, self._rect(0.04, 0.875, 0.92, 0.11), u)

    def _counts(self, m: svc.WallMotion, rect: QRect, u: float) -> None:
        """赞成 · 反对 · 弃权 on one line when it is large enough there, else on two (broken at a ·)."""
        self.counts.fit(m.counts, rect, 36 * u, 28 * u, 1)
        if self.counts.elided:
            two = " · ".join(m.count_parts[:2]) + "\n" + " · ".join(m.count_parts[2:])
            self.counts.fit(two, rect, 36 * u, 18 * u, 2)

    def _result_slide(self, m: svc.WallMotion, u: float) -> None:
        self._motion_head(m, u, 0.085)
        self.verdict.paint_as("#ffffff", PASSED if m.verdict else FAILED)
        self.verdict.fit(self.tr("PASSED") if m.verdict else self.tr("NOT PASSED"), self._rect(0.04, 0.31, 0.92, 0.14),
                         96 * u, 48 * u)
        self.reasons.paint_as(INK)
        self.reasons.fit("\n".join(m.reasons), self._rect(0.04, 0.46, 0.92, 0.31), 36 * u, 22 * u, 8)
        self._counts(m, self._rect(0.04, 0.775, 0.92, 0.10), u)
        self.rule.fit(fmt(self.tr("Rule: %1 (%2)"), m.rule, m.basis),
                      self._rect(0.04, 0.87, 0.92, 0.08), 32 * u, 18 * u)

    def _ordering_slide(self, s: svc.WallSlide, u: float) -> None:
        self.counts.fit(s.ordering_answered, self._rect(0.04, 0.21, 0.92, 0.07), 34 * u, 20 * u)
        if s.ordering_bars:
            self._bar_rows(s.ordering_bars, self._rect(0.04, 0.29, 0.92, 0.68), u, 2 if len(s.ordering_bars) > 4 else 1,
                           split=0.74)
        else:
            self.reasons.fit(self.tr("No answers yet"), self._rect(0.04, 0.40, 0.92, 0.10), 40 * u, 24 * u)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.slide is None or self.slide.kind == "title":
            return
        p = QPainter(self)
        p.fillRect(self._rect(0, 0, 1, 0.11), QColor(BAND))
        p.end()
