"""Hostile bundles: sizes checked before reading, bounded reads, only the bundle's own file names, no
"..", absolute paths, backslashes or symbolic links, string lengths bounded by the schemas, one identity
per record across every type. Each is refused with a Chinese message and nothing written."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import tracemalloc
import zipfile

import pytest

from renewal_desk.core.exchange import bundle
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import exchange
from tests.core.test_exchange import _rehash, demo, demo_file, empty, table_snapshot  # noqa: F401 - fixtures

BOMB_BYTES = 512 * 1024 * 1024


def _zip_items(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _manifest_with(items, changes):
    manifest = json.loads(items["manifest.json"])
    for f in manifest["files"]:
        if f["path"] in changes:
            f["sha256"], f["bytes"] = changes[f["path"]]
    return manifest


def _refused(empty, path, reason):
    before = table_snapshot(empty.path)
    with pytest.raises(InputError) as err:
        exchange.import_bundle(empty, path)
    assert reason in err.value.problems[0].message()
    assert table_snapshot(empty.path) == before
    return err.value.problems[0].message()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(demo, empty, tmp_path):
    good = tmp_path / "good.zip"
    exchange.export_bundle(demo, good)
    items = _zip_items(good)
    bomb = tmp_path / "bomb.zip"
    digest, chunk = hashlib.sha256(), b"\n" * (1024 * 1024)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("data/tombstones.jsonl", "w", force_zip64=True) as fh:
            for _ in range(BOMB_BYTES // len(chunk)):
                fh.write(chunk)
                digest.update(chunk)
        manifest = _manifest_with(items, {"data/tombstones.jsonl": (digest.hexdigest(), BOMB_BYTES)})
        for n, data in items.items():
            if n not in ("data/tombstones.jsonl", "manifest.json"):
                zf.writestr(n, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))  # re-hashed to match
    assert bomb.stat().st_size < 5 * 1024 * 1024
    tracemalloc.start()
    try:
        message = _refused(empty, bomb, "data/tombstones.jsonl")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "压缩比" in message and "100" in message
    assert peak < 200 * 1024 * 1024


def test_a_member_larger_than_its_manifest_says_is_refused_before_reading(demo, empty, tmp_path, monkeypatch):
    path = tmp_path / "b.zip"
    exchange.export_bundle(demo, path)
    items = _zip_items(path)
    items["data/people.jsonl"] += b"\n" * 10
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in items.items():
            zf.writestr(n, data)
    reads = []
    real = bundle.BundleReader.read
    monkeypatch.setattr(bundle.BundleReader, "read", lambda self, name, limit=bundle.MAX_FILE_BYTES:
                        reads.append(name) or real(self, name, limit))
    _refused(empty, path, "校验值")
    assert reads == ["manifest.json", "manifest.sig"]


def test_a_stream_stops_at_its_limit_whatever_the_header_says(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "manifest.json").write_bytes(b" " * 2000)
    reader = bundle.BundleReader(folder)
    with pytest.raises(InputError, match="超过上限"):
        reader.read("manifest.json", limit=1000)


def _zip_with_member(demo, tmp_path, name, symlink=False):
    path = tmp_path / "b.zip"
    exchange.export_bundle(demo, path)
    items = _zip_items(path)
    manifest = json.loads(items["manifest.json"])
    manifest["files"].append({"path": name, "sha256": hashlib.sha256(b"{}\n").hexdigest(), "bytes": 3})
    items["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in items.items():
            zf.writestr(n, data)
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, b"{}\n")
    return path


@pytest.mark.parametrize("name, symlink", [("../evil.jsonl", False), ("/etc/evil.jsonl", False),
                                           ("data\\evil.jsonl", False), ("data/evil.jsonl", True),
                                           ("data/../../x.jsonl", False)])
def test_traversal_absolute_backslash_and_symlink_members_are_refused(demo, empty, tmp_path, name, symlink):
    path = _zip_with_member(demo, tmp_path, name, symlink)
    _refused(empty, path, "文件名不允许")


def test_a_listed_file_that_is_not_a_bundle_file_is_never_read(demo, empty, tmp_path):
    folder = tmp_path / "b"
    exchange.export_bundle(demo, folder)
    (folder / "data/secrets.jsonl").write_text("{}\n", encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].append({"path": "data/secrets.jsonl", "sha256": "0" * 64, "bytes": 3})
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _rehash(folder)
    _refused(empty, folder, "清单之外的文件：data/secrets.jsonl")


def test_a_symlink_in_a_bundle_folder_is_refused(demo, empty, tmp_path):
    folder = tmp_path / "b"
    exchange.export_bundle(demo, folder)
    outside = tmp_path / "outside.jsonl"
    shutil.move(folder / "data/people.jsonl", outside)
    (folder / "data/people.jsonl").symlink_to(outside)
    _refused(empty, folder, "文件名不允许：data/people.jsonl")
    link = tmp_path / "link"
    (folder / "data/people.jsonl").unlink()
    shutil.move(outside, folder / "data/people.jsonl")
    link.symlink_to(folder)
    _refused(empty, link, "文件名不允许")


def test_a_50_mb_string_is_refused_by_the_schema(demo, empty, tmp_path):
    folder = tmp_path / "b"
    exchange.export_bundle(demo, folder)
    path = folder / "data/households.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["note"] = "长" * (50 * 1024 * 1024 // 3)
    lines[0] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _rehash(folder)
    message = _refused(empty, folder, "households.jsonl 第 1 行不符合结构定义")
    assert len(message) < 2000


def test_every_string_of_the_shipped_schemas_has_a_max_length():
    def strings(node, where):
        if isinstance(node, dict):
            kinds = node.get("type")
            if kinds == "string" or (isinstance(kinds, list) and "string" in kinds):
                yield where, node
            for k, v in node.items():
                yield from strings(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from strings(v, f"{where}[{i}]")

    found = 0
    for name in bundle.schema_names():
        schema = json.loads(bundle.shipped_schema_bytes(name))
        for where, node in strings(schema, name):
            found += 1
            assert isinstance(node.get("maxLength"), int), where
    assert found > 100


def test_one_identity_for_two_record_types_is_refused(demo, empty, tmp_path):
    folder = tmp_path / "b"
    exchange.export_bundle(demo, folder)
    household = json.loads((folder / "data/households.jsonl").read_text(encoding="utf-8").splitlines()[0])
    path = folder / "data/people.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    person = json.loads(lines[-1])
    person["uuid"] = household["uuid"]
    lines[-1] = json.dumps(person, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _rehash(folder)
    _refused(empty, folder, f"唯一标识 {household['uuid']} 已被另一类记录")
