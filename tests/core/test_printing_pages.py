"""Where things fall on the pages (issue 17), read back page by page with pdftotext: the rectification
notice's tear-off receipt is on page 1 and the notice carries one number; the acceptance form's
signatures never stand on a page without the conclusion they sign; no heading of the designer journal
ends a page."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest

from renewal_desk.core.printing.designer import JournalDoc, JournalOpinion, JournalVisit, render_journal
from renewal_desk.core.printing.supervision import NoticeDoc, NoticeProblem, Photo, render_acceptance, render_notice
from renewal_desk.core.rules.acceptance import Record, Survey
from renewal_desk.core.rules.designer import OpinionStatus, Stage
from renewal_desk.core.services.demo import generate_demo
from renewal_desk.core.services.printouts import print_document
from renewal_desk.core.services import supervision as svc

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
WHEN = datetime(2026, 10, 24, 9, 0)


def _pages(path) -> list[str]:
    """The text of each page, without spaces (pdftotext spaces CJK text unpredictably)."""
    count = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    return ["".join(subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split()) for i in range(1, count + 1)]


def _notice(problems: int, photos: int = 0) -> NoticeDoc:
    return NoticeDoc("ZG-2026-0047", "幸福街道幸福里社区居民监督队", "幸福里社区老旧小区综合改造", "幸福建设工程有限公司",
                     "孙立新", "13905270001", date(2026, 10, 23), date(2026, 11, 7), "周工",
                     "责任单位整改完成后书面回复，由居民监督队到现场逐项复查。", 3,
                     [NoticeProblem(100 + i, f"{i + 1}号楼东立面", "质量", "一般", "外墙保温层空鼓，敲击有空响" * 3,
                                    "GB 50210-2018", "铲除空鼓部位，按设计重新粘贴保温板" * 2, date(2026, 10, 20),
                                    [Photo(f"p{j}.jpg", None) for j in range(photos)]) for i in range(problems)])


@pytest.mark.parametrize("problems,photos", [(1, 1), (2, 3), (4, 0), (9, 2)])
def test_the_receipt_is_on_page_one_however_long_the_notice(tmp_path, problems, photos):
    out = tmp_path / "n.pdf"
    pages = render_notice(out, _notice(problems, photos), operator="周工", doc_no="ZG-2026-0047", printed_at=WHEN)
    text = _pages(out)
    assert len(text) == pages
    assert "回执" in text[0] and "签收人（签字）" in text[0] and "沿此线剪下" in text[0]
    assert "我单位已收到编号为ZG-2026-0047的整改通知单" in text[0]
    assert all("回执" not in t for t in text[1:])
    assert "签发人（签字）" in text[-1] and "异议" in text[-1]  # the signatures with the text they sign
    assert f"问题{problems}：" in "".join(text)  # every problem printed
    if problems == 1:
        assert pages == 1


def test_a_demo_notice_prints_on_one_page_with_one_number(db, tmp_path):
    generate_demo(db, households=12, seed=7, with_records=True)
    notice = svc.notices(db, date(2026, 12, 1))[0]
    out = tmp_path / "n.pdf"
    assert print_document(db, "rectification-notice", notice.id, out) == 1
    page, = _pages(out)
    assert f"文书编号：{notice.notice_no}" in page and "ZGTZ" not in page
    assert page.count(notice.notice_no) >= 2  # the header, the fields and the receipt: the same number
    assert "回执" in page
    # printing it again keeps its number (it is the notice's own, not a count of prints)
    print_document(db, "rectification-notice", notice.id, out, replace=True)
    assert f"文书编号：{notice.notice_no}" in _pages(out)[0]


def _acceptance(items: int) -> Record:
    return Record(1, "YS-2026-0001", 1, "幸福里社区老旧小区综合改造", "外墙及屋面维修", date(2026, 11, 28),
                  {"government": "区住建局 周某", "community": "社区 李某", "residents": "居民代表 王某",
                   "builder": "幸福建设 张某"}, "幸福建设工程有限公司",
                  [(f"检查项目 {i}：外墙保温层粘结牢固，无空鼓", "合格", "抽查 3 处") for i in range(items)],
                  Survey(40, 12, 3, 0), "楚天评估", Decimal("92"), "总体良好", True, "", 0, "",
                  "满意率不低于 80%")


def test_acceptance_signatures_never_stand_alone(tmp_path):
    for items in range(1, 60, 3):  # checklists of every length push the end across the page break
        out = tmp_path / f"a{items}.pdf"
        render_acceptance(out, _acceptance(items), operator="周工", doc_no="YSJL-20261128-0001", printed_at=WHEN)
        text = _pages(out)
        signed = next(i for i, t in enumerate(text) if "区政府代表（签字）" in t)
        assert "五、验收结论" in text[signed] and "验收结论：通过" in text[signed], items


def _journal(visits: int, opinions: int) -> JournalDoc:
    return JournalDoc(
        "仁和里街区更新", "仁和里", date(2026, 1, 1), date(2026, 6, 30), [],
        [JournalVisit(date(2026, 1, 1 + i % 28), "林若溪", "街道城建科、社区主任、居民代表", "现场查看，" * (1 + i % 9), 1)
         for i in range(visits)],
        [JournalOpinion(f"JZ-2026-{i:04d}", date(2026, 2, 1), Stage.CONSTRUCTION, "居民", "建议保留老石板铺装，" * (14 if i == 0 else 2 + i % 7),
                        "施工单位", date(2026, 2, 15), OpinionStatus.ADOPTED, date(2026, 2, 10), "已采纳，按建议施工。" * (1 + i % 4))
         for i in range(opinions)],
        {Stage.CONSTRUCTION: {OpinionStatus.ADOPTED: opinions}}, opinions, opinions, opinions, "100.0%", Decimal("9"), 0)


def test_no_journal_heading_ends_a_page(tmp_path):
    for visits in range(0, 34):  # the opinions' heading comes at every height of the page
        out = tmp_path / f"j{visits}.pdf"
        render_journal(out, _journal(visits, 12), operator="周工", doc_no="JZJL-20260630-0001", printed_at=WHEN)
        text = _pages(out)
        for heading, row in (("二、走访记录", "林若溪"), ("三、意见及答复", "JZ-2026-0000")):
            page = next(t for t in text if heading in t)
            after = page[page.index(heading):]
            assert row in after or "本期间无走访记录" in after, (visits, heading)
