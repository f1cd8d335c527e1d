"""The one module that talks to GitHub (through PyGithub).

It reads what a run needs into the plain values of ``ritual_bot.model`` and applies ops, in order,
one request each. PyGithub objects never leave this module: they complete themselves lazily with
an extra GET when an attribute is missing, so only attributes present in list/create responses are
read here, and the request counter below makes any slip visible in tests.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException
from github.ContentFile import ContentFile as GhContentFile
from github.GitRelease import GitRelease as GhRelease
from github.Issue import Issue as GhIssue
from github.IssueComment import IssueComment as GhComment
from github.PullRequest import PullRequest as GhPull
from github.Requester import HTTPRequestsConnectionClass, HTTPSRequestsConnectionClass

from ritual_bot.errors import GitHubError
from ritual_bot.markers import find_markers
from ritual_bot.model import (
    Comment,
    EditHistory,
    Issue,
    MergedPull,
    PublishedRelease,
    RepoFile,
    Repository,
    Revision,
    User,
)
from ritual_bot.ops import (
    AddAssignees,
    AddComment,
    CreateIssue,
    EnsureLabel,
    Op,
    PutFile,
    UpdateComment,
    UpdateIssue,
    fill_file_notes,
)
from ritual_bot.resilience import RetryPolicy, WritePacer, retry_wait

DEFAULT_API_URL = "https://api.github.com"
# The identity behind the Actions GITHUB_TOKEN; a GitHub App token posts as "<app-slug>[bot]".
DEFAULT_BOT_LOGIN = "github-actions[bot]"
BOT_SUFFIX = "[bot]"  # REST spells a Bot's login with it; GraphQL does not (``_login``)
READ_VERBS = frozenset({"GET", "HEAD"})
_ISSUE_URL = re.compile(r"/issues/(\d+)$")
# GitHub's ``nodes(ids:)`` takes at most 100 ids ("You may not provide more than 100 node ids",
# type ARGUMENT_LIMIT: https://github.com/sourcecred/sourcecred/pull/908), and a connection's
# ``first``/``last`` at most 100 items
# (https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api).
GRAPHQL_MAX_IDS = 100
# The edit history of issue bodies and comments: the ``Comment`` interface's ``editor``,
# ``lastEditedAt``, ``includesCreatedEdit`` and ``userContentEdits``
# (https://docs.github.com/graphql/reference/interfaces#comment,
# https://docs.github.com/graphql/reference/objects#usercontentedit). ``totalCount`` tells a
# complete history from a truncated one. Checked against GitHub's schema in tests/gateway.
EDIT_HISTORY_QUERY = (
    "query EditHistories($ids: [ID!]!) { nodes(ids: $ids) { __typename "
    "... on Issue { ...history } ... on IssueComment { ...history } } } "
    "fragment history on Comment { id editor { __typename login } lastEditedAt "
    "includesCreatedEdit userContentEdits(last: 100) { totalCount "
    "nodes { editor { __typename login } editedAt diff deletedAt } } }"
)


class Secret:
    """A token that never shows itself in output, logs or reprs (SPEC §6)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass
class RequestStats:
    """Requests this run made, and the rate limit GitHub last reported."""

    requests: int = 0
    writes: int = 0
    rate_remaining: int | None = None
    rate_limit: int | None = None

    def record(self, verb: str, headers: dict[str, Any]) -> None:
        self.requests += 1
        if verb.upper() not in {"GET", "HEAD"}:
            self.writes += 1
        lowered = {k.lower(): v for k, v in headers.items()}
        # GraphQL has its own budget (x-ratelimit-resource: graphql); report the REST one.
        if lowered.get("x-ratelimit-resource", "core") != "core":
            return
        if "x-ratelimit-remaining" in lowered:
            self.rate_remaining = int(lowered["x-ratelimit-remaining"])
            self.rate_limit = int(lowered.get("x-ratelimit-limit", 0)) or None


class AmbiguousWrite(GitHubError):
    """A write got no clear answer (5xx, timeout, dropped connection): it may have been applied."""


class IssueMoved(GitHubError):
    """The issue was transferred to another repository: GitHub answers 301 with its new
    location (https://docs.github.com/rest/issues/issues#get-an-issue). Never followed: PyGithub
    would repeat the request there (``Requester.__requestRaw``, 301 branch), reading another
    repository's issue as ours, or re-sending a write into it."""


class WriteBudgetReached(GitHubError):
    """This run used its share of GitHub's content-creation limit; the next run continues."""


class RunWideFailure(GitHubError):
    """GitHub refuses the whole run, not one item (rate limited past the wait cap, unreachable,
    the token refused): going on item by item would only fail the same way, so the run stops."""


@dataclass
class Resilience:
    """The seams of waiting: a policy, a write pacer, and the clock and sleep to use.

    Tests pass a fake ``sleep`` that moves a fake ``now``, so nothing really waits.
    """

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    pacer: WritePacer = field(default_factory=WritePacer)
    sleep: Callable[[float], None] = field(default=lambda seconds: time.sleep(seconds))
    now: Callable[[], float] = field(default=lambda: time.time())
    waited: float = 0.0  # retries: counted against ``policy.max_total_wait``
    paced: float = 0.0  # spacing writes: bounded by the pacer's budgets, not by the wait cap
    pause: Callable[[float], None] | None = None  # how to space writes; None: ``sleep``

    def wait(self, seconds: float) -> None:
        self.waited += seconds
        self.sleep(seconds)

    def pace(self, seconds: float) -> None:
        self.paced += seconds
        (self.pause or self.sleep)(seconds)


def _transport(base: type[Any], stats: RequestStats, resilience: Resilience) -> type[Any]:
    """A PyGithub connection class that counts, paces, and retries what is safe to retry.

    PyGithub only offers a process-wide hook (``Requester.injectConnectionClasses``) to swap its
    transport; this gateway sets the class on its own Requester instead, so two gateways in one
    process (the demo, the tests) never share state. PyGithub's own retry compares
    ``x-ratelimit-reset`` with the local clock, so it is off (``retry=None``) and this does it.
    """

    class Transport(base):  # type: ignore[misc]
        def getresponse(self) -> Any:
            attempt = 0
            # A GraphQL query is a POST that only reads (the gateway sends no mutation): it is
            # not paced nor counted as a write, and is retried like a GET.
            verb = "GET" if _is_graphql(self.url) else self.verb.upper()
            while True:
                attempt += 1
                writing = verb not in READ_VERBS
                creating = verb == "POST" and _is_issue_creation(self.url)
                if writing:
                    self._pace(creating)
                response, failure = self._send()
                status = None if response is None else response.status
                headers = {} if response is None else dict(response.getheaders())
                stats.record(verb, headers)
                if status == 301 and "/issues/" in self.url:
                    location = {k.lower(): v for k, v in headers.items()}.get("location", "")
                    raise IssueMoved(
                        f"{self.url.split('?')[0]} was transferred to another repository "
                        f"({location or 'no location given'}); not following it",
                        status=301,
                    )
                if writing:
                    resilience.pacer.record(resilience.now(), creating)
                decision = retry_wait(
                    method=verb,
                    status=status,
                    headers=headers,
                    body=_text(response),
                    attempt=attempt,
                    waited=resilience.waited,
                    policy=resilience.policy,
                    local_now=resilience.now(),
                )
                if decision.wait is not None:
                    resilience.wait(decision.wait)
                    continue
                if decision.reason == "ambiguous":
                    raise AmbiguousWrite(
                        f"{self.verb} {self.url.split('?')[0]} got no clear answer "
                        f"({status or failure}); checking whether it was applied",
                        status=status,
                    )
                if response is None:
                    raise RunWideFailure(
                        f"no response from GitHub after {attempt} attempts: {failure}"
                    )
                if decision.reason and status in (403, 429):
                    raise RunWideFailure(
                        f"rate limited by GitHub: {decision.reason}", status=status
                    )
                return response

        def _send(self) -> tuple[Any, str]:
            try:
                return super().getresponse(), ""
            except requests.RequestException as error:  # timeout, connection dropped
                return None, type(error).__name__

        def _pace(self, creating: bool) -> None:
            pacer = resilience.pacer
            if pacer.exhausted():
                raise WriteBudgetReached(f"this run reached its budget of {pacer.per_hour} writes")
            if pacer.exhausted(creating):
                raise WriteBudgetReached(
                    f"this run reached its budget of {pacer.creates_per_hour} new issues "
                    "(GitHub's secondary limit on creating issues)"
                )
            # Spacing writes is not a retry: the budgets above bound it (at most ~13 minutes for
            # 150 creations and 350 other writes), so it does not count against the wait cap.
            pause = pacer.wait_before_write(resilience.now(), creating)
            if pause > 0:
                resilience.pace(pause)

    return Transport


_ISSUE_CREATION = re.compile(r"/repos/[^/]+/[^/]+/issues$")


def _is_issue_creation(url: str) -> bool:
    """``POST /repos/{owner}/{repo}/issues``: paced to the lower issue-creation limit."""
    return _ISSUE_CREATION.search(url.split("?", 1)[0].rstrip("/")) is not None


def _is_graphql(url: str) -> bool:
    """PyGithub posts GraphQL to ``<root>/graphql`` (``/api/graphql`` on GHES)."""
    return url.split("?", 1)[0].rstrip("/").endswith("/graphql")


def _text(response: Any) -> str:
    if response is None or response.status < 400:
        return ""
    try:
        return str(response.read() or "")
    except Exception:  # an unreadable error body only loses the secondary-limit hint
        return ""


@dataclass(frozen=True)
class Applied:
    """What one applied op produced: the issue it touched and its link."""

    op: Op
    number: int | None
    html_url: str = ""
    # Why an optional write was refused (``PutFile.required`` False); empty when it was applied.
    refused: str = ""
    notice: str = ""  # what people should know about how it was applied (step summary)


@dataclass
class Gateway:
    repo_name: str
    token: Secret
    api_url: str = DEFAULT_API_URL
    bot_login: str = DEFAULT_BOT_LOGIN
    timeout: int = 30
    stats: RequestStats = field(default_factory=RequestStats)
    resilience: Resilience = field(default_factory=Resilience)
    # Optional files the branch refused in this run: path -> why (see ``_put_file``).
    refused_files: dict[str, str] = field(default_factory=dict)
    # Set on runs that share no concurrency group with the event runs on an issue (scheduled
    # runs): before each comment, the issue's comments since then are read again, and a comment
    # another run posted meanwhile with the same marker is not posted twice.
    recheck_since: datetime | None = None

    def __post_init__(self) -> None:
        self._github = Github(
            auth=Auth.Token(self.token.reveal()),
            base_url=self.api_url.rstrip("/"),
            timeout=self.timeout,
            per_page=100,  # the maximum (https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api)
            retry=None,
            # Pacing and retries are the run's business, with its own clock (SPEC §7).
            seconds_between_requests=None,
            seconds_between_writes=None,
            lazy=True,  # objects by number cost no GET; only listings and writes hit the API
        )
        requester = self._github.requester
        base = (
            HTTPSRequestsConnectionClass
            if self.api_url.startswith("https")
            else HTTPRequestsConnectionClass
        )
        requester._Requester__connectionClass = _transport(base, self.stats, self.resilience)  # type: ignore[attr-defined]
        self._repo = self._github.get_repo(self.repo_name)

    def __repr__(self) -> str:
        return f"Gateway(repo={self.repo_name!r}, api_url={self.api_url!r}, token=***)"

    # --- reading ---------------------------------------------------------------------------------

    def list_issues(
        self,
        label: str,
        *,
        since: datetime | None,
        state: str = "all",
        created_after: datetime | None = None,
    ) -> list[Issue]:
        """Issues with ``label`` (any label for "") updated since ``since`` (pull requests left
        out), newest first, down to the first one created before ``created_after``.

        https://docs.github.com/rest/issues/issues#list-repository-issues — the listing is read
        page by page as it is iterated, so stopping early saves the remaining pages.
        """
        kwargs: dict[str, Any] = {"state": state, "sort": "created", "direction": "desc"}
        if label:  # "": every issue (the business review's closed ones, whatever their labels)
            kwargs["labels"] = [label]
        if since is not None:
            kwargs["since"] = since
        found = []
        with _translated(self.repo_name):
            for gh in self._repo.get_issues(**kwargs):
                issue = _issue(gh)
                if created_after is not None and issue.created_at < created_after:
                    break
                if not _is_pull(gh):
                    found.append(issue)
        return found

    def comments_since(self, since: datetime, numbers: Iterable[int]) -> dict[int, list[Comment]]:
        """Comments on the given issues, read with one repository-wide listing.

        https://docs.github.com/rest/issues/comments#list-issue-comments-for-a-repository — its
        pages grow with the number of comments, not with the number of issues.
        """
        wanted = set(numbers)
        found: dict[int, list[Comment]] = {n: [] for n in wanted}
        with _translated(self.repo_name):
            listing = self._repo.get_issues_comments(sort="created", direction="asc", since=since)
            for comment in _comments(listing):
                if comment.issue_number in wanted:
                    found[comment.issue_number].append(comment)
        return found

    def get_issue(self, number: int) -> Issue | None:
        """One issue by number, None if it does not exist (or is a pull request).

        https://docs.github.com/rest/issues/issues#get-an-issue — read with the requester so the
        object is built complete from the response and never completes itself later.
        """
        with _translated(self.repo_name):
            try:
                headers, data = self._requester.requestJsonAndCheck(
                    "GET", f"{self._repo.url}/issues/{number}"
                )
            except GithubException as error:
                if error.status in (404, 410):  # 410: the issue was deleted
                    return None
                raise
            except IssueMoved:
                return None  # transferred: no longer this repository's issue
            gh = GhIssue(self._requester, headers, data, completed=True)
            return None if _is_pull(gh) else _issue(gh)

    def issue_comments(self, number: int) -> list[Comment]:
        """All comments of one issue, oldest first.

        https://docs.github.com/rest/issues/comments#list-issue-comments
        """
        with _translated(self.repo_name):
            return list(_comments(self._repo.get_issue(number).get_comments()))

    def edit_histories(self, node_ids: Sequence[str]) -> dict[str, EditHistory]:
        """Who edited these issue bodies and comments, and what they first said (GraphQL).

        One ``nodes`` query per 100 ids, through the same transport as REST (counted, retried,
        never paced as a write). PyGithub derives the endpoint from the REST base URL
        (``/graphql`` at the root, ``/api/graphql`` on GHES: ``Requester.graphql_url``).

        Never raises for GitHub's answers: a body missing from the result has no known history,
        which callers must read as "edited by someone unknown" (the strict choice). Left out are
        ids GitHub could not resolve or would not show (``NOT_FOUND``/``FORBIDDEN`` nodes),
        histories longer than one page (``totalCount`` above what came back: an editor could
        hide past it), and everything from a failed request (a token without GraphQL access,
        401/403, 5xx after retries, a query error); after a failed request no more are sent.
        """
        wanted = list(dict.fromkeys(n for n in node_ids if n))
        found: dict[str, EditHistory] = {}
        for start in range(0, len(wanted), GRAPHQL_MAX_IDS):
            chunk = wanted[start : start + GRAPHQL_MAX_IDS]
            try:
                _, data = self._requester.requestJsonAndCheck(
                    "POST",
                    self._requester.graphql_url,
                    input={"query": EDIT_HISTORY_QUERY, "variables": {"ids": chunk}},
                )
            except (GithubException, GitHubError):
                break
            nodes = (data.get("data") or {}).get("nodes") if isinstance(data, dict) else None
            if not isinstance(nodes, list):
                break
            for node in nodes:
                history = _edit_history(node)
                if history is not None and history.node_id in chunk:
                    found[history.node_id] = history
        return found

    def repository(self) -> Repository:
        """The repository's visibility and last push: one GET
        (https://docs.github.com/rest/repos/repos#get-a-repository)."""
        with _translated(self.repo_name):
            _, data = self._requester.requestJsonAndCheck("GET", self._repo.url)
        pushed = data.get("pushed_at") if isinstance(data, dict) else None
        return Repository(
            private=bool(data.get("private")) if isinstance(data, dict) else True,
            pushed_at=_instant(pushed),
        )

    def permission(self, login: str) -> str:
        """The person's role on the repository: admin, maintain, write, triage, read or none.

        ``role_name`` is read, not ``permission``, which maps maintain to write
        (https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user).
        An unknown login has no role.
        """
        with _translated(self.repo_name):
            try:
                _, data = self._requester.requestJsonAndCheck(
                    "GET", f"{self._repo.url}/collaborators/{quote(login, safe='')}/permission"
                )
            except GithubException as error:
                if error.status == 404:
                    return "none"
                raise
        role = data.get("role_name") or data.get("permission") or "none"
        return str(role)

    def get_file(self, path: str) -> RepoFile | None:
        """A file on the default branch with its blob sha, None if absent or not a file.

        https://docs.github.com/rest/repos/contents#get-repository-content
        """
        with _translated(self.repo_name):
            try:
                found = self._repo.get_contents(path)
            except GithubException as error:
                if error.status == 404:
                    return None
                raise
        if isinstance(found, list) or found.type != "file":
            return None
        return RepoFile(found.path, found.sha, found.decoded_content.decode("utf-8", "replace"))

    def list_folder(self, path: str) -> tuple[RepoFile, ...]:
        """The files directly in a folder (path and blob sha, no content); () if it is absent."""
        with _translated(self.repo_name):
            try:
                found = self._repo.get_contents(path.rstrip("/"))
            except GithubException as error:
                if error.status == 404:
                    return ()
                raise
        entries: list[GhContentFile] = found if isinstance(found, list) else []
        # Only attributes of the listing itself are read: a file entry in a directory listing
        # is incomplete and would GET itself for its content.
        return tuple(
            RepoFile(entry.path, entry.sha)
            for entry in sorted(entries, key=lambda e: e.path)
            if entry.type == "file"
        )

    def merged_pulls(self, start: datetime, end: datetime) -> list[MergedPull]:
        """Pull requests merged in ``[start, end)``, most recently updated first.

        https://docs.github.com/rest/pulls/pulls#list-pull-requests — closed ones sorted by
        ``updated`` (``desc`` must be asked for: it defaults to ``asc`` for that sort), read page
        by page until one was last updated before ``start``: merging updates a pull request, so
        one merged in the window has ``updated_at >= merged_at >= start``, and every later one
        in this order was updated even earlier. Never the search API: its index lags behind and
        can miss merged pull requests for up to a day
        (https://github.com/orgs/community/discussions/23418).
        The token needs ``pull-requests: read``.
        """
        found = []
        with _translated(self.repo_name):
            listing = self._repo.get_pulls(state="closed", sort="updated", direction="desc")
            for gh in listing:
                updated = _utc(gh.updated_at)
                if updated is None or updated < start:
                    break
                pull = _merged_pull(gh)
                if pull is not None and start <= pull.merged_at < end:
                    found.append(pull)
        return found

    def published_releases(self, start: datetime, end: datetime) -> list[PublishedRelease]:
        """Releases published in ``[start, end)``, newest first; drafts never.

        https://docs.github.com/rest/releases/releases#list-releases — read to its end: the
        listing's order is undocumented and keyed on ``created_at`` (the release commit's date,
        not the publication's), so no page can be known to hold only older publications. One
        request per 100 releases. The token needs ``contents: read`` (drafts, listed only with
        push access, are dropped here anyway).
        """
        with _translated(self.repo_name):
            releases = [_release(gh) for gh in self._repo.get_releases()]
        kept = [r for r in releases if r is not None and start <= r.published_at < end]
        return sorted(kept, key=lambda r: r.published_at, reverse=True)

    def collaborators(self, affiliation: str = "all") -> list[User]:
        """The people with access to the repository, in GitHub's order.

        https://docs.github.com/rest/collaborators/collaborators#list-repository-collaborators —
        the token needs push access (a person) or ``metadata: read`` (an app or the Actions token).
        ``affiliation``: all (GitHub's default: org members with base access and org owners too),
        direct (collaborators with a role on the repository itself) or outside.
        """
        with _translated(self.repo_name):
            listing = self._repo.get_collaborators(affiliation=affiliation)
            return [_user(person) for person in listing]

    @property
    def _requester(self) -> Any:
        return self._github.requester

    # --- writing ---------------------------------------------------------------------------------

    def apply(self, ops: Sequence[Op]) -> Iterator[Applied]:
        """Apply ops in order, one at a time; stops at the first failure (raised)."""
        for op in ops:
            with _translated(self.repo_name):
                yield self._apply_one(op)

    def _apply_one(self, op: Op) -> Applied:
        try:
            return self._write(op)
        except AmbiguousWrite:
            # Never repeat a create blindly: look for its marker first (SPEC §7).
            landed = self._find_applied(op)
            return landed if landed is not None else self._write(op)

    def _write(self, op: Op) -> Applied:
        if isinstance(op, EnsureLabel):
            return self._ensure_label(op)
        if isinstance(op, CreateIssue):
            return self._create_issue(op)
        if isinstance(op, UpdateIssue):
            self._repo.get_issue(op.number).edit(**_update_fields(op))
            return Applied(op, op.number)
        if isinstance(op, AddAssignees):
            return self._add_assignees(op)
        if isinstance(op, UpdateComment):
            return self._update_comment(op)
        if isinstance(op, PutFile):
            return self._put_file(op)
        if self.recheck_since is not None:
            posted = self._posted_since(op, self.recheck_since)
            if posted is not None:
                return posted
        body = fill_file_notes(op.body, self.refused_files)
        comment = self._repo.get_issue(op.number).create_comment(body)
        return Applied(op, op.number, comment.html_url)

    def _posted_since(self, op: AddComment, since: datetime) -> Applied | None:
        """The bot's comment with this marker posted since ``since`` (by an overlapping run).

        https://docs.github.com/rest/issues/comments#list-issue-comments — ``since`` keeps the
        answer to the comments written during this run: usually one page of none.
        """
        listing = self._repo.get_issue(op.number).get_comments(since=since)
        for comment in _comments(listing):
            if comment.author.same(self.bot_login) and op.marker in find_markers(comment.body):
                return Applied(op, op.number, comment.html_url)
        return None

    def _create_issue(self, op: CreateIssue) -> Applied:
        """https://docs.github.com/rest/issues/issues#create-an-issue — one unassignable login
        fails the whole request with 422 (``field: assignees, code: invalid``) and creates
        nothing, so opening it again at once, unassigned and mentioning them, is not a blind
        retry: it is the only issue with this marker. The run reports why (a notice)."""
        try:
            return self._create(op)
        except GithubException as error:
            if not op.assignees or not _refused_assignees(error):
                raise
        opened = self._create(op.unassigned())
        who = ", ".join(f"@{login}" for login in op.assignees)
        notice = (
            f"{who}: GitHub refused to assign {op.title!r} (422 on assignees: only people with "
            "write access, org members with read access, or commenters can be assigned; check "
            "that the login is right and has access), so it was opened unassigned, mentioning them"
        )
        return replace(opened, op=op, notice=notice)

    def _create(self, op: CreateIssue) -> Applied:
        created = self._repo.create_issue(
            title=op.title, body=op.body, labels=list(op.labels), assignees=list(op.assignees)
        )
        return Applied(op, created.number, created.html_url)

    def _update_comment(self, op: UpdateComment) -> Applied:
        """https://docs.github.com/rest/issues/comments#update-an-issue-comment — one PATCH by
        id (the comment's issue is not in the path); a PATCH sent twice leaves the same text."""
        _, data = self._requester.requestJsonAndCheck(
            "PATCH", f"{self._repo.url}/issues/comments/{op.comment_id}", input={"body": op.body}
        )
        return Applied(op, op.number, str(data.get("html_url") or ""))

    def _add_assignees(self, op: AddAssignees) -> Applied:
        """https://docs.github.com/rest/issues/assignees#add-assignees-to-an-issue skips people who
        cannot be assigned and still answers 201: the answer's assignees say who was skipped."""
        issue = self._repo.get_issue(op.number)
        issue.add_to_assignees(*op.logins)
        now = {user.login.casefold() for user in issue.assignees}
        skipped = [login for login in op.logins if login.casefold() not in now]
        notice = (
            f"{', '.join('@' + s for s in skipped)}: GitHub skipped assigning #{op.number} "
            "(they cannot be assigned: no write access, not an org member, or not a commenter)"
            if skipped
            else ""
        )
        return Applied(op, op.number, notice=notice)

    def _put_file(self, op: PutFile) -> Applied:
        """One commit (https://docs.github.com/rest/repos/contents#create-or-update-file-contents).

        An optional file the branch refuses is not a failure: 403 when the token lacks
        ``contents: write`` ("Resource not accessible by integration"), 409 when branch
        protection or a ruleset requires pull requests ("Changes must be made through a pull
        request"; a stale blob sha is a 409 too, "does not match", and stays an error). The
        reason is kept for the step summary and for the comments that follow in this run.
        """
        try:
            if op.sha is None:
                result = self._repo.create_file(op.path, op.message, op.content)
            else:
                result = self._repo.update_file(op.path, op.message, op.content, op.sha)
        except GithubException as error:
            reason = _file_refusal(error)
            if op.required or reason is None:
                raise
            self.refused_files[op.path] = reason
            return Applied(op, None, refused=reason)
        content = result["content"]
        return Applied(op, None, getattr(content, "html_url", "") or "")

    def _find_applied(self, op: Op) -> Applied | None:
        """What an ambiguous write produced, if it landed: an issue or comment found by its
        marker, or a file that already holds the content."""
        if isinstance(op, CreateIssue):
            # PyGithub types ``creator`` as a NamedUser but sends a login string as is.
            recent = self._repo.get_issues(
                state="all",
                creator=self.bot_login,  # type: ignore[arg-type]
                sort="created",
                direction="desc",
            ).get_page(0)
            for issue in recent:
                if op.marker in find_markers(issue.body):
                    return Applied(op, issue.number, issue.html_url)
        if isinstance(op, AddComment):
            for comment in _comments(self._repo.get_issue(op.number).get_comments()):
                bot = comment.author.same(self.bot_login)
                if bot and op.marker in find_markers(comment.body):
                    return Applied(op, op.number, comment.html_url)
        if isinstance(op, PutFile):
            # A file write has no marker: it landed if the file now holds exactly this content
            # (writing again with the old blob sha would fail with 409).
            current = self.get_file(op.path)
            if current is not None and current.content == op.content:
                return Applied(op, None)
        return None

    def _ensure_label(self, op: EnsureLabel) -> Applied:
        try:
            self._repo.create_label(op.name, op.color, op.description)
        except GithubException as error:
            # 422 "already_exists": another run (or a person) created it first; that is fine.
            # https://docs.github.com/rest/issues/labels#create-a-label
            if error.status != 422 or "already_exists" not in str(error.data):
                raise
        return Applied(op, None)


def _file_refusal(error: GithubException) -> str | None:
    """Why the branch refused a file write, with the fix; None if it is another error."""
    message = error.data.get("message") if isinstance(error.data, dict) else None
    text = str(message or error.data or "").strip()
    if error.status == 403:
        return (
            f"GitHub refused the write (403 {text}): give the workflow "
            "`permissions: {contents: write}`, or remove `decisions.log` from the config"
        )
    if error.status == 409 and "does not match" not in text:
        first = text.splitlines()[0] if text else "conflict"
        return (
            f"the default branch only takes pull requests (409 {first}): allow the bot to "
            "bypass the branch protection or ruleset, or remove `decisions.log` from the config"
        )
    return None


def _refused_assignees(error: GithubException) -> bool:
    """GitHub's 422 for an unassignable login: ``{"resource": "Issue", "field": "assignees",
    "code": "invalid"}`` among the errors (https://github.com/trstringer/manual-approval/issues/127)."""
    found = error.data.get("errors") if isinstance(error.data, dict) else None
    return error.status == 422 and any(
        isinstance(e, dict) and e.get("field") in ("assignees", "assignee") for e in found or []
    )


def _is_pull(gh: GhIssue) -> bool:
    # The issues listing includes pull requests; their html_url points at /pull/N. Reading
    # ``gh.pull_request`` instead would cost a GET per issue: the key is absent for plain issues,
    # so PyGithub would complete the object to look for it.
    return "/pull/" in (gh.html_url or "")


def _update_fields(op: UpdateIssue) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in ("title", "body", "state", "state_reason"):
        value = getattr(op, name)
        if value is not None:
            fields[name] = value
    if op.labels is not None:
        fields["labels"] = list(op.labels)
    return fields


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _user(gh_user: Any) -> User:
    if gh_user is None:  # a deleted account shows as "ghost"
        return User("ghost")
    return User(gh_user.login, gh_user.type or "User")


def _login(actor: Any, *, ghost: bool) -> str | None:
    """An ``Actor``'s login as REST spells it; GraphQL gives null for a deleted account, REST's
    "ghost". GraphQL names a ``Bot`` without the ``[bot]`` suffix REST gives it ("github-actions"
    for REST's "github-actions[bot]": https://github.com/zxkane/autonomous-dev-team/pull/395,
    https://github.com/lhpaul/ai-dev-framework-template/issues/732), so without this the bot's own
    edits would read as a stranger's."""
    if isinstance(actor, dict) and isinstance(actor.get("login"), str):
        login = str(actor["login"])
        if actor.get("__typename") == "Bot" and not login.endswith(BOT_SUFFIX):
            return f"{login}{BOT_SUFFIX}"
        return login
    return "ghost" if ghost else None


def _edit_history(node: Any) -> EditHistory | None:
    """One ``nodes`` entry as an EditHistory; None when it cannot be read in full.

    ``userContentEdits`` holds, once a body was edited, every saved revision with its full text
    in ``diff``; the oldest is the creation revision (the author, the text first written) when
    ``includesCreatedEdit`` is true (see ``ritual_bot.sandbox.domain.record_edit`` for sources).
    Revisions are ordered here by ``editedAt``, whatever order GitHub lists them in (newest
    first, as far as we know). ``editors`` are the people who saved an edit after creation,
    oldest first, the creation revision's author excluded; ``original`` is the creation
    revision's text, None if it was deleted from the history or the body was never edited.
    """
    if not isinstance(node, dict) or not isinstance(node.get("id"), str):
        return None
    if node.get("__typename") not in ("Issue", "IssueComment"):
        return None
    last_edited = _instant(node.get("lastEditedAt"))
    if last_edited is None:
        return EditHistory(node["id"])
    connection = node.get("userContentEdits")
    if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
        return None
    revisions = connection["nodes"]
    if connection.get("totalCount") != len(revisions):
        return None
    dated = []
    for position, revision in enumerate(revisions):
        at = _instant(revision.get("editedAt")) if isinstance(revision, dict) else None
        if at is None:
            return None
        # Ties (two saves in one second) fall back on GitHub's order, newest first.
        dated.append((at, -position, revision))
    dated.sort(key=lambda entry: entry[:2])
    ordered = [revision for _, _, revision in dated]
    created = bool(node.get("includesCreatedEdit")) and bool(ordered)
    edits = ordered[1:] if created else ordered
    original = ordered[0].get("diff") if created else None
    return EditHistory(
        node_id=node["id"],
        editor=_login(node.get("editor"), ghost=True),
        last_edited_at=last_edited,
        editors=tuple(str(_login(r.get("editor"), ghost=True)) for r in edits),
        original=original if isinstance(original, str) else None,
        revisions=tuple(
            Revision(
                editor=_login(r.get("editor"), ghost=True),
                at=at,
                text=r["diff"] if isinstance(r.get("diff"), str) else None,
            )
            for at, _, r in dated[1 if created else 0 :]
        ),
    )


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return _utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def _closed_by(gh: GhIssue) -> str | None:
    """``closed_by`` only comes with "Get an issue", never in listings: read from the raw data,
    since the attribute would complete the object with one more GET per listed issue."""
    raw = gh._rawData.get("closed_by")
    return _login(raw, ghost=False) if raw is not None else None


def _issue(gh: GhIssue) -> Issue:
    created = _utc(gh.created_at)
    updated = _utc(gh.updated_at)
    assert created is not None and updated is not None
    return Issue(
        number=gh.number,
        title=gh.title,
        body=gh.body or "",
        state=gh.state,
        author=_user(gh.user),
        created_at=created,
        updated_at=updated,
        labels=tuple(label.name for label in gh.labels),
        assignees=tuple(user.login for user in gh.assignees),
        state_reason=gh.state_reason,
        closed_at=_utc(gh.closed_at),
        html_url=gh.html_url,
        comments_count=gh.comments,
        node_id=gh.node_id or "",
        closed_by=_closed_by(gh),
    )


def _merged_pull(gh: GhPull) -> MergedPull | None:
    """Only attributes of the listing are read (each is in ``pull-request-simple``)."""
    merged = _utc(gh.merged_at)
    if merged is None:
        return None
    return MergedPull(
        number=gh.number,
        title=gh.title,
        url=gh.html_url,
        author=_user(gh.user),
        labels=tuple(label.name for label in gh.labels),
        merged_at=merged,
        base=gh.base.ref,
    )


def _release(gh: GhRelease) -> PublishedRelease | None:
    published = _utc(gh.published_at)
    if gh.draft or published is None:
        return None
    return PublishedRelease(
        tag_name=gh.tag_name,
        title=gh.name or gh.tag_name,
        url=gh.html_url,
        author=_user(gh.author),
        published_at=published,
        prerelease=bool(gh.prerelease),
    )


def _comments(listing: Iterable[GhComment]) -> Iterator[Comment]:
    for gh in listing:
        match = _ISSUE_URL.search(gh.issue_url or "")
        created = _utc(gh.created_at)
        updated = _utc(gh.updated_at)
        if match is None or created is None or updated is None:
            continue
        yield Comment(
            id=gh.id,
            issue_number=int(match.group(1)),
            author=_user(gh.user),
            body=gh.body or "",
            created_at=created,
            updated_at=updated,
            html_url=gh.html_url,
            node_id=gh.node_id or "",
        )


@contextmanager
def _translated(repo: str) -> Iterator[None]:
    """Turn PyGithub's exceptions into GitHubError with a message that says what to do."""
    try:
        yield
    except GithubException as error:
        # 401: the token itself is refused; every other item would fail the same way.
        kind = RunWideFailure if error.status == 401 else GitHubError
        raise kind(_explain(error, repo), status=error.status) from None


def _explain(error: GithubException, repo: str) -> str:
    message = error.data.get("message") if isinstance(error.data, dict) else None
    message = message or str(error.data or "")
    if error.status == 401:
        return (
            f"GitHub refused the token (401 {message}): "
            "check GITHUB_TOKEN or the action's github-token input."
        )
    if error.status == 404:
        return (
            f"GitHub answered 404 for {repo}: the repository does not exist or the token "
            "cannot see it (check GITHUB_REPOSITORY and the token's access)."
        )
    if error.status == 403 and "commenting is disabled" in message.lower():
        # GitHub's hard limit of 2,500 comments per issue: nothing lifts it
        # (https://github.com/cockpit-project/cockpit/issues/8417).
        return (
            f"GitHub refused the comment (403 {message}): the issue reached GitHub's limit of "
            "2,500 comments and takes no more; close it and continue in a new issue."
        )
    wanted = _accepted_permissions(error)
    if error.status == 403 and "not accessible by integration" in message.lower() and wanted:
        return (
            f"GitHub refused the request (403 {message}): "
            f"give the workflow `permissions: {{{wanted}}}`."
        )
    if error.status == 403 and "not accessible by integration" in message.lower():
        return (
            f"GitHub refused the write (403 {message}): give the workflow "
            "`permissions: {issues: write}` (and `contents: write` for the decision log)."
        )
    return f"GitHub answered {error.status}: {message}"


def _accepted_permissions(error: GithubException) -> str | None:
    """The permission a refused request needed, as a workflow's ``permissions:`` spells it.

    GitHub names it in ``x-accepted-github-permissions`` (``pull_requests=read``; alternative
    sets split by ``;``:
    https://github.blog/changelog/2023-08-10-x-accepted-github-permissions-header-for-fine-grained-permission-actors);
    the first set is shown.
    """
    headers = {k.lower(): v for k, v in (error.headers or {}).items()}
    accepted = headers.get("x-accepted-github-permissions", "").split(";")[0].strip()
    if not accepted:
        return None
    parts = [p.strip().partition("=") for p in accepted.split(",") if "=" in p]
    return ", ".join(f"{name.replace('_', '-')}: {level}" for name, _, level in parts) or None
