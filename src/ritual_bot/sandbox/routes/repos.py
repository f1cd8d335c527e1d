"""Repositories, collaborators and contents:
https://docs.github.com/rest/repos/repos, https://docs.github.com/rest/collaborators/collaborators,
https://docs.github.com/rest/repos/contents."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ritual_bot.sandbox import contents, errors, render
from ritual_bot.sandbox.api import Ctx, Response, json_response
from ritual_bot.sandbox.auth import role_of
from ritual_bot.sandbox.pagination import paginate
from ritual_bot.sandbox.routes.common import has_role, optional_str, required_str
from ritual_bot.sandbox.state import Commit, Repo, Role, State, User


def get_repo(ctx: Ctx) -> Response:
    role = role_of(ctx.state, ctx.principal, ctx.repo)
    return json_response(200, render.repository(ctx.state, ctx.urls, ctx.repo, role))


def access_list(state: State, repo: Repo) -> list[tuple[User, Role]]:
    """Everyone with a role on the repo: owner, org members (base role, admins), collaborators."""
    candidates = {repo.owner.casefold(), *repo.collaborators}
    org = state.org(repo.owner)
    if org is not None:
        candidates |= set(org.members)
    out: list[tuple[User, Role]] = []
    for login in sorted(candidates):
        user = state.user(login)
        role = state.role(repo, login)
        if user is not None and role is not None and user.type != "Organization":
            out.append((user, role))
    return out


def list_collaborators(ctx: Ctx) -> Response:
    """Users need push access to list collaborators; the Actions token needs metadata: read."""
    if ctx.principal.kind == "user" and not has_role(ctx, Role.WRITE):
        raise errors.ApiError(403, "Must have push access to view repository collaborators.")
    people = access_list(ctx.state, ctx.repo)
    affiliation = ctx.query.get("affiliation", "all")
    if affiliation in ("direct", "outside"):
        org = ctx.state.org(ctx.repo.owner)
        people = [(u, r) for u, r in people if u.login.casefold() in ctx.repo.collaborators]
        if affiliation == "outside" and org is not None:
            people = [(u, r) for u, r in people if u.login.casefold() not in org.members]
    wanted = ctx.query.get("permission")
    if wanted:
        people = [(u, r) for u, r in people if r == Role.parse(wanted)]
    page, headers = paginate(ctx, people)
    body = [render.collaborator(ctx.state, ctx.urls, u, r) for u, r in page]
    return json_response(200, body, headers)


def check_collaborator(ctx: Ctx) -> Response:
    """204 if the user has access, else an empty 404."""
    user = ctx.state.user(ctx.params["username"])
    if user is None or ctx.state.role(ctx.repo, user.login) is None:
        raise errors.ApiError(404, "Not Found", empty=True)
    return Response(204)


def collaborator_permission(ctx: Ctx) -> Response:
    """``permission`` is the legacy base role (maintain→write, triage→read); ``role_name`` the
    role itself. A user without access gets ``none``."""
    user = ctx.state.user(ctx.params["username"])
    if user is None:
        raise errors.not_found()
    role = ctx.state.role(ctx.repo, user.login)
    person = render.simple_user(ctx.urls, user)
    person["permissions"] = render.permissions(role)
    person["role_name"] = role.label if role else "none"
    body = {
        "permission": render.legacy_permission(role),
        "role_name": role.label if role else "none",
        "user": person,
    }
    return json_response(200, body)


def _ref_ok(repo: Repo, ref: str | None) -> bool:
    return ref in (None, "", repo.default_branch, f"refs/heads/{repo.default_branch}") or any(
        c.sha == ref for c in repo.commits
    )


def get_content(ctx: Ctx) -> Response:
    """Only the default branch (and its commits by sha, read as the current tree) exists."""
    if not _ref_ok(ctx.repo, ctx.query.get("ref")):
        raise errors.ApiError(404, f"No commit found for the ref {ctx.query.get('ref')}")
    path = ctx.params["path"].strip("/")
    entry = ctx.repo.files.get(path)
    if entry is not None:
        return json_response(200, render.content_file(ctx.urls, ctx.repo, entry))
    listing = contents.directory(ctx.repo, path)
    if listing is None or (not path and not ctx.repo.files):
        raise errors.ApiError(404, "Not Found" if path else "This repository is empty.")
    files, dirs = listing
    body: list[dict[str, Any]] = [render.content_links(ctx.urls, ctx.repo, f) for f in files]
    body += [_dir_entry(ctx, f"{path}/{d}" if path else d) for d in dirs]
    return json_response(200, sorted(body, key=lambda e: str(e["name"])))


def _dir_entry(ctx: Ctx, path: str) -> dict[str, Any]:
    api = f"{render.repo_api(ctx.urls, ctx.repo)}/contents/{path}?ref={ctx.repo.default_branch}"
    html = f"{ctx.urls.web}/{ctx.repo.full_name}/tree/{ctx.repo.default_branch}/{path}"
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": contents.blob_sha(path.encode()),
        "size": 0,
        "url": api,
        "html_url": html,
        "git_url": None,
        "download_url": None,
        "type": "dir",
        "_links": {"self": api, "git": None, "html": html},
    }


def _decode(raw: str) -> bytes:
    try:
        return base64.b64decode("".join(raw.split()), validate=True)
    except (binascii.Error, ValueError):
        raise errors.invalid_request("content is not valid Base64") from None


def put_content(ctx: Ctx) -> Response:
    if not has_role(ctx, Role.WRITE):
        raise errors.ApiError(403, "Must have push access to repository")
    body = ctx.json_object()
    message = required_str(body, "message")
    data = _decode(required_str(body, "content"))
    branch = optional_str(body, "branch")
    if branch not in (None, ctx.repo.default_branch):
        raise errors.ApiError(404, f"Branch {branch} not found")
    rule = ctx.repo.protected.get(ctx.repo.default_branch)
    if rule is not None and ctx.actor.casefold() not in rule[1]:
        # Branch protection or a ruleset that requires pull requests: 409, unless the caller
        # is on the bypass list (https://docs.github.com/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/about-rulesets).
        raise errors.protected_branch(rule[0])
    entry, commit, created = contents.put_file(
        ctx.repo,
        ctx.params["path"].strip("/"),
        data,
        sha=optional_str(body, "sha"),
        message=message,
        author=ctx.actor,
        now=ctx.now,
    )
    out = {
        "content": render.content_links(ctx.urls, ctx.repo, entry),
        "commit": _commit(ctx, commit),
    }
    return json_response(201 if created else 200, out)


def _commit(ctx: Ctx, commit: Commit) -> dict[str, Any]:
    api = render.repo_api(ctx.urls, ctx.repo)
    user = ctx.state.user(commit.author)
    name = (user.name if user else None) or commit.author
    user_id = user.id if user else 0
    person = {
        "name": name,
        "email": f"{user_id}+{commit.author}@users.noreply.github.com",
        "date": render.iso(commit.at),
    }
    parents = []
    if commit.parent:
        parents.append(
            {
                "url": f"{api}/git/commits/{commit.parent}",
                "html_url": f"{ctx.urls.web}/{ctx.repo.full_name}/commit/{commit.parent}",
                "sha": commit.parent,
            }
        )
    return {
        "sha": commit.sha,
        "node_id": render.node_id("C", int(commit.sha[:12], 16)),
        "url": f"{api}/git/commits/{commit.sha}",
        "html_url": f"{ctx.urls.web}/{ctx.repo.full_name}/commit/{commit.sha}",
        "author": person,
        "committer": person,
        "message": commit.message,
        "tree": {"url": f"{api}/git/trees/{commit.tree_sha}", "sha": commit.tree_sha},
        "parents": parents,
        "verification": {
            "verified": False,
            "reason": "unsigned",
            "signature": None,
            "payload": None,
            "verified_at": None,
        },
    }
