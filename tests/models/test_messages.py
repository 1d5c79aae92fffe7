"""models.messages.Text: one bilingual message whose mixed form is what files and the command line show."""

from models.messages import EMPTY, Text, same
from models.problems import Problem
from solver.check import Violation


def test_text_mixed_form_and_one_language():
    t = Text("学生 S1 无人看管", "student S1 is unsupervised")
    assert str(t) == "学生 S1 无人看管 / student S1 is unsupervised"
    assert t.in_lang("zh") == "学生 S1 无人看管" and t.in_lang("en") == "student S1 is unsupervised"
    assert str(Text("（R9）", "keeping homework time", sep="/ ")) == "（R9）/ keeping homework time"
    odd = Text(
        "通过；加载警告 1 条", "passed; 1 load warnings", joined="通过 / passed；加载警告 1 条 / 1 load warnings"
    )
    assert str(odd) == "通过 / passed；加载警告 1 条 / 1 load warnings" and odd.in_lang("zh") == "通过；加载警告 1 条"
    assert str(same("陈老师")) == "陈老师" and not EMPTY and t


def test_problem_reads_and_reports_as_before():
    p = Problem("FMT-REF", "students[S1]", "class", Text("班级不存在。", "no such class."), Text("改正。", "fix it."))
    assert (p.message, p.message_en, p.hint, p.hint_en) == ("班级不存在。", "no such class.", "改正。", "fix it.")
    assert list(p.to_dict()) == ["rule", "record", "field", "message", "message_en", "hint", "hint_en", "severity"]
    bare = Problem("FMT-FILE", "file", None, Text("读不了。", "unreadable."))
    assert bare.to_dict() == {
        "rule": "FMT-FILE",
        "record": "file",
        "message": "读不了。",
        "message_en": "unreadable.",
        "hint": "",
        "hint_en": "",
        "severity": "error",
    }
    assert "提示" not in bare.render()


def test_violation_message_is_the_mixed_form():
    v = Violation("R21", Text("A1 有 40 人", "40 students, over max_size"), ["A1"])
    assert v.message == "A1 有 40 人 / 40 students, over max_size"
    assert v.to_dict() == {"rule": "R21", "message": v.message, "records": ["A1"]}
    assert v.render() == "[R21] A1 有 40 人 / 40 students, over max_size  [A1]"
    assert v.text.in_lang("en") == "40 students, over max_size"
