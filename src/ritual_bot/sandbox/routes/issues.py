"""Issues and assignees: https://docs.github.com/rest/issues/issues and
https://docs.github.com/rest/issues/assignees."""

from __future__ import annotations

from typing import Any

from ritual_bot.sandbox import domain, errors, render
from ritual_bot.sandbox.api import Ctx, Response, json_response
from ritual_bot.sandbox.pagination import paginate
from ritual_bot.sandbox.routes.common import has_role, is_self, names, one_of, optional_str, since
from ritual_bot.sandbox.state import Issue, Role


def _filter(ctx: Ctx, items: list[Issue]) -> list[Issue]:
    """https://docs.github.com/rest/issues/issues#list-repository-issues (query parameters)."""
    q = ctx.query
    wanted_state = q.get("state", "open")
    items = [i for i in items if wanted_state == "all" or i.state == wanted_state]
    if q.get("labels"):
        wanted = [n.strip().casefold() for n in q["labels"].split(",") if n.strip()]
        items = [i for i in items if set(wanted) <= _label_names(ctx, i)]
    after = since(ctx)
    if after is not None:
        items = [i for i in items if i.updated_at >= after]
    if q.get("creator"):
        items = [i for i in items if i.user.casefold() == q["creator"].casefold()]
    assignee = q.get("assignee")
    if assignee == "none":
        items = [i for i in items if not i.assignees]
    elif assignee == "*":
        items = [i for i in items if i.assignees]
    elif assignee:
        items = [i for i in items if assignee.casefold() in {a.casefold() for a in i.assignees}]
    if q.get("mentioned"):
        comments = list(ctx.repo.comments.values())
        items = [i for i in items if domain.mentions(i, comments, q["mentioned"])]
    return items


def _label_names(ctx: Ctx, it: Issue) -> set[str]:
    return {ctx.repo.labels[i].name.casefold() for i in it.label_ids if i in ctx.repo.labels}


def _sorted(ctx: Ctx, items: list[Issue]) -> list[Issue]:
    sort = ctx.query.get("sort", "created")
    keys: dict[str, Any] = {
        "created": lambda i: (i.created_at, i.number),
        "updated": lambda i: (i.updated_at, i.number),
        "comments": lambda i: (i.comment_count, i.number),
    }
    key = keys.get(sort, keys["created"])
    return sorted(items, key=key, reverse=ctx.query.get("direction", "desc") != "asc")


def list_issues(ctx: Ctx) -> Response:
    items = _sorted(ctx, _filter(ctx, list(ctx.repo.issues.values())))
    page, headers = paginate(ctx, items)
    body = [render.issue(ctx.state, ctx.urls, ctx.repo, i) for i in page]
    return json_response(200, body, headers)


def _title(body: dict[str, Any], *, required: bool) -> str | None:
    if "title" not in body or body["title"] is None:
        if required:
            raise errors.not_supplied("title")
        return None
    value = body["title"]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise errors.wrong_type("title", value, "a string or an integer")
    return str(value)


def _assignees(body: dict[str, Any]) -> list[str] | None:
    listed = names(body, "assignees", key="login")
    if listed is not None:
        return listed
    single = optional_str(body, "assignee")
    if "assignee" in body:
        return [single] if single else []
    return None


def create_issue(ctx: Ctx) -> Response:
    """Only users with push access can set labels and assignees on a new issue; for anyone
    else they are silently dropped (docs: create-an-issue)."""
    body = ctx.json_object()
    title = _title(body, required=True)
    assert title is not None
    text = optional_str(body, "body")
    labels = names(body, "labels") or []
    assignees = _assignees(body) or []
    if not has_role(ctx, Role.WRITE):
        labels, assignees = [], []
    it = domain.create_issue(
        ctx.state,
        ctx.repo,
        user=ctx.actor,
        title=title,
        body=text,
        labels=labels,
        assignees=assignees,
        now=ctx.now,
    )
    out = render.issue(ctx.state, ctx.urls, ctx.repo, it, single=True)
    return json_response(201, out, {"Location": out["url"]})


def get_issue(ctx: Ctx) -> Response:
    return json_response(200, render.issue(ctx.state, ctx.urls, ctx.repo, ctx.issue(), single=True))


def update_issue(ctx: Ctx) -> Response:
    """https://docs.github.com/rest/issues/issues#update-an-issue — authors may edit and
    close their own issues; labels and assignees need triage and are ignored otherwise."""
    it = ctx.issue()
    body = ctx.json_object()
    author = is_self(ctx, it.user)
    title = _title(body, required=False)
    if ("body" in body or title is not None) and not (author or has_role(ctx, Role.WRITE)):
        raise errors.must_have_push_access()
    new_state = one_of(body, "state", ("open", "closed"))
    reason = one_of(body, "state_reason", domain.STATE_REASONS)
    if (new_state or reason) and not (author or has_role(ctx, Role.TRIAGE)):
        raise errors.must_have_push_access()
    labels = names(body, "labels")
    assignees = _assignees(body)
    text = optional_str(body, "body")
    if title is not None:
        domain.check_title(title)
    if "body" in body:
        domain.check_body("Issue", text)
    owners = None
    if assignees is not None and has_role(ctx, Role.TRIAGE):
        owners = domain.check_assignees(ctx.state, ctx.repo, assignees, it)
    _apply(ctx, it, title=title, body=body, text=text, owners=owners)
    if labels is not None and has_role(ctx, Role.TRIAGE):
        domain.set_labels(ctx.state, ctx.repo, it, labels, ctx.now)
    if new_state or (reason and it.state == "closed"):
        domain.set_state(it, new_state or it.state, reason, actor=ctx.actor, now=ctx.now)
    return json_response(200, render.issue(ctx.state, ctx.urls, ctx.repo, it, single=True))


def _apply(
    ctx: Ctx,
    it: Issue,
    *,
    title: str | None,
    body: dict[str, Any],
    text: str | None,
    owners: list[str] | None,
) -> None:
    changed = False
    if title is not None and title != it.title:
        it.title, changed = title, True
    if "body" in body and text != it.body:
        domain.record_edit(
            ctx.state,
            it.edits,
            author=it.user,
            created_at=it.created_at,
            before=it.body,
            after=text,
            editor=ctx.actor,
            now=ctx.now,
        )
        it.body, changed = text, True
    if owners is not None and owners != it.assignees:
        it.assignees, changed = owners, True
    if changed:
        it.updated_at = ctx.now


def add_assignees(ctx: Ctx) -> Response:
    """Users who cannot be assigned are silently ignored here: "Users that don't have permission
    to be assigned … are silently ignored" (201, the issue as it now is)
    (https://docs.github.com/rest/issues/assignees#add-assignees-to-an-issue)."""
    it = ctx.issue()
    wanted = names(ctx.json_object(), "assignees", key="login") or []
    if has_role(ctx, Role.TRIAGE):
        extra = [
            domain.canonical_login(ctx.state, login)
            for login in wanted
            if domain.assignable(ctx.state, ctx.repo, login, it)
        ]
        merged = list(dict.fromkeys(it.assignees + extra))[:10]
        if merged != it.assignees:
            it.assignees = merged
            it.updated_at = ctx.now
    return json_response(201, render.issue(ctx.state, ctx.urls, ctx.repo, it, single=True))


def remove_assignees(ctx: Ctx) -> Response:
    it = ctx.issue()
    gone = {login.casefold() for login in names(ctx.json_object(), "assignees") or []}
    if has_role(ctx, Role.TRIAGE):
        kept = [a for a in it.assignees if a.casefold() not in gone]
        if kept != it.assignees:
            it.assignees = kept
            it.updated_at = ctx.now
    return json_response(200, render.issue(ctx.state, ctx.urls, ctx.repo, it, single=True))
