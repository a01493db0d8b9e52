"""Rent-storage (收储租): register houses, sign, amend and renew leases, pay owners, see arrears.

The rent schedule is never stored: it is computed exactly from the current terms (rules.lease), so
it cannot drift from the contract. Payments are stored and allocated oldest-first on every read.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import and_, case, extract, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..audit import record_event
from ..db import Database
from ..models import (CONTRACT_STATUS_LABELS, BusinessPlacement, ContractStatus, HouseOwner, LeaseContract, LeaseLessor, LeaseTerms,
                      OperatorReceipt, Person, PersonRole, Protection, RentPayment, Restoration, Role, StoredHouse)
from ..problems import InputError, Problem, collect, declare
from ..rules import lease as rules
from ..rules.masking import mask_name
from ..rules.sorting import address_key
from ..rules.text import normalize_text, parse_area
from . import events
from .events import Topic
from ._common import E_NOT_FOUND, get_or_refuse as _get  # noqa: F401 - E_NOT_FOUND: callers'

E_REQUIRED = declare("lease.required", "{label}不能为空", "{label} must not be empty")
E_PROTECTION = declare("lease.protection", "保护类别须为 文物 / 历史建筑 / 传统风貌 / 无",
                       "Protection must be one of 文物 / 历史建筑 / 传统风貌 / 无")
E_NO_LESSOR = declare("lease.no_lessor", "合同至少需要一位出租人（产权人）", "A contract needs at least one lessor (owner)")
E_ACTIVE_EXISTS = declare("lease.active_exists", "该房屋已有生效合同 {no}，请续签或先解除",
                          "This house already has the active contract {no}; renew it or end it first")
E_NOT_ACTIVE = declare("lease.not_active", "合同 {no} 的状态是“{status}”，不能再修改",
                       "Contract {no} is {status_en}; it cannot change")
E_AMOUNT = declare("lease.amount", "金额须大于 0", "The amount must be more than 0")
E_FUTURE = declare("lease.future_date", "付款日期不能晚于今天（{today}）", "The payment date cannot be after today ({today})")
E_BEFORE_START = declare("lease.before_start", "付款日期早于合同开始日期 {start}", "The payment date is before the contract start {start}")
E_REASON = declare("lease.reason", "请填写原因", "Please give a reason")
E_STEP_TEXT = declare("lease.step_text", "递增比例无法识别：{value}", "Unrecognised step-up percentage: {value}")
E_DUPLICATE_HOUSE = declare("lease.duplicate_house", "该地址已登记为收储房屋：{street}{number}",
                            "This address is already a stored house: {street} {number}")
E_DATES_ORDER = declare("lease.dates_order", "{label}不能早于开始日期 {start}", "{label} cannot be before the start {start}")
E_TOO_LONG = declare("lease.too_long", "{label}过长（最多 {limit} 字，现有 {count} 字）",
                     "{label} is too long (at most {limit} characters, {count} given)")
NAME_LIMIT = 100
E_VOIDED = declare("lease.voided", "该付款已作废", "This payment is already void")

EXPIRY_WARNING_DAYS = 183  # "expiring within 6 months"
BUSINESS_TYPES = ("非遗", "文创", "民宿", "餐饮", "工作室", "零售", "其他")
FUNDING_SOURCES = ("中央资金", "省级资金", "市级资金", "区级资金", "社会资本", "居民自筹", "其他")


# ---------------------------------------------------------------------------------------------
# Inputs and views
# ---------------------------------------------------------------------------------------------
@dataclass
class HouseInput:
    street: str
    number: str
    owner_ids: list[int]
    area: str | Decimal | None = None
    structure: str = ""
    built_year: int | None = None
    protection: str = Protection.NONE
    condition: str = ""
    fixtures: str = ""
    storage_date: date | None = None
    current_use: str = ""
    note: str = ""
    block_id: int | None = None


@dataclass
class TermsInput:
    start: date
    term_months: int
    base_annual_rent_fen: int
    step_percent: Decimal = Decimal("10")
    step_interval_years: int = 3
    compounding: bool = True
    frequency: str = "annual"
    due_day: int = 1
    deposit_fen: int = 0
    sublet_consent: bool = True
    improvement_consent: bool = True
    uses: str = ""
    renewal_terms: str = ""
    early_termination: str = ""
    signed_on: date | None = None

    def rule_terms(self) -> rules.LeaseTerms:
        return rules.LeaseTerms(self.start, self.term_months, self.base_annual_rent_fen, Decimal(self.step_percent),
                                self.step_interval_years, self.compounding, self.frequency, self.due_day)


@dataclass
class PaymentInput:
    contract_id: int
    paid_on: date
    amount_fen: int
    method: str = "银行转账"
    reference: str = ""
    paid_by: str = ""
    received_by: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class HouseRow:
    id: int
    address: str
    owners: tuple[str, ...]
    area: Decimal | None
    protection: str
    condition: str
    current_use: str
    restoration: str  # "" / 修缮中 / 已修缮
    business: str
    contract_id: int | None
    contract_no: str
    lease_end: date | None
    arrears_fen: int

    @property
    def owners_masked(self) -> str:
        return "、".join(mask_name(o) for o in self.owners)


@dataclass(frozen=True)
class PaymentView:
    id: int
    paid_on: date
    amount_fen: int
    method: str
    reference: str
    paid_by: str
    received_by: str
    note: str
    voided: bool
    void_reason: str


@dataclass
class ContractView:
    id: int
    contract_no: str
    status: str
    house_id: int
    house_address: str
    lessors: list[tuple[int, str, str | None, str | None]]  # (person id, name, id number, phone)
    version: int
    versions: list[tuple[int, date | None, str]]  # (version, signed_on, reason)
    terms: TermsInput
    end: date
    years: list[rules.LeaseYear]
    instalments: list[rules.Instalment]
    total_fen: int
    payments: list[PaymentView] = field(default_factory=list)
    renewed_from_id: int | None = None
    lessee_name: str = ""
    lessee_representative: str = ""
    lessee_address: str = ""

    def account(self, as_of: date) -> rules.Account:
        paid = [rules.PaymentIn(p.id, p.paid_on, p.amount_fen) for p in self.payments if not p.voided]
        return rules.account(self.instalments, paid, as_of)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def _bounded(value: str, field_name: str, label: str, problems: list[Problem], limit: int = NAME_LIMIT) -> None:
    if len(value) > limit:
        problems.append(Problem(E_TOO_LONG, {"label": label, "limit": limit, "count": len(value)}, field=field_name))


def _required(value: str, field_name: str, label: str, problems: list[Problem]) -> str:
    text = normalize_text(value or "")
    if not text:
        problems.append(Problem(E_REQUIRED, {"label": label}, field=field_name))
    return text


def _terms_row(terms: TermsInput) -> dict:
    return {k: getattr(terms, k) for k in (
        "start", "term_months", "base_annual_rent_fen", "step_percent", "step_interval_years", "compounding",
        "frequency", "due_day", "deposit_fen", "sublet_consent", "improvement_consent", "uses", "renewal_terms",
        "early_termination", "signed_on")}


def _check_terms(terms: TermsInput) -> None:
    problems: list[Problem] = []
    try:
        rules.validate_terms(terms.rule_terms())
    except InputError as exc:
        problems.extend(exc.problems)
    if terms.deposit_fen < 0:
        problems.append(Problem(E_AMOUNT, field="deposit"))
    if problems:
        raise InputError(problems)


def _next_contract_no(session: Session, when: date) -> str:
    prefix = f"SCZ-{when.year}-"
    last = session.scalar(select(func.max(LeaseContract.contract_no)).where(LeaseContract.contract_no.like(prefix + "%")))
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


# ---------------------------------------------------------------------------------------------
# Houses
# ---------------------------------------------------------------------------------------------
def _clean_house(data: HouseInput) -> tuple[dict, list[int]]:
    problems: list[Problem] = []
    street = _required(data.street, "street", "街巷", problems)
    number = _required(data.number, "number", "门牌号", problems)
    _bounded(street, "street", "街巷", problems)
    _bounded(number, "number", "门牌号", problems)
    area = collect(problems, parse_area, data.area)
    if data.protection not in {p.value for p in Protection}:
        problems.append(Problem(E_PROTECTION, field="protection", value=str(data.protection)))
    if not data.owner_ids:
        problems.append(Problem(E_NO_LESSOR, field="owners"))
    if problems:
        raise InputError(problems)
    fields = dict(street=street, number=number, area=area, structure=normalize_text(data.structure),
                  built_year=data.built_year, protection=data.protection, condition=normalize_text(data.condition),
                  fixtures=(data.fixtures or "").strip(), storage_date=data.storage_date,
                  current_use=normalize_text(data.current_use), note=(data.note or "").strip(), block_id=data.block_id)
    return fields, list(dict.fromkeys(data.owner_ids))


def _refuse_duplicate_address(s: Session, street: str, number: str, house_id: int | None = None) -> None:
    query = select(StoredHouse.id).where(StoredHouse.street == street, StoredHouse.number == number)
    if house_id is not None:
        query = query.where(StoredHouse.id != house_id)
    if s.scalars(query.limit(1)).first() is not None:
        raise InputError(Problem(E_DUPLICATE_HOUSE, {"street": street, "number": number}, field="number"))


def create_house(db: Database, data: HouseInput) -> int:
    fields, owners = _clean_house(data)
    with db.write() as s:
        _refuse_duplicate_address(s, fields["street"], fields["number"])
        for pid in owners:
            _get(s, Person, pid, "居民")
        house = StoredHouse(**fields)
        house.owners = [HouseOwner(person_id=pid) for pid in owners]
        s.add(house)
        s.flush()
        new_id = house.id
    events.announce(Topic.LEASES, [new_id])
    return new_id


def update_house(db: Database, house_id: int, data: HouseInput) -> None:
    fields, owners = _clean_house(data)
    with db.write() as s:
        house = _get(s, StoredHouse, house_id, "收储房屋")
        _refuse_duplicate_address(s, fields["street"], fields["number"], house_id)
        for key, value in fields.items():
            setattr(house, key, value)
        have = {o.person_id: o for o in house.owners}
        for pid, link in have.items():
            if pid not in owners:
                house.owners.remove(link)
                s.delete(link)
        for pid in owners:
            if pid not in have:
                _get(s, Person, pid, "居民")
                house.owners.append(HouseOwner(person_id=pid))
    events.announce(Topic.LEASES, [house_id])


def house_rows(db: Database, as_of: date | None = None,
               contracts: list[ContractView] | list[ContractRow] | None = None) -> list[HouseRow]:
    """The register: every stored house with owners, restoration, business and lease state (few queries).
    Pass `contracts` (full views or contract_rows for the same as_of) when the caller already loaded
    them, so they are not read twice."""
    as_of = as_of or date.today()
    contracts = {c.id: c for c in (contract_rows(db, as_of) if contracts is None else contracts)}
    by_house = {}
    for c in contracts.values():
        if c.status == ContractStatus.ACTIVE:
            by_house[c.house_id] = c
    with db.read() as s:
        houses = sorted(s.scalars(select(StoredHouse).options(
            selectinload(StoredHouse.owners).selectinload(HouseOwner.person))).all(),
            key=lambda h: address_key(h.street, h.number))  # 仁和里2号 before 仁和里10号
        restorations = {}
        for r in s.scalars(select(Restoration).order_by(Restoration.start_date)):
            restorations[r.house_id] = "修缮中" if r.end_date is None or r.end_date > as_of else "已修缮"
        businesses = {}
        for b in s.scalars(select(BusinessPlacement).order_by(BusinessPlacement.start_date)):
            if b.start_date <= as_of and (b.end_date is None or b.end_date >= as_of):
                businesses[b.house_id] = f"{b.business_type}·{b.operator_name}"
        rows = []
        for h in houses:
            c = by_house.get(h.id)
            rows.append(HouseRow(h.id, h.address, tuple(o.person.name for o in h.owners), h.area, h.protection,
                                 h.condition, h.current_use, restorations.get(h.id, ""), businesses.get(h.id, ""),
                                 c.id if c else None, c.contract_no if c else "", c.end if c else None,
                                 _arrears(c, as_of) if c else 0))
    return rows


DEFAULT_LESSEE = "幸福街道办事处"


def lessee_org(db: Database) -> str:
    """The sub-district's name as lessee: the office profile's name (设置 → 单位信息)."""
    from ..settings import office_profile

    return office_profile(db).name or DEFAULT_LESSEE


@dataclass(frozen=True)
class HouseDetail:
    id: int
    address: str
    area: Decimal | None
    structure: str
    fixtures: str
    protection: str
    condition: str
    built_year: int | None
    storage_date: date | None
    current_use: str


def house_input(db: Database, house_id: int) -> HouseInput:
    """A registered house as its form's input, to correct it (update_house)."""
    with db.read() as s:
        h = _get(s, StoredHouse, house_id, "收储房屋")
        return HouseInput(h.street, h.number, [o.person_id for o in h.owners],
                          None if h.area is None else str(h.area), h.structure, h.built_year, h.protection,
                          h.condition, h.fixtures, h.storage_date, h.current_use, h.note, h.block_id)


def house_detail(db: Database, house_id: int) -> HouseDetail:
    with db.read() as s:
        h = _get(s, StoredHouse, house_id, "收储房屋")
        return HouseDetail(h.id, h.address, h.area, h.structure, h.fixtures, h.protection, h.condition, h.built_year,
                           h.storage_date, h.current_use)


def person_address(db: Database, person_id: int) -> str:
    """Where a person lives, as the contract names it: their household's address, if any."""
    from ..models import Building, Household, Unit

    with db.read() as s:
        row = s.execute(select(Building.address, Building.name, Unit.name, Household.room)
                        .select_from(Person).join(Household, Household.id == Person.household_id)
                        .join(Unit).join(Building).where(Person.id == person_id)).first()
    return "" if row is None else f"{row[0]}{row[1]}{row[2]}{row[3]}"


def person_name(db: Database, person_id: int) -> str:
    with db.read() as s:
        return _get(s, Person, person_id, "居民").name


def house_owner_ids(db: Database, house_id: int) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(HouseOwner.person_id).where(HouseOwner.house_id == house_id)
                              .order_by(HouseOwner.id)))


def _clean_restoration(works: str, start_date: date | None, end_date: date | None, cost_fen: int,
                       funding_source: str, resident_participation: str, note: str, problems: list[Problem]) -> dict:
    works = _required(works, "works", "修缮内容", problems)
    if cost_fen < 0:
        problems.append(Problem(E_AMOUNT, field="money"))
    if start_date and end_date and end_date < start_date:
        problems.append(Problem(E_DATES_ORDER, {"label": "完工日期", "start": start_date.isoformat()}, field="end_date"))
    _bounded(funding_source or "", "funding_source", "资金来源", problems)
    if problems:
        raise InputError(problems)
    return dict(works=works, start_date=start_date, end_date=end_date, cost_fen=cost_fen, funding_source=funding_source,
                resident_participation=resident_participation.strip(), note=note.strip())


def add_restoration(db: Database, house_id: int, works: str, start_date: date | None, end_date: date | None,
                    cost_fen: int, funding_source: str, resident_participation: str = "", note: str = "") -> int:
    fields = _clean_restoration(works, start_date, end_date, cost_fen, funding_source, resident_participation, note, [])
    with db.write() as s:
        _get(s, StoredHouse, house_id, "收储房屋")
        row = Restoration(house_id=house_id, **fields)
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(Topic.LEASES, [house_id])
    return new_id


@dataclass(frozen=True)
class RestorationView:
    id: int
    works: str
    start_date: date | None
    end_date: date | None
    cost_fen: int
    funding_source: str
    resident_participation: str
    note: str


def latest_restoration(db: Database, house_id: int) -> RestorationView | None:
    """The house's latest restoration works (the one a correction opens)."""
    with db.read() as s:
        r = s.scalar(select(Restoration).where(Restoration.house_id == house_id).order_by(Restoration.id.desc()))
        return None if r is None else RestorationView(r.id, r.works, r.start_date, r.end_date, r.cost_fen,
                                                      r.funding_source, r.resident_participation, r.note)


def amend_restoration(db: Database, restoration_id: int, works: str, start_date: date | None, end_date: date | None,
                      cost_fen: int, funding_source: str, resident_participation: str, reason: str,
                      note: str = "") -> None:
    """更正修缮记录: works, dates, cost or funding recorded wrong; corrected with a reason, audited with what
    they were; a refused correction writes nothing."""
    problems: list[Problem] = []
    reason = normalize_text(reason)
    if not reason:
        problems.append(Problem(E_REASON, field="reason"))
    fields = _clean_restoration(works, start_date, end_date, cost_fen, funding_source, resident_participation, note,
                                problems)
    with db.write(note=f"更正修缮记录：{reason}") as s:
        row = _get(s, Restoration, restoration_id, "修缮记录")
        before = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in
                  ((k, getattr(row, k)) for k in fields) if v != fields[k]}
        for key, value in fields.items():
            setattr(row, key, value)
        record_event(s, "amend", "restoration", row.id, row.uuid, note=reason, after={"before": before})
        house_id = row.house_id
    events.announce(Topic.LEASES, [house_id])


def place_business(db: Database, house_id: int, operator_name: str, business_type: str, start_date: date,
                   annual_rent_fen: int = 0, heritage_project: str = "", end_date: date | None = None,
                   note: str = "") -> int:
    problems: list[Problem] = []
    operator_name = _required(operator_name, "operator", "经营者", problems)
    business_type = _required(business_type, "business_type", "业态", problems)
    _bounded(operator_name, "operator", "经营者", problems)
    _bounded(business_type, "business_type", "业态", problems)
    _bounded(normalize_text(heritage_project), "heritage_project", "非遗项目", problems)
    if end_date and end_date < start_date:
        problems.append(Problem(E_DATES_ORDER, {"label": "结束日期", "start": start_date.isoformat()}, field="end_date"))
    if annual_rent_fen < 0:
        problems.append(Problem(E_AMOUNT, field="money"))
    if problems:
        raise InputError(problems)
    with db.write() as s:
        _get(s, StoredHouse, house_id, "收储房屋")
        row = BusinessPlacement(house_id=house_id, operator_name=operator_name, business_type=business_type,
                                heritage_project=normalize_text(heritage_project), start_date=start_date,
                                end_date=end_date, annual_rent_fen=annual_rent_fen, note=note.strip())
        s.add(row)
        s.flush()
        new_id = row.id
    events.announce(Topic.LEASES, [house_id])
    return new_id


def record_operator_receipt(db: Database, placement_id: int, received_on: date, amount_fen: int,
                            reference: str = "") -> int:
    if amount_fen <= 0:
        raise InputError(Problem(E_AMOUNT, field="money"))
    with db.write() as s:
        _get(s, BusinessPlacement, placement_id, "入驻业态")
        row = OperatorReceipt(placement_id=placement_id, received_on=received_on, amount_fen=amount_fen,
                              reference=normalize_text(reference))
        s.add(row)
        s.flush()
        return row.id


# ---------------------------------------------------------------------------------------------
# Contracts
# ---------------------------------------------------------------------------------------------
def create_contract(db: Database, house_id: int, lessor_ids: list[int], terms: TermsInput, *,
                    lessee_name: str = "", lessee_representative: str = "", lessee_address: str = "",
                    renewed_from_id: int | None = None, contract_no: str | None = None) -> int:
    _check_terms(terms)
    if not lessor_ids:
        raise InputError(Problem(E_NO_LESSOR, field="lessors"))
    from ..settings import office_profile

    office = office_profile(db)  # the lessee, unless given: the office's profile (设置 → 单位信息)
    with db.write() as s:
        _get(s, StoredHouse, house_id, "收储房屋")
        active = s.scalar(select(LeaseContract).where(LeaseContract.house_id == house_id,
                                                      LeaseContract.status == ContractStatus.ACTIVE))
        if active is not None and active.id != renewed_from_id:
            raise InputError(Problem(E_ACTIVE_EXISTS, {"no": active.contract_no}))
        for pid in lessor_ids:
            _get(s, Person, pid, "居民")
        contract = LeaseContract(contract_no=contract_no or _next_contract_no(s, terms.start), house_id=house_id,
                                 lessee_name=normalize_text(lessee_name) or office.name,
                                 renewed_from_id=renewed_from_id,
                                 lessee_representative=normalize_text(lessee_representative) or office.head,
                                 lessee_address=normalize_text(lessee_address) or office.address)
        contract.lessors = [LeaseLessor(person_id=pid) for pid in dict.fromkeys(lessor_ids)]
        contract.versions = [LeaseTerms(version=1, reason="签订", **_terms_row(terms))]
        s.add(contract)
        s.flush()
        new_id = contract.id
    events.announce(Topic.LEASES, [new_id])
    return new_id


def _not_active(contract: LeaseContract) -> dict[str, str]:
    zh, en = CONTRACT_STATUS_LABELS.get(contract.status, (contract.status, contract.status))
    return {"no": contract.contract_no, "status": zh, "status_en": en}


def amend_contract(db: Database, contract_id: int, terms: TermsInput, reason: str) -> int:
    """A new version of the terms; earlier versions stay as they were. Returns the new version number."""
    _check_terms(terms)
    reason = normalize_text(reason)
    if not reason:
        raise InputError(Problem(E_REASON, field="reason"))
    with db.write() as s:
        contract = _get(s, LeaseContract, contract_id, "合同")
        if contract.status != ContractStatus.ACTIVE:
            raise InputError(Problem(E_NOT_ACTIVE, _not_active(contract)))
        version = max(v.version for v in contract.versions) + 1
        s.add(LeaseTerms(contract_id=contract_id, version=version, reason=reason, **_terms_row(terms)))
    events.announce(Topic.LEASES, [contract_id])
    return version


def amend_parties(db: Database, contract_id: int, lessor_ids: list[int], lessee_name: str,
                  lessee_representative: str, lessee_address: str, reason: str) -> None:
    """更正合同当事人: the lessors (owners who sign) or the lessee's name, representative and address were
    recorded wrong; corrected with a reason, audited with what they were. The terms stay as they are."""
    problems: list[Problem] = []
    reason = normalize_text(reason)
    if not reason:
        problems.append(Problem(E_REASON, field="reason"))
    if not lessor_ids:
        problems.append(Problem(E_NO_LESSOR, field="lessors"))
    names = {"lessee_name": normalize_text(lessee_name), "lessee_representative": normalize_text(lessee_representative),
             "lessee_address": normalize_text(lessee_address)}
    _required(names["lessee_name"], "lessee_name", "承租方", problems)
    _bounded(names["lessee_name"], "lessee_name", "承租方", problems)
    _bounded(names["lessee_representative"], "lessee_representative", "承租方负责人", problems, 50)
    _bounded(names["lessee_address"], "lessee_address", "承租方住所", problems, 200)
    if problems:
        raise InputError(problems)
    with db.write(note=f"更正合同当事人：{reason}") as s:
        contract = _get(s, LeaseContract, contract_id, "合同")
        for pid in lessor_ids:
            _get(s, Person, pid, "居民")
        before = {"lessors": [link.person_id for link in contract.lessors],
                  **{k: getattr(contract, k) for k in names}}
        for key, value in names.items():
            setattr(contract, key, value)
        wanted = list(dict.fromkeys(lessor_ids))
        if wanted != before["lessors"]:
            contract.lessors.clear()
            s.flush()
            contract.lessors.extend(LeaseLessor(person_id=pid) for pid in wanted)
        record_event(s, "amend", "lease_contract", contract.id, contract.uuid, note=f"{contract.contract_no}：{reason}",
                     after={"before": before})
    events.announce(Topic.LEASES, [contract_id])


def renew_contract(db: Database, contract_id: int, terms: TermsInput) -> int:
    """A new contract linked to the old one (which becomes 已续签); the term again at most 20 years."""
    old = contract_view(db, contract_id)
    if old.status != ContractStatus.ACTIVE:
        raise InputError(Problem(E_NOT_ACTIVE, _not_active(old)))
    new_id = create_contract(db, old.house_id, [lessor[0] for lessor in old.lessors], terms,
                             lessee_name=old.lessee_name, lessee_representative=old.lessee_representative,
                             lessee_address=old.lessee_address, renewed_from_id=contract_id)
    with db.write() as s:
        _get(s, LeaseContract, contract_id, "合同").status = ContractStatus.RENEWED
    events.announce(Topic.LEASES, [contract_id, new_id])
    return new_id


def terminate_contract(db: Database, contract_id: int, on: date, reason: str) -> None:
    reason = normalize_text(reason)
    if not reason:
        raise InputError(Problem(E_REASON, field="reason"))
    with db.write() as s:
        contract = _get(s, LeaseContract, contract_id, "合同")
        if contract.status != ContractStatus.ACTIVE:
            raise InputError(Problem(E_NOT_ACTIVE, _not_active(contract)))
        contract.status, contract.terminated_on, contract.termination_reason = \
            ContractStatus.TERMINATED, on, reason
    events.announce(Topic.LEASES, [contract_id])


def _view(c: LeaseContract, payments: list[RentPayment], full: bool) -> ContractView:
    from .households import masked_id, masked_phone

    current = c.versions[-1]
    terms = TermsInput(**{k: getattr(current, k) for k in _terms_row(TermsInput(date.today(), 1, 1))})
    rule_terms = terms.rule_terms()
    return ContractView(
        c.id, c.contract_no, c.status, c.house_id, c.house.address,
        [(link.person.id, link.person.name, link.person.id_number, link.person.phone) if full else
         (link.person.id, link.person.name, masked_id(link.person.id_number), masked_phone(link.person.phone))
         for link in c.lessors],
        current.version, [(v.version, v.signed_on, v.reason) for v in c.versions], terms,
        rules.lease_end(rule_terms), rules.annual_rents(rule_terms), rules.schedule(rule_terms),
        rules.total_rent_fen(rule_terms),
        [PaymentView(p.id, p.paid_on, p.amount_fen, p.method, p.reference, p.paid_by, p.received_by, p.note,
                     p.voided, p.void_reason) for p in payments],
        c.renewed_from_id, c.lessee_name, c.lessee_representative, c.lessee_address)


def contract_views(db: Database, contract_ids: list[int] | None = None, *,
                   full: str | bool = False) -> list[ContractView]:
    """Contracts with their current terms, schedules and payments (a fixed number of queries).

    Lessors' ID numbers and phones come masked unless `full`: then the role must allow "reveal"; a reason
    (text) is written to the audit log as a reveal, True is for a caller that logs it itself (a printed contract
    records its print-full entry)."""
    if full:
        db.require("reveal")
    with db.read() as s:
        query = select(LeaseContract).options(
            selectinload(LeaseContract.versions), selectinload(LeaseContract.house),
            selectinload(LeaseContract.lessors).selectinload(LeaseLessor.person)).order_by(LeaseContract.contract_no)
        if contract_ids is not None:
            query = query.where(LeaseContract.id.in_(contract_ids))
        contracts = s.scalars(query).all()
        payments: dict[int, list[RentPayment]] = {}
        pay_query = select(RentPayment).order_by(RentPayment.paid_on, RentPayment.id)
        if contract_ids is not None:
            pay_query = pay_query.where(RentPayment.contract_id.in_(contract_ids))
        for p in s.scalars(pay_query):
            payments.setdefault(p.contract_id, []).append(p)
        views = [_view(c, payments.get(c.id, []), bool(full)) for c in contracts]
    if isinstance(full, str) and full:
        with db.write(need="reveal") as s:
            record_event(s, "reveal", "lease_contract", note=full, after={"contracts": [v.id for v in views]})
    return views


def contract_view(db: Database, contract_id: int, *, full: str | bool = False) -> ContractView:
    found = contract_views(db, [contract_id], full=full)
    if not found:
        raise InputError(Problem(E_NOT_FOUND, {"kind": "合同", "id": contract_id}))
    return found[0]


# ---------------------------------------------------------------------------------------------
# Payments
# ---------------------------------------------------------------------------------------------
def _check_payment(data: PaymentInput, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if data.amount_fen <= 0:
        problems.append(Problem(E_AMOUNT, field="money", value=str(data.amount_fen)))
    if data.paid_on > today:
        problems.append(Problem(E_FUTURE, {"today": today.isoformat()}, field="date"))
    return problems


def _add_payment(s: Session, data: PaymentInput, problems: list[Problem]) -> int:
    contract = _get(s, LeaseContract, data.contract_id, "合同")
    start = contract.versions[0].start
    if data.paid_on < start:
        problems.append(Problem(E_BEFORE_START, {"start": start.isoformat()}, field="date"))
    if problems:
        raise InputError(problems)
    row = RentPayment(contract_id=data.contract_id, paid_on=data.paid_on, amount_fen=data.amount_fen,
                      method=normalize_text(data.method), reference=normalize_text(data.reference),
                      paid_by=normalize_text(data.paid_by), received_by=normalize_text(data.received_by),
                      note=(data.note or "").strip())
    s.add(row)
    s.flush()
    return row.id


def record_payment(db: Database, data: PaymentInput, today: date | None = None) -> int:
    """Rent paid to the owner(s); back-dated payments are fine, future ones are refused."""
    problems = _check_payment(data, today or date.today())
    with db.write() as s:
        new_id = _add_payment(s, data, problems)
    events.announce(Topic.LEASES, [data.contract_id])
    return new_id


def _void_payment(s: Session, payment_id: int, reason: str) -> RentPayment:
    payment = _get(s, RentPayment, payment_id, "付款")
    if payment.voided:
        raise InputError(Problem(E_VOIDED))
    payment.voided, payment.void_reason = True, reason
    return payment


def void_payment(db: Database, payment_id: int, reason: str) -> None:
    reason = normalize_text(reason)
    if not reason:
        raise InputError(Problem(E_REASON, field="reason"))
    with db.write(note=f"作废付款：{reason}") as s:
        contract_id = _void_payment(s, payment_id, reason).contract_id
    events.announce(Topic.LEASES, [contract_id])


def amend_payment(db: Database, payment_id: int, data: PaymentInput, reason: str, today: date | None = None) -> int:
    """更正付款: a payment recorded with the wrong date, amount or reference is voided with the reason and
    the corrected one recorded, in one transaction (both stay on the statement; audited). Returns the new id."""
    problems = _check_payment(data, today or date.today())
    reason = normalize_text(reason)
    if not reason:
        problems.append(Problem(E_REASON, field="reason"))
    with db.write(note=f"更正付款：{reason}") as s:
        old = _void_payment(s, payment_id, f"更正：{reason}")
        data = PaymentInput(old.contract_id, data.paid_on, data.amount_fen, data.method, data.reference,
                            data.paid_by, data.received_by, data.note)
        new_id = _add_payment(s, data, problems)
        record_event(s, "amend", "rent_payment", old.id, old.uuid, note=reason,
                     after={"replaced_by": new_id, "amount_fen": data.amount_fen, "paid_on": data.paid_on.isoformat()})
    events.announce(Topic.LEASES, [data.contract_id])
    return new_id


# ---------------------------------------------------------------------------------------------
# Dashboard
# ---------------------------------------------------------------------------------------------
@dataclass
class Dashboard:
    as_of: date
    houses: int
    occupied: int
    restoring: int
    active_contracts: int
    expiring: list[tuple[str, str, date]]  # (contract no, address, end) within 6 months
    arrears_fen: int
    arrears_contracts: int
    ageing: dict[str, int]
    due_this_month_fen: int
    due_this_quarter_fen: int
    rent_by_year: dict[int, int]  # calendar year -> rent due to owners (whole horizon)
    income_by_year: dict[int, int]  # calendar year -> rent received from operators


def dashboard(db: Database, as_of: date | None = None, rows: list[HouseRow] | None = None,
              all_contracts: list[ContractView] | list[ContractRow] | None = None) -> Dashboard:
    """Figures for the 看板; reuses the register rows and contracts when the caller has them."""
    as_of = as_of or date.today()
    all_contracts = contract_rows(db, as_of) if all_contracts is None else all_contracts
    rows = house_rows(db, as_of, all_contracts) if rows is None else rows
    contracts = [c for c in all_contracts if c.status == ContractStatus.ACTIVE]
    month_start = as_of.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    q_first = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    q_end = (date(q_first.year + (q_first.month + 2) // 12, (q_first.month + 2) % 12 + 1, 1) - timedelta(days=1))
    ageing = {"le30": 0, "31to90": 0, "gt90": 0}
    arrears = due_month = due_quarter = arrears_contracts = 0
    rent_by_year: dict[int, int] = {}
    for c in contracts:
        if isinstance(c, ContractRow):  # the lean row: figures from its plan and paid total
            acc = c.figures
            by_year = c.plan.by_year
        else:
            acc = c.account(as_of)
            by_year = _by_year(c.instalments)
        arrears += acc.arrears_fen
        arrears_contracts += 1 if acc.arrears_fen else 0
        for key, value in acc.ageing.items():
            ageing[key] = ageing.get(key, 0) + value
        due_month += acc.due_between(month_start, month_end)
        due_quarter += acc.due_between(q_first, q_end)
        for year, amount in by_year:
            rent_by_year[year] = rent_by_year.get(year, 0) + amount
    with db.read() as s:
        year = extract("year", OperatorReceipt.received_on)
        income = dict(s.execute(select(year, func.sum(OperatorReceipt.amount_fen)).group_by(year)).all())
    expiring = sorted(((c.contract_no, c.house_address, c.end) for c in contracts
                       if as_of <= c.end <= as_of + timedelta(days=EXPIRY_WARNING_DAYS)), key=lambda e: e[2])
    return Dashboard(as_of, len(rows), sum(1 for r in rows if r.business), sum(1 for r in rows if r.restoration == "修缮中"),
                     len(contracts), expiring, arrears, arrears_contracts, ageing, due_month, due_quarter,
                     dict(sorted(rent_by_year.items())), {int(k): int(v) for k, v in income.items()})


def find_people(db: Database, text: str, limit: int = 20) -> list[tuple[int, str, str]]:
    """People to pick as owners/lessors: (id, name, masked id number)."""
    from ..rules.masking import mask_id_number
    from ..rules.search import normalize_query, variant_forms

    query = normalize_query(text)
    with db.read() as s:
        q = select(Person.id, Person.name, Person.id_number).order_by(Person.name).limit(limit)
        if query:  # 王吉 also finds 王𠮷
            q = q.where(or_(*(Person.name.contains(f, autoescape=True) for f in variant_forms(query))))
        return [(pid, name, mask_id_number(idn or "")) for pid, name, idn in s.execute(q)]


def add_person(db: Database, name: str, id_number: str | None = None, phone: str | None = None,
               role: str = Role.OWNER.value) -> int:
    """A person outside any household (an owner who lives elsewhere, a supervisor from a nearby
    street), validated like household members."""
    from .households import PersonInput, clean_person

    clean = clean_person(PersonInput(name, id_number, phone, roles=(role,)))
    with db.write() as s:
        person = Person(name=clean.name, id_number=clean.id_number, phone=clean.phone, gender=clean.gender,
                        birth_date=clean.birth_date, roles=[PersonRole(role=role)])
        s.add(person)
        s.flush()
        return person.id


def register_view(db: Database, as_of: date) -> tuple[list[HouseRow], list[ContractRow], Dashboard]:
    """Everything the 收储租 page shows on open: lean contract rows (no schedules or payments kept;
    contract_view loads one contract in full when it is opened)."""
    contracts = contract_rows(db, as_of)
    rows = house_rows(db, as_of, contracts)
    return rows, contracts, dashboard(db, as_of, rows, contracts)


# ---------------------------------------------------------------------------------------------
# The register at scale: contract rows without schedules or payments
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Plan:
    """What the register needs of a contract's schedule (rules.schedule of its current terms): the
    instalments' due dates (ordinals) and amounts in the order payments settle them, and the rent
    falling due per calendar year. Arrays keep 2,000 contracts × 100 instalments small."""
    end: date
    due: array  # date ordinals, by (due date, seq)
    amount: array  # fen, same order
    cumulative: array  # len + 1: amount due before each instalment (and in total)
    by_year: tuple[tuple[int, int], ...]


@lru_cache(maxsize=4096)
def plan_of(terms: rules.LeaseTerms) -> Plan:
    items = sorted(rules.schedule(terms), key=lambda i: (i.due_date, i.seq))
    cumulative = array("q", [0])
    for inst in items:
        cumulative.append(cumulative[-1] + inst.amount_fen)
    return Plan(rules.lease_end(terms), array("q", [i.due_date.toordinal() for i in items]),
                array("q", [i.amount_fen for i in items]), cumulative, _by_year(items))


def _by_year(instalments) -> tuple[tuple[int, int], ...]:
    years: dict[int, int] = {}
    for inst in instalments:
        years[inst.due_date.year] = years.get(inst.due_date.year, 0) + inst.amount_fen
    return tuple(years.items())


@dataclass(frozen=True, slots=True)
class Figures:
    """The parts of rules.account the register and dashboard show, from the total paid up to as_of.
    Payments settle instalments oldest first (rules.account), so instalment k has received
    min(max(paid − due before k, 0), its amount) whatever the single payments were."""
    as_of: date
    plan: Plan
    paid_fen: int

    @property
    def arrears_fen(self) -> int:
        return sum(self.ageing.values())

    @property
    def ageing(self) -> dict[str, int]:
        out = dict.fromkeys(rules.BUCKETS, 0)
        plan, today = self.plan, self.as_of.toordinal()
        start = bisect_right(plan.cumulative, self.paid_fen) - 1  # first instalment not fully paid
        for k in range(max(start, 0), bisect_left(plan.due, today)):  # due strictly before as_of
            open_ = plan.amount[k] - min(max(self.paid_fen - plan.cumulative[k], 0), plan.amount[k])
            if open_:
                out[rules.bucket_for(today - plan.due[k])] += open_
        return out

    def due_between(self, start: date, end: date) -> int:
        plan = self.plan
        return (plan.cumulative[bisect_right(plan.due, end.toordinal())]
                - plan.cumulative[bisect_left(plan.due, start.toordinal())])


@dataclass(frozen=True, slots=True)
class ContractRow:
    """One line of the contract list: what the register shows, with the arrears as of `as_of`."""
    id: int
    contract_no: str
    status: str
    house_id: int
    house_address: str
    lessor_names: tuple[str, ...]
    end: date
    figures: Figures

    @property
    def plan(self) -> Plan:
        return self.figures.plan

    @property
    def arrears_fen(self) -> int:
        return self.figures.arrears_fen


def _arrears(c: ContractView | ContractRow, as_of: date) -> int:
    return c.arrears_fen if isinstance(c, ContractRow) else c.account(as_of).arrears_fen


def contract_rows(db: Database, as_of: date) -> list[ContractRow]:
    """Every contract for the register, by contract number: current terms, lessors, and the total paid
    up to as_of summed by SQLite; each schedule is computed once per distinct terms (plan_of) and kept
    only as its plan. A contract with a non-positive payment on record is settled by rules.account,
    which refuses it exactly as contract_views would."""
    term_fields = [f.name for f in dataclass_fields(rules.LeaseTerms)]
    with db.read() as s:
        contracts = s.execute(select(LeaseContract.id, LeaseContract.contract_no, LeaseContract.status,
                                     LeaseContract.house_id, StoredHouse.street, StoredHouse.number)
                              .join(StoredHouse, StoredHouse.id == LeaseContract.house_id)
                              .order_by(LeaseContract.contract_no)).all()
        latest = (select(LeaseTerms.contract_id, func.max(LeaseTerms.version).label("version"))
                  .group_by(LeaseTerms.contract_id).subquery())
        terms = {cid: rules.LeaseTerms(start, months, base, Decimal(step), interval, compounding, frequency, due_day)
                 for cid, start, months, base, step, interval, compounding, frequency, due_day in s.execute(
            select(LeaseTerms.contract_id, *(getattr(LeaseTerms, name) for name in term_fields))
            .join(latest, and_(latest.c.contract_id == LeaseTerms.contract_id, latest.c.version == LeaseTerms.version)))}
        lessors: dict[int, list[str]] = {}
        for contract_id, name in s.execute(select(LeaseLessor.contract_id, Person.name)
                                           .join(Person, Person.id == LeaseLessor.person_id).order_by(LeaseLessor.id)):
            lessors.setdefault(contract_id, []).append(name)
        paid = {cid: (total or 0, bad or 0) for cid, total, bad in s.execute(
            select(RentPayment.contract_id,
                   func.sum(case((RentPayment.paid_on <= as_of, RentPayment.amount_fen), else_=0)),
                   func.sum(case((RentPayment.amount_fen <= 0, 1), else_=0)))
            .where(RentPayment.voided.is_(False)).group_by(RentPayment.contract_id))}
    out = []
    for cid, no, status, house_id, street, number in contracts:
        total, bad = paid.get(cid, (0, 0))
        if bad:
            contract_view(db, cid).account(as_of)  # raises the rule's own error for the bad payment
        rule_terms = terms[cid]
        plan = plan_of(rule_terms)
        out.append(ContractRow(cid, no, status, house_id, f"{street}{number}", tuple(lessors.get(cid, ())), plan.end,
                               Figures(as_of, plan, total)))
    return out
