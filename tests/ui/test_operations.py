"""ui/operations.py: a newer query drops the older one's result, a failure is shown in words on the page's
banner, a write announces its change topics (once) so pages refresh."""

import threading

from PySide6.QtWidgets import QVBoxLayout, QWidget

from renewal_desk.core.problems import InputError, declare
from renewal_desk.core.services import events
from renewal_desk.core.services.events import Topic
from renewal_desk.ui import tasks
from renewal_desk.ui.operations import QueryOp, WriteOp
from renewal_desk.ui.widgets.feedback import ERROR, FeedbackBanner

E_TEST = declare("test.operations.refused", "门牌号不能为空", "The house number is required")


class Page(QWidget):
    def __init__(self):
        super().__init__()
        self.feedback = FeedbackBanner(self)
        QVBoxLayout(self).addWidget(self.feedback)


def test_a_newer_query_drops_the_older_result(qtbot):
    page = Page()
    qtbot.addWidget(page)
    shown = []
    op = QueryOp(page, shown.append)
    slow_may_finish = threading.Event()

    def slow():
        slow_may_finish.wait(5)
        return "old"

    first = op.run(slow)
    second = op.run(lambda: "new")
    assert not op.current(first) and op.current(second)
    qtbot.waitUntil(lambda: shown == ["new"], timeout=5000)
    slow_may_finish.set()
    tasks.wait_all(5000)
    qtbot.wait(50)  # the old result's signal is delivered, and dropped
    assert shown == ["new"]

    op.run(lambda: "dropped")
    op.drop()  # the view moved on
    tasks.wait_all(5000)
    qtbot.wait(50)
    assert shown == ["new"]


def test_a_batch_of_joined_runs_keeps_every_piece(qtbot):
    page = Page()
    qtbot.addWidget(page)
    shown = []
    op = QueryOp(page, shown.append)
    op.drop()
    for n in range(3):
        op.run(lambda n=n: n, join=True)
    qtbot.waitUntil(lambda: sorted(shown) == [0, 1, 2], timeout=5000)


def test_a_failure_is_shown_in_chinese_on_the_page_banner(qtbot):
    page = Page()
    qtbot.addWidget(page)
    page.show()
    op = QueryOp(page, lambda _r: None)

    def refused():
        raise InputError.of(E_TEST)

    op.run(refused)
    qtbot.waitUntil(lambda: page.feedback.kind == ERROR, timeout=5000)
    assert page.feedback.text() == "门牌号不能为空"


def test_a_stale_failure_is_not_shown(qtbot):
    page = Page()
    qtbot.addWidget(page)
    page.show()
    op = QueryOp(page, lambda _r: None)
    gate = threading.Event()

    def refused_late():
        gate.wait(5)
        raise InputError.of(E_TEST)

    op.run(refused_late)
    op.run(lambda: "fine")
    gate.set()
    tasks.wait_all(5000)
    qtbot.wait(50)
    assert page.feedback.kind is None


def test_a_write_announces_its_topics_once_after_success(qtbot):
    page = Page()
    qtbot.addWidget(page)
    heard, saved = [], []
    unsubscribe = events.subscribe(lambda topic, ids: heard.append((topic, ids)))
    try:
        def write():  # a service that announces "leases" itself; "places" it does not
            events.announce(Topic.LEASES, [7])
            return 7

        WriteOp(page, write, saved.append, topics=(Topic.LEASES, Topic.PLACES), ids=[7]).run()
        qtbot.waitUntil(lambda: saved == [7], timeout=5000)
        assert sorted(heard) == [("leases", [7]), ("places", [7])]

        heard.clear()

        def refused():
            raise InputError.of(E_TEST)

        page.show()
        WriteOp(page, refused, saved.append, topics=(Topic.PLACES,)).run()
        qtbot.waitUntil(lambda: page.feedback.kind == ERROR, timeout=5000)
        assert heard == [] and saved == [7]  # a refused write announces nothing
        assert page.feedback.text() == "门牌号不能为空"
    finally:
        unsubscribe()
