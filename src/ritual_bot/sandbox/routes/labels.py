"""Labels: https://docs.github.com/rest/issues/labels."""

from __future__ import annotations

from typing import Any

from ritual_bot.sandbox import domain, errors, render
from ritual_bot.sandbox.api import Ctx, Response, json_response
from ritual_bot.sandbox.pagination import paginate
from ritual_bot.sandbox.routes.common import has_role, names, optional_str, required_str
from ritual_bot.sandbox.state import Issue, Label, Role


def _label(ctx: Ctx) -> Label:
    found = ctx.repo.label_named(ctx.params["name"])
    if found is None:
        raise errors.not_found()
    return found


def _require_triage(ctx: Ctx) -> None:
    if not has_role(ctx, Role.TRIAGE):
        raise errors.must_have_push_access()


def _issue_labels(ctx: Ctx, it: Issue) -> Response:
    labels = [ctx.repo.labels[i] for i in it.label_ids if i in ctx.repo.labels]
    return json_response(200, [render.label(ctx.urls, ctx.repo, lb) for lb in labels])


def list_labels(ctx: Ctx) -> Response:
    items = sorted(ctx.repo.labels.values(), key=lambda lb: lb.name.casefold())
    page, headers = paginate(ctx, items)
    return json_response(200, [render.label(ctx.urls, ctx.repo, lb) for lb in page], headers)


def create_label(ctx: Ctx) -> Response:
    _require_triage(ctx)
    body = ctx.json_object()
    name = required_str(body, "name")
    lb = domain.create_label(
        ctx.state, ctx.repo, name, optional_str(body, "color"), optional_str(body, "description")
    )
    out = render.label(ctx.urls, ctx.repo, lb)
    return json_response(201, out, {"Location": out["url"]})


def get_label(ctx: Ctx) -> Response:
    return json_response(200, render.label(ctx.urls, ctx.repo, _label(ctx)))


def update_label(ctx: Ctx) -> Response:
    """Accepts ``new_name`` (documented) and ``name`` (what some clients send)."""
    _require_triage(ctx)
    lb = _label(ctx)
    body: dict[str, Any] = ctx.json_object()
    new_name = optional_str(body, "new_name") or optional_str(body, "name")
    renamed = new_name and new_name.casefold() != lb.name.casefold()
    if renamed and ctx.repo.label_named(new_name or "") is not None:
        raise errors.validation_failed(
            {"resource": "Label", "code": "already_exists", "field": "name"}
        )
    color = optional_str(body, "color")
    if color is not None:
        lb.color = domain.normalise_color(color)
    if new_name:
        lb.name = new_name
    if "description" in body:
        lb.description = optional_str(body, "description")
    return json_response(200, render.label(ctx.urls, ctx.repo, lb))


def delete_label(ctx: Ctx) -> Response:
    _require_triage(ctx)
    domain.delete_label(ctx.repo, _label(ctx))
    return Response(204)


def list_issue_labels(ctx: Ctx) -> Response:
    it = ctx.issue()
    labels = [ctx.repo.labels[i] for i in it.label_ids if i in ctx.repo.labels]
    page, headers = paginate(ctx, labels)
    return json_response(200, [render.label(ctx.urls, ctx.repo, lb) for lb in page], headers)


def _requested(ctx: Ctx) -> list[str]:
    """Labels as ``{"labels": [...]}`` or a bare array, of names or ``{"name": ...}``."""
    body = ctx.json()
    if body is None:
        return []
    if not isinstance(body, dict | list):
        raise errors.invalid_request("For 'links/0/schema', body is not an object or array.")
    return names(body, "labels") or []


def add_issue_labels(ctx: Ctx) -> Response:
    it = ctx.issue()
    _require_triage(ctx)
    domain.add_labels(ctx.state, ctx.repo, it, _requested(ctx), ctx.now)
    return _issue_labels(ctx, it)


def set_issue_labels(ctx: Ctx) -> Response:
    it = ctx.issue()
    _require_triage(ctx)
    domain.set_labels(ctx.state, ctx.repo, it, _requested(ctx), ctx.now)
    return _issue_labels(ctx, it)


def remove_issue_label(ctx: Ctx) -> Response:
    """Removing a label the issue does not have is a 404 ``Label does not exist``."""
    it = ctx.issue()
    _require_triage(ctx)
    lb = ctx.repo.label_named(ctx.params["name"])
    if lb is None or lb.id not in it.label_ids:
        raise errors.ApiError(404, "Label does not exist")
    it.label_ids.remove(lb.id)
    it.updated_at = ctx.now
    return _issue_labels(ctx, it)
