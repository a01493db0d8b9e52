"""The wall, slide by slide, at the three screens a hall has (1024×768 projector, 1280×720, 1920×1080):
every state of a meeting is rendered and saved as PNG for a person to look at (a tmp folder, or
$RENEWAL_DESK_SHOTS). Each picture is checked: the window is the size asked for, no verdict shows
before 宣布结果, every text fits its box (no label wants more room than it has, no line starts inside
a word), nothing personal is shown and there are no controls."""

import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QTextEdit

from renewal_desk.core.models import MeetingKind, RoundState
from renewal_desk.core.rules import linebreak
from renewal_desk.core.rules.idcard import make_id_number
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services.households import HouseholdInput, PersonInput, create_household
from renewal_desk.core.services.places import create_place
from renewal_desk.ui.meetings.projector import MeetingProjector

SIZES = ((1024, 768), (1280, 720), (1920, 1080))
START = datetime(2026, 11, 25, 14, 30)
OWNERS = [f"业主{n:02d}" for n in range(1, 13)]
OWNERS[0] = "王𠮷"
PHONES = [f"1380000{n:04d}" for n in range(1, 13)]
AREA = Decimal("14793.11")  # 12 × this = 177,517.32 m², the longest figures a large project gives


@pytest.fixture
def hall(db):
    """A meeting with a long title and agenda, 12 owners in 1号楼 (with a large project's long area
    figures), 10 of them in the room."""
    project = create_place(db, "project", "幸福里改造")
    building = create_place(db, "building", "1号楼", create_place(db, "block", "幸福里", project))
    unit = create_place(db, "unit", "1单元", building)
    for n in range(12):
        create_household(db, HouseholdInput(unit, f"{n // 4 + 1}{n % 4 + 1:02d}", AREA, people=[
            PersonInput(OWNERS[n], phone=PHONES[n], is_head=True,
                        id_number=make_id_number("110105", date(1950, 1, 1), 3) if n == 0 else None)]))
    mid = svc.create_meeting(db, svc.MeetingInput("幸福里1号楼加装电梯暨楼道材料堆放整治业主协商议事会", START, MeetingKind.OWNERS,
                                                  project, place="幸福里社区党群服务中心二楼多功能活动室",
                                                  chair="李主任", recorder="张敏"))
    svc.invite_households(db, mid)
    titles = ["主持人宣布会议开始并介绍到会情况", "设计单位介绍加装电梯方案", "居民提问与讨论",
              "表决：1号楼加装电梯", "讨论楼道材料堆放整治方案并征求居民意见（第二轮）", "表决：楼道材料堆放整治",
              "其他事项"]
    items = [svc.add_item(db, mid, t, "设计师" if n == 1 else "") for n, t in enumerate(titles)]
    rows = svc.attendees(db, mid)
    for r in rows[:10]:
        svc.sign_in(db, r.id, START)
    return mid, items, rows, building


class Wall:
    """The projector as the hall sees it, re-rendered from the database after each step."""

    def __init__(self, qtbot, db, mid, out: Path):
        self.db, self.mid, self.out = db, mid, out
        self.projector = MeetingProjector()
        qtbot.addWidget(self.projector)
        self.projector.show()
        qtbot.waitExposed(self.projector)
        self.shots: list[Path] = []

    def shoot(self, state: str, with_ordering: bool = False) -> list[str]:
        """Render the state at each size, save it, check it; returns the texts shown (at 1024×768)."""
        p = self.projector
        p.show_wall(svc.wall_view(self.db, self.mid, with_ordering))
        texts = None
        for w, h in SIZES:
            p.resize(w, h)
            for _ in range(3):
                QApplication.processEvents()
            assert (p.width(), p.height()) == (w, h), (state, p.size())
            image = p.grab()
            assert (image.width(), image.height()) == (w, h)
            path = self.out / f"{state}-{w}x{h}.png"
            assert image.save(str(path))
            self.shots.append(path)
            check_fits(p, f"{state} {w}×{h}")
            shown = [label.text() for label in p.text_labels()]
            if texts is None:
                texts = shown
            everything = "\n".join(shown)
            for name, phone in zip(OWNERS, PHONES):
                assert name not in everything and phone not in everything
            assert "李主任" not in everything and "张敏" not in everything and "设计师" not in everything
            assert "110105" not in everything
        return texts


def check_fits(p: MeetingProjector, where: str) -> None:
    labels = p.text_labels()
    assert labels, where
    window = p.rect()
    for label in labels:
        hint, size = label.sizeHint(), label.size()
        assert hint.width() <= size.width() and hint.height() <= size.height(), (where, label.text(), hint, size)
        assert not label.wordWrap()
        assert linebreak.broken_words(label.source, label.lines) == [], (where, label.lines)
        box = label.rect().translated(label.mapTo(p, label.rect().topLeft()))
        assert window.contains(box), (where, label.text(), box)
        assert label.font().pixelSize() >= 12, (where, label.text(), label.font().pixelSize())
    for kind in (QAbstractButton, QLineEdit, QTextEdit, QComboBox, QAbstractSpinBox):
        assert not p.findChildren(kind), (where, kind)  # no controls on the wall


def no_verdict(texts: list[str]) -> bool:
    return not any("通过" in t for t in texts)


@pytest.fixture
def shots(tmp_path):
    out = Path(os.environ.get("RENEWAL_DESK_SHOTS") or tmp_path / "shots")
    out.mkdir(parents=True, exist_ok=True)
    return out


def test_every_slide_at_three_sizes(qtbot, db, hall, shots):
    mid, items, rows, building = hall
    wall = Wall(qtbot, db, mid, shots)
    # the title slide: title, time, place, 应到 / 实到
    texts = wall.shoot("1-title")
    assert wall.projector.slide.kind == "title"
    assert "应到 12 · 实到 10" in texts and "2026年11月25日（星期三）14:30" in texts
    assert any("多功能" in t for t in texts) and no_verdict(texts)
    # the agenda with the current item (a title that needs two lines or a smaller font, never split)
    svc.set_current_item(db, mid, items[4], START + timedelta(minutes=10))
    texts = wall.shoot("2-agenda")
    assert wall.projector.slide.kind == "agenda" and no_verdict(texts)
    current = [r for r in wall.projector.agenda_rows if r.isVisible() and r.text().startswith("▶")]
    assert len(current) == 1 and "5. 讨论楼道材料堆放整治方案" in current[0].text()
    # the motion before the vote: its text, scope, rule and method
    svc.set_current_item(db, mid, items[3], START + timedelta(minutes=20))
    elevator = svc.add_motion(db, mid, svc.MotionInput(
        "同意1号楼加装电梯", "同意在1号楼1单元北侧加装一部电梯，所需资金由本单元业主按楼层系数分摊，政府补贴按本市规定申请；"
        "施工期间由施工单位负责楼道安全和噪声控制。", matter="special", method="named", item_id=items[3],
        scope="buildings", scope_ids=[building]))
    texts = wall.shoot("3-motion")
    shown = "\n".join(texts)
    assert wall.projector.slide.motion.stage == "before" and no_verdict(texts)
    assert "1号楼" in shown and "双三分之二参与、双四分之三同意" in shown and "记名投票" in shown and "加装一部电梯" in shown
    # the vote opened, no ballot yet: 正在表决… and bars at zero, no verdict
    svc.start_vote(db, elevator, START + timedelta(minutes=30))
    texts = wall.shoot("4-voting-0")
    shown = "\n".join(texts)
    assert no_verdict(texts) and "正在表决" in shown and "0 / 12 人" in shown and "0 / 177,517.32 ㎡" in shown
    assert len(wall.projector.slide.motion.bars) == 4
    # some ballots: the live tally of headcount and area, still no verdict
    for r in rows[:6]:
        svc.cast_ballot(db, elevator, r.id, "赞成" if r is not rows[5] else "反对")
    texts = wall.shoot("5-voting-6")
    shown = "\n".join(texts)
    assert no_verdict(texts) and "6 / 12 人" in shown and "5 / 6 人" in shown and "73,965.55 / 88,758.66 ㎡" in shown
    assert "三分之二以上" in shown and "四分之三以上" in shown  # the threshold under each line
    # declared: 通过 with the reasons
    for r in rows[6:10]:
        svc.cast_ballot(db, elevator, r.id, "赞成")
    svc.close_vote(db, elevator)
    texts = wall.shoot("6-declared-pass")
    assert "通过" in texts and "未通过" not in texts
    assert any("达到四分之三" in t for t in texts) and any("民法典第二百七十八条" in t for t in texts)
    # the next item: the previous result is off the wall
    svc.set_current_item(db, mid, items[4], START + timedelta(minutes=40))
    texts = wall.shoot("7-agenda-after")
    assert wall.projector.slide.kind == "agenda" and no_verdict(texts)
    # a show of hands on the next item, declared not passed
    svc.set_current_item(db, mid, items[5], START + timedelta(minutes=50))
    stored = svc.add_motion(db, mid, svc.MotionInput("同意清理楼道堆放杂物", "一周内由各户自行清理，逾期由物业统一清运。",
                                                     item_id=items[5]))
    texts = wall.shoot("8-motion-hands")
    assert no_verdict(texts) and "举手表决" in "\n".join(texts)
    svc.start_vote(db, stored, START + timedelta(minutes=55))
    svc.set_counts(db, stored, {"yes_owners": 3, "no_owners": 6, "abstain_owners": 1})
    texts = wall.shoot("9-voting-hands")
    assert no_verdict(texts) and len(wall.projector.slide.motion.bars) == 2
    svc.close_vote(db, stored)
    texts = wall.shoot("10-declared-fail")
    assert "未通过" in texts and "通过" not in texts
    assert any("未过半数" in t for t in texts)
    # the residents' ordering results, when asked
    _ordering(db, mid, rows)
    texts = wall.shoot("11-ordering", with_ordering=True)
    shown = "\n".join(texts)
    assert wall.projector.slide.kind == "ordering" and "1. 绿化整治" in shown and "已回答 3 / 12 户" in shown
    # a long agenda: the rows around the current item, and how many are left out
    more = [svc.add_item(db, mid, f"补充议题{n}：楼道照明与停车管理") for n in range(1, 19)]
    svc.set_current_item(db, mid, more[9], START + timedelta(minutes=70))
    texts = wall.shoot("12-long-agenda")
    assert any(t.startswith("▶ 17. 补充议题10") for t in texts)
    assert any(t.startswith("… 前") for t in texts) and any(t.startswith("… 后") for t in texts)
    assert len(wall.shots) == 12 * 3


def test_zoom_never_widens_the_wall_and_text_still_fits(qtbot, db, hall, shots):
    mid, items, rows, building = hall
    svc.set_current_item(db, mid, items[3], START)
    motion = svc.add_motion(db, mid, svc.MotionInput("同意1号楼加装电梯", matter="special", method="named",
                                                     item_id=items[3], scope="buildings", scope_ids=[building]))
    svc.start_vote(db, motion, START)
    svc.cast_ballot(db, motion, rows[0].id, "赞成")
    wall = Wall(qtbot, db, mid, shots)
    wall.shoot("zoom-0")
    p = wall.projector
    for w, h in SIZES:
        p.resize(w, h)
        for factor, name in ((1.1, "in"), (1 / 1.1, "out")):
            for _ in range(12):
                p.zoom(factor)
                QApplication.processEvents()
                assert p.size().toTuple() == (w, h)  # zoom changes the type, never the window
            check_fits(p, f"zoomed {name} {w}×{h}")
            assert p.grab().save(str(shots / f"zoom-{name}-{w}x{h}.png"))
        while p.scale < 1:
            p.zoom(1.1)


def _ordering(db, mid, rows):
    from renewal_desk.core.services import ordering

    project = svc.meeting_view(db, mid).project_id
    ordering.ensure_menu(db, project)
    rid = ordering.create_round(db, project, "2026年幸福里居民点单（加装电梯、楼道整治、绿化提升）")
    ordering.set_round_state(db, rid, RoundState.OPEN)
    menu = {m.name: m for m in ordering.menu(db, project)}
    others = [m for m in menu.values() if not m.mandatory and m.name != "绿化整治"]
    for n, r in enumerate(rows[:3]):
        choices = {menu["绿化整治"].id: (1, "yes"), others[n].id: (2, "yes"), others[n + 1].id: (3, "yes")}
        ordering.record_order(db, rid, ordering.OrderInput(r.household_id, choices))
