"""The page's feedback line: a banner at the top of a page saying what just happened.

Saved, signed in, printed, failed: what a worker must see goes here, on the page, not only in the
status bar at the window's foot. Success hides itself after a few seconds; an error stays until the
user closes it (×) or the next message replaces it; info stays until replaced or hidden.

Use:
    self.feedback = FeedbackBanner(self)      # put it in the page's layout, usually first
    layout.insertWidget(0, self.feedback)
    self.feedback.success(self.tr("Saved"))
    self.feedback.error(exc.describe(core_lang()))
    self.feedback.info(self.tr("Printing…"))

The main window also puts one banner above every page and shows each page's `status_message` there,
so a page that only emits status_message already shows on-page feedback; `banner_for(widget)` finds
the banner that covers a widget (the page's own, else the window's), for code shared between pages
(printing, ui/pdf.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

INFO, SUCCESS, ERROR = "info", "success", "error"
SUCCESS_MS = 6000  # a success note hides itself after this long

_STYLES = {
    INFO: "QFrame#feedback { background: #eaf2fb; border: 1px solid #9cc0e6; border-radius: 4px; }",
    SUCCESS: "QFrame#feedback { background: #e8f5e9; border: 1px solid #8bc58f; border-radius: 4px; }",
    ERROR: "QFrame#feedback { background: #fdecea; border: 1px solid #e39a92; border-radius: 4px; }",
}
_TEXT_COLOURS = {INFO: "#1c4f82", SUCCESS: "#1e6b27", ERROR: "#9b2c20"}


class FeedbackBanner(QFrame):
    """A one-message banner: info / success (auto-hides) / error (stays). Hidden while empty."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("feedback")
        self.kind: str | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel()
        self.label.setObjectName("feedbackText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.close_button = QToolButton()
        self.close_button.setObjectName("feedbackClose")
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Close"))
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    # --- the API -----------------------------------------------------------------------------------
    def info(self, text: str) -> None:
        self.show_message(text, INFO)

    def success(self, text: str, ms: int = SUCCESS_MS) -> None:
        self.show_message(text, SUCCESS, ms)

    def error(self, text: str) -> None:
        self.show_message(text, ERROR)

    def show_message(self, text: str, kind: str = INFO, ms: int | None = None) -> None:
        """Show `text` as `kind`; `ms` > 0 hides it after that long (success defaults to SUCCESS_MS)."""
        self._timer.stop()
        self.kind = kind
        self.setStyleSheet(_STYLES[kind])
        self.label.setStyleSheet(f"color: {_TEXT_COLOURS[kind]};")
        self.label.setText(text)
        self.show()
        if ms is None and kind == SUCCESS:
            ms = SUCCESS_MS
        if ms:
            self._timer.start(ms)

    def text(self) -> str:
        return self.label.text() if self.isVisible() or self.kind else ""

    def dismiss(self) -> None:
        self._timer.stop()
        self.kind = None
        self.label.clear()
        self.hide()
        self.closed.emit()


def banner_for(widget: QWidget | None) -> FeedbackBanner | None:
    """The banner covering `widget`: the nearest ancestor's own `feedback`, else the main window's."""
    node = widget
    while node is not None:
        banner = getattr(node, "feedback", None)
        if isinstance(banner, FeedbackBanner):
            return banner
        node = node.parentWidget()
    return None


def tell(widget: QWidget | None, text: str, kind: str = INFO) -> bool:
    """Show `text` in the banner covering `widget`; False when none does (then use a message box)."""
    banner = banner_for(widget)
    if banner is None:
        return False
    banner.show_message(text, kind)
    return True


def error_text(exc: BaseException) -> str:
    """What a failure says to the person, in the UI's language: a refusal's own text (core.problems.UserError:
    a refused input's problems one to a line, a coded refusal's message), else the exception's own text."""
    from renewal_desk.core.problems import UserError

    from ..i18n import core_lang

    return exc.text(core_lang()) if isinstance(exc, UserError) else str(exc)


def show_error(widget: QWidget | None, exc: BaseException) -> None:
    """Show a failure in the banner covering `widget`; without one, through its `status_message`."""
    text = error_text(exc)
    if tell(widget, text, ERROR):
        return
    signal = getattr(widget, "status_message", None)
    if signal is not None:
        signal.emit(text)
