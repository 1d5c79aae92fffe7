"""The constraint set the converter supports: per FET constraint type, the attributes it can
express and whether a weight below 100% is allowed. Any other constraint type, or a supported one
with an attribute or weight this converter cannot express, is named and the file is skipped
(`Unsupported`): nothing is dropped silently.
"""

from __future__ import annotations

from benchmarks.peers.fet.fetfile import FetData

# ---------------------------------------------------------------------------------------------
# the supported constraint set: tag -> (fields allowed besides weight/active/comments, soft allowed)

FILTERS = {"Teacher_Name", "Students_Name", "Subject_Name", "Activity_Tag_Name", "Duration"}
NA = {"Number_of_Not_Available_Times", "Not_Available_Time"}
SUPPORTED: dict[str, tuple[set[str], bool]] = {
    # T1 core
    "ConstraintBasicCompulsoryTime": (set(), False),
    "ConstraintBreakTimes": ({"Number_of_Break_Times", "Break_Time"}, False),
    "ConstraintTeacherNotAvailableTimes": ({"Teacher"} | NA, True),
    "ConstraintStudentsSetNotAvailableTimes": ({"Students"} | NA, True),
    "ConstraintActivityPreferredStartingTime": (
        {"Activity_Id", "Preferred_Day", "Preferred_Hour", "Permanently_Locked"},
        True,
    ),
    "ConstraintActivityPreferredStartingTimes": (
        {"Activity_Id", "Number_of_Preferred_Starting_Times", "Preferred_Starting_Time"},
        True,
    ),
    "ConstraintActivitiesPreferredStartingTimes": (
        FILTERS | {"Number_of_Preferred_Starting_Times", "Preferred_Starting_Time"},
        True,
    ),
    "ConstraintActivityPreferredTimeSlots": (
        {"Activity_Id", "Number_of_Preferred_Time_Slots", "Preferred_Time_Slot"},
        False,
    ),
    "ConstraintActivitiesPreferredTimeSlots": (
        FILTERS | {"Number_of_Preferred_Time_Slots", "Preferred_Time_Slot"},
        False,
    ),
    "ConstraintSubactivitiesPreferredTimeSlots": (
        FILTERS | {"Component_Number", "Number_of_Preferred_Time_Slots", "Preferred_Time_Slot"},
        False,
    ),
    "ConstraintTeacherMaxGapsPerDay": ({"Teacher_Name", "Max_Gaps"}, False),
    "ConstraintTeachersMaxGapsPerDay": ({"Max_Gaps"}, False),
    "ConstraintTeacherMaxGapsPerWeek": ({"Teacher_Name", "Max_Gaps"}, False),
    "ConstraintTeachersMaxGapsPerWeek": ({"Max_Gaps"}, False),
    "ConstraintTeacherMaxHoursDaily": ({"Teacher_Name", "Maximum_Hours_Daily"}, False),
    "ConstraintTeachersMaxHoursDaily": ({"Maximum_Hours_Daily"}, False),
    "ConstraintMinDaysBetweenActivities": (
        {"Consecutive_If_Same_Day", "Number_of_Activities", "Activity_Id", "MinDays"},
        True,
    ),
    # T2 extras
    "ConstraintTeacherMaxDaysPerWeek": ({"Teacher_Name", "Max_Days_Per_Week"}, False),
    "ConstraintTeachersMaxDaysPerWeek": ({"Max_Days_Per_Week"}, False),
    "ConstraintTeacherMinHoursDaily": ({"Teacher_Name", "Minimum_Hours_Daily", "Allow_Empty_Days"}, False),
    "ConstraintTeachersMinHoursDaily": ({"Minimum_Hours_Daily", "Allow_Empty_Days"}, False),
    "ConstraintStudentsMaxGapsPerWeek": ({"Max_Gaps"}, False),
    "ConstraintStudentsSetMaxGapsPerWeek": ({"Max_Gaps", "Students"}, False),
    "ConstraintStudentsEarlyMaxBeginningsAtSecondHour": ({"Max_Beginnings_At_Second_Hour"}, False),
    "ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour": ({"Max_Beginnings_At_Second_Hour", "Students"}, False),
    "ConstraintActivitiesSameStartingTime": ({"Number_of_Activities", "Activity_Id"}, False),
    "ConstraintActivitiesNotOverlapping": ({"Number_of_Activities", "Activity_Id"}, False),
    # room layer
    "ConstraintBasicCompulsorySpace": (set(), False),
    "ConstraintActivityPreferredRoom": ({"Activity_Id", "Room", "Permanently_Locked"}, False),
    "ConstraintActivityPreferredRooms": ({"Activity_Id", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintSubjectPreferredRoom": ({"Subject", "Room"}, False),
    "ConstraintSubjectPreferredRooms": ({"Subject", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintActivityTagPreferredRoom": ({"Activity_Tag", "Room"}, False),
    "ConstraintActivityTagPreferredRooms": ({"Activity_Tag", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintTeacherHomeRoom": ({"Teacher", "Room"}, False),
    "ConstraintTeacherHomeRooms": ({"Teacher", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintStudentsSetHomeRoom": ({"Students", "Room"}, False),
    "ConstraintStudentsSetHomeRooms": ({"Students", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintRoomNotAvailableTimes": ({"Room"} | NA, False),
}


class Unsupported(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("unsupported: " + "; ".join(reasons))
        self.reasons = reasons


def unsupported(data: FetData) -> list[str]:
    """What this converter cannot express, by constraint type (and attribute); empty if all is."""
    out = set(data.extra)
    if data.virtual_rooms:
        out.add("virtual rooms")
    for c in data.constraints:
        if not c.active:
            continue  # FET ignores inactive constraints, and so do we
        spec = SUPPORTED.get(c.kind)
        if spec is None:
            out.add(c.kind)
            continue
        allowed, soft_ok = spec
        for key in c.fields:
            if key not in allowed:
                out.add(f"{c.kind}.{key}")
        if 0 < c.weight < 100 and not soft_ok:
            out.add(f"{c.kind} with weight {c.weight:g}% (soft)")
        if c.kind in ("ConstraintBasicCompulsoryTime", "ConstraintBasicCompulsorySpace") and c.weight < 100:
            out.add(f"{c.kind} below 100%")
        if c.kind == "ConstraintActivityPreferredStartingTime" and not (
            c.one("Preferred_Day") and c.one("Preferred_Hour")
        ):
            out.add(f"{c.kind} without both day and hour")
    return sorted(out)
