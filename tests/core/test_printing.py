"""Printouts: fonts with fallbacks for rare characters, the shared page template, the roster.

The PDF checks read the output back with poppler-utils (pdftotext, pdffonts); they are skipped
where poppler-utils is missing (Debian/Ubuntu: apt-get install poppler-utils).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from renewal_desk import __version__
from renewal_desk.core.printing import DOCUMENTS
from renewal_desk.core.printing import fonts
from renewal_desk.core.printing.roster import (
    BuildingRoster,
    RosterHousehold,
    render_building_roster,
    summary_text,
)
from renewal_desk.core.printing.template import (
    DocumentInfo,
    build_pdf,
    column_widths,
    content_width,
    make_doc_no,
    signature_block,
    table,
)
from renewal_desk.core.problems import InputError

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)

RARE_B = "王𠮷"  # 𠮷 U+20BB7, CJK Extension B
RARE_A = "李䶮"  # 䶮 U+4DAE, CJK Extension A
LONG_NOTE = ("加装电梯意见：同意加装，但要求先公示施工方案和费用分摊办法，一楼住户的采光通风影响需评估。" * 12)[:500]
DOC_NO = "HMC-20261122-0007"
OPERATOR = "赵社工"
WHEN = datetime(2026, 11, 22, 14, 5)


def _id_number(i: int) -> str:
    return f"321002{1950 + i % 40}{i % 12 + 1:02d}{i % 28 + 1:02d}{i:03d}{'X' if i % 11 == 0 else i % 10}"


def _roster(n: int = 60) -> BuildingRoster:
    surnames = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
    households = []
    for i in range(n):
        name = surnames[i % 20] + given[i % 24] + (given[(i * 7) % 24] if i % 3 else "")
        note = ""
        if i == 3:
            name = RARE_B
        elif i == 7:
            name = RARE_A
        elif i == 5:
            note = LONG_NOTE
        elif i == 9:
            note = "户主长期在外，联系其女儿"
        households.append(RosterHousehold(
            unit=str(i // 20 + 1), room=f"{(i % 20) // 2 + 1}0{i % 2 + 1}", head_name=name,
            id_number=_id_number(i), phone=f"13{i % 7 + 3}{i:08d}",
            area=Decimal("85.60") + i, area_source=("registered", "surveyed", "contract")[i % 3],
            members=1 + i % 5, note=note,
        ))
    households[20].area = None
    return BuildingRoster(project="仁丰里老旧小区综合改造（一期）", block="仁丰里片区", building="3号楼",
                          address="扬州市广陵区仁丰里 28 号", households=households)


def _pages(pdf: Path, layout: bool = True) -> list[str]:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    text = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def masked_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("print") / "roster.pdf"
    pages = render_building_roster(out, _roster(), operator=OPERATOR, doc_no=DOC_NO, printed_at=WHEN)
    return out, pages


@pytest.fixture(scope="module")
def full_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("print") / "roster-full.pdf"
    pages = render_building_roster(out, _roster(), operator=OPERATOR, doc_no=DOC_NO, masked=False,
                                   printed_at=WHEN)
    return out, pages


# --- fonts ---------------------------------------------------------------------------------------


def test_font_files_are_shipped_and_cover_rare_characters() -> None:
    paths = fonts.font_paths()
    assert set(paths) == {fonts.PRIMARY, fonts.FALLBACK_A, fonts.FALLBACK_B}
    for path in paths.values():
        assert path.is_file()
    assert (paths[fonts.PRIMARY].parent / "LICENSES.md").is_file()
    assert fonts.font_for("王") == fonts.PRIMARY
    assert fonts.font_for("㎡") == fonts.PRIMARY
    for ch in "䶮㐀䶵⺀㇀﨑":  # Ext A, radicals, strokes, compatibility ideographs
        assert fonts.font_for(ch) in (fonts.PRIMARY, fonts.FALLBACK_A), ch
    assert fonts.font_for("䶮") == fonts.FALLBACK_A
    for ch in ("𠮷", "𪚥", "\U0002B740", "\U0002CEB0"):  # Ext B, B, D, F
        assert fonts.font_for(ch) == fonts.FALLBACK_B, hex(ord(ch))
    assert fonts.font_for("\U0002F800") == fonts.FALLBACK_A  # compatibility supplement


def test_register_fonts_is_idempotent() -> None:
    fonts.register_fonts()
    fonts.register_fonts()
    from reportlab.pdfbase import pdfmetrics

    for name in (fonts.PRIMARY, fonts.BOLD, fonts.FALLBACK_A, fonts.FALLBACK_B):
        assert pdfmetrics.getFont(name) is not None


def test_runs_split_by_font() -> None:
    assert fonts.runs("王𠮷和李䶮") == [
        (fonts.PRIMARY, "王"), (fonts.FALLBACK_B, "𠮷"), (fonts.PRIMARY, "和李"),
        (fonts.FALLBACK_A, "䶮"),
    ]
    assert fonts.runs("a\tb\x00c") == [(fonts.PRIMARY, "a bc")]
    assert fonts.runs("葛\U000E0100") == [(fonts.PRIMARY, "葛")]  # variation selector dropped


def test_markup_escapes_and_wraps_fallback_runs() -> None:
    assert fonts.markup("王𠮷 <a&b>\n李䶮䶮") == (
        '王<font name="RDFallbackB">𠮷</font> &lt;a&amp;b&gt;<br/>'
        '李<font name="RDFallbackA">䶮䶮</font>'
    )
    assert fonts.markup(None) == ""
    assert fonts.string_width("王𠮷", 10) == pytest.approx(20, abs=0.5)


def test_fit_text() -> None:
    text = "街区更新议事台" * 10
    short = fonts.fit_text(text, 10, 100)
    assert short.endswith("…") and fonts.string_width(short, 10) <= 100
    assert fonts.fit_text("短", 10, 100) == "短"


# --- template ------------------------------------------------------------------------------------


def test_make_doc_no() -> None:
    assert make_doc_no("hmc", WHEN, 7) == "HMC-20261122-0007"
    assert make_doc_no("YS", WHEN, 12345) == "YS-20261122-12345"
    assert make_doc_no("YS", WHEN, "12") == "YS-20261122-0012"
    assert make_doc_no("YS", WHEN, "a1") == "YS-20261122-A1"
    for prefix in ("", "1AB", "花名册", "TOOLONGPREFIX", "A-B"):
        with pytest.raises(InputError):
            make_doc_no(prefix, WHEN, 1)
    for seq in (-1, "1-2", "", True):
        with pytest.raises(InputError):
            make_doc_no("HMC", WHEN, seq)


def test_documents_registry() -> None:
    assert DOCUMENTS["building-roster"] == ("楼栋住户花名册", "Building roster of households")


def test_build_pdf_to_file_object_with_metadata() -> None:
    buf = io.BytesIO()
    info = DocumentInfo(title="测试文书", doc_no="CS-20261122-0001", operator=RARE_B, printed_at=WHEN)
    pages = build_pdf(buf, info, [signature_block(["主持人（签字）", "日期"])])
    data = buf.getvalue()
    assert pages == 1 and data.startswith(b"%PDF")
    assert f"Renewal Desk {__version__}".encode() in data


@needs_poppler
def test_build_pdf_metadata_and_rare_operator(tmp_path: Path) -> None:
    out = tmp_path / "doc.pdf"
    info = DocumentInfo(title="测试文书", subtitle="副标题", doc_no="CS-20261122-0001", operator=RARE_B,
                        printed_at=WHEN, landscape=True)
    assert build_pdf(out, info, [signature_block(["主持人（签字）", "记录人（签字）", "日期"])]) == 1
    meta = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True).stdout.decode()
    assert "测试文书" in meta and RARE_B in meta and f"Renewal Desk {__version__}" in meta
    size = meta.split("Page size:")[1].split("pts")[0].split("x")
    assert float(size[0]) == pytest.approx(841.89, abs=0.1) and float(size[1]) == pytest.approx(595.28, abs=0.1)
    text = _pages(out)[0]
    for expected in ("测试文书", "副标题", "文书编号：CS-20261122-0001", "已脱敏", f"操作人：{RARE_B}",
                     "打印日期：2026-11-22 14:05", "第 1 页 共 1 页", "主持人（签字）：", "日期："):
        assert expected in text, expected


@needs_poppler
def test_big_table_renders(tmp_path: Path) -> None:
    rows = [[i + 1, f"{i % 6 + 1}", f"{i % 30 + 1}01", RARE_B if i % 97 == 0 else "张三",
             f"321002********{i:04d}", "长备注" * (i % 25) if i % 10 == 0 else ""]
            for i in range(2000)]
    widths = column_widths([3, 3, 4, 6, 12, 20], content_width())
    tbl = table(["序号", "单元", "房号", "姓名", "身份证号", "备注"], rows, widths,
                align=["center"] * 5 + ["left"])
    out = tmp_path / "big.pdf"
    pages = build_pdf(out, DocumentInfo(title="大表", doc_no="CS-20261122-0002", operator="测试"), [tbl])
    assert 40 <= pages <= 120  # ~35 rows a page
    texts = _pages(out)
    assert len(texts) == pages
    assert "序号" in texts[-1] and "2000" in texts[-1]  # header repeated, last row present
    assert f"第 {pages} 页 共 {pages} 页" in texts[-1]


def test_table_checks_shapes() -> None:
    with pytest.raises(ValueError):
        table(["a", "b"], [["1"]], [10, 10])
    with pytest.raises(ValueError):
        table(["a"], [], [10, 10])


# --- roster --------------------------------------------------------------------------------------


def test_summary_text() -> None:
    text = summary_text(_roster())
    assert text.startswith("合计 60 户，180 人；面积合计 6,800.40 ㎡")
    assert "未填面积 1 户" in text
    assert "各单元户数：1 单元 20 户，2 单元 20 户，3 单元 20 户" in text


@needs_poppler
def test_roster_masked(masked_pdf: tuple[Path, int]) -> None:
    pdf, n = masked_pdf
    pages = _pages(pdf)
    assert n == len(pages) and n >= 2
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {n} 页" in page
        assert DOC_NO in page and f"操作人：{OPERATOR}" in page and "已脱敏" in page
        assert "街区更新议事台" in page and "内部资料" not in page
    text = "\n".join(pages)
    assert "楼栋住户花名册" in pages[0] and "仁丰里片区 3号楼" in pages[0]
    assert RARE_B in text and RARE_A in text
    roster = _roster()
    for h in roster.households:
        assert h.id_number not in text
        assert h.id_number[:6] + "********" + h.id_number[-4:] in text
        assert h.phone not in text
        assert h.phone[:3] + "****" + h.phone[-4:] in text
    assert "制表人（签字）：" in pages[-1] and "楼栋长/居民代表（签字）：" in pages[-1]
    assert "合计 60 户" in pages[-1]
    # the long note is printed in full (under 附注) and referred to from its row
    assert "见附注1" in text
    assert _squash(LONG_NOTE) in _squash("".join(_pages(pdf, layout=False)))


@needs_poppler
def test_roster_full_data(full_pdf: tuple[Path, int]) -> None:
    pdf, n = full_pdf
    pages = _pages(pdf)
    assert n == len(pages)
    for page in pages:
        assert "内部资料" in page and "含完整个人信息" in page and "不得张贴" in page
        assert "已脱敏" not in page
    text = "\n".join(pages)
    for h in _roster().households:
        assert h.id_number in text and h.phone in text


@needs_poppler
def test_roster_fonts_embedded(masked_pdf: tuple[Path, int]) -> None:
    pdf, _ = masked_pdf
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    names = " ".join(r[0] for r in rows)
    assert "WenQuanYiMicroHei" in names and "HanaMinA" in names and "HanaMinB" in names
    for r in rows:  # name type encoding emb sub uni object ID
        assert r[-5:-2] == ["yes", "yes", "yes"], r


def test_roster_empty_and_sparse(tmp_path: Path) -> None:
    roster = BuildingRoster(project="", block="", building="1幢", address="", households=[
        RosterHousehold(unit="", room="", head_name="", id_number=None, phone=None, area=None,
                        area_source="", members=0, note=""),
    ])
    assert render_building_roster(tmp_path / "a.pdf", roster, operator="", doc_no="X") == 1
    empty = BuildingRoster(project="P", block="B", building="1幢", address="A", households=[])
    assert render_building_roster(tmp_path / "b.pdf", empty, operator="o", doc_no="X") == 1


def test_printing_does_not_import_qt() -> None:
    code = (
        "import sys, renewal_desk.core.printing.roster, renewal_desk.core.printing.template;"
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_printout_reports_pages_and_a_cancel_leaves_no_file_number_or_audit(demo_db, tmp_path):
    from sqlalchemy import func, select

    from renewal_desk.core.models import AuditEntry, Building
    from renewal_desk.core.services.printouts import PrintCancelled, print_document

    with demo_db.read() as s:
        building = s.scalar(select(func.min(Building.id)))
        audited = s.scalar(select(func.count()).select_from(AuditEntry))
    seen: list[int] = []

    def stop_at_second_page(pages: int) -> None:
        seen.append(pages)
        if pages == 2:
            raise PrintCancelled()

    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "roster.pdf"
    with pytest.raises(PrintCancelled) as err:
        print_document(demo_db, "building-roster", building, out, progress=stop_at_second_page)
    assert "已取消打印" in err.value.describe()
    assert seen == [1, 2] and list(folder.iterdir()) == []  # no PDF, no .part left behind
    with demo_db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audited  # nothing numbered or audited
    pages = print_document(demo_db, "building-roster", building, out, progress=seen.append)
    assert out.exists() and pages >= 2 and seen[2:] == list(range(1, pages + 1))
    from renewal_desk.core.models import Setting

    with demo_db.read() as s:  # the cancelled printout used no number: this one is the day's first
        assert [v for (v,) in s.execute(select(Setting.value).where(Setting.key.like("docseq:HMC:%")))] == ["1"]


def test_plain_width_is_string_width_for_primary_font_text() -> None:
    # table cells use plain_width: the width string_width gives, or None where a character needs a fallback font
    from hypothesis import given, settings, strategies as st

    fonts.register_fonts()
    alphabet = list("张三李四 0123456789*-（）：·") + ["\t", "\n", "\x00", "\x7f", "\x85", "\u200b", "\ufe0f", "\u3000",
                                                     "\u00a0", "\u200e", "𠮷", "䶮", "\ud800", "\u2028", "\ue000"]

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=st.sampled_from(alphabet), max_size=10), st.sampled_from([7.5, 9, 10.5]))
    def check(text: str, size: float) -> None:
        expected = None if fonts.needs_fallback(text) else fonts.string_width(text, size)
        assert fonts.plain_width(text, size) == expected

    check()
    assert fonts.plain_width("吉𠮷", 9) is None
    assert fonts.plain_width("张三", 9) == fonts.string_width("张三", 9) > 0


def test_every_document_is_registered_once_by_its_family_and_printed_without_a_name_dispatch():
    """The print registry (issue 21): every printable document has one registration, made by its family's docs
    module, with its loader; printouts numbers and audits them all alike and never asks which document it is."""
    import inspect

    from renewal_desk.core.printing.registry import REGISTRY, register
    from renewal_desk.core.services import printouts

    assert list(printouts.DOCUMENTS) == list(DOCUMENTS) and set(REGISTRY) == set(DOCUMENTS)
    families = {kind.render.__module__.rsplit(".", 1)[1] for kind in REGISTRY.values()}
    assert families == {"designer_docs", "lease_docs", "meeting_docs", "ordering_docs", "roster_docs", "supervision_docs"}
    source = inspect.getsource(printouts)
    assert "name ==" not in source and "name in (" not in source and "startswith(" not in source
    with pytest.raises(ValueError):  # a second registration of a name is refused
        register("ballot", "motion", "X", "motion", REGISTRY["ballot"].render)


def test_a_cell_too_wide_breaks_at_its_spaces_as_plain_lines():
    """A table cell wider than its column and with spaces becomes the string's own lines (the table draws
    them; a Paragraph per cell was most of a long sheet's layout); a word wider than the column, a line
    break typed in, or a character the primary font lacks still make a Paragraph."""
    from reportlab.platypus import Paragraph

    from renewal_desk.core.printing.fonts import plain_width
    from renewal_desk.core.printing.template import table

    address = "12号楼 3单元 1502"
    width = plain_width("12号楼 3单元", 9) + 7  # the cell's padding is 3 points a side
    cells = table(["楼栋房号"], [[address], ["一二三四五六七八九十一二三四五"], ["第一行\n第二行"], ["王𠮷 3单元"],
                                 ["1号楼"]], [width], font_size=9)._cellvalues
    assert cells[1][0] == "12号楼 3单元\n1502"
    assert all(isinstance(cells[row][0], Paragraph) for row in (2, 3, 4))
    assert cells[5][0] == "1号楼"
