"""The bundle's workbook: the same tables as the JSON Lines files, one sheet per record type with
Chinese column headers, and a first sheet describing every field (for Excel and WPS users).

openpyxl's write-only mode streams rows to disk, so a large community does not fill the memory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from . import spec

FIELDS_SHEET = "字段说明"
TOMBSTONES_SHEET = "删除记录"
MAX_CELL = 32767
KIND_LABELS = {
    "uuid": "唯一标识 UUID", "utc": "时间 UTC ISO 8601", "base": "时间 UTC ISO 8601", "datetime": "当地时间 ISO 8601",
    "date": "日期 ISO 8601", "decimal": "小数（文本）decimal string", "int": "整数 integer", "bool": "是/否 boolean",
    "str": "文本 text", "ref": "引用（UUID）reference", "reflist": "引用列表（UUID）list of references",
    "values": "代码列表 list of codes", "objects": "对象列表（JSON）list of objects",
}
PERSONAL_LABELS = {spec.MASK_NAME: "姓名：默认遮蔽", spec.MASK_ID: "证件号：默认遮蔽", spec.MASK_PHONE: "电话：默认遮蔽",
                   spec.OMIT: "默认不导出"}


def headers(rt: spec.RecordType) -> list[str]:
    return [spec.label(rt.name, f.name)[0] for f in spec.fields(rt)]


def cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            value = json.dumps(value, ensure_ascii=False)
        else:
            value = "、".join(str(v) for v in value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return value if len(value) <= MAX_CELL else value[:MAX_CELL - 1] + "…"
    return value


class _Sheet:
    def __init__(self, ws, names: list[str]):
        self.ws, self.names = ws, names

    def append(self, record: dict) -> None:
        self.ws.append([cell(record[n]) for n in self.names])


class Writer:
    def __init__(self, path: Path, full_personal_data: bool):
        self.path = path
        self.book = Workbook(write_only=True)
        bold = Font(bold=True)
        ws = self.book.create_sheet(FIELDS_SHEET)
        ws.append(self._header(ws, ("工作表", "数据文件", "字段", "中文名", "类型", "说明", "个人信息", "代码表"), bold))
        for rt in spec.RECORD_TYPES:
            for f in spec.fields(rt):
                zh, en = spec.label(rt.name, f.name)
                personal = PERSONAL_LABELS.get(f.personal, "") if not full_personal_data else (
                    "完整导出" if f.personal else "")
                ws.append([rt.zh, f"data/{rt.name}.jsonl", f.name, zh, KIND_LABELS[f.kind], en, personal,
                           "、".join(f.codes)])
        self._bold_font = bold

    @staticmethod
    def _header(ws, names, font: Font) -> list[WriteOnlyCell]:
        cells = []
        for name in names:
            c = WriteOnlyCell(ws, value=name)
            c.font = font
            cells.append(c)
        return cells

    def sheet(self, rt: spec.RecordType) -> _Sheet:
        ws = self.book.create_sheet(rt.zh)
        ws.freeze_panes = "A2"
        ws.append(self._header(ws, headers(rt), self._bold_font))
        return _Sheet(ws, [f.name for f in spec.fields(rt)])

    def tombstones(self, rows: list[dict]) -> None:
        ws = self.book.create_sheet(TOMBSTONES_SHEET)
        ws.append(self._header(ws, ("记录类型", "唯一标识", "删除时间"), self._bold_font))
        for t in rows:
            ws.append([spec.BY_NAME[t["record_type"]].zh, t["uuid"], t["deleted_at"]])

    def close(self) -> None:
        self.book.save(self.path)
        self.closed = True

    def abort(self) -> None:
        """Finish the sheets' streams after a cancel or failure (the caller removes the files)."""
        if getattr(self, "closed", False):
            return
        for ws in self.book.worksheets:
            try:
                ws.close()
            except Exception:  # noqa: BLE001 - best effort: the temporary folder is removed anyway
                pass
        self.closed = True
