"""Small helpers shared by the route handlers: typed access to JSON body fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ritual_bot.clock import parse_instant
from ritual_bot.sandbox import errors
from ritual_bot.sandbox.api import Ctx
from ritual_bot.sandbox.auth import role_of
from ritual_bot.sandbox.state import Role

_MISSING = object()


def optional_str(body: dict[str, Any], field: str) -> str | None:
    value = body.get(field)
    if value is None or isinstance(value, str):
        return value
    raise errors.wrong_type(field, value, "a string")


def required_str(body: dict[str, Any], field: str) -> str:
    if field not in body:
        raise errors.not_supplied(field)
    value = body[field]
    if not isinstance(value, str):
        raise errors.wrong_type(field, value, "a string")
    return value


def one_of(body: dict[str, Any], field: str, allowed: tuple[str, ...]) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if value not in allowed:
        choices = ", ".join(f'"{a}"' for a in allowed)
        raise errors.invalid_request(
            f"For 'properties/{field}', \"{value}\" is not one of [{choices}]."
        )
    return str(value)


def names(body: dict[str, Any] | list[Any], field: str, key: str = "name") -> list[str] | None:
    """A list of names given as strings or ``{key: ...}`` objects; None when absent."""
    value: Any = body if isinstance(body, list) else body.get(field, _MISSING)
    if value is _MISSING or value is None:
        return None
    if not isinstance(value, list):
        raise errors.wrong_type(field, value, "an array")
    out: list[str] = []
    for item in value:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get(key), str):
            out.append(item[key])
        else:
            raise errors.wrong_type(f"{field}/items", item, "a string")
    return out


def since(ctx: Ctx) -> datetime | None:
    """``since`` filters: ISO 8601 ``YYYY-MM-DDTHH:MM:SSZ``; an unparsable value is a 422."""
    raw = ctx.query.get("since")
    if not raw:
        return None
    try:
        return parse_instant(raw)
    except ValueError:
        raise errors.validation_failed(
            {"resource": "Issue", "field": "since", "code": "invalid"}
        ) from None


def has_role(ctx: Ctx, minimum: Role) -> bool:
    role = role_of(ctx.state, ctx.principal, ctx.repo)
    return role is not None and role >= minimum


def is_self(ctx: Ctx, login: str) -> bool:
    return ctx.actor.casefold() == login.casefold()
