"""A minimal web UI over the sandbox: list repos and issues, read an issue with its comments,
and comment as any user. Issue pages live where ``html_url`` points
(``/{owner}/{repo}/issues/{n}``, like github.com). Every piece of user text is escaped; Markdown is
shown as preformatted text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import escape
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ritual_bot.sandbox import domain, errors
from ritual_bot.sandbox.api import Request, Response
from ritual_bot.sandbox.render import iso
from ritual_bot.sandbox.state import Issue, Repo, State

_ISSUE = re.compile(r"^/([^/]+)/([^/]+)/issues/(\d+)/?$")
_ISSUES = re.compile(r"^/([^/]+)/([^/]+)(?:/issues)?/?$")
_RAW = re.compile(r"^/_sandbox/raw/([^/]+)/([^/]+)/([^/]+)/(.+)$")
_STYLE = (
    "body{font:15px system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "pre{white-space:pre-wrap;background:#f6f8fa;padding:.75rem;border-radius:6px}"
    ".meta{color:#57606a;font-size:13px}.label{background:#eee;border-radius:1em;padding:0 .5em}"
    "article{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}"
    "textarea{width:100%;min-height:8rem}"
)
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
}


# First path segments that belong to the API, never to a web page (GitHub reserves them too).
_RESERVED = frozenset({"api", "orgs", "rate_limit", "repos", "repositories", "user", "users"})


def handles(method: str, path: str) -> bool:
    if path.split("/")[1] in _RESERVED:
        return False
    if method == "POST":
        return path == "/_sandbox/comment"
    if method != "GET":
        return False
    path = unquote(path)
    return path in ("/", "/_sandbox", "/_sandbox/") or bool(
        _ISSUE.match(path) or _RAW.match(path) or _ISSUES.match(path)
    )


def handle(state: State, now: Callable[[], datetime], request: Request) -> Response:
    path = unquote(urlsplit(request.path).path)
    with state.lock:
        if request.method == "POST":
            return _post_comment(state, now(), request)
        if path in ("/", "/_sandbox", "/_sandbox/"):
            return _page("Sandbox", _index(state))
        raw = _RAW.match(path)
        if raw:
            return _raw(state, *raw.groups())
        found = _ISSUE.match(path)
        if found:
            return _issue_page(state, f"{found[1]}/{found[2]}", int(found[3]))
        listing = _ISSUES.match(path)
        assert listing is not None
        return _issues_page(state, f"{listing[1]}/{listing[2]}")


def _page(title: str, body: str, status: int = 200) -> Response:
    html = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<p class='meta'><a href='/'>ritual-bot sandbox</a></p>{body}</body></html>"
    )
    return Response(
        status, raw=html.encode(), headers=dict(_HEADERS), content_type="text/html; charset=utf-8"
    )


def _not_found() -> Response:
    return _page("Not found", "<h1>Not found</h1>", 404)


def _index(state: State) -> str:
    items = "".join(
        f"<li><a href='/{quote(r.full_name)}/issues'>{escape(r.full_name)}</a> "
        f"<span class='meta'>{len(r.issues)} issues</span></li>"
        for r in sorted(state.repos.values(), key=lambda r: r.full_name.casefold())
    )
    return f"<h1>Repositories</h1><ul>{items or '<li>none yet</li>'}</ul>"


def _issues_page(state: State, full_name: str) -> Response:
    repo = state.repo(full_name)
    if repo is None:
        return _not_found()
    rows = "".join(
        f"<li><a href='/{quote(repo.full_name)}/issues/{it.number}'>#{it.number} "
        f"{escape(it.title)}</a> <span class='meta'>{it.state} · {escape(it.user)} · "
        f"{it.comment_count} comments</span> {_labels(repo, it)}</li>"
        for it in sorted(repo.issues.values(), key=lambda i: -i.number)
    )
    return _page(full_name, f"<h1>{escape(repo.full_name)}</h1><ul>{rows or '<li>none</li>'}</ul>")


def _labels(repo: Repo, it: Issue) -> str:
    return " ".join(
        f"<span class='label'>{escape(repo.labels[i].name)}</span>"
        for i in it.label_ids
        if i in repo.labels
    )


def _issue_page(state: State, full_name: str, number: int) -> Response:
    repo = state.repo(full_name)
    it = repo.issues.get(number) if repo else None
    if repo is None or it is None:
        return _not_found()
    comments = sorted(
        (c for c in repo.comments.values() if c.issue_number == number), key=lambda c: c.id
    )
    thread = "".join(
        f"<article id='issuecomment-{c.id}'><p class='meta'>{escape(c.user)} commented "
        f"{iso(c.created_at)}</p><pre>{escape(c.body)}</pre></article>"
        for c in comments
    )
    head = (
        f"<h1>{escape(it.title)} <span class='meta'>#{it.number}</span></h1>"
        f"<p class='meta'>{it.state} {escape(it.state_reason or '')}"
        f" · opened by {escape(it.user)} {iso(it.created_at)} · {_labels(repo, it)}</p>"
        f"<article><pre>{escape(it.body or '')}</pre></article>"
    )
    return _page(f"{it.title} · {full_name}", head + thread + _form(state, repo, number))


def _form(state: State, repo: Repo, number: int) -> str:
    options = "".join(
        f"<option value='{escape(u.login, quote=True)}'>{escape(u.login)}</option>"
        for u in sorted(state.users.values(), key=lambda u: u.login.casefold())
        if u.type != "Organization"
    )
    return (
        "<h2>Comment</h2><form method='post' action='/_sandbox/comment'>"
        f"<input type='hidden' name='repo' value='{escape(repo.full_name, quote=True)}'>"
        f"<input type='hidden' name='number' value='{number}'>"
        f"<label>as <select name='user'>{options}</select></label>"
        "<p><textarea name='body' required></textarea></p><button>Comment</button></form>"
    )


def _post_comment(state: State, now: datetime, request: Request) -> Response:
    """Refuse cross-site posts: a browser sends Origin, and it must be this server."""
    origin = request.header("origin")
    if origin and urlsplit(origin).netloc != request.header("host"):
        return _page("Forbidden", "<h1>Cross-site form post refused</h1>", 403)
    form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
    repo = state.repo(form.get("repo", ""))
    number = form.get("number", "")
    it = repo.issues.get(int(number)) if repo and number.isdigit() else None
    user = state.user(form.get("user", ""))
    if repo is None or it is None or user is None:
        return _page("Bad request", "<h1>Unknown repository, issue or user</h1>", 400)
    try:
        c = domain.create_comment(
            state, repo, it, user=user.login, body=form.get("body", ""), now=now
        )
    except errors.ApiError as error:
        return _page("Rejected", f"<h1>{escape(error.message)}</h1>", 422)
    location = f"/{quote(repo.full_name)}/issues/{it.number}#issuecomment-{c.id}"
    return Response(303, raw=b"", headers={"Location": location}, content_type="text/plain")


def _raw(state: State, owner: str, name: str, branch: str, path: str) -> Response:
    repo = state.repo(f"{owner}/{name}")
    entry = repo.files.get(path) if repo and branch == repo.default_branch else None
    if entry is None:
        return _not_found()
    return Response(
        200, raw=entry.content, headers=dict(_HEADERS), content_type="text/plain; charset=utf-8"
    )
