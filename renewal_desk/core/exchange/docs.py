"""The field reference of resources/docs/export-format.md, generated from the shipped JSON Schemas so
the page and the schemas cannot drift apart (a test compares them). The prose around it is written
by hand; only the part between the markers is generated."""

from __future__ import annotations

import json
from pathlib import Path

from ..paths import resource
from . import bundle, spec

BEGIN = "<!-- generated: field tables (python -m renewal_desk.core.exchange.docs --write-schemas) -->"
END = "<!-- end of generated field tables -->"


def docs_path() -> Path:
    return resource("docs", "export-format.md")


def _type_text(prop: dict) -> str:
    t = prop.get("type", "")
    types = t if isinstance(t, list) else [t]
    nullable = "null" in types
    main = [x for x in types if x != "null"]
    text = main[0] if main else ("enum" if "enum" in prop else "")
    pattern = prop.get("pattern", "")
    if pattern == bundle.UUID_PATTERN:
        text = "UUID"
    elif pattern == bundle.UTC_PATTERN:
        text = "UTC 时间 datetime (Z)"
    elif pattern == bundle.LOCAL_PATTERN:
        text = "当地时间 local datetime"
    elif pattern == bundle.DATE_PATTERN:
        text = "日期 date"
    elif pattern == bundle.DECIMAL_PATTERN:
        text = "小数文本 decimal string"
    elif text == "array":
        items = prop.get("items", {})
        inner = "UUID" if items.get("pattern") == bundle.UUID_PATTERN else items.get("type", "")
        text = f"array of {inner}"
    if "maxLength" in prop:
        text += f" ≤{prop['maxLength']}"
    unit = prop.get("x-unit")
    if unit == "fen":
        text += "，单位：分 fen"
    elif unit == "m2":
        text += "，单位：㎡"
    if nullable:
        text += "，可为空 nullable"
    if "default" in prop:
        text += f"，可省略 optional (default {json.dumps(prop['default'], ensure_ascii=False)})"
    return text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(name: str, prop: dict, record_type: str = "") -> str:
    extra = []
    enum = prop.get("enum") or prop.get("items", {}).get("enum")
    if enum:  # a code with its Chinese label where it has one: "planned（筹备中）" (spec.CODE_WORDS)
        extra.append(" / ".join(spec.code_words(record_type, name, [str(v) for v in enum if v is not None])))
    if "x-references" in prop:
        extra.append(f"→ {prop['x-references']}")
    if "x-personal-data" in prop:
        extra.append(f"个人信息 personal: {prop['x-personal-data']}")
    return (f"| `{name}` | {_cell(prop['title'])} | {_cell(_type_text(prop))} | "
            f"{_cell(prop['description'])} | {_cell('；'.join(extra))} |")


def field_tables() -> str:
    lines = [BEGIN, ""]
    for rt in spec.RECORD_TYPES:
        schema = json.loads(bundle.shipped_schema_bytes(rt.name))
        lines += [f"### {rt.zh} — `{bundle.data_path(rt.name)}` ({rt.en})", "",
                  "| 字段 field | 中文名 | 类型 type | 说明 description | 代码 / 引用 / 个人信息 |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [_row(name, prop, rt.name) for name, prop in schema["properties"].items()]
        lines.append("")
    for dt in spec.DERIVED_TYPES:
        schema = json.loads(bundle.shipped_schema_bytes(dt.name))
        lines += [f"### {dt.zh} — `{bundle.data_path(dt.name)}` ({dt.en})", "",
                  "由记录计算的统计，不作为记录导入 (figures computed from the records; not imported).", "",
                  "| 字段 field | 中文名 | 类型 type | 说明 description | 代码 / 引用 / 个人信息 |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [_row(name, prop, dt.name) for name, prop in schema["properties"].items()]
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def render(current: str) -> str:
    """The page with its generated part replaced (markers appended if missing)."""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + field_tables() + tail
    return current.rstrip("\n") + "\n\n" + field_tables() + "\n"


def write_docs() -> Path:
    path = docs_path()
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(render(current), encoding="utf-8")
    return path


if __name__ == "__main__":  # developers: regenerate resources/schemas and the docs' field tables
    import sys

    if "--write-schemas" in sys.argv:
        for p in bundle.write_schemas():
            print(p)
        print(write_docs())
