"""Renders the application icon from resources/icons/renewal-desk.svg (the one source) into the
files installers need: PNGs for Linux's hicolor theme and a Windows .ico.

    .venv/bin/python installers/make_icons.py          # rewrite the committed icons
    .venv/bin/python installers/make_icons.py --check  # exit 1 if they differ from the SVG

Qt's QSvgRenderer does the drawing (no ImageMagick). The .ico is written here too: 16-128 px as
32-bit DIBs with an AND mask (what every Windows tool reads, Inno Setup's SetupIconFile included),
256 px as PNG (the Vista+ layout, as Windows' own icons are stored). The generated files are
committed, so a build needs nothing but the checkout; tests/test_installers.py runs --check.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "resources" / "icons"
SVG = ICONS / "renewal-desk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_SIZES = (16, 32, 48, 64, 128, 256)  # hicolor theme sizes the .deb installs


def render(size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image) -> bytes:
    """A 32-bit BGRA DIB as an .ico stores it: header with doubled height, rows bottom-up, AND mask."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    mask_rows = []
    mask_stride = ((size + 31) // 32) * 4
    for y in range(size - 1, -1, -1):
        row = bytearray()
        mask = bytearray(mask_stride)
        for x in range(size):
            argb = image.pixel(x, y)
            a, r, g, b = (argb >> 24) & 0xFF, (argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF
            row += bytes((b, g, r, a))
            if a == 0:
                mask[x // 8] |= 0x80 >> (x % 8)
        rows.append(bytes(row))
        mask_rows.append(bytes(mask))
    return header + b"".join(rows) + b"".join(mask_rows)


def ico_bytes(images: dict[int, object]) -> bytes:
    entries = []
    blobs = []
    offset = 6 + 16 * len(images)
    for size in sorted(images):
        blob = png_bytes(images[size]) if size >= 256 else dib_bytes(images[size])
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return struct.pack("<HHH", 0, 1, len(images)) + b"".join(entries) + b"".join(blobs)


def outputs() -> dict[Path, bytes]:
    images = {size: render(size) for size in SIZES}
    files = {ICONS / f"renewal-desk-{size}.png": png_bytes(images[size]) for size in PNG_SIZES}
    files[ICONS / "renewal-desk.ico"] = ico_bytes(images)
    return files


TOLERANCE = 2  # per colour channel: Qt's rasteriser rounds a few edge pixels differently on other CPUs


def _pixels(image) -> bytes:
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return bytes(image.constBits())[: image.sizeInBytes()]


def _close(a: bytes, b: bytes) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= TOLERANCE for x, y in zip(a, b) if x != y)


def _ico_entries(data: bytes) -> list[bytes]:
    count = struct.unpack_from("<HHH", data)[2]
    entries = []
    for i in range(count):
        _w, _h, _c, _r, _p, _bits, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        entries.append(data[offset:offset + length])
    return entries


def same_icon(committed: bytes, rendered: bytes) -> bool:
    """The committed file shows what the SVG renders here, up to a rounding of edge pixels (not byte-equal:
    PNG and DIB bytes of the same picture differ between machines by a unit in a few pixels)."""
    from PySide6.QtGui import QImage

    if committed == rendered:
        return True
    if committed[:8] == b"\x89PNG\r\n\x1a\n":
        a, b = QImage.fromData(committed), QImage.fromData(rendered)
        return not a.isNull() and a.size() == b.size() and _close(_pixels(a), _pixels(b))
    try:
        old, new = _ico_entries(committed), _ico_entries(rendered)
    except struct.error:
        return False
    if committed[:6] != rendered[:6] or len(old) != len(new):
        return False
    for a, b in zip(old, new):
        if a[:8] == b"\x89PNG\r\n\x1a\n" or b[:8] == b"\x89PNG\r\n\x1a\n":
            if not same_icon(a, b):
                return False
        elif a[:40] != b[:40] or not _close(a[40:], b[40:]):  # DIB: header equal, pixels and mask close
            return False
    return True


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage/QPainter need it
    files = outputs()
    if "--check" in argv:
        stale = [p for p, data in files.items() if not p.exists() or not same_icon(p.read_bytes(), data)]
        for path in stale:
            print(f"stale or missing: {path.relative_to(REPO)} (run installers/make_icons.py)")
        return 1 if stale else 0
    for path, data in files.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(REPO)} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
