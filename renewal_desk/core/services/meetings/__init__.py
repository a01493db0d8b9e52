"""Consultation meetings (议事协商): prepare, invite, sign in, run the agenda, take minutes, vote,
resolve, follow up.

Every function is one user action and one short transaction, so minutes typed during a meeting are
on disk within the autosave delay. Votes are counted by core.rules.votes / core.rules.consent under
the rules in force (民法典第278条 or a stricter city setting; consultative votes by simple majority).
A vote that has been decided can still be corrected, but only with a reason; the correction is
written to the motion and to the audit log.

Where things are: meeting.py (the meeting, its scope and lifecycle), signin.py (invitees, sign-in,
attendance), agenda.py (agenda and minutes), voting.py (motions and votes — the one place votes are
computed), resolutions.py (resolutions and follow-up tasks), wall.py (the projector's view model), scan.py (sign-in
and ballots by barcode scanner).
"""

from ._common import *  # noqa: F401,F403
from .agenda import *  # noqa: F401,F403
from .meeting import *  # noqa: F401,F403
from .resolutions import *  # noqa: F401,F403
from .scan import *  # noqa: F401,F403
from .signin import *  # noqa: F401,F403
from .voting import *  # noqa: F401,F403
from .wall import *  # noqa: F401,F403
