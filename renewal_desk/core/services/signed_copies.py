"""Signed copies filed back to their records: scans and phone photos of signed paper, read by their page codes.

Every printout is in the register of printed documents (models.IssuedDocument, written by
printouts.print_document with its 文书编号). `file_scans(db, paths)` takes images (PNG/JPEG, phone photos)
and PDFs, reads each page's code (codes.PageCode, zxing-cpp), checks it against the register and keeps the
page as the signed original of its record (an attachment, and a `SignedCopy` row: a second scan of a page
is the next version, never a replacement). A page whose code cannot be read, or that names no document the
app printed, is returned as unmatched; a person matches it with `file_page_manually`.
`missing_signed_copies` lists the printed documents that still lack a signed copy of some page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import record_event
from ..db import Database
from ..models import IssuedDocument, SignedCopy
from ..printing import codes
from ..problems import InputError, Problem, declare
from . import attachments

# the documents people sign (or sign in on): the ones whose signed paper is the evidence
SIGNED_KINDS = ("meeting-minutes", "sign-in-sheet", "lease-contract", "rectification-notice", "acceptance-form")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
MAX_SIDE = 2400  # a phone photo is decoded at most this large (a 12-megapixel photo is slow and no better)
PDF_DPI = 200

E_NO_CODE = declare("signed.no_code", "未能识别页面上的条码", "No code could be read on the page")
E_NOT_OURS = declare("signed.not_ours", "页面上的条码不是本系统打印的文书页码：{text}",
                     "The code on the page is not a page code printed by Renewal Desk: {text}")
E_UNKNOWN_DOC = declare("signed.unknown_doc", "文书编号 {doc_no} 不是本系统打印的文书",
                        "Document number {doc_no} was not printed by Renewal Desk")
E_MISMATCH = declare("signed.mismatch", "文书编号 {doc_no} 与登记不符：{what}",
                     "Document number {doc_no} does not match the register: {what}")
E_BAD_PAGE = declare("signed.bad_page", "文书 {doc_no} 共 {pages} 页，没有第 {page} 页",
                     "Document {doc_no} has {pages} pages, there is no page {page}")
E_NOT_SCAN = declare("signed.not_scan", "无法打开文件“{name}”：只接受图片（PNG、JPEG）或 PDF",
                     "Cannot open '{name}': only images (PNG, JPEG) or PDF files are accepted")
# what differs, named in the mismatch message (Chinese: shown to the person filing)
W_KIND = "文书种类不同（登记为{registered}，条码为{scanned}）"
W_RECORD = "所属记录不同"
W_PAGES = "页数不同（登记 {registered} 页，条码 {scanned} 页）"


@dataclass(frozen=True)
class Filed:
    """A page kept as a signed copy."""

    source: str  # the file's name
    page_in_file: int  # 1-based page of a PDF; 1 for an image
    doc_no: str
    title: str  # the document's kind, in Chinese
    record_label: str  # what names the record (meeting title, contract number, ...)
    page: int
    pages: int
    version: int
    already: bool = False  # the very same file was filed for this page before: nothing new kept


@dataclass(frozen=True)
class Unmatched:
    """A page that could not be filed by its code: for a person to match with `file_page_manually`."""

    path: Path
    source: str
    page_in_file: int
    reason: str  # in Chinese


@dataclass
class ScanResult:
    filed: list[Filed] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)


@dataclass(frozen=True)
class MissingCopy:
    doc_no: str
    kind: str
    title: str
    record_label: str
    printed_at: datetime
    pages: int
    missing_pages: tuple[int, ...]


# --- reading ------------------------------------------------------------------------------------------
def _pages_of(path: Path):
    """(page number in the file, PIL image) for every page of an image or PDF file."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise InputError(Problem(E_NOT_SCAN, {"name": path.name}, value=path.name)) from exc
        try:
            for i in range(len(pdf)):
                yield i + 1, pdf[i].render(scale=PDF_DPI / 72).to_pil()
        finally:
            pdf.close()
        return
    try:
        with Image.open(path) as img:
            img.load()
            yield 1, ImageOps.exif_transpose(img)
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(Problem(E_NOT_SCAN, {"name": path.name}, value=path.name)) from exc


def read_page_code(image) -> codes.PageCode:
    """The page code on one page image; InputError (E_NO_CODE / E_NOT_OURS) if there is none of ours."""
    import zxingcpp
    from PIL import Image

    gray = image.convert("L")
    tries = [gray]
    side = max(gray.size)
    if side > MAX_SIDE:  # a large photo: decode a smaller copy first, the full one if that fails
        scale = MAX_SIDE / side
        tries.insert(0, gray.resize((round(gray.width * scale), round(gray.height * scale))))
    else:  # a small photo: a code of under two pixels a module reads better enlarged
        tries.append(gray.resize((gray.width * 2, gray.height * 2), Image.BICUBIC))
    foreign = ""
    for img in tries:
        # the app prints QR codes only; a line of text on a scan can read as a short 1D barcode
        for found in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode):
            try:
                code = codes.parse(found.text)
            except InputError:
                foreign = foreign or found.text
                continue
            if isinstance(code, codes.PageCode):
                return code
            foreign = foreign or found.text
    if foreign:
        raise InputError(Problem(E_NOT_OURS, {"text": foreign[:80]}))
    raise InputError(Problem(E_NO_CODE))


# --- the register -------------------------------------------------------------------------------------
def _title(kind: str) -> str:
    from .printouts import DOCUMENTS

    found = DOCUMENTS.get(kind)
    return found.title_zh if found else kind


def _label(session: Session, doc: IssuedDocument) -> str:
    from .printouts import DOCUMENTS, _record_label

    kind = DOCUMENTS.get(doc.kind)
    return (_record_label(session, kind, doc.record_id) if kind else "") or ""


def _registered(session: Session, doc_no: str) -> IssuedDocument:
    doc = session.scalars(select(IssuedDocument).where(IssuedDocument.doc_no == doc_no.strip().upper())).first()
    if doc is None:
        raise InputError(Problem(E_UNKNOWN_DOC, {"doc_no": doc_no}, field="doc_no", value=doc_no))
    return doc


def _check(doc: IssuedDocument, code: codes.PageCode) -> None:
    """The code read matches what was printed under its number (a reprinted or forged sheet does not)."""
    if code.kind != doc.kind:
        what = W_KIND.format(registered=_title(doc.kind), scanned=_title(code.kind))
    elif (code.record_uuid or None) != (doc.record_uuid or None):
        what = W_RECORD
    elif code.pages != doc.pages:
        what = W_PAGES.format(registered=doc.pages, scanned=code.pages)
    else:
        return
    raise InputError(Problem(E_MISMATCH, {"doc_no": doc.doc_no, "what": what}))


def _single_page(path: Path, page_in_file: int, folder: Path) -> Path:
    """The file to keep for one page: the file itself, or that page of a PDF of several pages."""
    if path.suffix.lower() != ".pdf":
        return path
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(path))
    try:
        if len(src) == 1:
            return path
        out = pdfium.PdfDocument.new()
        out.import_pages(src, [page_in_file - 1])
        target = folder / f"{path.stem}-p{page_in_file}.pdf"
        out.save(str(target))
        out.close()
        return target
    finally:
        src.close()


def _file(db: Database, path: Path, page_in_file: int, doc_no: str, page: int, code: codes.PageCode | None) -> Filed:
    with db.read() as s:
        doc = _registered(s, doc_no)
        if code is not None:
            _check(doc, code)
        if not 1 <= page <= doc.pages:
            raise InputError(Problem(E_BAD_PAGE, {"doc_no": doc.doc_no, "pages": doc.pages, "page": page},
                                     field="page", value=str(page)))
    with tempfile.TemporaryDirectory() as tmp:
        stored = attachments.store_file(db, _single_page(path, page_in_file, Path(tmp)))
    with db.write() as s:
        doc = _registered(s, doc_no)
        title, label = _title(doc.kind), _label(s, doc)
        same = s.scalars(select(SignedCopy).where(SignedCopy.document_id == doc.id, SignedCopy.page == page,
                                                  SignedCopy.sha256 == stored.sha256)).first()
        if same is not None:
            return Filed(path.name, page_in_file, doc.doc_no, title, label, page, doc.pages, same.version, True)
        version = (s.scalar(select(func.max(SignedCopy.version)).where(SignedCopy.document_id == doc.id,
                                                                       SignedCopy.page == page)) or 0) + 1
        owner_table, owner_id = (doc.record_table, doc.record_id) if doc.record_id else ("issued_document", doc.id)
        caption = f"签字件 {doc.doc_no} 第 {page}/{doc.pages} 页" + (f"（第 {version} 版）" if version > 1 else "")
        attachment_id = attachments.link_file(s, owner_table, owner_id, stored, caption)
        s.add(SignedCopy(document_id=doc.id, page=page, version=version, attachment_id=attachment_id,
                         sha256=stored.sha256, operator=db.operator, source_name=path.name[:255],
                         how="code" if code is not None else "by hand"))
        how = "按条码" if code is not None else "人工匹配"
        record_event(s, "file-signed", owner_table, owner_id, doc.record_uuid,
                     note=f"归档签字件（{how}）{title} {doc.doc_no} 第 {page}/{doc.pages} 页 第 {version} 版：{path.name}")
        return Filed(path.name, page_in_file, doc.doc_no, title, label, page, doc.pages, version)


def file_scans(db: Database, paths: Iterable[str | Path]) -> ScanResult:
    """File every page of the given images and PDFs by its page code; what cannot be filed is listed."""
    result = ScanResult()
    for raw in paths:
        path = Path(raw)
        try:
            pages = list(_pages_of(path)) if path.is_file() else None
        except InputError as exc:
            result.unmatched.append(Unmatched(path, path.name, 1, exc.problems[0].message()))
            continue
        if pages is None:
            result.unmatched.append(Unmatched(path, path.name, 1, Problem(
                attachments.E_NO_FILE, {"value": path.name}).message()))
            continue
        for page_in_file, image in pages:
            try:
                code = read_page_code(image)
                result.filed.append(_file(db, path, page_in_file, code.doc_no, code.page, code))
            except InputError as exc:
                result.unmatched.append(Unmatched(path, path.name, page_in_file, exc.problems[0].message()))
    return result


def file_page_manually(db: Database, path: str | Path, doc_no: str, page: int, page_in_file: int = 1) -> Filed:
    """A page a person matched by hand (its code unreadable): kept as the signed copy of `doc_no`'s `page`."""
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(attachments.E_NO_FILE, {"value": path.name}, value=str(path)))
    return _file(db, path, page_in_file, doc_no, page, None)


def signed_copies_of(db: Database, doc_no: str) -> list[tuple[int, int, str]]:
    """(page, version, source file name) of every copy kept for a printed document."""
    with db.read() as s:
        doc = _registered(s, doc_no)
        rows = s.execute(select(SignedCopy.page, SignedCopy.version, SignedCopy.source_name)
                         .where(SignedCopy.document_id == doc.id).order_by(SignedCopy.page, SignedCopy.version))
        return [tuple(r) for r in rows]


def missing_signed_copies(db: Database, kinds: Iterable[str] = SIGNED_KINDS) -> list[MissingCopy]:
    """Printed documents of the signed kinds with no signed copy of some page yet, the latest first."""
    kinds = list(kinds)
    with db.read() as s:
        have: dict[int, set[int]] = {}
        for doc_id, page in s.execute(select(SignedCopy.document_id, SignedCopy.page).distinct()
                                      .join(IssuedDocument).where(IssuedDocument.kind.in_(kinds))):
            have.setdefault(doc_id, set()).add(page)
        out = []
        for doc in s.scalars(select(IssuedDocument).where(IssuedDocument.kind.in_(kinds))
                             .order_by(IssuedDocument.printed_at.desc(), IssuedDocument.id.desc())):
            missing = tuple(p for p in range(1, doc.pages + 1) if p not in have.get(doc.id, set()))
            if missing:
                out.append(MissingCopy(doc.doc_no, doc.kind, _title(doc.kind), _label(s, doc), doc.printed_at,
                                       doc.pages, missing))
        return out
