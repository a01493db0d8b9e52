"""The schema's revision graph: which Alembic revisions this program knows and which is the head,
read from the migration files in db/versions without importing alembic (it costs a third of a second)."""

from __future__ import annotations

import re

from .paths import migrations_dir


def _alembic_config(connection=None):
    # alembic is imported only when a schema has to be read or upgraded: importing it costs about a
    # third of a second at every start, and a database at the latest revision does not need it.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"^(down_)?revision(?:\s*:[^=]*)?\s*=\s*['\"]?([\w]+|None)['\"]?\s*$", re.MULTILINE)


def _revision_graph() -> dict[str, str | None]:
    """{revision: down_revision} read from the migration files' two assignments, without alembic
    (a test checks it against alembic's own reading)."""
    graph: dict[str, str | None] = {}
    for file in sorted(migrations_dir().joinpath("versions").glob("*.py")):
        found = dict((bool(down), value) for down, value in _REVISION.findall(file.read_text(encoding="utf-8")))
        if False in found:
            down = found.get(True)
            graph[found[False]] = None if down in (None, "None") else down
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {d for d in graph.values() if d}
    if len(heads) != 1:  # a branched or unreadable chain: let alembic decide (and complain)
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(_alembic_config()).get_current_head()
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())
