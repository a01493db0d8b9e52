"""The `renewal-desk-export` bundle, version 1: layout, JSON Schemas, manifest, checksums, and the
checks a bundle must pass before anything of it is read into a database.

A bundle is a folder or a .zip holding:

    manifest.json                  format, version, producer, period, counts, SHA-256 of every file
    manifest.sig                   Ed25519 signature of manifest.json, with the signer's public key (signing.py)
    data/<type>.jsonl              one JSON object per line, one file per record type (spec.RECORD_TYPES)
    data/tombstones.jsonl          records deleted in the period: type, uuid, deleted_at
    schemas/<type>.schema.json     JSON Schema (draft 2020-12) of each file, and of the manifest
    renewal-desk-export.xlsx       the same tables as one workbook (Chinese headers, a field sheet)
    attachments/<sha256>           a full bundle only: the content of each attachment it carries, once per SHA-256
                                   (listed in the manifest with size and hash like every file)

The shipped schemas (resources/schemas/) are generated from spec.py by `python -m
renewal_desk.core.exchange.docs --write-schemas`; a test keeps them equal.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from jsonschema import Draft202012Validator

from ..paths import resource
from ..problems import InputError, Problem, declare
from . import signing, spec

MANIFEST = "manifest.json"
WORKBOOK = "renewal-desk-export.xlsx"
TOMBSTONES = "tombstones"
SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
UTC_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"
LOCAL_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"
SHA_PATTERN = r"^[0-9a-f]{64}$"
JSONSCHEMA_SAMPLE = 200  # lines of every file also run through the jsonschema package

E_NOT_BUNDLE = declare("exchange.not_bundle", "不是数据包：{path}（找不到 manifest.json）",
                       "Not a bundle: {path} (no manifest.json)")
E_MANIFEST = declare("exchange.manifest_bad", "数据包清单 manifest.json 无效：{detail}",
                     "The bundle's manifest.json is invalid: {detail}")
E_FORMAT = declare("exchange.format", "数据包格式或版本不受支持：{found}（本程序读取 renewal-desk-export 第 1 版）",
                   "Unsupported bundle format or version: {found} (this program reads renewal-desk-export version 1)")
E_MISSING = declare("exchange.missing_file", "数据包缺少文件：{file}，数据包不完整或被改动，已拒绝",
                    "The bundle lacks the file {file}: incomplete or altered, refused")
E_EXTRA = declare("exchange.extra_file", "数据包含有清单之外的文件：{file}，已拒绝",
                  "The bundle holds a file its manifest does not list: {file}; refused")
E_CHECKSUM = declare("exchange.checksum", "文件校验值（SHA-256）不符：{file}，数据包在导出后被改动或已损坏，已拒绝",
                     "Checksum (SHA-256) mismatch: {file}; the bundle was altered or damaged after export; refused")
E_SCHEMA_DIFFERS = declare("exchange.schema_differs", "数据包的结构定义 {file} 与本程序的第 1 版定义不同，已拒绝",
                           "The bundle's schema {file} differs from this program's version 1 definition; refused")
E_BAD_JSON = declare("exchange.bad_json", "{file} 第 {row} 行不是有效的 JSON：{detail}",
                     "{file} line {row} is not valid JSON: {detail}")
E_INVALID = declare("exchange.invalid_record", "{file} 第 {row} 行不符合结构定义：{detail}",
                    "{file} line {row} does not match its schema: {detail}")
E_COUNT = declare("exchange.count", "{file} 有 {found} 条记录，清单写的是 {expected} 条，已拒绝",
                  "{file} holds {found} records, the manifest says {expected}; refused")
E_DUPLICATE = declare("exchange.duplicate", "{file} 第 {row} 行：唯一标识 {uuid} 重复出现",
                      "{file} line {row}: the identity {uuid} appears twice")


E_TOO_LARGE = declare("exchange.too_large", "数据包中的文件 {file} 超过上限（{limit}），已拒绝；未读入任何内容",
                      "The bundle's file {file} exceeds the limit ({limit}); refused, nothing read")
E_RATIO = declare("exchange.ratio", "数据包中的文件 {file} 压缩比异常（超过 {limit} 倍，疑似“压缩炸弹”），已拒绝；未读入任何内容",
                  "The bundle's file {file} is compressed more than {limit} times (a likely zip bomb); refused, "
                  "nothing read")
E_BAD_NAME = declare("exchange.bad_name", "数据包中的文件名不允许：{file}（含“..”、绝对路径、反斜杠或符号链接），已拒绝",
                     "A file name in the bundle is not allowed: {file} (\"..\", an absolute path, a backslash or a "
                     "symbolic link); refused")
E_UUID_ACROSS = declare("exchange.uuid_across", "{file} 第 {row} 行：唯一标识 {uuid} 已被另一类记录（{other}）使用，已拒绝",
                        "{file} line {row}: the identity {uuid} is already used by another record type ({other}); "
                        "refused")

# Limits of what a bundle may hold, checked before anything is read (zip sizes against the manifest)
# and again while reading (a stream stops at the limit, whatever the headers say).
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024 * 1024  # one file: a 100 000-household export's largest is ~200 MB
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 100  # JSON Lines deflate about 5–15 times; a file of newlines about 1000 times
MAX_FILES = 20_000  # every file, the attachments' contents too (a community's photos: some thousands)
CHUNK = 1024 * 1024
CONTENT_DIR = "attachments"

E_CONTENT = declare("exchange.content_bad", "数据包中附件“{name}”（{owner}，唯一标识 {uuid}）的文件 {file} {reason}，本机也没有"
                    "这份内容，已拒绝整个数据包；未导入任何内容",
                    "The file {file} of attachment '{name}' ({owner}, identity {uuid}) in the bundle {reason_en}, and "
                    "this database does not have that content; the whole bundle is refused, nothing was imported")
E_CONTENT_SIZE = declare("exchange.content_size", "数据包中附件“{name}”（唯一标识 {uuid}）记录的大小 {size} 字节与文件 {file} "
                         "的 {found} 字节不符，已拒绝；未导入任何内容",
                         "Attachment '{name}' (identity {uuid}) states {size} bytes but its file {file} has {found}; "
                         "refused, nothing was imported")
CONTENT_REASONS = {"missing": ("缺失", "is missing"), "altered": ("与清单的校验值或大小不符（被改动或已损坏）",
                                                                  "does not match the manifest's hash or size "
                                                                  "(altered or damaged)")}


def content_path(sha256: str) -> str:
    """The file of an attachment's content in a bundle."""
    return f"{CONTENT_DIR}/{sha256}"


def content_sha(name: str) -> str | None:
    """The SHA-256 a bundle file `attachments/<sha256>` is named by, None for any other name."""
    head, _, tail = name.partition("/")
    if head != CONTENT_DIR or len(tail) != 64 or any(c not in "0123456789abcdef" for c in tail):
        return None
    return tail


def max_content_bytes() -> int:
    """One attachment's limit, as when it is attached (core.db.ATTACHMENT_MAX_BYTES)."""
    from .. import db

    return db.ATTACHMENT_MAX_BYTES


def _size_text(n: int) -> str:
    return f"{n // (1024 * 1024)} MB"


def data_path(record_type: str) -> str:
    return f"data/{record_type}.jsonl"


def schema_path(name: str) -> str:
    return f"schemas/{name}.schema.json"


# ---------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------
def _nullable(schema: dict, nullable: bool) -> dict:
    if not nullable:
        return schema
    out = dict(schema)
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    t = out.get("type")
    out["type"] = [t, "null"] if isinstance(t, str) else t
    return out


def field_schema(rt: spec.RecordType, f: spec.Field) -> dict:
    zh, en = spec.label(rt.name, f.name)
    if f.kind in ("uuid", "ref", "owner"):
        body: dict[str, Any] = {"type": "string", "pattern": UUID_PATTERN}
    elif f.kind in ("utc", "base"):
        body = {"type": "string", "pattern": UTC_PATTERN}
    elif f.kind == "datetime":
        body = {"type": "string", "pattern": LOCAL_PATTERN}
    elif f.kind == "date":
        body = {"type": "string", "pattern": DATE_PATTERN}
    elif f.kind == "decimal":
        body = {"type": "string", "pattern": DECIMAL_PATTERN}
    elif f.kind == "int":
        body = {"type": "integer"}
    elif f.kind == "bool":
        body = {"type": "boolean"}
    elif f.kind == "reflist":
        body = {"type": "array", "items": {"type": "string", "pattern": UUID_PATTERN}}
    elif f.kind == "values":
        items: dict[str, Any] = {"type": "string"}
        if f.codes:
            items["enum"] = list(f.codes)
        body = {"type": "array", "items": items}
    elif f.kind == "objects":
        body = {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["item_uuid", "priority", "vote"],
            "properties": {"item_uuid": {"type": "string", "pattern": UUID_PATTERN},
                           "priority": {"type": "integer", "minimum": 1},
                           "vote": {"enum": ["yes", "no", "abstain"]}}}}
    else:
        body = {"type": "string"}
        if f.max_length:
            body["maxLength"] = f.max_length
        if f.codes:
            body["enum"] = list(f.codes)
    body = _nullable(body, f.nullable or f.personal == spec.OMIT)
    out = {"title": zh, "description": en, **body}
    if f.kind == "owner":
        out["x-references"] = "owner_table"
    if f.kind in ("ref", "reflist") and f.target:
        target = spec.BY_TABLE.get(f.target)
        out["x-references"] = target.name if target else f.target
    if f.personal:
        out["x-personal-data"] = f.personal
    if f.optional:  # added by a later migration: older bundles leave it out, the column default fills it
        out["default"] = spec.field_default(rt, f)
    if f.name.endswith("_fen"):
        out["x-unit"] = "fen"
    elif f.kind == "decimal" and "area" in f.name:
        out["x-unit"] = "m2"
    return out


def record_schema(rt: spec.RecordType) -> dict:
    fields = spec.fields(rt)
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": f"urn:renewal-desk-export:1:{rt.name}",
        "title": f"{rt.zh} {rt.en}",
        "description": f"renewal-desk-export v{spec.VERSION}: one line of {data_path(rt.name)} "
                       f"(table {rt.table.name})",
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if not f.optional],
        "properties": {f.name: field_schema(rt, f) for f in fields},
    }


def derived_schema(dt: spec.DerivedType) -> dict:
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": f"urn:renewal-desk-export:1:{dt.name}",
        "title": f"{dt.zh} {dt.en}",
        "description": f"renewal-desk-export v{spec.VERSION}: one line of {data_path(dt.name)} "
                       "(figures computed from the records; not imported)",
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in dt.fields],
        "properties": {f.name: field_schema(dt, f) for f in dt.fields},
    }


def tombstone_schema() -> dict:
    return {
        "$schema": SCHEMA_DRAFT, "$id": "urn:renewal-desk-export:1:tombstones",
        "title": "删除记录 Deleted records (tombstones)",
        "description": f"renewal-desk-export v{spec.VERSION}: one line of {data_path(TOMBSTONES)}",
        "type": "object", "additionalProperties": False, "required": ["record_type", "uuid", "deleted_at"],
        "properties": {
            "record_type": {"title": "记录类型", "description": "The record type of the deleted record",
                            "enum": [t.name for t in spec.RECORD_TYPES]},
            "uuid": {"title": "唯一标识", "description": "The deleted record's identity", "type": "string",
                     "pattern": UUID_PATTERN},
            "deleted_at": {"title": "删除时间", "description": "When it was deleted (UTC)", "type": "string",
                           "pattern": UTC_PATTERN},
        },
    }


def manifest_schema() -> dict:
    names = [t.name for t in spec.RECORD_TYPES] + [d.name for d in spec.DERIVED_TYPES]
    counts = {"type": "object", "additionalProperties": False,
              "required": [n for n in names if n not in spec.LATER_TYPES],  # a bundle written before them: none
              "properties": {n: {"type": "integer", "minimum": 0} for n in names}}
    text = {"type": "string"}
    return {
        "$schema": SCHEMA_DRAFT, "$id": "urn:renewal-desk-export:1:manifest",
        "title": "数据包清单 Bundle manifest", "description": "manifest.json of a renewal-desk-export bundle",
        "type": "object", "additionalProperties": False,
        "required": ["format", "version", "app_version", "office", "operator", "instance_id", "created_at",
                     "period", "recipient", "purpose", "personal_data", "counts", "tombstones", "files"],
        "properties": {
            "format": {"title": "格式", "description": "Always renewal-desk-export", "const": spec.FORMAT},
            "version": {"title": "格式版本", "description": "Format version", "const": spec.VERSION},
            "app_version": {"title": "程序版本", "description": "Version of the program that wrote it", **text},
            "office": {"title": "导出单位", "description": "Producing office (sub-district / community)", **text},
            "operator": {"title": "操作人", "description": "Staff member who exported", **text},
            "instance_id": {"title": "数据库标识", "description": "Identity of the producing database",
                            "type": "string", "pattern": UUID_PATTERN},
            "created_at": {"title": "导出时间", "description": "When the bundle was written (UTC)",
                           "type": "string", "pattern": UTC_PATTERN},
            "period": {"title": "数据期间", "description": "Changes from `since` (null = everything) to `until`",
                       "type": "object", "additionalProperties": False, "required": ["since", "until"],
                       "properties": {"since": {"type": ["string", "null"], "pattern": UTC_PATTERN},
                                      "until": {"type": "string", "pattern": UTC_PATTERN}}},
            "recipient": {"title": "接收方", "description": "To whom it was exported", **text},
            "purpose": {"title": "用途", "description": "Purpose (required with full personal data)", **text},
            "personal_data": {"title": "个人信息", "description": "masked (default) or full",
                              "enum": ["masked", "full"]},
            "counts": {"title": "记录数", "description": "Records per record type", **counts},
            "tombstones": {"title": "删除记录数", "description": "Lines of data/tombstones.jsonl",
                           "type": "integer", "minimum": 0},
            "audit_head": {"title": "审计日志链头", "description": "The producing database's newest audit entry when "
                           "the bundle was written: its id and chain hash (a later check there shows whether the log "
                           "was cut back or rewritten since); null for an empty log",
                           "type": ["object", "null"], "additionalProperties": False, "required": ["id", "sha256"],
                           "properties": {"id": {"type": "integer", "minimum": 0},
                                          "sha256": {"type": "string", "pattern": SHA_PATTERN}}},
            "files": {"title": "文件清单", "description": "Every file of the bundle but the manifest, with SHA-256 (the "
                      "attachments' contents attachments/<sha256> too)",
                      "type": "array", "items": {
                          "type": "object", "additionalProperties": False, "required": ["path", "sha256", "bytes"],
                          "properties": {"path": {"type": "string"},
                                         "sha256": {"type": "string", "pattern": SHA_PATTERN},
                                         "bytes": {"type": "integer", "minimum": 0}}}},
        },
    }


def generated_schemas() -> dict[str, dict]:
    """name -> schema, for every record type, the tombstones and the manifest."""
    out = {t.name: record_schema(t) for t in spec.RECORD_TYPES}
    out.update({d.name: derived_schema(d) for d in spec.DERIVED_TYPES})
    out[TOMBSTONES] = tombstone_schema()
    out["manifest"] = manifest_schema()
    for schema in out.values():
        _bound_strings(schema)
    return out


# the longest text a field of the app holds without a column length (notes, observations, addresses):
# what a person types into a form; a longer value in a bundle is refused by its schema
TEXT_MAX_LENGTH = 20_000
PATTERN_LENGTHS = {UUID_PATTERN: 36, UTC_PATTERN: 27, LOCAL_PATTERN: 26, DATE_PATTERN: 10, DECIMAL_PATTERN: 32,
                   SHA_PATTERN: 64}


def _bound_strings(node: Any) -> None:
    """Give every string of a schema a maxLength: its pattern's length, else TEXT_MAX_LENGTH."""
    if isinstance(node, dict):
        kinds = node.get("type")
        if (kinds == "string" or (isinstance(kinds, list) and "string" in kinds)) and "maxLength" not in node:
            node["maxLength"] = PATTERN_LENGTHS.get(node.get("pattern"), TEXT_MAX_LENGTH)
        for value in node.values():
            _bound_strings(value)
    elif isinstance(node, list):
        for value in node:
            _bound_strings(value)


def schema_text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def schemas_dir() -> Path:
    return resource("schemas")


@lru_cache(maxsize=None)
def shipped_schema_bytes(name: str) -> bytes:
    return (schemas_dir() / f"{name}.schema.json").read_bytes()


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    """The validator of a shipped schema (the files in resources/schemas, as copied into bundles)."""
    schema = json.loads(shipped_schema_bytes(name))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_names() -> list[str]:
    return [t.name for t in spec.RECORD_TYPES] + [d.name for d in spec.DERIVED_TYPES] + [TOMBSTONES, "manifest"]


# ---------------------------------------------------------------------------------------------
# A compiled check of the same schemas, for the exporter's hot loop
# ---------------------------------------------------------------------------------------------
ANNOTATIONS = {"$schema", "$id", "title", "description", "default", "x-personal-data", "x-references", "x-unit"}
SUPPORTED = ANNOTATIONS | {"type", "enum", "const", "pattern", "maxLength", "minimum", "required",
                           "additionalProperties", "properties", "items"}
_JSON_TYPES = {"string": (str,), "integer": (int,), "boolean": (bool,), "array": (list,), "object": (dict,),
               "null": (type(None),)}


def _compile(schema: dict):
    """A predicate value -> bool for the keywords our generated schemas use (see generated_schemas).
    It refuses any other keyword, so it can never skip a rule the schema states."""
    import re as _re

    unknown = set(schema) - SUPPORTED
    if unknown or schema.get("additionalProperties", False) not in (False,):
        raise ValueError(f"schema keyword not compiled: {sorted(unknown) or 'additionalProperties'}")
    checks = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        kinds = tuple(k for n in names for k in _JSON_TYPES[n])
        allow_bool = "boolean" in names

        def type_ok(v, kinds=kinds, allow_bool=allow_bool):
            return isinstance(v, kinds) and (allow_bool or not isinstance(v, bool))
        checks.append(type_ok)
    if "enum" in schema:
        allowed = schema["enum"]
        checks.append(lambda v, allowed=allowed: any(v == a and type(v) is type(a) for a in allowed))
    if "const" in schema:
        const = schema["const"]
        checks.append(lambda v, const=const: v == const and type(v) is type(const))
    if "pattern" in schema:
        search = _re.compile(schema["pattern"]).search
        checks.append(lambda v, search=search: not isinstance(v, str) or search(v) is not None)
    if "maxLength" in schema:
        limit = schema["maxLength"]
        checks.append(lambda v, limit=limit: not isinstance(v, str) or len(v) <= limit)
    if "minimum" in schema:
        low = schema["minimum"]
        checks.append(lambda v, low=low: isinstance(v, bool) or not isinstance(v, (int, float)) or v >= low)
    if "items" in schema:
        items = schema["items"]
        closed = items.get("type") == "object" and "properties" in items
        item_ok = _compile_record(items) if closed else _compile(items)
        checks.append(lambda v, item_ok=item_ok: not isinstance(v, list) or all(item_ok(x) for x in v))
    if "properties" in schema or "required" in schema:
        props = {k: _compile(v) for k, v in schema.get("properties", {}).items()}
        required = frozenset(schema.get("required", ()))
        closed = schema.get("additionalProperties", True) is False
        names = frozenset(props)

        def object_ok(v, props=props, required=required, closed=closed, names=names):
            if not isinstance(v, dict):
                return True
            keys = v.keys()
            if not required <= keys or (closed and not keys <= names):
                return False
            return all(props[k](x) for k, x in v.items() if k in props)
        checks.append(object_ok)
    if len(checks) == 1:
        return checks[0]
    return lambda v, checks=tuple(checks): all(c(v) for c in checks)


_TYPE_TESTS = {"string": "type({v}) is str", "integer": "type({v}) is int", "boolean": "type({v}) is bool",
               "array": "type({v}) is list", "object": "type({v}) is dict", "null": "{v} is None"}


def _scalar_tests(prop: dict, var: str, env: dict[str, Any], tag: str) -> list[str]:
    """Python expressions on `var`, one per keyword of `prop` that applies to a single value (type,
    enum, const, pattern, maxLength, minimum), with the same meaning as _compile's closures."""
    import re as _re

    tests = []
    if "type" in prop:
        names = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
        tests.append("(" + " or ".join(_TYPE_TESTS[n].format(v=var) for n in names) + ")")
    if "enum" in prop:
        pairs = [(a, type(a)) for a in prop["enum"]]
        try:
            env[f"E{tag}"] = frozenset(pairs)
            # a list or an object is never among hashable allowed values (and cannot be looked up in a set)
            tests.append(f"(not isinstance({var}, (list, dict)) and ({var}, type({var})) in E{tag})")
        except TypeError:  # an unhashable allowed value: a list does the same, slower
            env[f"E{tag}"] = pairs
            tests.append(f"({var}, type({var})) in E{tag}")
    if "const" in prop:
        env[f"C{tag}"] = (prop["const"], type(prop["const"]))
        tests.append(f"({var}, type({var})) == C{tag}")
    if "pattern" in prop:
        env[f"P{tag}"] = _re.compile(prop["pattern"]).search
        tests.append(f"(type({var}) is not str or P{tag}({var}) is not None)")
    if "maxLength" in prop:
        tests.append(f"(type({var}) is not str or len({var}) <= {int(prop['maxLength'])})")
    if "minimum" in prop:
        tests.append(f"(type({var}) not in (int, float) or {var} >= {prop['minimum']!r})")
    return tests


def _flat(prop: dict) -> bool:
    """A schema of one value with no nested items or properties."""
    if set(prop) - SUPPORTED:
        raise ValueError(f"schema keyword not compiled: {sorted(set(prop) - SUPPORTED)}")
    return "items" not in prop and "properties" not in prop and "required" not in prop


def _closed_flat_object(schema: dict) -> bool:
    """An object schema whose every property is required, no other allowed, each a flat value."""
    props = schema.get("properties")
    return (isinstance(props, dict) and schema.get("type") == "object" and not set(schema) - SUPPORTED
            and schema.get("additionalProperties") is False and set(schema.get("required", ())) == set(props)
            and all(_flat(p) for p in props.values()))


def _compile_record(schema: dict):
    """Straight-line code for a closed object of fields (a record schema): one test per keyword per
    field, in the order of the schema; lists of values and lists of closed objects (an order's choices)
    checked by an inline loop. Same keywords and meaning as _compile, which handles anything else."""
    props = schema["properties"]
    if set(schema) - SUPPORTED or schema.get("additionalProperties") is not False \
            or set(schema.get("required", ())) != set(props):
        return _compile(schema)
    env: dict[str, Any] = {"KEYS": frozenset(props)}
    lines = ["def check(r):", "    if type(r) is not dict or r.keys() != KEYS: return False"]
    for i, (key, prop) in enumerate(props.items()):
        if set(prop) - SUPPORTED:
            raise ValueError(f"schema keyword not compiled: {sorted(set(prop) - SUPPORTED)}")
        lines.append(f"    v = r[{key!r}]")
        if "properties" in prop or "required" in prop:
            env[f"N{i}"] = _compile(prop)
            lines.append(f"    if not N{i}(v): return False")
            continue
        tests = _scalar_tests(prop, "v", env, str(i))
        if tests:
            lines.append(f"    if not ({' and '.join(tests)}): return False")
        if "items" not in prop:
            continue
        items = prop["items"]
        if _closed_flat_object(items):
            env[f"K{i}"] = frozenset(items["properties"])
            lines += ["    if type(v) is list:", "        for x in v:",
                      f"            if type(x) is not dict or x.keys() != K{i}: return False"]
            for k, (sub, sub_prop) in enumerate(items["properties"].items()):
                sub_tests = _scalar_tests(sub_prop, "w", env, f"{i}_{k}")
                if sub_tests:
                    lines += [f"            w = x[{sub!r}]", f"            if not ({' and '.join(sub_tests)}): return False"]
        elif _flat(items):
            sub_tests = _scalar_tests(items, "x", env, f"{i}_i")
            if sub_tests:
                lines += ["    if type(v) is list:", "        for x in v:",
                          f"            if not ({' and '.join(sub_tests)}): return False"]
        else:
            env[f"N{i}"] = _compile({"items": items})
            lines.append(f"    if not N{i}(v): return False")
    lines.append("    return True")
    exec("\n".join(lines), env)  # noqa: S102 - code built above from our own shipped schema
    return env["check"]


@lru_cache(maxsize=None)
def fast_check(name: str):
    """The compiled predicate of a shipped schema (same file the validator reads)."""
    schema = json.loads(shipped_schema_bytes(name))
    if schema.get("type") == "object" and "properties" in schema:
        return _compile_record(schema)
    return _compile(schema)


def first_error(name: str, record: Any) -> str | None:
    """A short description of the first schema violation, or None when the record is valid."""
    error = next(validator(name).iter_errors(record), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(记录)"
    return f"{where}: {error.message[:200]}"


# ---------------------------------------------------------------------------------------------
# Reading and verifying
# ---------------------------------------------------------------------------------------------
def json_encoder(item_separator: str, key_separator: str):
    """value -> json.dumps(value, ensure_ascii=False, separators=(item_separator, key_separator)), byte
    for byte, without building a new encoder for every call as json.dumps does (half its time on a
    record of fifteen fields)."""
    from json import encoder as _enc

    if _enc.c_make_encoder is None:  # an interpreter without the C accelerator
        return lambda value: json.dumps(value, ensure_ascii=False, separators=(item_separator, key_separator))
    plain = json.JSONEncoder(ensure_ascii=False, separators=(item_separator, key_separator))
    make = _enc.c_make_encoder(None, plain.default, _enc.encode_basestring, None, key_separator, item_separator,
                               False, False, True)
    join = "".join
    return lambda value: join(make(value, 0))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bad_name(name: str) -> bool:
    parts = name.split("/")
    return (not name or "\\" in name or name.startswith("/") or ":" in parts[0] or "\x00" in name
            or any(p in ("", ".", "..") for p in parts))


class BundleReader:
    """Files of a bundle folder or .zip, by their POSIX path inside the bundle. Names with "..", absolute
    paths, backslashes and symbolic links are refused (zip and folder alike); reads are bounded."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._sizes: dict[str, int] = {}
        if self.path.is_symlink():
            raise InputError(Problem(E_BAD_NAME, {"file": str(path)}))
        if self.path.is_file():
            try:
                self._zip = zipfile.ZipFile(self.path)
            except zipfile.BadZipFile as exc:
                raise InputError(Problem(E_NOT_BUNDLE, {"path": str(path)})) from exc
            try:
                self._check_zip()
            except BaseException:
                self._zip.close()
                raise
        elif self.path.is_dir():
            self._check_folder()
        else:
            raise InputError(Problem(E_NOT_BUNDLE, {"path": str(path)}))

    def _check_zip(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_FILES:
            raise _refuse(E_TOO_LARGE, file=str(self.path), limit=f"{MAX_FILES} 个文件")
        for info in infos:
            name = info.filename
            if _bad_name(name.rstrip("/") if info.is_dir() else name) or stat.S_ISLNK(info.external_attr >> 16):
                raise _refuse(E_BAD_NAME, file=name)
            if not info.is_dir():
                if info.file_size > MAX_FILE_BYTES:
                    raise _refuse(E_TOO_LARGE, file=name, limit=_size_text(MAX_FILE_BYTES))
                if info.file_size > CHUNK and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise _refuse(E_RATIO, file=name, limit=MAX_RATIO)
                self._sizes[name] = info.file_size

    def _check_folder(self) -> None:
        for root, dirs, files in os.walk(self.path, followlinks=False):
            for entry in (*dirs, *files):
                full = Path(root, entry)
                rel = full.relative_to(self.path).as_posix()
                if full.is_symlink() or _bad_name(rel):
                    raise _refuse(E_BAD_NAME, file=rel)
            for entry in files:
                full = Path(root, entry)
                mode = full.lstat()
                if not stat.S_ISREG(mode.st_mode):
                    raise _refuse(E_BAD_NAME, file=full.relative_to(self.path).as_posix())
                self._sizes[full.relative_to(self.path).as_posix()] = mode.st_size
            if len(self._sizes) > MAX_FILES:
                raise _refuse(E_TOO_LARGE, file=str(self.path), limit=f"{MAX_FILES} 个文件")

    def names(self) -> list[str]:
        return sorted(self._sizes)

    def size(self, name: str) -> int:
        """The size the zip's header or the folder's file states (read() still stops at the limit)."""
        return self._sizes[name]

    def read(self, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
        """The whole file, read in chunks; refused once more than `limit` bytes come out."""
        if name not in self._sizes or _bad_name(name):
            raise _refuse(E_BAD_NAME, file=name)
        if self._sizes[name] > limit:
            raise _refuse(E_TOO_LARGE, file=name, limit=_size_text(limit))
        opened = self._zip.open(name) if self._zip is not None else open(self.path / PurePosixPath(name), "rb")
        out = bytearray()
        with opened as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                out += chunk
                if len(out) > limit:
                    raise _refuse(E_TOO_LARGE, file=name, limit=_size_text(limit))
        return bytes(out)

    def copy_to(self, name: str, target: Path, limit: int) -> tuple[str, int]:
        """Copy a file out in chunks (stopping once more than `limit` bytes come out); its SHA-256 and size."""
        if name not in self._sizes or _bad_name(name):
            raise _refuse(E_BAD_NAME, file=name)
        opened = self._zip.open(name) if self._zip is not None else open(self.path / PurePosixPath(name), "rb")
        digest, size = hashlib.sha256(), 0
        with opened as fh, open(target, "xb") as out:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _refuse(E_TOO_LARGE, file=name, limit=_size_text(limit))
                digest.update(chunk)
                out.write(chunk)
        return digest.hexdigest(), size

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


@dataclass
class LoadedBundle:
    manifest: dict
    manifest_sha256: str
    records: dict[str, list[dict]]  # record type -> records, in file order
    tombstones: list[dict]
    signer: signing.Signer | None = None
    # sha256 -> a private temporary copy of the attachment content, checked against its hash and size
    contents: dict[str, Path] = field(default_factory=dict)
    spool: Path | None = None  # the folder of those copies (close() removes it)

    @property
    def masked(self) -> bool:
        return self.manifest["personal_data"] != "full"

    def close(self) -> None:
        if self.spool is not None:
            import shutil

            shutil.rmtree(self.spool, ignore_errors=True)
            self.spool = None


def _refuse(code: str, **params) -> InputError:
    return InputError(Problem(code, params))


def iter_lines(data: bytes) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(io.StringIO(data.decode("utf-8")), start=1):
        if line.strip():
            yield number, line


# SHA-256 of the schema files shipped by earlier versions of this format (version 1), since bundles were
# read bounded: a bundle written then carries them and is read; its records are checked against this
# program's schemas, where the fields added later (spec.LATER_COLUMNS) are optional. Add the old hash
# here whenever a schema file changes.
EARLIER_SCHEMAS: dict[str, frozenset[str]] = {
    "designer_appointments": frozenset({  # before 0020 (status stored as 在任 / 已离任: spec.OLD_CODES)
        "ee8afd16e1d190e07623ffc362154a6e9a6fa85f8758178c60749762147f5a67"}),
    "designer_responses": frozenset({  # before 0013 (voided, void_reason); 0013 with them required
        "2ac05939d7fdbcdf57f45766e9f140792c237735ab17e3f31d59da7c655551da",
        "972f928b40c700715926be9f49b1b0769e5a8ced1a445b40489170a3df811f78",
        "6acc3b31efb4585d161a9f230cd0bbbb3387abfba13d9f9ef92ff188e9176622"}),  # before 0023 (status: OLD_CODES)
    "manifest": frozenset({  # before audit_head
        "a7bd33813165a7671cb8470175a6f25f4c1665ce2ad49118b9c612c22379ef64",
        "2abddd72e285b973c49d3c57880e7c932cb2829a54e2278ea9a09ec8820230d6"}),  # before attachments (bundle18i)
    "tombstones": frozenset({  # before attachments (bundle18i): the record types' list without them
        "0d9e453f304a2d80c593cdce8223eedb06db9b32bb3ab60a5e27fedf4352a3fe"}),
    "motions": frozenset({  # before 0012 (scope); 0012 unbounded, then with the scope fields required
        "7600fde50d352a4e4310932f7c150f7711808e79c54556696c675b4d5b9c49e8",
        "7d1f9ffb2ea9002422cb1ac18f35dded89c2e379048ea5d9d5c67a76f1b80b4b",
        "9b7825204e067f34ac73a9a3102b60b29b63e366addaeb7618a8c99112790418",
        "c0ec9a0dd36de3657cc5c9ef18e904b0c6f511b90693a1acf06de9230e30668e"}),  # before 0020 (state: OLD_CODES)
    # before 0022 (enum21b; values stored as their Chinese labels: spec.OLD_CODES)
    "followup_tasks": frozenset({"249a6fe05a3e251c8c1a69361e178e3d0ea2a989faa0e80fc401645af627c7ab"}),
    "meeting_attendees": frozenset({"b10b3a6eb4a15da2cc14c9ca785b2650abb059f6958f2400b7ab3a8d3b35b547"}),
    "meetings": frozenset({"0fffa1ace56b911adcdb695784105f3d880e805884dd98636464ca473e844b29"}),
    "problem_transitions": frozenset({"26d02ea621ccbe51bdfd930b177d8bab6da05df17c26f795cc7cbf2fba8c23e6"}),
    "supervision_problems": frozenset({"7462f8490432038bb81c124fee601deb18e41255544f917ab88c8345e148ed1d",
                                       # before 0025 (category, severity: OLD_CODES)
                                       "e3a5582e488a8affe98e2a5ad9d5f51e8b6d304d247f7a8392825bdb11a4459d"}),
    "menu_items": frozenset({"781bdc58c6ae3877ee907b2d1c46e8f5f33e9757ace3256882d3c2f88b2a7ec8"}),
    "ordering_rounds": frozenset({"8e9635d4607743bc967dd5eb35897b2b313c8eeb90dbd40f7fa2db8ba5e7fe89"}),
    "orders": frozenset({"946a6f97a47c1b2a74e3de2cd48db99f62435ba143254d39a75b92ec7ea90cf3"}),
    "ordering_results": frozenset({"9ce9c900c5faebd5735000ab5dd88c8d3f0eb596bd66b3109e63c2050e4639f4"}),
    # before 0023 (enum21c; values stored as their Chinese labels: spec.OLD_CODES; designer_responses above)
    "projects": frozenset({"1ca067d196ddad250172dd7e8bb5894396fdacd9e446843e454a0ff9da68dfbd"}),
    "stored_houses": frozenset({"99e8644268ddf4af8c0dfa98688151768fb3820ab098c1b261d27effcf434eea"}),
    "lease_contracts": frozenset({"5474bbbd2ff488920d22750614642175445b315214b306499737a6b30d182af9"}),
    "designer_opinions": frozenset({"194990a4facf954d5316ba81be40c7f949be13815be9972da59c5a24f7126872"}),
    # before 0025 (kind stored as its Chinese label: spec.OLD_CODES)
    "construction_parties": frozenset({"7adefb5f18d3aae2a9e6704530d5766323e8e425bb54451cc013a6e6b7a5a7d2"}),
}


def load_bundle(path: Path, trusted: Callable[[str], bool] | None = None,
                have_content: Callable[[str], bool] | None = None) -> LoadedBundle:
    """Read and verify a bundle: its signature, manifest, checksums of every file, the schemas it carries,
    and every record against this program's schemas. Raises InputError with the first reason to refuse it.

    `trusted(fingerprint)` says whether the signer is trusted: asked right after the signature is verified,
    before any other file is read (signing.UntrustedKey when not); None accepts any valid signature.

    Attachments' contents are copied into a private temporary folder while hashed (the caller closes the
    result); an attachment whose content file is missing, altered or unlisted refuses the bundle unless
    `have_content(sha256)` says the receiving database already holds that content."""
    reader = BundleReader(path)
    loaded = None
    spool: Path | None = None
    try:
        names = set(reader.names())
        if MANIFEST not in names:
            raise _refuse(E_NOT_BUNDLE, path=str(path))
        raw = reader.read(MANIFEST, MAX_MANIFEST_BYTES)
        try:
            manifest = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _refuse(E_MANIFEST, detail=str(exc)[:200]) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != spec.FORMAT \
                or manifest.get("version") != spec.VERSION:
            found = f"{manifest.get('format')} {manifest.get('version')}" if isinstance(manifest, dict) else "?"
            raise _refuse(E_FORMAT, found=found)
        signed = reader.read(signing.SIGNATURE, signing.MAX_SIGNATURE_BYTES) if signing.SIGNATURE in names else None
        signer = signing.verify(raw, signed)
        if trusted is not None and not trusted(signer.fingerprint):
            office = manifest.get("office") if isinstance(manifest.get("office"), str) else ""
            raise signing.UntrustedKey(signer.fingerprint, office[:100])
        problem = first_error("manifest", manifest)
        if problem:
            raise _refuse(E_MANIFEST, detail=problem)
        listed = {f["path"]: f for f in manifest["files"]}
        for extra in sorted(names - set(listed) - {MANIFEST, signing.SIGNATURE}):
            raise _refuse(E_EXTRA, file=extra)
        known = known_names()
        for name in sorted(set(listed) - known):  # only the bundle's own file names are ever read
            if content_sha(name) is None:
                raise _refuse(E_BAD_NAME if _bad_name(name) else E_EXTRA, file=name)
        carried_types = set(manifest["counts"])
        required = {data_path(t) for t in [*carried_types, TOMBSTONES]}
        required |= {schema_path(n) for n in schema_names() if n not in spec.LATER_TYPES or n in carried_types}
        for name in sorted(required | set(listed)):
            if content_sha(name) is not None:
                continue  # an attachment's content: judged with its record below
            if name not in names:
                raise _refuse(E_MISSING, file=name)
            if name not in listed:
                raise _refuse(E_MISSING, file=f"{name}（清单 manifest）")
        total, content_limit = 0, max_content_bytes()
        bad: dict[str, str] = {}  # sha256 -> why its content file cannot be used
        for name, entry in listed.items():  # every size before any file is read
            sha = content_sha(name)
            if sha is not None:
                if entry["bytes"] > content_limit:  # a photo larger than may ever be attached
                    raise _refuse(E_TOO_LARGE, file=name, limit=_size_text(content_limit))
                if name not in names:
                    bad[sha] = "missing"
                elif reader.size(name) != entry["bytes"] or entry["sha256"] != sha:
                    bad[sha] = "altered"
            elif reader.size(name) != entry["bytes"]:
                raise _refuse(E_CHECKSUM, file=name)
            if entry["bytes"] > MAX_FILE_BYTES:
                raise _refuse(E_TOO_LARGE, file=name, limit=_size_text(MAX_FILE_BYTES))
            total += entry["bytes"]
            if total > MAX_TOTAL_BYTES:
                raise _refuse(E_TOO_LARGE, file=str(path), limit=f"合计 {_size_text(MAX_TOTAL_BYTES)}")
        contents: dict[str, bytes] = {}
        copies: dict[str, Path] = {}
        for name, entry in listed.items():
            sha = content_sha(name)
            if sha is not None:
                if sha in bad:
                    continue
                if spool is None:
                    import tempfile

                    spool = Path(tempfile.mkdtemp(prefix="renewal-desk-import-"))  # owner-only
                found, size = reader.copy_to(name, spool / sha, entry["bytes"])
                if found != sha or size != entry["bytes"]:
                    (spool / sha).unlink()
                    bad[sha] = "altered"
                else:
                    copies[sha] = spool / sha
                continue
            data = reader.read(name, entry["bytes"])
            if sha256_bytes(data) != entry["sha256"] or len(data) != entry["bytes"]:
                raise _refuse(E_CHECKSUM, file=name)
            contents[name] = data
        for name in schema_names():
            if schema_path(name) not in contents:
                continue  # a record type added after the bundle was written (spec.LATER_TYPES)
            carried = contents[schema_path(name)]
            if carried != shipped_schema_bytes(name) and sha256_bytes(carried) not in EARLIER_SCHEMAS.get(name, ()):
                raise _refuse(E_SCHEMA_DIFFERS, file=schema_path(name))
        records: dict[str, list[dict]] = {}
        for rt in spec.RECORD_TYPES:
            if rt.name in spec.LATER_TYPES and rt.name not in carried_types:
                records[rt.name] = []  # written before the type was exchanged: none of it
                continue
            file = data_path(rt.name)
            rows = _parse(file, contents[file], rt.name)
            if len(rows) != manifest["counts"][rt.name]:
                raise _refuse(E_COUNT, file=file, found=len(rows), expected=manifest["counts"][rt.name])
            records[rt.name] = rows
        for dt in spec.DERIVED_TYPES:  # checked like records, not merged
            file = data_path(dt.name)
            rows = _parse(file, contents[file], dt.name, unique=False)
            if len(rows) != manifest["counts"][dt.name]:
                raise _refuse(E_COUNT, file=file, found=len(rows), expected=manifest["counts"][dt.name])
        owner: dict[str, str] = {}
        for name, rows in records.items():  # one identity, one record, across every type
            for number, record in enumerate(rows, start=1):
                other = owner.setdefault(record["uuid"], name)
                if other != name:
                    raise _refuse(E_UUID_ACROSS, file=data_path(name), row=number, uuid=record["uuid"], other=other)
        tomb_file = data_path(TOMBSTONES)
        tombstones = _parse(tomb_file, contents[tomb_file], TOMBSTONES, unique=False)
        if len(tombstones) != manifest["tombstones"]:
            raise _refuse(E_COUNT, file=tomb_file, found=len(tombstones), expected=manifest["tombstones"])
        _check_contents(records.get(spec.ATTACHMENTS, ()), copies, bad, have_content)
        loaded = LoadedBundle(manifest, sha256_bytes(raw), records, tombstones, signer, copies, spool)
        return loaded
    finally:
        reader.close()
        if loaded is None and spool is not None:
            import shutil

            shutil.rmtree(spool, ignore_errors=True)


def _check_contents(rows, copies: dict[str, Path], bad: dict[str, str],
                    have_content: Callable[[str], bool] | None) -> None:
    """Every attachment has its content: a checked file of the bundle (of its stated size), or the same content
    already in the receiving database. Else the whole bundle is refused, naming the file and the record."""
    for number, rec in enumerate(rows, start=1):
        sha = rec["sha256"]
        file = content_path(sha)
        if sha in copies:
            found = copies[sha].stat().st_size
            if found != rec["size"]:
                raise _refuse(E_CONTENT_SIZE, name=rec["original_name"], uuid=rec["uuid"], size=rec["size"],
                              file=file, found=found)
            continue
        if have_content is not None and have_content(sha):
            continue
        reason = bad.get(sha, "missing")  # altered, or not in the bundle at all
        owner = spec.BY_TABLE.get(rec["owner_table"])
        raise _refuse(E_CONTENT, name=rec["original_name"], uuid=rec["uuid"], file=file,
                      owner=f"{owner.zh if owner else rec['owner_table']} {rec['owner_uuid']}",
                      reason=CONTENT_REASONS[reason][0], reason_en=CONTENT_REASONS[reason][1])


def known_names() -> set[str]:
    """Every file name a version 1 bundle may hold."""
    names = {MANIFEST, signing.SIGNATURE, WORKBOOK, data_path(TOMBSTONES)}
    names |= {data_path(t.name) for t in (*spec.RECORD_TYPES, *spec.DERIVED_TYPES)}
    return names | {schema_path(n) for n in schema_names()}


def _parse(file: str, data: bytes, schema: str, unique: bool = True) -> list[dict]:
    rows, seen = [], set()
    fast = fast_check(schema)
    rt = spec.BY_NAME.get(schema)
    defaults = {f.name: spec.field_default(rt, f) for f in spec.fields(rt) if f.optional} if rt else {}
    old_codes = spec.OLD_CODES.get(schema, {}).items()
    try:
        lines = list(iter_lines(data))
    except UnicodeDecodeError as exc:
        raise _refuse(E_BAD_JSON, file=file, row=1, detail=str(exc)[:120]) from exc
    for number, line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _refuse(E_BAD_JSON, file=file, row=number, detail=str(exc)[:120]) from exc
        for key, codes in old_codes:  # a value stored as its Chinese label before 0020 / 0022 / 0023 / 0025
            if not isinstance(record, dict):
                continue
            if key in spec.OLD_CODE_LISTS.get(schema, ()):  # a comma-joined list of them (stakeholders)
                value = record.get(key)
                if isinstance(value, str) and value:
                    record[key] = ",".join(codes.get(p, p) for p in value.split(","))
            elif record.get(key) in codes:
                record[key] = codes[record[key]]
        # the compiled check of the schema for every record (tested to agree with jsonschema), the
        # jsonschema package for the first lines of every file and for any record it rejects
        if number <= JSONSCHEMA_SAMPLE or not fast(record):
            problem = first_error(schema, record)
            if problem:
                raise _refuse(E_INVALID, file=file, row=number, detail=problem)
        for key, value in defaults.items():  # a field added after the bundle was written
            record.setdefault(key, value)
        if unique:
            if record["uuid"] in seen:
                raise _refuse(E_DUPLICATE, file=file, row=number, uuid=record["uuid"])
            seen.add(record["uuid"])
        rows.append(record)
    return rows


def write_schemas(target: Path | None = None) -> list[Path]:
    target = target or schemas_dir()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in generated_schemas().items():
        path = target / f"{name}.schema.json"
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written

