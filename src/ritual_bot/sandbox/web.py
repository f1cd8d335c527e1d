"""The sandbox's web pages: read issues as github.com shows them, and act on them as anyone.

Issue pages live where ``html_url`` points (``/{owner}/{repo}/issues/{n}``, like github.com).
Bodies and comments are rendered as GitHub-flavoured Markdown by ``gfm`` (which makes them safe);
every other piece of user text is escaped here. Forms are plain HTML POSTs (no script needed;
one small script draws Mermaid charts from the vendored build in ``static/``). A side panel lets
a person pick who they are, move the clock, and see what the bot did (``playground``).

A form post from another site is refused: browsers send ``Origin`` (and ``Sec-Fetch-Site``) with
every POST, and the identity cookie is ``SameSite=Strict``; the server binds 127.0.0.1 by default.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import yaml

from ritual_bot.sandbox import gfm
from ritual_bot.sandbox.api import Request, Response
from ritual_bot.sandbox.playground import BotRun, Playground, Refused
from ritual_bot.sandbox.state import Comment, Issue, Repo, State

if TYPE_CHECKING:
    from ritual_bot.sandbox.core import Sandbox

_ISSUE = re.compile(r"^/([^/]+)/([^/]+)/issues/(\d+)/?$")
_NEW = re.compile(r"^/([^/]+)/([^/]+)/issues/new/?$")
_ISSUES = re.compile(r"^/([^/]+)/([^/]+)(?:/issues)?/?$")
_RAW = re.compile(r"^/_sandbox/raw/([^/]+)/([^/]+)/([^/]+)/(.+)$")
_STATIC = re.compile(r"^/_sandbox/static/([a-z0-9.-]+)$")
_STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_HTML = "text/html; charset=utf-8"
_FORMS = ".github/ISSUE_TEMPLATE/"
# Where a form may send the browser back to: a path on this site, in URL characters only (no
# "//" or "/\\" that browsers read as another host, no line break to split the header).
_SAME_SITE_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*")
_COOKIE = "ritual_bot_as"
_HEADERS = {
    # Mermaid writes <style> into each SVG it draws: inline styles are allowed, scripts are not.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# A long thread shows this many comments at its start and as many at its end.
_EDGE = 20
_STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}

# First path segments that belong to the API, never to a web page (GitHub reserves them too).
_RESERVED = frozenset({"api", "orgs", "rate_limit", "repos", "repositories", "user", "users"})


def handles(method: str, path: str) -> bool:
    if path.split("/")[1] in _RESERVED:
        return False
    if method == "POST":
        return path in ("/_sandbox/comment", "/_sandbox/act")
    if method != "GET":
        return False
    path = unquote(path)
    return path in ("/", "/_sandbox", "/_sandbox/") or any(
        pattern.match(path) for pattern in (_ISSUE, _NEW, _RAW, _STATIC, _ISSUES)
    )


def handle(box: Sandbox, request: Request) -> Response:
    try:
        return _handle(box, request)
    except Exception as error:  # a page that crashes says so, instead of a dropped connection
        shown = f"{type(error).__name__}: {error}"
        html = f"<!doctype html><title>Error</title><h1>This page failed</h1><pre>{escape(shown)}"
        return Response(500, raw=html.encode(), headers=dict(_HEADERS), content_type=_HTML)


def _handle(box: Sandbox, request: Request) -> Response:
    path = unquote(urlsplit(request.path).path)
    if request.method == "POST":
        return _act(box, request)
    static = _STATIC.match(path)
    if static:
        return _static(static[1])
    with box.state.lock:
        page = _Page(box, request)
        if path in ("/", "/_sandbox", "/_sandbox/"):
            if page.playground is not None:
                return _redirect(f"/{page.playground.repo}/issues")
            return page.render("Sandbox", _index(box.state))
        raw = _RAW.match(path)
        if raw:
            return _raw(box.state, *raw.groups())
        for pattern, show in ((_ISSUE, _issue_page), (_NEW, _new_issue_page)):
            found = pattern.match(path)
            if found:
                return show(page, *found.groups())
        listing = _ISSUES.match(path)
        assert listing is not None
        return _issues_page(page, listing[1], listing[2])


# --- the frame: header, main column, side panel ----------------------------------------------


class _Page:
    def __init__(self, box: Sandbox, request: Request) -> None:
        self.box = box
        self.request = request
        attached: Playground | None = getattr(box, "playground", None)
        self.playground = attached
        self.path = request.path + (f"?{urlencode(request.query)}" if request.query else "")

    def me(self, repo: str) -> str:
        return _identity(self.box, self.request, repo)

    def render(self, title: str, body: str, status: int = 200, repo: str | None = None) -> Response:
        panel = _panel(self, repo) if repo else ""
        html = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(title)}</title>"
            "<link rel='stylesheet' href='/_sandbox/static/playground.css'>"
            "<link rel='icon' href='data:,'>"  # no favicon request (it would be a 404)
            "<script defer src='/_sandbox/static/mermaid.tiny.js'></script>"
            "<script defer src='/_sandbox/static/playground.js'></script></head><body>"
            "<header><a href='/'>ritual-bot sandbox</a>"
            + (f" / <a href='/{quote(repo)}/issues'>{escape(repo)}</a>" if repo else "")
            + f"</header><div class='layout'><main>{body}</main>{panel}</div></body></html>"
        )
        return Response(
            status,
            raw=html.encode(),
            headers=dict(_HEADERS),
            content_type=_HTML,
        )


def _panel(page: _Page, repo: str) -> str:
    """Who you are, the clock and time travel, and what the bot did."""
    pg = page.playground if page.playground and page.playground.repo == repo else None
    people = pg.people() if pg else _people(page.box, repo)
    me = page.me(repo)
    options = "".join(
        f"<option value='{escape(p, quote=True)}'{' selected' if p == me else ''}>"
        f"{escape(p)} ({escape(_role_name(page.box, repo, p))})</option>"
        for p in people
    )
    out = [
        "<aside aria-label='Playground'>",
        _form(
            repo,
            page.path,
            "as",
            "<label for='who'>You are</label> "
            f"<select id='who' name='user'>{options}</select> <button>Switch</button>",
        ),
        f"<p class='clock'>Now: <time>{_when(page.box.clock.now())}</time></p>",
    ]
    if pg is not None and pg.clock is not None:
        upcoming = pg.next_due()
        buttons = "".join(
            f"<button name='by' value='{key}'>+1 {key}</button> " for key in ("hour", "day", "week")
        )
        if upcoming is not None:
            at, what = upcoming
            buttons = (
                f"<button name='by' value='next'>Advance to the next run ({_when(at)}: "
                f"{escape(what)})</button> " + buttons
            )
        out.append(
            _form(
                repo,
                page.path,
                "advance",
                f"<fieldset><legend>Time travel</legend>{buttons}</fieldset>",
            )
        )
    if pg is not None:
        out.append("<h2>What the bot did</h2>")
        runs = "".join(_run(run) for run in reversed(pg.runs))
        start = len(pg.runs)
        shown = f"<ol class='runs' reversed start='{start}'>{runs}</ol>"
        out.append(shown if runs else "<p>Nothing yet.</p>")
    out.append("</aside>")
    return "".join(out)


def _run(run: BotRun) -> str:
    log = escape("\n".join(run.log))
    requests = escape("\n".join(run.requests))
    return (
        f"<li class='run'><p><strong>{escape(run.title)}</strong> <span class='meta'>at "
        f"{_when(run.at)} · {len(run.requests)} requests, {run.writes} writes</span></p>"
        f"<details><summary>Log</summary><pre>{log}</pre></details>"
        f"<details><summary>Requests</summary><pre>{requests}</pre></details>"
        f"<details><summary>Step summary</summary><div class='markdown'>"
        f"{gfm.render(run.summary)}</div></details></li>"
    )


def _form(repo: str, back: str, do: str, fields: str, extra: dict[str, str] | None = None) -> str:
    hidden = {"repo": repo, "back": back, "do": do, **(extra or {})}
    inputs = "".join(
        f"<input type='hidden' name='{k}' value='{escape(v, quote=True)}'>"
        for k, v in hidden.items()
    )
    return f"<form method='post' action='/_sandbox/act'>{inputs}{fields}</form>"


def _when(at: Any) -> str:
    return escape(at.strftime("%a %Y-%m-%d %H:%M UTC"))


def _people(box: Sandbox, repo_name: str) -> list[str]:
    repo = box.state.repo(repo_name)
    users = sorted(
        (u.login for u in box.state.users.values() if u.type == "User"), key=str.casefold
    )
    return [u for u in users if repo is None or box.state.role(repo, u) is not None] or users


def _role_name(box: Sandbox, repo_name: str, login: str) -> str:
    repo = box.state.repo(repo_name)
    role = box.state.role(repo, login) if repo else None
    return role.label if role is not None else "no access"


def _identity(box: Sandbox, request: Request, repo: str) -> str:
    cookies = dict(
        part.strip().split("=", 1)
        for part in (request.header("cookie") or "").split(";")
        if "=" in part
    )
    chosen = unquote(cookies.get(_COOKIE, ""))
    people = _people(box, repo)
    known = box.state.user(chosen)
    return known.login if known is not None else (people[0] if people else "")


# --- pages -----------------------------------------------------------------------------------


def _index(state: State) -> str:
    items = "".join(
        f"<li><a href='/{quote(r.full_name)}/issues'>{escape(r.full_name)}</a> "
        f"<span class='meta'>{len(r.issues)} issues</span></li>"
        for r in sorted(state.repos.values(), key=lambda r: r.full_name.casefold())
    )
    return f"<h1>Repositories</h1><ul>{items or '<li>none yet</li>'}</ul>"


def _issues_page(page: _Page, owner: str, name: str) -> Response:
    repo = page.box.state.repo(f"{owner}/{name}")
    if repo is None:
        return _not_found(page)
    wanted = page.request.query.get("label", "")
    state = page.request.query.get("state", "open")
    shown = [
        it
        for it in sorted(repo.issues.values(), key=lambda i: -i.number)
        if (state == "all" or it.state == state)
        and (not wanted or any(n.casefold() == wanted.casefold() for n in _names(repo, it)))
    ]
    base = f"/{quote(repo.full_name)}/issues"
    rows = "".join(
        f"<li class='issue {it.state}'><span class='state'>{it.state}</span> "
        f"<a href='{base}/{it.number}'>{escape(it.title)}</a> {_labels(repo, it, base)}"
        f"<span class='meta'>#{it.number} opened {_when(it.created_at)} by {escape(it.user)}"
        f"{_assignees(it)} · {it.comment_count} comments</span></li>"
        for it in shown
    )
    label_options = "".join(
        f"<option{' selected' if lb.name == wanted else ''}>{escape(lb.name)}</option>"
        for lb in sorted(repo.labels.values(), key=lambda lb: lb.name.casefold())
    )
    states = "".join(
        f"<option{' selected' if s == state else ''}>{s}</option>"
        for s in ("open", "closed", "all")
    )
    filters = (
        f"<form method='get' action='{base}' class='filters'>"
        f"<label>State <select name='state'>{states}</select></label> "
        f"<label>Label <select name='label'><option value=''>any</option>{label_options}"
        "</select></label> <button>Filter</button></form>"
    )
    body = (
        f"<h1>Issues <a class='button' href='{base}/new'>New issue</a></h1>{filters}"
        f"<ul class='issues'>{rows or '<li>No issues match.</li>'}</ul>"
    )
    return page.render(f"Issues · {repo.full_name}", body, repo=repo.full_name)


def _names(repo: Repo, it: Issue) -> list[str]:
    return [repo.labels[i].name for i in it.label_ids if i in repo.labels]


def _labels(repo: Repo, it: Issue, base: str) -> str:
    return "".join(
        f"<a class='label' style='--c:#{escape(repo.labels[i].color)}' "
        f"href='{base}?{urlencode({'label': repo.labels[i].name, 'state': 'all'})}'>"
        f"{escape(repo.labels[i].name)}</a> "
        for i in it.label_ids
        if i in repo.labels
    )


def _assignees(it: Issue) -> str:
    return f" · assigned to {escape(', '.join(it.assignees))}" if it.assignees else ""


def _issue_page(page: _Page, owner: str, name: str, number: str) -> Response:
    repo = page.box.state.repo(f"{owner}/{name}")
    it = repo.issues.get(int(number)) if repo else None
    if repo is None or it is None:
        return _not_found(page)
    full = repo.full_name
    base = f"/{quote(full)}/issues"
    me = page.me(full)
    comments = sorted(
        (c for c in repo.comments.values() if c.issue_number == it.number), key=lambda c: c.id
    )
    thread = _thread(page, repo, comments, me, f"{base}/{it.number}")
    reason = f" ({escape(it.state_reason)})" if it.state_reason else ""
    head = (
        f"<h1>{escape(it.title)} <span class='meta'>#{it.number}</span></h1>"
        f"<p class='meta'><span class='state {it.state}'>{it.state}{reason}</span> "
        f"{escape(it.user)} opened this issue {_when(it.created_at)}{_assignees(it)} · "
        f"{_labels(repo, it, base)}</p>"
        f"<article id='issue-body'><p class='meta'><strong>{escape(it.user)}</strong>"
        f"{_badge(page.box.state, repo, it.user)}</p>"
        f"<div class='markdown'>{gfm.render(it.body)}</div></article>"
    )
    back = f"{base}/{it.number}"
    extra = {"number": str(it.number)}
    labels = "".join(f"<option>{escape(lb.name)}</option>" for lb in repo.labels.values())
    closing = (
        "<button name='reason' value='completed'>Close as completed</button> "
        "<button name='reason' value='not_planned'>Close as not planned</button>"
        if it.state == "open"
        else "<button>Reopen</button>"
    )
    actions = (
        _form(
            full,
            back,
            "comment",
            f"<label for='new-comment'>Comment as {escape(me)}</label>"
            "<textarea id='new-comment' name='body' required></textarea><button>Comment</button>",
            extra,
        )
        + "<div class='row'>"
        + _form(
            full,
            back,
            "label",
            "<label>Label <input name='label' list='labels' required></label>"
            f"<datalist id='labels'>{labels}</datalist> "
            "<button name='how' value='add'>Add</button> "
            "<button name='how' value='remove'>Remove</button>",
            extra,
        )
        + _form(full, back, "close" if it.state == "open" else "reopen", closing, extra)
        + "</div>"
    )
    return page.render(f"{it.title} · #{it.number} · {full}", head + thread + actions, repo=full)


def _thread(page: _Page, repo: Repo, comments: list[Comment], me: str, here: str) -> str:
    """The comments; a long conversation shows its start and its end with the middle behind a
    link, as github.com does ("Load more": rust-lang's triagebot docs,
    https://forge.rust-lang.org/triagebot/view-all-comments-link.html, describe clicking it over
    and over on long threads). It keeps a 500-comment issue fast to open."""
    hidden = len(comments) - 2 * _EDGE
    if hidden <= 0 or page.request.query.get("all") == "1":
        return "".join(_comment(page, repo, c, me) for c in comments)
    more = (
        f"<p class='hidden-items'>{hidden} hidden comments · "
        f"<a href='{here}?all=1'>Load all</a></p>"
    )
    shown = [*comments[:_EDGE], *comments[-_EDGE:]]
    return "".join(
        _comment(page, repo, c, me) + (more if n == _EDGE - 1 else "") for n, c in enumerate(shown)
    )


def _comment(page: _Page, repo: Repo, c: Comment, me: str) -> str:
    back = f"/{quote(repo.full_name)}/issues/{c.issue_number}"
    extra = {"comment": str(c.id)}
    edited = " · edited" if c.updated_at != c.created_at else ""
    tools = (
        "<details class='tools'><summary>Edit or delete</summary>"
        + _form(
            repo.full_name,
            back,
            "edit",
            f"<label for='edit-{c.id}'>Edit as {escape(me)}</label>"
            f"<textarea id='edit-{c.id}' name='body' required>{escape(c.body)}</textarea>"
            "<button>Update comment</button>",
            extra,
        )
        + _form(repo.full_name, back, "delete", "<button>Delete comment</button>", extra)
        + "</details>"
    )
    return (
        f"<article id='issuecomment-{c.id}'><p class='meta'><strong>{escape(c.user)}</strong>"
        f"{_badge(page.box.state, repo, c.user)} commented {_when(c.created_at)}{edited}</p>"
        f"<div class='markdown'>{gfm.render(c.body)}</div>{tools}</article>"
    )


def _badge(state: State, repo: Repo, login: str) -> str:
    """The role badge GitHub shows beside a name (none for a plain user; "bot" for apps)."""
    user = state.user(login)
    if user is not None and user.type == "Bot":
        return " <span class='badge'>bot</span>"
    association = state.association(repo, login)
    return "" if association == "NONE" else f" <span class='badge'>{association.lower()}</span>"


def _new_issue_page(page: _Page, owner: str, name: str) -> Response:
    repo = page.box.state.repo(f"{owner}/{name}")
    if repo is None:
        return _not_found(page)
    full = repo.full_name
    base = f"/{quote(full)}/issues"
    me = escape(page.me(full))
    chosen = page.request.query.get("template", "")
    forms = {p[len(_FORMS) :]: f for p, f in repo.files.items() if p.startswith(_FORMS)}
    if chosen in forms:
        return _form_page(page, repo, chosen, forms[chosen].content.decode("utf-8"))
    choices = "".join(
        f"<li><a href='{base}/new?{urlencode({'template': n})}'>{escape(_form_name(n, f.content))}"
        "</a></li>"
        for n, f in sorted(forms.items())
        if n.endswith((".yml", ".yaml")) and n != "config.yml"
    )
    fields = (
        "<label for='title'>Title</label><input id='title' name='title' required>"
        "<label for='body'>Description</label><textarea id='body' name='body'></textarea>"
        f"<button>Open issue as {me}</button>"
    )
    body = (
        "<h1>New issue</h1>"
        + (f"<h2>From an issue form</h2><ul>{choices}</ul>" if choices else "")
        + "<h2>Blank issue</h2>"
        + _form(full, f"{base}/new", "open", fields)
    )
    return page.render(f"New issue · {full}", body, repo=full)


def _form_name(name: str, content: bytes) -> str:
    try:
        loaded = yaml.safe_load(content)
    except yaml.YAMLError:
        return name
    return str(loaded.get("name", name)) if isinstance(loaded, dict) else name


def _form_page(page: _Page, repo: Repo, name: str, text: str) -> Response:
    """An issue form's fields, as GitHub shows them (markdown blocks as text, one input each)."""
    full = repo.full_name
    try:
        form = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return page.render(
            "Bad form",
            f"<h1>{escape(name)} is not valid YAML</h1><pre>{escape(str(error))}</pre>",
            422,
            repo=full,
        )
    prefix = str(form.get("title", ""))
    parts = [
        f"<h1>{escape(str(form.get('name', name)))}</h1>"
        f"<p>{escape(str(form.get('description', '')))}</p>"
        "<label for='title'>Title</label>"
        f"<input id='title' name='title' required placeholder='{escape(prefix, quote=True)}…'>"
    ]
    for item in form.get("body", []):
        attributes = item.get("attributes", {})
        if item.get("type") == "markdown":
            text = gfm.render(attributes.get("value", ""), breaks=False)
            parts.append(f"<div class='markdown'>{text}</div>")
            continue
        field_id = escape(str(item.get("id", "")), quote=True)
        required = " required" if item.get("validations", {}).get("required") else ""
        label = escape(str(attributes.get("label", "")))
        hint = escape(str(attributes.get("description", "")))
        value = escape(str(attributes.get("value", "") or ""))
        # The hint is read out with the field (aria-describedby), as GitHub's form does.
        common = (
            f"id='f-{field_id}' name='field.{field_id}' aria-describedby='h-{field_id}' "
            f"placeholder='{escape(str(attributes.get('placeholder', '') or ''))}'{required}"
        )
        control = (
            f"<textarea {common}>{value}</textarea>"
            if item.get("type") == "textarea"
            else f"<input {common} value='{value}'>"
        )
        parts.append(
            f"<label for='f-{field_id}'>{label}</label>"
            f"<p class='meta' id='h-{field_id}'>{hint}</p>{control}"
        )
    parts.append(f"<button>Open issue as {escape(page.me(full))}</button>")
    base = f"/{quote(full)}/issues/new?{urlencode({'template': name})}"
    body = _form(full, base, "open", "".join(parts), {"form": _FORMS + name})
    return page.render(f"New issue · {full}", body, repo=full)


def _not_found(page: _Page) -> Response:
    return page.render("Not found", "<h1>Not found</h1>", 404)


# --- actions ---------------------------------------------------------------------------------


def _act(box: Sandbox, request: Request) -> Response:
    page = _Page(box, request)
    if _cross_site(request):
        return page.render("Forbidden", "<h1>Cross-site form post refused</h1>", 403)
    form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
    repo = form.get("repo", "")
    with box.state.lock:
        known = box.state.repo(repo)
        user = box.state.user(form.get("user", "") or _identity(box, request, repo))
    if known is None or user is None:
        return page.render("Bad request", "<h1>Unknown repository or user</h1>", 400)
    pg = page.playground
    if pg is None or pg.repo.casefold() != known.full_name.casefold():
        pg = Playground(box, known.full_name)  # no bot: the page alone
    do = form.get("do", "comment")
    back = form.get("back", "")
    if not _SAME_SITE_PATH.fullmatch(back):
        back = f"/{quote(known.full_name)}/issues"
    try:
        location = _do(pg, do, user.login, form, back)
    except Refused as error:
        body = (
            f"<h1>Not done</h1><p>{escape(str(error))}</p><p><a href='{escape(back)}'>Back</a></p>"
        )
        return page.render("Not done", body, 422, repo=known.full_name)
    headers = {"Location": location}
    if do == "as":
        # The identity lives in a cookie this site alone sends back.
        headers["Set-Cookie"] = f"{_COOKIE}={quote(user.login)}; Path=/; SameSite=Strict; HttpOnly"
    return Response(303, raw=b"", headers=headers, content_type="text/plain")


def _cross_site(request: Request) -> bool:
    origin = request.header("origin")
    if origin and urlsplit(origin).netloc != request.header("host"):
        return True
    return request.header("sec-fetch-site") in ("cross-site", "same-site")


def _do(pg: Playground, do: str, user: str, form: dict[str, str], back: str) -> str:
    number = _int(form.get("number", ""))
    comment = _int(form.get("comment", ""))
    body = form.get("body", "")
    base = f"/{quote(pg.repo)}/issues"
    if do == "as":
        return back
    if do == "comment":
        new = pg.comment(user, number, body)
        return f"{base}/{number}#issuecomment-{new}"
    if do == "edit":
        pg.edit_comment(user, comment, body)
        return f"{back}#issuecomment-{comment}"
    if do == "delete":
        pg.delete_comment(user, comment)
        return back
    if do == "label":
        pg.label(user, number, form.get("label", "").strip(), add=form.get("how") != "remove")
        return back
    if do in ("close", "reopen"):
        state = "closed" if do == "close" else "open"
        pg.set_state(user, number, state, form.get("reason") if do == "close" else "reopened")
        return back
    if do == "open":
        answers = {k[len("field.") :]: v for k, v in form.items() if k.startswith("field.")}
        opened = pg.open_issue(
            user, form.get("title", ""), body, form=form.get("form") or None, answers=answers
        )
        return f"{base}/{opened}"
    if do == "advance":
        by = form.get("by", "")
        if by != "next" and by not in _STEPS:
            raise Refused(f"advance by what? {by!r}")
        pg.advance(None if by == "next" else _STEPS[by])
        return back
    raise Refused(f"unknown action {do!r}")


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _redirect(location: str) -> Response:
    return Response(303, raw=b"", headers={"Location": location}, content_type="text/plain")


def _static(name: str) -> Response:
    suffix = name[name.rfind(".") :]
    folder = resources.files("ritual_bot.sandbox") / "static"
    entry = folder / name
    if suffix not in _STATIC_TYPES or not entry.is_file():
        return Response(404, raw=b"not found", headers={}, content_type="text/plain")
    headers = {**_HEADERS, "Cache-Control": "public, max-age=3600"}
    return Response(
        200, raw=entry.read_bytes(), headers=headers, content_type=_STATIC_TYPES[suffix]
    )


def _raw(state: State, owner: str, name: str, branch: str, path: str) -> Response:
    repo = state.repo(f"{owner}/{name}")
    entry = repo.files.get(path) if repo and branch == repo.default_branch else None
    if entry is None:
        return Response(404, raw=b"not found", headers=dict(_HEADERS), content_type="text/plain")
    return Response(
        200, raw=entry.content, headers=dict(_HEADERS), content_type="text/plain; charset=utf-8"
    )
