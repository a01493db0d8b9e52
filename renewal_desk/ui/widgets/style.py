"""The app's few colours and text styles, named once (pages, dialogs and lists use these names)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

RED = "#b03a2e"  # refusals, problems, overdue, arrears, revealed personal data
GREEN = "#2e7d32"  # passed, paid, adopted
ERROR_STYLE = f"color: {RED};"  # a label's style for a refusal or a problem list


def page_heading(text: str) -> QLabel:
    """The big title at the top of a page."""
    label = QLabel(text)
    label.setStyleSheet("font-size: 20pt; font-weight: bold;")
    return label
