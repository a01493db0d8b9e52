"""Register the shipped CJK fonts with Qt so no machine shows tofu, whatever fonts it has."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from renewal_desk.core.font_files import font_paths

_families: list[str] = []


def register_fonts() -> list[str]:
    """Add the primary font and the rare-character fallbacks; returns their family names in order."""
    if _families:
        return _families
    for path in font_paths().values():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in _families:
                    _families.append(family)
    return _families


def app_font(point_size: int = 10) -> QFont:
    font = QFont()
    families = register_fonts()
    if families:
        font.setFamilies(families)
    font.setPointSize(point_size)
    return font
