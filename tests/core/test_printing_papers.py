"""Named ballots (表决票) and personal meeting notices (个人会议通知), issue 20: printed through
print_document, rendered to images (pdftoppm, 150 dpi) and every code read back with zxing-cpp, as the
scanner at the counting table and at the door will read them. Names are masked; pages are counted."""

from __future__ import annotations

import math
import re
import subprocess
from decimal import Decimal

import pytest
from sqlalchemy import select

from renewal_desk.core.models import Attendee, Category, Meeting, MeetingKind, Motion
from renewal_desk.core.printing import codes
from renewal_desk.core.problems import InputError
from renewal_desk.core.services import meetings as svc
from renewal_desk.core.services.meetings import papers
from renewal_desk.core.services.printouts import print_document
from test_meetings import START, estate  # noqa: F401  (fixture)
from test_page_codes import page_images, printed_doc_no, read_codes, pytestmark  # noqa: F401  (skips)

MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_RE = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")


@pytest.fixture
def meeting(db, estate):  # noqa: F811
    """An owners' assembly nobody has been invited to yet: printing its papers invites the households."""
    project, _ids = estate
    return svc.create_meeting(db, svc.MeetingInput("加装电梯业主大会", START, MeetingKind.OWNERS, project, place="社区活动室",
                                                  chair="李主任", purpose="讨论1号楼加装电梯方案"))


def _uuid(db, model, record_id) -> str:
    with db.read() as s:
        return s.get(model, record_id).uuid


def _attendee_uuids(db, meeting_id) -> dict[str, int]:
    with db.read() as s:
        return {u: i for i, u in s.execute(select(Attendee.id, Attendee.uuid).where(Attendee.meeting_id == meeting_id))}


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _codes_by_page(pdf):
    return [[codes.parse(t) for t in read_codes(img)] for img in page_images(pdf)]


def _check_personal_data(text: str) -> None:
    flat = "".join(text.split())
    assert not MOBILE_RE.search(flat) and not ID_RE.search(flat)
    assert "王𠮷" not in flat and "业主02" not in flat and "王*" in flat


@pytest.mark.parametrize("large", [False, True], ids=["two-to-a-page", "large-print"])
def test_every_ballot_code_reads_back(db, estate, meeting, tmp_path, large):  # noqa: F811
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", "1号楼加装电梯一部，费用按面积分摊。",
                                                          matter="special", method="named"))
    out = tmp_path / "ballots.pdf"
    pages = print_document(db, "ballot", motion, out, large=large)
    people = papers.ballot_people(db, motion)
    assert len(people) == 12  # invited by the printing: every household of the scope has an attendee now
    assert len(svc.attendees(db, meeting)) == 12
    assert pages == (12 if large else math.ceil(12 / 2))
    doc_no = printed_doc_no(out)
    assert doc_no.startswith("BJP-")
    motion_uuid, attendees = _uuid(db, Motion, motion), _attendee_uuids(db, meeting)
    seen: dict[str, set] = {}
    for number, found in enumerate(_codes_by_page(out), start=1):
        page_codes = [c for c in found if isinstance(c, codes.PageCode)]
        assert page_codes == [codes.PageCode(doc_no, "ballot", motion_uuid, number, pages)]
        ballots = [c for c in found if isinstance(c, codes.BallotCode)]
        assert len(ballots) == 4 * (1 if large else 2), number  # each ballot: its own code and three choices
        for c in ballots:
            assert c.motion_uuid == motion_uuid and c.attendee_uuid in attendees
            seen.setdefault(c.attendee_uuid, set()).add(c.choice)
    assert {attendees[u] for u in seen} == {p.attendee_id for p in people}
    assert all(choices == {None, "yes", "no", "abstain"} for choices in seen.values())
    text = _text(out)
    _check_personal_data(text)
    flat = "".join(text.split())
    assert flat.count("同意") >= 12 and "1号楼加装电梯一部" in flat and "100.00㎡" in flat


def test_an_owner_of_two_flats_gets_one_ballot_for_both(db, estate, meeting, tmp_path):  # noqa: F811
    from renewal_desk.core.services.households import HouseholdInput, PersonInput, household_detail, update_household

    _, ids = estate
    first, second = household_detail(db, ids[0]), household_detail(db, ids[1])
    owner = first.people[0]
    update_household(db, ids[1], HouseholdInput(second.unit_id, second.room, second.area, people=[
        PersonInput(owner.name, owner.id_number, None, is_head=True, id=second.people[0].id)]))
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", matter="special", method="named"))
    out = tmp_path / "ballots.pdf"
    assert print_document(db, "ballot", motion, out) == math.ceil(11 / 2)
    people = papers.ballot_people(db, motion)
    assert len(people) == 11
    both = people[0]
    assert both.area == Decimal(200) and both.address.count("1号楼") == 2
    flat = "".join(_text(out).split())
    assert "200.00㎡" in flat and "第1张共11张" in flat


def test_ballots_of_a_consultative_vote_go_to_every_voting_invitee(db, estate, meeting, tmp_path):  # noqa: F811
    svc.invite_households(db, meeting)
    svc.add_attendee(db, meeting, svc.AttendeeInput("社区工作者 张敏", Category.DEPARTMENT, "社区居委会"))  # staff: no ballot
    motion = svc.add_motion(db, meeting, svc.MotionInput("议事规则", method="named"))
    assert len(papers.ballot_people(db, motion)) == 12
    assert print_document(db, "ballot", motion, tmp_path / "b.pdf") == 6


def test_no_ballots_for_a_show_of_hands(db, estate, meeting, tmp_path):  # noqa: F811
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意清理楼道"))
    with pytest.raises(InputError) as caught:
        print_document(db, "ballot", motion, tmp_path / "b.pdf")
    assert "只有记名投票" in caught.value.describe()
    assert not (tmp_path / "b.pdf").exists()


def test_personal_notices_carry_each_invitees_sign_in_code(db, estate, meeting, tmp_path):  # noqa: F811
    svc.invite_households(db, meeting)
    svc.add_attendee(db, meeting, svc.AttendeeInput("设计单位 钱工", Category.DESIGNER, "扬州规划设计院"))
    svc.add_attendee(db, meeting, svc.AttendeeInput("路过居民", Category.RESIDENT, "", expected=False))  # 列席: no notice
    svc.add_item(db, meeting, "通报加装电梯设计方案", "钱工", 20)
    out = tmp_path / "notices.pdf"
    pages = print_document(db, "personal-notice", meeting, out)
    assert pages == math.ceil(13 / 2)
    doc_no, meeting_uuid = printed_doc_no(out), _uuid(db, Meeting, meeting)
    expected = {a.id for a in svc.attendees(db, meeting) if a.expected}
    attendees = _attendee_uuids(db, meeting)
    signed = []
    for number, found in enumerate(_codes_by_page(out), start=1):
        assert [c for c in found if isinstance(c, codes.PageCode)] == [
            codes.PageCode(doc_no, "personal-notice", meeting_uuid, number, pages)]
        signed += [c for c in found if isinstance(c, codes.SignInCode)]
    assert all(c.meeting_uuid == meeting_uuid for c in signed)
    assert sorted(attendees[c.attendee_uuid] for c in signed) == sorted(expected)
    text = _text(out)
    _check_personal_data(text)
    flat = "".join(text.split())
    assert flat.count("签到码") >= 13 and "社区活动室" in flat and "讨论1号楼加装电梯方案" in flat
    assert "1.通报加装电梯设计方案" in flat


def test_no_notices_without_invitees(db, estate, tmp_path):  # noqa: F811
    empty = svc.create_meeting(db, svc.MeetingInput("茶话会", START, project_id=None))
    with pytest.raises(InputError) as caught:
        print_document(db, "personal-notice", empty, tmp_path / "n.pdf")
    assert "还没有邀请参会人" in caught.value.describe()


def _sizes_inside_the_page(pdf) -> set[float]:
    """The font sizes of the text between the page header and footer (pdfium reads them from the PDF)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from renewal_desk.core.printing.template import MARGIN

    sizes = set()
    doc = pdfium.PdfDocument(str(pdf))
    for page in doc:
        _w, height = page.get_size()
        text = page.get_textpage()
        for i in range(text.count_chars()):
            if text.get_text_range(i, 1).strip() and MARGIN < text.get_charbox(i)[1] < height - MARGIN:
                sizes.add(round(raw.FPDFText_GetFontSize(text.raw, i), 1))
    doc.close()
    return sizes


def test_large_print_has_no_text_under_16_points(db, estate, meeting, tmp_path):  # noqa: F811
    motion = svc.add_motion(db, meeting, svc.MotionInput("同意加装电梯", "费用按面积分摊。", matter="special",
                                                          method="named"))
    large, normal = tmp_path / "large.pdf", tmp_path / "normal.pdf"
    print_document(db, "ballot", motion, large, large=True)
    print_document(db, "ballot", motion, normal)
    assert min(_sizes_inside_the_page(large)) >= 16
    assert min(_sizes_inside_the_page(normal)) < 16  # the test can tell
