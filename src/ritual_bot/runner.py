"""One run: read a snapshot, let each ritual plan, apply what is still pending.

This is the whole shape of DESIGN.md — snapshot → plan → apply — in one place; the rituals are
pure and the gateway is the only writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import partial
from typing import Protocol, runtime_checkable

from ritual_bot import bodies, dedupe
from ritual_bot.dedupe import plan_duplicate_closing
from ritual_bot.errors import GitHubError
from ritual_bot.gateway import Applied, Gateway
from ritual_bot.isolation import Failure, Guard, apply_per_item
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.ops import Op, after, pending
from ritual_bot.rituals.base import (
    Context,
    IssueQuery,
    ReadsEdits,
    ReadsMore,
    ReadsRepository,
    ReadsShipped,
    Reports,
    Ritual,
)
from ritual_bot.rituals.registry import all_rituals
from ritual_bot.workspace import Workspace

# How far before the run's start comments are read again before posting: clock skew between the
# runner and GitHub.
RECHECK_MARGIN = timedelta(minutes=5)


@runtime_checkable
class Quiet(Protocol):
    """A ritual that can tell, from its config and the time alone, that nothing of its own can
    fall due now (issue 11: idle runs that cost almost nothing). It then names the listing of
    its issues changed since the last run that read everything; when that listing is empty the
    ritual sits the run out, for one request instead of its whole snapshot."""

    def quiet_probe(self, ctx: Context) -> IssueQuery | None: ...


@dataclass
class RunReport:
    event: str
    rituals: list[str] = field(default_factory=list)
    planned: list[Op] = field(default_factory=list)
    applied: list[Applied] = field(default_factory=list)
    dry_run: bool = False
    requests: int = 0
    writes: int = 0
    rate_remaining: int | None = None
    ignored: str | None = None  # why the event was not handled, if it was not
    left: list[Op] = field(default_factory=list)  # planned but not applied: the run stopped early
    stopped: str | None = None
    # Items the run could not settle (SPEC §7 fault isolation): the run goes on with every other
    # item, then exits 1; the next run plans them again. ``held`` are the ops of those items
    # that were not attempted (their order matters: no close after a failed update).
    failures: list[Failure] = field(default_factory=list)
    held: list[Op] = field(default_factory=list)
    # What the run could not settle and people should know (an identity it could not verify),
    # shown in the step summary: never silent, never a reason to fail the run.
    notices: list[str] = field(default_factory=list)
    quiet: list[str] = field(default_factory=list)  # rituals that had nothing new (``Quiet``)


def read_snapshot(
    gateway: Gateway,
    rituals: Sequence[Ritual],
    ctx: Context,
    notices: list[str] | None = None,
    guard: Guard | None = None,
) -> Snapshot:
    """What the rituals need read; a ritual whose hook crashes is left out (see ``Guard``)."""
    guard = guard or Guard()
    queries = _unique(guard.each(rituals, "queries", lambda r: r.queries(ctx)))
    issues: dict[int, Issue] = {}
    for query in queries:
        listing = gateway.list_issues(
            query.label, since=query.since, state=query.state, created_after=query.created_after
        )
        for issue in listing:
            issues.setdefault(issue.number, issue)
    # Any label seen on a listed issue exists; a missing managed label is created by its ritual.
    labels = frozenset(label for issue in issues.values() for label in issue.labels)
    listed = Snapshot(
        repo=gateway.repo_name,
        bot_login=gateway.bot_login,
        issues=tuple(sorted(issues.values(), key=lambda i: i.number)),
        existing_labels=labels,
    )
    asked = guard.each(rituals, "comments_for", lambda r: r.comments_for(ctx, listed))
    wanted = {n for n in asked if n in issues}
    more = [r for r in rituals if isinstance(r, ReadsMore)]
    comments: dict[int, tuple[Comment, ...]] = {}
    if wanted:
        # Comments are never older than their issue: list from the oldest wanted issue's creation.
        since = min(issues[n].created_at for n in wanted)
        found = gateway.comments_since(since, wanted)
        comments = {number: tuple(listing) for number, listing in found.items()}
    snapshot = replace(listed, comments=comments) if wanted else listed
    if more:
        snapshot = _read_issues(gateway, more, ctx, snapshot, guard)
    # Who wrote what comes before roles and files: whose role matters, and whether a record is
    # due, depend on which commands count.
    snapshot = _read_edits(gateway, rituals, ctx, snapshot, notices, guard)
    if more:
        snapshot = _read_roles_and_files(gateway, more, ctx, snapshot, guard)
    snapshot = _read_shipped(gateway, rituals, ctx, snapshot, guard)
    readers = [r for r in rituals if isinstance(r, ReadsRepository)]
    if not any(
        guard.each(readers, "needs_repository", lambda r: [r.needs_repository(ctx, snapshot)])
    ):
        return snapshot
    try:
        return replace(snapshot, repository=gateway.repository())
    except GitHubError as error:  # only a warning depends on it: say so, plan without it
        if notices is not None:
            notices.append(f"repository: not read ({error})")
        return snapshot


def _read_shipped(
    gateway: Gateway, rituals: Sequence[Ritual], ctx: Context, snapshot: Snapshot, guard: Guard
) -> Snapshot:
    """Pull requests merged and releases published in the window a ritual asks for (the union
    of the windows asked), from listings (never search, which lags: SPEC §7)."""
    readers = [r for r in rituals if isinstance(r, ReadsShipped)]
    windows = [
        w for w in guard.each(readers, "shipped_window", lambda r: [r.shipped_window(ctx)]) if w
    ]
    if not windows:
        return snapshot
    start, end = min(w[0] for w in windows), max(w[1] for w in windows)
    pulls = tuple(gateway.merged_pulls(start, end))
    return replace(snapshot, pulls=pulls, releases=tuple(gateway.published_releases(start, end)))


def _read_edits(
    gateway: Gateway,
    rituals: Sequence[Ritual],
    ctx: Context,
    snapshot: Snapshot,
    notices: list[str] | None = None,
    guard: Guard | None = None,
) -> Snapshot:
    """Edit histories: only of the bodies a ritual (or dedup) needs to weigh.

    A failed read is not fatal: every caller has a rule for an unknown history (use what is
    plausible, hold back the rest; see ``hpfo.identity``), and it is reported.
    """
    readers = [r for r in rituals if isinstance(r, ReadsEdits)]
    asked = set((guard or Guard()).each(readers, "edits_for", lambda r: r.edits_for(ctx, snapshot)))
    wanted = sorted({n for n in asked | set(dedupe.edits_for(snapshot)) if n})
    if not wanted:
        return snapshot
    try:
        found = gateway.edit_histories(wanted)
    except GitHubError as error:
        found, reason = {}, str(error)
    else:
        reason = "GitHub did not return them"
    missing = len([n for n in wanted if n not in found])
    if missing and notices is not None:
        notices.append(f"edit histories: {missing} of {len(wanted)} not read ({reason})")
    return replace(snapshot, edits=found) if found else snapshot


def _read_issues(
    gateway: Gateway, rituals: Sequence[ReadsMore], ctx: Context, snapshot: Snapshot, guard: Guard
) -> Snapshot:
    """Issues by number with their comments, and folders."""
    issues = {issue.number: issue for issue in snapshot.issues}
    comments = dict(snapshot.comments)
    for number in sorted(set(guard.each(rituals, "issue_numbers", lambda r: r.issue_numbers(ctx)))):
        issue = gateway.get_issue(number)
        if issue is None:
            continue
        issues[number] = issue
        comments[number] = tuple(gateway.issue_comments(number))
    local = Workspace(ctx.workspace) if ctx.workspace is not None else None
    source: Workspace | Gateway = local or gateway
    paths = guard.each(rituals, "folders", lambda r: r.folders(ctx))
    folders = {path: source.list_folder(path) for path in paths}
    return replace(
        snapshot,
        issues=tuple(sorted(issues.values(), key=lambda i: i.number)),
        comments=comments,
        existing_labels=snapshot.existing_labels
        | {label for issue in issues.values() for label in issue.labels},
        folders=folders,
    )


def _read_roles_and_files(
    gateway: Gateway, rituals: Sequence[ReadsMore], ctx: Context, snapshot: Snapshot, guard: Guard
) -> Snapshot:
    """People's repository roles, then files (from the checkout where a folder came from it)."""
    local = Workspace(ctx.workspace) if ctx.workspace is not None else None
    folders = snapshot.folders
    asked = guard.each(rituals, "people_for", lambda r: r.people_for(ctx, snapshot))
    people = sorted({p.casefold() for p in asked})
    permissions = {login: gateway.permission(login) for login in people}
    snapshot = replace(snapshot, permissions=permissions)
    paths = sorted(set(guard.each(rituals, "files_for", lambda r: r.files_for(ctx, snapshot))))
    files = {
        path: found
        for path in paths
        if (found := _file_source(path, folders, local, gateway).get_file(path)) is not None
    }
    return replace(snapshot, files=files) if files else snapshot


def _file_source(
    path: str, folders: Mapping[str, object], local: Workspace | None, gateway: Gateway
) -> Workspace | Gateway:
    """Files of a folder read from the checkout come from it too; all others from the API."""
    in_local_folder = any(path.startswith(folder.rstrip("/") + "/") for folder in folders)
    return local if local is not None and in_local_folder else gateway


def _quiet(gateway: Gateway, rituals: Sequence[Ritual], ctx: Context, guard: Guard) -> list[str]:
    """The rituals with nothing due now and no issue changed since their probe's instant."""
    quiet = []
    for ritual in rituals:
        if not isinstance(ritual, Quiet):
            continue
        probes = guard.each([ritual], "quiet_probe", lambda r: [r.quiet_probe(ctx)])
        probe = probes[0] if probes else None
        if probe is None:
            continue
        if not gateway.list_issues(probe.label, since=probe.since, state=probe.state):
            quiet.append(ritual.name)
    return quiet


def _unique(queries: Iterable[IssueQuery]) -> list[IssueQuery]:
    seen: list[IssueQuery] = []
    for query in queries:
        if query not in seen:
            seen.append(query)
    return seen


def plan(
    rituals: Sequence[Ritual], ctx: Context, snapshot: Snapshot, guard: Guard | None = None
) -> list[Op]:
    """Every ritual's ops, in order; a ritual that crashes (here or in its reads) plans nothing."""
    guard = guard or Guard()
    ops: list[Op] = plan_duplicate_closing(snapshot)
    # Each ritual plans on the snapshot as the earlier rituals' writes will leave it: two
    # rituals that keep a block in the same body (an OKR plan's sign-off is a decision) then
    # each write on top of the other's, instead of the later PATCH undoing the earlier one.
    # Settled again only when some ritual planned more: each settling is a pass over every
    # issue, and most rituals plan nothing on most runs (tests/core/test_complexity.py).
    settled, counted = after(snapshot, ops), len(ops)
    for ritual in rituals:
        if len(ops) != counted:
            settled, counted = after(snapshot, ops), len(ops)
        ops += guard.each([ritual], "plan", partial(_plan_one, ctx=ctx, snapshot=settled))
    # No body over GitHub's limit is ever sent: a 422 there would fail again on every run.
    return pending([bodies.guard(op, snapshot) for op in ops], snapshot)


def _plan_one(ritual: Ritual, *, ctx: Context, snapshot: Snapshot) -> list[Op]:
    return ritual.plan(ctx, snapshot)


def run(
    ctx: Context,
    gateway: Gateway,
    *,
    rituals: Sequence[Ritual] | None = None,
    dry_run: bool = False,
) -> RunReport:
    candidates = all_rituals() if rituals is None else rituals
    ignored = ctx.event.ignore_reason(gateway.bot_login)
    active = [] if ignored else [r for r in candidates if r.handles(ctx.event)]
    report = RunReport(event=ctx.event.name, rituals=[r.name for r in active], dry_run=dry_run)
    report.ignored = ignored or (None if active else "no ritual handles this event")
    if active and ctx.event.is_scheduled and gateway.recheck_since is None:
        # Scheduled runs each have their own concurrency group, so one can overlap an event run
        # on the same issue: comments are checked again just before posting (gateway).
        gateway.recheck_since = ctx.now - RECHECK_MARGIN
    if active:
        guard = Guard()
        report.quiet = _quiet(gateway, active, ctx, guard)
        active = [r for r in active if r.name not in report.quiet]
    if active:
        snapshot = read_snapshot(gateway, active, ctx, report.notices, guard)
        report.planned = plan(active, ctx, snapshot, guard)
        reporters = [r for r in active if isinstance(r, Reports)]
        report.notices += guard.each(reporters, "notices", lambda r: r.notices(ctx, snapshot))
        report.failures += guard.failures
        if not dry_run:
            # Failure is per item: one failed op holds back the rest of its item, not the run.
            outcome = apply_per_item(gateway, report.planned)
            report.applied, report.held = outcome.applied, outcome.held
            report.left, report.stopped = outcome.left, outcome.stopped
            report.failures += outcome.failures
            report.notices += outcome.notices
    report.requests = gateway.stats.requests
    report.writes = gateway.stats.writes
    report.rate_remaining = gateway.stats.rate_remaining
    return report
