"""The table codec, the check and the file readers stay free of Streamlit and of the session.
(That no modules import one another round a loop, ui.* included, is tests/test_imports.py's.)"""

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


def test_the_codec_the_check_and_the_files_import_no_streamlit():
    graph = _ui_imports()
    for name in ("ui.table_codec", "ui.checking", "ui.files"):
        tree = ast.parse((ROOT / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
        roots = {a.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        roots |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "streamlit" not in roots, name
        assert not graph[name] & {"ui.session", "ui.widgets", "ui.storage", "ui.solving"}, name
