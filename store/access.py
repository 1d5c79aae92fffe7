"""Who is acting, and what they may do: the one place that decides scope.

Roles (from the identity provider's claims on a district server, `local` on a single machine):

| role | reads | writes |
|---|---|---|
| `district_admin` | every school | nothing (district runs only) |
| `scheduler` | its own school | its own school |
| `viewer` | its own school | nothing |
| `local` | every school | every school (the single user of a local install: no login) |

Every repository call checks the actor against the school it names (`require_read`,
`require_write`) before touching a row, and every query filters by that school, so nothing in the
user interface is trusted to hide another school's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["district_admin", "scheduler", "viewer", "local"]
ROLES: tuple[str, ...] = ("district_admin", "scheduler", "viewer", "local")
SCHOOL_ROLES = frozenset({"scheduler", "viewer"})


class StoreError(Exception):
    """Base of the storage errors the app shows to the user."""


class AccessDenied(StoreError):
    """The actor may not do this to this school's data."""


class NotFound(StoreError):
    """No such scenario, version or plan in this school (also when it exists in another school)."""


class ConflictError(StoreError):
    """A save based on a version that is no longer the latest: someone saved in between."""

    def __init__(self, scenario_id: int, based_on: int, latest: int, saved_by: list[tuple[int, str, str]]):
        self.scenario_id, self.based_on, self.latest, self.saved_by = scenario_id, based_on, latest, saved_by
        who = "、".join(sorted({name for _, name, _ in saved_by})) or "?"
        super().__init__(
            f"保存冲突：你的修改基于 v{based_on}，但 {who} 已在此之后保存了 "
            + "、".join(f"v{n}" for n, _, _ in saved_by)
            + f"（最新 v{latest}）。你的修改没有覆盖他们的版本。"
            f" / Conflict: your changes are based on v{based_on}, but {who} saved "
            + ", ".join(f"v{n}" for n, _, _ in saved_by)
            + f" since (latest v{latest}); nothing was overwritten."
        )

    @property
    def who(self) -> list[str]:
        return sorted({name for _, name, _ in self.saved_by})


@dataclass(frozen=True)
class Actor:
    """The user acting: an id (the provider's `sub` or e-mail), a display name, a role, and the school
    a scheduler or viewer belongs to (None for the district administrator and the local user)."""

    user_id: str
    name: str
    role: Role
    school_id: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role in SCHOOL_ROLES and not self.school_id:
            raise ValueError(f"a {self.role} needs a school")

    def can_read(self, school_id: str) -> bool:
        if self.role in ("district_admin", "local"):
            return True
        return self.school_id == school_id

    def can_write(self, school_id: str) -> bool:
        if self.role == "local":
            return True
        return self.role == "scheduler" and self.school_id == school_id

    @property
    def reads_all(self) -> bool:
        return self.role in ("district_admin", "local")

    @property
    def writes_anything(self) -> bool:
        return self.role in ("scheduler", "local")

    @property
    def label(self) -> str:
        return f"{self.name} <{self.user_id}>" if self.name and self.name != self.user_id else self.user_id


LOCAL = Actor("local", "本机用户", "local")


def actor_from_claims(claims: Mapping[str, Any], role_claim: str = "role", school_claim: str = "school_id") -> Actor:
    """An actor from an identity token's claims; AccessDenied when the claims give no usable role.

    `role` must be one of district_admin, scheduler, viewer (never `local`: that is the login-free
    single-user mode, not something a provider can grant); schedulers and viewers need `school_id`.
    """
    user_id = str(claims.get("sub") or claims.get("email") or "").strip()
    if not user_id:
        raise AccessDenied("登录信息中没有用户标识（sub / email）。 / The login carries no user id.")
    if len(user_id) > 255 or not user_id.isprintable():
        raise AccessDenied(
            "登录信息中的用户标识过长或含控制字符。 / The login's user id is longer than 255 characters "
            "or holds control characters."
        )
    role = str(claims.get(role_claim) or "").strip()
    if role not in ("district_admin", "scheduler", "viewer"):
        raise AccessDenied(
            f"账户 {user_id} 没有分配角色（{role_claim}）。请联系区教育局管理员。 / "
            f"Account {user_id} has no role ({role_claim}); ask the district administrator."
        )
    school = claims.get(school_claim)
    school = str(school).strip() if school not in (None, "") else None
    if role in SCHOOL_ROLES and not school:
        raise AccessDenied(
            f"账户 {user_id} 的角色是 {role}，但没有所属学校（{school_claim}）。 / "
            f"Account {user_id} is a {role} without a school ({school_claim})."
        )
    name = str(claims.get("name") or claims.get("email") or user_id)
    return Actor(user_id, name, role, school if role in SCHOOL_ROLES else None)  # type: ignore[arg-type]


def require_read(actor: Actor, school_id: str) -> None:
    if not actor.can_read(school_id):
        raise AccessDenied(
            f"{actor.label}（{actor.role}）无权查看学校 {school_id} 的数据。 / "
            f"{actor.label} ({actor.role}) may not read school {school_id}."
        )


def require_write(actor: Actor, school_id: str) -> None:
    if not actor.can_write(school_id):
        raise AccessDenied(
            f"{actor.label}（{actor.role}）无权修改学校 {school_id} 的数据。 / "
            f"{actor.label} ({actor.role}) may not change school {school_id}."
        )
