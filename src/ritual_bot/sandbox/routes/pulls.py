"""Pull requests and releases, as listed: https://docs.github.com/rest/pulls/pulls#list-pull-requests
and https://docs.github.com/rest/releases/releases#list-releases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ritual_bot.sandbox import errors, render
from ritual_bot.sandbox.api import Ctx, Response, json_response
from ritual_bot.sandbox.auth import can_see_drafts
from ritual_bot.sandbox.pagination import paginate
from ritual_bot.sandbox.state import Issue

_STATES = ("open", "closed", "all")
_SORTS = ("created", "updated", "popularity", "long-running")
_DIRECTIONS = ("asc", "desc")


def _choice(ctx: Ctx, name: str, allowed: tuple[str, ...], default: str) -> str:
    """An enum query parameter; a value outside the documented ``enum`` is refused with the 422
    the description lists for this operation. Not confirmed against GitHub: that it refuses
    rather than ignores such a value, and the error's exact body. Refusing is the strict side:
    a reader that sends one is caught here rather than misled there."""
    value = ctx.query.get(name, default)
    if value not in allowed:
        raise errors.validation_failed(
            {"resource": "PullRequest", "field": name, "code": "invalid", "value": value}
        )
    return value


def _head_matches(ctx: Ctx, it: Issue, head: str) -> bool:
    """``head`` is ``user:ref-name`` (or ``organization:ref-name``). A bare branch name is
    silently ignored by GitHub, which then lists every pull request
    (https://github.com/PyGithub/PyGithub/issues/1566,
    https://github.com/argoproj-labs/gitops-promoter/pull/1417)."""
    owner, colon, ref = head.partition(":")
    if not colon:
        return True
    assert it.pull is not None
    return owner.casefold() == ctx.repo.owner.casefold() and ref == it.pull.head


def _long_running(ctx: Ctx, it: Issue) -> bool:
    """``long-running``: "pull requests that have been open for more than a month and have had
    activity within the past month" (the parameter's description)."""
    month = timedelta(days=30)
    return it.state == "open" and it.created_at < ctx.now - month <= it.updated_at


def list_pulls(ctx: Ctx) -> Response:
    state = _choice(ctx, "state", _STATES, "open")
    sort = _choice(ctx, "sort", _SORTS, "created")
    # "Default: desc when sort is created or sort is not specified, otherwise asc."
    direction = _choice(ctx, "direction", _DIRECTIONS, "desc" if sort == "created" else "asc")
    items = [it for it in ctx.repo.issues.values() if it.pull is not None]
    items = [it for it in items if state == "all" or it.state == state]
    if ctx.query.get("head"):
        items = [it for it in items if _head_matches(ctx, it, ctx.query["head"])]
    if ctx.query.get("base"):
        items = [it for it in items if it.pull is not None and it.pull.base == ctx.query["base"]]
    if sort == "long-running":
        items = [it for it in items if _long_running(ctx, it)]
    keys: dict[str, Callable[[Issue], tuple[Any, int]]] = {
        "created": lambda it: (it.created_at, it.number),
        "updated": lambda it: (it.updated_at, it.number),
        "popularity": lambda it: (it.comment_count, it.number),
        "long-running": lambda it: (it.created_at, it.number),
    }
    items.sort(key=keys[sort], reverse=direction == "desc")
    page, headers = paginate(ctx, items)
    body = [render.pull_request_simple(ctx.state, ctx.urls, ctx.repo, it) for it in page]
    return json_response(200, body, headers)


def list_releases(ctx: Ctx) -> Response:
    """Drafts only with push access: "Information about published releases are available to
    everyone. Only users with push access will receive listings for draft releases." (the
    operation's description). The order
    is not documented: newest ``created_at`` first here, which is the date of the release's
    commit, not of its publication ("Get the latest release"), so readers must not stop early
    on it (the gateway reads the whole listing)."""
    drafts = can_see_drafts(ctx.state, ctx.principal, ctx.repo)
    items = [r for r in ctx.repo.releases.values() if drafts or not r.draft]
    items.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    page, headers = paginate(ctx, items)
    body = [render.release(ctx.state, ctx.urls, ctx.repo, r) for r in page]
    return json_response(200, body, headers)
