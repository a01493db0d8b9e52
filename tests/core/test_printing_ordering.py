"""Demand ordering printouts: the households' forms, the results notice, the follow-up list.

The PDFs are read back with poppler-utils (pdftotext, pdffonts); those checks are skipped where it
is missing, as in test_printing.py.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from renewal_desk.core.printing import DOCUMENTS
from renewal_desk.core.printing.ordering import (
    MANDATORY_MARK,
    MAX_COL_HEIGHT,
    ConsentLineDoc,
    FollowupDoc,
    FollowupLine,
    FormHousehold,
    FormsDoc,
    MenuLine,
    NoticeDoc,
    TallyLine,
    address_text,
    column_height,
    followup_counts,
    menu_columns,
    participation_text,
    render_followup,
    render_ordering_forms,
    render_ordering_notice,
    share_text,
)

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)

RARE_B = "王𠮷"  # 𠮷 U+20BB7, CJK Extension B: masked to 王*
RARE_SURNAME = "𠮷祥云"  # masked to 𠮷**: the rare character is printed, with the fallback font
RARE_A = "李䶮"  # 䶮 U+4DAE, CJK Extension A: masked to 李*
OPERATOR = "赵社工"
WHEN = datetime(2026, 11, 22, 14, 5)
PROJECT = "幸福里小区老旧小区综合改造（一期）"
ROUND = "2026年第一轮居民点单"
CLOSES = date(2026, 12, 15)
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_RE = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")

# The default menu of domain.md (国办发〔2020〕23号): 16 + 14 + 9 items.
BASE = ["供水管网改造", "排水管网改造", "供电线路改造", "弱电/光纤入户", "燃气管道更新", "供热", "消防设施", "安防监控",
        "道路修复", "生活垃圾分类设施", "移动通信", "架空线规整入地", "屋面防水维修", "外墙维修", "楼梯/楼道公共部位维修",
        "清理楼道杂物"]
BETTER = ["拆除违法建设", "绿化整治", "照明改造", "适老化设施", "无障碍设施", "停车场(库)", "电动自行车充电设施",
          "汽车充电桩", "智能快件箱/信包箱", "文化休闲设施", "体育健身设施", "物业用房", "建筑节能改造", "加装电梯"]
PLUS = ["社区综合服务设施", "卫生服务站", "幼儿园/托育", "养老服务", "助餐(社区食堂)", "家政服务网点", "便民市场/便利店",
        "邮政快递末端站", "周界防护/智能感知设施"]
CONSENT = {"停车场(库)": "project", "电动自行车充电设施": "project", "汽车充电桩": "project", "物业用房": "project",
           "建筑节能改造": "building", "加装电梯": "unit"}


def _menu() -> list[MenuLine]:
    return ([MenuLine(n, "基础类", True, "") for n in BASE]
            + [MenuLine(n, "完善类", False, CONSENT.get(n, "")) for n in BETTER]
            + [MenuLine(n, "提升类", False, "") for n in PLUS])


HOUSEHOLDS = [
    FormHousehold("3号楼", "1", "101", RARE_B),
    FormHousehold("3号楼", "1", "102", RARE_SURNAME),
    FormHousehold("3号楼", "2", "301", RARE_A),
]
ADDRESSES = ["3号楼 1单元 101室", "3号楼 1单元 102室", "3号楼 2单元 301室"]
MASKED = ["王*", "𠮷**", "李*"]


def _forms_doc(menu: list[MenuLine] | None = None, households: list[FormHousehold] | None = None) -> FormsDoc:
    return FormsDoc(project=PROJECT, round_title=ROUND, closes_on=CLOSES, menu=menu or _menu(),
                    households=HOUSEHOLDS if households is None else households)


REASON_PASSED = ("参与表决的业主人数占 83.3%（10/12 人），达到三分之二；参与表决的专有部分面积占 83.3%（850.00/1,020.00 ㎡），"
                 "达到三分之二；赞成的业主人数占参与表决人数的 80.0%（8/10 人），达到四分之三；赞成的专有部分面积占参与表决面积的 "
                 "82.4%（700.00/850.00 ㎡），达到四分之三")
REASON_FAILED = "参与表决的业主人数占 58.3%（7/12 人），未达到三分之二；参与表决的专有部分面积占 57.1%（560.00/980.00 ㎡），未达到三分之二"
RULE = ("民法典第二百七十八条：专有部分面积和人数均占比三分之二以上的业主参与表决，经参与表决专有部分面积四分之三以上"
        "且参与表决人数四分之三以上的业主同意")


def _notice_doc() -> NoticeDoc:
    eligible, answered = 120, 90
    tallies = []
    for tier, names in (("基础类", BASE), ("完善类", BETTER), ("提升类", PLUS)):
        for rank, name in enumerate(names, start=1):
            chosen = max(0, 80 - 5 * (rank - 1))
            tallies.append(TallyLine(tier, rank, name, chosen, Fraction(chosen, eligible), Fraction(chosen, answered),
                                     Fraction(chosen * 85, 10_200)))
    consents = [
        ConsentLineDoc(
            scope="3号楼 2单元", item="加装电梯", eligible_owners=12, eligible_area=Decimal("1020.00"),
            participating_owners=10, participating_area=Decimal("850.00"),
            participation_owner_share=Fraction(10, 12), participation_area_share=Fraction(850, 1020),
            yes_owners=8, no_owners=1, abstain_owners=1, yes_area=Decimal("700.00"), no_area=Decimal("80.00"),
            abstain_area=Decimal("70.00"), rule_name=RULE, passed=True, reason=REASON_PASSED),
        ConsentLineDoc(
            scope="3号楼 1单元", item="加装电梯", eligible_owners=12, eligible_area=Decimal("980.00"),
            participating_owners=7, participating_area=Decimal("560.00"),
            participation_owner_share=Fraction(7, 12), participation_area_share=Fraction(560, 980),
            yes_owners=7, no_owners=0, abstain_owners=0, yes_area=Decimal("560.00"), no_area=Decimal("0"),
            abstain_area=Decimal("0"), rule_name=RULE, passed=False, reason=REASON_FAILED),
    ]
    return NoticeDoc(project=PROJECT, round_title=ROUND, eligible=eligible, answered=answered,
                     eligible_area=Decimal("10200.00"), answered_area=Decimal("7800.00"),
                     notice_from=date(2026, 12, 20), notice_to=date(2026, 12, 26),
                     contact="幸福里社区居委会 李主任 0514-87654321", tallies=tallies, consents=consents,
                     org="幸福里社区居民委员会")


def _followup_doc(n: int = 45) -> FollowupDoc:
    names = [RARE_B, RARE_SURNAME, RARE_A, "张卫国", "欧阳秀英"]
    buildings = ["10号楼", "3号楼", "2号楼"]
    lines = []
    for i in range(n):
        phone = None if i == 4 else "0514-87651234" if i == 5 else f"139{i:08d}"
        lines.append(FollowupLine(buildings[i % 3], str(i % 2 + 1), f"{i // 6 + 1}0{i % 3 + 1}", names[i % 5], phone))
    return FollowupDoc(project=PROJECT, round_title=ROUND, lines=lines)


def _pages(pdf: Path, layout: bool = True) -> list[str]:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    text = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _squash(text: str) -> str:
    return "".join(text.split())


def _check_pages(pdf: Path, n: int, doc_no: str) -> list[str]:
    pages = _pages(pdf)
    assert len(pages) == n
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {n} 页" in page
        assert doc_no in page and f"操作人：{OPERATOR}" in page
        assert "已脱敏" in page and "内部资料" not in page
    return pages


def _fonts(pdf: Path) -> str:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for r in rows:  # name type encoding emb sub uni object ID
        assert r[-5:-2] == ["yes", "yes", "yes"], r
    return " ".join(r[0] for r in rows)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ordering")


# --- helpers -------------------------------------------------------------------------------------


def test_documents_registered() -> None:
    assert DOCUMENTS["ordering-form"] == ("居民点单表", "Ordering forms")
    assert DOCUMENTS["ordering-notice"] == ("居民点单结果公示", "Ordering results notice")
    assert DOCUMENTS["ordering-followup"] == ("未反馈住户走访清单", "Follow-up list")


def test_share_text() -> None:
    assert share_text(Fraction(2, 3)) == "66.7%"
    assert share_text(Fraction(1, 16)) == "6.3%"  # 6.25 rounds half up
    assert share_text(Fraction(0)) == "0.0%" and share_text(1) == "100.0%"
    assert share_text(Fraction(80, 90)) == "88.9%"
    assert share_text(None) == "—"


def test_address_text() -> None:
    assert address_text("3", "2", "301") == "3号楼 2单元 301室"
    assert address_text("3号楼", "2单元", "301室") == "3号楼 2单元 301室"
    assert address_text("甲幢", "", "A-1") == "甲幢 A-1"


def test_menu_columns_two_balanced_columns() -> None:
    cols = menu_columns(_menu())
    assert len(cols) == 2
    items = [e.line.name for col in cols for e in col if e.line is not None]
    assert items == BASE + BETTER + PLUS  # every item once, in menu order
    for col in cols:
        assert col[0].kind == "tier" and col[-1].kind == "item"  # a tier header never ends a column
    lines = [sum(e.lines for e in col) for col in cols]
    assert lines[0] + lines[1] == 3 + 39 + 6 + 1, lines  # tiers, items, the consent items' boxes, 完善类（续）
    heights = [column_height(col) for col in cols]
    assert abs(heights[0] - heights[1]) <= 30, heights
    assert cols[1][0].continued  # 完善类 goes on in the second column, marked （续）


def test_menu_columns_long_menu_uses_more_blocks() -> None:
    menu = [MenuLine(f"项目{i}", ("基础类", "完善类", "提升类", "安全类")[i % 4], False,
                     "unit" if i % 5 == 0 else "") for i in range(80)]
    cols = menu_columns(menu)
    assert len(cols) > 2
    assert sum(1 for col in cols for e in col if e.line is not None) == 80
    heights = [column_height(col) for col in cols]
    assert all(h <= MAX_COL_HEIGHT for h in heights), heights
    assert len(cols) % 2 == 0 and abs(heights[-1] - heights[-2]) <= 30, heights  # the last pair evened out
    for col in cols:
        assert col[0].kind == "tier" and col[-1].kind == "item"
    tiers = [e.tier for col in cols for e in col if e.kind == "tier" and not e.continued]
    assert tiers == ["基础类", "完善类", "提升类", "安全类"]  # a local tier comes after the national ones


def test_participation_text() -> None:
    text = participation_text(_notice_doc())
    assert text == ("本轮点单应参与 120 户，已反馈 90 户，参与率 75.0%；按专有面积计，应参与 10,200.00 ㎡，"
                    "已反馈 7,800.00 ㎡，参与率 76.5%。")


def test_followup_counts() -> None:
    assert followup_counts(_followup_doc(9).lines) == [("2号楼", 3), ("3号楼", 3), ("10号楼", 3)]


def test_render_to_file_object() -> None:
    buf = io.BytesIO()
    assert render_ordering_forms(buf, _forms_doc(), operator=OPERATOR, doc_no="DDB-20261122-0001") == 3
    assert buf.getvalue().startswith(b"%PDF")
    buf = io.BytesIO()
    assert render_followup(buf, _followup_doc(3), operator=OPERATOR, doc_no="DDZF-20261122-0001") == 1
    assert buf.getvalue().startswith(b"%PDF")


# --- forms ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def forms_pdf(out_dir: Path) -> tuple[Path, int]:
    pdf = out_dir / "forms.pdf"
    n = render_ordering_forms(pdf, _forms_doc(), operator=OPERATOR, doc_no="DDB-20261122-0001", printed_at=WHEN)
    return pdf, n


@needs_poppler
def test_forms_one_page_per_household(forms_pdf: tuple[Path, int]) -> None:
    pdf, n = forms_pdf
    assert n == 3  # a 39-item menu keeps each form to one A4 page
    pages = _check_pages(pdf, n, "DDB-20261122-0001")
    flat_pages = [_squash(p) for p in _pages(pdf, layout=False)]
    for k, (page, flat) in enumerate(zip(pages, flat_pages)):
        assert "居民点单表" in page and ROUND in page and PROJECT in page
        assert ADDRESSES[k] in page, k
        for other in ADDRESSES[:k] + ADDRESSES[k + 1:]:
            assert other not in page  # one household's form on its page
        assert MASKED[k] in page
        assert "2026年12月15日" in page and "请于2026年12月15日前" in flat
        for name in BASE + BETTER + PLUS:
            assert _squash(name) in flat, (k, name)
        assert flat.count(_squash(MANDATORY_MARK)) == len(BASE)
        assert flat.count("□同意□不同意□弃权") == len(CONSENT)
        assert "加装电梯〔按单元表决〕" in flat and "建筑节能改造〔按楼栋表决〕" in flat
        assert flat.count("全体业主表决") == 4
        assert "基础类" in flat and "完善类" in flat and "提升类" in flat
        assert "优先级" in flat and "填1/2/3" in flat
        assert "其他意见和建议" in flat
        assert "填表人：□业主本人□家庭成员□代理人" in flat
        assert "填表人（签字）：" in page and "日期：" in page


@needs_poppler
def test_forms_masked_names(forms_pdf: tuple[Path, int]) -> None:
    pdf, _ = forms_pdf
    text = "\n".join(_pages(pdf))
    for h in HOUSEHOLDS:
        assert h.head_name not in text
    assert "王*" in text and "李*" in text and "𠮷**" in text
    assert "䶮" not in text
    assert text.count("𠮷") == 1  # only the rare surname, never 王𠮷's given name
    names = _fonts(pdf)
    assert "WenQuanYiMicroHei" in names and "HanaMinB" in names


@needs_poppler
def test_forms_long_menu_each_form_starts_on_a_new_page(out_dir: Path) -> None:
    menu = _menu() + [MenuLine(f"本地增补项目{i}", "完善类", False, "unit" if i % 3 == 0 else "") for i in range(30)]
    pdf = out_dir / "forms-long.pdf"
    n = render_ordering_forms(pdf, _forms_doc(menu), operator=OPERATOR, doc_no="DDB-20261122-0002",
                              printed_at=WHEN)
    assert n == 6
    pages = _check_pages(pdf, n, "DDB-20261122-0002")
    for k, address in enumerate(ADDRESSES):
        first = next(i for i, p in enumerate(pages) if address in p)
        assert first == 2 * k, (address, first)
        assert "尊敬的居民" in pages[first] and "尊敬的居民" not in pages[first + 1]
        assert "填表人（签字）：" in pages[first + 1]  # its signature on its own second page
        assert f"居民点单表（续） {address} 户主：{MASKED[k]}" in pages[first + 1]
    flat = _squash("".join(_pages(pdf, layout=False)))
    for m in menu:
        assert flat.count(_squash(m.name)) >= 3


@needs_poppler
def test_forms_somewhat_longer_menu_in_compact_type(out_dir: Path) -> None:
    """A local menu a few items longer than the default still gives one page per household."""
    menu = _menu() + [MenuLine(f"本地增补项目{i}", "安全类", False, "building" if i % 3 == 0 else "") for i in range(7)]
    pdf = out_dir / "forms-compact.pdf"
    n = render_ordering_forms(pdf, _forms_doc(menu), operator=OPERATOR, doc_no="DDB-20261122-0004",
                              printed_at=WHEN)
    assert n == 3
    pages = _check_pages(pdf, n, "DDB-20261122-0004")
    for page, address in zip(pages, ADDRESSES):
        flat = _squash(page)
        assert address in page and "填表人（签字）：" in page
        assert all(_squash(m.name) in flat for m in menu)
        assert "安全类" in flat


@needs_poppler
def test_forms_blank(out_dir: Path) -> None:
    pdf = out_dir / "forms-blank.pdf"
    n = render_ordering_forms(pdf, FormsDoc(project="", round_title="", closes_on=None, menu=_menu(), households=[]),
                              operator=OPERATOR, doc_no="DDB-20261122-0003", printed_at=WHEN)
    assert n == 1
    page = _check_pages(pdf, 1, "DDB-20261122-0003")[0]
    assert "房屋地址" in page and "请在规定时间内" in _squash(page)


# --- notice --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notice_pdf(out_dir: Path) -> tuple[Path, int]:
    pdf = out_dir / "notice.pdf"
    n = render_ordering_notice(pdf, _notice_doc(), operator=OPERATOR, doc_no="DDGS-20261122-0001", printed_at=WHEN)
    return pdf, n


@needs_poppler
def test_notice_content(notice_pdf: tuple[Path, int]) -> None:
    pdf, n = notice_pdf
    pages = _check_pages(pdf, n, "DDGS-20261122-0001")
    text = "\n".join(pages)
    flat = _squash("".join(_pages(pdf, layout=False)))
    assert "居民点单结果公示" in pages[0] and ROUND in pages[0] and PROJECT in pages[0]
    assert "公示期：2026年12月20日至2026年12月26日" in pages[0]
    assert _squash(participation_text(_notice_doc())) in flat
    # per tier: 排名, 项目, 选择户数, shares
    for header in ("排名", "项目", "选择户数", "占全部户数", "占反馈户数", "按面积占比"):
        assert header in text
    lines = text.splitlines()
    row = next(line for line in lines if "供水管网改造" in line)
    assert row.split() == ["1", "供水管网改造", "80", "66.7%", "88.9%", "66.7%"]
    row = next(line for line in lines if "加装电梯" in line and "%" in line)
    assert row.split()[:3] == ["14", "加装电梯", "15"] and "12.5%" in row  # 15/120
    for name in BASE + BETTER + PLUS:
        assert name in text, name
    assert "（一）基础类" in text and "（二）完善类" in text and "（三）提升类" in text
    # consent results
    assert "业主表决结果" in text
    assert "1.3号楼2单元加装电梯" in flat and "2.3号楼1单元加装电梯" in flat
    for label in ("应到", "实到", "参与率", "同意", "反对", "弃权", "户数（户）", "面积（㎡）", "适用规则", "表决结果"):
        assert label in text
    assert "1,020.00" in text and "850.00" in text and "83.3%" in text and "58.3%" in text and "57.1%" in text
    assert "表决结果通过" in flat and "表决结果未通过" in flat
    assert _squash(REASON_PASSED) in flat and _squash(REASON_FAILED) in flat
    assert flat.count(_squash(RULE)) == 2
    # period, objections, contact, seal
    assert "如有异议请于公示期内向社区反映" in flat and "0514-87654321" in text
    assert "幸福里社区居民委员会（盖章）" in pages[-1] and "日期：2026年12月20日" in pages[-1]
    assert "特此公示" in pages[-1]


@needs_poppler
def test_notice_has_no_personal_data(notice_pdf: tuple[Path, int]) -> None:
    pdf, _ = notice_pdf
    text = "\n".join(_pages(pdf)) + _squash("".join(_pages(pdf, layout=False)))
    assert not MOBILE_RE.search(text) and not ID_RE.search(text)
    for name in [h.head_name for h in HOUSEHOLDS] + [x.head_name for x in _followup_doc(5).lines]:
        assert name not in text
    assert "𠮷" not in text and "䶮" not in text
    assert "WenQuanYiMicroHei" in _fonts(pdf)


@needs_poppler
def test_notice_close_to_threshold_and_empty(out_dir: Path) -> None:
    doc = _notice_doc()
    c = doc.consents[1]
    c.participation_owner_share = Fraction(6665, 10000)  # 66.65%: not shown as 66.7% (= two thirds)
    doc.tallies, doc.notice_from, doc.notice_to, doc.org, doc.contact = [], None, None, "", ""
    pdf = out_dir / "notice-edge.pdf"
    n = render_ordering_notice(pdf, doc, operator=OPERATOR, doc_no="DDGS-20261122-0002", printed_at=WHEN)
    pages = _check_pages(pdf, n, "DDGS-20261122-0002")
    text = "\n".join(pages)
    flat = _squash(text)
    assert "66.65%" in text and "本轮暂无点单结果" in text
    assert "公示期：自张贴之日起" in flat and "社区居民委员会（盖章）" in pages[-1]
    assert "日期：年月日" in _squash(pages[-1])


# --- follow-up -----------------------------------------------------------------------------------


@needs_poppler
def test_followup(out_dir: Path) -> None:
    doc = _followup_doc()
    pdf = out_dir / "followup.pdf"
    n = render_followup(pdf, doc, operator=OPERATOR, doc_no="DDZF-20261122-0001", printed_at=WHEN)
    assert n >= 2
    pages = _check_pages(pdf, n, "DDZF-20261122-0001")
    text = "\n".join(pages)
    assert "未反馈住户走访清单" in pages[0] and ROUND in pages[0] and PROJECT in pages[0]
    for page in pages:  # the header row on every page
        for header in ("序号", "楼栋", "单元", "房号", "户主", "联系电话", "走访日期", "走访结果", "备注"):
            assert header in page
    for x in doc.lines:
        assert x.head_name not in text
        if x.phone and x.phone.startswith("1"):
            assert x.phone not in text and x.phone[:3] + "****" + x.phone[-4:] in text
    assert "0514-****1234" in text
    assert not MOBILE_RE.search(text) and "䶮" not in text
    assert "王*" in text and "李*" in text and "张**" in text and "欧**" in text and "𠮷**" in text
    # grouped by building in natural order, numbered straight through
    flat = _squash(text)
    positions = [flat.index(f"{b}未反馈15户") for b in ("2号楼", "3号楼", "10号楼")]
    assert positions == sorted(positions)
    numbers = [int(line.split()[0]) for line in text.splitlines()
               if line.split() and line.split()[0].isdigit() and "号楼" in line]
    assert numbers == list(range(1, 46))
    assert "合计未反馈 45 户（2号楼 15 户，3号楼 15 户，10号楼 15 户）" in pages[-1]
    assert "走访人签字：" in pages[-1] and "复核人（签字）：" in pages[-1]
    assert any(line.split()[:1] == ["45"] for line in pages[-1].splitlines())  # signatures not alone
    assert "HanaMinB" in _fonts(pdf)


@pytest.mark.parametrize("n", [0, 1, 14, 15, 16, 17, 18, 19, 20])
def test_followup_signatures_never_alone(out_dir: Path, n: int) -> None:
    """Whatever the length, the last page holds the end of the list and the signatures."""
    pdf = out_dir / f"followup-{n}.pdf"
    pages = render_followup(pdf, _followup_doc(n), operator=OPERATOR, doc_no="DDZF-20261122-0002", printed_at=WHEN)
    assert pages >= 1
    if shutil.which("pdftotext"):
        last = _pages(pdf)[-1]
        assert "走访人签字：" in last and f"合计未反馈 {n} 户" in last
        if n:
            assert any(line.split()[:1] == [str(n)] for line in last.splitlines())
