"""The demo school, its roster and the district demo: data files installed with the package
(pyproject package-data), found next to this module — no checkout needed."""

from __future__ import annotations

from pathlib import Path


def demo_files() -> dict[str, Path]:
    """The demo school, its roster and the district demo, installed with the package."""
    base = Path(__file__).resolve().parent
    return {
        "instance": base / "example.json",
        "roster": base / "example-roster.csv",
        "district": base / "district-demo" / "district.json",
    }
