"""The supervisor team (居民监督队): appoint supervisors, keep the parties, log inspections and the
problems found, issue rectification notices, record replies and re-checks, close problems, record
acceptance; the figures and charts of the team's work.

Every step of a problem goes through rules.rectification (refused with the reason when the state
does not allow it) and adds one history row; the audit log records every row changed. Photos are
checked to be images before anything is written, so a bad file never leaves half a step behind.

Where things are: team.py (supervisors and the parties), inspection.py (巡查记录), problems.py (the
problems found: record, correct, photos, the list and one problem's history), rectification.py (the
steps of 整改: notice, re-issue, reply, re-check, close; the notices as listed), acceptance.py (验收 and
its satisfaction rule), figures.py (the figures and charts' data), places.py (the forms' pickers),
_common.py (refusals, field checks, document numbers, photo checks).
"""

from ._common import *  # noqa: F401,F403
from .acceptance import *  # noqa: F401,F403
from .figures import *  # noqa: F401,F403
from .inspection import *  # noqa: F401,F403
from .places import *  # noqa: F401,F403
from .problems import *  # noqa: F401,F403
from .rectification import *  # noqa: F401,F403
from .team import *  # noqa: F401,F403
