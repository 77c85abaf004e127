"""xAPI actors: the tables and checks of Agent, Group, account and inverse functional
identifiers (mbox, mbox_sha1sum, openid, account), never quoting an identifier.

Part of the xAPI data rules (see `planner.exchange.xapi_spec`); imports `xapi_values` and
`xapi_mapping`'s IRI rule.
"""

from __future__ import annotations

from typing import Any

from planner.exchange.xapi_mapping import is_iri
from planner.exchange.xapi_values import (
    _IFI_LIST,
    _MBOX,
    _SHA1,
    IFIS,
    Check,
    _any,
    _walk,
    check_text,
    known_iri,
    show,
)

_AGENT: dict[str, Check] = {"objectType": _any, "name": check_text, **dict.fromkeys(IFIS, _any)}


_GROUP: dict[str, Check] = {**_AGENT, "member": _any}


def check_agent(agent: Any, path: str, errors: list[str]) -> None:
    """An Agent: objectType "Agent" or none, exactly one identifier, a name that is text."""
    if type(agent) is not dict:
        errors.append(f"{path} must be an object (an Agent)")
        return
    kind = agent.get("objectType", "Agent")
    if kind != "Agent":
        errors.append(f"{path}.objectType {show(kind)} must be Agent")
        return
    _walk(agent, path, errors, _AGENT, "an Agent")
    check_identifier(agent, path, errors, required=True)


def check_group(group: Any, path: str, errors: list[str], *, members: int | None = None) -> None:
    """A Group: identified (one identifier, members optional) or anonymous (members required);
    members are Agents. `members`: the exact number required (an OAuth authority's two)."""
    if type(group) is not dict:
        errors.append(f"{path} must be an object (a Group)")
        return
    _walk(group, path, errors, _GROUP, "a Group")
    identified = check_identifier(group, path, errors, required=False)
    listed = group.get("member")
    if listed is not None and type(listed) is not list:
        errors.append(f"{path}.member must be a list of Agents")
        listed = None
    for i, member in enumerate(listed or ()):
        here = f"{path}.member[{i}]"
        if type(member) is dict and member.get("objectType") == "Group":
            errors.append(f"{here} is a Group; groups cannot nest")
        else:
            check_agent(member, here, errors)
    if not identified and not listed:
        errors.append(
            f"{path} is an anonymous Group (it has no {_IFI_LIST}) and must list its "
            "members in 'member'"
        )
    if members is not None and len(listed or ()) != members:
        errors.append(f"{path} must be an Agent, or a Group of exactly {members} Agents (OAuth)")


def check_actor(value: Any, path: str, errors: list[str]) -> None:
    """An Agent or a Group, told apart by objectType (a statement's actor, not the person
    acting: so the parameter is not called `actor`, which names the person in services)."""
    if type(value) is not dict:
        errors.append(f"{path} must be an object (an Agent or a Group)")
        return
    kind = value.get("objectType", "Agent")
    if kind == "Group":
        check_group(value, path, errors)
    elif kind == "Agent":
        check_agent(value, path, errors)
    else:
        errors.append(f"{path}.objectType {show(kind)} must be Agent or Group")


def check_team(value: Any, path: str, errors: list[str]) -> None:
    if type(value) is dict and value.get("objectType") != "Group":
        errors.append(f"{path} must be a Group (objectType Group)")
        return
    check_group(value, path, errors)


def check_authority(value: Any, path: str, errors: list[str]) -> None:
    """An Agent, or in three-legged OAuth a Group of exactly two Agents."""
    if type(value) is dict and value.get("objectType") == "Group":
        check_group(value, path, errors, members=2)
    else:
        check_agent(value, path, errors)


def _check_account(value: Any, path: str, errors: list[str]) -> None:
    if type(value) is not dict:
        errors.append(f"{path} must be an object with homePage and name")
        return
    for key in value:
        if key not in ("homePage", "name"):
            errors.append(f"{path}.{key} is not a property of an account in xAPI 1.0.3")
    home = value.get("homePage")
    if home is None:
        errors.append(f"{path}.homePage is missing")
    elif not known_iri(home):
        errors.append(f"{path}.homePage must be an IRI (a URL)")
    name = value.get("name")
    if name is None:
        errors.append(f"{path}.name is missing")
    elif type(name) is not str or not name:
        errors.append(f"{path}.name must be non-empty text")


def check_identifier(agent: dict[str, Any], path: str, errors: list[str], *, required: bool) -> int:
    """Check the inverse functional identifiers, never quoting them (they identify a person);
    the number present."""
    mbox = agent.get("mbox")
    if mbox is not None and not (
        "mbox_sha1sum" in agent or "openid" in agent or "account" in agent
    ):
        # The common case, one mailto: identifier, without building the list below.
        if not (type(mbox) is str and _MBOX.match(mbox)):
            errors.append(f"{path}.mbox must be a mailto: IRI, e.g. mailto:name@example.org")
        return 1
    present = [k for k in IFIS if k in agent]
    if len(present) > 1:
        errors.append(
            f"{path} has {len(present)} identifiers ({', '.join(present)}); an Agent has "
            f"exactly one of {_IFI_LIST}"
        )
    elif not present:
        if required:
            errors.append(f"{path} has no identifier; an Agent needs exactly one of {_IFI_LIST}")
        return 0
    for name in present:
        value = agent[name]
        if name == "mbox":
            if not (type(value) is str and _MBOX.match(value)):
                errors.append(f"{path}.mbox must be a mailto: IRI, e.g. mailto:name@example.org")
        elif name == "mbox_sha1sum":
            if not (type(value) is str and _SHA1.match(value)):
                errors.append(
                    f"{path}.mbox_sha1sum must be 40 hexadecimal characters (the SHA-1 of a "
                    "mailto: IRI)"
                )
        elif name == "openid":
            if not is_iri(value):
                errors.append(f"{path}.openid must be an IRI (a URL)")
        else:
            _check_account(value, f"{path}.account", errors)
    return len(present)
