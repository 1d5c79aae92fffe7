"""The app's modules import one another without a cycle — counting imports inside functions too,
which once hid one (ui.state ⇄ ui.storage) — and the table codec stays free of Streamlit."""

from __future__ import annotations

import ast

from tests.ui.conftest import ROOT


def _ui_imports() -> dict[str, set[str]]:
    """Every ui.* module → the ui.* modules it imports anywhere in its source."""
    modules = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (ROOT / "ui").rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        graph[name] = {m for m in found if m in modules and m not in (name, "ui")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, path = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_scan_sees_imports_inside_functions():
    graph = {"a": {"b"}, "b": {"a"}}
    assert _cycles(graph) == [["a", "b", "a"]]
    scanned = _ui_imports()
    assert "ui.session" in scanned["ui.storage"] and "ui.jobs" in scanned["ui.solving"]


def test_no_import_cycle_among_the_app_modules():
    assert _cycles(_ui_imports()) == []


def test_the_codec_the_check_and_the_files_import_no_streamlit():
    graph = _ui_imports()
    for name in ("ui.table_codec", "ui.checking", "ui.files"):
        tree = ast.parse((ROOT / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
        roots = {a.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        roots |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "streamlit" not in roots, name
        assert not graph[name] & {"ui.session", "ui.widgets", "ui.storage", "ui.solving"}, name
