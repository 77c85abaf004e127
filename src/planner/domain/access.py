"""Who may change what: roles, permissions and the person acting (pure: no streamlit, no SQL).

    viewer  <  editor  <  admin
    viewer   sees every page and exports
    editor   + changes plans (items, settings, imports, stories), readings and reviews
    admin    + manages people, erasure and opt-outs, settings and roles

Every write in the services layer starts with `require(actor, permission, what)`. `actor` is
what the services always took, a `str`: a plain string (the CLI, scripts, local use without
sign-in) acts as **admin**; an `Actor` (a `str` subclass carrying email and role, built by the
dashboard from the signed-in user) acts with its role. A write the role does not cover raises
PermissionDeniedError and nothing is written.

Roles come from configuration (Streamlit secrets, `[planner.roles]`):

    [planner.roles]
    admins = ["ana@example.org"]
    editors = ["ben@example.org", "@example.org"]   # "@domain": everyone at that domain
    viewers = []                                    # optional: pin someone to viewer
    default = "viewer"                              # anyone signed in and not listed

An email listed by itself counts before its @domain; listed twice, the higher role wins.
Emails compare case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import IntEnum, StrEnum
from typing import Any

from planner.errors import PermissionDeniedError, PlannerError

__all__ = [
    "PERMISSIONS",
    "Actor",
    "Permission",
    "Role",
    "RolesConfig",
    "actor_role",
    "allowed",
    "require",
    "role_for",
    "roles_config",
]


class Role(IntEnum):
    VIEWER = 1
    EDITOR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: Any, where: str) -> Role:
        found = {r.label: r for r in cls}.get(str(text).strip().lower())
        if found is None:
            raise PlannerError(
                f"{where}: '{text}' is not a role. Use one of: viewer, editor, admin."
            )
        return found


class Permission(StrEnum):
    PLAN_EDIT = "plan.edit"
    READINGS_EDIT = "readings.edit"
    REVIEW_EDIT = "review.edit"
    PEOPLE_MANAGE = "people.manage"
    PEOPLE_ERASE = "people.erase"
    SETTINGS_MANAGE = "settings.manage"
    ROLES_MANAGE = "roles.manage"


PERMISSIONS: dict[Permission, tuple[Role, str]] = {
    Permission.PLAN_EDIT: (Role.EDITOR, "change plans"),
    Permission.READINGS_EDIT: (Role.EDITOR, "change readings and stories"),
    Permission.REVIEW_EDIT: (Role.EDITOR, "record reviews and action items"),
    Permission.PEOPLE_MANAGE: (Role.ADMIN, "manage people"),
    Permission.PEOPLE_ERASE: (Role.ADMIN, "erase people and keep the opt-out list"),
    Permission.SETTINGS_MANAGE: (Role.ADMIN, "change settings"),
    Permission.ROLES_MANAGE: (Role.ADMIN, "change roles"),
}
"""Each permission: the lowest role that has it, and what it lets one do (for messages)."""


def allowed(role: Role, permission: Permission) -> bool:
    return role >= PERMISSIONS[permission][0]


class Actor(str):
    """The person acting, as the services take it: the name recorded in the activity log,
    with the email they signed in with, their role, and who can grant more (for messages)."""

    email: str | None
    role: Role
    admins: tuple[str, ...]

    def __new__(
        cls,
        name: str,
        *,
        email: str | None = None,
        role: Role = Role.ADMIN,
        admins: Iterable[str] = (),
    ) -> Actor:
        self = super().__new__(cls, name)
        self.email = email
        self.role = role
        self.admins = tuple(admins)
        return self

    @property
    def name(self) -> str:
        return str(self)

    def __reduce__(self) -> Any:  # copy and pickle keep the role
        return (_actor, (str(self), self.email, int(self.role), self.admins))


def _actor(name: str, email: str | None, role: int, admins: tuple[str, ...]) -> Actor:
    return Actor(name, email=email, role=Role(role), admins=admins)


def actor_role(actor: str) -> Role:
    """An Actor's role; a plain string is local use (CLI, scripts, no sign-in): admin."""
    return actor.role if isinstance(actor, Actor) else Role.ADMIN


def require(actor: str, permission: Permission, what: str) -> None:
    """Refuse `what` (a phrase: "add tactics to plan 'X'") unless the actor's role allows it."""
    role = actor_role(actor)
    if allowed(role, permission):
        return
    needed, does = PERMISSIONS[permission]
    who = str(actor) or "Someone"
    if isinstance(actor, Actor) and actor.email and actor.email != str(actor):
        who += f" ({actor.email})"
    grantors = ", ".join(actor.admins) if isinstance(actor, Actor) and actor.admins else ""
    ask = f"an admin ({grantors})" if grantors else "an admin"
    anonymous = isinstance(actor, Actor) and not actor.email
    status = "is not signed in" if anonymous else f"is signed in as {role.label}"
    raise PermissionDeniedError(
        f"{who} {status} and cannot {what}: only {needed.label}s and above "
        f"may {does} ({permission}). Nothing was changed. To get the {needed.label} role, ask "
        f"{ask} to add your email under `{needed.label}s` in the `[planner.roles]` secrets."
    )


# --- roles from configuration ------------------------------------------------------------------


class RolesConfig:
    """`[planner.roles]` checked once: email lists per role and the default role."""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        config = dict(config or {})
        where = "[planner.roles]"
        unknown = sorted(set(config) - {"admins", "editors", "viewers", "default"})
        if unknown:
            raise PlannerError(
                f"{where}: unknown key(s) {', '.join(unknown)}. "
                "Use admins, editors, viewers (lists of emails) and default (a role)."
            )
        self.default = Role.parse(config.get("default", "viewer"), f"{where} default")
        self.lists: dict[Role, frozenset[str]] = {}
        for role in Role:
            key = f"{role.label}s"
            raw = config.get(key, [])
            if isinstance(raw, str) or not isinstance(raw, Iterable):
                raise PlannerError(
                    f'{where} {key} must be a list of emails, e.g. {key} = ["a@example.org"].'
                )
            entries = [str(e).strip().lower() for e in raw]
            bad = [e for e in entries if "@" not in e]
            if bad:
                raise PlannerError(
                    f"{where} {key}: '{bad[0]}' is not an email or an @domain. "
                    'Write "name@example.org", or "@example.org" for everyone there.'
                )
            self.lists[role] = frozenset(entries)

    @property
    def admins(self) -> tuple[str, ...]:
        """Who can grant a role: the admins listed by email (not whole domains)."""
        return tuple(sorted(e for e in self.lists[Role.ADMIN] if not e.startswith("@")))

    def role_for(self, email: str | None) -> Role:
        if not email:
            return Role.VIEWER
        email = email.strip().lower()
        domain = "@" + email.rpartition("@")[2]
        for entry in (email, domain):  # an email listed by itself counts before its domain
            for role in sorted(Role, reverse=True):  # listed twice: the higher role
                if entry in self.lists[role]:
                    return role
        return self.default


def roles_config(secrets: Mapping[str, Any] | None) -> RolesConfig:
    """The `[planner.roles]` table of the secrets (absent: everyone signed in is a viewer)."""
    planner = (secrets or {}).get("planner") or {}
    return RolesConfig(planner.get("roles") if isinstance(planner, Mapping) else None)


def role_for(email: str | None, config: Mapping[str, Any] | RolesConfig | None) -> Role:
    """The role of someone signed in with `email` (no email: viewer)."""
    checked = config if isinstance(config, RolesConfig) else RolesConfig(config)
    return checked.role_for(email)
