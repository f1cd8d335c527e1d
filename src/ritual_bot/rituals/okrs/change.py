"""``/okr change`` (SPEC §8): a committed quarter changes only through a decision.

- **Asking.** ``/okr change TEXT`` in a comment on the quarter's tracker, by an owner (a team's
  plan: any member of its group; ``/okr change eng: TEXT`` or ``/okr change @alice TEXT`` names
  the plan when the author has several), as its author wrote it (SPEC §4). The bot opens a
  decision issue, ``OKR change 2027-Q1 · @alice``: DRI the plan's DRI (the owner; a team: its
  first member, as at planning), stakeholders the approvers, feedback due in
  ``decisions.feedback_days``; the decision ritual runs its sign-off like any other. The request
  gets one reply linking it; a request it cannot take gets one reply per comment version saying
  why. The issue's identity (owner, quarter, the request's comment) is in the body the bot first
  wrote (``Snapshot.first_written``): no edit turns another issue into a change.
- **Applying.** When the DRI's ``/decide`` is accepted (replayed with the shared sign-off, as the
  decision ritual replays it), its lines (``change_lines``: ``target KR1.1 50%``, ``drop
  KR1.3``, ``add O1 KR1.4 …``) amend the committed plan. All of them or none: a change with a
  problem changes nothing and its decision gets one comment listing the problems; the owner asks
  again. Applied, the planning issue's committed record is rewritten (the contract the tracker and
  HPFO read) with the quarter's history under it, one entry per change decision, which is also
  what makes applying idempotent; the decision gets a comment, and the record file is rewritten.
  A quarter whose scores are out takes no change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from ritual_bot.config import Config
from ritual_bot.links import url_of
from ritual_bot.markdown import LineKind, classify_lines, one_line, safe_inline, shorten
from ritual_bot.markers import Marker, first_marker, render_block, replace_block
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.moments import Due
from ritual_bot.ops import AddComment, CreateIssue, Op, PutFile, UpdateIssue, file_note
from ritual_bot.ops import after as ops_after
from ritual_bot.partial import plan_each
from ritual_bot.rituals.base import Context, IssueQuery
from ritual_bot.rituals.keyresults.ledger import (
    Committed,
    committed_of,
    committed_plans,
    planning_identity,
    render_committed,
    tracker_identity,
)
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.rituals.okrs.change_lines import apply_changes, change_lines, names_a_change
from ritual_bot.rituals.okrs.history import HISTORY, applied_in, entry, history_of
from ritual_bot.rituals.okrs.part import OkrPart, listing, okr_event_issue
from ritual_bot.rituals.okrs.planning import (
    PLAN,
    derived_of,
    dri_of,
    is_team,
    kr_rows,
    record_file,
    writers,
)
from ritual_bot.rituals.okrs.tracker import close_at, owner_of
from ritual_bot.rituals.signoff.commands import Command
from ritual_bot.rituals.signoff.state import Start
from ritual_bot.rituals.signoff.thread import Authorship, Thread, version

CHANGE = "okr-change"  # identity of a change decision, in the body the bot opened it with
RESULT = "okr-change-result"  # the comment on a change decision saying what it did
REQUEST_REPLY = "okr-change-reply"  # a request the bot could not take, one per comment version
LINKED = "okr-change-linked"  # the reply linking a request to the decision it opened
# GitHub's issue title limit (https://docs.github.com/rest/issues/issues#create-an-issue).
TITLE_LIMIT = 256
RECENTLY_CLOSED = timedelta(days=8)  # a scheduled run heals decisions closed this recently

_REQUEST = re.compile(r"^/okr(?:\s+(?P<rest>.*))?$", re.I)
_CHANGE = re.compile(r"^change\b[:\s]*(?P<text>.*)$", re.I)
_NAMED = re.compile(r"^(?:@(?P<login>[A-Za-z0-9-]+)\b:?|(?P<name>[\w.-]+):)\s*(?P<rest>.*)$")


# --- The request on the tracker -------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One ``/okr`` line of a comment: what should change, the plan it names ("" for the
    author's own), or the problem that stops it."""

    text: str
    named: str = ""
    problem: str = ""


def read_request(body: str, owners: Collection[str] = ()) -> Request | None:
    """The first ``/okr`` line of a comment (prose only: a quoted or fenced one is not a request),
    with the paragraph under it when the line itself says nothing more. It names a plan with an
    ``@login`` first, or one of ``owners`` and a colon (``eng:``): other words before a colon
    (``Context: …``) are the request's."""
    lines = classify_lines(body)
    for index, line in enumerate(lines):
        match = _REQUEST.match(line.text.strip()) if line.kind is LineKind.TEXT else None
        if match is None:
            continue
        change = _CHANGE.match((match["rest"] or "").strip())
        if change is None:
            return Request("", problem="`/okr` has one command: `/okr change TEXT`")
        text = change["text"].strip()
        if not text:
            below = [x.text for x in lines[index + 1 :]]
            paragraph = "\n".join(below).strip().split("\n\n", 1)[0] if below else ""
            text = one_line(paragraph)
        named = ""
        found = _NAMED.match(text)
        known = {o.casefold() for o in owners}
        if found is not None and (found["login"] or found["name"].casefold() in known):
            named, text = found["login"] or found["name"], found["rest"].strip()
        if not text:
            return Request("", named, "say what should change: `/okr change TEXT`")
        return Request(one_line(text), named)
    return None


def requested_plan(
    config: Config, login: str, request: Request, plans: Sequence[Committed]
) -> Committed | str:
    """The plan a person may ask to change, or why they may not."""
    if request.named:
        key = request.named.casefold()
        plan = next((p for p in plans if p.owner.casefold() == key), None)
        if plan is None:
            owners = ", ".join(p.owner for p in plans) or "none yet"
            return f"{request.named} has no committed plan this quarter (plans: {owners})"
        if login.casefold() not in writers(config, plan.owner, None):
            return f"only the owners of {plan.owner}'s plan ask to change it"
        return plan
    plan = owner_of(config, login, plans)
    if plan is None:
        owners = ", ".join(p.owner for p in plans) or "none yet"
        return f"only an owner asks for a change of their plan (owners: {owners})"
    return plan


# --- The change decision --------------------------------------------------------------------------


def change_marker(committed: Committed, comment: Comment) -> Marker:
    return Marker.of(
        CHANGE, owner=committed.owner, quarter=committed.quarter, comment=str(comment.id)
    )


def open_change(
    ctx: Context, committed: Committed, request: Request, comment: Comment
) -> CreateIssue:
    config = ctx.config
    owner = committed.owner
    team = is_team(config, owner)
    dri = dri_of(config, owner)
    approvers = tuple(
        a for a in config.expand(config.okrs.approvers) if a.casefold() != dri.casefold()
    )
    today = ctx.now.astimezone(ZoneInfo(config.timezone)).date()
    quarter = Quarter.parse(committed.quarter, config.okrs.quarter_start)
    deadline = max(today, min(today + timedelta(days=config.decisions.feedback_days), quarter.end))
    start = Start(dri, approvers, deadline)
    marker = change_marker(committed, comment)
    text = ctx.templates.render(
        "okr_change.md.j2",
        quarter=committed.quarter,
        owner=owner,
        team=team,
        dri=dri,
        approvers=list(approvers),
        deadline=deadline.isoformat(),
        author=comment.author.login,
        request=request.text,
        url=comment.html_url,
        rows=kr_rows(committed.plan),
    )
    who = owner if team else f"@{owner}"
    title = shorten(f"OKR change {committed.quarter} · {who}: {request.text}", TITLE_LIMIT)
    body = f"{marker.render()}\n{start.marker().render()}\n{text}"
    labels = (config.okrs.label, config.decisions.label)
    members = {m.login.casefold() for m in config.members}
    assignees = (dri,) if dri.casefold() in members else ()
    return CreateIssue(marker, title, body, labels, assignees)


def request_ops(
    ctx: Context, snapshot: Snapshot, tracker: Issue, quarter: str, plans: Sequence[Committed]
) -> list[Op]:
    """Each ``/okr change`` on the tracker: its decision opened once and linked, or one reply
    per comment version saying why not."""
    thread = Thread.read(snapshot, tracker)
    written = Authorship(ctx.event, snapshot, thread.refusals())
    opened = {
        m.get("comment"): issue
        for issue in snapshot.issues
        if (m := snapshot.first_written(issue, CHANGE)) is not None
    }
    scored = ctx.now >= close_at(ctx.config, Quarter.parse(quarter, ctx.config.okrs.quarter_start))
    ops: list[Op] = []
    for comment in thread.people:
        request = read_request(comment.body, ctx.config.okrs.owners)
        if request is None:
            continue
        existing = opened.get(str(comment.id))
        if existing is not None:  # asked and opened: a later edit of the request changes nothing
            ops.append(link_reply(ctx, tracker, comment, existing.html_url))
            continue
        by = written(comment).by
        problem = request.problem
        if not problem and (by is None or not comment.author.same(by)):
            problem = f"this comment was last edited by {by or 'someone unknown'}, not its author"
        if not problem and scored:
            problem = "the quarter is scored: its plans no longer change"
        found = requested_plan(ctx.config, comment.author.login, request, plans)
        if not problem and isinstance(found, str):
            problem = found
        if problem or isinstance(found, str):
            ops.append(refusal(ctx, tracker, comment, problem))
            continue
        opening = open_change(ctx, found, request, comment)
        ops += [opening, link_reply(ctx, tracker, comment, url_of(opening.marker))]
    return ops


def link_reply(ctx: Context, tracker: Issue, comment: Comment, url: str) -> AddComment:
    marker = Marker.of(LINKED, comment=str(comment.id))
    text = ctx.templates.render("okr_change_linked.md.j2", author=comment.author.login, url=url)
    return AddComment(tracker.number, marker, f"{marker.render()}\n{text}")


def refusal(ctx: Context, tracker: Issue, comment: Comment, problem: str) -> AddComment:
    marker = Marker.of(REQUEST_REPLY, comment=str(comment.id), edit=version(comment))
    text = ctx.templates.render(
        "okr_kr_reply.md.j2", author=comment.author.login, problems=[problem]
    )
    return AddComment(tracker.number, marker, f"{marker.render()}\n{text}")


# --- Applying decided changes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Decided:
    """A change decision whose ``/decide`` was accepted and that the bot has not answered yet."""

    issue: Issue
    owner: str
    quarter: str
    text: str  # the decision and its rationale: where the change lines are
    decided_by: str
    comment: Comment  # the /decide


def decided(ctx: Context, snapshot: Snapshot, issue: Issue) -> Decided | None:
    """The change decision on ``issue`` once its DRI's ``/decide`` is accepted, unless the bot
    already said what it did (its result comment, as the bot wrote it)."""
    marker = snapshot.first_written(issue, CHANGE)
    owner, quarter = (marker.get("owner"), marker.get("quarter")) if marker else (None, None)
    if not owner or not quarter or Thread.read(snapshot, issue).bot_markers(RESULT):
        return None
    derived = derived_of(ctx, snapshot, issue)
    outcome = derived.outcome if derived is not None else None
    if outcome is None or outcome.command is not Command.DECIDE:
        return None
    # The lines under /decide are the change; its own words too when written as one
    # ("/decide drop KR1.3"), not when they are the decision's title ("/decide Drop the tour").
    title = outcome.text if names_a_change(outcome.text) else ""
    text = f"{title}\n\n{outcome.rationale}".strip()
    return Decided(issue, owner, quarter, text, outcome.actor, outcome.comment)


@dataclass(frozen=True)
class Verdict:
    change: Decided
    problems: tuple[str, ...]  # none: applied


def apply_ops(
    ctx: Context, snapshot: Snapshot, planning: Issue, found: Sequence[Decided]
) -> list[Op]:
    """Apply one plan's decided changes, oldest decision first, in one write of its body."""
    committed = committed_of(snapshot, planning)
    if committed is None:
        return [result(ctx, Verdict(c, (NO_PLAN,)), None) for c in found]
    history = history_of(snapshot, planning)
    done = applied_in(history)
    quarter = Quarter.parse(committed.quarter, ctx.config.okrs.quarter_start)
    scored = ctx.now >= close_at(ctx.config, quarter)
    plan, entries, verdicts = committed.plan, [], []
    for change in sorted(found, key=lambda d: (d.comment.created_at, d.issue.number)):
        if change.issue.number in done:  # applied by a run that stopped before saying so
            verdicts.append(Verdict(change, ()))
            continue
        problems: tuple[str, ...] = (SCORED,) if scored else ()
        if not problems:
            amended, found_problems = apply_changes(plan, change.text)
            problems = tuple(str(p) for p in found_problems)
        if not problems:
            plan = amended
            entries.append(entry(change.issue.number, entry_line(ctx, change)))
        verdicts.append(Verdict(change, problems))
    writes: list[Op] = []
    record = None
    if entries:
        changed = Committed(committed.owner, committed.quarter, plan)
        history = "\n".join(x for x in (history, *entries) if x)
        content = f"{render_committed(changed)}\n\n{render_block(HISTORY, history)}"
        body = replace_block(planning.body, PLAN, content)
        writes.append(UpdateIssue(planning.number, body=body))
        after = ops_after(snapshot, writes)
        message = f"Change OKRs {committed.quarter}: {committed.owner}"
        record = record_file(ctx, after, changed, message)
        if record is not None:
            writes.insert(0, record)
    return writes + [result(ctx, v, record) for v in verdicts]


SCORED = "the quarter is scored: its plans no longer change"
NO_PLAN = "the plan it changes has no committed record"


def entry_line(ctx: Context, change: Decided) -> str:
    day = change.comment.created_at.astimezone(ZoneInfo(ctx.config.timezone)).date()
    return ctx.templates.render(
        "okr_change_entry.md.j2",
        day=day.isoformat(),
        number=change.issue.number,
        by=change.decided_by,
        lines=[safe_inline(line.text) for line in change_lines(change.text)],
    )


def result(ctx: Context, verdict: Verdict, record: PutFile | None) -> AddComment:
    change = verdict.change
    marker = Marker.of(RESULT, issue=str(change.issue.number))
    text = ctx.templates.render(
        "okr_change_result.md.j2",
        applied=not verdict.problems,
        owner=change.owner,
        quarter=change.quarter,
        problems=list(verdict.problems),
        lines=[safe_inline(line.text) for line in change_lines(change.text)],
        record=record.path if record and not verdict.problems else "",
    )
    if record is not None and not verdict.problems:
        text += file_note(record.path)  # the gateway says here if the branch refused it
    return AddComment(change.issue.number, marker, f"{marker.render()}\n{text}")


# --- The part -------------------------------------------------------------------------------------


def change_issues(snapshot: Snapshot) -> Iterator[tuple[Issue, str, str]]:
    for issue in snapshot.issues:
        marker = snapshot.first_written(issue, CHANGE)
        if marker is not None and marker.get("owner") and marker.get("quarter"):
            yield issue, marker.get("owner") or "", marker.get("quarter") or ""


class Changing(OkrPart):
    """The ``/okr change`` stage of the OKR ritual (a ``Part``)."""

    issue_actions = frozenset({"edited", "closed", "reopened"})

    def due_on(self, config: Config, day: date) -> Iterator[Due]:
        return iter(())  # requests and decisions come as events; scheduled runs only heal

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        # Scheduled runs heal with what the other stages list at their moments: no query here.
        return (listing(ctx),) if okr_event_issue(ctx) is not None else ()

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        """On an event, its issue (a tracker with a request, a change decision); scheduled,
        the bot's change decisions still open or closed lately, whose outcome may not be
        acted on yet (an interrupted run). The tracker's comments are its stage's to ask."""
        event_issue = okr_event_issue(ctx)
        if event_issue is not None:
            return {event_issue}
        if not ctx.event.is_scheduled:
            return ()
        return {
            i.number
            for i in listed.issues
            if listed.is_bot_author(i.author)
            and i.comments_count > 0
            and first_marker(i.body, CHANGE) is not None
            and (i.is_open or (i.closed_at is not None and ctx.now - i.closed_at < RECENTLY_CLOSED))
        }

    def files_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        folder = ctx.config.okrs.record
        if not folder:
            return ()
        return {f"{folder}{quarter}.md" for _, _, quarter in change_issues(snapshot)}

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        event_issue = okr_event_issue(ctx)
        if not ctx.event.is_scheduled and event_issue is None:
            return []
        # Per tracker and per plan: one that fails is reported, the others go on (SPEC §7).
        work: list[tuple[str, Callable[[], list[Op]]]] = [
            (
                f"OKR change requests on #{tracker.number}",
                partial(
                    request_ops, ctx, snapshot, tracker, quarter, committed_plans(snapshot, quarter)
                ),
            )
            for tracker in snapshot.issues
            if (quarter := tracker_identity(snapshot, tracker)) is not None
            and event_issue in (None, tracker.number)
        ]
        changes: dict[tuple[str, str], list[Issue]] = {}
        for issue, owner, quarter in change_issues(snapshot):
            if event_issue in (None, issue.number):
                changes.setdefault((owner.casefold(), quarter), []).append(issue)
        plannings = {
            (identity[0].casefold(), identity[1]): issue
            for issue in snapshot.issues
            if (identity := planning_identity(snapshot, issue)) is not None
        }
        work += [
            (
                f"OKR changes of {owner} {quarter}",
                partial(decide_changes, ctx, snapshot, plannings.get((owner, quarter)), issues),
            )
            for (owner, quarter), issues in changes.items()
        ]
        return plan_each(work, lambda job: job[1](), lambda job: job[0])


def decide_changes(
    ctx: Context, snapshot: Snapshot, planning: Issue | None, issues: Sequence[Issue]
) -> list[Op]:
    """What one plan's change decisions that were decided since the last run do to it."""
    found = [d for issue in issues if (d := decided(ctx, snapshot, issue)) is not None]
    if not found:
        return []
    if planning is None:
        return [result(ctx, Verdict(c, (NO_PLAN,)), None) for c in found]
    return apply_ops(ctx, snapshot, planning, found)
