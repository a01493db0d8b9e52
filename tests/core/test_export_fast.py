"""The export's fast paths say exactly what the plain ones say: the generated row converter, the
generated workbook rows, the reused JSON encoder, the compiled schema check, the mobile masking
shortcut and the ordering figures computed in SQL. (tests/core/test_exchange.py covers the bundle as a
whole: schemas, masking, LibreOffice, round trip, tampering, cancel.)"""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from renewal_desk.core import bench
from renewal_desk.core.db import open_database
from renewal_desk.core.exchange import bundle, export, spec, workbook
from renewal_desk.core.models import MenuItem, OrderingRound
from renewal_desk.core.rules.phone import mask_phone
from renewal_desk.core.services import exchange, ordering
from renewal_desk.core.services.demo import generate_demo
from tests.core.test_exchange import copy_demo


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export_fast") / "demo.sqlite"
    db = open_database(path, create=True, operator="演示")
    try:
        generate_demo(db, households=12, seed=7, with_records=True)
    finally:
        db.close()
    return path


@pytest.fixture
def demo(tmp_path, demo_file):
    path = tmp_path / "office.sqlite"
    copy_demo(demo_file, path)  # with its photos: a full bundle carries them
    database = open_database(path, operator="办公室")
    yield database
    database.close()


@pytest.mark.parametrize("full", [False, True])
def test_generated_row_converter_equals_the_field_by_field_converters(demo, full):
    """records() (generated code, shared id maps, popped link lists, the mobile shortcut) gives for
    every record of every type what converters() gives field by field."""
    checked = 0
    with demo.engine.connect() as conn, conn.begin():
        maps = export._IdMaps(conn)
        for rt in spec.RECORD_TYPES:
            reader = export.TypeReader(rt, full, maps)
            fast = list(reader.records(conn, None))
            convert = reader.converters(conn)
            sql, params = reader.sql(None)
            rows = conn.exec_driver_sql(sql, params).all()
            slow = [{f.name: fn(v, row[0]) for f, fn, v in zip(reader.fields, convert, row[1:])} for row in rows]
            assert fast == slow, rt.name
            assert all(list(r) == [f.name for f in reader.fields] for r in fast)  # field order kept
            checked += len(fast)
    assert checked > 100


def test_the_mobile_shortcut_masks_as_mask_phone_does():
    rng = random.Random(3)
    phones = ["1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9)) for _ in range(300)]
    phones += ["12812345678", "138 1234 5678", "+8613812345678", "１３８１２３４５６７８", "13812345678\n",
               "0514-87654321", "87654321", "1381234567", "138123456789", "abc", " 13812345678"]
    with_shortcut = [(f"{p[:3]}****{p[7:]}" if export._CANONICAL_MOBILE(p) else (mask_phone(p) or None)) for p in phones]
    assert with_shortcut == [mask_phone(p) or None for p in phones]
    assert not export._CANONICAL_MOBILE("13812345678\n") and not export._CANONICAL_MOBILE("１３８１２３４５６７８")


def test_the_reused_json_encoder_writes_what_json_dumps_writes():
    values = [{"a": "中文\"\\\n\x01", "b": [1, 2.5, None, True, False], "c": {"d": -0.0, "e": 10 ** 20}},
              [], {}, "x", 3, None, [{"item_uuid": "u", "priority": 1, "vote": "yes"}]]
    for value in values:
        assert export._dump(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        assert workbook._list_json(value) == json.dumps(value, ensure_ascii=False)


def _reference_cell(kind: str, value, ref: str) -> str:
    """The workbook cell as written before the generated rows (one function per cell)."""
    if kind in workbook._PLAIN_KINDS:
        return "" if value is None else f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    if kind == "int":
        return "" if value is None else f'<c r="{ref}"><v>{value}</v></c>'
    if kind == "str":
        return "" if value is None else (
            f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{workbook._text(value)}</t></is></c>')
    return workbook._xml_cell(ref, value)


def test_generated_workbook_rows_equal_cell_by_cell_rows():
    kinds = ["uuid", "int", "str", "str", "bool", "reflist", "values", "objects", "date", "str", "decimal"]
    names = [f"f{i}" for i in range(len(kinds))]
    choices = {
        "uuid": ["0b5e8a1c-0000-4000-8000-000000000001", None], "int": [0, 7, -3, None],
        "str": ["", "张三", "a&b<c>", "中\x01文", "x" * 40000, "y" * 20000, "  两头空格  ", None, "\ud800"],
        "bool": [True, False, None, 1], "reflist": [[], ["a", "b"], ["<&>"], None, [1]],
        "values": [["owner", "tenant"], [], None], "date": ["2026-01-02", None], "decimal": ["85.20", None],
        "objects": [[{"item_uuid": "u", "priority": 1, "vote": "yes"}], [], None, [{"a": "<&>"}], [{"a": "中"}],
                    [{"b": "\x01"}], [{"c": "z" * 40000}], ["x", "y"], 7],
    }
    render = workbook.row_function(names, kinds)
    rng = random.Random(11)
    for _ in range(4000):
        record = {n: rng.choice(choices[k]) for n, k in zip(names, kinds)}
        r = rng.randint(2, 1_048_576)
        expected = f'<row r="{r}">' + "".join(
            _reference_cell(k, record[n], f"{workbook._LETTERS[i]}{r}") for i, (n, k) in enumerate(zip(names, kinds)))
        assert render(record, r) == expected + "</row>", record


def test_the_workbook_read_back_by_openpyxl_equals_the_json_lines(demo, tmp_path):
    out = tmp_path / "bundle.zip"
    exchange.export_bundle(demo, out)
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None  # every member (ISA-L deflate) inflates with a correct CRC
        zf.extractall(folder)
    book = openpyxl.load_workbook(folder / bundle.WORKBOOK, read_only=True)
    try:
        for rt in (*spec.RECORD_TYPES, *spec.DERIVED_TYPES):
            lines = (folder / bundle.data_path(rt.name)).read_text(encoding="utf-8").splitlines()
            rows = list(book[rt.zh].iter_rows(values_only=True))
            assert list(rows[0]) == workbook.headers(rt)
            assert len(rows) == len(lines) + 1, rt.name
            for line, row in zip(lines, rows[1:]):
                record = json.loads(line)
                expected = [workbook.cell(record[f.name]) for f in spec.all_fields(rt)]
                got = list(row) + [None] * (len(expected) - len(row))
                assert got == expected, (rt.name, record)
    finally:
        book.close()


def _mutated(record: dict) -> list[dict]:
    out = [{**record, "uuid": 5}, {**record, "uuid": "not-a-uuid"}, {**record, "created_at": "2026-01-01 10:00"},
           {k: v for k, v in record.items() if k != "updated_at"}, {**record, "surplus": 1}]
    if "choices" in record and record["choices"]:
        first = record["choices"][0]
        out += [{**record, "choices": [{**first, "vote": "maybe"}]}, {**record, "choices": [{**first, "priority": 0}]},
                {**record, "choices": [{**first, "priority": True}]}, {**record, "choices": [{**first, "x": 1}]},
                {**record, "choices": [{k: v for k, v in first.items() if k != "vote"}]},
                {**record, "choices": [{**first, "item_uuid": "X" * 36}]}, {**record, "choices": [[first]]},
                {**record, "choices": {"0": first}}]
    if "roles" in record:
        out += [{**record, "roles": ["nobody"]}, {**record, "roles": "owner"}, {**record, "roles": [["owner"]]}]
    if "tier" in record:
        out += [{**record, "tier": ["基础类"]}, {**record, "tier": {"a": 1}}]
    return out


def test_the_compiled_check_rejects_what_jsonschema_rejects(demo, tmp_path):
    out = tmp_path / "b"
    exchange.export_bundle(demo, out)
    rejected = 0
    for name in ("orders", "people", "menu_items", "households", "rent_payments"):
        validator = Draft202012Validator(json.loads(bundle.shipped_schema_bytes(name)))
        fast = bundle.fast_check(name)
        for line in (out / bundle.data_path(name)).read_text(encoding="utf-8").splitlines()[:3]:
            record = json.loads(line)
            assert fast(record) and validator.is_valid(record)
            for bad in _mutated(record):
                assert not validator.is_valid(bad), (name, bad)
                assert not fast(bad), (name, bad)
                rejected += 1
    assert rejected > 40


def test_ordering_results_are_the_figures_of_ordering_tallies(demo):
    rows = exchange.ordering_results(demo)
    with demo.read() as s:
        rounds = s.execute(select(OrderingRound.id, OrderingRound.uuid).order_by(OrderingRound.id)).all()
        item_uuid = dict(s.execute(select(MenuItem.id, MenuItem.uuid)).all())
    expected = []
    for round_id, round_uuid in rounds:
        tally = ordering.tallies(demo, round_id)
        for t in tally.items:
            expected.append({
                "round_uuid": round_uuid, "item_uuid": item_uuid[t.item.id], "item_name": t.item.name,
                "tier": t.item.tier, "eligible_households": tally.eligible, "answered_households": tally.answered,
                "households": t.households, "share_of_all": exchange._fraction(t.share_all),
                "share_of_answered": exchange._fraction(t.share_answered), "area": format(t.area, "f"),
                "share_of_area": exchange._fraction(t.share_area), "priority_1": t.priorities.get(1, 0),
                "priority_2": t.priorities.get(2, 0), "priority_3": t.priorities.get(3, 0),
                "rank_in_tier": t.rank_in_tier})
    assert expected and any(e["households"] for e in expected)
    assert [{k: v for k, v in r.items() if k != "computed_at"} for r in rows] == expected


def test_a_failing_writer_thread_fails_the_export_and_leaves_nothing(demo, tmp_path, monkeypatch):
    real = workbook.open_deflated

    def broken(zf, member):
        if "sheet5" in str(member):
            raise OSError("disk full")
        return real(zf, member)

    monkeypatch.setattr(workbook, "open_deflated", broken)
    with pytest.raises(OSError):
        exchange.export_bundle(demo, tmp_path / "bundle")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith((".bundle", "bundle"))] == []


def test_the_export_floor_dumps_the_rows_the_bundle_reads():
    tables = dict(bench.export_floor_tables())
    # the measured export is the default (masked) one: it carries no attachments, so it does not read them
    assert {rt.table.name for rt in spec.RECORD_TYPES if not rt.full_only} <= set(tables)
    assert [rt.name for rt in spec.RECORD_TYPES if rt.full_only] == [spec.ATTACHMENTS]
    assert {"order_choice", "person_role", "house_owner", "lease_lessor", "exchange_sync_state"} <= set(tables)
    assert "delete" in tables["audit_log"]  # only the deletions (the tombstones), not the whole log
    assert not {"household_fts", "attachment", "setting", "alembic_version"} & set(tables)


def test_column_letters_are_excel_s():
    from openpyxl.utils import get_column_letter

    from renewal_desk.core.exchange.workbook import column_letter

    assert [column_letter(n) for n in range(1, 1000)] == [get_column_letter(n) for n in range(1, 1000)]
