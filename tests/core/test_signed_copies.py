"""Signed copies filed back to their records: the register written by printing, a photographed page filed by
its code, the missing list, unreadable and foreign pages left for a person, versions kept."""

from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from renewal_desk.core.models import Attachment, AuditEntry, IssuedDocument, MeetingKind, SignedCopy
from renewal_desk.core.printing.codes import PageCode
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services import signed_copies as sc
from renewal_desk.core.services.places import create_place
from renewal_desk.core.services.printouts import print_document
from tests.fixtures.scans import photograph, signed_page_pdf

START = datetime(2026, 11, 25, 14, 30)


@pytest.fixture
def printed(db, tmp_path):
    """A meeting whose minutes and sign-in sheet were printed: (meeting id, {kind: IssuedDocument row})."""
    project = create_place(db, "project", "幸福里改造")
    mid = svc.create_meeting(db, svc.MeetingInput("加装电梯业主大会", START, MeetingKind.OWNERS, project))
    for name in ("meeting-minutes", "sign-in-sheet", "meeting-notice"):
        print_document(db, name, mid, tmp_path / f"{name}.pdf", printed_at=datetime(2026, 11, 26, 9, 0))
    with db.read() as s:
        docs = {d.kind: d for d in s.scalars(select(IssuedDocument))}
    return mid, docs


def _code(doc, page=1, **changes) -> str:
    fields = dict(doc_no=doc.doc_no, kind=doc.kind, record_uuid=doc.record_uuid, page=page, pages=doc.pages)
    fields.update(changes)
    return PageCode(**fields).text()


def test_printing_registers_the_document(db, printed):
    mid, docs = printed
    minutes = docs["meeting-minutes"]
    assert minutes.doc_no.startswith("HYJL-20261126-") and minutes.record_table == "meeting"
    assert minutes.record_id == mid and minutes.record_uuid == svc.meeting_view(db, mid).uuid
    assert minutes.pages >= 1 and minutes.masked and minutes.operator == "测试员"
    # the notice is printed but nobody signs it: not missing
    missing = {m.doc_no for m in sc.missing_signed_copies(db)}
    assert missing == {docs["meeting-minutes"].doc_no, docs["sign-in-sheet"].doc_no}


def test_a_photographed_signed_page_is_filed_to_its_record(db, printed, tmp_path):
    mid, docs = printed
    minutes = docs["meeting-minutes"]
    before = len(sc.missing_signed_copies(db))
    # the real printout's last page (its own footer code), as a phone sends it: 150 dpi, 4°, 60 %, JPEG
    pdf = tmp_path / "meeting-minutes.pdf"
    photo = photograph(pdf, tmp_path / "IMG_2041.jpg", page=minutes.pages, angle=4, scale=0.6)
    blank = tmp_path / "blank.png"
    Image.new("RGB", (600, 800), "white").save(blank)

    result = sc.file_scans(db, [photo, blank])

    assert [(f.doc_no, f.page, f.version) for f in result.filed] == [(minutes.doc_no, minutes.pages, 1)]
    assert result.filed[0].title == "会议记录"
    assert result.filed[0].record_label == "加装电梯业主大会"
    assert [u.source for u in result.unmatched] == ["blank.png"]
    assert result.unmatched[0].reason == "未能识别页面上的条码"
    with db.read() as s:
        attachment = s.scalars(select(Attachment).where(Attachment.owner_table == "meeting",
                                                        Attachment.owner_id == mid)).one()
        assert attachment.original_name == "IMG_2041.jpg" and minutes.doc_no in attachment.caption
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "file-signed")).one().note.endswith(
            "IMG_2041.jpg")
    assert minutes.pages == 1  # a one-page minutes: its one signed page takes it off the missing list
    assert len(sc.missing_signed_copies(db)) == before - 1
    assert minutes.doc_no not in {m.doc_no for m in sc.missing_signed_copies(db)}

    # the same page scanned again is kept as version 2; the first copy stays
    again = photograph(pdf, tmp_path / "IMG_2042.jpg", page=minutes.pages, angle=-5, scale=0.55)
    second = sc.file_scans(db, [again]).filed[0]
    assert second.version == 2 and not second.already
    assert sc.signed_copies_of(db, minutes.doc_no) == [(minutes.pages, 1, "IMG_2041.jpg"),
                                                       (minutes.pages, 2, "IMG_2042.jpg")]
    # the very same file once more adds nothing
    assert sc.file_scans(db, [again]).filed[0].already
    with db.read() as s:
        assert len(s.scalars(select(SignedCopy)).all()) == 2


def test_a_big_phone_photo_turned_by_exif_is_read(db, printed, tmp_path):
    _mid, docs = printed
    sheet = docs["sign-in-sheet"]
    photo = photograph(tmp_path / "sign-in-sheet.pdf", tmp_path / "big.jpg", dpi=300, angle=3, scale=1.0)
    image = Image.open(photo)
    exif = image.getexif()
    exif[0x0112] = 6  # the camera held sideways: the pixels are stored turned, EXIF says turn them back
    image.transpose(Image.ROTATE_90).resize((image.height * 2, image.width * 2)).save(
        tmp_path / "phone.jpg", exif=exif, quality=85)
    result = sc.file_scans(db, [tmp_path / "phone.jpg"])
    assert [f.doc_no for f in result.filed] == [sheet.doc_no], result.unmatched


def test_a_pdf_of_several_pages_is_filed_page_by_page(db, printed, tmp_path):
    import pypdfium2 as pdfium

    _mid, docs = printed
    sheet, minutes = docs["sign-in-sheet"], docs["meeting-minutes"]
    batch = pdfium.PdfDocument.new()
    for n, text in enumerate((_code(sheet), "no code here", _code(minutes))):
        page = tmp_path / f"{n}.pdf"
        if text.startswith("RD1"):
            signed_page_pdf(page, text)
        else:
            signed_page_pdf(page, "https://example.org/not-ours")
        one = pdfium.PdfDocument(str(page))
        batch.import_pages(one)
        one.close()
    batch.save(str(tmp_path / "batch.pdf"))
    batch.close()

    result = sc.file_scans(db, [tmp_path / "batch.pdf"])
    assert [(f.doc_no, f.page_in_file) for f in result.filed] == [(sheet.doc_no, 1), (minutes.doc_no, 3)]
    assert [(u.page_in_file, u.reason) for u in result.unmatched] == \
        [(2, "页面上的条码不是本系统打印的文书页码：https://example.org/not-ours")]
    # a person matches the second page by hand: that page alone is kept, as the page's next version
    filed = sc.file_page_manually(db, tmp_path / "batch.pdf", minutes.doc_no, 1, page_in_file=2)
    assert filed.version == 2 and filed.page == 1
    with db.read() as s:
        copy = s.scalars(select(SignedCopy).where(SignedCopy.how == "by hand")).one()
        assert copy.source_name == "batch.pdf"
        assert s.get(Attachment, copy.attachment_id).original_name == "batch-p2.pdf"


def test_codes_that_do_not_match_the_register_are_refused(db, printed, tmp_path):
    _mid, docs = printed
    minutes = docs["meeting-minutes"]
    cases = {
        "unknown.pdf": (_code(minutes, doc_no="HYJL-20261126-0999"), "文书编号 HYJL-20261126-0999 不是本系统打印的文书"),
        "kind.pdf": (_code(minutes, kind="sign-in-sheet"), "文书种类不同"),
        "record.pdf": (_code(minutes, record_uuid="00000000-0000-4000-8000-000000000000"), "所属记录不同"),
        "pages.pdf": (_code(minutes, page=1, pages=minutes.pages + 1), "页数不同"),
    }
    paths = [signed_page_pdf(tmp_path / name, text) for name, (text, _why) in cases.items()]
    result = sc.file_scans(db, paths + [tmp_path / "gone.jpg"])
    assert result.filed == []
    reasons = {u.source: u.reason for u in result.unmatched}
    for name, (_text, why) in cases.items():
        assert why in reasons[name], reasons[name]
    assert reasons["gone.jpg"] == "附件文件不存在：gone.jpg"
    with pytest.raises(InputError, match="没有第 9 页"):
        sc.file_page_manually(db, paths[0], minutes.doc_no, 9)
    with pytest.raises(InputError, match="不是本系统打印的文书"):
        sc.file_page_manually(db, paths[0], "XX-1", 1)
    with db.read() as s:
        assert s.scalars(select(SignedCopy)).all() == [] and s.scalars(select(Attachment)).all() == []
