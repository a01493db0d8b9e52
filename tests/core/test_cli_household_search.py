"""`list households --search` says why each row matched, as the window's 匹配依据 column does (issue 17)."""

import json

from renewal_desk.cli import main
from renewal_desk.core.services import places
from renewal_desk.core.services.households import HouseholdInput, PersonInput, create_household


def test_list_households_search_shows_the_match_reason(db, capsys):
    project = places.create_place(db, "project", "老街")
    block = places.create_place(db, "block", "一片", parent_id=project)
    building = places.create_place(db, "building", "1幢", parent_id=block)
    unit = places.create_place(db, "unit", "1单元", parent_id=building)
    create_household(db, HouseholdInput(unit, "101", people=[
        PersonInput("张建国", None, "13812343698", is_head=True), PersonInput("郑小梅", None, None)]))
    create_household(db, HouseholdInput(unit, "102", people=[PersonInput("郑大成", None, None, is_head=True)]))
    db.close()
    assert main(["list", "households", "--db", db.address, "--search", "郑", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["房号"]: r["匹配依据"] for r in rows} == {"101": "家庭成员 郑小梅", "102": "户主"}
    assert main(["list", "households", "--db", db.address, "--search", "3698", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["房号"], r["匹配依据"]) for r in rows] == [("101", "电话 …3698")]
    assert main(["list", "households", "--db", db.address, "--json"]) == 0
    assert "匹配依据" not in json.loads(capsys.readouterr().out)[0]  # no search, no reason column
