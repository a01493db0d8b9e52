"""Rent-storage (收储租) printouts: the lease contract, the rent schedule, the rent statement and
the register of stored houses. All four use the shared page template (template.py).

- 房屋租赁合同（收储） `render_lease_contract`: every item of 《商品房屋租赁管理办法》第七条 as a
  numbered clause (第一条 …), filled from the record, then signature and seal blocks. The parties
  sign it, so lessors' ID numbers and phones are printed in full and every page is marked
  "内部资料 含完整个人信息 不得张贴" (DocumentInfo(masked=False)).
- 租金支付计划表 `render_rent_schedule`: every instalment, a subtotal after each lease year and the
  grand total in figures and 大写. The contract's attachment; no ID numbers.
- 租金对账单 `render_rent_statement`: instalments due up to a date, payments, totals, ageing and
  signature lines for the owner and the sub-district. Lessor names as given, no ID numbers.
- 收储房屋登记表 `render_storage_register` (landscape): one row per stored house, for posting:
  owners' names masked ("王*") unless masked=False.

The modules take plain dataclasses; the services fill them from the database. Money is integer
fen; rent years and instalments are `rules.lease.LeaseYear` / `Instalment`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from renewal_desk.core.printing.roster import format_area
from renewal_desk.core.rules.numbers import cn_date, percent_text
from renewal_desk.core.printing.template import (
    PageProbe,
    field_grid,
    ALERT,
    HEADER_FILL,
    INK,
    ZEBRA_FILL,
    DocumentInfo,
    build_pdf,
    column_widths,
    content_width,
    para,
    signature_block,
    styles,
    table,
)
from renewal_desk.core.rules.lease import FREQUENCY_LABELS, Instalment, LeaseYear
from renewal_desk.core.rules.masking import mask_name
from renewal_desk.core.rules.money import fen_to_chinese_upper, format_fen

CONTRACT_TITLE = "房屋租赁合同（收储）"
SCHEDULE_TITLE = "租金支付计划表"
STATEMENT_TITLE = "租金对账单"
REGISTER_TITLE = "收储房屋登记表"

# make_doc_no(prefix, ...): pinyin initials of the document's name
CONTRACT_PREFIX = "ZLHT"  # 租赁合同
SCHEDULE_PREFIX = "ZJJH"  # 租金计划
STATEMENT_PREFIX = "ZJDZ"  # 租金对账
REGISTER_PREFIX = "SCDJ"  # 收储登记

CELL_SIZE = 9

# The clauses of the contract, in order. Each item of 《商品房屋租赁管理办法》第七条 has one:
# (一) 当事人 → 1; (二) 坐落、面积、结构、附属设施 → 2; (三) 租金和押金、支付方式 → 5, 6, 7;
# (四) 租赁用途和使用要求 → 4; (五) 安全性能 → 8; (六) 租赁期限 → 3; (七) 维修责任 → 9;
# (八) 物业服务、水、电、燃气等费用 → 10; (九) 争议解决和违约责任 → 16; (十) 其他约定 → 17;
# and 第七条第二款, 房屋被征收或者拆迁时的处理 → 13.
CLAUSES = (
    "合同当事人",
    "房屋基本情况",
    "租赁期限",
    "租赁用途和房屋使用要求",
    "租金标准",
    "押金",
    "租金支付方式和期限",
    "房屋和室内设施的安全性能",
    "房屋维修责任",
    "物业服务、水、电、燃气等相关费用的缴纳",
    "转租",
    "改善或增设他物",
    "房屋被征收或者拆迁时的处理",
    "续租",
    "提前解除",
    "违约责任和争议解决方式",
    "其他约定",
)

DEFAULT_REPAIR = (
    "乙方出资对房屋进行恢复性修缮，修缮方案应征求甲方意见，甲方可全程参与修缮；租赁期间房屋主体结构、"
    "屋面、墙体及附属设施的维修养护由乙方负责（《民法典》第七百一十二条，双方另有约定）。因甲方原因"
    "或房屋交付前已存在的隐蔽缺陷造成的损坏，由双方协商处理。"
)
DEFAULT_FEES = (
    "租赁期间因使用房屋产生的物业服务费、水费、电费、燃气费、通讯费等，由乙方或房屋实际使用人承担；"
    "房屋交付前发生的上述费用由甲方结清。房屋的不动产相关税费按法律规定由各自承担。"
)
DEFAULT_SAFETY = (
    "甲方保证对房屋享有合法的处分权，房屋权属清楚，无查封、抵押等权利限制（已告知乙方的除外）。"
    "房屋交付时双方共同查验房屋及设施现状并签署交接清单。乙方修缮和使用房屋应符合结构安全、消防安全"
    "和历史建筑保护的要求，不得擅自改变房屋主体和承重结构；发现安全隐患应及时处置并告知甲方。"
)
DEFAULT_DISPUTES = (
    "因本合同发生争议的，双方协商解决；协商不成的，可申请所在社区或街道人民调解委员会调解，"
    "也可依法向房屋所在地人民法院提起诉讼。"
)
DEFAULT_EXPROPRIATION = (
    "租赁期间房屋被依法征收或者拆迁的，本合同自征收决定生效之日起终止，租金按实际租赁期间结算，"
    "多收部分由甲方退还乙方。房屋的征收补偿归甲方所有；乙方对房屋的修缮、装饰装修投入及停产停业损失"
    "的补偿，按征收补偿方案归属乙方或房屋实际使用人。"
)

AGEING_BUCKETS = (("le30", "≤30 天"), ("31to90", "31–90 天"), ("gt90", ">90 天"))

# Codes of the restoration state, if the caller passes codes instead of labels.
RESTORATION_LABELS = {
    "none": "未修缮",
    "planned": "待修缮",
    "in_progress": "修缮中",
    "done": "已修缮",
    "accepted": "已验收",
}
RESTORING = frozenset({"修缮中", "施工中", "在修缮"})


# ---------------------------------------------------------------------------------------------
# Data


@dataclass
class Party:
    """One side of the contract: a lessor (the owner) or the lessee (the sub-district)."""

    name: str
    id_number: str | None
    phone: str | None
    address: str = ""
    representative: str = ""  # lessee: 负责人 / 法定代表人


@dataclass
class ContractDoc:
    contract_no: str
    version: int
    lessors: list[Party]
    lessee: Party
    house_address: str
    area: Decimal | None  # building area ㎡
    structure: str  # e.g. 砖木结构
    fixtures: str  # 附属设施和设备
    protection: str  # 保护类别 (e.g. 历史建筑, 传统风貌建筑) or ""
    uses: str  # 租赁用途
    start: date
    end: date  # inclusive
    term_months: int
    base_annual_rent_fen: int
    step_percent: Decimal
    step_interval_years: int
    compounding: bool
    frequency: str  # annual / semiannual / quarterly / monthly
    due_day: int
    deposit_fen: int
    sublet_consent: bool
    improvement_consent: bool
    renewal_terms: str
    early_termination: str
    repair_duties: str = DEFAULT_REPAIR
    fees: str = DEFAULT_FEES
    safety: str = DEFAULT_SAFETY
    disputes: str = DEFAULT_DISPUTES
    expropriation: str = DEFAULT_EXPROPRIATION
    years: list[LeaseYear] = field(default_factory=list)
    lessee_seal: str = ""  # the text on the lessee's seal (the office profile's), written where it seals


@dataclass
class ScheduleDoc:
    contract_no: str
    house_address: str
    lessor_names: str
    start: date
    end: date
    term_months: int
    rule_text: str  # e.g. step_rule_text(...)
    years: list[LeaseYear]
    instalments: list[Instalment]
    total_fen: int
    seal: str = ""  # the lessee office's seal text (settings: office profile)


@dataclass
class StatementLine:
    due_date: date
    amount_fen: int
    paid_fen: int
    open_fen: int
    days_overdue: int


@dataclass
class PaymentLine:
    paid_on: date
    amount_fen: int
    method: str
    reference: str


@dataclass
class StatementDoc:
    contract_no: str
    house_address: str
    lessor_names: str
    as_of: date
    lines: list[StatementLine]
    payments: list[PaymentLine]
    due_fen: int
    paid_fen: int
    arrears_fen: int
    credit_fen: int
    ageing: dict[str, int]  # keys "le30", "31to90", "gt90" (rules.lease.BUCKETS)
    seal: str = ""  # the office's seal text (settings: office profile)


@dataclass
class RegisterRow:
    address: str
    owners: list[str]
    area: Decimal | None
    protection: str
    condition: str  # 现状, e.g. 空置 / 自住 / 经营
    restoration: str  # 修缮状态: a label, or a code of RESTORATION_LABELS
    business: str  # 业态/经营者; not empty = 已入驻
    lease_end: date | None
    note: str


@dataclass
class RegisterDoc:
    title_org: str  # e.g. "仁丰里街道办事处"
    rows: list[RegisterRow]


# ---------------------------------------------------------------------------------------------
# Text helpers

# Chinese punctuation that may not start a line. reportlab's CJK line breaking knows only the
# Japanese set (no full-width comma, semicolon, colon, ...), so "，" could start a line; with
# these added, such a character hangs at the end of the line before, as Chinese typesetting does.


def iso_date(d: date | None) -> str:
    return d.isoformat() if d else ""


def yuan(fen: int) -> str:
    """人民币 12,000.00 元（大写：壹万贰仟元整）."""
    return f"人民币 {format_fen(fen)} 元（大写：{fen_to_chinese_upper(fen)}）"


def step_rule_text(step_percent: Decimal | int | str, step_interval_years: int, compounding: bool) -> str:
    """The step-up rule in words: compounding "每满 3 个租赁年度在上一阶段租金基础上递增 10%",
    flat "每满 3 个租赁年度递增基础年租金的 10%", none "租赁期内租金标准不变"."""
    p = Decimal(step_percent)
    if p == 0 or step_interval_years <= 0:
        return "租赁期内租金标准不变"
    if compounding:
        return f"每满 {step_interval_years} 个租赁年度在上一阶段租金基础上递增 {percent_text(p)}"
    return f"每满 {step_interval_years} 个租赁年度递增基础年租金的 {percent_text(p)}"


def frequency_label(frequency: str) -> str:
    """每年 / 每半年 / 每季度 / 每月 (the code itself if unknown)."""
    label = FREQUENCY_LABELS.get(frequency)  # type: ignore[call-overload]
    return label[0] if label else frequency


def term_text(start: date, end: date, months: int) -> str:
    """2026年1月1日至2045年12月31日，共 240 个月（20 年）."""
    years, rest = divmod(months, 12)
    span = (f"{years} 年" if years else "") + (f" {rest} 个月" if rest else "")
    return f"{cn_date(start)}至{cn_date(end)}，共 {months} 个月（{span.strip()}）"


def _body_style() -> ParagraphStyle:
    st = styles()
    return ParagraphStyle("rd-lease-body", parent=st.body, firstLineIndent=21, spaceAfter=3)


def _clause_heading_style() -> ParagraphStyle:
    st = styles()
    return ParagraphStyle("rd-lease-clause", parent=st.heading, fontSize=11.5, leading=17,
                          spaceBefore=9, spaceAfter=3, keepWithNext=1)


def _cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 17 → 十七, 21 → 二十一 (n < 100)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


@dataclass
class _Rows:
    """The rows of a ruled table (template.table) with their kind, so that any slice of them can
    be built as a table of its own: "" a plain row, "subtotal" / "total" a shaded row whose label
    spans columns 0..span_to (a total row never starts a page: it stays with the row above it;
    "total" also has a heavier rule above), "alert" a row whose `alert_cols` are red."""

    header: Sequence[str]
    widths: Sequence[float]
    align: Sequence[str]
    span_to: int = 0
    zebra: bool = False
    alert_cols: tuple[int, int] = (0, -1)
    rows: list[list[Any]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def add(self, row: list[Any], kind: str = "") -> None:
        self.rows.append(row)
        self.kinds.append(kind)

    def __len__(self) -> int:
        return len(self.rows)

    def build(self, start: int = 0, stop: int | None = None) -> Table:
        stop = len(self.rows) if stop is None else stop
        tbl = table(self.header, self.rows[start:stop], self.widths, align=self.align, font_size=CELL_SIZE,
                    zebra=self.zebra)
        commands: list[tuple[Any, ...]] = []
        if self.zebra and start % 2:  # keep the stripes of the whole table
            commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [ZEBRA_FILL, colors.white]))
        for r, kind in enumerate(self.kinds[start:stop], start=1):  # row 0 is the header
            if kind in ("subtotal", "total"):
                commands += [
                    ("SPAN", (0, r), (self.span_to, r)),
                    ("BACKGROUND", (0, r), (-1, r), HEADER_FILL),
                    ("ALIGN", (0, r), (self.span_to, r), "CENTER"),
                ]
                if r > 1:
                    commands.append(("NOSPLIT", (0, r - 1), (-1, r)))
                if kind == "total":
                    commands.append(("LINEABOVE", (0, r), (-1, r), 0.9, INK))
            elif kind == "alert":
                c0, c1 = self.alert_cols
                commands.append(("TEXTCOLOR", (c0, r), (c1, r), ALERT))
        if commands:
            tbl.setStyle(TableStyle(commands))
        return tbl


TAIL_ROWS = 3  # rows of a long table that go with its closing part to the next page


def _build_with_closing(out: str | Path | BinaryIO, info: DocumentInfo, before: list[Flowable], rows: _Rows,
                        closing: list[Flowable]) -> int:
    """`before`, the table of `rows`, then `closing` (summary and signatures) kept in one piece.

    If the closing part does not fit under the end of the table it would stand alone on the last
    page; then the table's last rows go with it (as a table of their own, with its header row),
    so that the signatures sign the table they close."""
    probe_table, probe_closing = PageProbe(), PageProbe()
    closing = [Spacer(1, 8)] + closing
    buf = io.BytesIO()
    pages = build_pdf(buf, info, before + [rows.build(), probe_table, KeepTogether(closing + [probe_closing])])
    if len(rows) > TAIL_ROWS and probe_closing.page != probe_table.page:
        cut = len(rows) - TAIL_ROWS
        buf = io.BytesIO()
        pages = build_pdf(buf, info, before + [rows.build(0, cut), KeepTogether([rows.build(cut)] + closing)])
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(buf.getvalue())
    else:
        out.write(buf.getvalue())
    return pages


# ---------------------------------------------------------------------------------------------
# 1. 房屋租赁合同（收储）


def _rent_years_table(years: Sequence[LeaseYear], width: float) -> Table:
    rows = _Rows(["租赁年度", "起止日期", "计租月数", "年租金标准（元）", "应付租金（元）"],
                 column_widths([14, 42, 13, 22, 22], width), ["center", "center", "center", "right", "right"],
                 span_to=1)
    for y in years:
        rows.add([f"第 {y.index} 年", f"{iso_date(y.start)} 至 {iso_date(y.end)}", y.months,
                  format_fen(y.full_rent_fen), format_fen(y.rent_fen)])
    total = sum(y.rent_fen for y in years)
    rows.add(["合计", "", sum(y.months for y in years), "", format_fen(total)], "total")
    return rows.build()


def _parties_table(lessors: Sequence[Party], width: float) -> Table:
    header = ["序号", "姓名", "公民身份号码", "联系电话", "住址"]
    widths = column_widths([8, 16, 34, 23, 49], width)
    rows = [[i, p.name, p.id_number or "", p.phone or "", p.address] for i, p in enumerate(lessors, start=1)]
    return table(header, rows, widths, align=["center", "center", "center", "center", "left"],
                 font_size=CELL_SIZE, zebra=False)


def _lessee_table(lessee: Party, width: float) -> Table:
    header = ["名称", "负责人", "联系电话", "住所"]
    widths = column_widths([38, 16, 23, 53], width)
    rows = [[lessee.name, lessee.representative, lessee.phone or "", lessee.address]]
    return table(header, rows, widths, align=["center", "center", "center", "left"],
                 font_size=CELL_SIZE, zebra=False)


def contract_story(doc: ContractDoc) -> list[Flowable]:
    """The flowables of the contract (after the title)."""
    st = styles()
    body = _body_style()
    heading = _clause_heading_style()
    width = content_width()
    story: list[Flowable] = []
    number = 0

    def clause(title: str, *items: Flowable | str, into: list[Flowable] | None = None) -> None:
        nonlocal number
        number += 1
        target = story if into is None else into
        target.append(para(f"第{_cn_number(number)}条　{title}", heading))
        for item in items:
            target.append(para(item, body) if isinstance(item, str) else item)

    n_lessors = len(doc.lessors)
    story.append(para(
        "根据《中华人民共和国民法典》《商品房屋租赁管理办法》等法律法规的规定，甲、乙双方在平等、自愿、"
        "协商一致的基础上，就甲方将其房屋出租给乙方实施“收储租”更新利用（恢复性修缮、业态引入和运营）"
        "的有关事宜，订立本合同。", body))

    lessee = doc.lessee
    co_owners = "，为房屋的共有人，共同作为出租人" if n_lessors > 1 else ""
    clause(
        CLAUSES[0],
        f"甲方（出租人）共 {n_lessors} 人{co_owners}：",
        _parties_table(doc.lessors, width),
        Spacer(1, 4),
        "乙方（承租人）：",
        _lessee_table(lessee, width),
    )

    area = f"{format_area(doc.area)} 平方米" if doc.area is not None else "以不动产登记记载为准"
    house = [
        f"（一）房屋坐落：{doc.house_address}。",
        f"（二）建筑面积：{area}。",
        f"（三）房屋结构：{doc.structure or '以现状为准'}。",
        f"（四）附属设施和设备：{doc.fixtures or '以双方签署的房屋交接清单为准'}。",
    ]
    if doc.protection:
        house.append(f"（五）保护类别：{doc.protection}。房屋的修缮和使用应遵守历史文化街区和历史建筑保护的有关规定。")
    clause(CLAUSES[1], *house)

    clause(
        CLAUSES[2],
        f"租赁期限自{term_text(doc.start, doc.end, doc.term_months)}。",
        "租赁期限不得超过二十年；超过二十年的，超过部分无效（《民法典》第七百零五条）。",
    )

    clause(
        CLAUSES[3],
        f"（一）租赁用途：{doc.uses or '由双方另行书面约定'}。",
        f"（二）乙方可自用，或按本合同第{_cn_number(CLAUSES.index('转租') + 1)}条引入经营者用于上述用途；不得利用房屋从事违法活动，"
        "不得擅自改变上述用途。",
    )

    rule = step_rule_text(doc.step_percent, doc.step_interval_years, doc.compounding)
    total = sum(y.rent_fen for y in doc.years)
    partial = any(y.months < 12 for y in doc.years)
    rent_items: list[Flowable | str] = [
        f"（一）基础年租金：{yuan(doc.base_annual_rent_fen)}。",
        f"（二）租金递增：{rule}，每次递增后的租金四舍五入计至分。"
        if rule != "租赁期内租金标准不变" else "（二）租金递增：租赁期内租金标准不变。",
        "（三）各租赁年度租金如下" + ("（不足一个租赁年度的按月折算）" if partial else "") + "：",
        _rent_years_table(doc.years, width),
        Spacer(1, 4),
        f"租赁期内租金总额为{yuan(total)}。",
    ]
    clause(CLAUSES[4], *rent_items)

    if doc.deposit_fen > 0:
        deposit = (f"乙方于支付首期租金时一并向甲方支付押金{yuan(doc.deposit_fen)}。租赁期满或合同解除后，"
                   "押金扣除乙方应承担的费用后，剩余部分无息退还乙方。")
    else:
        deposit = "双方约定不收取押金。"
    clause(CLAUSES[5], deposit)

    freq = frequency_label(doc.frequency)
    clause(
        CLAUSES[6],
        f"（一）支付方式：租金按{freq}支付，先付后租，乙方以银行转账方式支付至甲方指定的银行账户。",
        f"（二）支付期限：每期租金最迟于该期计租期间第一个月的 {doc.due_day} 日支付；计租期间自该日以后"
        "开始的，于计租期间开始之日支付。各期金额和应付日期见附件《租金支付计划表》。",
        "（三）甲方收到租金后应向乙方出具收款凭证。",
    )

    clause(CLAUSES[7], doc.safety or DEFAULT_SAFETY)
    clause(CLAUSES[8], doc.repair_duties or DEFAULT_REPAIR)
    clause(CLAUSES[9], doc.fees or DEFAULT_FEES)

    if doc.sublet_consent:
        sublet = ("甲方同意乙方将房屋全部或部分转租给第三人用于本合同约定的用途（《民法典》第七百一十六条）。"
                  "转租期限不得超过本合同的剩余租赁期限；乙方与甲方之间的租赁合同继续有效，第三人造成房屋"
                  "损失的，乙方应当赔偿。")
    else:
        sublet = ("甲方不同意转租。未经甲方书面同意，乙方不得将房屋转租给第三人；乙方未经同意转租的，甲方"
                  "可以解除合同（《民法典》第七百一十六条）。")
    clause(CLAUSES[10], sublet)

    if doc.improvement_consent:
        improve = ("甲方同意乙方对房屋进行改善或者增设他物（《民法典》第七百一十五条）。改善或增设方案应事先"
                   "告知甲方，并符合房屋安全和保护要求；租赁期满后的处理由双方协商确定。")
    else:
        improve = ("乙方对房屋进行改善或者增设他物，须事先取得甲方书面同意；未经同意的，甲方可以请求乙方"
                   "恢复原状或者赔偿损失（《民法典》第七百一十五条）。")
    clause(CLAUSES[11], improve)

    clause(CLAUSES[12], doc.expropriation or DEFAULT_EXPROPRIATION)
    clause(
        CLAUSES[13],
        doc.renewal_terms or "租赁期满，乙方需要继续租赁的，双方协商一致后续订合同。",
        "续订的租赁期限自续订之日起不得超过二十年（《民法典》第七百零五条）。",
    )
    clause(CLAUSES[14], doc.early_termination or "除法律规定的情形外，经双方协商一致，可以提前解除本合同。")
    clause(
        CLAUSES[15],
        "（一）违约责任：任何一方违反本合同约定的，应当继续履行、采取补救措施或者赔偿对方因此受到的损失。"
        "乙方无正当理由未支付或者迟延支付租金的，甲方可以请求乙方在合理期限内支付；乙方逾期不支付的，"
        "甲方可以解除合同（《民法典》第七百二十二条）。",
        f"（二）争议解决方式：{doc.disputes or DEFAULT_DISPUTES}",
    )

    copies = n_lessors + 2
    other = [
        f"（一）本合同自甲方签字（按手印）、乙方盖章并经负责人签字之日起生效。本合同一式 {copies} 份，"
        f"甲方{'各' if n_lessors > 1 else ''}执一份，乙方执两份，具有同等法律效力。",
        "（二）附件《租金支付计划表》和房屋交接清单是本合同的组成部分。本合同未尽事宜，双方可另行签订补充协议。",
    ]
    if doc.version > 1:
        other.append(f"（三）本合同为第 {doc.version} 版，本版本替代第 {doc.version - 1} 版；"
                     f"第 {doc.version - 1} 版自本版本生效之日起失效。")
    # The last clause, "以下无正文" and the signature and seal blocks (the first six, if there are
    # more) stay on one page, so the signatures never stand alone on a page without text. Each
    # party's block is kept in one piece: its name, then its lines with room to sign above them.
    last: list[Flowable] = []
    clause(CLAUSES[16], *other, into=last)
    last.append(para("（以下无正文）", ParagraphStyle("rd-lease-end", parent=st.small, alignment=1,
                                                  spaceBefore=4)))
    party_style = ParagraphStyle("rd-lease-party", parent=st.body, spaceBefore=16)

    def party_block(label: str, lines: list[str]) -> KeepTogether:
        block = signature_block(lines, per_row=2)
        block.spaceBefore = 0  # the room to sign is inside the block, above its lines
        return KeepTogether([para(label, party_style), block])

    signing = [party_block(f"甲方（出租人）：{p.name}", ["签字（按手印）", "日期"]) for p in doc.lessors]
    signing.append(party_block(f"乙方（承租人）：{doc.lessee_seal.strip() or lessee.name}（盖章）", ["负责人（签字）", "日期"]))
    story.append(KeepTogether(last + [Spacer(1, 4)] + signing[:6]))
    story.extend(signing[6:])
    return story


def render_lease_contract(out: str | Path | BinaryIO, doc: ContractDoc, *, operator: str, doc_no: str,
                          printed_at: datetime | None = None) -> int:
    """Write the contract PDF to `out` (full personal data, marked internal); returns the page count."""
    version = f"第 {doc.version} 版"
    if doc.version > 1:
        version += f"（本版本替代第 {doc.version - 1} 版）"
    info = DocumentInfo(
        title=CONTRACT_TITLE,
        subtitle=f"合同编号：{doc.contract_no}　{version}",
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=False,
        subject=f"{CONTRACT_TITLE} {doc.contract_no} {doc.house_address}",
        keywords=[k for k in (CONTRACT_TITLE, doc.contract_no, doc.house_address) if k],
    )
    return build_pdf(out, info, contract_story(doc))


# ---------------------------------------------------------------------------------------------
# 2. 租金支付计划表


SCHEDULE_HEADER = ["序号", "租赁年度", "计租期间", "应付日期", "金额（元）"]
_SCHEDULE_WEIGHTS = [10, 16, 40, 20, 22]


def render_rent_schedule(out: str | Path | BinaryIO, doc: ScheduleDoc, *, operator: str, doc_no: str,
                         printed_at: datetime | None = None) -> int:
    """Write the rent schedule PDF to `out`; returns the page count."""
    width = content_width()
    st = styles()
    by_year: dict[int, list[Instalment]] = {}
    for inst in doc.instalments:
        by_year.setdefault(inst.lease_year, []).append(inst)
    year_numbers = [y.index for y in doc.years] or sorted(by_year)
    for k in sorted(by_year):  # instalments of a year missing from `years` are still printed
        if k not in year_numbers:
            year_numbers.append(k)
    rows = _Rows(SCHEDULE_HEADER, column_widths(_SCHEDULE_WEIGHTS, width),
                 ["center", "center", "center", "center", "right"], span_to=3)
    for k in year_numbers:
        items = by_year.get(k, [])
        for inst in items:
            rows.add([inst.seq, f"第 {k} 年", f"{iso_date(inst.period_start)} 至 {iso_date(inst.period_end)}",
                      iso_date(inst.due_date), format_fen(inst.amount_fen)])
        if len(items) > 1:  # a year of one instalment: that row is the year's total
            rows.add([f"第 {k} 租赁年度合计", "", "", "", format_fen(sum(i.amount_fen for i in items))],
                     "subtotal")
    rows.add([f"合计（大写：{fen_to_chinese_upper(doc.total_fen)}）", "", "", "", format_fen(doc.total_fen)],
             "total")

    n_years = len(doc.years) or len(by_year)
    head = field_grid([
        [("合同编号", doc.contract_no), ("出租人", doc.lessor_names)],
        [("房屋坐落", doc.house_address)],
        [("租赁期限", term_text(doc.start, doc.end, doc.term_months))],
        [("租金规则", doc.rule_text)],
    ], width)
    info = DocumentInfo(
        title=SCHEDULE_TITLE,
        subtitle=f"合同编号：{doc.contract_no}（《房屋租赁合同》附件）",
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=True,
        subject=f"{SCHEDULE_TITLE} {doc.contract_no} {doc.house_address}",
        keywords=[k for k in (SCHEDULE_TITLE, doc.contract_no, doc.house_address) if k],
    )
    summary = (f"共 {n_years} 个租赁年度、{len(doc.instalments)} 期，租金总额{yuan(doc.total_fen)}。"
               "各期租金最迟于应付日期支付；金额单位为人民币元。")
    return _build_with_closing(out, info, [head, Spacer(1, 8)], rows, [
        para(summary, st.body),
        signature_block(["出租人（签字）", f"承租人：{doc.seal}（盖章）" if doc.seal.strip() else "承租人（盖章）",
                         "日期", "日期"], per_row=2),
    ])


# ---------------------------------------------------------------------------------------------
# 3. 租金对账单


LINES_HEADER = ["序号", "应付日期", "应付金额（元）", "已付（元）", "未付（元）", "逾期天数"]
PAYMENTS_HEADER = ["序号", "付款日期", "金额（元）", "付款方式", "凭证号"]


def render_rent_statement(out: str | Path | BinaryIO, doc: StatementDoc, *, operator: str, doc_no: str,
                          printed_at: datetime | None = None) -> int:
    """Write the statement PDF to `out`; returns the page count."""
    width = content_width()
    st = styles()
    section = st.heading
    story: list[Flowable] = [
        field_grid([
            [("合同编号", doc.contract_no), ("对账截止日", cn_date(doc.as_of))],
            [("房屋坐落", doc.house_address)],
            [("出租人", doc.lessor_names)],
        ], width),
    ]

    # 一、应付租金. A heading over a long table starts a new page unless it fits with a few rows
    # (a keepWithNext heading would push a table longer than the space left to a new page).
    story.append(CondPageBreak(120))
    story.append(para(f"一、应付租金（截至{cn_date(doc.as_of)}已到应付日期的各期）", section))
    rows = _Rows(LINES_HEADER, column_widths([8, 18, 20, 20, 20, 14], width),
                 ["center", "center", "right", "right", "right", "center"], span_to=1, zebra=True,
                 alert_cols=(4, 5))
    for i, line in enumerate(doc.lines, start=1):
        overdue = line.days_overdue > 0 and line.open_fen != 0
        rows.add([i, iso_date(line.due_date), format_fen(line.amount_fen), format_fen(line.paid_fen),
                  format_fen(line.open_fen), line.days_overdue if line.days_overdue > 0 else ""],
                 "alert" if overdue else "")
    rows.add(["合计", "", format_fen(sum(x.amount_fen for x in doc.lines)),
              format_fen(sum(x.paid_fen for x in doc.lines)), format_fen(sum(x.open_fen for x in doc.lines)), ""],
             "total")
    story.append(rows.build())
    if not doc.lines:
        story.append(para("截至对账截止日，尚无到期的租金。", st.small))

    # 二、已付款
    story.append(CondPageBreak(120))
    story.append(para("二、已付款记录", section))
    if doc.payments:
        prows = _Rows(PAYMENTS_HEADER, column_widths([8, 18, 20, 20, 34], width),
                      ["center", "center", "right", "center", "left"], span_to=1, zebra=True)
        for i, p in enumerate(doc.payments, start=1):
            prows.add([i, iso_date(p.paid_on), format_fen(p.amount_fen), p.method, p.reference])
        prows.add(["合计", "", format_fen(sum(p.amount_fen for p in doc.payments)), "", ""], "total")
        story.append(prows.build())
    else:
        story.append(para("截至对账截止日，无付款记录。", st.body))

    # 三、对账结果 and 四、欠付账龄, kept together with the signatures
    balance = doc.due_fen - doc.paid_fen
    if balance > 0:
        balance_note = f"乙方尚欠甲方租金 {format_fen(balance)} 元（大写：{fen_to_chinese_upper(balance)}）"
    elif balance < 0:
        balance_note = f"乙方已预付租金 {format_fen(-balance)} 元（大写：{fen_to_chinese_upper(-balance)}），可抵后期租金"
    else:
        balance_note = "应付与已付相符，已结清"
    result_rows = [
        ["应付合计", format_fen(doc.due_fen), "截止日前（含当日）到期的各期租金"],
        ["已付合计", format_fen(doc.paid_fen), "截止日前（含当日）的付款"],
        ["欠付", format_fen(doc.arrears_fen), "已过应付日期仍未付清的金额"],
        ["预付", format_fen(doc.credit_fen), "超过到期应付的付款，抵后期租金"],
        ["余额（应付－已付）", format_fen(balance), balance_note],
    ]
    rtbl = table(["项目", "金额（元）", "说明"], result_rows, column_widths([22, 20, 58], width),
                 align=["center", "right", "left"], font_size=CELL_SIZE, zebra=False)
    if doc.arrears_fen:
        rtbl.setStyle(TableStyle([("TEXTCOLOR", (1, 3), (1, 3), ALERT)]))
    ageing_total = sum(doc.ageing.get(k, 0) for k, _ in AGEING_BUCKETS)
    atbl = table(["逾期天数"] + [label for _, label in AGEING_BUCKETS] + ["合计"],
                 [["欠付金额（元）"] + [format_fen(doc.ageing.get(k, 0)) for k, _ in AGEING_BUCKETS]
                  + [format_fen(ageing_total)]],
                 column_widths([22, 19.5, 19.5, 19.5, 19.5], width),
                 align=["center", "right", "right", "right", "right"], font_size=CELL_SIZE, zebra=False)
    # results, ageing and signatures in one piece: the signatures never stand alone on a page
    story.append(KeepTogether([
        para("三、对账结果", section), rtbl,
        para("四、欠付账龄", section), atbl,
        Spacer(1, 8),
        para("请出租人核对以上应付、已付款项；核对无误请签字确认，如有异议请与街道联系核实。", st.small),
        signature_block(["出租人确认签字", "日期", "街道经办人（签字）", "日期",
                         f"{doc.seal}（盖章）" if doc.seal.strip() else "街道（盖章）"], per_row=2),
    ]))
    info = DocumentInfo(
        title=STATEMENT_TITLE,
        subtitle=f"截至{cn_date(doc.as_of)}",
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=True,
        subject=f"{STATEMENT_TITLE} {doc.contract_no} {doc.as_of.isoformat()}",
        keywords=[k for k in (STATEMENT_TITLE, doc.contract_no, doc.house_address) if k],
    )
    return build_pdf(out, info, story)


# ---------------------------------------------------------------------------------------------
# 4. 收储房屋登记表


REGISTER_HEADER = ["序号", "房屋地址", "产权人", "面积（㎡）", "保护类别", "现状", "修缮状态", "业态/经营者",
                   "合同到期", "备注"]
_REGISTER_WEIGHTS = [24, 118, 64, 46, 58, 44, 48, 124, 56, 84]
_REGISTER_ALIGN = ["center", "left", "center", "right", "center", "center", "center", "left", "center", "left"]


def restoration_label(value: str) -> str:
    return RESTORATION_LABELS.get((value or "").strip(), (value or "").strip())


def register_counts(doc: RegisterDoc) -> tuple[int, int, int]:
    """(收储, 已入驻 = rows with a business, 修缮中 = rows whose restoration is 修缮中/施工中)."""
    stored = len(doc.rows)
    occupied = sum(1 for r in doc.rows if (r.business or "").strip())
    restoring = sum(1 for r in doc.rows if restoration_label(r.restoration) in RESTORING)
    return stored, occupied, restoring


def render_storage_register(out: str | Path | BinaryIO, doc: RegisterDoc, *, operator: str, doc_no: str,
                            masked: bool = True, printed_at: datetime | None = None) -> int:
    """Write the register PDF to `out` (landscape); owners' names masked unless masked=False.
    Returns the page count."""
    st = styles()
    width = content_width(landscape=True)
    rows = _Rows(REGISTER_HEADER, column_widths(_REGISTER_WEIGHTS, width), _REGISTER_ALIGN, zebra=True)
    for i, r in enumerate(doc.rows, start=1):
        owners = [o for o in (r.owners or []) if o and o.strip()]
        if masked:
            owners = [mask_name(o, "star") for o in owners]
        rows.add([i, r.address, "、".join(owners), format_area(r.area), r.protection, r.condition,
                  restoration_label(r.restoration), r.business, iso_date(r.lease_end), r.note])
    stored, occupied, restoring = register_counts(doc)
    area = sum((Decimal(r.area) for r in doc.rows if r.area is not None), Decimal(0))
    summary = f"收储 {stored} 处，已入驻 {occupied} 处，修缮中 {restoring} 处；收储面积合计 {format_area(area)} ㎡。"
    info = DocumentInfo(
        title=REGISTER_TITLE,
        subtitle=doc.title_org,
        doc_no=doc_no,
        operator=operator,
        printed_at=printed_at,
        masked=masked,
        landscape=True,
        subject=f"{doc.title_org} {REGISTER_TITLE}".strip(),
        keywords=[k for k in (REGISTER_TITLE, doc.title_org) if k],
    )
    note = ("产权人姓名已脱敏；已入驻指已引入业态或经营者的房屋。" if masked
            else "已入驻指已引入业态或经营者的房屋。")
    return _build_with_closing(out, info, [], rows, [
        para(summary, st.body),
        para(note, st.small),
        signature_block(["制表人（签字）", "审核人（签字）", "日期"], per_row=3),
    ])


__all__ = [
    "CLAUSES", "ContractDoc", "Party", "PaymentLine", "RegisterDoc", "RegisterRow", "ScheduleDoc",
    "StatementDoc", "StatementLine", "register_counts", "render_lease_contract", "render_rent_schedule",
    "render_rent_statement", "render_storage_register", "step_rule_text",
]
