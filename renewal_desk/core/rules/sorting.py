"""Natural ordering keys: "2号楼" before "10号楼", "1单元 301" before "1单元 1201"."""

import re

_DIGITS = re.compile(r"\d+")


def natural_key(text: str) -> str:
    """A string that sorts naturally under plain text comparison (SQL ORDER BY)."""
    return _DIGITS.sub(lambda m: m.group().lstrip("0").rjust(8, "0") if len(m.group()) <= 8 else m.group(), text or "")


def address_key(*parts: str) -> str:
    return "\x1f".join(natural_key(p) for p in parts)
