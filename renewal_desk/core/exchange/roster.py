"""Reading a community's resident roster (住户花名册) from an XLSX file, as staff really keep them:
title rows and merged cells above the header, header aliases (户主姓名, 身份证号码, 幢, 门牌号,
产权面积（㎡）...), building numbers merged down over many rows, full-width digits, blank and
duplicate rows, ID numbers that Excel turned into numbers.

The result is every row, normalised, with every problem found (row number, column letter, field,
reason). Nothing is guessed: a refused value is reported, not repaired.

Decisions:
- The file is read with openpyxl in read-only mode (fast for 10,000+ rows). Read-only mode does not
  expose merged cells, so the merge ranges are read from the sheet's XML (<mergeCell ref=...>) and
  every merge spanning several rows is filled down: the merged value applies to each row it covers,
  as on screen. Empty cells that are not merged are not filled (that would be a guess).
- A file that cannot be opened at all (missing, not XLSX, corrupted, no such sheet) raises
  InputError (roster.not_found / not_xlsx / unreadable / no_sheet). Problems with the content
  (empty sheet, no header, missing required column) are file-level problems in RosterParse.problems.
- Without `sheet`, the first worksheet whose first 30 rows contain a recognisable header is read.
- There is no date field in a roster; a date cell in a text column (备注) becomes "2023-05-01".
- The header is the first of the first 30 rows whose cells match at least two aliases, one of
  them a name column. A second header row right below it (only header words, e.g. 楼栋/单元/房号
  under a merged 房屋信息) is merged into the mapping and skipped.
- Required columns: name, building, room. If one is missing no rows are parsed.
- Blank rows (every mapped cell empty, or filled only by a merge from above) are skipped;
  `blank_rows` counts those between data rows (not the trailing ones).
- A row is a duplicate of an earlier row with the same ID number (15-digit numbers compared in
  their 18-digit form), the same (building, unit, room, name), or exactly the same cells; the later
  row gets roster.duplicate_in_file (an error) pointing at the first. The same ID number under the
  same name in another home is not a duplicate: it is one owner of several units.
- Area source: a 面积来源 column decides (测绘/实测 -> surveyed, 合同 -> contract, 登记/产权 ->
  registered); otherwise the area header does (测绘面积/实测面积 -> surveyed, 合同面积 -> contract,
  anything else -> registered, the area Art. 278 counting uses first).
- Names lose the spaces typed between Han characters to align them ("张  三" -> "张三").
- A refused ID number or phone keeps its cleaned text in the row (for display); area is None.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from renewal_desk.core.problems import FIELD_LABELS, InputError, Problem, declare
from renewal_desk.core.rules.idcard import ID_LEGACY15, IdInfo, legacy_to_18, same_person_name, validate_id_number
from renewal_desk.core.rules.phone import normalize_phone
from renewal_desk.core.rules.text import normalize_name, normalize_text, parse_area, refuse, shorten

FIELDS = ("building", "unit", "room", "name", "id_number", "phone", "area", "note", "relation", "area_source", "block")
REQUIRED = ("name", "building", "room")
TEXT_FIELDS = ("building", "unit", "room", "name", "note", "relation", "block")
HEADER_SCAN_ROWS = 30
MAX_CELL_CHARS = 200

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "building": ("楼栋", "幢", "栋", "楼号", "楼栋号", "幢号", "楼幢", "楼幢号", "栋号"),
    "unit": ("单元", "单元号"),
    "room": ("房号", "室", "室号", "门牌号", "房间号", "户号", "门牌"),
    "name": ("姓名", "户主", "户主姓名", "居民姓名", "业主姓名", "业主", "住户姓名"),
    "id_number": ("身份证", "身份证号", "身份证号码", "证件号码", "证件号", "公民身份号码", "户主身份证号"),
    "phone": ("电话", "联系电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "area": ("面积", "建筑面积", "产权面积", "专有面积", "房屋面积", "登记面积", "测绘面积", "实测面积", "合同面积"),
    "note": ("备注", "说明"),
    "relation": ("与户主关系", "关系"),
    "block": ("片区", "小区", "街区"),
    "area_source": ("面积来源",),
}
AREA_HEADER_SOURCES = {"测绘面积": "surveyed", "实测面积": "surveyed", "合同面积": "contract"}

NOT_FOUND = declare("roster.not_found", "找不到文件：{value}", "File not found: {value}")
NOT_XLSX = declare(
    "roster.not_xlsx",
    "不是 .xlsx 文件：{value}。旧版 .xls、WPS .et、.csv 或加密的文件，请先在 Excel/WPS 中另存为“Excel 工作簿（.xlsx）”",
    "Not an .xlsx file: {value}. Save old .xls, WPS .et, .csv or encrypted files as an Excel workbook (.xlsx) first",
)
UNREADABLE = declare(
    "roster.unreadable",
    "文件已损坏或无法读取：{value}（{reason}）",
    "The file is damaged or cannot be read: {value} ({reason})",
)
NO_SHEET = declare(
    "roster.no_sheet", "工作簿中没有名为“{sheet}”的工作表（现有：{sheets}）", "No sheet named {sheet!r} (sheets: {sheets})"
)
EMPTY = declare("roster.empty", "工作表是空的", "The sheet is empty")
NO_HEADER = declare(
    "roster.no_header",
    "前 {rows} 行中没有找到表头（需要姓名列和至少一个其他可识别的列），请手动指定表头行和各列的含义",
    "No header found in the first {rows} rows (a name column and at least one other recognised column "
    "are needed); choose the header row and the columns by hand",
)
HEADER_ROW_RANGE = declare(
    "roster.header_row_out_of_range",
    "指定的表头行 {header_row} 不在表格范围内（共 {rows} 行）",
    "Header row {header_row} is outside the sheet ({rows} rows)",
)
MISSING_COLUMN = declare(
    "roster.missing_column",
    "缺少必需的列：{label}，请在列对应关系中指定",
    "Required column missing: {label_en}; map it by hand",
)
NO_ROWS = declare("roster.no_rows", "表头下面没有数据行", "There are no data rows below the header")
NAME_EMPTY = declare("roster.name_empty", "姓名为空", "Name is empty")
BUILDING_EMPTY = declare("roster.building_empty", "楼栋为空", "Building is empty")
ROOM_EMPTY = declare("roster.room_empty", "房号为空", "Room is empty")
TOO_LONG = declare(
    "roster.too_long",
    "内容过长（{length} 个字符，最多 {limit} 个），请精简后重新导入",
    "Too long ({length} characters, at most {limit}); shorten it and import again",
)
DUPLICATE = declare(
    "roster.duplicate_in_file", "与第 {first_row} 行重复", "Duplicate of row {first_row}"
)
AREA_SOURCE_UNKNOWN = declare(
    "roster.area_source_unknown",
    "面积来源无法识别：{value}（应为 登记 / 测绘 / 合同），已按表头默认处理",
    "Unrecognised area source: {value} (registered / surveyed / contract); the column default was used",
)
_EMPTY_CODES = {"name": NAME_EMPTY, "building": BUILDING_EMPTY, "room": ROOM_EMPTY}


@dataclass
class RosterRow:
    excel_row: int  # 1-based, as Excel shows it
    building: str
    unit: str  # "" if absent
    room: str
    name: str
    id_number: str | None  # 18 characters or legacy 15 digits; cleaned text if refused; None if empty
    phone: str | None  # normalised; cleaned text if refused; None if empty
    area: Decimal | None  # None if empty or refused
    note: str
    relation: str
    block: str
    area_source: str  # "registered" | "surveyed" | "contract"
    problems: list[Problem] = field(default_factory=list)
    # what validate_id_number found for a valid id_number (birth date, gender), for the import to use
    id_info: IdInfo | None = field(default=None, repr=False, compare=False)

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class RosterParse:
    path: str
    sheet: str
    header_row: int | None  # Excel row number of the header
    mapping: dict[str, int]  # canonical field -> 0-based column index
    headers: list[str]
    unmapped_headers: list[str]
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # file-level
    blank_rows: int = 0
    # The first PREVIEW_ROWS rows of the sheet as preview_rows() shows them, taken by read_roster from
    # the same read (a dialog need not open and scan the file a second time).
    preview: list[list[str]] = field(default_factory=list, repr=False, compare=False)

    def all_problems(self) -> list[Problem]:
        out = list(self.problems)
        for row in self.rows:
            out.extend(row.problems)
        return out

    @property
    def error_count(self) -> int:
        return sum(p.severity == "error" for p in self.all_problems())

    @property
    def warning_count(self) -> int:
        return sum(p.severity == "warning" for p in self.all_problems())

    @property
    def valid_rows(self) -> list[RosterRow]:
        return [r for r in self.rows if r.valid]

    @property
    def invalid_rows(self) -> list[RosterRow]:
        return [r for r in self.rows if not r.valid]


# ------------------------------------------------------------------------------------ headers
_BRACKETED = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]")
_HEADER_NOISE = re.compile(r"[\s*:：]|(㎡|m²|m2|平方米|平米)$", re.IGNORECASE)


def header_key(text: Any) -> str:
    """"产权面积（㎡）" -> "产权面积"; "户主\\n姓名" -> "户主姓名"; "姓名*" -> "姓名"."""
    key = _BRACKETED.sub("", normalize_text(text))
    return _HEADER_NOISE.sub("", key).lower()


_ALIAS_INDEX = {header_key(a): f for f, aliases in HEADER_ALIASES.items() for a in aliases}


def match_header(text: Any) -> str | None:
    """The canonical field a header cell names, or None."""
    return _ALIAS_INDEX.get(header_key(text)) if text is not None else None


def _map_row(row: Sequence[Any]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for j, cell in enumerate(row):
        f = match_header(cell)
        if f and f not in mapping:
            mapping[f] = j
    return mapping


def _subheader(row: Sequence[Any] | None, mapping: dict[str, int]) -> dict[str, int] | None:
    """Fields named by a second header row (only header words in it), or None if it is data."""
    if row is None:
        return None
    found: dict[str, int] = {}
    for j, cell in enumerate(row):
        if _blank(cell):
            continue
        f = match_header(cell)
        if f is None:
            return None
        if f not in mapping and f not in found:
            found[f] = j
    return found if any(not _blank(c) for c in row) else None  # {} : header words already mapped


def guess_header(rows: Sequence[Sequence[Any]]) -> tuple[int | None, dict[str, int]]:
    """(0-based index into rows, field -> 0-based column) of the header, or (None, {}).
    The header is the first of the first 30 rows with a name column and one more known column;
    a second header row directly below adds its fields."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping = _map_row(row)
        if "name" in mapping and len(mapping) >= 2:
            extra = _subheader(rows[i + 1] if i + 1 < len(rows) else None, mapping)
            return i, {**mapping, **(extra or {})}
    return None, {}


def column_letter(index0: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    n = index0 + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


# ------------------------------------------------------------------------------------- cells
def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not normalize_text(value))


def cell_text(value: Any) -> str:
    """A cell as text: dates as ISO dates, integral floats without ".0", text normalised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return normalize_text(value)


def _area_source(text: str) -> str | None:
    if any(k in text for k in ("测绘", "实测", "测量", "surveyed")):
        return "surveyed"
    if any(k in text for k in ("合同", "预售", "购房", "contract")):
        return "contract"
    if any(k in text for k in ("登记", "产权", "不动产", "权证", "房产证", "registered")):
        return "registered"
    return None


# ------------------------------------------------------------------------------------ reading
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _merged_ranges(ws: Any, path: Path) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 0-based, of the sheet's merged cells."""
    try:
        with ws._get_source() as src:  # openpyxl read-only internals (pinned version)
            xml = src.read()
    except AttributeError:  # openpyxl changed: fall back to a full (slow) load for the merges
        import openpyxl

        full = openpyxl.load_workbook(path, read_only=False)
        try:
            return [
                (r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
                for r in full[ws.title].merged_cells.ranges
            ]
        finally:
            full.close()
    return [
        (int(r1) - 1, _column_index(c1), int(r2) - 1, _column_index(c2))
        for c1, r1, c2, r2 in _MERGE_REF.findall(xml)
    ]


def fill_merged(rows: list[list[Any]], merges: Iterable[tuple[int, int, int, int]]) -> set[tuple[int, int]]:
    """Give every cell of a merge spanning several rows the merge's (top-left) value; returns the
    (row, column) of the cells filled (not the top-left ones)."""
    filled: set[tuple[int, int]] = set()
    width = max((len(r) for r in rows), default=0)
    for r1, c1, r2, c2 in merges:
        # clipped to the used range: <mergeCell ref="D2:XFD2001"/> must not make 16 384 columns per row
        c2 = min(c2, width - 1)
        if r2 <= r1 or r1 >= len(rows) or c1 >= len(rows[r1]) or c2 < c1:
            continue
        value = rows[r1][c1]
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c2:
                row.extend([None] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    row[c] = value
                    filled.add((r, c))
    return filled


def _open_workbook(path: Path):
    import openpyxl

    if not path.is_file():
        raise refuse(NOT_FOUND, value=path.name)
    with open(path, "rb") as f:
        magic = f.read(4)
    if not magic.startswith(b"PK"):  # .xls / encrypted workbooks are OLE2 (D0 CF 11 E0), .csv is text
        raise refuse(NOT_XLSX, value=path.name)
    handle = open(path, "rb")  # a file object: openpyxl then does not insist on an .xlsx extension
    try:
        return openpyxl.load_workbook(handle, read_only=True, data_only=True), handle
    except Exception as exc:  # openpyxl raises many types for damaged files (zip, XML, KeyError...)
        handle.close()
        raise refuse(UNREADABLE, value=path.name, reason=type(exc).__name__) from exc


def _load(path: Path, sheet: str | None, max_row: int | None = None):
    """(sheet name, rows of cell values, merges) of the chosen sheet; InputError if unreadable."""
    wb, handle = _open_workbook(path)
    try:
        names = [ws.title for ws in wb.worksheets]  # not chart sheets
        if sheet is not None and sheet not in names:
            raise refuse(NO_SHEET, value=sheet, sheet=sheet, sheets="、".join(names))
        if sheet is None:
            sheet = _pick_sheet(wb, names)
        ws = wb[sheet]
        ws.reset_dimensions()  # the stored dimensions may be wrong and would cut rows or columns
        rows = [list(r) for r in ws.iter_rows(min_row=1, min_col=1, max_row=max_row, values_only=True)]
        return sheet, rows, _merged_ranges(ws, path)
    except InputError:
        raise
    except Exception as exc:  # damaged sheet XML only shows up while reading
        raise refuse(UNREADABLE, value=path.name, reason=type(exc).__name__) from exc
    finally:
        wb.close()
        handle.close()


def read_roster(
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: dict[str, int] | None = None,
    header_row: int | None = None,
) -> RosterParse:
    """Parse a roster file. `header_row` is an Excel row number, `mapping` maps canonical fields to
    0-based columns; both override the guesses. Raises InputError if the file cannot be read."""
    path = Path(path)
    sheet, rows, merges = _load(path, sheet)
    top = [list(r) for r in rows[:PREVIEW_ROWS]]  # before parse_table: it fills merges in its own copy
    result = parse_table(rows, merges=merges, mapping=mapping, header_row=header_row, path=str(path), sheet=sheet)
    result.preview = _preview(top, merges)
    return result


PREVIEW_ROWS = 30


def preview_rows(path: str | Path, limit: int = PREVIEW_ROWS, *, sheet: str | None = None) -> list[list[str]]:
    """The first `limit` rows of the sheet read_roster would read, as display texts with merged
    cells filled (for choosing the header row and columns by hand). read_roster keeps the first
    PREVIEW_ROWS of them in RosterParse.preview."""
    _, rows, merges = _load(Path(path), sheet, max_row=limit)
    return _preview(rows, merges)


def _preview(rows: list[list[Any]], merges: Iterable[tuple[int, int, int, int]]) -> list[list[str]]:
    fill_merged(rows, merges)  # a merge running below the last row fills the rows given, as when read alone
    return [[cell_text(v) for v in row] for row in rows]


def _pick_sheet(wb: Any, names: list[str]) -> str:
    """The first sheet with a recognisable header, else the first sheet."""
    if not names:
        raise InputError(Problem(EMPTY))
    for name in names:
        wb[name].reset_dimensions()
        top = [list(r) for r in wb[name].iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True)]
        if guess_header(top)[0] is not None:
            return name
    return names[0]


def parse_table(
    rows: Sequence[Sequence[Any]],
    *,
    merges: Iterable[tuple[int, int, int, int]] = (),
    mapping: dict[str, int] | None = None,
    header_row: int | None = None,
    path: str = "",
    sheet: str = "",
) -> RosterParse:
    """Parse rows of cell values (row 0 is Excel row 1); `merges` are 0-based (r1, c1, r2, c2)."""
    if mapping is not None:
        bad = [f for f, j in mapping.items() if f not in FIELDS or not isinstance(j, int) or j < 0]
        if bad:
            raise ValueError(f"bad roster mapping entries: {bad}")
    table = [list(r) for r in rows]
    filled = fill_merged(table, merges)
    result = RosterParse(path, sheet, None, {}, [], [])
    if not any(not _blank(v) for row in table for v in row):
        result.problems.append(Problem(EMPTY))
        return result

    if header_row is not None:
        h = header_row - 1
        if not 0 <= h < len(table):
            result.problems.append(Problem(HEADER_ROW_RANGE, {"header_row": header_row, "rows": len(table)}))
            return result
        found = _map_row(table[h])
        found.update(_subheader(table[h + 1] if h + 1 < len(table) else None, found) or {})
    else:
        h, found = guess_header(table)
        if h is None and mapping:  # columns chosen by hand: the header is the first non-empty row
            h = next(i for i, row in enumerate(table) if any(not _blank(v) for v in row))
    if h is None:
        result.problems.append(Problem(NO_HEADER, {"rows": HEADER_SCAN_ROWS}))
        return result

    sub = table[h + 1] if h + 1 < len(table) else None
    has_subheader = _subheader(sub, _map_row(table[h])) is not None
    top = [cell_text(v) for v in table[h]]
    below = [cell_text(v) for v in sub] if has_subheader and sub is not None else []
    headers = [below[j] if j < len(below) and below[j] else t for j, t in enumerate(top)]
    headers += below[len(top) :]
    result.header_row = h + 1
    result.mapping = dict(mapping) if mapping is not None else found
    result.headers = headers
    used = set(result.mapping.values())
    result.unmapped_headers = [t for j, t in enumerate(headers) if t and j not in used]

    for f in REQUIRED:
        if f not in result.mapping:
            label_zh, label_en = FIELD_LABELS[f]
            result.problems.append(Problem(MISSING_COLUMN, {"label": label_zh, "label_en": label_en}, field=f))
    if result.problems:
        return result

    area_col = result.mapping.get("area")
    area_header = header_key(headers[area_col]) if area_col is not None and area_col < len(headers) else ""
    default_source = AREA_HEADER_SOURCES.get(area_header, "registered")
    _parse_rows(result, table, h + (2 if has_subheader else 1), default_source, filled)
    if not result.rows:
        result.problems.append(Problem(NO_ROWS))
    return result


def _parse_rows(
    result: RosterParse, table: list[list[Any]], start: int, default_source: str, filled: set[tuple[int, int]]
) -> None:
    """Parse data rows; a row whose only values come from merges above it counts as blank."""
    mapping = result.mapping
    first_seen: dict[tuple, int] = {}
    id_rows: dict[tuple, RosterRow] = {}  # the first row of each ID number
    pending_blank = 0
    memo: dict[str, str] = {}  # normalize_text of each distinct text cell: a cell is looked at up to three
    # times (blank?, its field, the exact-duplicate key) and buildings, units, rooms and names repeat

    def text_of(value: Any) -> str:
        """cell_text(value), memoised for text."""
        if isinstance(value, str):
            text = memo.get(value)
            if text is None:
                text = memo[value] = normalize_text(value)
            return text
        return cell_text(value)

    for index in range(start, len(table)):
        raw = table[index]
        cells = {f: (raw[j] if j < len(raw) else None) for f, j in mapping.items()}
        if all(cells[f] is None or (isinstance(cells[f], str) and not text_of(cells[f])) or (index, j) in filled
               for f, j in mapping.items()):  # _blank(), with the memo
            pending_blank += 1
            continue
        result.blank_rows += pending_blank
        pending_blank = 0
        row = _parse_row(index + 1, cells, mapping, default_source, text_of)
        for key in _duplicate_keys(row, cells, text_of):
            first = first_seen.setdefault(key, row.excel_row)
            if key[0] == "id":
                id_rows.setdefault(key, row)
            if first != row.excel_row and key[0] == "id" and _same_owner_elsewhere(id_rows[key], row):
                continue  # one owner of several units: the same number and name in another home
            if first != row.excel_row:
                column = column_letter(mapping["id_number"]) if key[0] == "id" else None
                fld = "id_number" if key[0] == "id" else None
                row.problems.append(
                    Problem(DUPLICATE, {"first_row": first}, row=row.excel_row, column=column, field=fld)
                )
                break
        result.rows.append(row)


def _same_owner_elsewhere(first: RosterRow, row: RosterRow) -> bool:
    """The row's ID number was first seen on `first` under the same name in another home: the same
    owner's next unit (counts once in a vote), not a duplicate row."""
    return (same_person_name(first.name, row.name)
            and (first.block, first.building, first.unit, first.room) != (row.block, row.building, row.unit, row.room))


def _duplicate_keys(row: RosterRow, cells: dict[str, Any], text_of: Callable[[Any], str] = cell_text) -> list[tuple]:
    keys: list[tuple] = []
    id_ok = row.id_number and not any(p.field == "id_number" and p.severity == "error" for p in row.problems)
    if id_ok:
        keys.append(("id", legacy_to_18(row.id_number) if len(row.id_number) == 15 else row.id_number))
    if row.name and row.room:
        keys.append(("house", row.building, row.unit, row.room, row.name))
    keys.append(("exact",) + tuple(text_of(cells[f]) for f in sorted(cells)))
    return keys


def _parse_row(excel_row: int, cells: dict[str, Any], mapping: dict[str, int], default_source: str,
               text_of: Callable[[Any], str] = cell_text) -> RosterRow:
    problems: list[Problem] = []

    def at(problem: Problem, f: str) -> Problem:
        raw = cells.get(f)
        return replace(
            problem,
            row=excel_row,
            column=column_letter(mapping[f]),
            field=f,
            value=None if raw is None else shorten(raw, 200),
        )

    texts = {}
    for f in TEXT_FIELDS:
        texts[f] = text = text_of(cells.get(f))
        if f == "name":
            texts[f] = text = normalize_name(text)
        if len(text) > MAX_CELL_CHARS:
            problems.append(at(Problem(TOO_LONG, {"length": len(text), "limit": MAX_CELL_CHARS}), f))
        if not text and f in _EMPTY_CODES:
            problems.append(at(Problem(_EMPTY_CODES[f]), f))

    id_number = phone = None
    area = None
    info = None
    if not _blank(cells.get("id_number")):
        try:
            info = validate_id_number(cells["id_number"])
            id_number = info.number
            if info.legacy:
                problems.append(at(Problem(ID_LEGACY15, severity="warning"), "id_number"))
        except InputError as exc:
            id_number = cell_text(cells["id_number"])
            problems.extend(at(p, "id_number") for p in exc.problems)
    if not _blank(cells.get("phone")):
        try:
            phone = normalize_phone(cells["phone"])
        except InputError as exc:
            phone = cell_text(cells["phone"])
            problems.extend(at(p, "phone") for p in exc.problems)
    if not _blank(cells.get("area")):
        try:
            area = parse_area(cells["area"])
        except InputError as exc:
            problems.extend(at(p, "area") for p in exc.problems)

    source = default_source
    source_text = cell_text(cells.get("area_source"))
    if source_text:
        found = _area_source(source_text.lower())
        if found:
            source = found
        else:
            problems.append(
                at(Problem(AREA_SOURCE_UNKNOWN, {"value": shorten(source_text)}, severity="warning"), "area_source")
            )

    return RosterRow(
        excel_row=excel_row,
        building=texts["building"],
        unit=texts["unit"],
        room=texts["room"],
        name=texts["name"],
        id_number=id_number,
        phone=phone,
        area=area,
        note=texts["note"],
        relation=texts["relation"],
        block=texts["block"],
        area_source=source,
        problems=problems,
        id_info=info,
    )
