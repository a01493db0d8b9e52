"""The bundle's workbook: the same tables as the JSON Lines files, one sheet per record type with
Chinese column headers, and a first sheet describing every field (for Excel and WPS users).

Written as a streaming Office Open XML package: each sheet's rows go straight into the zip, cells as
inline strings or numbers, one bold style for the header row, the header row frozen. openpyxl's
write-only mode spent about 30 µs per cell (half the export of a 20,000-household community); this
writer does the same package in a fraction of that: each sheet's row is one generated function
(row_function), the parts are deflated by ISA-L on a worker thread (Background). Tests read the
result back with openpyxl and with LibreOffice headless.
"""

from __future__ import annotations

import queue
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

from . import bundle, spec

FIELDS_SHEET = "字段说明"
TOMBSTONES_SHEET = "删除记录"
MAX_CELL = 32767
MAX_ROWS = 1_048_576
KIND_LABELS = {
    "uuid": "唯一标识 UUID", "utc": "时间 UTC ISO 8601", "base": "时间 UTC ISO 8601", "datetime": "当地时间 ISO 8601",
    "date": "日期 ISO 8601", "decimal": "小数（文本）decimal string", "int": "整数 integer", "bool": "是/否 boolean",
    "str": "文本 text", "ref": "引用（UUID）reference",
    "owner": "所属记录（UUID，类型见 owner_table）reference to the owner", "reflist": "引用列表（UUID）list of references",
    "values": "代码列表 list of codes", "objects": "对象列表（JSON）list of objects",
}
PERSONAL_LABELS = {spec.MASK_NAME: "姓名：默认遮蔽", spec.MASK_ID: "证件号：默认遮蔽", spec.MASK_PHONE: "电话：默认遮蔽",
                   spec.OMIT: "默认不导出"}
FIELD_HEADERS = ("工作表", "数据文件", "字段", "中文名", "类型", "说明", "个人信息", "代码表")
TOMBSTONE_HEADERS = ("记录类型", "唯一标识", "删除时间")

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
def column_letter(n: int) -> str:
    """Excel's column name of the n-th column (1 → A, 27 → AA), as openpyxl's get_column_letter: written here so
    writing a workbook (and the exchange page) does not load openpyxl (~0.3 s, ~12 MB) just for the letters."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [column_letter(i) for i in range(1, 200)]
_list_json = bundle.json_encoder(", ", ": ")  # json.dumps(value, ensure_ascii=False)


def headers(rt) -> list[str]:
    return [spec.label(rt.name, f.name)[0] for f in spec.all_fields(rt)]


def cell(value: Any) -> Any:
    """The value a sheet shows: 是/否, lists joined with 、 (objects as JSON), text cut to Excel's limit."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            value = _list_json(value)
        else:
            value = "、".join(str(v) for v in value)
    if isinstance(value, str):
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        return value if len(value) <= MAX_CELL else value[:MAX_CELL - 1] + "…"
    return value


def _xml_cell(ref: str, value: Any, style: str = "") -> str:
    value = cell(value)
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'


_PLAIN_KINDS = {"uuid", "ref", "owner", "utc", "base", "datetime", "date", "decimal"}  # never need escaping


_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str, special=_SPECIAL.search) -> str:
    if special(value) is None and len(value) <= MAX_CELL:  # nearly every value: nothing to do
        return value
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if len(value) > MAX_CELL:
        value = value[:MAX_CELL - 1] + "…"
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _cell_source(kind: str, letter: str, v: str, clean: bool) -> str:
    """The expression for one cell in row_function's generated code (R: the row number as text, `v`
    the value's variable; `clean`: the row's text values are known to need no escaping or cutting)."""
    if kind in _PLAIN_KINDS:  # uuid, times, dates, decimals: validated, never need escaping
        return f"(\"\" if {v} is None else f'<c r=\"{letter}{{R}}\" t=\"inlineStr\"><is><t>{{{v}}}</t></is></c>')"
    if kind == "int":
        return f"(\"\" if {v} is None else f'<c r=\"{letter}{{R}}\"><v>{{{v}}}</v></c>')"
    if kind == "str":
        text = v if clean else f"_text({v})"
        return (f"(\"\" if {v} is None else f'<c r=\"{letter}{{R}}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                f"{{{text}}}</t></is></c>')")
    if kind == "bool":  # 是/否, as cell() writes them
        return (f"(\"\" if {v} is None else f'<c r=\"{letter}{{R}}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                f"{{\"是\" if {v} is True else \"否\"}}</t></is></c>' if type({v}) is bool "
                f"else _xml_cell('{letter}' + R, {v}))")
    if kind in ("reflist", "values"):  # lists of text joined with 、, as cell() writes them
        return (f"(\"\" if {v} is None else f'<c r=\"{letter}{{R}}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                f"{{_text(\"、\".join({v}))}}</t></is></c>' if type({v}) is list and all(type(x) is str for x in {v}) "
                f"else _xml_cell('{letter}' + R, {v}))")
    if kind == "objects":  # JSON text, as cell() writes it
        return (f"(\"\" if {v} is None else f'<c r=\"{letter}{{R}}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                f"{{_objects_text({v})}}</t></is></c>' if type({v}) is list else _xml_cell('{letter}' + R, {v}))")
    return f"(\"\" if {v} is None else _xml_cell('{letter}' + R, {v}))"


def _objects_text(value) -> str:
    """What _xml_cell writes inside <t> for a list of objects: the JSON text, cleaned and escaped.
    JSON text in ASCII without & < > (an order's choices: UUIDs, numbers, codes) needs neither (JSON
    escapes control characters itself)."""
    text = cell(value)
    if text.isascii() and len(text) <= MAX_CELL and "&" not in text and "<" not in text and ">" not in text:
        return text
    return _text(text)


def row_function(names: list[str], kinds: list[str]):
    """(record, row number) -> the row's XML, generated for one sheet: what _xml_cell writes cell by
    cell, without a function call per cell (tests compare the two). The text values of a row are
    checked together: when none holds a character to escape or drop and all fit a cell (nearly every
    row), they are written as they are; otherwise each goes through _text."""
    values = [f"v{i}" for i in range(len(names))]
    texts = [v for v, k in zip(values, kinds) if k == "str"]
    lines = ["def row(rec, R):", "    R = str(R)"]
    lines += [f"    {v} = rec[{n!r}]" for v, n in zip(values, names)]

    def body(clean: bool) -> str:
        cells = ",\n        ".join(_cell_source(k, letter, v, clean) for v, letter, k in zip(values, _LETTERS, kinds))
        return f"''.join((f'<row r=\"{{R}}\">',\n        {cells},\n        '</row>'))"

    if texts:
        lines += ["    try:",
                  f"        joined = ''.join([x for x in ({', '.join(texts)},) if x])",
                  "        clean = len(joined) <= MAX_CELL and special(joined) is None",
                  "    except TypeError:  # a value that is not text: the careful way",
                  "        clean = False",
                  "    if clean:",
                  f"        return {body(True)}"]
    lines.append(f"    return {body(False)}")
    env = {"_text": _text, "_xml_cell": _xml_cell, "_objects_text": _objects_text, "special": _SPECIAL.search,
           "MAX_CELL": MAX_CELL}
    exec("\n".join(lines) + "\n", env)  # noqa: S102 - built from spec.py's field names and kinds, no data in it
    return env["row"]


def _deflater():
    """A factory of raw-deflate compressors for zip members: ISA-L's (python-isal; about four times as
    fast as zlib's level 1 and smaller) when installed, zlib's level 1 otherwise. Both write plain
    deflate that every zip reader inflates."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - isal is a dependency; a platform without its wheel still works
        import zlib

        return lambda: zlib.compressobj(1, zlib.DEFLATED, -15)
    return lambda: isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)


_new_deflater = _deflater()


def open_deflated(zf: zipfile.ZipFile, member: str | zipfile.ZipInfo):
    """zf.open(member, "w") for a deflated member, compressed by _new_deflater's compressor. The zip
    module makes its own zlib compressor; the stream's compressor is swapped before the first byte."""
    stream = zf.open(member, "w", force_zip64=True)
    if getattr(stream, "_compressor", None) is not None:
        stream._compressor = _new_deflater()
    return stream


class Background:
    """One worker thread running the calls given to it, in order: compressing the workbook's parts
    (zlib and the file writes release the GIL, so this runs beside the export's Python work on a second
    core). The first failure is raised in the caller at its next call, at finish() or at abort()."""

    def __init__(self, name: str = "export-writer"):
        self.queue: queue.Queue = queue.Queue(maxsize=32)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            call = self.queue.get()
            if call is None:
                return
            if self.error is None:
                try:
                    call()
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    self.error = exc

    def put(self, call) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(call)

    def finish(self) -> None:
        """Wait for every call given so far; raise the first failure."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


class _Sheet:
    """One worksheet part being streamed into the package."""

    def __init__(self, zf: zipfile.ZipFile, index: int, names: list[str], titles: list[str],
                 kinds: list[str] | None = None, worker: Background | None = None):
        self.names, self.row = names, 1
        self.render = row_function(names, kinds or ["any"] * len(names))
        self.stream = None
        self.worker = worker
        part = f"xl/worksheets/sheet{index}.xml"
        self._run(lambda: setattr(self, "stream", open_deflated(zf, part)))
        self.buffer: list[str] = []
        width = len(titles)
        self._write(f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView>'
                    '</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
                    f'<cols><col min="1" max="{max(width, 1)}" width="18" customWidth="1"/></cols><sheetData>')
        self._row(titles, ' s="1"')

    def _write(self, text: str) -> None:
        self.buffer.append(text)
        if len(self.buffer) >= 512:
            self.flush()

    def _run(self, call) -> None:
        if self.worker is None:
            call()
        else:
            self.worker.put(call)

    def flush(self) -> None:
        if self.buffer:
            data = "".join(self.buffer).encode("utf-8")
            self.buffer.clear()
            self._run(lambda: self.stream.write(data))

    def _row(self, values, style: str = "") -> None:
        if self.row > MAX_ROWS:
            return  # Excel's limit; the JSON Lines file holds every record
        r = self.row
        cells = "".join(_xml_cell(f"{_LETTERS[i]}{r}", v, style) for i, v in enumerate(values))
        self._write(f'<row r="{r}">{cells}</row>')
        self.row += 1

    def append(self, record: dict) -> None:
        if self.row > MAX_ROWS:
            return
        self._write(self.render(record, self.row))
        self.row += 1

    def append_values(self, values) -> None:
        self._row(list(values))

    def close(self) -> None:
        self._write("</sheetData></worksheet>")
        self.flush()
        self._run(lambda: self.stream.close())


class Writer:
    """Sheets are written one after the other, in the order of spec.RECORD_TYPES."""

    def __init__(self, path: Path, full_personal_data: bool, worker: Background | None = None):
        self.path = path
        self.titles = ([FIELDS_SHEET] + [rt.zh for rt in spec.RECORD_TYPES] + [d.zh for d in spec.DERIVED_TYPES]
                       + [TOMBSTONES_SHEET])
        self.zf = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        # the sheets are compressed and written by a worker thread, in order (the caller's, if given)
        self.worker = worker if worker is not None else Background()
        self.closed = False
        self.current: _Sheet | None = None
        self.index = 0
        self._package_parts()
        fields = self._next(list(FIELD_HEADERS), list(FIELD_HEADERS))
        for rt in (*spec.RECORD_TYPES, *spec.DERIVED_TYPES):
            for f in spec.all_fields(rt):
                zh, en = spec.label(rt.name, f.name)
                if full_personal_data:
                    personal = "完整导出" if f.personal else ""
                else:
                    personal = PERSONAL_LABELS.get(f.personal, "")
                fields.append_values([rt.zh, f"data/{rt.name}.jsonl", f.name, zh, KIND_LABELS[f.kind], en, personal,
                                      "、".join(spec.code_words(rt.name, f.name, f.codes))])

    def _package_parts(self) -> None:
        n = len(self.titles)
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
        self.zf.writestr("[Content_Types].xml", (
            f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f'{overrides}</Types>'))
        self.zf.writestr("_rels/.rels", (
            f'{XML_HEAD}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        sheets = "".join(f'<sheet name="{t.translate(_ESCAPES)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, t in enumerate(self.titles, start=1))
        self.zf.writestr("xl/workbook.xml", (
            f'{XML_HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><bookViews><workbookView/></bookViews>'
            f'<sheets>{sheets}</sheets></workbook>'))
        rels = "".join(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, n + 1))
        self.zf.writestr("xl/_rels/workbook.xml.rels", (
            f'{XML_HEAD}<Relationships xmlns="{PKG_REL_NS}">{rels}<Relationship Id="rId{n + 1}" '
            f'Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>'))
        self.zf.writestr("xl/styles.xml", (
            f'{XML_HEAD}<styleSheet xmlns="{MAIN_NS}">'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '</styleSheet>'))

    def _next(self, names: list[str], titles: list[str], kinds: list[str] | None = None) -> _Sheet:
        if self.current is not None:
            self.current.close()
        self.index += 1
        self.current = _Sheet(self.zf, self.index, names, titles, kinds, self.worker)
        return self.current

    def sheet(self, rt) -> _Sheet:
        assert self.titles[self.index] == rt.zh, "sheets are written in the order of spec.RECORD_TYPES"
        fields = spec.all_fields(rt)
        return self._next([f.name for f in fields], headers(rt), [f.kind for f in fields])

    def tombstones(self, rows: list[dict]) -> None:
        sheet = self._next(list(TOMBSTONE_HEADERS), list(TOMBSTONE_HEADERS))
        for t in rows:
            sheet.append_values([spec.BY_NAME[t["record_type"]].zh, t["uuid"], t["deleted_at"]])

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None
        if self.worker is not None:
            self.worker.finish()
        self.zf.close()
        self.closed = True

    def abort(self) -> None:
        """Close the package after a cancel or failure (the caller removes the temporary folder)."""
        if self.closed:
            return
        try:
            try:
                if self.worker is not None:
                    self.worker.finish()
            except BaseException:  # noqa: BLE001 - the failure that matters is already being raised
                pass
            if self.current is not None and self.current.stream is not None:
                self.current.stream.close()
            self.zf.close()
        except Exception:  # noqa: BLE001 - best effort: the temporary folder is removed anyway
            pass
        self.closed = True
