"""Crash safety: real operations SIGKILLed at random moments leave a sound database in a state it really had.

Each trial runs one operation of tests/crash_harness.py in a child process, kills it after a random
delay, then requires `renewal-desk check` to pass and the database to equal the state before or after
one of its transactions (never a mix), plus the operation's own invariant. The seed is printed and in
every failure message; rerun one with RENEWAL_DESK_CRASH_SEED=<seed>.

On each engine chosen (--engine / RENEWAL_DESK_TEST_ENGINES, tests/conftest.py): SQLite files, and the
office server (a throw-away PostgreSQL cluster; each trial on its own CREATE DATABASE … TEMPLATE copy).
Default: 20 trials on SQLite, 9 on PostgreSQL (each quick operation once; the server's demo generation,
~15 s and some 950 commits, is left to --slow). With --slow: 200 more per engine (the run recorded in
README's reliability section).
"""

from __future__ import annotations

import os
import random

import pytest

from tests.conftest import test_engines as chosen_engines
from tests.crash_harness import OPERATIONS, Harness

SEED = int(os.environ.get("RENEWAL_DESK_CRASH_SEED") or random.SystemRandom().randrange(1_000_000))
QUICK = ["import", "edits", "minutes", "backup", "restore", "upgrade", "export", "import-bundle", "attach"]
SCHEDULES = {
    # 20 trials: the quick operations in turn, the last slot given to the (slow, ~10 s) demo generation.
    "sqlite": (QUICK * 4)[:19] + ["demo"],
    "postgresql": QUICK,
}
SLOW_TRIALS = 200


def pytest_generate_tests(metafunc):
    engines = chosen_engines(metafunc.config)
    if "trial" in metafunc.fixturenames:
        metafunc.parametrize(("engine", "trial"), [(e, n) for e in engines for n in range(len(SCHEDULES[e]))],
                             ids=[f"{e}-{n}" for e in engines for n in range(len(SCHEDULES[e]))])
    elif "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", engines)


@pytest.fixture(scope="module")
def harnesses():
    print(f"\ncrash harness seed {SEED} (RENEWAL_DESK_CRASH_SEED={SEED} reproduces this run)")
    return {}


@pytest.fixture
def harness(request, engine, harnesses, tmp_path_factory) -> Harness:
    """One harness per engine for the module (its starting databases and reference runs are shared)."""
    if engine not in harnesses:
        cluster = request.getfixturevalue("pg_server") if engine == "postgresql" else None
        harnesses[engine] = Harness(tmp_path_factory.mktemp(f"crash-{engine}"), cluster=cluster)
    return harnesses[engine]


def _judge(harness: Harness, op: str, seed: int) -> None:
    outcome = harness.trial(op, seed)
    print(f"{harness.engine}: {outcome.describe()}")
    assert not outcome.problems, f"{harness.engine}: {outcome.describe()} (files kept under {harness.root})"
    assert outcome.matched in (outcome.logged, outcome.logged + 1)


def test_kill_at_a_random_moment(harness, engine, trial):
    _judge(harness, SCHEDULES[engine][trial], SEED + trial)


def test_every_operation_is_in_a_default_schedule():
    assert set(SCHEDULES["sqlite"]) == set(OPERATIONS)
    assert set(SCHEDULES["postgresql"]) == set(OPERATIONS) - {"demo"}  # the server's demo: --slow


def test_a_mixed_state_is_caught(harness, tmp_path):
    """The judge itself: an edit written without its audit entry matches no recorded state and breaks the invariant."""
    from tests.crash_harness import fingerprint, reading

    reference = harness.reference("edits")
    mixed = harness.store.copy(harness.base("edits"), harness.store.target(harness.root, "mixed"))
    try:
        harness.store.execute(mixed, "UPDATE household SET note = '第1次修改' "
                                     "WHERE id = (SELECT min(id) FROM household)")  # no audit row
        found = fingerprint(mixed)
        assert found not in reference.states[:3]
        assert found["household"] != reference.states[0]["household"]  # the edit is seen, not a lost copy
        assert found["audit_log"] == reference.states[0]["audit_log"]
        with reading(mixed) as conn:
            assert OPERATIONS["edits"].invariant(conn, tmp_path)  # the edit without its audit entry is named
    finally:
        harness.store.drop(mixed)


@pytest.mark.slow
def test_kill_many_times(harness, engine):
    ops = list(OPERATIONS)
    bad = []
    for n in range(SLOW_TRIALS):
        outcome = harness.trial(ops[n % len(ops)], SEED + 1000 + n)
        print(("ok   " if not outcome.problems else "BAD  ") + outcome.describe(), flush=True)
        if outcome.problems:
            bad.append(outcome.describe())
    print(f"{SLOW_TRIALS} trials on {engine}, {len(bad)} bad outcomes (seed {SEED})")
    assert not bad, bad
