"""Every refusal a person reads names the field in Chinese words or not at all: never `proxy_name：…`."""

import re
from datetime import datetime
from pathlib import Path

import pytest

from renewal_desk.core.problems import FIELD_LABELS, MESSAGES, InputError, Problem

CORE = Path(__file__).resolve().parents[2] / "renewal_desk" / "core"
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # an internal name: proxy_name, starts_at, unit_id


def _fields_in_core() -> set[str]:
    """Every field name the core code puts on a Problem (field="…" and the names passed as field_name)."""
    names = set()
    for path in CORE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r'field="([a-z_0-9]+)"', text))
        names.update(re.findall(r'_text\([^()]*?"([a-z_]+)"(?:, (?:required=)?\w+)?\)', text))
    return names


def _load_every_message() -> None:
    import importlib
    import pkgutil

    import renewal_desk.core as core

    for info in pkgutil.walk_packages(core.__path__, "renewal_desk.core."):
        importlib.import_module(info.name)  # every module declares its messages on import


def test_no_message_shows_an_internal_field_name():
    _load_every_message()
    fields = _fields_in_core() | {"title", "organisation", "weird_internal_name"}
    assert {"proxy_name", "title", "starts_at"} <= fields  # the scan finds them
    params = {"what": "议程名称", "label": "名称", "value": "x", "max": 10, "limit": 10, "kind": "会议", "id": 1}
    for code in MESSAGES:
        for field_name in fields:
            for lang in ("zh", "en"):
                problem = Problem(code, params, field=field_name)
                text = problem.describe(lang)
                where = problem.where(lang)
                if lang == "zh":
                    assert field_name not in where, (code, field_name, where)
                    assert not SNAKE.search(re.sub(r"\{[^}]*\}", "", text)), (code, field_name, text)  # params here are fakes
                else:  # English words may equal a simple field name ("household"), never an internal one
                    assert where in ("", FIELD_LABELS.get(field_name, ("", ""))[1]), (code, field_name, where)
                    assert "_" not in where


def test_known_fields_are_named_in_chinese_once():
    assert Problem("x", field="proxy_name").describe() == "代理人姓名：x"
    # the message already says which field: not said twice
    from renewal_desk.core.services import meetings  # noqa: F401 - declares E_TITLE

    problem = Problem("meeting.title", {"what": "会议名称", "what_en": "The title"}, field="title")
    assert not problem.describe().startswith("名称：") and "title" not in problem.describe()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_real_refusals_name_no_internal_field(db, lang):
    from renewal_desk.core.services import meetings as svc

    with pytest.raises(InputError) as refused:
        svc.create_meeting(db, svc.MeetingInput("  ", datetime(2026, 5, 1, 19, 0)))
    text = refused.value.describe(lang)
    assert not text.startswith(("title：", "title:")) and not SNAKE.search(text), text
    mid = svc.create_meeting(db, svc.MeetingInput("议事会", datetime(2026, 5, 1, 19, 0)))
    attendee = svc.add_attendee(db, mid, svc.AttendeeInput(name="赵一"))
    with pytest.raises(InputError) as refused:
        svc.sign_in(db, attendee, proxy=True)
    text = refused.value.describe(lang)
    assert "proxy_name" not in text and not SNAKE.search(text), text
    assert FIELD_LABELS["proxy_name"][0] in text or "代理人" in text or lang == "en"
