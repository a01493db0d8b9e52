"""Crash safety: real operations SIGKILLed at random moments leave a sound database in a state it really had.

Each trial runs one operation of tests/crash_harness.py in a child process, kills it after a random
delay, then requires `renewal-desk check` to pass and the database to equal the state before or after
one of its transactions (never a mix), plus the operation's own invariant. The seed is printed and in
every failure message; rerun one with RENEWAL_DESK_CRASH_SEED=<seed>.

Default: 20 trials. With --slow: 200 more (the run recorded in README's reliability section).
"""

from __future__ import annotations

import os
import random

import pytest

from tests.crash_harness import OPERATIONS, Harness

SEED = int(os.environ.get("RENEWAL_DESK_CRASH_SEED") or random.SystemRandom().randrange(1_000_000))
QUICK = ["import", "edits", "minutes", "backup", "restore", "upgrade"]
# 20 trials: the quick operations in turn, the last slot given to the (slow, ~10 s) demo generation.
DEFAULT_SCHEDULE = (QUICK * 4)[:19] + ["demo"]
SLOW_TRIALS = 200


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    print(f"\ncrash harness seed {SEED} (RENEWAL_DESK_CRASH_SEED={SEED} reproduces this run)")
    return Harness(tmp_path_factory.mktemp("crash"))


def _judge(harness: Harness, op: str, seed: int) -> None:
    outcome = harness.trial(op, seed)
    print(outcome.describe())
    assert not outcome.problems, f"{outcome.describe()} (files kept under {harness.root})"
    assert outcome.matched in (outcome.logged, outcome.logged + 1)


@pytest.mark.parametrize("trial", range(len(DEFAULT_SCHEDULE)))
def test_kill_at_a_random_moment(harness, trial):
    _judge(harness, DEFAULT_SCHEDULE[trial], SEED + trial)


def test_every_operation_is_in_the_default_schedule():
    assert set(DEFAULT_SCHEDULE) == set(OPERATIONS)


def test_a_mixed_state_is_caught(harness, tmp_path):
    """The judge itself: an edit written without its audit entry matches no recorded state and breaks the invariant."""
    import shutil
    import sqlite3

    from tests.crash_harness import fingerprint

    reference = harness.reference("edits")
    mixed = tmp_path / "mixed.sqlite"
    shutil.copy(harness.base("edits"), mixed)
    con = sqlite3.connect(mixed)
    con.execute("UPDATE household SET note = '第1次修改' WHERE id = (SELECT min(id) FROM household)")  # no audit row
    con.commit()
    con.close()
    found = fingerprint(mixed)
    assert found not in reference.states[:3]
    con = sqlite3.connect(mixed)
    try:
        assert OPERATIONS["edits"].invariant(con, tmp_path)  # the edit without its audit entry is named
    finally:
        con.close()


@pytest.mark.slow
def test_kill_many_times(harness):
    ops = list(OPERATIONS)
    bad = []
    for n in range(SLOW_TRIALS):
        outcome = harness.trial(ops[n % len(ops)], SEED + 1000 + n)
        print(("ok   " if not outcome.problems else "BAD  ") + outcome.describe(), flush=True)
        if outcome.problems:
            bad.append(outcome.describe())
    print(f"{SLOW_TRIALS} trials, {len(bad)} bad outcomes (seed {SEED})")
    assert not bad, bad
