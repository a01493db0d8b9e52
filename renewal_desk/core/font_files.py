"""The shipped fonts' files, without importing reportlab: the window registers them with Qt at start-up
(before anything is printed), core.printing.fonts registers the same files with reportlab when printing."""

from __future__ import annotations

from pathlib import Path

from renewal_desk.core.paths import resource

PRIMARY = "RDSans"
BOLD = "RDSansBold"
FALLBACK_A = "RDFallbackA"
FALLBACK_B = "RDFallbackB"

# reportlab name -> (file in resources/fonts, sub-font index of a collection or None)
FILES: dict[str, tuple[str, int | None]] = {
    PRIMARY: ("wqy-microhei.ttc", 0),
    FALLBACK_A: ("HanaMinA-ext.ttf", None),
    FALLBACK_B: ("HanaMinB.ttf", None),
}


def font_paths() -> dict[str, Path]:
    """reportlab font name -> file; the Qt side adds the same files to QFontDatabase."""
    return {name: resource("fonts", filename) for name, (filename, _index) in FILES.items()}
