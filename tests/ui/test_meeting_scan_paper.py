"""Paper that counts itself (issue 20, "Done when"): personal meeting notices and named ballots are printed by the
app (print_document), the pages rendered to images (pdftoppm), every code decoded from the images (zxing-cpp), and
the decoded text fed as keystrokes into the real sign-in and ballot widgets: sign-ins and ballots recorded; the same
paper scanned twice, another meeting's paper and a page's own code refused in the tab."""

import shutil
import subprocess
from datetime import datetime

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt

from renewal_desk.core.models import Attendee
from renewal_desk.core.printing import codes
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services.printouts import print_document
from test_meeting_scan_ui import _meetings, _open, _signed_in, no_boxes  # noqa: F401  (fixture)

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")


def _decoded(db, name, record_id, tmp_path):
    """Print a document, render its pages at 150 dpi and read every code on them, as a scanner would:
    {kind of code: [(the code, the text read)]}."""
    pdf = tmp_path / f"{name}-{record_id}.pdf"
    print_document(db, name, record_id, pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(tmp_path / pdf.stem)], check=True)
    found: dict[type, list] = {}
    for image in sorted(tmp_path.glob(f"{pdf.stem}-*.png")):
        # only QR codes, as the app prints: a line of text can read as a short 1D barcode ("2398")
        for result in zxingcpp.read_barcodes(Image.open(image), formats=zxingcpp.BarcodeFormat.QRCode):
            code = codes.parse(result.text)
            found.setdefault(type(code), []).append((code, result.text))
    return found


def _names(db):
    with db.read() as s:
        return {a.uuid: a.name for a in s.query(Attendee)}


def test_printed_notices_and_ballots_decoded_and_scanned_into_the_widgets(qtbot, db, tmp_path, no_boxes):
    ours, other = _meetings(db)
    motion = svc.add_motion(db, ours, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    foreign_motion = svc.add_motion(db, other, svc.MotionInput("绿化调整", method="named"))
    notices = _decoded(db, "personal-notice", ours, tmp_path)
    theirs = _decoded(db, "personal-notice", other, tmp_path)
    names = _names(db)
    door_codes = {names[c.attendee_uuid]: text for c, text in notices[codes.SignInCode]}
    assert sorted(door_codes) == ["孙三", "李四", "赵一", "钱二"]  # one notice (and code) per invitee
    page_code = notices[codes.PageCode][0][1]

    page = _open(qtbot, db, ours, 0)
    door = page.sign_in_tab

    def scan(field, text, reloads=False):
        field.setFocus()
        qtbot.keyClicks(field, text)
        if reloads:
            with qtbot.waitSignal(page.loaded, timeout=10000):
                qtbot.keyClick(field, Qt.Key.Key_Return)
        else:
            qtbot.keyClick(field, Qt.Key.Key_Return)
        assert field.text() == ""

    for name, text in door_codes.items():
        scan(door.search, text, reloads=True)
        assert door.door_banner.text() == f"扫码签到：{name}"
    assert _signed_in(db, ours) == {"赵一", "钱二", "孙三", "李四"}
    scan(door.search, door_codes["赵一"])
    assert door.door_banner.text().startswith("赵一已签到（") and door.door_banner.text().endswith("这张签到码扫过了")
    scan(door.search, theirs[codes.SignInCode][0][1])
    assert door.door_banner.text().startswith("这张签到码属于另一次会议：楼组长会议（")
    scan(door.search, page_code)
    assert door.door_banner.text().startswith("这是文书“GRTZ-") and door.door_banner.text().endswith("的页码，不是签到码")
    assert _signed_in(db, other) == set()

    svc.start_vote(db, motion, datetime.now())
    ballots: dict[tuple[str, str | None], str] = {(names[c.attendee_uuid], c.choice): text
                                                  for c, text in _decoded(db, "ballot", motion, tmp_path)[codes.BallotCode]}
    assert len(ballots) == 4 * 4  # each owner's ballot: its own code and one per choice
    foreign = _decoded(db, "ballot", foreign_motion, tmp_path)[codes.BallotCode]
    page.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    tab = page.votes_tab
    tab.motion_view.selectRow(0)
    scan(tab.scan_box, ballots["赵一", "yes"])  # the code beside 同意: recorded at once
    scan(tab.scan_box, ballots["钱二", "yes"])
    scan(tab.scan_box, ballots["孙三", None])  # the ballot's own code, then the key
    qtbot.keyClick(tab.scan_box, Qt.Key.Key_A)
    scan(tab.scan_box, ballots["李四", "no"])
    assert tab.scan_feedback.text() == "已记票：李四 — 反对"
    by_id = {v.attendee_id: v.name for v in tab.voters}
    assert {by_id[k]: v for k, v in svc.motion_result(db, motion).motion.ballots.items()} == \
        {"赵一": "yes", "钱二": "yes", "孙三": "abstain", "李四": "no"}
    assert tab.gauge_label.text() == "参与表决（三分之二）还差 0 人 / 0.00 ㎡；同意（四分之三）还差 1 人 / 55.00 ㎡"  # 20 of 75 ㎡
    scan(tab.scan_box, ballots["赵一", "yes"])
    assert tab.scan_feedback.text() == "重复扫描：赵一的票已记录为“赞成”（只计一次）"
    scan(tab.scan_box, ballots["赵一", "no"])  # two boxes ticked, or the wrong code: nothing changes
    assert tab.scan_feedback.text().startswith("赵一的票已记录为“赞成”，这次是“反对”：未改动")
    scan(tab.scan_box, foreign[0][1])
    assert tab.scan_feedback.text() == "这张选票属于另一项表决：“绿化调整”（楼组长会议）"
    assert tab.scan_feedback.kind == "error"
    scan(tab.scan_box, door_codes["赵一"])
    assert tab.scan_feedback.text().startswith("这是会议通知上的签到码，不是表决票")
    assert len(svc.motion_result(db, motion).motion.ballots) == 4
