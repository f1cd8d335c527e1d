"""Users, teams and the rate limit: https://docs.github.com/rest/users/users,
https://docs.github.com/rest/teams/members, https://docs.github.com/rest/rate-limit/rate-limit."""

from __future__ import annotations

from typing import Any

from ritual_bot.sandbox import errors, render
from ritual_bot.sandbox.api import Ctx, Response, json_response
from ritual_bot.sandbox.pagination import paginate


def get_authenticated_user(ctx: Ctx) -> Response:
    """The Actions token is an installation token: it has no user, so GitHub answers 403."""
    if ctx.principal.kind == "actions":
        raise errors.not_accessible_by_integration()
    if ctx.principal.login is None:
        raise errors.requires_authentication()
    user = ctx.state.user(ctx.principal.login)
    assert user is not None
    return json_response(200, render.full_user(ctx.state, ctx.urls, user, private=True))


def get_user(ctx: Ctx) -> Response:
    user = ctx.state.user(ctx.params["username"])
    if user is None:
        raise errors.not_found()
    return json_response(200, render.full_user(ctx.state, ctx.urls, user, private=False))


def list_team_members(ctx: Ctx) -> Response:
    """Team membership is org data: an Actions token cannot read it (403); a user outside the
    org, or an unknown team, gets 404."""
    if ctx.principal.kind == "actions":
        raise errors.not_accessible_by_integration("members=read")
    org = ctx.state.org(ctx.params["org"])
    login = (ctx.principal.login or "").casefold()
    if org is None or login not in org.members:
        raise errors.not_found()
    team = org.teams.get(ctx.params["team_slug"].casefold())
    if team is None:
        raise errors.not_found()
    users = [u for u in (ctx.state.user(m) for m in team.members) if u is not None]
    page, headers = paginate(ctx, users)
    return json_response(200, [render.simple_user(ctx.urls, u) for u in page], headers)


def rate_limit(ctx: Ctx) -> Response:
    """Calling this endpoint does not count against the limit (docs: get-rate-limit)."""
    assert ctx.bucket is not None
    core = {
        "limit": ctx.bucket.limit,
        "remaining": ctx.bucket.remaining,
        "reset": ctx.bucket.reset,
        "used": ctx.bucket.used,
        "resource": "core",
    }
    resources: dict[str, Any] = {"core": core}
    for name, limit in (("search", 30), ("graphql", 5000), ("code_search", 10)):
        resources[name] = {
            "limit": limit,
            "remaining": limit,
            "reset": ctx.bucket.reset,
            "used": 0,
            "resource": name,
        }
    return json_response(200, {"resources": resources, "rate": core})
