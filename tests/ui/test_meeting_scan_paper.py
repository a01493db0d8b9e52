"""Paper that counts itself (issue 20, "Done when"): notices and named ballots are printed with their codes, the
pages rendered to images (pdftoppm), every code decoded from the images (zxing-cpp), and the decoded text fed as
keystrokes into the real sign-in and ballot widgets: sign-ins and ballots recorded, the same paper scanned twice
and another meeting's paper refused in the tab."""

import shutil
import subprocess
from datetime import datetime

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

from renewal_desk.core.models import Attendee, Meeting, Motion
from renewal_desk.core.printing.codes import BallotCode, SignInCode
from renewal_desk.core.services import meetings as svc
from test_meeting_scan_ui import _ballot_code, _meetings, _open, _signed_in, no_boxes  # noqa: F401  (fixture)

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")


def _print_codes(path, texts):
    """One A5 page per code, the QR 30 mm wide as on a notice or ballot. (Until the app prints notices and ballots
    with their codes, the test prints the codes itself with reportlab's QR widget.)"""
    pdf = canvas.Canvas(str(path), pagesize=A5)
    for text in texts:
        widget = QrCodeWidget(text, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        size = 85  # points, 30 mm
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, pdf, A5[0] - size - 40, 40)
        pdf.drawString(40, A5[1] - 60, "RD test page")
        pdf.showPage()
    pdf.save()


def _decode(pdf, tmp_path):
    """Every code on every page of the PDF, as a scanner would read it, page by page."""
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(tmp_path / pdf.stem)], check=True)
    found = []
    for image in sorted(tmp_path.glob(f"{pdf.stem}-*.png")):
        found += [r.text for r in zxingcpp.read_barcodes(Image.open(image))]
    return found


def test_printed_notices_and_ballots_decoded_and_scanned_into_the_widgets(qtbot, db, tmp_path, no_boxes):
    ours, other = _meetings(db)
    motion = svc.add_motion(db, ours, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    with db.read() as s:
        uuids = {m.id: m.uuid for m in s.query(Meeting)}
        people = [(a.meeting_id, a.name, a.uuid) for a in s.query(Attendee).order_by(Attendee.id)]
        motion_uuid = s.get(Motion, motion).uuid
    notices = [SignInCode(uuids[mid], uuid).text() for mid, _name, uuid in people if mid == ours]
    foreign_notice = next(SignInCode(uuids[mid], uuid).text() for mid, _n, uuid in people if mid == other)
    _print_codes(tmp_path / "notices.pdf", notices + [foreign_notice])
    decoded = _decode(tmp_path / "notices.pdf", tmp_path)
    assert decoded == notices + [foreign_notice]  # every code read back exactly

    page = _open(qtbot, db, ours, 0)
    door = page.sign_in_tab

    def scan(field, text, reloads):
        field.setFocus()
        qtbot.keyClicks(field, text)
        if reloads:
            with qtbot.waitSignal(page.loaded, timeout=10000):
                qtbot.keyClick(field, Qt.Key.Key_Return)
        else:
            qtbot.keyClick(field, Qt.Key.Key_Return)

    for text in decoded[:4]:
        scan(door.search, text, True)
    assert _signed_in(db, ours) == {"赵一", "钱二", "孙三", "李四"}
    scan(door.search, decoded[0], False)
    assert door.door_banner.text().startswith("赵一已签到（") and "扫过了" in door.door_banner.text()
    scan(door.search, decoded[-1], False)
    assert door.door_banner.text().startswith("这张签到码属于另一次会议：楼组长会议")
    assert _signed_in(db, other) == set()

    svc.start_vote(db, motion, datetime.now())
    ballots = [BallotCode(motion_uuid, uuid, choice).text()
               for (mid, _name, uuid), choice in zip([p for p in people if p[0] == ours], ("yes", "yes", None, "no"))]
    foreign_motion = svc.add_motion(db, other, svc.MotionInput("绿化调整", method="named"))
    _print_codes(tmp_path / "ballots.pdf", ballots + [_ballot_code(db, foreign_motion, "赵一", "yes")])
    decoded = _decode(tmp_path / "ballots.pdf", tmp_path)
    assert decoded[:4] == ballots
    page.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    tab = page.votes_tab
    tab.motion_view.selectRow(0)
    for text in decoded[:4]:
        scan(tab.scan_box, text, False)
        if text == ballots[2]:  # a ballot's own code: the key pressed next records the choice
            qtbot.keyClick(tab.scan_box, Qt.Key.Key_A)
    names = {v.attendee_id: v.name for v in tab.voters}
    assert {names[k]: v for k, v in svc.motion_result(db, motion).motion.ballots.items()} == \
        {"赵一": "yes", "钱二": "yes", "孙三": "abstain", "李四": "no"}
    scan(tab.scan_box, decoded[0], False)
    assert tab.scan_feedback.text() == "重复扫描：赵一的票已记录为“赞成”（只计一次）"
    scan(tab.scan_box, decoded[-1], False)
    assert tab.scan_feedback.text() == "这张选票属于另一项表决：“绿化调整”（楼组长会议）"
    assert tab.scan_feedback.kind == "error"
    assert len(svc.motion_result(db, motion).motion.ballots) == 4
