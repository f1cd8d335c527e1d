"""Issue comments (https://docs.github.com/rest/issues/comments) and reactions
(https://docs.github.com/rest/reactions/reactions)."""

from __future__ import annotations

from ritual_bot.sandbox import domain, errors, render
from ritual_bot.sandbox.api import Ctx, Response, json_response
from ritual_bot.sandbox.pagination import paginate
from ritual_bot.sandbox.routes.common import has_role, is_self, one_of, required_str, since
from ritual_bot.sandbox.state import Comment, Reaction, Role


def _comment(ctx: Ctx) -> Comment:
    found = ctx.repo.comments.get(ctx.int_param("comment_id"))
    if found is None:
        raise errors.not_found()
    return found


def _since(ctx: Ctx, items: list[Comment]) -> list[Comment]:
    after = since(ctx)
    return items if after is None else [c for c in items if c.updated_at >= after]


def _page(ctx: Ctx, items: list[Comment]) -> Response:
    page, headers = paginate(ctx, items)
    body = [render.comment(ctx.state, ctx.urls, ctx.repo, c) for c in page]
    return json_response(200, body, headers)


def list_issue_comments(ctx: Ctx) -> Response:
    """Oldest first, by id (docs: list-issue-comments)."""
    it = ctx.issue()
    items = sorted(
        (c for c in ctx.repo.comments.values() if c.issue_number == it.number), key=lambda c: c.id
    )
    return _page(ctx, _since(ctx, items))


def list_repo_comments(ctx: Ctx) -> Response:
    """``direction`` is ignored without ``sort`` (docs: list-issue-comments-for-a-repository)."""
    items = sorted(ctx.repo.comments.values(), key=lambda c: c.id)
    sort = ctx.query.get("sort")
    if sort in ("created", "updated"):
        desc = ctx.query.get("direction", "asc") == "desc"
        field = "created_at" if sort == "created" else "updated_at"
        items.sort(key=lambda c: (getattr(c, field), c.id), reverse=desc)
    return _page(ctx, _since(ctx, items))


def create_comment(ctx: Ctx) -> Response:
    it = ctx.issue()
    text = required_str(ctx.json_object(), "body")
    c = domain.create_comment(ctx.state, ctx.repo, it, user=ctx.actor, body=text, now=ctx.now)
    out = render.comment(ctx.state, ctx.urls, ctx.repo, c)
    return json_response(201, out, {"Location": out["url"]})


def get_comment(ctx: Ctx) -> Response:
    return json_response(200, render.comment(ctx.state, ctx.urls, ctx.repo, _comment(ctx)))


def update_comment(ctx: Ctx) -> Response:
    c = _comment(ctx)
    if not (is_self(ctx, c.user) or has_role(ctx, Role.WRITE)):
        raise errors.must_have_push_access()
    text = required_str(ctx.json_object(), "body")
    domain.edit_comment(ctx.state, c, text, editor=ctx.actor, now=ctx.now)
    return json_response(200, render.comment(ctx.state, ctx.urls, ctx.repo, c))


def delete_comment(ctx: Ctx) -> Response:
    c = _comment(ctx)
    if not (is_self(ctx, c.user) or has_role(ctx, Role.WRITE)):
        raise errors.must_have_push_access()
    domain.delete_comment(ctx.repo, c, ctx.now)
    return Response(204)


def _reactions_page(ctx: Ctx, reactions: list[Reaction]) -> Response:
    wanted = ctx.query.get("content")
    items = [r for r in reactions if not wanted or r.content == wanted]
    page, headers = paginate(ctx, items)
    return json_response(200, [render.reaction(ctx.state, ctx.urls, r) for r in page], headers)


def _react(ctx: Ctx, reactions: list[Reaction]) -> Response:
    body = ctx.json_object()
    if "content" not in body:
        raise errors.not_supplied("content")
    content = one_of(body, "content", render.REACTION_CONTENTS)
    assert content is not None
    made, created = domain.react(ctx.state, reactions, user=ctx.actor, content=content, now=ctx.now)
    return json_response(201 if created else 200, render.reaction(ctx.state, ctx.urls, made))


def list_comment_reactions(ctx: Ctx) -> Response:
    return _reactions_page(ctx, _comment(ctx).reactions)


def create_comment_reaction(ctx: Ctx) -> Response:
    return _react(ctx, _comment(ctx).reactions)


def list_issue_reactions(ctx: Ctx) -> Response:
    return _reactions_page(ctx, ctx.issue().reactions)


def create_issue_reaction(ctx: Ctx) -> Response:
    return _react(ctx, ctx.issue().reactions)
