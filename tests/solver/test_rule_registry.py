"""The rule registry (`solver/rules.py`): every rule has its entries, every name in it exists,
every test file it names shows the rule, and the README's rule table is the registry's."""

from __future__ import annotations

import functools
import importlib
import re

import pytest

from models.plan import RULE_CODES
from solver import rules
from solver.check.rules import RULE_CHECKS
from solver.model.sectioning import CONSTRAINTS

POLICY = rules.ROOT.parent / "shared" / "spec" / "policy-rules.md"


def resolve(dotted: str):
    """A module attribute by its dotted path (a function, or a class attribute)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ModuleNotFoundError(dotted)


def test_every_policy_rule_has_an_entry():
    codes = [r.code for r in rules.RULES]
    assert len(codes) == len(set(codes))
    assert [c for c in codes if c.startswith("R")] == list(RULE_CODES)


@pytest.mark.skipif(not POLICY.exists(), reason="../shared/spec/policy-rules.md is not beside this clone")
def test_registry_matches_policy_rules_md():
    numbered = re.findall(r"^\| (R\d+) \|", POLICY.read_text(encoding="utf-8"), flags=re.M)
    assert numbered == [r.code for r in rules.RULES if r.code.startswith("R")]


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda r: r.code)
def test_every_name_exists(rule):
    for name in (*rule.model, *rule.checks):
        found = resolve(name)  # raises when the module or the name is gone
        assert callable(found) or isinstance(found, functools.cached_property | property), name
    assert rule.checks or rule.model, f"{rule.code}: nothing enforces or verifies it"
    assert rule.tests, f"{rule.code}: no test"


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda r: r.code)
def test_every_test_file_shows_its_rule(rule):
    code = "FMT-" if rule.code == "FMT" else rule.code
    for path in rule.tests:
        text = (rules.ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"\b{re.escape(code)}", text), f"{path} never names {rule.code}"


def _named(field: str) -> set:
    return {resolve(n) for r in rules.RULES for n in getattr(r, field)}


def test_every_stage_one_constraint_is_named_by_a_rule():
    assert set(CONSTRAINTS) <= _named("model"), "a constraint module no rule names"


def test_every_check_is_named_by_a_rule():
    assert set(RULE_CHECKS) <= _named("checks"), "a checker function no rule names"


def test_report_rules_have_their_line():
    for r in rules.RULES:
        assert bool(r.report_line) == (r.compliance == "report line"), r.code


def test_readme_rule_table_is_the_registry():
    block = rules.readme_block(rules.README.read_text(encoding="utf-8"))
    assert block is not None, "README lost its rule-table markers"
    assert block == rules.markdown(), "README's rule table is stale: run `python -m solver.rules --readme`"
