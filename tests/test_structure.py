"""Where things live, checked by walking the imports (every `import`, at the top or inside a function).

- No UI page module imports another page module: what two pages share lives in ui/widgets/.
- No import cycle among renewal_desk.core modules, and the layers point one way: rules/ are pure (no
  models, services, db), exchange/ does not call services, problems.py imports nothing of ours.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "renewal_desk"

# Import cycles being taken apart on another branch: (module, module) edges allowed for now, each with
# its reason. Empty is the goal.
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@cache
def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


@cache
def import_graph() -> dict[str, set[str]]:
    """{module: the renewal_desk modules it imports when run}; `from pkg import name` counts pkg.name
    when that is a module, else pkg."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found: set[str] = set()
        tree = _tree(path)
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and "TYPE_CHECKING" in ast.unparse(block.test) for part in block.body for n in ast.walk(part)}
        for node in ast.walk(tree):
            if id(node) in typing_only:  # `if TYPE_CHECKING:` imports are for annotations, never run
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[:len(package) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]], nodes: set[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module among `nodes` (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v] & nodes:
            if (v, w) in KNOWN_CYCLE_EDGES:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return groups


def _is_page(module: str) -> bool:
    """A page: a section of the main window (ui/*_page.py, ui/<section>/page.py) or the window itself; not
    ui/page.py, the base every page is built on."""
    last = module.rsplit(".", 1)[-1]
    return module.startswith("renewal_desk.ui.") and module != "renewal_desk.ui.page" \
        and (last.endswith("_page") or last in ("page", "main_window"))


def test_the_walk_sees_imports_inside_functions_and_relative_ones():
    graph = import_graph()
    assert "renewal_desk.ui.leases_page" in graph["renewal_desk.ui.main_window"]  # imported inside a method
    assert "renewal_desk.core.problems" in graph["renewal_desk.core.services.households"]  # `from ..problems`
    assert "renewal_desk.ui.widgets.forms" in graph["renewal_desk.ui.leases_page"]
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}, {"a", "b", "c"}) == [["a", "b"]]


def test_no_page_imports_another_page():
    graph = import_graph()
    pages = {m for m in graph if _is_page(m)}
    assert len(pages) >= 10, pages
    found = sorted((m, other) for m in pages if not m.endswith("main_window")
                   for other in graph[m] & pages)
    assert not found, "pages importing pages (move what they share to ui/widgets/): " + repr(found)
    for m in graph:  # nor a page's dialog or model: only the window opens pages
        if m.startswith("renewal_desk.ui.") and not _is_page(m) and m != "renewal_desk.ui.app" \
                and not m.endswith("bench_gui") and m not in ("renewal_desk.ui.meetings",
                                                              "renewal_desk.ui.supervision"):
            assert not graph[m] & pages, (m, graph[m] & pages)


def test_no_import_cycle_among_core_modules():
    graph = import_graph()
    core = {m for m in graph if m.startswith("renewal_desk.core")}
    found = cycles(graph, core)
    assert not found, "import cycles in core: " + repr(found)


def test_core_layers_point_one_way():
    graph = import_graph()
    core = "renewal_desk.core."
    bad = []
    for module, imported in graph.items():
        for other in imported:
            if module.startswith(core + "rules.") and other.startswith(
                    (core + "models", core + "services", core + "db", core + "exchange", core + "printing")):
                bad.append((module, other))
            if module.startswith(core + "exchange.") and other.startswith(core + "services"):
                bad.append((module, other))
            if module == core + "problems":
                bad.append((module, other))
            if module.startswith(core) and other.startswith(("renewal_desk.ui", "renewal_desk.cli")):
                bad.append((module, other))
    assert not bad, bad


def _string_constants(path: Path):
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_every_data_level_setting_is_read_through_the_registry():
    """No module but core/settings.py spells a setting's key or touches the `setting` table's model."""
    from renewal_desk.core import settings

    keys = set(settings.REGISTRY)
    assert {"office.name", "accounts.auto_lock_minutes", "exchange.instance_id", "supervision.acceptance_rule",
            "consent.rules", "lease.lessee_org"} <= keys
    home = ROOT / "core" / "settings.py"
    strays = []
    for name, path in _modules().items():
        if path == home or name.startswith("renewal_desk.core.models"):
            continue
        for line, text in _string_constants(path):
            if text in keys or text.startswith((settings.DOC_SEQ_PREFIX, settings.ACCOUNT_PREFIX)):
                strays.append(f"{name}:{line} {text!r}")
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and any(a.name == "Setting" for a in node.names):
                strays.append(f"{name}:{node.lineno} imports the Setting model")
    assert not strays, "settings read or written outside core/settings.py: " + "; ".join(strays)


def test_the_settings_test_finds_a_stray_key(tmp_path):
    stray = tmp_path / "stray.py"
    stray.write_text('KEY = "consent.rules"\n', encoding="utf-8")
    assert ("consent.rules" in {t for _, t in _string_constants(stray)})


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _cjk(node: ast.AST | None) -> bool:
    """A string literal with Chinese in it, alone or inside a tuple/list/set literal."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(_CJK.search(node.value))
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_cjk(e) for e in node.elts)
    return False


def display_text_comparisons(source: str) -> list[tuple[int, str]]:
    """(line, code) of every place a Chinese string literal decides something: compared (==, !=, in,
    not in, is), a dict keyed by it (a state looked up by its label), a subscript or .get() with it, a
    `case` pattern. A Chinese string shown to the user (tr's text, a dict's value) is not flagged."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            if any(_cjk(side) for side in [node.left, *node.comparators]):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Dict):
            if any(_cjk(key) for key in node.keys):
                found.append((node.lineno, ast.unparse(node)[:80]))
        elif isinstance(node, ast.Subscript):
            if _cjk(node.slice):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "pop", "setdefault") \
                    and node.args and _cjk(node.args[0]):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.MatchValue):
            if _cjk(node.value):
                found.append((node.lineno, ast.unparse(node.value)))
    return found


def test_no_ui_code_compares_a_displayed_chinese_string():
    """The UI decides by enum members or codes and shows labels from the label tables (models' *_LABELS,
    translated for the English UI): comparing display text breaks the English UI and a renamed label."""
    found = []
    for name, path in _modules().items():
        if name.startswith("renewal_desk.ui"):
            found += [f"{name}:{line} {code}" for line, code in display_text_comparisons(path.read_text("utf-8"))]
    assert not found, "UI code deciding by Chinese display text:\n" + "\n".join(found)


def test_the_display_text_check_can_fail():
    sample = ('state = row[3]\n'
              'if state == "已表决": pass\n'
              'colour = "red" if "不通过" != state else None\n'
              'ok = state in ("在任", "x")\n'
              'COLOURS = {"未通过": "red"}\n'
              'c = COLOURS["未通过"]; d = COLOURS.get("在任")\n'
              'label = {"yes": "同意"}["yes"]\n'  # Chinese as a shown value: fine
              'print(tr("已表决"))\n')
    assert sorted(line for line, _ in display_text_comparisons(sample)) == [2, 3, 4, 5, 6, 6]


_QUERY_CALLS = {"select", "text", "execute", "scalars", "scalar", "query", "read", "write", "batch", "outerjoin",
                "where", "order_by", "group_by"}


def database_access(source: str) -> list[tuple[int, str]]:
    """(line, code) of every place a module reaches the database itself rather than through a service verb:
    an import of sqlalchemy or of a mapped model class, or a call that builds or runs a query or opens a
    session (select(...), session.execute(...), db.read(), .join(...), ...)."""
    from renewal_desk.core import models

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
        elif isinstance(node, ast.ImportFrom):
            if (node.module or "").split(".")[0] == "sqlalchemy":
                found.append((node.lineno, node.module))
            elif (node.module or "").startswith("renewal_desk.core.models"):
                found += [(node.lineno, a.name) for a in node.names if hasattr(getattr(models, a.name, None), "__table__")]
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in _QUERY_CALLS:
                found.append((node.lineno, ast.unparse(node)[:80]))
    return found


def test_the_cli_calls_service_verbs_only():
    """renewal_desk/cli.py parses arguments and prints what the services return: no SQL of its own (a query
    there escapes the services' limits, masking and one-query listings)."""
    found = database_access((ROOT / "cli.py").read_text(encoding="utf-8"))
    assert not found, "cli.py reaching the database itself (add a service verb): " + repr(found)


def test_the_cli_check_can_fail():
    sample = ('from sqlalchemy import select\n'
              'import sqlalchemy.exc\n'
              'from renewal_desk.core.models import Project, APPOINTMENT_STATUS_LABELS\n'
              'with db.read() as s:\n'
              '    rows = s.execute(select(Project.id).order_by(Project.id))\n'
              'print(", ".join(names), APPOINTMENT_STATUS_LABELS)\n')  # a label table is not query machinery
    assert sorted({line for line, _ in database_access(sample)}) == [1, 2, 3, 4, 5]


def test_ui_fills_translated_texts_with_fmt_only():
    """Texts with %1, %2 … are filled by ui.i18n.fmt, in one pass: a chain of .replace("%1", …).replace("%2", …)
    filled a marker inside an earlier value ("%2 号楼") and was written out by hand at every use (issue 21)."""
    import re

    chains = []
    for path in sorted(ROOT.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""\.replace\(\s*["']%\d["']""", line):
                chains.append(f"{path.relative_to(ROOT.parent)}:{n}")
    assert chains == [], chains


# UI modules allowed a hand-filled QTableWidget, by module name prefix: none.
QTABLEWIDGET_LEFT: tuple[str, ...] = ()


def table_widget_uses(source: str) -> list[tuple[int, str]]:
    """(line, name) of every mention of QTableWidget or QTableWidgetItem: an import, a subclass, a call."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[-1] in _TABLE_WIDGET]
        elif isinstance(node, ast.Name) and node.id in _TABLE_WIDGET:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute) and node.attr in _TABLE_WIDGET:
            found.append((node.lineno, node.attr))
    return sorted(set(found))


_TABLE_WIDGET = {"QTableWidget", "QTableWidgetItem"}


def test_lists_are_models_not_hand_filled_table_widgets():
    """Every list or grid in the UI is a model (ui/rows_model.py RowsModel with a column spec, or a page's own
    lazy model) shown in a QTableView: one place for a cell's text, colour, id, tick box and edit, checked by
    qtmodeltester, and no per-cell QTableWidgetItem objects."""
    found = [f"{name}:{line} {what}" for name, path in sorted(_modules().items())
             if name.startswith("renewal_desk.ui") and not name.startswith(QTABLEWIDGET_LEFT)
             for line, what in table_widget_uses(path.read_text(encoding="utf-8"))]
    assert not found, "hand-filled QTableWidget lists (use RowsModel and table_view):\n" + "\n".join(found)


def test_the_table_widget_check_can_fail():
    sample = ('from PySide6.QtWidgets import QTableWidget, QTableView\n'
              'from PySide6 import QtWidgets\n'
              'class Grid(QtWidgets.QTableWidget):\n'
              '    pass\n'
              'view = QTableView()\n'
              'cell = QtWidgets.QTableWidgetItem("x")\n')
    assert table_widget_uses(sample) == [(1, "QTableWidget"), (3, "QTableWidget"), (6, "QTableWidgetItem")]


def exception_guesses(source: str) -> list[int]:
    """Lines that guess how a failure words itself: hasattr/getattr on an exception for describe, message
    or problems (core.problems.UserError.text is the one way; widgets.feedback.error_text shows it)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("hasattr", "getattr")
                and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) and node.args[0].id in ("exc", "error", "e")
                and isinstance(node.args[1], ast.Constant) and node.args[1].value in ("describe", "message", "problems")):
            found.append(node.lineno)
    return sorted(found)


def test_the_ui_never_guesses_how_an_error_words_itself():
    found = [f"{name}:{line}" for name, path in sorted(_modules().items()) if name.startswith("renewal_desk.ui")
             for line in exception_guesses(path.read_text(encoding="utf-8"))]
    assert not found, "use widgets.feedback.error_text(exc):\n" + "\n".join(found)
    assert exception_guesses('text = exc.message("zh") if hasattr(exc, "message") else str(exc)\n'
                             'p = getattr(exc, "problems", None)\n') == [1, 2]


def test_every_refusal_words_itself_through_one_method():
    from renewal_desk.core.db import DatabaseError
    from renewal_desk.core.problems import CodedError, InputError, Problem, UserError, declare

    code = declare("test.structure_refusal", "不行：{what}", "No: {what}")
    refused = InputError([Problem(code, {"what": "甲"}, row=3), Problem(code, {"what": "乙"})])
    assert isinstance(refused, UserError) and refused.text("zh") == "第 3 行：不行：甲\n不行：乙"
    assert refused.text("en") == "row 3: No: 甲\nNo: 乙"
    assert issubclass(DatabaseError, CodedError) and CodedError(code, what="丙").text("en") == "No: 丙"
