"""Every page of every printout carries a QR code of its document number, kind, record and page
(core.printing.codes.PageCode), beside the page numbers: printed through print_document, rendered to
images with pdftoppm and read back with zxing-cpp, as a scan of the paper would be."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from renewal_desk.core.models import (Acceptance, Building, DesignerOpinion, LeaseContract, Meeting,
                                      RectificationNotice)
from renewal_desk.core.printing import codes
from renewal_desk.core.services.printouts import print_document

pytestmark = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
                                reason="poppler-utils (pdftoppm, pdftotext) not installed")
zxingcpp = pytest.importorskip("zxingcpp")


def page_images(pdf: Path, dpi: int = 150) -> list[Path]:
    """The PDF's pages as PNG files (pdftoppm), in page order."""
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(stem)], check=True)
    return sorted(pdf.parent.glob(stem.name + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def read_codes(image: Path) -> list[str]:
    from PIL import Image

    with Image.open(image) as img:
        return [r.text for r in zxingcpp.read_barcodes(img) if r.format == zxingcpp.BarcodeFormat.QRCode]


def printed_doc_no(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.search(r"文书编号：(\S+)", text).group(1)


@pytest.fixture
def records(records_db):
    db = records_db
    with db.read() as s:
        def first(model):
            return s.execute(select(model.id, model.uuid).order_by(model.id)).first()
        found = {m: first(m) for m in (Building, LeaseContract, Meeting, RectificationNotice, DesignerOpinion,
                                       Acceptance)}
    return db, found


DOCS = [("building-roster", Building), ("meeting-minutes", Meeting), ("sign-in-sheet", Meeting),
        ("rectification-notice", RectificationNotice), ("lease-contract", LeaseContract),
        ("rent-schedule", LeaseContract), ("designer-opinion", DesignerOpinion), ("acceptance-form", Acceptance),
        ("storage-register", None), ("supervision-report", None)]


@pytest.mark.parametrize("name, model", DOCS, ids=[d[0] for d in DOCS])
def test_every_page_reads_back_as_its_own_code(records, tmp_path, name, model):
    db, first = records
    record_id, uuid = first[model] if model else (0, None)
    out = tmp_path / f"{name}.pdf"
    pages = print_document(db, name, record_id, out, as_of=date(2026, 12, 1))
    doc_no = printed_doc_no(out)
    images = page_images(out)
    assert len(images) == pages >= 1
    for number, image in enumerate(images, start=1):
        found = read_codes(image)
        assert len(found) == 1, (name, number, found)
        assert codes.parse(found[0]) == codes.PageCode(doc_no, name, uuid, number, pages)


def test_a_long_printout_numbers_each_page(demo_db, tmp_path, monkeypatch):
    from renewal_desk.core.printing import template

    searched, encoded = [], []
    real = template.qr_modules

    def spy(text, level="M", mask=None):
        modules, used = real(text, level, mask)
        (searched if mask is None else encoded).append((len(text), used))
        return modules, used

    monkeypatch.setattr(template, "qr_modules", spy)
    with demo_db.read() as s:
        building, uuid = s.execute(select(Building.id, Building.uuid).order_by(Building.id)).first()
    out = tmp_path / "roster.pdf"
    pages = print_document(demo_db, "building-roster", building, out, masked=False)
    assert pages >= 2
    # the mask search once per code length, its mask reused for the other pages' codes (which read back below)
    assert len(searched) == len({n for n, _m in searched}) and len(searched) + len(encoded) == pages
    assert encoded and all((n, m) in searched for n, m in encoded)
    read = [codes.parse(read_codes(img)[0]) for img in page_images(out)]
    assert [(c.page, c.pages) for c in read] == [(n, pages) for n in range(1, pages + 1)]
    assert {c.record_uuid for c in read} == {uuid} and {c.kind for c in read} == {"building-roster"}
