"""Forged bundles (issue 23, scope 0): what a re-hashed bundle can no longer do.

- times in the future (9999-12-31, which would beat every later edit here) are refused, nothing written;
- a bundle deleting many records needs an explicit confirmation (--allow-deletions N), a dry run says so;
- a UUID already used by a record of another type is refused, nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from renewal_desk.core.db import open_database
from renewal_desk.core.exchange import bundle, merge
from renewal_desk.core.models import Household, Person
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import exchange
from renewal_desk.core.services.demo import generate_demo

from tests.core.test_exchange import _rehash as rehash, copy_demo, table_snapshot


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("forgery") / "demo.sqlite"
    db = open_database(path, create=True, operator="演示")
    try:
        generate_demo(db, households=40, seed=3)
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


def lines(folder: Path, name: str) -> list[dict]:
    return [json.loads(x) for x in (folder / bundle.data_path(name)).read_text(encoding="utf-8").splitlines()]


def write_lines(folder: Path, name: str, rows: list[dict]) -> None:
    (folder / bundle.data_path(name)).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                                 encoding="utf-8")


def households(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count(Household.id)))


def test_a_record_dated_9999_is_refused_and_nothing_written(demo, tmp_path):
    out = tmp_path / "b"
    exchange.export_bundle(demo, out)
    people = lines(out, "people")
    people[0]["updated_at"] = "9999-12-31T00:00:00Z"
    people[0]["name"] = "冒名"
    write_lines(out, "people", people)
    rehash(out)
    before = table_snapshot(demo.path)
    with pytest.raises(InputError, match="时间晚于现在") as err:
        exchange.import_bundle(demo, out)
    assert "data/people.jsonl 第 1 行" in str(err.value)
    assert table_snapshot(demo.path) == before
    with demo.read() as s:
        assert s.scalar(select(func.count(Person.id)).where(Person.name == "冒名")) == 0


def tombstones_for_all(demo, out: Path, when: str) -> int:
    exchange.export_bundle(demo, out)
    rows = [{"record_type": name, "uuid": r["uuid"], "deleted_at": when}
            for name in ("people", "households") for r in lines(out, name)]
    for name in ("households", "people"):
        write_lines(out, name, [])
    write_lines(out, "tombstones", rows)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name in ("households", "people"):
        manifest["counts"][name] = 0
    manifest["tombstones"] = len(rows)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    rehash(out)
    return len(rows)


def test_tombstones_for_everything_dated_9999_are_refused(demo, tmp_path):
    tombstones_for_all(demo, tmp_path / "t", "9999-12-31T00:00:00Z")
    before = households(demo)
    with pytest.raises(InputError, match="时间晚于现在"):
        exchange.import_bundle(demo, tmp_path / "t")
    assert households(demo) == before


def test_many_deletions_need_a_confirmation(demo, tmp_path):
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    count = tombstones_for_all(demo, tmp_path / "t", now)
    assert count > merge.DELETIONS_FREE
    before = households(demo)
    report = exchange.import_bundle(demo, tmp_path / "t", dry_run=True)
    assert any("--allow-deletions" in n for n in report.notes)
    with pytest.raises(merge.DeletionsNeedConfirmation, match="将删除本机") as err:
        exchange.import_bundle(demo, tmp_path / "t")
    assert households(demo) == before
    deleted = err.value.count
    with pytest.raises(merge.DeletionsNeedConfirmation):
        exchange.import_bundle(demo, tmp_path / "t", allow_deletions=deleted - 1)
    assert households(demo) == before
    report = exchange.import_bundle(demo, tmp_path / "t", allow_deletions=deleted)
    assert report.total("deleted") == deleted and households(demo) == 0 < before


def test_a_few_deletions_need_no_confirmation():
    assert not merge.deletions_need_confirmation(3, 40)
    assert merge.deletions_need_confirmation(6, 40)  # more than a handful and over 5 %
    assert not merge.deletions_need_confirmation(6, 1000)
    assert merge.deletions_need_confirmation(21, 100_000)


def test_a_uuid_of_another_record_type_is_refused(demo, tmp_path):
    out = tmp_path / "c"
    exchange.export_bundle(demo, out)
    people = lines(out, "people")
    household_uuid = lines(out, "households")[0]["uuid"]
    people[-1] = dict(people[-1], uuid=household_uuid, name="新人")  # a new person with a household's identity
    write_lines(out, "people", people)
    write_lines(out, "households", [])  # the household is only here (the bundle itself refuses a clash inside it)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["counts"]["households"] = 0
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    rehash(out)
    before = table_snapshot(demo.path)
    with pytest.raises(InputError, match="已被住户记录使用") as err:
        exchange.import_bundle(demo, out)
    assert f"data/people.jsonl 第 {len(people)} 行" in str(err.value)
    assert table_snapshot(demo.path) == before


def test_cli_asks_for_allow_deletions(demo, tmp_path):
    import os
    import subprocess
    import sys

    from datetime import datetime, timezone

    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    tombstones_for_all(demo, tmp_path / "t", now)
    demo.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENEWAL_DESK_") or k == "RENEWAL_DESK_DATA"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    result = subprocess.run([sys.executable, "-m", "renewal_desk", "import-bundle", "--db", str(demo.path),
                             str(tmp_path / "t")], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 2 and "--allow-deletions" in result.stderr and "Traceback" not in result.stderr
