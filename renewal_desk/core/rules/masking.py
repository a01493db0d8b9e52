"""Masking of personal information for public notices, the projector and exports (PIPL):
names "张*" or "李○明", ID numbers "110105********1234", mobiles "138****1234"."""

from __future__ import annotations

import unicodedata
from typing import Any

from renewal_desk.core.rules.idcard import mask_id_number
from renewal_desk.core.rules.phone import mask_phone

__all__ = ["mask_name", "mask_id_number", "mask_phone", "mask_field", "name_characters"]


def _joins_previous(ch: str) -> bool:
    """Combining marks and variation selectors (incl. the ideographic variation selectors used
    for rare name characters) belong to the character before them."""
    cp = ord(ch)
    return (
        0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or unicodedata.category(ch) in ("Mn", "Me", "Mc")
    )


def name_characters(name: str) -> list[str]:
    """The characters a reader sees: one per code point (𠮷 is one), marks kept with their base."""
    chars: list[str] = []
    for ch in name:
        if chars and _joins_previous(ch):
            chars[-1] += ch
        else:
            chars.append(ch)
    return chars


def mask_name(name: Any, style: str = "star") -> str:
    """"star": keep the first character, star the rest ("张*", "张**"); a one-character name is "*".
    "middle": keep the first and last, ○ in between ("李○明"); two characters give "李○"."""
    chars = name_characters("" if name is None else str(name).strip())
    if not chars:
        return ""
    if style == "star":
        return "*" if len(chars) == 1 else chars[0] + "*" * (len(chars) - 1)
    if style == "middle":
        if len(chars) == 1:
            return "○"
        if len(chars) == 2:
            return chars[0] + "○"
        return chars[0] + "○" * (len(chars) - 2) + chars[-1]
    raise ValueError(f"unknown mask style {style!r}")


def mask_field(field: str | None, value: str) -> str:
    """`value` masked as the personal data its field holds (ID number, phone); other fields unchanged."""
    if field == "id_number":
        return mask_id_number(value)
    if field == "phone":
        return mask_phone(value)
    return value
