"""Consultation meeting (议事协商) printouts: the meeting notice, the sign-in sheet, the minutes and
the resolution notice. All four use the shared page template (template.py), A4 portrait.

- 会议通知 `render_meeting_notice`: for posting and handing out. Time with the weekday, place, who
  is invited (categories and counts), the agenda with presenters and minutes, the purpose, what
  to bring, the contact, and the organiser with the date at the bottom right. No personal data.
- 签到表 `render_sign_in_sheet`: the invited list pre-filled (序号, 姓名, 身份/单位, 楼栋房号,
  联系电话, 签名, 签到时间), proxies as "张三（代理：李四）" with their authority, walk-ins marked
  列席, then `blank_rows` numbered empty rows for further walk-ins; the header row repeats on every
  page and rows are tall enough to sign in. Names are printed in full (people sign next to their
  own name); phones are masked ("138****1234") unless masked=False, which marks every page
  "内部资料 含完整个人信息 不得张贴". The 应到 / 实到 totals close it (blank lines to fill in by
  hand when printed before the meeting).
- 会议记录 `render_meeting_minutes`: the head fields, attendance (应到 / 实到 / 迟到 / 早退 / 代理,
  participation, by category), per agenda item its summary, speeches and motions; a voted motion
  gets the full figures of domain.md: 应到, 实到, participation by headcount and by area,
  赞成 / 反对 / 弃权 by headcount and by area, the rule, 通过 / 未通过 and why. A show-of-hands
  consultative vote has no areas: its area cells read "—" and the motion's figures_note says why.
  Then the resolutions, the follow-up tasks (overdue ones in red), the earlier tasks reviewed, and
  the signature lines of the chair, the recorder, each scrutineer and three residents'
  representatives.
- 决议公示 `render_resolution_notice`: for posting. The meeting, the resolutions, each voted
  motion with its figures and rule, the tasks with their owners, the notice period and where to
  object, the organiser (seal) and date. Names of residents, phones and ID numbers are never
  printed; a correction is only mentioned (its text names staff and stays in the minutes).

Figures are formatted as in ordering.py: exact shares rounded half-up to one decimal, with more
places while a share would read the same as the threshold it differs from (74.99%, not 75.0%);
areas with thousands separators and two decimals ("3,210.50").

The modules take plain frozen dataclasses; the services fill them from the database.

- 表决票 and 个人会议通知 (papers.py): one paper per person, two to a page (大字版 ballots one), with the
  codes the scanners read (core.printing.codes); see papers.py.

Files: docs.py (the dataclasses and document titles), blocks.py (text helpers, shared blocks),
notice.py, sign_in.py, minutes.py, resolution.py, papers.py (one per printout).
"""

from .docs import *  # noqa: F401,F403
from .blocks import *  # noqa: F401,F403
from .notice import *  # noqa: F401,F403
from .sign_in import *  # noqa: F401,F403
from .minutes import *  # noqa: F401,F403
from .resolution import *  # noqa: F401,F403
from .papers import *  # noqa: F401,F403

__all__ = [
    "AgendaLine", "AttendeeLine", "BallotLine", "ItemMinutes", "MeetingHead", "MinutesDoc", "MotionLine", "NoticeDoc",
    "ballot_rows",
    "ResolutionNoticeDoc", "SignInDoc", "SpeechLine", "TaskLine", "attendance_text", "figures_table",
    "invited_text", "meeting_time_text", "speech_paragraph", "render_meeting_minutes", "render_meeting_notice",
    "render_resolution_notice", "render_sign_in_sheet", "sign_in_rows", "totals_line",
    "BallotsDoc", "PaperLine", "PersonalNoticesDoc", "render_ballots", "render_personal_notices",
]
