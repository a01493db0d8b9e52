"""Households and people: create, edit, delete, search (Chinese, pinyin, initials, address, phone tail)."""

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from renewal_desk.core.models import AuditEntry, Person
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import places
from renewal_desk.core.services.households import (HouseholdFilter, HouseholdInput, PersonInput, count_households,
                                                   create_household, delete_household, household_detail,
                                                   household_ids, household_rows, match_reasons,
                                                   refresh_search_keys, reveal_personal_data, search_keys_stale,
                                                   update_household)
from datetime import date

ID_ZHANG = make_id_number("320402", date(1962, 3, 15), 123)
ID_WANG = make_id_number("320404", date(1975, 8, 1), 42)


@pytest.fixture
def unit_id(db):
    project = places.create_place(db, "project", "幸福里改造")
    block = places.create_place(db, "block", "东片区", project)
    building = places.create_place(db, "building", "3号楼", block)
    return places.create_place(db, "unit", "2单元", building)


def _zhang(unit_id, **over):
    data = dict(unit_id=unit_id, room="301", area="85.6㎡", people=[
        PersonInput("张建国", ID_ZHANG, "138 1234 5678", is_head=True, relation="户主"),
        PersonInput("李秀英", None, "+86 139-8765-4321", relation="配偶")])
    data.update(over)
    return HouseholdInput(**data)


def test_create_normalises_and_reads_back(db, unit_id):
    hid = create_household(db, _zhang(unit_id))
    detail = household_detail(db, hid)
    assert detail.room == "301" and detail.area == Decimal("85.60")
    head = detail.people[0]
    assert head.is_head and head.name == "张建国" and head.id_number == ID_ZHANG
    assert head.phone == "13812345678" and head.gender == "男"
    assert detail.people[1].phone == "13987654321"
    row = household_rows(db, [hid])[hid]
    assert (row.building, row.unit, row.room, row.head_name, row.members) == ("3号楼", "2单元", "301", "张建国", 2)


@pytest.mark.parametrize("query", ["张建国", "建国", "zjg", "zhangjianguo", "ZJG", "5678", "3号楼", "301", "李秀英",
                                   "lxy", "4321"])
def test_search_finds_household(db, unit_id, query):
    hid = create_household(db, _zhang(unit_id))
    create_household(db, HouseholdInput(unit_id, "302", people=[PersonInput("王𠮷", ID_WANG, "15011112222",
                                                                            is_head=True)]))
    assert hid in household_ids(db, HouseholdFilter(query=query))


def test_search_excludes_non_matches_and_rare_names_survive(db, unit_id):
    create_household(db, _zhang(unit_id))
    other = create_household(db, HouseholdInput(unit_id, "302", people=[PersonInput("王𠮷", ID_WANG, None,
                                                                                    is_head=True)]))
    assert household_ids(db, HouseholdFilter(query="王𠮷")) == [other]
    assert household_ids(db, HouseholdFilter(query="zjg 302")) == []
    assert household_rows(db, [other])[other].head_name == "王𠮷"


@pytest.mark.parametrize("query", ["王吉", "王𠮷", "wangji", "wj", "𠮷", "吉"])
def test_a_variant_character_is_found_by_its_common_form_and_pinyin(db, unit_id, query):
    create_household(db, _zhang(unit_id))
    other = create_household(db, HouseholdInput(unit_id, "302", people=[PersonInput("王𠮷", ID_WANG, None,
                                                                                    is_head=True)]))
    assert household_ids(db, HouseholdFilter(query=query)) == [other]
    assert match_reasons(db, [other], query) == {other: "户主"}


def test_building_unit_room_finds_that_room_only(db):
    project = places.create_place(db, "project", "幸福里改造")
    block = places.create_place(db, "block", "东片区", project)
    unit_id = places.create_place(db, "unit", "2单元", places.create_place(db, "building", "3号楼", block))
    other_unit = places.create_place(db, "unit", "2单元", places.create_place(db, "building", "13号楼", block))
    hid = create_household(db, _zhang(unit_id, room="602"))
    elsewhere = create_household(db, HouseholdInput(other_unit, "602", people=[PersonInput("赵六", is_head=True)]))
    assert household_ids(db, HouseholdFilter(query="3-2-602")) == [hid]
    assert household_ids(db, HouseholdFilter(query="13-2-602")) == [elsewhere]
    assert household_ids(db, HouseholdFilter(query="3－2－602")) == [hid]  # full-width dashes
    assert household_ids(db, HouseholdFilter(query="2-602")) == [hid, elsewhere]  # a part: any building
    assert household_ids(db, HouseholdFilter(query="3-2-601")) == []
    assert match_reasons(db, [hid], "3-2-602") == {hid: "房号 3号楼 2单元 602"}


def test_keys_of_an_older_database_are_made_again(demo_db):
    from renewal_desk.core.services import households as hs

    with demo_db.read() as s:
        wang = s.scalar(select(Person.household_id).where(Person.name == "王𠮷"))
    assert not search_keys_stale(demo_db)
    with demo_db.write() as s:  # keys as an older version made them: no 3-2-602, no 王吉 for 王𠮷
        for hid, text in s.connection().exec_driver_sql("SELECT id, search_text FROM household").all():
            old = [k for k in text.split("\x1f") if k.count("-") != 2 and k not in ("王吉", "wangji", "wj")]
            s.connection().exec_driver_sql("UPDATE household SET search_text = ? WHERE id = ?", ("\x1f".join(old), hid))
    assert not search_keys_stale(demo_db)  # noted as keyed by this version: not looked at again
    with demo_db.write() as s:  # an older version did not note how its keys were made
        s.connection().exec_driver_sql("DELETE FROM setting WHERE key = ?", (hs.SEARCH_KEYS_SETTING,))
    assert search_keys_stale(demo_db)
    hs._scan_indexes.pop(demo_db, None)
    assert hs.warm_scan_index(demo_db)  # an index of the old keys
    assert wang not in household_ids(demo_db, HouseholdFilter(query="王吉"))
    assert wang not in household_ids(demo_db, HouseholdFilter(query="wj"), limit=200)
    assert refresh_search_keys(demo_db, batch=50) == count_households(demo_db)
    assert not search_keys_stale(demo_db) and refresh_search_keys(demo_db) == 0
    assert wang in household_ids(demo_db, HouseholdFilter(query="王吉"))
    assert wang in household_ids(demo_db, HouseholdFilter(query="wj"), limit=200)  # not from the old index
    assert household_ids(demo_db, HouseholdFilter(query="1-1-101")) != []


def test_search_rows_say_why_they_matched(db, unit_id):
    hid = create_household(db, _zhang(unit_id))
    assert household_ids(db, HouseholdFilter(query="李秀英")) == [hid]
    assert match_reasons(db, [hid], "李秀英") == {hid: "家庭成员 李秀英"}
    assert match_reasons(db, [hid], "4321") == {hid: "家庭成员电话 …4321"}
    assert match_reasons(db, [hid], "5678") == {hid: "电话 …5678"}
    assert match_reasons(db, [hid], "zjg") == {hid: "户主"}
    assert match_reasons(db, [hid], "zjg", lang="en") == {hid: "head of household"}
    assert match_reasons(db, [hid], "") == {}


def test_tree_filters(db, unit_id):
    hid = create_household(db, _zhang(unit_id))
    tree = places.tree(db)
    project = tree[0]
    block = project.children[0]
    building = block.children[0]
    assert project.households == block.households == building.households == 1
    for flt in (HouseholdFilter(project_id=project.id), HouseholdFilter(block_id=block.id),
                HouseholdFilter(building_id=building.id), HouseholdFilter(unit_id=unit_id)):
        assert household_ids(db, flt) == [hid]
        assert count_households(db, flt) == 1


def test_validation_reports_every_problem_and_writes_nothing(db, unit_id):
    bad = HouseholdInput(unit_id, "", area="abc", people=[
        PersonInput("", "110105199001011235", "12345", is_head=True),
        PersonInput("李四", "1.10105E+17", None, is_head=True)])
    with pytest.raises(InputError) as err:
        create_household(db, bad)
    codes = {p.code for p in err.value.problems}
    assert {"household.room_empty", "person.name_empty", "id_number.checksum", "phone.invalid",
            "id_number.scientific", "household.two_heads"} <= codes
    assert any(c.startswith("area.") for c in codes)
    assert household_ids(db) == []
    messages = err.value.describe("zh")
    assert "房号" in messages and "校验位" in messages and "第 2 行" in messages


def test_duplicate_room_and_id_refused(db, unit_id):
    create_household(db, _zhang(unit_id))
    with pytest.raises(InputError) as err:
        create_household(db, _zhang(unit_id, people=[PersonInput("张建军", ID_ZHANG, None, is_head=True)]))
    assert {p.code for p in err.value.problems} == {"household.room_taken", "person.id_duplicate"}


def test_update_edits_people_and_audits(db, unit_id):
    hid = create_household(db, _zhang(unit_id))
    detail = household_detail(db, hid)
    head = detail.people[0]
    update_household(db, hid, HouseholdInput(unit_id, "301", area="90", people=[
        PersonInput(head.name, head.id_number, "13900001111", is_head=True, id=head.id)]))
    after = household_detail(db, hid)
    assert [p.name for p in after.people] == ["张建国"] and after.area == Decimal("90.00")
    assert hid in household_ids(db, HouseholdFilter(query="1111"))
    assert hid not in household_ids(db, HouseholdFilter(query="lxy"))
    with db.read() as s:
        updates = s.scalars(select(AuditEntry).where(AuditEntry.action == "update",
                                                     AuditEntry.table_name == "person")).all()
        deletes = s.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).all()
    assert json.loads(updates[0].after)["phone"] == "13900001111"
    assert [d.table_name for d in deletes] == ["person"]


def test_delete_household_removes_people(db, unit_id):
    hid = create_household(db, _zhang(unit_id))
    delete_household(db, hid)
    with db.read() as s:
        assert s.scalars(select(Person)).all() == []
    assert household_ids(db) == []


def test_reveal_is_audited(db, unit_id):
    hid = create_household(db, _zhang(unit_id))
    detail = reveal_personal_data(db, hid, "核对产权")
    assert detail.people[0].id_number == ID_ZHANG
    with db.read() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "reveal"))
    assert entry.record_id == hid and entry.operator == "测试员" and entry.note == "核对产权"


def test_rename_building_refreshes_search(db, unit_id):
    hid = create_household(db, _zhang(unit_id))
    building_id = places.tree(db)[0].children[0].children[0].id
    places.update_place(db, "building", building_id, "5幢")
    assert household_ids(db, HouseholdFilter(query="5幢")) == [hid]
    assert household_rows(db, [hid])[hid].building == "5幢"


def test_demo_generates_coherent_community(demo_db):
    ids = household_ids(demo_db)
    assert len(ids) == 120
    rows = household_rows(demo_db, ids[:50])
    assert all(r.head_name and r.id_number and len(r.id_number) == 18 for r in rows.values())
    assert demo_db.check().ok
    # natural order: 2号楼 before 10号楼 and 1单元 101 first
    first = rows[ids[0]]
    assert (first.building, first.unit, first.room) == ("1号楼", "1单元", "101")


def test_search_by_street_address(db, unit_id):
    hid = create_household(db, _zhang(unit_id))
    building_id = places.tree(db)[0].children[0].children[0].id
    places.update_place(db, "building", building_id, address="幸福路 12 号")
    assert household_ids(db, HouseholdFilter(query="幸福路12号")) == [hid]


def test_role_changes_and_cascading_deletes_are_audited(db, unit_id):
    hid = create_household(db, _zhang(unit_id))
    head = household_detail(db, hid).people[0]
    update_household(db, hid, HouseholdInput(unit_id, "301", people=[
        PersonInput(head.name, head.id_number, head.phone, is_head=True, roles=(), id=head.id)]))
    with db.read() as s:
        role_deletes = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "person_role",
                                                          AuditEntry.action == "delete")).all()
    assert len(role_deletes) == 1 and json.loads(role_deletes[0].before)["role"] == "owner"
    project = places.tree(db)[0]
    assert places.delete_place(db, "project", project.id) == 1
    with db.read() as s:
        deleted = {e.table_name for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "delete"))}
    assert {"project", "block", "building", "unit", "household", "person"} <= deleted
    assert places.tree(db) == [] and household_ids(db) == []
    assert db.check().ok


def test_legacy_and_new_id_of_one_person_are_one_person(db, unit_id):
    from renewal_desk.core.rules.idcard import legacy_to_18

    legacy = "320402620315123"
    create_household(db, HouseholdInput(unit_id, "501", people=[PersonInput("钱一", legacy, None, is_head=True)]))
    with pytest.raises(InputError) as err:
        create_household(db, HouseholdInput(unit_id, "502", people=[
            PersonInput("钱二", legacy_to_18(legacy), None, is_head=True)]))
    assert err.value.problems[0].code == "person.id_duplicate"
    assert "3号楼 2单元 501" in err.value.describe() and "钱一" in err.value.describe()
    assert household_ids(db) and len(household_ids(db)) == 1
    # the same person (the same number in either form, the same name) owning a second flat is accepted
    second = create_household(db, HouseholdInput(unit_id, "502", people=[
        PersonInput("钱一", legacy_to_18(legacy), None, is_head=True)]))
    # and editing either flat keeps the other one's registration; renaming one under that number is refused
    detail = household_detail(db, second)
    update_household(db, second, HouseholdInput(unit_id, "502", area="60", people=[
        PersonInput("钱一", legacy_to_18(legacy), None, is_head=True, id=detail.people[0].id)]))
    with pytest.raises(InputError, match="已登记在 3号楼 2单元 501"):
        update_household(db, second, HouseholdInput(unit_id, "502", people=[
            PersonInput("钱壹", legacy_to_18(legacy), None, is_head=True, id=detail.people[0].id)]))
    assert household_detail(db, second).people[0].name == "钱一"


def test_a_supervisor_household_cannot_be_deleted_and_nothing_changes(demo_db):
    """People the supervisor team (or contracts, designers) refer to are kept; the refusal names them."""
    from datetime import date

    from sqlalchemy import func, select

    from renewal_desk.core.models import Household, Person, Project
    from renewal_desk.core.problems import InputError
    from renewal_desk.core.services import supervision
    from renewal_desk.core.services.households import delete_household
    from renewal_desk.core.services.places import delete_place

    db = demo_db
    with db.read() as s:
        home, person, name = s.execute(select(Person.household_id, Person.id, Person.name)
                                       .where(Person.household_id.is_not(None)).order_by(Person.id)).first()
        project = s.scalar(select(func.min(Project.id)))
        before = (s.scalar(select(func.count()).select_from(Household)), s.scalar(select(func.count()).select_from(Person)))
    supervision.appoint_supervisor(db, supervision.SupervisorInput(person, date(2026, 3, 1)))
    for attempt in (lambda: delete_household(db, home), lambda: delete_place(db, "project", project)):
        with pytest.raises(InputError) as err:
            attempt()
        assert name in err.value.describe() and "居民监督队" in err.value.describe()
        assert "不能删除" in err.value.describe()
    with db.read() as s:
        assert (s.scalar(select(func.count()).select_from(Household)),
                s.scalar(select(func.count()).select_from(Person))) == before
