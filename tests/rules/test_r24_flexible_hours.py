"""R24: duties are busy time; the on-site day within the maximum; rest between days; the plan
states each teacher's arrival and leaving."""

from tests.conftest import activity_rules, find, plan_dict, rules_of, with_instance


def test_service_during_a_duty_window(example_plan):
    hw = next(a for a in example_plan.activities if a.kind == "homework" and a.slots[0].period == "P1")
    sid, day = hw.staff[0], hw.slots[0].day
    L = with_instance(
        lambda r: next(s for s in r["staff"] if s["id"] == sid)["duties"].append(
            {"day": day, "start": "15:00", "end": "16:00"}
        )
    )
    assert "R24" in activity_rules(L, example_plan)


def test_on_site_day_too_long(example, example_plan):
    p = plan_dict(example_plan)
    care = find(p, lambda a: a["kind"] == "extended_care")
    care["staff"] = ["T01"]  # on duty from 07:40: leaving at 18:30 makes 650 minutes
    assert "R24" in activity_rules(example, p)


def test_too_little_rest_after_evening_study(junior_plan):
    eve = next(a for a in junior_plan.activities if a.kind == "evening_study")
    sid = eve.staff[0]
    nxt = {"mon": "tue", "tue": "wed", "wed": "thu", "thu": "fri", "fri": "sat"}[eve.slots[0].day]

    def change(r):
        st = next(s for s in r["staff"] if s["id"] == sid)
        st["duties"] = [d for d in st["duties"] if d["day"] != nxt] + [{"day": nxt, "start": "07:00", "end": "08:00"}]

    import tests.conftest as c

    assert "R24" in activity_rules(with_instance(change, c.junior_raw), junior_plan)


def test_reported_arrival_differs(example, example_plan):
    p = plan_dict(example_plan)
    p["staff_days"][0]["arrive"] = "09:00"
    assert rules_of(example, p) == {"R24"}


def test_staff_day_missing(example, example_plan):
    p = plan_dict(example_plan)
    p["staff_days"].pop()
    assert rules_of(example, p) == {"R24"}


def test_minutes_after_off_work_reported(example_plan):
    care_staff = {s for a in example_plan.activities if a.kind == "extended_care" for s in a.staff}
    late = [d for d in example_plan.staff_days if d.staff in care_staff and d.leave == "18:30"]
    assert late and all(d.minutes_after_off_work == 60 for d in late)
