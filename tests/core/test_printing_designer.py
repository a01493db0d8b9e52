"""Chief street designer printouts read back with pdftotext: 意见书 and the block's 工作记录."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest

from renewal_desk.core.printing import DOCUMENTS
from renewal_desk.core.printing.designer import (JournalAppointment, JournalDoc, JournalOpinion, JournalVisit,
                                                 OpinionDoc, ResponseLine, render_journal, render_opinion)
from renewal_desk.core.rules.designer import OpinionStatus as S, Stage as G, Stakeholder as H
from renewal_desk.core.services import designer as svc
from renewal_desk.core.services.places import create_place
from renewal_desk.core.services.printouts import print_document

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
WHEN = datetime(2026, 6, 30, 9, 30)


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _flat(text: str) -> str:
    return "".join(text.split())


def _opinion_doc(**over) -> OpinionDoc:
    data = dict(opinion_no="JZ-2026-0007", project="仁和里街区更新", block="仁和里", designer="林若溪",
                letter_no="WH-JZ-2026-01", raised_on=date(2026, 6, 1), participants="社区书记、居民代表2名",
                stage=G.CONSTRUCTION, stakeholders="居民、商户", observation="管线入地沟槽未设围挡，夜间照明不足。",
                opinion="请立即补设围挡和警示灯，施工避开早晚高峰。", addressee="施工单位", respond_by=date(2026, 6, 15),
                status=S.RAISED, cites="居民点单：2026年居民点单", attachments=2)
    data.update(over)
    return OpinionDoc(**data)


@needs_poppler
def test_opinion_letter_without_response_has_a_box_to_answer(tmp_path):
    out = tmp_path / "op.pdf"
    pages = render_opinion(out, _opinion_doc(), operator="赵社工", doc_no="JZYJ-20260630-0001", printed_at=WHEN)
    text = _text(out)
    flat = _flat(text)
    assert pages == 1 and "第 1 页 共 1 页" in text.replace("\u2002", " ")
    for words in ("首席街长意见书", "编号：JZ-2026-0007", "文书编号：JZYJ-20260630-0001", "已脱敏", "施工单位：",
                  "仁和里", "林若溪", "WH-JZ-2026-01", "所处阶段施工", "关注方居民、商户", "请于2026年6月15日前答复",
                  "一、现场情况", "管线入地沟槽未设围挡", "二、意见和建议", "请立即补设围挡和警示灯", "三、答复情况",
                  "答复意见：", "□已采纳", "□部分采纳", "□未采纳", "居民点单：2026年居民点单", "草图、照片共2件",
                  "首席街长（签字）：", "接收单位（签章）：", "答复人（签字）："):
        assert _flat(words) in flat, words


@needs_poppler
def test_opinion_letter_with_a_decided_response_shows_it_and_no_blank_box(tmp_path):
    out = tmp_path / "op.pdf"
    doc = _opinion_doc(status=S.NOT_ADOPTED, cites="", attachments=0, responses=[
        ResponseLine(date(2026, 6, 5), "施工单位 项目经理", "已回复", "收到，研究中。"),
        ResponseLine(date(2026, 6, 12), "施工单位 项目经理", "未采纳", "暂不调整。", "工期受限")])
    render_opinion(out, doc, operator="赵社工", doc_no="JZYJ-20260630-0002", printed_at=WHEN)
    flat = _flat(_text(out))
    for words in ("2026-06-05", "收到，研究中。", "2026-06-12", "未采纳", "工期受限", "当前状态未采纳"):
        assert words in flat
    assert "答复意见：" not in flat and "引用记录" not in flat and "附件" not in flat


def _journal_doc() -> JournalDoc:
    by_stage = {s: {st: 0 for st in S} for s in G}  # codes, printed as their labels
    by_stage[G.DESIGN][S.ADOPTED] = 1
    by_stage[G.CONSTRUCTION][S.NOT_ADOPTED] = 1
    by_stage[G.CONSTRUCTION][S.RAISED] = 1
    return JournalDoc(
        "仁和里街区更新", "仁和里", date(2025, 7, 1), date(2026, 6, 30),
        [JournalAppointment("林若溪", "WH-JZ-2025-01", date(2025, 1, 1), date(2025, 1, 1), None, "已离任",
                            date(2026, 2, 28)),
         JournalAppointment("宋怀瑾", "WH-JZ-2026-02", date(2026, 3, 1), date(2026, 3, 1), date(2029, 2, 28), "在任",
                            None)],
        [JournalVisit(date(2025, 9, 1), "林若溪", "社区书记", "设计方案现场核对", 1),
         JournalVisit(date(2026, 5, 1), "宋怀瑾", "施工单位", "沟槽施工", 2)],
        [JournalOpinion("JZ-2025-0001", date(2025, 9, 1), G.DESIGN, "居民", "保留老槐树下空地", "实施主体",
                        date(2025, 9, 15), S.ADOPTED, date(2025, 9, 10), "已调整方案"),
         JournalOpinion("JZ-2026-0001", date(2026, 5, 1), G.CONSTRUCTION, "居民、商户", "补设围挡", "施工单位",
                        date(2026, 5, 10), S.RAISED, None, "", overdue=True),
         JournalOpinion("JZ-2026-0002", date(2026, 5, 1), G.CONSTRUCTION, "商户", "石板回用", "施工单位",
                        None, S.NOT_ADOPTED, date(2026, 5, 21), "暂不采纳（理由：工期）")],
        by_stage, 3, 2, 1, "50.0%", Decimal("14.5"), 1)


@needs_poppler
def test_journal_lists_everything_with_status_and_figures(tmp_path):
    out = tmp_path / "j.pdf"
    pages = render_journal(out, _journal_doc(), operator="赵社工", doc_no="JZJL-20260630-0001", printed_at=WHEN)
    text = _text(out)
    flat = _flat(text)
    assert pages >= 1 and f"共 {pages} 页" in text.replace("\u2002", " ")
    for words in ("首席街长工作记录", "仁和里街区更新", "2025年7月1日至2026年6月30日", "文书编号：JZJL-20260630-0001",
                  "一、首席街长", "林若溪", "已离任（2026-02-28）", "宋怀瑾", "在任", "二、走访记录（共2次）",
                  "设计方案现场核对", "三、意见及答复（共3条）", "JZ-2025-0001", "JZ-2026-0001", "JZ-2026-0002",
                  "提出（逾期）", "暂不采纳（理由：工期）", "四、统计", "本期间共提出意见3条，已答复2条",
                  "采纳（含部分采纳）1条", "采纳率50.0%", "平均答复用时14.5天", "逾期未答复1条",
                  "首席街长（签字）：", "街道经办人（签字）："):
        assert _flat(words) in flat, words


@needs_poppler
def test_both_documents_print_from_the_database(db, tmp_path):
    assert DOCUMENTS["designer-opinion"][0] == "首席街长意见书"
    project = create_place(db, "project", "仁和里街区更新")
    block = create_place(db, "block", "仁和里", project)
    person = svc.add_designer(db, "林若溪")
    svc.appoint(db, svc.AppointmentInput(person, block, "WH-JZ-2026-01", date(2026, 1, 1)))
    svc.record_visit(db, svc.VisitInput(block, date(2026, 6, 1), [
        svc.OpinionInput(G.CONSTRUCTION, (H.RESIDENTS, H.MERCHANTS), "补设围挡", "施工单位", "沟槽无围挡", date(2026, 6, 10)),
        svc.OpinionInput(G.DESIGN, (H.VISITORS,), "导视统一", "设计单位")], "居民代表"), today=date(2026, 6, 30))
    first = svc.opinions(db, block, date(2026, 6, 30))[0]
    svc.respond(db, first.id, svc.ResponseInput(S.NOT_ADOPTED, date(2026, 6, 20), "施工单位", "暂不调整", "工期受限"),
                today=date(2026, 6, 30))
    out = tmp_path / "o.pdf"
    assert print_document(db, "designer-opinion", first.id, out, printed_at=WHEN) == 1
    flat = _flat(_text(out))
    assert "JZ-2026-0001" in flat and "补设围挡" in flat and "工期受限" in flat and "JZYJ-20260630-0001" in flat
    # the stored codes print as their Chinese labels
    for words in ("所处阶段施工", "关注方商户、居民", "当前状态未采纳", "施工单位未采纳暂不调整", "就施工阶段提出以下意见"):
        assert words in flat, words
    assert not any(code in flat for code in ("construct", "residents", "rejected"))
    out = tmp_path / "j.pdf"
    print_document(db, "designer-journal", block, out, printed_at=WHEN, as_of=date(2026, 6, 30),
                   since=date(2026, 1, 1))
    flat = _flat(_text(out))
    assert "2026年1月1日至2026年6月30日" in flat and "导视统一" in flat and "采纳率0.0%" in flat
    assert "游客" in flat and "运营管理" in flat and "部分采纳" in flat and "design" not in flat  # labels, not codes
    assert "JZJL-20260630-0001" in flat
