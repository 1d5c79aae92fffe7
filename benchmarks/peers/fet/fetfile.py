"""A FET file (`.fet`, FET's XML input) as a plain record, and the XML this peer writes back.

Where the files are (the Debian package `fet-data`'s examples, the tier lists beside the clone,
the git-ignored cache), `parse` (no interpretation beyond the students tree: years, groups and
subgroups expanded), and `locked_copy`: the file again with a plan locked into it, for FET to
accept or refuse.

The .fet files are AGPL-3+ with real names: read them from the installed package, keep their
conversions under the git-ignored `.cache/fet/`, and never write names from them into results.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PEERS = ROOT.parent / "shared" / "peers" / "fet"
EXAMPLES = Path("/usr/share/doc/fet-data/examples")
CACHE = ROOT / ".cache" / "fet"


def installed() -> bool:
    return EXAMPLES.is_dir()


def file_list(tier: str) -> list[str]:
    """The files of a tier (`t1` or `t2`), relative to the examples folder."""
    lines = (PEERS / f"{tier}-files.txt").read_text(encoding="utf-8").split()
    return [line.removeprefix("examples/") for line in lines if line.strip()]


def example_path(name: str) -> Path:
    p = Path(name)
    if p.exists():
        return p
    p = EXAMPLES / (name if name.endswith(".fet") else name + ".fet")
    if p.exists():
        return p
    hits = sorted(EXAMPLES.glob(f"*/**/{name}.fet"))
    if hits:
        return hits[0]
    raise FileNotFoundError(name)


def short_name(path: Path) -> str:
    """A stable label for a file: its path under examples/ without the suffix."""
    try:
        rel = path.resolve().relative_to(EXAMPLES)
    except ValueError:
        return path.stem
    return str(rel.with_suffix(""))


# ---------------------------------------------------------------------------------------------
# parsing: a plain record of the file (no interpretation beyond the students tree)


@dataclass
class Activity:
    id: int
    teachers: tuple[str, ...]
    subject: str
    tags: tuple[str, ...]
    students: tuple[str, ...]
    duration: int
    group_id: int
    active: bool
    n_students: int | None  # Number_Of_Students when given (else the sets' sizes are summed)


@dataclass
class Constraint:
    kind: str  # the XML tag, e.g. ConstraintMinDaysBetweenActivities
    index: int  # position in its list (time constraints, then space constraints): a stable id
    space: bool
    weight: float
    active: bool
    fields: dict[str, list]  # child tag -> texts, or dicts for nested children (Day/Hour pairs)

    @property
    def label(self) -> str:
        return f"{self.kind}#{self.index}"

    def one(self, key: str, default: str | None = None) -> str | None:
        v = self.fields.get(key)
        return v[0] if v else default

    def times(self, key: str, day_tag: str, hour_tag: str) -> list[tuple[str, str]]:
        return [(d.get(day_tag, ""), d.get(hour_tag, "")) for d in self.fields.get(key, [])]


@dataclass
class FetData:
    name: str
    days: list[str]
    hours: list[str]
    teachers: list[str]
    subjects: list[str]
    rooms: dict[str, int]  # room -> capacity
    virtual_rooms: list[str]
    set_size: dict[str, int]  # students set (year, group, subgroup) -> number of students
    set_kind: dict[str, str]  # students set -> year | group | subgroup
    subgroups_of: dict[str, tuple[str, ...]]  # students set -> its subgroups (FET's internal ones)
    activities: list[Activity]
    constraints: list[Constraint]
    extra: list[str] = field(default_factory=list)  # unknown top-level or activity tags

    def day_index(self, name: str) -> int:
        return _index(self.days, name)

    def hour_index(self, name: str) -> int:
        return _index(self.hours, name)

    def slot(self, day: str, hour: str) -> tuple[int, int]:
        return self.day_index(day), self.hour_index(hour)


def _index(names: list[str], name: str) -> int:
    try:
        return names.index(name)
    except ValueError:
        stripped = [n.strip() for n in names]
        return stripped.index(name.strip())


def _text(element: ET.Element | None) -> str:
    return "" if element is None or element.text is None else element.text


def _names(parent: ET.Element | None, tag: str) -> list[str]:
    out = []
    for e in parent if parent is not None else []:
        if e.tag == tag:
            name = e.find("Name")
            out.append(_text(name) if name is not None else _text(e))
    return out


TOP = {
    "Institution_Name",
    "Comments",
    "Days_List",
    "Hours_List",
    "Subjects_List",
    "Activity_Tags_List",
    "Teachers_List",
    "Students_List",
    "Activities_List",
    "Buildings_List",
    "Rooms_List",
    "Time_Constraints_List",
    "Space_Constraints_List",
    "Mode",
}
ACTIVITY_TAGS = {
    "Teacher",
    "Subject",
    "Activity_Tag",
    "Students",
    "Duration",
    "Total_Duration",
    "Id",
    "Activity_Group_Id",
    "Active",
    "Comments",
    "Number_Of_Students",
}


def parse(path: str | Path) -> FetData:
    path = Path(path)
    root = ET.parse(path).getroot()
    extra = [f"top-level {c.tag}" for c in root if c.tag not in TOP]
    if root.findtext("Mode") not in (None, "Official"):
        extra.append(f"Mode={root.findtext('Mode')}")
    days = _names(root.find("Days_List"), "Day")
    hours = _names(root.find("Hours_List"), "Hour")
    teachers = _names(root.find("Teachers_List"), "Teacher")
    subjects = _names(root.find("Subjects_List"), "Subject")
    rooms: dict[str, int] = {}
    virtual = []
    for r in root.find("Rooms_List") if root.find("Rooms_List") is not None else []:
        name = _text(r.find("Name"))
        rooms[name] = int(_text(r.find("Capacity")).strip() or 0)
        if _text(r.find("Virtual")).strip() == "true":
            virtual.append(name)
    set_size: dict[str, int] = {}
    set_kind: dict[str, str] = {}
    members: dict[str, set[str]] = defaultdict(set)

    def size(element):
        return int(_text(element.find("Number_of_Students")).strip() or 0)

    for y in root.find("Students_List") if root.find("Students_List") is not None else []:
        yname = _text(y.find("Name"))
        set_size.setdefault(yname, size(y))
        set_kind.setdefault(yname, "year")
        groups = y.findall("Group")
        if not groups:
            members[yname].add(yname)  # FET's automatic group and subgroup
        for g in groups:
            gname = _text(g.find("Name"))
            set_size.setdefault(gname, size(g))
            set_kind.setdefault(gname, "group")
            subs = g.findall("Subgroup")
            if not subs:
                members[gname].add(gname)
            for s in subs:
                sname = _text(s.find("Name"))
                set_size.setdefault(sname, size(s))
                set_kind.setdefault(sname, "subgroup")
                members[sname].add(sname)
                members[gname].add(sname)
            members[yname] |= members[gname]
    subgroups_of = {k: tuple(sorted(v)) for k, v in members.items()}
    activities = []
    for a in root.find("Activities_List") if root.find("Activities_List") is not None else []:
        extra += [f"Activity.{c.tag}" for c in a if c.tag not in ACTIVITY_TAGS]
        ns = a.find("Number_Of_Students")
        activities.append(
            Activity(
                id=int(_text(a.find("Id")).strip()),
                teachers=tuple(_text(t) for t in a.findall("Teacher")),
                subject=_text(a.find("Subject")),
                tags=tuple(_text(t) for t in a.findall("Activity_Tag")),
                students=tuple(_text(s) for s in a.findall("Students")),
                duration=int(_text(a.find("Duration")).strip()),
                group_id=int(_text(a.find("Activity_Group_Id")).strip() or 0),
                active=_text(a.find("Active")).strip() != "false",
                n_students=int(_text(ns).strip()) if ns is not None else None,
            )
        )
    constraints = []
    for section, space in (("Time_Constraints_List", False), ("Space_Constraints_List", True)):
        for e in root.find(section) if root.find(section) is not None else []:
            fields: dict[str, list] = defaultdict(list)
            for c in e:
                if len(c):
                    fields[c.tag].append({cc.tag: _text(cc) for cc in c})
                else:
                    fields[c.tag].append(_text(c))
            weight = float(fields.pop("Weight_Percentage", ["100"])[0].strip())
            active = fields.pop("Active", ["true"])[0].strip() != "false"
            fields.pop("Comments", None)
            constraints.append(Constraint(e.tag, len(constraints), space, weight, active, dict(fields)))
    return FetData(
        short_name(path),
        days,
        hours,
        teachers,
        subjects,
        rooms,
        virtual,
        set_size,
        set_kind,
        subgroups_of,
        activities,
        constraints,
        extra,
    )


def locked_copy(path: Path, placement: dict, dest: Path, rooms: dict) -> Path:
    """A copy of the .fet file with every placed activity locked at its start (and room when FET
    gives it one): FET must then accept the timetable as it is."""
    tree = ET.parse(path)
    root = tree.getroot()
    data = parse(path)
    tl, sl = root.find("Time_Constraints_List"), root.find("Space_Constraints_List")
    for aid, (d, h, room) in placement.items():
        c = ET.SubElement(tl, "ConstraintActivityPreferredStartingTime")
        for tag, val in (
            ("Weight_Percentage", "100"),
            ("Activity_Id", str(aid)),
            ("Preferred_Day", data.days[d]),
            ("Preferred_Hour", data.hours[h]),
            ("Permanently_Locked", "true"),
            ("Active", "true"),
            ("Comments", ""),
        ):
            ET.SubElement(c, tag).text = val
        if room is not None and rooms.get(int(aid)) is not None:
            c = ET.SubElement(sl, "ConstraintActivityPreferredRoom")
            for tag, val in (
                ("Weight_Percentage", "100"),
                ("Activity_Id", str(aid)),
                ("Room", room),
                ("Permanently_Locked", "true"),
                ("Active", "true"),
                ("Comments", ""),
            ):
                ET.SubElement(c, tag).text = val
    tree.write(dest, encoding="utf-8", xml_declaration=True)
    return dest


def convert_cached(name: str) -> FetData:
    """Parse a file (by name under the examples folder) and keep a JSON summary in the cache."""
    path = example_path(name)
    data = parse(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    return data
