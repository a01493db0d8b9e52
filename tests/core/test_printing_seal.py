"""The office profile's seal text (设置 → 单位信息 → 印章文字) is written where the office seals: the
rectification notice's issuer line, the meeting and resolution notices' 落款, the ordering results notice,
the lease contract's lessee block, the rent schedule and statement. Without a seal text the office name
stands there; without a profile, what the printouts named before. Read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from renewal_desk.core import settings
from renewal_desk.core.models import LeaseContract, Meeting, OrderingRound, RectificationNotice
from renewal_desk.core.services.demo import generate_demo
from renewal_desk.core.services.printouts import print_document

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
SEAL = "扬州市广陵区幸福街道办事处"
NAME = "幸福街道办事处"  # the lessee the demo contracts name


def _text(path) -> str:
    return "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())


@pytest.fixture
def records(db):
    generate_demo(db, households=12, seed=7, with_records=True)
    with db.read() as s:
        first = {model: s.scalar(select(model.id).order_by(model.id)) for model in
                 (LeaseContract, Meeting, OrderingRound, RectificationNotice)}
    return db, first


DOCS = [("rectification-notice", RectificationNotice), ("meeting-notice", Meeting), ("resolution-notice", Meeting),
        ("ordering-notice", OrderingRound), ("lease-contract", LeaseContract), ("rent-schedule", LeaseContract),
        ("rent-statement", LeaseContract)]


def _print_all(db, first, tmp_path) -> dict[str, str]:
    texts = {}
    for name, model in DOCS:
        out = tmp_path / f"{name}.pdf"
        print_document(db, name, first[model], out, as_of=date(2026, 12, 1), replace=True)
        texts[name] = _text(out)
    return texts


def _sealed(name: str, seal: str) -> str:
    return f"特此通知。{seal}" if name == "meeting-notice" else f"{seal}（盖章）"  # the meeting notice: no 盖章 word


def test_the_seal_text_is_printed_where_the_office_seals(records, tmp_path):
    db, first = records
    assert settings.office_profile(db).seal_text == "扬州市幸福街道办事处"  # the demo's profile
    settings.save(db, {"office.seal_text": SEAL})
    after = _print_all(db, first, tmp_path)
    for name, text in after.items():
        assert _sealed(name, SEAL) in text, name
    assert "签发单位：" in after["rectification-notice"]
    assert f"乙方（承租人）：{SEAL}（盖章）" in after["lease-contract"]
    assert f"承租人：{SEAL}（盖章）" in after["rent-schedule"]
    assert "街道（盖章）" not in after["rent-statement"]

    settings.save(db, {"office.seal_text": ""})  # no seal text: the office's name seals
    named = _print_all(db, first, tmp_path)
    for name, text in named.items():
        assert _sealed(name, NAME) in text and SEAL not in text, name
