"""``Sandbox``: a stateful local emulation of the GitHub REST API (the parts ritual-bot uses).

Three faces over one state:

- seeding and inspection in-process (``add_user``, ``create_issue``, ``issue`` …), not logged;
- the REST API over HTTP (``serve()``), which PyGithub talks to with ``Github(base_url=url)``;
- web pages at ``/`` and at every ``html_url``, where a person acts as anyone (``web``,
  ``playground``).

Every API request runs through ``handle``: ``before_request`` hooks (may answer, or drop the
connection), the pipeline, then ``after_request`` hooks (may replace the answer); the result is
logged in ``requests``. A fault-injection layer plugs in there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import yaml

from ritual_bot.clock import Clock, SystemClock
from ritual_bot.sandbox import domain, http, render, web
from ritual_bot.sandbox.api import (
    DROP,
    AfterHook,
    BeforeHook,
    Drop,
    Request,
    RequestRecord,
    Response,
)
from ritual_bot.sandbox.auth import DEFAULT_ACTIONS_PERMISSIONS, Principal, Tokens
from ritual_bot.sandbox.contents import put_file
from ritual_bot.sandbox.pipeline import Pipeline
from ritual_bot.sandbox.playground import Playground
from ritual_bot.sandbox.routes import ROUTES
from ritual_bot.sandbox.state import (
    BOT_ID,
    BOT_LOGIN,
    Comment,
    Issue,
    Org,
    Repo,
    Role,
    State,
    Team,
    User,
    UserType,
)


class Sandbox:
    def __init__(self, clock: Clock | None = None, *, base_url: str | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self.state = State()
        self.tokens = Tokens()
        self.before_request: list[BeforeHook] = []
        self.after_request: list[AfterHook] = []
        self._records: list[RequestRecord] = []
        self._base_url = base_url
        self._served_url: str | None = None
        self._pipeline = Pipeline(self.state, self.tokens, self.clock, ROUTES, lambda: self.web_url)
        self._add_account(BOT_LOGIN, "Bot", user_id=BOT_ID)
        # The web page's actions fire events to this playground's bot when one is attached.
        self.playground: Playground | None = None

    # -- accounts -------------------------------------------------------------------------------

    def _add_account(
        self, login: str, kind: UserType, *, name: str | None = None, user_id: int | None = None
    ) -> User:
        with self.state.lock:
            existing = self.state.user(login)
            if existing is not None:
                return existing
            uid = user_id if user_id is not None else self.state.ids.next("user")
            user = User(login, uid, kind, self.clock.now(), name=name)
            self.state.users[login.casefold()] = user
            return user

    def add_user(self, login: str, *, name: str | None = None, email: str | None = None) -> None:
        user = self._add_account(login, "User", name=name)
        user.name = name if name is not None else user.name
        user.email = email if email is not None else user.email

    def add_org(self, login: str, *, members: Iterable[str] = (), base_role: str = "read") -> None:
        """An organization; its members get ``base_role`` on every repo it owns (GitHub's
        default base permission is read). Memberships are private unless made public."""
        with self.state.lock:
            # An owner created by add_repo before add_org becomes the organization.
            self._add_account(login, "Organization").type = "Organization"
            org = self.state.orgs.setdefault(login.casefold(), Org(login))
            org.base_role = None if base_role == "none" else Role.parse(base_role)
        for member in members:
            self.add_org_member(login, member)

    def add_org_member(
        self, org: str, login: str, *, public: bool = False, admin: bool = False
    ) -> None:
        with self.state.lock:
            if self.state.org(org) is None:
                self.add_org(org)
            self.add_user(login)
            found = self.state.org(org)
            assert found is not None
            found.members[login.casefold()] = public or found.members.get(login.casefold(), False)
            if admin:
                found.admins.add(login.casefold())

    def add_team(self, org: str, slug: str, *, members: Iterable[str] = ()) -> None:
        with self.state.lock:
            for member in members:
                self.add_org_member(org, member)
            found = self.state.org(org)
            if found is None:
                self.add_org(org)
                found = self.state.org(org)
            assert found is not None
            team = found.teams.setdefault(
                slug.casefold(), Team(self.state.ids.next("team"), slug, slug)
            )
            for member in members:
                login = self._user(member).login
                if login not in team.members:
                    team.members.append(login)

    def add_repo(
        self,
        full_name: str,
        *,
        private: bool = True,
        description: str | None = None,
        default_branch: str = "main",
        has_issues: bool = True,
    ) -> None:
        owner, _, name = full_name.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError(f"repository must be OWNER/NAME, got {full_name!r}")
        with self.state.lock:
            if self.state.org(owner) is None:
                self._add_account(owner, "User")
            if self.state.repo(full_name) is not None:
                return
            now = self.clock.now()
            owner_login = self._user(owner).login
            repo = Repo(
                id=self.state.ids.next("repo"),
                owner=owner_login,
                name=name,
                created_at=now,
                updated_at=now,
                private=private,
                has_issues=has_issues,
                description=description,
                default_branch=default_branch,
            )
            self.state.repos[full_name.casefold()] = repo

    def set_permission(self, full_name: str, login: str, role: str) -> None:
        """Make ``login`` a direct collaborator with ``role`` (admin|maintain|write|triage|read)."""
        with self.state.lock:
            self.add_user(login)
            self._repo(full_name).collaborators[login.casefold()] = Role.parse(role)

    def protect_branch(
        self,
        full_name: str,
        branch: str | None = None,
        *,
        ruleset: bool = False,
        bypass: Iterable[str] = (),
    ) -> None:
        """Require pull requests on ``branch`` (default: the default branch), by classic branch
        protection or by a ruleset; ``bypass`` logins may still write (e.g. the bot)."""
        with self.state.lock:
            repo = self._repo(full_name)
            allowed = frozenset(login.casefold() for login in bypass)
            repo.protected[branch or repo.default_branch] = (
                "ruleset" if ruleset else "protection",
                allowed,
            )

    def transfer_issue(self, full_name: str, number: int, to: str) -> int:
        """Move an issue (and its comments) to another repository of the same owner; the old
        number answers 301. Labels and milestones are not kept
        (https://docs.github.com/issues/tracking-your-work-with-issues/transferring-an-issue-to-another-repository).
        Returns the issue's number in ``to``."""
        with self.state.lock:
            source, target = self._repo(full_name), self._repo(to)
            it = self._issue(source, number)
            new_number = target.next_number
            target.next_number += 1
            del source.issues[number]
            it.number, it.label_ids = new_number, []
            target.issues[new_number] = it
            for comment_id, comment in list(source.comments.items()):
                if comment.issue_number == number:
                    del source.comments[comment_id]
                    comment.issue_number = new_number
                    target.comments[comment_id] = comment
            source.moved[number] = (target.id, new_number)
            return new_number

    # -- tokens ---------------------------------------------------------------------------------

    def actions_token(self, full_name: str, permissions: Mapping[str, str] | None = None) -> str:
        """Like the Actions GITHUB_TOKEN: acts as github-actions[bot], on this repo only, with the
        workflow's ``permissions`` (default: issues and contents write, metadata read)."""
        with self.state.lock:
            repo = self._repo(full_name)
            granted = dict(DEFAULT_ACTIONS_PERMISSIONS if permissions is None else permissions)
            principal = Principal("actions", BOT_LOGIN, repo.full_name, granted)
            return self.tokens.issue(principal, "ghs")

    def user_token(self, login: str) -> str:
        with self.state.lock:
            user = self._user(login)
            return self.tokens.issue(Principal("user", user.login), "ghp")

    # -- serving --------------------------------------------------------------------------------

    @property
    def web_url(self) -> str:
        """Base of ``html_url``s: the server's own address, so they open the sandbox's pages."""
        return self._base_url or self._served_url or "http://127.0.0.1"

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        server, thread = http.start(self.serve_http, host, port)
        url = f"http://{host}:{server.server_address[1]}"
        self._served_url = url
        try:
            yield url
        finally:
            http.stop(server, thread)

    def serve_forever(
        self,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        ready: Callable[[str], None] | None = None,
    ) -> None:
        """Bind, tell ``ready`` the URL actually bound (port 0 picks a free one), then serve.

        Binding comes first so a port in use fails before anything is announced (OSError).
        """
        server = http.SandboxServer((host, port), http.make_handler(self.serve_http))
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self._served_url = f"http://{shown}:{server.server_address[1]}"
        try:
            if ready is not None:
                ready(self._served_url)
            server.serve_forever()
        finally:
            server.server_close()

    def serve_http(self, request: Request) -> Response | Drop:
        """Web pages for browser paths the API does not claim; the API for everything else."""
        if not self._pipeline.matches(request.method, request.path) and web.handles(
            request.method, request.path
        ):
            return web.handle(self, request)
        return self.handle(request)

    # -- the request pipeline -------------------------------------------------------------------

    def handle(self, request: Request) -> Response | Drop:
        """Run one API request through the hooks and the pipeline, and log it."""
        for before in list(self.before_request):
            early = before(request)
            if early is not None:
                self._log(request, early, None, self._pipeline.actor(request))
                return early
        outcome = self._pipeline.handle(request)
        result: Response | Drop = outcome.response
        for after in list(self.after_request):
            if isinstance(result, Drop):
                break
            replaced = after(request, result)
            result = replaced if replaced is not None else result
        self._log(request, result, outcome.operation, outcome.actor)
        return result

    def _log(
        self, request: Request, result: Response | Drop, operation: str | None, actor: str | None
    ) -> None:
        record = RequestRecord(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            status=0 if result is DROP or isinstance(result, Drop) else result.status,
            actor=actor,
            # The GraphQL endpoint serves no mutation here: a POST to it only reads.
            is_write=request.is_write and operation != "/graphql",
            operation=operation,
            request_id=request.request_id,
            at=self.clock.now(),
        )
        with self.state.lock:
            self._records.append(record)

    @property
    def requests(self) -> list[RequestRecord]:
        with self.state.lock:
            return list(self._records)

    def clear_requests(self) -> None:
        with self.state.lock:
            self._records.clear()

    # -- inspection (REST-shaped, as the API would return) --------------------------------------

    def _urls(self) -> render.Urls:
        return render.Urls(api=self.web_url, web=self.web_url)

    def issue(self, full_name: str, number: int) -> dict[str, Any]:
        with self.state.lock:
            repo = self._repo(full_name)
            return render.issue(
                self.state, self._urls(), repo, self._issue(repo, number), single=True
            )

    def issues(self, full_name: str) -> list[dict[str, Any]]:
        """Every issue, open and closed, by number."""
        with self.state.lock:
            repo = self._repo(full_name)
            return [
                render.issue(self.state, self._urls(), repo, it)
                for _, it in sorted(repo.issues.items())
            ]

    def comments(self, full_name: str, number: int) -> list[dict[str, Any]]:
        with self.state.lock:
            repo = self._repo(full_name)
            self._issue(repo, number)
            found = sorted(
                (c for c in repo.comments.values() if c.issue_number == number), key=lambda c: c.id
            )
            return [render.comment(self.state, self._urls(), repo, c) for c in found]

    def labels(self, full_name: str) -> list[dict[str, Any]]:
        with self.state.lock:
            repo = self._repo(full_name)
            ordered = sorted(repo.labels.values(), key=lambda lb: lb.name.casefold())
            return [render.label(self._urls(), repo, lb) for lb in ordered]

    def file(self, full_name: str, path: str) -> str | None:
        with self.state.lock:
            entry = self._repo(full_name).files.get(path.strip("/"))
            return entry.content.decode("utf-8") if entry else None

    # -- seeding (direct writes as a user, not logged) ------------------------------------------

    def create_issue(
        self,
        full_name: str,
        *,
        title: str,
        body: str | None = None,
        user: str,
        labels: Iterable[str] = (),
        assignees: Iterable[str] = (),
    ) -> dict[str, Any]:
        with self.state.lock:
            repo = self._repo(full_name)
            it = domain.create_issue(
                self.state,
                repo,
                user=self._user(user).login,
                title=title,
                body=body,
                labels=labels,
                assignees=assignees,
                now=self.clock.now(),
            )
            return render.issue(self.state, self._urls(), repo, it, single=True)

    def open_issue_with_form(
        self,
        full_name: str,
        form_path: str,
        *,
        user: str,
        title: str,
        answers: Mapping[str, str],
    ) -> dict[str, Any]:
        """Open an issue as GitHub's web UI does from an issue form on the default branch.

        Each field becomes ``### <label>`` and the answer (``_No response_`` when empty). The
        form's labels are applied only if they exist: GitHub drops the others silently
        (https://docs.github.com/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-issue-forms#top-level-syntax,
        github/docs#25277; e.g. openai/codex#21158, mapequation/infomap#932).
        """
        with self.state.lock:
            repo = self._repo(full_name)
            entry = repo.files.get(form_path.strip("/"))
            if entry is None:
                raise KeyError(f"no issue form {form_path!r} on {full_name}'s default branch")
            form = yaml.safe_load(entry.content.decode("utf-8"))
            parts = []
            for field_ in form.get("body", []):
                if field_.get("type") == "markdown":
                    continue
                answer = answers.get(field_.get("id", ""), "").strip() or "_No response_"
                parts.append(f"### {field_['attributes']['label']}\n\n{answer}")
            labels = [name for name in form.get("labels", []) if repo.label_named(name)]
        return self.create_issue(
            full_name,
            title=f"{form.get('title', '')}{title}",
            body="\n\n".join(parts) + "\n",
            user=user,
            labels=labels,
        )

    def create_comment(
        self, full_name: str, number: int, *, body: str, user: str
    ) -> dict[str, Any]:
        with self.state.lock:
            repo = self._repo(full_name)
            it = self._issue(repo, number)
            login = self._user(user).login
            c = domain.create_comment(
                self.state, repo, it, user=login, body=body, now=self.clock.now()
            )
            return render.comment(self.state, self._urls(), repo, c)

    def edit_comment(
        self, full_name: str, comment_id: int, *, body: str, user: str | None = None
    ) -> dict[str, Any]:
        """Edit as ``user`` (default: the author), kept in the edit history like a PATCH."""
        with self.state.lock:
            repo = self._repo(full_name)
            c = self._comment(repo, comment_id)
            editor = self._user(user).login if user is not None else c.user
            domain.edit_comment(self.state, c, body, editor=editor, now=self.clock.now())
            return render.comment(self.state, self._urls(), repo, c)

    def edit_issue_body(
        self, full_name: str, number: int, *, body: str | None, user: str | None = None
    ) -> dict[str, Any]:
        """Edit an issue's body as ``user`` (default: the author), kept in its edit history."""
        with self.state.lock:
            repo = self._repo(full_name)
            it = self._issue(repo, number)
            domain.check_body("Issue", body)
            if body != it.body:
                now = self.clock.now()
                editor = self._user(user).login if user is not None else it.user
                domain.record_edit(
                    self.state,
                    it.edits,
                    author=it.user,
                    created_at=it.created_at,
                    before=it.body,
                    after=body,
                    editor=editor,
                    now=now,
                )
                it.body, it.updated_at = body, now
            return render.issue(self.state, self._urls(), repo, it, single=True)

    def delete_revision(
        self,
        full_name: str,
        *,
        revision: int,
        user: str,
        comment_id: int | None = None,
        issue: int | None = None,
    ) -> None:
        """Delete a revision's text from a comment's (or an issue body's) edit history, as
        ``user``; ``revision`` counts from the oldest (0, the creation revision).

        Only the body's author or someone with write access may (see
        ``domain.delete_revision``); anyone else gets ``PermissionError``.
        """
        if (comment_id is None) == (issue is None):
            raise ValueError("give exactly one of comment_id and issue")
        with self.state.lock:
            repo = self._repo(full_name)
            login = self._user(user).login
            target: Comment | Issue = (
                self._comment(repo, comment_id)
                if comment_id is not None
                else self._issue(repo, issue or 0)
            )
            role = self.state.role(repo, login)
            if target.user.casefold() != login.casefold() and (role is None or role < Role.WRITE):
                raise PermissionError(f"{login} may not edit the history of this body")
            domain.delete_revision(
                self.state, target.edits, revision, by=login, now=self.clock.now()
            )

    def delete_comment(self, full_name: str, comment_id: int) -> None:
        with self.state.lock:
            repo = self._repo(full_name)
            domain.delete_comment(repo, self._comment(repo, comment_id), self.clock.now())

    def add_labels(
        self, full_name: str, number: int, labels: Iterable[str], *, user: str | None = None
    ) -> dict[str, Any]:
        with self.state.lock:
            repo = self._repo(full_name)
            it = self._issue(repo, number)
            if user is not None:
                self._user(user)
            domain.add_labels(self.state, repo, it, labels, self.clock.now())
            return render.issue(self.state, self._urls(), repo, it, single=True)

    def set_issue_state(
        self,
        full_name: str,
        number: int,
        state: str,
        *,
        state_reason: str | None = None,
        user: str | None = None,
    ) -> dict[str, Any]:
        if state not in ("open", "closed"):
            raise ValueError(f"state must be open or closed, got {state!r}")
        if state_reason is not None and state_reason not in domain.STATE_REASONS:
            raise ValueError(f"state_reason must be one of {domain.STATE_REASONS}")
        with self.state.lock:
            repo = self._repo(full_name)
            it = self._issue(repo, number)
            actor = self._user(user).login if user else it.user
            domain.set_state(it, state, state_reason, actor=actor, now=self.clock.now())
            return render.issue(self.state, self._urls(), repo, it, single=True)

    def create_pull_request(
        self,
        full_name: str,
        *,
        title: str,
        user: str,
        head: str,
        base: str | None = None,
        body: str | None = None,
        labels: Iterable[str] = (),
        draft: bool = False,
    ) -> dict[str, Any]:
        """Open a pull request (it numbers with the issues); returned as "List pull requests"
        shows it. Merge it with ``merge_pull_request``, close it with ``set_issue_state``."""
        with self.state.lock:
            repo = self._repo(full_name)
            it = domain.create_pull(
                self.state,
                repo,
                user=self._user(user).login,
                title=title,
                body=body,
                head=head,
                base=base,
                labels=labels,
                draft=draft,
                now=self.clock.now(),
            )
            return render.pull_request_simple(self.state, self._urls(), repo, it)

    def merge_pull_request(self, full_name: str, number: int, *, user: str) -> dict[str, Any]:
        """Merge as ``user`` now (the clock's time is ``merged_at`` and ``closed_at``)."""
        with self.state.lock:
            repo = self._repo(full_name)
            it = self._issue(repo, number)
            domain.merge_pull(it, actor=self._user(user).login, now=self.clock.now())
            return render.pull_request_simple(self.state, self._urls(), repo, it)

    def pulls(self, full_name: str) -> list[dict[str, Any]]:
        """Every pull request, open and closed, by number."""
        with self.state.lock:
            repo = self._repo(full_name)
            return [
                render.pull_request_simple(self.state, self._urls(), repo, it)
                for _, it in sorted(repo.issues.items())
                if it.pull is not None
            ]

    def create_release(
        self,
        full_name: str,
        *,
        tag_name: str,
        user: str,
        name: str | None = None,
        body: str | None = None,
        draft: bool = False,
        prerelease: bool = False,
    ) -> dict[str, Any]:
        """A release of ``tag_name``, published now unless ``draft`` (see ``publish_release``)."""
        with self.state.lock:
            repo = self._repo(full_name)
            rel = domain.create_release(
                self.state,
                repo,
                user=self._user(user).login,
                tag_name=tag_name,
                name=name,
                body=body,
                draft=draft,
                prerelease=prerelease,
                now=self.clock.now(),
            )
            return render.release(self.state, self._urls(), repo, rel)

    def publish_release(self, full_name: str, release_id: int) -> dict[str, Any]:
        with self.state.lock:
            repo = self._repo(full_name)
            rel = repo.releases.get(release_id)
            if rel is None:
                raise KeyError(f"no release {release_id} in {full_name}")
            domain.publish_release(rel, self.clock.now())
            return render.release(self.state, self._urls(), repo, rel)

    def put_file(self, full_name: str, path: str, content: str, *, user: str) -> None:
        """Commit a file on the default branch (e.g. ``.github/rituals.yml``)."""
        with self.state.lock:
            repo = self._repo(full_name)
            existing = repo.files.get(path.strip("/"))
            put_file(
                repo,
                path.strip("/"),
                content.encode(),
                sha=existing.sha if existing else None,
                message=f"Update {path}",
                author=self._user(user).login,
                now=self.clock.now(),
            )

    # -- lookups --------------------------------------------------------------------------------

    def _repo(self, full_name: str) -> Repo:
        repo = self.state.repo(full_name)
        if repo is None:
            raise KeyError(f"no repository {full_name!r} in the sandbox (add_repo first)")
        return repo

    def _user(self, login: str) -> User:
        user = self.state.user(login)
        if user is None:
            raise KeyError(f"no user {login!r} in the sandbox (add_user first)")
        return user

    @staticmethod
    def _issue(repo: Repo, number: int) -> Issue:
        found = repo.issues.get(number)
        if found is None:
            raise KeyError(f"no issue #{number} in {repo.full_name}")
        return found

    @staticmethod
    def _comment(repo: Repo, comment_id: int) -> Comment:
        found = repo.comments.get(comment_id)
        if found is None:
            raise KeyError(f"no comment {comment_id} in {repo.full_name}")
        return found
