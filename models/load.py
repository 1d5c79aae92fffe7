"""Load an instance file (JSON or an Excel workbook): every problem in one report, warnings kept.

file bytes (`models.files.read_bytes`) → data (`models.json_text.parse_json`, or the workbook
reader `models.excel`) → the checks of `models.loaded.load_data` → `Loaded`.

This is the front door for instance files: the pieces it joins live in the modules below it, and
their names stay importable from here.
"""

from __future__ import annotations

import json
from pathlib import Path

from models.excel import read_instance_workbook
from models.files import read_bytes
from models.instance import Instance
from models.json_text import MAX_DEPTH, BadNumber, DuplicateKey, nesting_depth, parse_json
from models.loaded import Loaded, load_data, record_name, sha256, split_parts

__all__ = [
    "MAX_DEPTH",
    "BadNumber",
    "DuplicateKey",
    "Loaded",
    "dump_instance",
    "load_bytes",
    "load_data",
    "load_instance",
    "nesting_depth",
    "parse_json",
    "read_bytes",
    "record_name",
    "sha256",
    "split_parts",
]


def load_bytes(data: bytes, source: str = "<instance>") -> Loaded:
    return load_data(parse_json(data, source), data, source)


def load_instance(path: str | Path) -> Loaded:
    """Load an instance from JSON, or from an Excel workbook (.xlsx)."""
    if str(path).lower().endswith((".xlsx", ".xlsm")):
        return read_instance_workbook(path)
    return load_bytes(read_bytes(path), str(path))


def dump_instance(instance: Instance) -> str:
    """The file text of an instance: every field written out, like example-instance.json."""
    return json.dumps(instance.to_json_dict(), ensure_ascii=False, indent=1) + "\n"
