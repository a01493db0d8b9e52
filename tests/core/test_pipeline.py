"""core.pipeline.made_ahead: rows made by a thread ahead of the writes that store them."""

import threading

import pytest

from renewal_desk.core.pipeline import made_ahead


def test_rows_made_ahead_arrive_in_order_and_a_makers_error_or_an_early_stop_ends_the_thread():
    def source(start):
        for n in range(start, start + 50):
            yield ("t", ("id",), [(n,)])

    with made_ahead([source(0), source(50)], depth=2, name="demo-rows") as batches:
        assert [b[2][0][0] for b in batches] == list(range(100))

    def broken():
        yield ("t", ("id",), [(1,)])
        raise ValueError("bad row")

    with pytest.raises(ValueError, match="bad row"):
        with made_ahead([broken()]) as batches:
            list(batches)

    made = []

    def endless():
        n = 0
        while True:
            made.append(n)
            yield ("t", ("id",), [(n,)])
            n += 1

    with pytest.raises(RuntimeError):
        with made_ahead([endless()], depth=3, name="demo-rows") as batches:
            next(batches)
            raise RuntimeError("cancelled")
    assert not any(t.name == "demo-rows" for t in threading.enumerate())  # the maker stopped and was joined
    assert len(made) <= 6  # it stayed a few batches ahead, no more
