"""Papers handed to one person each (issue 20): named ballots (表决票) and personal meeting notices
(个人会议通知), cut from A4 — two to a page (a dashed line to cut along), or one to a page in large print.

A ballot: the meeting, the voter's masked name, rooms and area, the motion's title and text (cut short with
a pointer to the meeting papers when it does not fit), the rule and scope, three large boxes 同意 / 反对 /
弃权 each with its own small code (`BallotCode(..., choice)`: the counter scans the ticked box's code), the
ballot's code (`BallotCode(motion, attendee)`: scanning it selects the voter) and the signature line.
A notice: the invitee's masked name and room, time, place, theme, the agenda, what to bring, the organiser,
and the sign-in code (`SignInCode(meeting, attendee)`, labelled 签到码) the door scanner reads.

Names are always masked (these papers travel); codes carry no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from renewal_desk.core.printing.codes import BallotCode, SignInCode
from renewal_desk.core.printing.fonts import PRIMARY, draw_string, fit_text, markup, string_width
from renewal_desk.core.printing.ordering import cn_date
from renewal_desk.core.printing.roster import format_area
from renewal_desk.core.printing.template import (
    GREY,
    HEADER_FILL,
    INK,
    RULE,
    DocumentInfo,
    build_pdf,
    clip_text,
    draw_qr,
    frame_size,
    styles,
)
from renewal_desk.core.rules.masking import mask_name
from .blocks import _para_style, meeting_time_text
from .docs import AgendaLine, MeetingHead

BALLOT_TITLE = "表决票"
BALLOT_PREFIX = "BJP"
PERSONAL_NOTICE_TITLE = "个人会议通知"
PERSONAL_NOTICE_PREFIX = "GRTZ"
CHOICES = (("yes", "同意"), ("no", "反对"), ("abstain", "弃权"))
MORE = "……（全文见会议材料）"


@dataclass(frozen=True)
class PaperLine:
    """One person's paper: the attendee's uuid (in the code), full name (masked when printed), rooms, area."""

    attendee_uuid: str
    name: str
    address: str
    area: Decimal | None = None
    organisation: str = ""


@dataclass(frozen=True)
class BallotsDoc:
    head: MeetingHead
    motion_uuid: str
    motion_title: str
    motion_text: str
    rule: str  # "双三分之二（…）" as the rules name it
    scope: str  # "1号楼"
    with_area: bool  # an Art. 278 matter: the area is printed
    people: tuple[PaperLine, ...]


@dataclass(frozen=True)
class PersonalNoticesDoc:
    head: MeetingHead
    meeting_uuid: str
    purpose: str
    agenda: tuple[AgendaLine, ...]
    requirements: str
    notice_date: date | None
    people: tuple[PaperLine, ...]


@dataclass(frozen=True)
class Look:
    """Sizes of one layout (points)."""

    title: float
    text: float
    small: float
    label: float
    box: float
    choice_qr: float
    main_qr: float
    pad: float
    per_page: int


NORMAL = Look(title=17, text=10.5, small=8.5, label=15, box=11 * mm, choice_qr=16 * mm, main_qr=22 * mm,
              pad=5 * mm, per_page=2)
LARGE = Look(title=28, text=16, small=16, label=26, box=20 * mm, choice_qr=20 * mm, main_qr=28 * mm,
             pad=7 * mm, per_page=1)  # 大字版: no text under 16 pt


def _who(p: PaperLine) -> str:
    return mask_name(p.name, "star") or "（未登记姓名）"


class _Card(Flowable):
    """One person's paper, `height` tall: drawn by `paint(canvas, width, height)`; a dashed cut line above it
    when it is not the first on its page."""

    def __init__(self, height: float, cut_above: bool, paint) -> None:
        super().__init__()
        self.height = height
        self.cut_above = cut_above
        self.paint = paint

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        c = self.canv
        if self.cut_above:
            c.saveState()
            c.setStrokeColor(RULE)
            c.setDash(4, 3)
            c.setLineWidth(0.5)
            c.line(-8 * mm, self.height, self.width + 8 * mm, self.height)
            c.restoreState()
            draw_string(c, self.width / 2, self.height - 2.8, "沿虚线剪开", 6.5, align="center")
        self.paint(c, self.width, self.height)


def _cards(painters: Sequence, look: Look) -> list[Flowable]:
    _w, h = frame_size()
    height = h / look.per_page - 0.01
    return [_Card(height, i % look.per_page != 0, paint) for i, paint in enumerate(painters)]


def _paragraph(canv, text: str, style, x: float, top: float, width: float) -> float:
    """Draw `text` wrapped at `width` with its top at `top`; returns its height."""
    p = Paragraph(markup(text), style)
    _w, h = p.wrap(width, 10_000)
    p.drawOn(canv, x, top - h)
    return h


def _fields(pairs: Sequence[tuple[str, str]], width: float, size: float, per_row: int,
            weights: Sequence[float] = ()) -> Table:
    """A ruled block of label | value cells, `per_row` pairs to a line (values as wide as `weights` say)."""
    st = styles(size)
    label_w = string_width("专有面积", size) + 10
    shares = list(weights or [1] * per_row)[:per_row]
    values = [(width - per_row * label_w) * w / sum(shares) for w in shares]
    rows, commands = [], [("FONT", (0, 0), (-1, -1), PRIMARY, size, st.cell.leading),
                          ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("INNERGRID", (0, 0), (-1, -1), 0.4, INK),
                          ("BOX", (0, 0), (-1, -1), 0.9, INK), ("LEFTPADDING", (0, 0), (-1, -1), 4),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 3),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    for r in range(0, len(pairs), per_row):
        line = []
        for k, (label, value) in enumerate(pairs[r:r + per_row]):
            line += [Paragraph(markup(label), st.cell_center), Paragraph(markup(value), st.cell)]
            commands.append(("BACKGROUND", (2 * k, r // per_row), (2 * k, r // per_row), HEADER_FILL))
        while len(line) < 2 * per_row:
            line.append("")
        rows.append(line)
    return Table(rows, colWidths=[w for v in values for w in (label_w, v)], style=TableStyle(commands))


def _head_block(canv, look: Look, title: str, meeting: str, x: float, top: float, width: float, code: str,
                caption: str, number: str) -> float:
    """The card's title, the meeting and a serial at the left, a code with its caption at the top right;
    returns the block's height."""
    q = look.main_qr
    draw_qr(canv, code, x + width - q, top - q, q)
    cap = min(look.small, 9) if look is NORMAL else look.small
    draw_string(canv, x + width - q / 2, top - q - cap, caption, cap, align="center")
    room = width - q - 4 * mm
    y = top - look.title
    draw_string(canv, x, y, title, look.title, bold=True)
    y -= look.text * 1.6
    canv.setFillColor(INK)
    draw_string(canv, x, y, fit_text(meeting, look.text, room), look.text)
    if number:
        y -= look.small * 1.5
        canv.setFillColor(GREY)
        draw_string(canv, x, y, fit_text(number, look.small, room), look.small)
        canv.setFillColor(INK)
    return max(top - y + look.small * 0.6, q + cap * 1.4)


def _card(c, look: Look, width: float, height: float) -> tuple[float, float, float]:
    """The rounded frame of one ballot or notice; returns its text's left edge, width and top."""
    pad = look.pad
    c.saveState()
    c.setStrokeColor(INK)
    c.setLineWidth(0.8)
    c.roundRect(0, 2 * mm, width, height - 4 * mm, 3 * mm, stroke=1, fill=0)
    c.restoreState()
    return pad, width - 2 * pad, height - 2 * mm - pad * 0.8


def _ballot_painter(doc: BallotsDoc, person: PaperLine, look: Look, number: int):
    st = styles(look.text)
    body = _para_style("rd-ballot-body", st.body, fontSize=look.text, leading=look.text * 1.45)
    strong = _para_style("rd-ballot-title", st.body, fontSize=look.text + 1.5, leading=(look.text + 1.5) * 1.4)
    small = _para_style("rd-ballot-small", st.body, fontSize=look.small, leading=look.small * 1.35, textColor=GREY)

    def paint(c, width: float, height: float) -> None:
        x, inner, top = _card(c, look, width, height)
        h = doc.head
        serial = f"第 {number} 张　共 {len(doc.people)} 张"
        top -= _head_block(c, look, BALLOT_TITLE, h.title, x, top, inner,
                           BallotCode(doc.motion_uuid, person.attendee_uuid).text(), "表决票码", serial)
        pairs = [("业主", _who(person)), ("房号", person.address or "—")]
        if doc.with_area:
            pairs.append(("专有面积", f"{format_area(person.area)} ㎡" if person.area else "—"))
        grid = _fields(pairs, inner, look.text, 1 if look is LARGE else len(pairs), (0.8, 1.7, 0.8))
        _w, gh = grid.wrap(inner, 10_000)
        grid.drawOn(c, x, top - gh)
        top -= gh + look.text * 0.7

        # from the bottom up: signature, instruction, choices; the motion fills what is left between
        sig_y = 2 * mm + look.pad * 0.9
        when = "日期：　　　年　　月　　日"
        label = "业主（代理人）签名或按手印："
        if look is LARGE:  # the date on a line of its own
            draw_string(c, x + inner, sig_y + 3, when, look.text, align="right")
            sig_y += look.text * 2.4
        draw_string(c, x, sig_y + 3, label, look.text)
        lx0 = x + string_width(label, look.text) + 2
        lx1 = x + inner - (string_width(when, look.text) + 10 if look is NORMAL else 0)
        c.setLineWidth(0.6)
        c.line(lx0, sig_y, lx1, sig_y)
        if look is NORMAL:
            draw_string(c, x + inner, sig_y + 3, when, look.text, align="right")
        instr_top = sig_y + look.text * 2.2
        ih = _paragraph(c, "请在所选意见的方框内打“√”，只选一项。", small, x, instr_top + look.small * 1.4, inner)
        cell_h = max(look.box, look.choice_qr) + 4 * mm
        # two to a page: the three choices side by side; large print: one under the other
        across = look is NORMAL
        cw = inner / 3 if across else inner
        row_y = instr_top + ih + 1.5 * mm  # the choices' bottom
        for k, (choice, text) in enumerate(CHOICES):
            cx = x + k * cw if across else x
            cy = row_y if across else row_y + (2 - k) * (cell_h + 2 * mm)
            c.saveState()
            c.setStrokeColor(RULE)
            c.setLineWidth(0.5)
            c.rect(cx + 1, cy, cw - 2, cell_h, stroke=1, fill=0)
            c.restoreState()
            mid = cy + cell_h / 2
            lw = draw_string(c, cx + 2.5 * mm, mid - look.label * 0.36, text, look.label, bold=True)
            bx = cx + 2.5 * mm + lw + (2.5 * mm if across else 10 * mm)
            c.setLineWidth(1.4)
            c.rect(bx, mid - look.box / 2, look.box, look.box, stroke=1, fill=0)
            q = look.choice_qr
            draw_qr(c, BallotCode(doc.motion_uuid, person.attendee_uuid, choice).text(), cx + cw - 1.5 - q,
                    mid - q / 2, q)
        rows_h = cell_h if across else 3 * cell_h + 4 * mm
        room_top, room_bottom = top, row_y + rows_h + look.text * 0.6
        rule_line = f"表决规则：{doc.rule}" + (f"　表决范围：{doc.scope}" if doc.scope else "")
        rule_h = Paragraph(markup(rule_line), small).wrap(inner, 10_000)[1]
        title_h = _paragraph(c, f"表决事项：{doc.motion_title}", strong, x, room_top, inner)
        left = room_top - title_h - rule_h - 3 - room_bottom
        text = doc.motion_text.strip()
        if text:
            lines = max(0, int(left // body.leading))
            if lines:
                shown = clip_text(text, inner, look.text, lines, MORE) or text
                th = _paragraph(c, shown, body, x, room_top - title_h - 1, inner)
            else:
                th = _paragraph(c, MORE.lstrip("…"), body, x, room_top - title_h - 1, inner)
        else:
            th = 0
        _paragraph(c, rule_line, small, x, room_top - title_h - th - 3, inner)

    return paint


def render_ballots(out: str | Path | BinaryIO, doc: BallotsDoc, *, operator: str, doc_no: str,
                   printed_at: datetime | None = None, large: bool = False) -> int:
    """Write one named ballot per person of `doc` (two to a page; one in large print); returns the pages."""
    look = LARGE if large else NORMAL
    cards = _cards([_ballot_painter(doc, p, look, n) for n, p in enumerate(doc.people, start=1)], look)
    title = BALLOT_TITLE + ("（大字版）" if large else "")
    info = DocumentInfo(title=title, subtitle=doc.motion_title, doc_no=doc_no, operator=operator,
                        printed_at=printed_at, masked=True, show_title=False,
                        subject=f"{doc.head.title} {doc.motion_title} {BALLOT_TITLE}",
                        keywords=[BALLOT_TITLE, doc.head.project, doc.head.title, doc.motion_title])
    return build_pdf(out, info, cards)


def _notice_painter(doc: PersonalNoticesDoc, person: PaperLine, number: int):
    look = NORMAL
    st = styles(look.text)
    body = _para_style("rd-pn-body", st.body, fontSize=look.text, leading=look.text * 1.5)
    indent = _para_style("rd-pn-indent", body, firstLineIndent=2 * look.text)
    label = _para_style("rd-pn-label", body, leftIndent=4.2 * look.text, firstLineIndent=-4.2 * look.text)
    h = doc.head

    def paint(c, width: float, height: float) -> None:
        x, inner, top = _card(c, look, width, height)
        who = _who(person)
        where = person.address or person.organisation
        where_label = ("房号：" if person.address else "单位：") + where if where else ""
        top -= _head_block(c, look, "会议通知", h.title, x, top, inner,
                           SignInCode(doc.meeting_uuid, person.attendee_uuid).text(), "签到码", where_label)
        top -= 2
        when = meeting_time_text(h.starts_at, h.ends_at)
        text_w = inner
        top -= _paragraph(c, f"{who}：", body, x, top, text_w)
        top -= _paragraph(c, f"定于{when}在{h.place.strip()}召开{h.title.strip()}，敬请准时参加。"
                             "请带上本通知，到场时出示右上角的签到码即可签到。", indent, x, top, text_w)
        facts = [("会议时间：", when), ("会议地点：", h.place)]
        if doc.purpose.strip():
            facts.append(("会议主题：", doc.purpose.strip()))
        for key, value in facts:
            top -= _paragraph(c, key + value, label, x, top, text_w)
        y = 2 * mm + look.pad  # the date's baseline; above it the organiser, above that what to bring
        req = ("参会要求：" + doc.requirements.strip()) if doc.requirements.strip() else ""
        req_h = Paragraph(markup(req), body).wrap(inner, 10_000)[1] if req else 0
        req_top = y + look.text * 3.2 + req_h
        bottom = req_top + look.text * 0.5
        agenda = [a.title.strip() for a in sorted(doc.agenda, key=lambda a: a.position) if a.title.strip()]
        if agenda:
            top -= _paragraph(c, "主要议程：", body, x, top, text_w)
            for i, item in enumerate(agenda, start=1):
                rest = len(agenda) - i
                line = f"{i}. {item}"
                need = body.leading * (2 if rest else 1)
                if top - need < bottom and rest:
                    top -= _paragraph(c, f"{i}. {item} 等共 {len(agenda)} 项（详见会议通知）", label, x, top, text_w)
                    break
                top -= _paragraph(c, line, label, x, top, text_w)
        org = h.seal.strip() or h.organiser.strip() or "社区居民委员会"
        day = cn_date(doc.notice_date) if doc.notice_date else ""
        draw_string(c, x + inner, y, day, look.text, align="right")
        draw_string(c, x + inner, y + look.text * 1.6, org, look.text, align="right")
        if req:
            _paragraph(c, req, body, x, req_top, inner)

    return paint


def render_personal_notices(out: str | Path | BinaryIO, doc: PersonalNoticesDoc, *, operator: str, doc_no: str,
                            printed_at: datetime | None = None) -> int:
    """Write one personal meeting notice per invitee (two to a page); returns the pages."""
    cards = _cards([_notice_painter(doc, p, n) for n, p in enumerate(doc.people, start=1)], NORMAL)
    info = DocumentInfo(title=PERSONAL_NOTICE_TITLE, subtitle=doc.head.title, doc_no=doc_no, operator=operator,
                        printed_at=printed_at, masked=True, show_title=False,
                        subject=f"{doc.head.title} {PERSONAL_NOTICE_TITLE}",
                        keywords=[PERSONAL_NOTICE_TITLE, doc.head.project, doc.head.title])
    return build_pdf(out, info, cards)


__all__ = ["BALLOT_PREFIX", "BALLOT_TITLE", "BallotsDoc", "PERSONAL_NOTICE_PREFIX", "PERSONAL_NOTICE_TITLE",
           "PaperLine", "PersonalNoticesDoc", "render_ballots", "render_personal_notices"]
