"""Pages say which change topics they watch (ui/page.py Page.watches); the window reloads a built page out of
sight when a topic it watches is announced, and leaves the others alone (MainWindow._changed)."""

from __future__ import annotations

import pytest

from renewal_desk.core.services import events
from renewal_desk.core.services.events import TABLE_TOPICS, Topic
from renewal_desk.ui.main_window import SECTIONS, MainWindow
from renewal_desk.ui.page import Page

# What each section reloads on, as MainWindow._changed mapped it by hand before the pages said so.
WATCHED = {"overview": set(), "households": {Topic.HOUSEHOLDS, Topic.PLACES}, "ordering": {Topic.ORDERING},
           "meetings": {Topic.MEETINGS, Topic.TASKS}, "supervision": {Topic.SUPERVISION},
           "designer": {Topic.DESIGNER, Topic.PLACES}, "leases": {Topic.LEASES}, "exchange": set(), "audit": set(),
           "settings": set()}


@pytest.fixture
def win(qtbot, demo_db):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    return window


def test_every_page_declares_the_topics_it_watches(win):
    assert set(WATCHED) == set(SECTIONS)
    for key in SECTIONS:
        page = win.pages[key]
        cls = type(page)
        assert isinstance(page, Page), key
        assert "watches" in vars(cls), f"{cls.__name__} says nothing about the topics it watches"
        assert isinstance(cls.watches, frozenset) and all(isinstance(t, Topic) for t in cls.watches), key
        assert set(cls.watches) == WATCHED[key], key
        assert page.refresh_when_shown == (key in ("overview", "exchange", "audit")), key  # as _navigate listed them
        if cls.watches and cls.on_change is Page.on_change:
            assert callable(getattr(page, "refresh", None)), key  # the default on_change refreshes
    assert {type(win.pages["meetings"]).on_change, type(win.pages["designer"]).on_change}.isdisjoint({Page.on_change})


def test_topics_are_the_strings_they_always_were():
    assert Topic.HOUSEHOLDS == "households" and "places" in frozenset({Topic.PLACES})  # a topic off a Qt signal
    assert {t.value for t in Topic} >= {"households", "places", "ordering", "leases", "meetings", "tasks", "designer",
                                         "supervision", "exchange"}
    assert set(TABLE_TOPICS.values()) <= set(Topic) and events.topics_of({"unit", "rent_payment"}) == [
        Topic.LEASES, Topic.PLACES]


def _count(monkeypatch, page, name="on_change"):
    calls = []
    real = getattr(page, name)
    monkeypatch.setattr(page, name, lambda *a: (calls.append(a), real(*a))[1])
    return calls


def test_an_announced_topic_reloads_the_hidden_pages_that_watch_it(win, qtbot, monkeypatch):
    leases, households, designer, meetings = (win.pages[k] for k in ("leases", "households", "designer",
                                                                      "meetings"))
    win.show_section("overview")  # all four built and out of sight
    reloaded = {key: _count(monkeypatch, win.pages[key]) for key in ("leases", "households", "designer", "meetings")}
    leases_refresh = _count(monkeypatch, leases, "refresh")
    blocks = _count(monkeypatch, designer, "reload_blocks")

    events.announce(Topic.LEASES, [1])
    assert [k for k, calls in reloaded.items() if calls] == ["leases"] and len(leases_refresh) == 1

    events.announce(Topic.PLACES, [])  # a unit renamed: the household tree and the designer's blocks
    assert {k for k, calls in reloaded.items() if calls} == {"leases", "households", "designer"}
    assert len(blocks) == 1 and len(reloaded["leases"]) == 1

    events.announce(Topic.VOTES, [3])  # watched by none: nothing reloads
    events.announce(Topic.TASKS, [3])
    assert len(reloaded["meetings"]) == 1 and len(reloaded["households"]) == 1

    win.show_section("leases")  # the page in sight is not reloaded under the user's hands by its own save …
    events.announce(Topic.LEASES, [1])
    assert len(reloaded["leases"]) == 1
    win._changed_elsewhere([Topic.LEASES.value])  # … but is when another laptop changed it (a plain string)
    assert len(reloaded["leases"]) == 2
    assert households is win.pages["households"] and meetings is win.pages["meetings"]


def test_a_page_that_let_go_of_its_lists_reloads_when_shown_not_on_the_change(win, qtbot, monkeypatch):
    ordering = win.show_section("ordering")
    win.show_section("overview")  # the ordering page releases its long lists when it leaves sight
    assert "ordering" in win._released
    reloaded, refreshed = _count(monkeypatch, ordering), _count(monkeypatch, ordering, "refresh")
    events.announce(Topic.ORDERING, [])
    assert reloaded == [] and refreshed == []
    win.show_section("ordering")
    assert reloaded == [] and len(refreshed) == 1 and "ordering" not in win._released
