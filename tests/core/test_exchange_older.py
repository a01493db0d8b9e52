"""A bundle written before migrations 0012 (motion scope) and 0013 (voided designer responses) is still
read: it carries the schema files of its time and leaves the later fields out; they are filled with the
column defaults (issue 17). A schema file that is neither this version's nor an earlier one is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from renewal_desk.core.exchange import bundle, spec
from renewal_desk.core.models import DesignerAppointment, Motion, OpinionResponse
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import exchange

from tests.core.test_exchange import _rehash as rehash, demo, demo_file, empty  # noqa: F401 - fixtures

OLD_SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "bundle_before_0012"
LATER = {"motions": ("scope", "scope_building_uuids", "scope_unit_uuids"),
         "designer_responses": ("voided", "void_reason")}
# values stored as their Chinese labels before 0020 (spec.OLD_CODES reads them as the codes)
LABELS_THEN = {"designer_appointments": {"status": {"active": "在任", "ended": "已离任"}},
               "motions": {"state": {"draft": "待表决", "voting": "表决中", "decided": "已表决"}},
               # before 0022 (enum21b)
               "meetings": {"kind": {code: label for label, code in spec.OLD_CODES["meetings"]["kind"].items()},
                            "status": {code: label for label, code in spec.OLD_CODES["meetings"]["status"].items()}},
               "meeting_attendees": {"category": {code: label for label, code
                                                  in spec.OLD_CODES["meeting_attendees"]["category"].items()}},
               "followup_tasks": {"status": {code: label for label, code
                                             in spec.OLD_CODES["followup_tasks"]["status"].items()}},
               "supervision_problems": {"state": {code: label for label, code
                                                  in spec.OLD_CODES["supervision_problems"]["state"].items()}},
               "problem_transitions": {"to_state": {code: label for label, code
                                                    in spec.OLD_CODES["problem_transitions"]["to_state"].items()}},
               **{name: {key: {code: label for label, code in codes.items()} for key, codes in spec.OLD_CODES[name].items()}
                  for name in ("menu_items", "ordering_rounds", "orders",
                               # before 0023 (enum21c); designer_opinions.stakeholders is a comma-joined list
                               "projects", "stored_houses", "lease_contracts", "designer_opinions",
                               "designer_responses")}}


def _older(folder: Path) -> dict[str, int]:
    """Turn a fresh export into what the version before 0012 wrote: no later fields, its schema files."""
    counts = {}
    for name, dropped in LATER.items():
        path = folder / bundle.data_path(name)
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            for key in dropped:
                del row[key]
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        counts[name] = len(rows)
    for name, columns in LABELS_THEN.items():
        path = folder / bundle.data_path(name)
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for row in rows:
            for key, labels in columns.items():
                if key in spec.OLD_CODE_LISTS.get(name, ()):  # "merchants,residents" -> "商户,居民"
                    row[key] = ",".join(labels[p] for p in row[key].split(","))
                else:
                    row[key] = labels[row[key]]
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        counts[name] = len(rows)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("audit_head", None)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    for schema in OLD_SCHEMAS.glob("*.schema.json"):
        shutil.copy(schema, folder / bundle.schema_path(schema.name.removesuffix(".schema.json")))
    rehash(folder)
    return counts


def test_the_later_fields_are_optional_with_the_column_default():
    for name, dropped in LATER.items():
        schema = json.loads(bundle.shipped_schema_bytes(name))
        assert not set(dropped) & set(schema["required"])
        assert {k: schema["properties"][k]["default"] for k in dropped} == {
            "motions": {"scope": "project", "scope_building_uuids": [], "scope_unit_uuids": []},
            "designer_responses": {"voided": False, "void_reason": ""}}[name]
    # every column added by a later migration is in the list (a new one must be added there too)
    assert {t: set(c) for t, c in spec.LATER_COLUMNS.items()} == {
        "motion": {"scope", "scope_building_ids", "scope_unit_ids"}, "designer_response": {"voided", "void_reason"}}


def test_an_older_bundle_is_imported_with_the_defaults(demo, empty, tmp_path):  # noqa: F811
    out = tmp_path / "older"
    exchange.export_bundle(demo, out)
    counts = _older(out)
    assert counts["motions"] and counts["designer_responses"] and counts["designer_appointments"]  # the demo has all
    assert "在任" in (out / bundle.data_path("designer_appointments")).read_text(encoding="utf-8")
    assert "商户" in (out / bundle.data_path("designer_opinions")).read_text(encoding="utf-8")
    assert "生效" in (out / bundle.data_path("lease_contracts")).read_text(encoding="utf-8")
    for name in (*LATER, *LABELS_THEN, "manifest"):  # it really carries the old schema files
        assert (out / bundle.schema_path(name)).read_bytes() != bundle.shipped_schema_bytes(name)
    report = exchange.import_bundle(empty, out)
    assert report.total("added") > 0 and report.total("conflicts") == 0
    with empty.read() as s:
        motions = s.scalars(select(Motion)).all()
        responses = s.scalars(select(OpinionResponse)).all()
        assert len(motions) == counts["motions"] and len(responses) == counts["designer_responses"]
        assert {(m.scope, m.scope_building_ids, m.scope_unit_ids) for m in motions} == {("project", "", "")}
        assert {m.state for m in motions} <= {"draft", "voting", "decided"}
        assert {(r.voided, r.void_reason) for r in responses} == {(False, "")}
        statuses = s.scalars(select(DesignerAppointment.status)).all()
        assert len(statuses) == counts["designer_appointments"] and set(statuses) <= {"active", "ended"}
        for name, columns in LABELS_THEN.items():  # every value read back as its code
            table = spec.BY_NAME[name].table
            for key, labels in columns.items():
                values = set(s.scalars(select(table.c[key])).all())
                if key in spec.OLD_CODE_LISTS.get(name, ()):
                    assert any("," in v for v in values), (name, key)  # lists of several too
                    values = {p for v in values for p in v.split(",")}
                assert values and values <= set(labels), (name, key, values)


def test_a_schema_file_of_no_version_is_still_refused(demo, empty, tmp_path):  # noqa: F811
    out = tmp_path / "odd"
    exchange.export_bundle(demo, out)
    path = out / bundle.schema_path("motions")
    path.write_text(path.read_text(encoding="utf-8").replace("表决范围", "范围"), encoding="utf-8")
    rehash(out)
    with pytest.raises(InputError, match="motions"):
        exchange.import_bundle(empty, out)
