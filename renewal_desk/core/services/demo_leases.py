"""Demo rent-storage records modelled on Yangzhou 仁丰里 (seed 002): 42 street-front houses taken into
storage, leases of 10–20 years started over the past six years with +10% every 3 years, payments
with some arrears, and 21 heritage businesses. All names and numbers are fictional."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from .. import settings
from ..db import Database
from ..models import Protection
from ..rules.idcard import make_id_number
from .demo_names import GIVEN, MOBILE_PREFIXES, SURNAMES
from .leases import (HouseInput, PaymentInput, TermsInput, add_person, add_restoration, create_contract,
                     create_house, place_business, record_operator_receipt, record_payment)

HOUSES = 42
STREET = "仁和里"
HERITAGE = ("扬州剪纸", "漆器髹饰", "玉雕", "古籍修复", "雕版印刷", "扬派盆景", "扬州弹词", "木偶制作", "通草花",
            "扬州评话", "宝应绣", "灯彩", "扬州刺绣", "核雕", "竹刻", "古琴斫制", "毛笔制作", "香包", "茶点技艺",
            "糖画", "面塑")
STRUCTURES = ("砖木", "木结构", "砖混")
PROTECTIONS = (Protection.HISTORIC, Protection.TRADITIONAL, Protection.TRADITIONAL, Protection.NONE, Protection.RELIC)
CONDITIONS = ("良好", "一般", "较差")


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, min(d.day, 28))


DEMO_OFFICE = {settings.OFFICE_NAME.key: "幸福街道办事处", settings.OFFICE_ADDRESS.key: "扬州市幸福路1号",
               settings.OFFICE_HEAD.key: "周明远", settings.OFFICE_PHONE.key: "0514-87230001",
               settings.OFFICE_SEAL.key: "扬州市幸福街道办事处"}


def generate_lease_demo(db: Database, seed: int = 1, today: date | None = None) -> int:
    """Create the demo register; returns the number of houses. Runs through the services (audited)."""
    rng = random.Random(seed * 7919)
    today = today or date.today()
    made = 0
    settings.save(db, DEMO_OFFICE)  # the demo office's profile: the lessee block of every contract
    from .leases import house_rows

    first = len(house_rows(db))  # a second demo in the same file numbers its houses on (addresses are unique)
    for i in range(HOUSES):
        owner_name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 40))
        owner = add_person(db, owner_name, make_id_number("321002", birth, rng.randint(0, 999)),
                           rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}")
        storage = today - timedelta(days=rng.randint(200, 6 * 365))
        if i == 1:
            storage = _add_months(today.replace(day=1), -117)
        house = create_house(db, HouseInput(
            STREET, f"{2 * (first + i) + 1}号", [owner], area=Decimal(rng.randint(3500, 16000)) / 100,
            structure=rng.choice(STRUCTURES), built_year=rng.choice((1912, 1928, 1936, 1950, 1962, 1978)),
            protection=rng.choice(PROTECTIONS), condition=rng.choice(CONDITIONS), storage_date=storage,
            current_use="沿街商铺", fixtures="木门窗、天井、水电表各一"))
        start = storage.replace(day=1)
        term = rng.choice((120, 144, 180, 240))
        if i == 1:  # one lease signed ten years ago: it ends in about three months (概览 lists it as expiring)
            term = 120
        frequency = rng.choice(("annual", "annual", "semiannual", "quarterly"))
        base = rng.randint(60, 300) * 10000  # ¥6,000–30,000 a year
        contract = create_contract(db, house, [owner], TermsInput(
            start, term, base, frequency=frequency, due_day=rng.choice((1, 5, 10, 15)), deposit_fen=base // 4,
            uses="非遗展示、文创经营、民宿、餐饮（不得从事有噪声、油烟扰民的经营）", signed_on=start,
            renewal_terms="期满前三个月协商续租，续租期限不超过二十年", early_termination="任一方提前三个月书面通知"),
            )  # the lessee: the demo office's profile (set above)
        # Payments: most owners fully paid; some behind by one or two instalments.
        from .leases import contract_view

        view = contract_view(db, contract)
        behind = rng.random() < 0.25
        due = [inst for inst in view.instalments if inst.due_date <= today]
        paid_until = len(due) - (rng.choice((1, 2)) if behind and due else 0)
        for inst in due[:max(0, paid_until)]:
            paid_on = min(today, inst.due_date + timedelta(days=rng.randint(0, 20)))
            record_payment(db, PaymentInput(contract, paid_on, inst.amount_fen, reference=f"ZZ{contract:03d}{inst.seq:03d}",
                                            paid_by="街道财务", received_by=owner_name), today=today)
        if i % 3 == 0:
            add_restoration(db, house, "屋面翻修、木构件加固、立面恢复", storage + timedelta(days=30),
                            None if i % 9 == 0 else storage + timedelta(days=150), rng.randint(8, 40) * 1_000_000,
                            rng.choice(("区级资金", "市级资金", "社会资本")), "居民参与方案讨论和竣工验收")
        if i < len(HERITAGE):
            placement = place_business(db, house, f"{HERITAGE[i]}工作室", "非遗", _add_months(start, 4),
                                       annual_rent_fen=int(base * 1.3), heritage_project=HERITAGE[i])
            for year in range(_add_months(start, 4).year, today.year + 1):
                received = date(year, 6, 30)
                if received <= today:
                    record_operator_receipt(db, placement, received, int(base * 1.3), f"JY{placement:03d}{year}")
        made += 1
    return made
