"""The wall's slides (issue 22, scope 8): one computation gives every figure; the slide follows the
current agenda item; no verdict before 宣布结果; lines break only where a reader expects it."""

import pytest

from datetime import timedelta
from fractions import Fraction

from renewal_desk.core.models import RoundState
from renewal_desk.core.rules import linebreak
from renewal_desk.core.services import meetings as svc
from test_meetings import START, estate, meeting  # noqa: F401  (fixtures)


# ------------------------------------------------------------------------------------ line breaks
def test_lines_break_only_where_a_reader_expects_it():
    text = "讨论楼道材料堆放整治方案，征求意见（第二轮）"
    assert linebreak.wrap(text, 13, len) == ["讨论楼道材料堆放整治方案，", "征求意见（第二轮）"]
    assert linebreak.wrap("材料堆放", 3, len) is None  # no place to break: the caller shrinks the font
    assert linebreak.wrap("幸福里1号楼加装电梯暨楼道整治议事会", 10, len) == ["幸福里1号楼加装电梯", "暨楼道整治议事会"]
    assert linebreak.wrap("共12户，第3项", 5, len) == ["共12户，", "第3项"]  # never 第|3项
    assert linebreak.wrap("600 / 1,200 ㎡", 7, len) == ["600 /", "1,200 ㎡"]  # 1,200 and its unit stay together
    assert not linebreak.break_allowed("1,200", 2) and not linebreak.break_allowed("赞成。」好", 3)
    assert linebreak.broken_words("材料堆放", ["材料堆", "放"]) and linebreak.broken_words("材料堆放", ["材料", "堆放"])
    assert linebreak.broken_words(text, ["讨论楼道材料堆放整治方案，", "征求意见（第二轮）"]) == []


def test_text_that_cannot_fit_is_cut_visibly():
    fit = linebreak.fit("一二三，四五六七，八九十", 6, len, 2)
    assert fit.elided and fit.lines == ("一二三，", "四五六七，…")
    assert linebreak.broken_words("一二三，四五六七，八九十", fit.lines) == []
    fit = linebreak.fit("讨论楼道材料堆放整治方案", 8, len, 2)
    assert fit.elided and fit.lines == ("讨论楼道材料堆…",)
    assert linebreak.fit("短", 8, len, 1) == linebreak.Fit(("短",), False)


# ------------------------------------------------------------------------------------------ slides
def _rows(db, mid):
    return {r.household_id: r for r in svc.attendees(db, mid)}


def test_the_slide_follows_the_agenda_and_shows_each_stage_of_a_vote(db, estate, meeting):
    _, ids = estate
    rows = _rows(db, meeting)
    first = svc.add_item(db, meeting, "加装电梯方案介绍", "设计师")
    vote = svc.add_item(db, meeting, "表决：加装电梯")
    other = svc.add_item(db, meeting, "楼道堆物清理")
    for hid in ids[:10]:
        svc.sign_in(db, rows[hid].id, START)
    slide = svc.wall_slide(db, meeting)
    assert (slide.kind, slide.title, slide.place) == ("title", "加装电梯业主大会", "社区活动室")
    assert slide.when == "2026年11月25日（星期三）14:30" and (slide.expected, slide.present) == (12, 10)
    svc.set_current_item(db, meeting, first, START)
    slide = svc.wall_slide(db, meeting)
    assert slide.kind == "agenda" and slide.current == "第 1 项　加装电梯方案介绍"
    assert [(a.text, a.current, a.done) for a in slide.agenda] == [
        ("1. 加装电梯方案介绍", True, False), ("2. 表决：加装电梯", False, False), ("3. 楼道堆物清理", False, False)]
    # the item's motion goes on the wall before the vote: text, scope, rule, method; no figures yet
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", "加装一部", matter="special", method="named",
                                                         item_id=vote))
    svc.set_current_item(db, meeting, vote, START + timedelta(minutes=10))
    slide = svc.wall_slide(db, meeting)
    m = slide.motion
    assert slide.kind == "motion" and slide.agenda[0].done and m.stage == "before"
    assert (m.title, m.text, m.scope, m.method) == ("同意加装电梯", "加装一部", "全项目（幸福里改造）", "记名投票")
    assert (m.rule, m.basis) == ("双三分之二参与、双四分之三同意", "民法典第二百七十八条")
    assert m.bars == () and m.counts == "" and m.verdict is None
    # the vote: four bars at zero, each against its threshold; still no verdict
    svc.start_vote(db, motion, START + timedelta(minutes=20))
    m = svc.wall_slide(db, meeting).motion
    assert m.stage == "voting" and m.verdict is None and m.reasons == ()
    assert [(b.label, b.value, b.share_text, b.threshold_text) for b in m.bars] == [
        ("参与（人数）", "0 / 12 人", "0.0%", "三分之二以上"), ("参与（面积）", "0 / 1,200 ㎡", "0.0%", "三分之二以上"),
        ("赞成（人数）", "0 / 0 人", "0.0%", "四分之三以上"), ("赞成（面积）", "0 / 0 ㎡", "0.0%", "四分之三以上")]
    for hid in ids[:8]:
        svc.cast_ballot(db, motion, rows[hid].id, "赞成")
    m = svc.wall_slide(db, meeting).motion
    bars = {b.label: b for b in m.bars}
    assert bars["参与（人数）"].share == Fraction(2, 3) and bars["参与（人数）"].share_text == "66.7%"
    assert bars["赞成（面积）"].value == "800 / 800 ㎡" and bars["赞成（面积）"].threshold == Fraction(3, 4)
    assert m.counts == "赞成 8 人（800 ㎡） · 反对 0 人（0 ㎡） · 弃权 0 人（0 ㎡）" and m.verdict is None
    # declared: the verdict and the reasons
    svc.close_vote(db, motion)
    m = svc.wall_slide(db, meeting).motion
    assert m.stage == "declared" and m.verdict is True and any("达到四分之三" in r for r in m.reasons)
    # the next item: its own slide, the result is off the wall; back to the item: the result again
    svc.set_current_item(db, meeting, other, START + timedelta(minutes=30))
    slide = svc.wall_slide(db, meeting)
    assert slide.kind == "agenda" and slide.motion is None
    svc.set_current_item(db, meeting, vote, START + timedelta(minutes=40))
    assert svc.wall_slide(db, meeting).motion.verdict is True
    # nothing personal anywhere on the slide: no resident, presenter, chair or recorder
    text = repr(svc.wall_slide(db, meeting).agenda) + repr(svc.wall_slide(db, meeting).motion)
    for word in ("王𠮷", "13800000", "110105", "设计师", "李主任", "张敏"):
        assert word not in text


def test_a_consultative_show_of_hands_has_two_bars_and_no_quorum_line(db, estate, meeting):
    _, ids = estate
    rows = _rows(db, meeting)
    item = svc.add_item(db, meeting, "楼道堆物清理")
    svc.set_current_item(db, meeting, item, START)
    for hid in ids[:10]:
        svc.sign_in(db, rows[hid].id, START)
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意清理楼道", item_id=item))
    svc.start_vote(db, motion, START + timedelta(minutes=5))
    svc.set_counts(db, motion, {"yes_owners": 3, "no_owners": 6, "abstain_owners": 1})
    m = svc.wall_slide(db, meeting).motion
    assert (m.rule, m.basis, m.method) == ("参与人数过半数同意", "协商表决，简单多数", "举手表决")
    assert [(b.label, b.value, b.threshold, b.threshold_text) for b in m.bars] == [
        ("参与（人数）", "10 / 12 人", None, ""), ("赞成（人数）", "3 / 10 人", Fraction(1, 2), "过半数")]
    assert m.counts == "赞成 3 人 · 反对 6 人 · 弃权 1 人" and m.verdict is None
    svc.close_vote(db, motion)
    m = svc.wall_slide(db, meeting).motion
    assert m.verdict is False and m.reasons == ("协商表决按人数计：赞成 3 人，占参与表决 10 人的 30.0%，未过半数",)
    # English wall: the same figures in English
    m = svc.wall_slide(db, meeting, lang="en").motion
    assert m.bars[1].label == "yes (headcount)" and m.bars[1].threshold_text == "more than half"
    assert m.reasons[0].startswith("consultative vote by headcount")


def test_the_ordering_results_when_asked(db, estate, meeting):
    from renewal_desk.core.services import ordering

    project, ids = estate
    ordering.ensure_menu(db, project)
    rid = ordering.create_round(db, project, "2026年居民点单")
    ordering.set_round_state(db, rid, RoundState.OPEN)
    green = next(m for m in ordering.menu(db, project) if m.name == "绿化整治")
    ordering.record_order(db, rid, ordering.OrderInput(ids[0], {green.id: (1, "yes")}))
    slide = svc.wall_slide(db, meeting, with_ordering=True)
    assert slide.kind == "ordering" and slide.ordering_answered == "已回答 1 / 12 户"
    assert (slide.ordering_bars[0].label, slide.ordering_bars[0].value, slide.ordering_bars[0].share_text) == (
        "1. 绿化整治", "1 户", "100.0%")
    assert svc.wall_slide(db, meeting).kind == "title"  # not asked: the meeting's own slide


def test_a_long_agenda_shows_the_rows_around_the_current_item_and_says_what_is_left_out():
    def agenda(current):
        return tuple(svc.AgendaLine(n, f"{n}. 议题", n == current, n < current) for n in range(1, 26))

    rows, before, after = svc.agenda_window(agenda(18), 10)
    assert ([r.position for r in rows], before, after) == ([16, 17, 18, 19, 20, 21, 22, 23], 15, 2)
    rows, before, after = svc.agenda_window(agenda(1), 10)
    assert (len(rows), before, after) == (9, 0, 16)  # nothing before: one more row of items
    rows, before, after = svc.agenda_window(agenda(25), 10)
    assert (rows[-1].position, before, after) == (25, 16, 0)
    assert svc.agenda_window(agenda(3)[:5], 10) == (agenda(3)[:5], 0, 0)
