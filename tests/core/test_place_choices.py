"""Every project/building picker shows one order: projects by name, then buildings by name in natural order
across the project's blocks (2号楼 before 10号楼), whichever block they are in and whenever they were made."""

from renewal_desk.core.services import places, supervision


def test_projects_by_name_then_buildings_in_natural_order(db):
    later = places.create_place(db, "project", "B 项目")
    first = places.create_place(db, "project", "A 项目")
    north = places.create_place(db, "block", "北片", later)
    south = places.create_place(db, "block", "南片", later)
    for name, block in (("10号楼", north), ("2号楼", south), ("1号楼", north)):
        places.create_place(db, "building", name, block)
    choices = places.project_choices(db)
    assert [p.name for p in choices] == ["A 项目", "B 项目"]
    assert [p.id for p in choices] == [first, later]
    assert [name for _id, name in choices[1].buildings] == ["1号楼", "2号楼", "10号楼"]
    assert places.building_choices(db, later) == list(choices[1].buildings) == supervision.buildings(db, later)
    assert supervision.projects(db) == [(first, "A 项目"), (later, "B 项目")]
