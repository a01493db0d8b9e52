"""One copy of the app for test_edit_conflicts: reads commands on stdin, answers one JSON line each.
  open ID          read the household (as the edit dialog does)
  save ID NOTE     save the household as opened, with a new note
  quit
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from renewal_desk.core.db import EditConflict, open_database  # noqa: E402
from renewal_desk.core.services import households as hh  # noqa: E402
from tests.core.test_edit_conflicts import _input  # noqa: E402


def main(url: str, operator: str) -> None:
    db = open_database(url, operator=operator)
    opened: dict[int, hh.HouseholdDetail] = {}
    for line in sys.stdin:
        command, *args = line.split(maxsplit=2)
        answer: dict = {"ok": True}
        if command == "open":
            opened[int(args[0])] = hh.household_detail(db, int(args[0]))
        elif command == "save":
            try:
                hh.update_household(db, int(args[0]), _input(opened[int(args[0])], args[1].strip()))
            except EditConflict as exc:
                answer = {"ok": False, "who": exc.who, "message": str(exc),
                          "when": exc.when.astimezone().strftime("%Y-%m-%d %H:%M:%S")}
        elif command == "quit":
            print(json.dumps(answer), flush=True)
            break
        print(json.dumps(answer, ensure_ascii=False), flush=True)
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
