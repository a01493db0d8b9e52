"""Rent-storage printouts: the lease contract, the rent schedule, the rent statement, the register.

Rents and instalments come from rules.lease; the PDFs are read back with poppler-utils
(pdftotext, pdffonts) and those checks are skipped where it is missing, as in test_printing.py.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from renewal_desk.core.printing import DOCUMENTS
from renewal_desk.core.printing.lease import (
    CLAUSES,
    ContractDoc,
    Party,
    PaymentLine,
    RegisterDoc,
    RegisterRow,
    ScheduleDoc,
    StatementDoc,
    StatementLine,
    register_counts,
    render_lease_contract,
    render_rent_schedule,
    render_rent_statement,
    render_storage_register,
    step_rule_text,
)
from renewal_desk.core.rules.lease import LeaseTerms, PaymentIn, account, annual_rents, schedule
from renewal_desk.core.rules.money import format_fen

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)

RARE_B = "王𠮷"  # 𠮷 U+20BB7, CJK Extension B
RARE_A = "李䶮"  # 䶮 U+4DAE, CJK Extension A
ID_WANG = "321002195003150017"
ID_LI = "32100219620718002X"
OPERATOR = "赵社工"
WHEN = datetime(2026, 11, 22, 14, 5)
HOUSE = "扬州市广陵区仁丰里 28 号"

# base 12,000.00 a year, +10% every 3 lease years compounding, 20 years
EXPECTED_RENTS = ["12,000.00"] * 3 + ["13,200.00"] * 3 + ["14,520.00"] * 3 + ["15,972.00"] * 3 \
    + ["17,569.20"] * 3 + ["19,326.12"] * 3 + ["21,258.73"] * 2
TOTAL = "320,279.42"
TOTAL_UPPER = "叁拾贰万零贰佰柒拾玖元肆角贰分"


def _terms(frequency: str = "annual", months: int = 240) -> LeaseTerms:
    return LeaseTerms(start=date(2026, 1, 1), term_months=months, base_annual_rent_fen=1_200_000,
                      step_percent=Decimal("10"), step_interval_years=3, compounding=True,
                      frequency=frequency, due_day=10)


def _schedule_doc(frequency: str = "annual") -> ScheduleDoc:
    terms = _terms(frequency)
    years = annual_rents(terms)
    instalments = schedule(terms)
    return ScheduleDoc(
        contract_no="RFL-SC-2026-007", house_address=HOUSE, lessor_names=f"{RARE_B}、{RARE_A}",
        start=terms.start, end=years[-1].end, term_months=terms.term_months,
        rule_text=step_rule_text(terms.step_percent, terms.step_interval_years, terms.compounding),
        years=years, instalments=instalments, total_fen=sum(i.amount_fen for i in instalments),
    )


def _contract_doc(version: int = 2) -> ContractDoc:
    terms = _terms()
    years = annual_rents(terms)
    return ContractDoc(
        contract_no="RFL-SC-2026-007", version=version,
        lessors=[
            Party(RARE_B, ID_WANG, "13812345678", "扬州市广陵区仁丰里 28 号"),
            Party(RARE_A, ID_LI, "13987654321", "扬州市邗江区文昌西路 100 号 3 幢 502 室"),
        ],
        lessee=Party("扬州市广陵区汶河街道办事处", None, "0514-87654321", "扬州市广陵区汶河北路 1 号",
                     representative="陈主任"),
        house_address=HOUSE, area=Decimal("86.40"), structure="砖木结构（两层）",
        fixtures="木楼梯一部，前后天井，水表、电表各一只", protection="传统风貌建筑",
        uses="非遗工作室、文创零售", start=terms.start, end=years[-1].end, term_months=240,
        base_annual_rent_fen=1_200_000, step_percent=Decimal("10"), step_interval_years=3,
        compounding=True, frequency="quarterly", due_day=10, deposit_fen=300_000,
        sublet_consent=True, improvement_consent=False,
        renewal_terms="租赁期满前 6 个月，乙方书面提出续租的，同等条件下乙方享有优先承租权。",
        early_termination="乙方因规划调整需提前解除的，应提前 3 个月书面通知甲方，并结清租金。",
        years=years,
    )


def _statement_doc() -> StatementDoc:
    terms = _terms("quarterly", months=120)
    instalments = schedule(terms)
    as_of = date(2027, 3, 1)
    pays = [PaymentIn(1, date(2026, 1, 8), 300_000), PaymentIn(2, date(2026, 4, 30), 300_000),
            PaymentIn(3, date(2026, 11, 2), 100_000)]
    acc = account(instalments, pays, as_of)
    lines = [StatementLine(s.instalment.due_date, s.instalment.amount_fen, s.paid_fen, s.open_fen, s.days_overdue)
             for s in acc.states if s.instalment.due_date <= as_of]
    payments = [PaymentLine(p.paid_on, p.amount_fen, "银行转账", f"PZ2026{p.id:04d}") for p in pays]
    return StatementDoc(
        contract_no="RFL-SC-2026-007", house_address=HOUSE, lessor_names=f"{RARE_B}、{RARE_A}",
        as_of=as_of, lines=lines, payments=payments, due_fen=acc.due_fen, paid_fen=acc.paid_fen,
        arrears_fen=acc.arrears_fen, credit_fen=acc.credit_fen, ageing=acc.ageing,
    )


def _register_doc() -> RegisterDoc:
    rows = []
    streets = ["仁丰里", "旌忠寺巷", "马监巷", "棉花巷"]
    for i in range(42):
        owners = [RARE_B] if i == 0 else [RARE_A, "张卫国"] if i == 1 else [f"{'赵钱孙李周吴郑冯'[i % 8]}{'建国秀英'[i % 4]}"]
        rows.append(RegisterRow(
            address=f"扬州市广陵区{streets[i % 4]} {i + 1} 号",
            owners=owners, area=Decimal("40.5") + i if i != 5 else None,
            protection=("文物保护单位", "历史建筑", "传统风貌建筑", "一般建筑")[i % 4],
            condition=("空置", "自住", "经营")[i % 3],
            restoration=("done", "in_progress", "planned")[i % 3],
            business=("扬州剪纸工作室（非遗）·" + "张师傅" if i % 2 == 0 else ""),
            lease_end=date(2045, 12, 31) if i % 5 else None,
            note="居民原地居住，底层经营" if i % 7 == 0 else "",
        ))
    return RegisterDoc(title_org="扬州市广陵区汶河街道办事处　仁丰里历史文化街区", rows=rows)


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
            assert "内部资料" in page and "含完整个人信息" in page and "已脱敏" not in page
    return pages


def _fonts_embedded(pdf: Path, rare: bool = True) -> None:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    names = " ".join(r[0] for r in rows)
    assert "WenQuanYiMicroHei" in names
    if rare:
        assert "HanaMinA" in names and "HanaMinB" in names
    for r in rows:  # name type encoding emb sub uni object ID
        assert r[-5:-2] == ["yes", "yes", "yes"], r


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lease")


# --- helpers -------------------------------------------------------------------------------------


def test_documents_registered() -> None:
    assert DOCUMENTS["lease-contract"][0] == "房屋租赁合同（收储）"
    assert DOCUMENTS["rent-schedule"][0] == "租金支付计划表"
    assert DOCUMENTS["rent-statement"][0] == "租金对账单"
    assert DOCUMENTS["storage-register"][0] == "收储房屋登记表"
    assert all(en for _zh, en in DOCUMENTS.values())


def test_step_rule_text() -> None:
    assert step_rule_text(Decimal("10"), 3, True) == "每满 3 个租赁年度在上一阶段租金基础上递增 10%"
    assert step_rule_text(Decimal("2.50"), 1, False) == "每满 1 个租赁年度递增基础年租金的 2.5%"
    assert step_rule_text(Decimal("0"), 3, True) == "租赁期内租金标准不变"


def test_expected_rents_from_rules() -> None:
    doc = _schedule_doc()
    assert [format_fen(y.rent_fen) for y in doc.years] == EXPECTED_RENTS
    assert format_fen(doc.total_fen) == TOTAL


def test_register_counts() -> None:
    assert register_counts(_register_doc()) == (42, 21, 14)


def test_render_to_file_object() -> None:
    buf = io.BytesIO()
    assert render_rent_schedule(buf, _schedule_doc(), operator=OPERATOR, doc_no="ZJJH-20261122-0001") >= 1
    assert buf.getvalue().startswith(b"%PDF")


# --- rent schedule -------------------------------------------------------------------------------


@needs_poppler
def test_schedule_annual(out_dir: Path) -> None:
    pdf = out_dir / "schedule.pdf"
    n = render_rent_schedule(pdf, _schedule_doc(), operator=OPERATOR, doc_no="ZJJH-20261122-0001",
                             printed_at=WHEN)
    pages = _check_pages(pdf, n, "ZJJH-20261122-0001")
    text = "\n".join(pages)
    assert "租金支付计划表" in pages[0] and "RFL-SC-2026-007" in pages[0] and HOUSE in pages[0]
    assert RARE_B in pages[0] and RARE_A in pages[0]
    assert "每满 3 个租赁年度在上一阶段租金基础上递增 10%" in pages[0]
    assert "2026年1月1日至2045年12月31日，共 240 个月（20 年）" in pages[0]
    lines = text.splitlines()
    for k, amount in enumerate(EXPECTED_RENTS, start=1):
        row = next(line for line in lines if f"第{k}年" in _squash(line))
        assert row.split()[0] == str(k) and row.split()[-1] == amount, (k, row)
    assert "租赁年度合计" not in text  # one instalment a year: its row is the year's total
    assert TOTAL in text and TOTAL_UPPER in text
    total_line = next(line for line in lines if TOTAL_UPPER in line)
    assert TOTAL in total_line and "合计" in total_line
    assert "出租人（签字）：" in pages[-1] and "承租人（盖章）：" in pages[-1]
    _fonts_embedded(pdf)


@needs_poppler
def test_schedule_monthly_paginates(out_dir: Path) -> None:
    pdf = out_dir / "schedule-monthly.pdf"
    doc = _schedule_doc("monthly")
    assert len(doc.instalments) == 240
    n = render_rent_schedule(pdf, doc, operator=OPERATOR, doc_no="ZJJH-20261122-0002", printed_at=WHEN)
    assert 5 <= n <= 10
    pages = _check_pages(pdf, n, "ZJJH-20261122-0002")
    for page in pages:  # the header row is repeated on every page
        assert "序号" in page and "计租期间" in page and "金额（元）" in page
    text = "\n".join(pages)
    for seq in (1, 120, 240):
        assert any(line.split()[:1] == [str(seq)] for line in text.splitlines()), seq
    assert "2045-12-01 至 2045-12-31" in pages[-1]
    assert "1,771.56" in text  # year 19-20 monthly: 21,258.73 / 12 → 1,771.56 (odd fen last)
    assert TOTAL in pages[-1] and TOTAL_UPPER in pages[-1]
    assert text.count("租赁年度合计") == 20
    lines = text.splitlines()
    for k, amount in enumerate(EXPECTED_RENTS, start=1):
        subtotal = next(line for line in lines if f"第{k}租赁年度合计" in _squash(line))
        assert subtotal.split()[-1] == amount, (k, subtotal)
    for page in pages[1:]:  # a subtotal never starts a page: it stays with its year's last row
        first_row = next(line for line in page.splitlines()[1:] if line.strip() and "序号" not in line)
        assert "合计" not in first_row, first_row


# --- contract ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contract_pdf(out_dir: Path) -> tuple[Path, int]:
    pdf = out_dir / "contract.pdf"
    n = render_lease_contract(pdf, _contract_doc(), operator=OPERATOR, doc_no="ZLHT-20261122-0001",
                              printed_at=WHEN)
    return pdf, n


@needs_poppler
def test_contract_clauses_and_parties(contract_pdf: tuple[Path, int]) -> None:
    pdf, n = contract_pdf
    pages = _check_pages(pdf, n, "ZLHT-20261122-0001", masked=False)
    text = "\n".join(pages)
    flat = _squash("".join(_pages(pdf, layout=False)))
    assert "房屋租赁合同（收储）" in pages[0]
    assert "合同编号：RFL-SC-2026-007" in pages[0] and "第 2 版（本版本替代第 1 版）" in pages[0]
    numerals = "一二三四五六七八九十"
    for i, heading in enumerate(CLAUSES, start=1):
        number = numerals[i - 1] if i <= 10 else "十" + numerals[i - 11]
        assert _squash(f"第{number}条　{heading}") in flat, heading
    # every item of 商品房屋租赁管理办法 第七条
    for words in ("住所", "坐落", "面积", "结构", "附属设施", "租金", "押金", "支付方式", "租赁用途", "安全",
                  "租赁期限", "维修", "物业服务", "水、电、燃气", "争议", "违约责任", "征收或者拆迁"):
        assert words in flat, words
    # parties in full: the lessors sign it
    for name, id_number, phone in ((RARE_B, ID_WANG, "13812345678"), (RARE_A, ID_LI, "13987654321")):
        assert name in text and id_number in text and phone in text
    assert "扬州市广陵区汶河街道办事处" in text and "陈主任" in text
    # rent: figures, 大写, rule, each year's rent
    assert _squash("基础年租金：人民币 12,000.00 元（大写：壹万贰仟元整）") in flat
    assert _squash("每满 3 个租赁年度在上一阶段租金基础上递增 10%") in flat
    for amount in set(EXPECTED_RENTS):
        assert amount in text
    assert TOTAL in text and TOTAL_UPPER in flat
    assert _squash("押金人民币 3,000.00 元（大写：叁仟元整）") in flat
    assert "每季度" in flat and "10日" in flat
    assert "第七百零五条" in flat and "第七百一十六条" in flat and "第七百一十五条" in flat
    assert "第七百二十二条" in flat and "合理期限内支付" in flat
    assert "甲方同意乙方将房屋全部或部分转租" in flat
    assert "须事先取得甲方书面同意" in flat
    assert "传统风貌建筑" in flat and "砖木结构" in flat and "86.40平方米" in flat
    assert "同等条件下乙方享有优先承租权" in flat and "提前3个月书面通知" in flat
    assert "本合同为第2版，本版本替代第1版；第1版自本版本生效之日起失效" in flat


@needs_poppler
def test_contract_signature_blocks_on_one_page(contract_pdf: tuple[Path, int]) -> None:
    pdf, n = contract_pdf
    last = _pages(pdf)[-1]
    assert last.count("签字（按手印）：") == 2 and last.count("日期：") - last.count("打印日期：") == 3
    assert "第十七条" in _squash(last) and "以下无正文" in last  # the signatures do not stand alone
    assert f"甲方（出租人）：{RARE_B}" in last and f"甲方（出租人）：{RARE_A}" in last
    assert "乙方（承租人）：扬州市广陵区汶河街道办事处（盖章）" in last and "负责人（签字）：" in last
    _fonts_embedded(pdf)


@needs_poppler
def test_contract_first_version(out_dir: Path) -> None:
    pdf = out_dir / "contract-v1.pdf"
    doc = _contract_doc(version=1)
    doc.deposit_fen = 0
    doc.sublet_consent = False
    doc.improvement_consent = True
    doc.step_percent = Decimal("0")
    n = render_lease_contract(pdf, doc, operator=OPERATOR, doc_no="ZLHT-20261122-0002", printed_at=WHEN)
    flat = _squash("".join(_pages(pdf, layout=False)))
    assert n >= 2 and "第1版" in flat and "替代" not in flat
    assert "双方约定不收取押金" in flat and "甲方不同意转租" in flat
    assert "甲方同意乙方对房屋进行改善或者增设他物" in flat and "租赁期内租金标准不变" in flat


# --- statement -----------------------------------------------------------------------------------


@needs_poppler
def test_statement(out_dir: Path) -> None:
    doc = _statement_doc()
    # 10 years quarterly, 3,000.00 a quarter in years 1-3; paid 7,000.00 of 15,000.00 due
    assert format_fen(doc.due_fen) == "15,000.00" and format_fen(doc.paid_fen) == "7,000.00"
    assert format_fen(doc.arrears_fen) == "8,000.00"
    pdf = out_dir / "statement.pdf"
    n = render_rent_statement(pdf, doc, operator=OPERATOR, doc_no="ZJDZ-20261122-0001", printed_at=WHEN)
    pages = _check_pages(pdf, n, "ZJDZ-20261122-0001")
    text = "\n".join(pages)
    flat = _squash("".join(_pages(pdf, layout=False)))
    assert "租金对账单" in pages[0] and "截至2027年3月1日" in text and RARE_B in text
    lines = text.splitlines()

    def row(label: str) -> str:
        return next(line for line in lines if line.strip().startswith(label))

    assert "15,000.00" in row("应付合计") and "7,000.00" in row("已付合计")
    assert "8,000.00" in row("欠付") and "0.00" in row("预付")
    assert "8,000.00" in row("余额") and "乙方尚欠甲方租金" in flat and "捌仟元整" in flat
    ageing = row("欠付金额（元）").split()
    # due 2026-07-10 (1,000.00 open, 234 days), 2026-10-10 (3,000.00, 142 days), 2027-01-10 (3,000.00, 50 days),
    # 2027-01-10 is year 2 Q1 … see rules.lease; whatever the split, the buckets add up to the arrears
    assert ageing[1:] == [format_fen(doc.ageing["le30"]), format_fen(doc.ageing["31to90"]),
                          format_fen(doc.ageing["gt90"]), "8,000.00"]
    assert doc.ageing["gt90"] > 0 and doc.ageing["31to90"] > 0
    for label in ("≤30 天", "31–90 天", ">90 天"):
        assert label in text
    for line in doc.lines:
        if line.days_overdue:
            assert any(line.due_date.isoformat() in x and str(line.days_overdue) in x.split() for x in lines)
    for p in doc.payments:
        assert p.reference in text and p.paid_on.isoformat() in text
    assert "出租人确认签字：" in pages[-1] and "街道经办人（签字）：" in pages[-1] and "街道（盖章）：" in pages[-1]
    assert "身份证" not in text and ID_WANG not in text
    _fonts_embedded(pdf)


def test_statement_empty(tmp_path: Path) -> None:
    doc = StatementDoc(contract_no="X", house_address="", lessor_names="", as_of=date(2026, 1, 1), lines=[],
                       payments=[], due_fen=0, paid_fen=0, arrears_fen=0, credit_fen=0, ageing={})
    assert render_rent_statement(tmp_path / "s.pdf", doc, operator="o", doc_no="X") == 1


# --- register ------------------------------------------------------------------------------------


@needs_poppler
def test_register_masked(out_dir: Path) -> None:
    pdf = out_dir / "register.pdf"
    doc = _register_doc()
    n = render_storage_register(pdf, doc, operator=OPERATOR, doc_no="SCDJ-20261122-0001", printed_at=WHEN)
    pages = _check_pages(pdf, n, "SCDJ-20261122-0001")
    meta = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True).stdout.decode()
    size = meta.split("Page size:")[1].split("pts")[0].split("x")
    assert float(size[0]) > float(size[1])  # landscape
    text = "\n".join(pages)
    assert "王*" in text and "李*、张**" in text
    for row in doc.rows:
        for owner in row.owners:
            assert owner not in text, owner
    assert "𠮷" not in text and "䶮" not in text
    assert "收储 42 处，已入驻 21 处，修缮中 14 处" in pages[-1]
    assert "制表人（签字）：" in pages[-1]
    for page in pages:  # the header row on every page; the last rows go with the signatures
        assert "房屋地址" in page and "产权人" in page
    assert "扬州市广陵区旌忠寺巷 42 号" in pages[-1]
    assert "2045-12-31" in text and "修缮中" in text and "已修缮" in text
    _fonts_embedded(pdf, rare=False)


@needs_poppler
def test_register_full_names(out_dir: Path) -> None:
    pdf = out_dir / "register-full.pdf"
    n = render_storage_register(pdf, _register_doc(), operator=OPERATOR, doc_no="SCDJ-20261122-0002",
                                masked=False, printed_at=WHEN)
    text = "\n".join(_check_pages(pdf, n, "SCDJ-20261122-0002", masked=False))
    assert RARE_B in text and RARE_A in text
    _fonts_embedded(pdf)


# --- edge cases ----------------------------------------------------------------------------------


@needs_poppler
def test_contract_many_lessors_partial_year(out_dir: Path) -> None:
    terms = LeaseTerms(start=date(2024, 1, 31), term_months=126, base_annual_rent_fen=1_000_001,
                       step_percent=Decimal("5"), step_interval_years=2, compounding=False,
                       frequency="monthly", due_day=28)
    years = annual_rents(terms)
    doc = _contract_doc()
    doc.lessors = [Party(f"{'赵钱孙李周吴郑王'[i]}{'𠮷' if i == 7 else '某'}", f"32100219500315{i:03d}7",
                         f"1391234{i:04d}", "扬州市广陵区仁丰里 28 号" * (3 if i == 0 else 1)) for i in range(8)]
    doc.term_months, doc.years, doc.start, doc.end = 126, years, terms.start, years[-1].end
    doc.step_percent, doc.step_interval_years, doc.compounding = Decimal("5"), 2, False
    doc.fixtures = "木楼梯一部，前后天井，水表、电表各一只；" * 8
    doc.protection = ""
    doc.area = None
    pdf = out_dir / "contract-many.pdf"
    n = render_lease_contract(pdf, doc, operator=OPERATOR, doc_no="ZLHT-20261122-0003", printed_at=WHEN)
    pages = _check_pages(pdf, n, "ZLHT-20261122-0003", masked=False)
    text = "\n".join(pages)
    flat = _squash("".join(_pages(pdf, layout=False)))
    for p in doc.lessors:
        assert p.id_number in text and f"甲方（出租人）：{p.name}" in text
    assert "共8人，为房屋的共有人" in flat and "一式10份" in flat and "甲方各执一份" in flat
    assert "不足一个租赁年度的按月折算" in flat and "每满2个租赁年度递增基础年租金的5%" in flat
    assert "以不动产登记记载为准" in flat and "保护类别" not in flat
    assert "第 11 年" in text and "2034-01-31 至 2034-07-30" in text  # 6-month final year


@needs_poppler
def test_schedule_partial_final_year(out_dir: Path) -> None:
    terms = LeaseTerms(start=date(2024, 1, 31), term_months=126, base_annual_rent_fen=1_000_001,
                       frequency="quarterly", due_day=28)
    years, instalments = annual_rents(terms), schedule(terms)
    doc = ScheduleDoc(contract_no="X-1", house_address=HOUSE, lessor_names=RARE_B, start=terms.start,
                      end=years[-1].end, term_months=126, rule_text="每满 3 个租赁年度在上一阶段租金基础上递增 10%",
                      years=years, instalments=instalments, total_fen=sum(i.amount_fen for i in instalments))
    pdf = out_dir / "schedule-partial.pdf"
    n = render_rent_schedule(pdf, doc, operator=OPERATOR, doc_no="ZJJH-20261122-0003", printed_at=WHEN)
    pages = _check_pages(pdf, n, "ZJJH-20261122-0003")
    text = "\n".join(pages)
    assert "共 126 个月（10 年 6 个月）" in text
    assert text.count("租赁年度合计") == 11
    assert format_fen(doc.total_fen) in pages[-1]


def test_register_empty(tmp_path: Path) -> None:
    assert render_storage_register(tmp_path / "r.pdf", RegisterDoc(title_org="", rows=[]), operator="o",
                                   doc_no="X") == 1
    row = RegisterRow(address="", owners=[], area=None, protection="", condition="", restoration="",
                      business="", lease_end=None, note="")
    assert render_storage_register(tmp_path / "r1.pdf", RegisterDoc(title_org="T", rows=[row]), operator="o",
                                   doc_no="X") == 1
