"""Supervisor team services: team, parties, inspections, problems with photos, the rectification
workflow with its history and audit, overdue across dates, acceptance, figures, printouts, demo."""

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path
from shutil import which

import pytest
from sqlalchemy import func, select

from renewal_desk.core.rules.rectification import State
from renewal_desk.core.models import AuditEntry, Person, PersonRole, ProblemTransition, SupervisionProblem
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules import acceptance as acc
from renewal_desk.core.services import supervision as svc
from renewal_desk.core.services.attachments import attachments_of
from renewal_desk.core.services.demo_supervision import make_photo
from renewal_desk.core.services.printouts import print_document
from tests.core.raw_sql import damage_content

TODAY = date(2026, 11, 22)
needs_poppler = pytest.mark.skipif(which("pdftotext") is None or which("pdfimages") is None,
                                   reason="poppler-utils not installed")


@pytest.fixture
def site(demo_db, tmp_path):
    """A project with two builders, two supervisors, one inspection."""
    db = demo_db
    project_id = svc.projects(db)[0][0]
    building_id, building_name = svc.buildings(db, project_id)[2]
    unit_id = svc.units(db, building_id)[0][0]
    with db.read() as s:
        people = s.scalars(select(Person.id).where(Person.is_head.is_(True)).order_by(Person.id).limit(2)).all()
    sups = [svc.appoint_supervisor(db, svc.SupervisorInput(pid, date(2026, 1, 5), project_id, f"幸福街字〔2026〕{i}号",
                                                           [building_id], "外墙及屋面维修"))
            for i, pid in enumerate(people, start=1)]
    builder = svc.save_party(db, svc.PartyInput("幸福建设工程有限公司", "施工单位", "郑建军", "139 0527 0001"))
    other = svc.save_party(db, svc.PartyInput("长江市政工程有限公司", "施工单位", "钱志华", "13905270002"))
    inspection = svc.log_inspection(db, svc.InspectionInput(project_id, date(2026, 9, 1), f"{building_name}外墙", sups,
                                                            "街道 周工", "晴"), today=TODAY)
    return dict(db=db, project=project_id, building=building_id, building_name=building_name, unit=unit_id,
                sups=sups, builder=builder, other=other, inspection=inspection, tmp=tmp_path, people=people)


def _problem(site, photos=(), party="builder", found=date(2026, 9, 1), **over):
    data = dict(project_id=site["project"], category="质量", description="外墙保温层空鼓开裂", found_on=found,
                severity="较重", party_id=site[party] if party else None, inspection_id=site["inspection"],
                building_id=site["building"], unit_id=site["unit"], location="东立面三层",
                works="外墙及屋面维修", basis="GB 50210-2018", measures="铲除空鼓部位重新粘贴", photos=list(photos))
    data.update(over)
    return svc.add_problem(site["db"], svc.ProblemInput(**data), today=TODAY, by="王监督员")


def test_team_parties_and_roles(site):
    db = site["db"]
    team = svc.supervisors(db)
    assert len(team) == 2 and team[0].letter_no == "幸福街字〔2026〕1号"
    assert site["building_name"] in team[0].covers and "外墙及屋面维修" in team[0].covers
    with db.read() as s:
        roles = s.scalars(select(PersonRole.role).where(PersonRole.person_id == site["people"][0])).all()
    assert "supervisor" in roles
    svc.retire_supervisor(db, site["sups"][1], date(2026, 10, 1))
    assert [v.active for v in svc.supervisors(db)] == [True, False]
    assert len(svc.supervisors(db, active_only=True)) == 1
    with pytest.raises(InputError) as err:  # a retired supervisor cannot join a later inspection
        svc.log_inspection(db, svc.InspectionInput(site["project"], date(2026, 10, 9), "道路", site["sups"]), today=TODAY)
    assert "退出监督队" in err.value.describe()
    parties = {p.name: p for p in svc.parties(db)}
    assert parties["幸福建设工程有限公司"].contact_phone == "13905270001"  # normalised, masked on screen
    with pytest.raises(InputError) as err:
        svc.save_party(db, svc.PartyInput("", "包工头", contact_phone="12345"))
    assert {p.field for p in err.value.problems} >= {"name", "kind", "phone"}


def test_full_workflow_with_a_failed_recheck_history_and_audit(site):
    db = site["db"]
    photo = make_photo(site["tmp"] / "crack.png", 3)
    pid = _problem(site, [photo])
    assert svc.problem_rows(db, as_of=TODAY)[0].state == State.PENDING
    notice = svc.issue_notice(db, svc.NoticeInput([pid], date(2026, 9, 2), date(2026, 9, 12), issued_by="周工"),
                              today=TODAY)
    row = svc.problem_rows(db, as_of=TODAY)[0]
    assert (row.state, row.notice_no, row.deadline) == (State.NOTIFIED, "ZG-2026-0001", date(2026, 9, 12))
    fixed = make_photo(site["tmp"] / "fixed.png", 4, "fixed")
    svc.record_reply(db, pid, date(2026, 9, 10), "已铲除重贴", "郑建军", [fixed], today=TODAY)
    svc.recheck(db, pid, date(2026, 9, 11), False, "王监督员、李监督员", "拉拔试验不合格", today=TODAY)
    with pytest.raises(InputError) as err:  # a failed re-check needs a new notice, not a reply or a close
        svc.close_problem(db, pid, date(2026, 9, 12), today=TODAY)
    assert "须重新发出整改通知" in err.value.describe()
    second = svc.issue_notice(db, svc.NoticeInput([pid], date(2026, 9, 12), date(2026, 9, 20),
                                                  {pid: "返工并做拉拔试验"}), today=TODAY)
    assert second != notice
    svc.record_reply(db, pid, date(2026, 9, 19), "返工完成，试验合格", today=TODAY)
    svc.recheck(db, pid, date(2026, 9, 20), True, "王监督员", "复查合格", today=TODAY)
    svc.close_problem(db, pid, date(2026, 9, 21), "周工", today=TODAY)
    detail = svc.problem_detail(db, pid, TODAY)
    assert detail.row.state == State.CLOSED and detail.row.closed_on == date(2026, 9, 21) and detail.recheck_failures == 1
    assert [h.action for h in detail.history] == ["found", "issue", "reply", "recheck_fail", "issue", "reply",
                                                  "recheck_pass", "close"]
    assert [h.to_state for h in detail.history][-1] == State.CLOSED
    assert detail.history[1].notice_no == "ZG-2026-0001" and detail.history[4].notice_no == "ZG-2026-0002"
    assert detail.history[4].deadline == date(2026, 9, 20) and detail.history[4].text == "返工并做拉拔试验"
    assert len(detail.photos) == 1 and len(detail.history[2].photos) == 1  # found and reply photos
    assert detail.allowed == ()
    with db.read() as s:
        audited = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.table_name == "problem_transition", AuditEntry.action == "insert"))
        changes = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.table_name == "supervision_problem", AuditEntry.action == "update"))
    assert audited == 8 and changes >= 7
    assert [n.notice_no for n in svc.notices(db, TODAY)] == ["ZG-2026-0002", "ZG-2026-0001"]


def test_refused_steps_write_nothing(site):
    db = site["db"]
    pid = _problem(site)
    with pytest.raises(InputError) as err:
        svc.record_reply(db, pid, date(2026, 9, 3), "已整改", today=TODAY)
    assert "尚未发出整改通知" in err.value.describe()
    with pytest.raises(InputError) as err:
        svc.issue_notice(db, svc.NoticeInput([pid], date(2026, 8, 30), date(2026, 8, 29)), today=TODAY)
    assert {p.code for p in err.value.problems} == {"rectification.before_last", "rectification.deadline_early"}
    unassigned = _problem(site, party=None)
    with pytest.raises(InputError) as err:
        svc.issue_notice(db, svc.NoticeInput([pid, unassigned], date(2026, 9, 2), date(2026, 9, 9)), today=TODAY)
    assert "未指定责任单位" in err.value.describe()
    other = _problem(site, party="other")
    with pytest.raises(InputError) as err:
        svc.issue_notice(db, svc.NoticeInput([pid, other], date(2026, 9, 2), date(2026, 9, 9)), today=TODAY)
    assert "同一责任单位" in err.value.describe()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(ProblemTransition)) == 3  # the three "found" rows
        assert set(s.scalars(select(SupervisionProblem.state))) == {State.PENDING}
    assert svc.notices(db, TODAY) == []


def test_overdue_across_dates_in_the_register(site):
    db = site["db"]
    late = _problem(site)
    on_time = _problem(site, description="脚手架未挂安全网", category="安全")
    svc.issue_notice(db, svc.NoticeInput([late, on_time], date(2026, 9, 2), date(2026, 9, 10)), today=TODAY)

    def overdue(as_of):
        return {r.id: r.days_overdue for r in svc.problem_rows(db, as_of=as_of)}

    assert overdue(date(2026, 9, 10)) == {late: 0, on_time: 0}  # the deadline day is still in time
    assert overdue(date(2026, 9, 11)) == {late: 1, on_time: 1}
    svc.record_reply(db, on_time, date(2026, 9, 9), "已挂网", today=TODAY)
    assert overdue(date(2026, 9, 30)) == {late: 20, on_time: 0}  # a reply stops the clock
    assert svc.overdue_count(db, date(2026, 9, 30)) == 1
    assert [r.id for r in svc.problem_rows(db, svc.ProblemFilter(overdue_only=True), date(2026, 9, 30))] == [late]
    svc.recheck(db, on_time, date(2026, 9, 12), False, "王监督员", "安全网破损", today=TODAY)
    assert overdue(date(2026, 9, 30))[on_time] == 20  # failed re-check: the builder owes it again
    notices = {n.id: n for n in svc.notices(db, date(2026, 9, 30))}
    assert next(iter(notices.values())).overdue == 2


def test_bad_photos_are_refused_clearly_and_nothing_is_written(site):
    db = site["db"]
    missing = site["tmp"] / "no-such.jpg"
    not_image = site["tmp"] / "notes.jpg"
    not_image.write_text("这不是图片", encoding="utf-8")
    fake = site["tmp"] / "fake.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)  # the magic number alone does not make an image
    for bad, words in ((missing, "照片文件不存在：no-such.jpg"), (not_image, "notes.jpg"), (fake, "fake.png")):
        with pytest.raises(InputError) as err:
            _problem(site, [make_photo(site["tmp"] / "ok.png", 1), bad])
        assert words in err.value.describe() and "未保存" in err.value.describe()
    assert svc.problem_rows(db, as_of=TODAY) == []
    pid = _problem(site)
    svc.issue_notice(db, svc.NoticeInput([pid], date(2026, 9, 2), date(2026, 9, 9)), today=TODAY)
    with pytest.raises(InputError):
        svc.record_reply(db, pid, date(2026, 9, 5), "已整改", photos=[not_image], today=TODAY)
    assert svc.problem_rows(db, as_of=TODAY)[0].state == State.NOTIFIED  # the reply was not half-recorded
    with pytest.raises(InputError) as err:
        svc.add_problem_photos(db, pid, [missing])
    assert "不存在" in err.value.describe()
    assert svc.add_problem_photos(db, pid, [make_photo(site["tmp"] / "more.png", 9)]) == 1


def test_problem_validation_and_label_for_citing(site):
    db = site["db"]
    with pytest.raises(InputError) as err:
        svc.add_problem(db, svc.ProblemInput(site["project"], "漏水", "", date(2027, 1, 1), "超严重"), today=TODAY)
    assert {p.field for p in err.value.problems} == {"description", "category", "severity", "date", "location"}
    pid = _problem(site)
    uuid = svc.problem_rows(db, as_of=TODAY)[0].uuid
    label = svc.problem_label(db, uuid)
    assert label.startswith(f"监督问题 #{pid}") and site["building_name"] in label and "待发通知" in label
    assert svc.find_problems(db, "空鼓") == [(uuid, label)]
    with pytest.raises(InputError):
        svc.problem_label(db, "00000000-0000-0000-0000-000000000000")


def _acceptance(site, **over):
    data = dict(project_id=site["project"], accepted_on=date(2026, 11, 1), passed=True,
                parties={"district": "区住建局 周某", "community": "社区 吴某", "residents": "居民代表 5 人",
                         "builder": "项目经理 郑某"},
                checklist=[(item, "合格", "") for item in acc.DEFAULT_CHECKLIST], survey=acc.Survey(40, 8, 2, 0),
                works="外墙及屋面维修", party_id=site["builder"], evaluator="楚天评估", score="90", conclusion="良好")
    data.update(over)
    return svc.record_acceptance(site["db"], svc.AcceptanceInput(**data), today=TODAY)


def test_acceptance_refused_while_problems_are_open_unless_overridden_and_audited(site):
    db = site["db"]
    _problem(site)
    with pytest.raises(InputError) as err:
        _acceptance(site)
    assert err.value.problems[0].code == "acceptance.open_problems" and "1 个问题未关闭" in err.value.describe()
    assert svc.acceptances(db) == []
    assert _acceptance(site, works="道路及绿化整治")  # another works package: nothing open there
    aid = _acceptance(site, override_reason="剩余问题属居民自家窗台，已另约维修")
    view = next(a for a in svc.acceptances(db) if a.id == aid)
    assert view.open_problems == 1 and view.passed and view.override_reason.startswith("剩余问题")
    with db.read() as s:
        event = s.scalars(select(AuditEntry).where(AuditEntry.action == "override")).one()
    assert event.record_id == aid and "书面理由" in event.note
    with pytest.raises(InputError) as err:
        _acceptance(site, works="道路及绿化整治", survey=acc.Survey(30, 5, 15, 0))
    assert "群众不满意不通过验收" in err.value.describe()
    svc.set_acceptance_rule(db, True, "60")
    assert svc.acceptance_rule(db).min_percent == 60
    assert _acceptance(site, works="道路及绿化整治", survey=acc.Survey(30, 5, 15, 0))
    refused = _acceptance(site, passed=False, reasons="资料不全", survey=acc.Survey(1, 1, 9, 0))
    assert not next(a for a in svc.acceptances(db) if a.id == refused).passed


def test_statistics(site):
    db = site["db"]
    a = _problem(site, found=date(2026, 9, 1))
    _problem(site, found=date(2026, 9, 5), category="安全", description="脚手架未挂网")
    svc.issue_notice(db, svc.NoticeInput([a], date(2026, 9, 2), date(2026, 9, 9)), today=TODAY)
    svc.record_reply(db, a, date(2026, 9, 8), "已整改", today=TODAY)
    svc.recheck(db, a, date(2026, 9, 9), True, "王监督员", today=TODAY)
    svc.close_problem(db, a, date(2026, 9, 11), today=TODAY)
    stats = svc.statistics(db, date(2026, 8, 1), date(2026, 10, 31), site["project"], TODAY)
    assert (stats.found, stats.closed, stats.open_now, stats.inspections, stats.notices) == (2, 1, 1, 1, 1)
    assert stats.by_category == {"quality": (0, 1), "safety": (1, 0)}  # by code (0025), in words where shown
    assert stats.by_party == {"幸福建设工程有限公司": (1, 1)}
    assert stats.avg_days_to_close == 10
    assert stats.timeline[0] == (date(2026, 8, 1), 0, 0) and stats.timeline[-1] == (date(2026, 10, 31), 1, 1)
    assert stats.by_state[State.CLOSED] == 1 and stats.by_state[State.PENDING] == 1
    # the page passes the project's rows it has already read: the same figures
    rows = svc.problem_rows(db, svc.ProblemFilter(project_id=site["project"]), TODAY)
    assert svc.statistics(db, date(2026, 8, 1), date(2026, 10, 31), site["project"], TODAY, rows=rows) == stats


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def _pdf_images(path: Path) -> list[str]:
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout
    return [line for line in out.splitlines()[2:] if line.strip()]


@needs_poppler
def test_printouts_notice_with_photos_log_acceptance_report(site):
    db, tmp = site["db"], site["tmp"]
    p1 = _problem(site, [make_photo(tmp / "a.png", 1), make_photo(tmp / "b.png", 2)])
    p2 = _problem(site, [make_photo(tmp / "c.png", 3)], description="屋面防水卷材搭接不足", location="屋面")
    notice = svc.issue_notice(db, svc.NoticeInput([p1, p2], date(2026, 9, 2), date(2026, 9, 16), issued_by="周工"),
                              today=TODAY)
    out = tmp / "notice.pdf"
    pages = print_document(db, "rectification-notice", notice, out, as_of=TODAY)
    text = _pdf_text(out)
    assert pages >= 1
    for words in ("整改通知单", "ZG-2026-0001", "幸福建设工程有限公司", "2026年9月16日前", "外墙保温层空鼓开裂",
                  "屋面防水卷材搭接不足", "东立面三层", site["building_name"], "铲除空鼓部位重新粘贴", "复查方式",
                  "3 日内", "回", "签收人", "139****0001", "共 2 项问题"):
        assert words in text, words
    assert "13905270001" not in text  # the contact phone is masked
    assert len(_pdf_images(out)) == 3  # every photo is in the notice
    # a photo whose stored file went missing prints as a note; the notice still prints
    info = attachments_of(db, "supervision_problem", p2)[0]
    damage_content(db, info.sha256, None)  # the file beside a database file, or the server's row
    print_document(db, "rectification-notice", notice, out, as_of=TODAY, replace=True)  # over the first print
    assert "照片文件已丢失：c.png" in _pdf_text(out) and len(_pdf_images(out)) == 2

    log = tmp / "log.pdf"
    print_document(db, "inspection-log", site["project"], log, as_of=TODAY, start=date(2026, 8, 1),
                   end=date(2026, 9, 30))
    text = _pdf_text(log)
    assert "巡查 1 次，发现问题 2 项" in text and "2026-09-01" in text and "街道 周工" in text

    svc.record_reply(db, p1, date(2026, 9, 10), "已整改", today=TODAY)
    aid = _acceptance(site, override_reason="两项问题已回复待复查，不影响使用")
    form = tmp / "acceptance.pdf"
    print_document(db, "acceptance-form", aid, form, as_of=TODAY)
    text = _pdf_text(form)
    for words in ("工程验收记录表", "YS-2026-0001", "区住建局 周某", "满意率", "96%", "楚天评估", "通过",
                  "两项问题已回复待复查"):
        assert words in text, words
    assert re.search(r"验收时未关闭的问题\s+2\s*项", text)

    report = tmp / "report.pdf"
    print_document(db, "supervision-report", 0, report, as_of=TODAY, start=date(2026, 8, 1), end=date(2026, 11, 22))
    text = _pdf_text(report)
    for words in ("居民监督工作报告", "全部项目", "发现问题", "逾期未整改", "未关闭问题清单", "按类别", "按责任单位"):
        assert words in text, words
    assert "67" in text.split("未关闭问题清单")[1]  # both problems overdue by 67 days (since 09-16)


def test_demo_team(db):
    from renewal_desk.core.services.demo import generate_demo
    from renewal_desk.core.services.demo_supervision import generate_supervision_demo

    summary = generate_demo(db, households=120, seed=5)
    made = generate_supervision_demo(db, summary.project_id, 5, TODAY)
    rows = svc.problem_rows(db, as_of=TODAY)
    assert 30 <= made == len(rows) <= 42
    assert {r.state for r in rows} == {s.value for s in svc.State}
    assert sum(r.overdue for r in rows) >= 2
    assert len(svc.supervisors(db)) == 6 and len([p for p in svc.parties(db) if p.kind == "builder"]) == 3
    assert sorted(a.passed for a in svc.acceptances(db)) == [False, True]
    assert all(r.photos == 1 for r in rows)
    assert any(d.recheck_failures for d in (svc.problem_detail(db, r.id, TODAY) for r in rows[:40]))


def test_descriptions_keep_chinese_punctuation(demo_db):
    from renewal_desk.core.services.demo_supervision import generate_supervision_demo

    generate_supervision_demo(demo_db, svc.projects(demo_db)[0][0], 2)
    described = [r.description for r in svc.problem_rows(demo_db, svc.ProblemFilter())]
    assert any("，" in d for d in described) and not any("," in d for d in described)
