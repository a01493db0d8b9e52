"""generate_demo is one transaction: a cancel (or failure) at any step, record types included, leaves nothing."""

import sqlite3

import pytest

from renewal_desk.core.db import open_database
from renewal_desk.core.services.demo import DemoCancelled, generate_demo

TABLES = ("project", "household", "person", "ordering_round", "order_choice", "meeting", "lease_contract",
          "supervision_problem", "designer_opinion", "audit_log")


def _counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES if t in names}


@pytest.mark.parametrize("stop_after", [1, 3, 5])  # reports: households, after ordering, after rent-storage
def test_a_cancel_at_any_step_leaves_the_database_as_it_was(tmp_path, stop_after):
    path = tmp_path / "demo.sqlite"
    db = open_database(path, create=True)
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == stop_after:
            raise DemoCancelled()

    with pytest.raises(DemoCancelled):
        generate_demo(db, households=40, seed=3, progress=progress, with_records=True)
    db.close()
    assert len(calls) == stop_after
    assert set(_counts(path).values()) == {0}


def test_uncancelled_progress_reaches_its_total_and_keeps_everything(tmp_path):
    path = tmp_path / "demo.sqlite"
    db = open_database(path, create=True)
    calls = []
    generate_demo(db, households=40, seed=3, progress=lambda d, t: calls.append((d, t)), with_records=True)
    db.close()
    assert calls[-1][0] == calls[-1][1] > 40  # the record types have their share of the bar
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)
    counts = _counts(path)
    assert counts["household"] == 40 and counts["lease_contract"] > 0 and counts["ordering_round"] > 0
