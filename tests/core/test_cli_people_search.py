"""`list people --search` filters by name (issue 23, scope 6); IDs and phones stay masked."""

import json

from renewal_desk.cli import main
from renewal_desk.core.services.households import HouseholdInput, PersonInput, create_household
from renewal_desk.core.services import places


def test_list_people_search_filters_by_name(db, capsys):
    project = places.create_place(db, "project", "老街")
    block = places.create_place(db, "block", "一片", parent_id=project)
    building = places.create_place(db, "building", "1幢", parent_id=block)
    unit = places.create_place(db, "unit", "1单元", parent_id=building)
    create_household(db, HouseholdInput(unit, "101", people=[PersonInput("张建国", "11010519491231002X",
                                                                         "13812345678", is_head=True)]))
    create_household(db, HouseholdInput(unit, "102", people=[PersonInput("李秀英", None, None, is_head=True)]))
    db.close()
    assert main(["list", "people", "--db", db.address, "--search", "建国", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["姓名"] for r in rows] == ["张建国"]
    assert rows[0]["身份证号"] == "110105********002X" and "*" in rows[0]["电话"]
    assert main(["list", "people", "--db", db.address, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
