"""Consultation meeting printouts: the notice, the sign-in sheet, the minutes, the resolution notice.

The PDFs are read back with poppler-utils (pdftotext, pdffonts); those checks are skipped where it
is missing, as in test_printing_ordering.py. Vote results come from consent.evaluate on small
hand-made cases, so the figures printed are the ones the rules compute.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from renewal_desk.core.printing.meetings import (
    AgendaLine,
    AttendeeLine,
    ItemMinutes,
    MeetingHead,
    MinutesDoc,
    MotionLine,
    NoticeDoc,
    ResolutionNoticeDoc,
    SignInDoc,
    SpeechLine,
    TaskLine,
    attendance_text,
    invited_text,
    meeting_time_text,
    render_meeting_minutes,
    render_meeting_notice,
    render_resolution_notice,
    render_sign_in_sheet,
    sign_in_rows,
)
from renewal_desk.core.rules.consent import Ballot, ConsentResult, Unit, default_rule, evaluate

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)

OPERATOR = "赵社工"
WHEN = datetime(2026, 11, 22, 9, 5)
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_RE = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")
RARE = "王𠮷"  # 𠮷 U+20BB7, CJK Extension B
RARE_A = "李䶮"  # 䶮 U+4DAE, CJK Extension A
PROXY_FOR, PROXY = "陈秀兰", "陈建国"
WALK_IN = "周列席"
RESIDENTS = (RARE, RARE_A, PROXY_FOR, PROXY, WALK_IN, "刘居民", "孙发言")
LONG_SPEECH = ("我是三幢二单元的老住户，家里有两位老人，上下楼非常不方便。" * 12
               + "希望尽快把加装电梯的方案定下来，低层住户的采光和噪声问题也请设计单位一并考虑，结尾标记甲乙丙。")

HEAD = MeetingHead(
    title="仁丰里三幢加装电梯居民议事会",
    kind="居民议事会",
    project="仁丰里历史街区更新（一期）",
    organiser="东关街道办事处 仁丰里社区居民委员会",
    starts_at=datetime(2026, 11, 25, 14, 30),
    ends_at=datetime(2026, 11, 25, 16, 30),
    place="仁丰里社区党群服务中心二楼会议室",
    chair="吴书记",
    recorder="郑记录",
    scrutineers=("冯监票", "褚计票"),
)
AGENDA = (
    AgendaLine(1, "通报三幢加装电梯设计方案", "设计单位 钱工", 20),
    AgendaLine(2, "居民自由发言", "吴书记", 40),
    AgendaLine(3, "表决：三幢二单元加装电梯", "吴书记", 15),
)


# --- vote results through the rules ---------------------------------------------------------------


def _art278_passed() -> ConsentResult:
    """12 owners (odd units 85.50 ㎡, even 102.30 ㎡); 8 yes, 1 no, 1 abstain, 2 absent: special
    matter (double 2/3 quorum, double 3/4 approval) passed."""
    units = [Unit(i, f"o{i}", Decimal("85.50") if i % 2 else Decimal("102.30")) for i in range(1, 13)]
    choices = ["yes"] * 8 + ["no", "abstain"]
    return evaluate(units, [Ballot(i, c) for i, c in enumerate(choices, start=1)], default_rule("special"))


def _art278_no_quorum() -> ConsentResult:
    """Same 12 owners, only 7 vote (all yes): the ordinary rule fails on the quorum."""
    units = [Unit(i, f"o{i}", Decimal("85.50") if i % 2 else Decimal("102.30")) for i in range(1, 13)]
    return evaluate(units, [Ballot(i, "yes") for i in range(1, 8)], default_rule("ordinary"))


def _show_of_hands() -> ConsentResult:
    """40 present, hands counted: 25 yes, 9 no, 4 abstain, 2 not voting; simple majority."""
    units = [Unit(i, f"p{i}", Decimal(1)) for i in range(1, 41)]
    choices = ["yes"] * 25 + ["no"] * 9 + ["abstain"] * 4
    return evaluate(units, [Ballot(i, c) for i, c in enumerate(choices, start=1)], default_rule("consultative"))


PASSED, NO_QUORUM, HANDS = _art278_passed(), _art278_no_quorum(), _show_of_hands()
MOTIONS = (
    MotionLine("三幢二单元加装电梯", "同意在三幢二单元北侧加装电梯一部，费用按楼层分摊。", "记名投票",
               PASSED.rule.name_zh, PASSED),
    MotionLine("三幢一单元加装电梯", "同意在三幢一单元加装电梯一部。", "纸质票", NO_QUORUM.rule.name_zh, NO_QUORUM,
               correction="2026-11-26 10:12 郑记录更正：一张纸质票误记为反对，经监票人冯监票核对改为赞成。"),
    MotionLine("电梯外观采用青砖灰色调", "同意设计单位提出的青砖灰色调方案。", "举手表决", HANDS.rule.name_zh, HANDS,
               figures_note="举手表决按人数计，面积不适用。"),
    MotionLine("下次会议时间", "12月中旬再议施工安排。", "举手表决", "协商表决（简单多数）", None),
)
TASKS = (
    TaskLine("委托设计单位出具施工图", "仁丰里社区居委会", date(2026, 12, 10), "进行中"),
    TaskLine("向区住建局报送加装电梯申请材料", "东关街道城建科", date(2026, 11, 20), "未开始", overdue=True,
             note="需业主签字的申请表"),
)
REVIEWED = (TaskLine("清理三幢楼道堆物", "物业服务中心", date(2026, 10, 31), "已完成"),
            TaskLine("统计低层住户意见", "仁丰里社区居委会", date(2026, 11, 1), "进行中", overdue=True))


def _notice_doc() -> NoticeDoc:
    return NoticeDoc(
        head=HEAD, purpose="听取三幢加装电梯设计方案，听取居民意见，并就三幢二单元加装电梯进行表决。",
        agenda=AGENDA, invited=(("居民", 36), ("党员", 6), ("物业", 2), ("部门", 3), ("设计师", 1)),
        contact="仁丰里社区居委会 0514-87654321", notice_date=date(2026, 11, 18),
        requirements="请携带身份证或房产证明；本人不能到会的，可书面委托代理人参加并携带委托书。")


def _attendee(i: int, **kw) -> AttendeeLine:
    base = dict(name=f"居民{i:04d}", category="居民", organisation="业主",
                address=f"{i % 9 + 1}幢{i % 3 + 1}单元{i % 6 + 1}0{i % 4 + 1}室", phone=f"139{i:08d}", expected=True,
                signed_in_at=None, left_at=None)
    base.update(kw)
    return AttendeeLine(**base)


def _sign_in_doc(n_extra: int = 0, blank_rows: int = 10, present: int = 5) -> SignInDoc:
    rows = [
        _attendee(1, name=RARE, phone="13812341234", signed_in_at=datetime(2026, 11, 25, 14, 21)),
        _attendee(2, name=RARE_A, phone="0514-87651234"),
        _attendee(3, name=PROXY_FOR, phone="13698765432", proxy_name=PROXY, proxy_authority="委托书 2026-11-18",
                  signed_in_at=datetime(2026, 11, 25, 14, 25)),
        _attendee(4, name="钱工", category="设计师", organisation="扬州市城市规划设计研究院", address="", phone=None),
        _attendee(5, name=WALK_IN, expected=False, phone="15011112222", signed_in_at=datetime(2026, 11, 25, 14, 40),
                  left_at=datetime(2026, 11, 25, 15, 50)),
    ] + [_attendee(100 + i) for i in range(n_extra)]
    return SignInDoc(head=HEAD, rows=tuple(rows), blank_rows=blank_rows, expected=0, present=present)


def _minutes_doc() -> MinutesDoc:
    items = (
        ItemMinutes(AGENDA[0], "设计单位介绍了三幢加装电梯的平面布置、井道位置和造价估算。",
                    (SpeechLine("钱工", "电梯井道设于北侧，不占用消防通道。", datetime(2026, 11, 25, 14, 36)),), ()),
        ItemMinutes(AGENDA[1], "居民围绕费用分摊和低层住户补偿展开讨论。", (
            SpeechLine(RARE, "支持加装电梯，希望尽快开工。", datetime(2026, 11, 25, 14, 55)),
            SpeechLine("孙发言", LONG_SPEECH, datetime(2026, 11, 25, 15, 2)),
            SpeechLine(RARE_A, "一楼住户的补偿标准需要写进协议。", None),
        ), (MOTIONS[2],)),
        ItemMinutes(AGENDA[2], "按记名投票对两个单元分别表决。", (), (MOTIONS[0], MOTIONS[1], MOTIONS[3])),
    )
    return MinutesDoc(
        head=HEAD, expected=52, present=40, late=3, left_early=1, proxies=2,
        participation_text="按人数 40/52（76.9%）；按面积 3,210.50/4,100.20 ㎡（78.3%）",
        by_category=(("居民", 40, 30), ("党员", 6, 6), ("物业", 2, 1), ("部门", 3, 2), ("设计师", 1, 1)),
        items=items, resolutions=("同意三幢二单元加装电梯，由社区牵头委托设计单位出具施工图。",
                                  "三幢一单元加装电梯事项未达到参与表决比例，择期再议。"),
        tasks=TASKS, reviewed_tasks=REVIEWED)


def _resolution_doc() -> ResolutionNoticeDoc:
    return ResolutionNoticeDoc(
        head=HEAD, resolutions=_minutes_doc().resolutions, motions=MOTIONS, tasks=TASKS,
        notice_from=date(2026, 11, 26), notice_to=date(2026, 12, 2), contact="仁丰里社区居委会 0514-87654321")


# --- reading PDFs -----------------------------------------------------------------------------------


def _pages(pdf: Path, layout: bool = True) -> list[str]:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    text = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _squash(text: str) -> str:
    return "".join(text.split())


def _check_pages(pdf: Path, n: int, doc_no: str, masked: bool = True) -> list[str]:
    pages = _pages(pdf)
    assert len(pages) == n
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {n} 页" in page
        assert doc_no in page and f"操作人：{OPERATOR}" in page
        if masked:
            assert "已脱敏" in page and "内部资料" not in page
        else:
            assert "内部资料" in page
    return pages


def _body(pages: list[str]) -> str:
    """The pages' text without the header and footer lines, squashed: text that runs on over a
    page break reads as one."""
    return _squash("".join(line for page in pages for line in page.splitlines()
                           if "文书编号" not in line and "打印日期" not in line))


def _fonts(pdf: Path) -> str:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for r in rows:  # name type encoding emb sub uni object ID
        assert r[-5:-2] == ["yes", "yes", "yes"], r
    return " ".join(r[0] for r in rows)


def _vote_figures(r: ConsentResult) -> list[str]:
    """What the figures table of a vote shows (as pdftotext reads it, spaces squashed)."""
    return [str(r.eligible_owners), str(r.participating_owners), str(r.yes_owners), str(r.no_owners),
            str(r.abstain_owners)]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("meetings")


# --- helpers ----------------------------------------------------------------------------------------


def test_text_helpers() -> None:
    assert meeting_time_text(datetime(2026, 11, 25, 14, 30)) == "2026年11月25日（星期三）14:30"
    assert meeting_time_text(HEAD.starts_at, HEAD.ends_at) == "2026年11月25日（星期三）14:30—16:30"
    assert meeting_time_text(datetime(2026, 11, 29, 9, 0), datetime(2026, 11, 30, 12, 0)) == \
        "2026年11月29日（星期日）09:00至2026年11月30日 12:00"
    assert invited_text(_notice_doc().invited) == \
        "居民 36 人、党员 6 人、物业服务企业代表 2 人、相关部门代表 3 人、设计师 1 人，共 48 人"
    assert attendance_text(_minutes_doc()) == "应到 52 人，实到 40 人，到会率 76.9%（其中迟到 3 人、早退 1 人、委托代理 2 人）。"


def test_sign_in_rows_mask_and_order() -> None:
    doc = _sign_in_doc()
    rows = sign_in_rows(doc)
    assert [r[0] for r in rows] == list(range(1, 16))
    assert rows[0][1] == RARE and rows[0][4] == "138****1234" and rows[0][7] == "14:21" and rows[0][6] == ""
    assert rows[1][4] == "0514-****1234"
    assert rows[2][1] == PROXY_FOR and rows[2][6] == PROXY and "代理凭证：委托书 2026-11-18" in rows[2][2]
    assert rows[3][2] == "设计师·扬州市城市规划设计研究院" and rows[3][4] == ""
    assert rows[4][1] == WALK_IN and rows[4][2] == "居民·业主（列席）" and rows[4][7] == "14:40\n离场 15:50"
    assert rows[5] == [6, "", "", "", "", "", "", ""]
    assert sign_in_rows(doc, masked=False)[0][4] == "13812341234"


# --- the PDFs ---------------------------------------------------------------------------------------


@needs_poppler
def test_meeting_notice(out_dir: Path) -> None:
    pdf = out_dir / "notice.pdf"
    n = render_meeting_notice(pdf, _notice_doc(), operator=OPERATOR, doc_no="HYTZ-20261118-0001", printed_at=WHEN)
    pages = _check_pages(pdf, n, "HYTZ-20261118-0001")
    assert n == 1
    text = _squash("".join(pages))
    for s in ("会议通知", HEAD.title, "2026年11月25日（星期三）14:30—16:30", HEAD.place, "会议议程",
              "通报三幢加装电梯设计方案", "设计单位钱工", "20分钟", "40分钟", "议程计划用时约75分钟",
              "居民36人、党员6人", "共48人", "请携带身份证", "0514-87654321", "特此通知",
              "东关街道办事处仁丰里社区居民委员会", "2026年11月18日"):
        assert s in text, s
    assert not MOBILE_RE.search(text)
    # organiser and date at the bottom right of the page
    last_lines = [line for line in pages[-1].splitlines() if line.strip()]
    date_line = next(line for line in last_lines if "2026年11月18日" in line)
    assert len(date_line) - len(date_line.lstrip()) > 40
    assert "WenQuanYi" in _fonts(pdf)


@needs_poppler
def test_sign_in_sheet_masked(out_dir: Path) -> None:
    pdf = out_dir / "sign-in.pdf"
    n = render_sign_in_sheet(pdf, _sign_in_doc(), operator=OPERATOR, doc_no="QDB-20261125-0001", printed_at=WHEN)
    pages = _check_pages(pdf, n, "QDB-20261125-0001")
    raw = "".join(pages)
    text = _squash(raw)
    for s in ("签到表", "序号", "姓名", "身份/单位", "楼栋房号", "联系电话", "签名", "代理人", "签到时间",
              RARE, RARE_A, PROXY_FOR, PROXY, "代理凭证：委托书", WALK_IN, "（列席）",
              "138****1234", "0514-****1234", "136****5432", "150****2222", "14:21", "离场15:50",
              "应到人数", "应到4人", "实到5人", "统计人（签字）"):
        assert s in text, s
    assert not MOBILE_RE.search(text)
    assert "13812341234" not in text
    # the blank rows are numbered on after the 5 attendees: 6 .. 15
    numbers = {line.split()[0] for line in raw.splitlines() if line.split()}
    assert {str(k) for k in range(1, 16)} <= numbers
    assert "HanaMinB" in _fonts(pdf)


@needs_poppler
def test_sign_in_sheet_unmasked(out_dir: Path) -> None:
    pdf = out_dir / "sign-in-full.pdf"
    n = render_sign_in_sheet(pdf, _sign_in_doc(present=0), operator=OPERATOR, doc_no="QDB-20261125-0002",
                             printed_at=WHEN, masked=False)
    pages = _check_pages(pdf, n, "QDB-20261125-0002", masked=False)
    text = _squash("".join(pages))
    for s in ("13812341234", "13698765432", "0514-87651234", "15011112222"):
        assert s in text, s
    assert "****" not in text
    assert "应到4人实到人" in text  # blank to fill in by hand before the meeting


@needs_poppler
def test_sign_in_sheet_2000_rows(out_dir: Path) -> None:
    pdf = out_dir / "sign-in-2000.pdf"
    buf = io.BytesIO()
    doc = _sign_in_doc(n_extra=1995, blank_rows=10, present=0)
    n = render_sign_in_sheet(buf, doc, operator=OPERATOR, doc_no="QDB-20261125-0003", printed_at=WHEN)
    pdf.write_bytes(buf.getvalue())
    assert n > 50
    pages = _check_pages(pdf, n, "QDB-20261125-0003")
    for page in pages:  # the header row repeats on every page
        assert "序号" in page and "签到时间" in page
    assert "应到1999人" in _squash(pages[-1])
    # the last blank row (2010) and the totals are on the last page, with rows before them
    assert any(line.split()[:1] == ["2010"] for line in pages[-1].splitlines())
    assert any(line.split()[:1] == ["2008"] for line in pages[-1].splitlines())
    assert not MOBILE_RE.search("".join(pages))


@needs_poppler
def test_meeting_minutes(out_dir: Path) -> None:
    pdf = out_dir / "minutes.pdf"
    n = render_meeting_minutes(pdf, _minutes_doc(), operator=OPERATOR, doc_no="HYJL-20261125-0001", printed_at=WHEN)
    pages = _check_pages(pdf, n, "HYJL-20261125-0001")
    assert n >= 2
    text = _body(pages)
    assert _squash(LONG_SPEECH) in text  # nothing of a long speech is lost
    for s in ("会议记录", HEAD.title, "主持人", "吴书记", "记录人", "郑记录", "监票人/计票人", "冯监票、褚计票",
              "应到52人，实到40人", "迟到3人", "早退1人", "委托代理2人", "按人数40/52（76.9%）",
              "3,210.50/4,100.20㎡（78.3%）", "到会率", "居民4030", "75.0%", "合计524076.9%",
              "通报三幢加装电梯设计方案", "汇报人：设计单位钱工", "计划20分钟", "发言记录", RARE, RARE_A,
              "孙发言：我是三幢", "结尾标记甲乙丙", f"14:55{RARE}：支持加装电梯", "15:02", f"{RARE_A}：一楼住户",
              "表决方式：记名投票", "表决方式：举手表决", "本项尚未表决", "下次会议时间",
              "更正记录：2026-11-2610:12郑记录更正", "会议决议", "1.同意三幢二单元加装电梯",
              "跟进任务", "委托设计单位出具施工图", "2026年12月10日", "未开始（逾期）",
              "前次会议任务落实情况", "清理三幢楼道堆物", "其中逾期未完成1项",
              "主持人（签字）：", "记录人（签字）：", "居民代表（签字）：", "日期："):
        assert s in text, s
    assert text.count("监票人（签字）：") == 2
    assert text.count("居民代表（签字）：") == 3
    flow = _body(_pages(pdf, layout=False))  # wrapped cells read whole
    # every figure of the Art. 278 vote (passed)
    for s in ("应到实到参与率赞成反对弃权赞成率", "人数（人）121083.3%81180.0%",
              "面积（㎡）1,126.80939.0083.3%751.2085.50102.3080.0%", "通过"):
        assert s in text, s
    for s in ("适用规则民法典第二百七十八条：专有部分面积和人数均占比三分之二以上的业主参与表决，经参与表决专有部分面积四分之三以上",
              "依据参与表决的业主人数占83.3%（10/12人），达到三分之二", "赞成的专有部分面积占参与表决面积的80.0%（751.20/939.00㎡），达到四分之三"):
        assert s in flow, s
    # the failed one: quorum not reached, with why
    for s in ("人数（人）12758.3%700100.0%", "面积（㎡）1,126.80648.9057.6%648.900.000.00100.0%"):
        assert s in text, s
    for s in ("表决结果未通过", "原因参与表决的业主人数占58.3%（7/12人），未达到三分之二；参与表决的专有部分面积占57.6%"
              "（648.90/1,126.80㎡），未达到三分之二。", "经参与表决专有部分面积过半数且参与表决人数过半数的业主同意"):
        assert s in flow, s
    # show of hands: headcount figures, the area row dashed, the note
    for s in ("人数（人）403895.0%259465.8%", "面积（㎡）———————"):
        assert s in text, s
    for s in ("说明举手表决按人数计，面积不适用。", "适用规则协商表决（简单多数，不属于《民法典》第二百七十八条",
              "依据协商表决按人数计：赞成25人，占参与表决38人的65.8%，过半数。"):
        assert s in flow, s
    assert "HanaMinB" in _fonts(pdf)


@needs_poppler
def test_resolution_notice(out_dir: Path) -> None:
    pdf = out_dir / "resolution.pdf"
    n = render_resolution_notice(pdf, _resolution_doc(), operator=OPERATOR, doc_no="JYGS-20261126-0001",
                                 printed_at=WHEN, masked=False)
    pages = _check_pages(pdf, n, "JYGS-20261126-0001")  # public: always masked
    text = _squash("".join(pages))
    for s in ("决议公示", HEAD.title, "公示期：2026年11月26日至2026年12月2日", "吴书记主持", "会议决议",
              "1.同意三幢二单元加装电梯", "表决结果", "三幢二单元加装电梯", "人数（人）121083.3%81180.0%",
              "面积（㎡）1,126.80939.0083.3%751.2085.50102.3080.0%", "通过", "未通过",
              "参与表决的业主人数占58.3%（7/12人），未达到三分之二", "面积（㎡）———————",
              "民法典第二百七十八条", "协商表决（简单多数", "本项表决结果经依程序更正",
              "后续工作安排", "东关街道城建科", "未开始（逾期）", "0514-87654321", "特此公示",
              "东关街道办事处仁丰里社区居民委员会（盖章）", "2026年11月26日"):
        assert s in text, s
    assert "下次会议时间" not in text  # not voted: not in the notice
    assert not MOBILE_RE.search(text) and not ID_RE.search(text)
    for name in RESIDENTS + ("郑记录", "冯监票"):
        assert name not in text, name
    assert "需业主签字的申请表" not in text  # task notes stay internal


def test_render_to_file_object_returns_pages() -> None:
    buf = io.BytesIO()
    n = render_resolution_notice(buf, _resolution_doc(), operator=OPERATOR, doc_no="JYGS-20261126-0002",
                                 printed_at=WHEN)
    assert n >= 1 and buf.getvalue().startswith(b"%PDF")
    empty = MinutesDoc(head=HEAD, expected=0, present=0, late=0, left_early=0, proxies=0, participation_text="",
                       by_category=(), items=(), resolutions=(), tasks=())
    buf = io.BytesIO()
    assert render_meeting_minutes(buf, empty, operator=OPERATOR, doc_no="HYJL-20261125-0002", printed_at=WHEN) == 1
    buf = io.BytesIO()
    blank = SignInDoc(head=HEAD, rows=(), blank_rows=0)
    assert render_sign_in_sheet(buf, blank, operator=OPERATOR, doc_no="QDB-20261125-0004", printed_at=WHEN) == 1
