"""Fuzzing at the edge, beyond the per-rule tests (test_rules_*.py, test_roster_parse.py):

- every parser fed the nastiest values (control characters, right-to-left marks, emoji, huge strings, odd
  types) either returns a value of its type or refuses with InputError whose message is complete Chinese
  (no unfilled {placeholder}) — never another exception;
- what staff really type or paste: Excel's scientific ID numbers, full-width digits and spaces, 2023年5月1日,
  ¥1,234.50, 85.6㎡ — all read exactly, or refused, never guessed;
- consent rules with garbage units and ballots refuse with a reason;
- mutated XLSX files (flipped bytes, truncated zips, cells of the wrong type, hostile text) through the real
  roster import into a database: a refusal with a reason and the row counts unchanged, or a clean import.

Modest example counts by default (the file runs in well under 30 s); ten times more with --slow.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sqlite3
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import consent
from renewal_desk.core.rules.acceptance import parse_percent
from renewal_desk.core.rules.idcard import make_id_number, validate_id_number
from renewal_desk.core.rules.money import yuan_to_fen
from renewal_desk.core.rules.phone import normalize_phone
from renewal_desk.core.rules.text import normalize_name, normalize_text, parse_area, parse_date


def _examples(default: int) -> int:
    import sys

    return default * 10 if "--slow" in sys.argv else default


FUZZ = settings(max_examples=_examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = dt.date(2026, 6, 1)
NASTY_CHARS = ("\x00\x01\x07\x1b\x7f\u0085\u00a0\u200b\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\ufffd"
               "\u3000\uff10\uff11\uff19\uff38\uff0e\uff0c年月日号㎡元¥￥,.-+/ 0123456789xXeE😀👨‍👩‍👧𠮷䶮\n\r\t")
short_nasty = st.one_of(st.text(max_size=40), st.text(alphabet=st.sampled_from(NASTY_CHARS), max_size=30))
nasty_text = st.one_of(short_nasty, st.text(min_size=5_000, max_size=20_000))
anything = st.one_of(
    st.none(), st.booleans(), nasty_text, st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(), st.datetimes(), st.binary(max_size=20), st.lists(st.integers(), max_size=3),
)


def _refused_plainly(exc: InputError) -> None:
    assert exc.problems
    for problem in exc.problems:
        message = problem.message("zh")
        assert message and not re.search(r"\{[a-z_]+\}", message), message  # every placeholder filled
        assert re.search(r"[\u4e00-\u9fff]", message), message  # said in Chinese
        assert len(message) < 400, "a huge value must be shortened in the message"


PARSERS = {
    "id_number": (lambda v: validate_id_number(v, today=TODAY), lambda r: len(r.number) in (15, 18)),
    "phone": (normalize_phone, lambda r: isinstance(r, str) and r),
    "date": (parse_date, lambda r: isinstance(r, dt.date)),
    "area": (parse_area, lambda r: isinstance(r, Decimal) and 0 < r <= 100000 and r == r.quantize(Decimal("0.01"))),
    "money": (yuan_to_fen, lambda r: isinstance(r, int) and not isinstance(r, bool)),
    "percent": (parse_percent, lambda r: isinstance(r, Decimal)),
}


@pytest.mark.parametrize("kind", list(PARSERS))
@FUZZ
@given(value=anything)
@example(value="1.10105E+17")
@example(value="\u202e101\u202c")
@example(value="８５．６㎡")
@example(value="2023年5月1日")
@example(value="9" * 5000)
@example(value="nan")
@example(value=Decimal("sNaN"))
def test_every_parser_returns_its_type_or_refuses_with_a_reason(kind, value):
    parse, well_formed = PARSERS[kind]
    try:
        result = parse(value)
    except InputError as exc:
        _refused_plainly(exc)
    else:
        assert well_formed(result), (kind, value, result)


@FUZZ
@given(value=anything)
def test_text_cleaning_is_total_and_idempotent(value):
    cleaned = normalize_text(value)
    assert isinstance(cleaned, str) and normalize_text(cleaned) == cleaned
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u200b\u200e\u200f\u202a-\u202e\ufeff]", cleaned)
    try:
        name = normalize_name(value)
    except InputError as exc:
        _refused_plainly(exc)
    else:
        assert isinstance(name, str)


ids = st.builds(lambda area, birth, seq: make_id_number(area, birth, seq),
                st.sampled_from(["110105", "321002", "440305", "510107"]),
                st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31)), st.integers(0, 999))
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@FUZZ
@given(ids, st.sampled_from(["", " ", "\u3000", "\u200b", "\ufeff", "\t"]))
def test_id_numbers_as_typed_or_pasted(number, pad):
    for typed in (number, number.translate(FULL), pad + number + pad, number.lower(),
                  " ".join([number[:6], number[6:14], number[14:]])):
        assert validate_id_number(typed, today=TODAY).number == number, typed
    # what Excel makes of an ID number typed as a number: refused as such, never "repaired"
    for excel in (float(number[:17] + "0"), f"{float(number[:17] + '0'):.5E}", f"{float(number[:17]):.14e}"):
        with pytest.raises(InputError) as err:
            validate_id_number(excel, today=TODAY)
        assert err.value.problems[0].code in ("id_number.scientific", "id_number.length", "id_number.chars"), excel


@FUZZ
@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["", " ", "\u3000"]), st.booleans())
def test_dates_as_typed(day, space, full_width):
    forms = [f"{day.year}{space}年{space}{day.month}{space}月{space}{day.day}{space}日",
             f"{day.year}年{day.month}月{day.day}号", f"{day.year}-{day.month:02d}-{day.day:02d}",
             f"{day.year}.{day.month}.{day.day}", f"{day.year}/{day.month}/{day.day} 08:30"]
    for typed in forms:
        typed = typed.translate(FULL) if full_width else typed
        assert parse_date(typed) == day, typed


@FUZZ
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["", "¥", "￥", "人民币", "RMB "]),
       st.sampled_from(["", "元", "元整"]), st.booleans(), st.booleans())
def test_money_as_typed_is_exact(fen, prefix, suffix, thousands, full_width):
    yuan, cents = divmod(fen, 100)
    whole = f"{yuan:,}" if thousands else str(yuan)
    typed = f"{prefix}{whole}.{cents:02d}{suffix}"
    typed = typed.translate(FULL) if full_width else typed
    assert yuan_to_fen(typed) == fen, typed


@FUZZ
@given(st.integers(min_value=1, max_value=10_000_000), st.sampled_from(["", "㎡", " m²", "平方米", "平米", "m2"]),
       st.booleans())
def test_areas_as_typed_are_exact(cents, unit, full_width):
    area = Decimal(cents).scaleb(-2)
    typed = f"{area}{unit}".translate(FULL) if full_width else f"{area}{unit}"
    assert parse_area(typed) == area, typed
    if area < 1000:
        assert parse_area(float(str(area))) == area  # the float Excel stores, read exactly


ballot_choices = st.one_of(st.sampled_from(["yes", "no", "abstain", "赞成", "反对", "弃权", " YES ", "同意", ""]),
                           short_nasty)


@FUZZ
@given(st.lists(st.tuples(st.integers(-2, 12), short_nasty, st.one_of(st.decimals(allow_nan=True, allow_infinity=True),
                                                                      st.just(Decimal("85.6"))), st.booleans()),
                max_size=10),
       st.lists(st.tuples(st.integers(-2, 14), ballot_choices), max_size=12),
       st.sampled_from(list(consent.Matter)))
def test_consent_with_garbage_units_and_ballots_refuses_with_a_reason(units, ballots, matter):
    rule = consent.default_rule(matter)
    try:
        result = consent.evaluate([consent.Unit(*u) for u in units], [consent.Ballot(*b) for b in ballots], rule)
    except InputError as exc:
        _refused_plainly(exc)
    else:
        assert 0 <= result.eligible_owners <= len(units)
        assert isinstance(result.passed, bool)


@FUZZ
@given(st.one_of(anything, st.fractions(), st.sampled_from(["2/3", "3/4", "1/2", "0", "1", "1/0", "-1/3", "7/3"])))
def test_rule_thresholds_from_settings_refuse_with_a_reason(value):
    for matter in consent.Matter:
        try:
            rule = consent.Rule(matter, quorum=value)
        except InputError as exc:
            _refused_plainly(exc)
        else:
            assert Fraction(0) <= rule.quorum <= Fraction(1)


# ------------------------------------------------------------------------ mutated XLSX through the import

@pytest.fixture(scope="module")
def roster_bytes(tmp_path_factory) -> bytes:
    from tests.fixtures.make_rosters import clean_roster

    path = tmp_path_factory.mktemp("fuzz") / "roster.xlsx"
    clean_roster(path, 12, seed=21)
    return path.read_bytes()


@pytest.fixture(scope="module")
def small_db(tmp_path_factory, template_db) -> Path:
    path = tmp_path_factory.mktemp("fuzzdb") / "base.sqlite"
    shutil.copy(template_db, path)
    return path


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("project", "household", "person", "audit_log")}
    finally:
        con.close()


def _import(small_db: Path, folder: Path, data: bytes) -> None:
    """The real import on a fresh copy: refused with a reason and nothing written, or written and sound."""
    from renewal_desk.core.db import open_database
    from renewal_desk.core.services.roster_import import import_roster

    db_path = folder / "desk.sqlite"
    shutil.copy(small_db, db_path)
    roster = folder / "mutated.xlsx"
    roster.write_bytes(data)
    before = _counts(db_path)
    db = open_database(db_path, operator="fuzz")
    try:
        report = import_roster(db, roster, "变异花名册")
    except InputError as exc:
        _refused_plainly(exc)
        report = None
    finally:
        db.close()
    after = _counts(db_path)
    if report is None or not report.written:
        assert after == before  # a refusal writes nothing
        if report is not None:
            assert report.blocked and report.problems
            for problem in report.errors:
                assert problem.message("zh") and not re.search(r"\{[a-z_]+\}", problem.message("zh"))
    else:
        assert after["household"] == before["household"] + report.households
        db = open_database(db_path)
        try:
            assert db.check().ok
        finally:
            db.close()


XLSX_FUZZ = settings(max_examples=_examples(15), deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@XLSX_FUZZ
@given(st.data())
def test_flipped_or_truncated_bytes(roster_bytes, small_db, tmp_path_factory, data):
    raw = bytearray(roster_bytes)
    if data.draw(st.booleans(), "truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), "cut at")]
    else:
        for _ in range(data.draw(st.integers(1, 8), "flips")):
            at = data.draw(st.integers(0, len(raw) - 1), "offset")
            raw[at] ^= data.draw(st.integers(1, 255), "mask")
    _import(small_db, tmp_path_factory.mktemp("flip"), bytes(raw))


hostile_cell = st.one_of(
    st.text(alphabet=st.sampled_from(NASTY_CHARS.replace("\x00", "")), min_size=1, max_size=30),
    st.sampled_from(["\u202e101\u202c", "王𠮷😀", "1.10105E+17", "=HYPERLINK(\"x\")", "<script>", "TRUE", "#N/A",
                     "８５．６㎡", "2023年5月1日", "x" * 40_000]),
)


@XLSX_FUZZ
@given(st.data())
def test_cells_rewritten_inside_the_workbook(roster_bytes, small_db, tmp_path_factory, data):
    """Change the sheet's XML itself: wrong cell types (t="b"/"e"/"n" on text), hostile inline strings."""
    from xml.sax.saxutils import escape

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(roster_bytes)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = body.decode("utf-8")
                cells = list(re.finditer(r'<c r="([A-Z]+\d+)"([^>]*)>(.*?)</c>', text))
                for _ in range(data.draw(st.integers(1, 6), "edits")):
                    cell = data.draw(st.sampled_from(cells), "cell")
                    kind = data.draw(st.sampled_from(["inline", "bool", "error", "number", "shared"]), "kind")
                    if kind == "inline":
                        value = escape(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", data.draw(hostile_cell)))
                        new = f'<c r="{cell.group(1)}" t="inlineStr"><is><t>{value}</t></is></c>'
                    elif kind == "bool":
                        new = f'<c r="{cell.group(1)}" t="b"><v>{data.draw(st.sampled_from(["1", "0", "7"]))}</v></c>'
                    elif kind == "error":
                        new = f'<c r="{cell.group(1)}" t="e"><v>#DIV/0!</v></c>'
                    elif kind == "number":
                        new = f'<c r="{cell.group(1)}" t="n"><v>{data.draw(st.sampled_from(["1e308", "-0", "NaN", "abc", "1.10105199001011E+17"]))}</v></c>'
                    else:
                        new = f'<c r="{cell.group(1)}" t="s"><v>{data.draw(st.integers(0, 10**6))}</v></c>'
                    text = text.replace(cell.group(0), new, 1)
                body = text.encode("utf-8")
            zout.writestr(item, body)
    _import(small_db, tmp_path_factory.mktemp("cells"), out.getvalue())
