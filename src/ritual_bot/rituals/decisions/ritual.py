"""The decision ritual (SPEC §4): a DRI hears the stakeholders, then records the call.

Each run replays the issue's thread (``signoff.state.derive``) and compares what it implies with
what the issue shows, writing only the difference:

- **start** — the first time the bot sees a labelled issue it records who is DRI, who are the
  stakeholders and the deadline in a start comment (which also notifies them); issues the bot opens
  itself (``ritual-bot decision open``, proposal files) carry that record in their own body;
- **block** — the bot-owned part of the body, rewritten only when its text changes;
- **replies** — one per comment holding rejected or malformed commands;
- **outcome** — for an accepted ``/decide``: the record file (if ``decisions.log``), one PATCH that
  rewrites the block as the record, swaps the label and closes, then the summary comment. The
  summary comes last, so "summary posted and the issue open" can only mean a person reopened it;
- **reminders** — on scheduled runs, the day before the deadline and at the deadline, once each.

Only bodies the bot wrote are trusted for markers; the block's hint (deadline, reminders sent) is
used only to decide whether a scheduled run needs to read the thread at all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from ritual_bot.bodies import BODY_LIMIT, fits
from ritual_bot.config import Config
from ritual_bot.links import url_of
from ritual_bot.markers import Marker, find_markers, first_marker, read_block, replace_block
from ritual_bot.model import Issue, RepoFile, Snapshot, User
from ritual_bot.moments import Due, instant
from ritual_bot.ops import (
    AddAssignees,
    AddComment,
    CreateIssue,
    EnsureLabel,
    Op,
    PutFile,
    UpdateIssue,
    file_note,
    pending,
)
from ritual_bot.partial import Stages
from ritual_bot.rituals.base import Context, Event, IssueQuery
from ritual_bot.rituals.decisions.form import read_form
from ritual_bot.rituals.decisions.proposals import (
    OPENED,
    PROPOSAL,
    PROPOSALS_FOLDER,
    Proposal,
    dispatch_proposal,
    dispatch_title,
    proposal_key,
    read_proposal,
)
from ritual_bot.rituals.decisions.render import (
    BLOCK,
    HINT,
    Hint,
    Record,
    Status,
    record_path,
    render_block,
    render_compact_block,
    render_record,
    render_remind_before,
    render_remind_due,
    render_reply,
    render_start,
    render_summary,
    render_withdrawn,
    with_marker,
)
from ritual_bot.rituals.signoff.commands import (
    MAX_DEADLINE_YEARS,
    Command,
    too_far,
)
from ritual_bot.rituals.signoff.state import (
    NOT_THEIRS,
    START,
    Derived,
    Outcome,
    Rejection,
    Rules,
    Start,
    derive,
    derive_until,
    refuse_late,
)
from ritual_bot.rituals.signoff.thread import (
    REMINDER,
    REPLY,
    SUMMARY,
    WITHDRAWN,
    Authorship,
    Reminder,
    Thread,
    refusal_marker,
)

LABEL_COLORS = {Status.OPEN: "fbca04", Status.DECIDED: "0e8a16", Status.WITHDRAWN: "cfd3d7"}
DEFAULT_DECISION_LABEL = "decision"
BASE_LABEL_COLOR = "1d76db"
BASE_LABEL_DESCRIPTION = "A decision: the DRI hears the stakeholders (ritual-bot)"
ISSUE_ACTIONS = frozenset({"opened", "labeled", "unlabeled", "reopened", "closed", "edited"})
COMMENT_ACTIONS = frozenset({"created", "edited", "deleted"})


def status_label(label: str, status: str) -> str:
    return f"{label}: {status}"


def status_label_ops(label: str) -> list[EnsureLabel]:
    return [
        EnsureLabel(status_label(label, s), color, f"Decision {s}, managed by ritual-bot")
        for s, color in LABEL_COLORS.items()
    ]


def label_ops(label: str) -> list[EnsureLabel]:
    """The base label (the one the decision form applies) and the status labels."""
    return [EnsureLabel(label, BASE_LABEL_COLOR, BASE_LABEL_DESCRIPTION), *status_label_ops(label)]


def new_start(ctx: Context, issue: Issue) -> Start:
    """DRI: the form's field, else the first assignee, else the author. Stakeholders: the form's
    field, else the config's default, expanded from groups; the DRI is not their own stakeholder."""
    form = read_form(issue.body)
    dri = form.dri or (issue.assignees[0] if issue.assignees else issue.author.login)
    decisions = ctx.config.decisions
    named = ctx.config.expand(form.stakeholders or decisions.stakeholders)
    stakeholders = tuple(s for s in named if s.casefold() != dri.casefold())
    deadline = form.deadline
    if deadline is None or refused_form_deadline(ctx, issue) is not None:
        deadline = default_deadline(ctx)
    return Start(dri, stakeholders, deadline)


def refused_form_deadline(ctx: Context, issue: Issue) -> date | None:
    """The form's deadline when it is too far ahead to accept (the default is used instead)."""
    day = read_form(issue.body).deadline
    return day if day is not None and too_far(day, team_today(ctx)) else None


def team_today(ctx: Context) -> date:
    return ctx.now.astimezone(ZoneInfo(ctx.config.timezone)).date()


def default_deadline(ctx: Context) -> date:
    return team_today(ctx) + timedelta(days=ctx.config.decisions.feedback_days)


def deadline_at(deadline: date, timezone: str) -> datetime:
    """Feedback is due by the end of the deadline day, in the team's timezone.

    Total on every date: a deadline recorded before far dates were refused (9999-12-31) has no
    next day to start, and its end is the end of the calendar rather than an OverflowError that
    would stop every scheduled run (issue 10).
    """
    zone = ZoneInfo(timezone)
    if deadline >= date.max:
        return datetime.combine(date.max, time.max, zone)
    return datetime.combine(deadline + timedelta(days=1), time(0), zone)


# --- Where a decision stands ---------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    status: str
    derived: Derived  # the whole thread
    record: Derived | None  # the thread up to the outcome, for a decided or withdrawn decision
    pending: bool  # the outcome is accepted but not recorded yet
    reopened: Record | None
    supersedes: Record | None


def stand(thread: Thread, start: Start, rules: Rules) -> Standing:
    first = derive(start, thread.people, rules)
    outcome = first.outcome
    records = thread.records()
    if outcome is None:
        return Standing(Status.OPEN, first, None, False, None, None)
    recorded = records.get(outcome.comment.id)
    if recorded is not None and thread.issue.is_open:  # a person reopened it
        return Standing(Status.OPEN, first, None, False, Record(outcome, recorded), None)
    closed = derive(start, thread.people, replace(rules, closed_after=outcome.comment.id))
    record = derive_until(start, thread.people, rules, outcome.comment)
    status = Status.DECIDED if outcome.command is Command.DECIDE else Status.WITHDRAWN
    earlier = _superseded(first.outcomes[:-1], records) if status == Status.DECIDED else None
    return Standing(status, closed, record, recorded is None, None, earlier)


def _superseded(outcomes: Sequence[Outcome], records: dict[int, str]) -> Record | None:
    for outcome in reversed(outcomes):
        if outcome.command is Command.DECIDE and outcome.comment.id in records:
            return Record(outcome, records[outcome.comment.id])
    return None


# --- Planning one issue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuePlan:
    ctx: Context
    snapshot: Snapshot
    thread: Thread

    @property
    def issue(self) -> Issue:
        return self.thread.issue

    @property
    def timezone(self) -> str:
        return self.ctx.config.timezone

    def rules(self, answered: frozenset[int]) -> Rules:
        return Rules(
            self.ctx.config,
            self.issue.author,
            self.snapshot.role_of,
            answered=answered,
            written=Authorship(self.ctx.event, self.snapshot, self.thread.refusals()),
            registry=self.registry(),
        )

    def bot_body(self) -> str:
        """The body as the bot last wrote it (``Snapshot.bot_body``; the history is read before
        any write that depends on it: see ``DecisionRitual.edits_for``)."""
        return self.snapshot.bot_body(self.issue)

    def registry(self) -> tuple[str, ...]:
        """The concern numbers given so far, from the block the bot last wrote."""
        hint = read_hint(replace(self.issue, body=self.bot_body()))
        return hint.concerns if hint else ()

    def start(self) -> tuple[Start, bool]:
        """The recorded start, or a new one (and whether it is new)."""
        recorded = self.thread.recorded_start(self.snapshot)
        return (recorded, False) if recorded else (new_start(self.ctx, self.issue), True)

    def standing(self, start: Start) -> Standing:
        return stand(self.thread, start, self.rules(self.thread.replied()))

    def frozen(self) -> bool:
        """Recorded and closed by the bot: nothing in the thread can change it any more.

        Only a person reopening the issue reopens the decision (SPEC §4). ``closed_by`` is
        GitHub's own record of who closed it; nobody can edit it.
        """
        closed_by = self.issue.closed_by
        bot_closed = closed_by is not None and self.snapshot.is_bot_author(User(closed_by))
        return not self.issue.is_open and bot_closed and bool(self.thread.records())

    def frozen_ops(self, start: Start) -> list[Op]:
        """Only answers to commands written after the close: each says the decision is closed."""
        closed_at = self.issue.closed_at
        if closed_at is None:
            return []
        rules = self.rules(self.thread.replied())
        derived = derive(start, self.thread.people, rules)
        outcome_id = max(self.thread.records(), default=0)
        late = refuse_late(self.thread.people, rules, (closed_at, outcome_id))
        return self.reply_ops(replace(derived, rejections=tuple(late)))

    def ops(self) -> list[Op]:
        recorded = self.thread.recorded_start(self.snapshot)
        start = recorded or new_start(self.ctx, self.issue)
        if recorded is not None and self.frozen():
            return self.frozen_ops(start)
        standing = self.standing(start)
        ops: list[Op] = []
        if recorded is None:
            ops += self.start_ops(standing.derived)
        ops += self.reply_ops(standing.derived)
        reminders = self.reminder_ops(standing) if self.ctx.event.is_scheduled else []
        posted = [*ops, *reminders] + ([self.outcome_comment(standing)] if standing.pending else [])
        hint = self.quiet(standing, self.hint(standing, reminders, seen=self.seen_after(posted)))
        if standing.pending:
            ops += self.outcome_ops(standing, hint)
        else:
            ops += self.block_ops(standing, hint, assign=recorded is None)
        return ops + reminders

    # --- start ---------------------------------------------------------------------------------

    def start_ops(self, derived: Derived) -> list[Op]:
        ops: list[Op] = list(label_ops(self.ctx.config.decisions.label))
        refused = refused_form_deadline(self.ctx, self.issue)
        text = render_start(
            self.ctx.templates,
            derived,
            self.timezone,
            refused=refused.isoformat() if refused else "",
            years=MAX_DEADLINE_YEARS,
        )
        marker = derived.start.marker()
        ops.append(AddComment(self.issue.number, marker, with_marker(marker, text)))
        return ops

    # --- replies -------------------------------------------------------------------------------

    def reply_ops(self, derived: Derived) -> list[Op]:
        by_comment: dict[int, list[Rejection]] = {}
        for rejection in derived.rejections:
            by_comment.setdefault(rejection.comment.id, []).append(rejection)
        replied = self.thread.replied()
        ops: list[Op] = []
        login = self.issue.author.login
        for comment_id, rejections in by_comment.items():
            if rejections[0].reason in NOT_THEIRS:
                marker = refusal_marker(rejections[0])
            elif comment_id in replied:
                continue
            else:
                marker = Marker.of(REPLY, comment=str(comment_id))
            text = render_reply(self.ctx.templates, rejections, derived, login)
            ops.append(AddComment(self.issue.number, marker, with_marker(marker, text)))
        return ops

    # --- the block -----------------------------------------------------------------------------

    def quiet(self, standing: Standing, hint: Hint) -> Hint:
        """On an event run, a comment that changes nothing else does not rewrite the block just
        to count itself: the next scheduled run notices the count and brings it up to date."""
        if self.ctx.event.is_scheduled or standing.pending:
            return hint
        old = read_hint(self.issue)
        unchanged = replace(hint, seen=old.seen if old else None)
        return unchanged if self.block(standing, unchanged) == self.issue.body else hint

    def seen_after(self, ops: Sequence[Op]) -> int:
        """How many comments the issue will hold once this run's comments are posted: the
        count a scheduled run compares with the listing's to notice a thread that changed."""
        new = [op for op in ops if isinstance(op, AddComment) and not op.is_done(self.snapshot)]
        return len(self.snapshot.comments_on(self.issue.number)) + len(new)

    def hint(self, standing: Standing, reminders: Sequence[Op], *, seen: int | None = None) -> Hint:
        deadline = standing.derived.deadline
        sent = {op.marker.get("when") for op in reminders if isinstance(op, AddComment)}
        return Hint(
            status=standing.status,
            deadline=deadline,
            before=self.thread.reminded(Reminder.BEFORE, deadline) or Reminder.BEFORE in sent,
            due=self.thread.reminded(Reminder.DUE, deadline) or Reminder.DUE in sent,
            concerns=standing.derived.registry,
            seen=seen,
        )

    def block(self, standing: Standing, hint: Hint) -> str | None:
        """The body with the block rewritten; None when even a compact block does not fit.

        The author's text is never cut: when it leaves no room for the whole block under
        GitHub's body limit, a compact one links to the start comment (issue 10).
        """
        derived = standing.record or standing.derived
        content = render_block(
            self.ctx.templates,
            derived,
            status=standing.status,
            timezone=self.timezone,
            hint=hint,
            reopened=standing.reopened,
        )
        body = replace_block(self.issue.body, BLOCK, content)
        if fits(body):
            return body
        compact = render_compact_block(
            self.ctx.templates,
            derived,
            status=standing.status,
            timezone=self.timezone,
            hint=hint,
            full_url=self.start_url(derived),
        )
        body = replace_block(self.issue.body, BLOCK, compact)
        return body if fits(body) else None

    def start_url(self, derived: Derived) -> str:
        """Where the full state starts: the start comment (its placeholder when this run posts
        it, resolved by the runner), or the issue itself when the bot opened it."""
        if self.snapshot.is_bot_author(self.issue.author):
            return self.issue.html_url
        found = self.thread.bot_markers(START)
        return found[0][1].html_url if found else url_of(derived.start.marker())

    def labels(self, status: str) -> tuple[str, ...]:
        label = self.ctx.config.decisions.label
        managed = {status_label(label, s).casefold() for s in LABEL_COLORS}
        kept = [x for x in self.issue.labels if x.casefold() not in managed]
        if not self.issue.has_label(label):
            kept.append(label)
        return (*kept, status_label(label, status))

    def block_ops(self, standing: Standing, hint: Hint, *, assign: bool) -> list[Op]:
        body = self.block(standing, hint)
        labels = self.labels(standing.status)
        update = UpdateIssue(self.issue.number, body=body, labels=labels)
        changed = not update.is_done(self.snapshot)
        # The block is the record that this state was handled: it is written last, so a run
        # interrupted before it redoes the assignment too (the convergence matrix caught the
        # opposite order leaving the DRI unassigned forever).
        ops: list[Op] = self.assign_ops(standing.derived.dri) if changed or assign else []
        return ops + ([update] if changed else [])

    def assign_ops(self, dri: str) -> list[Op]:
        if any(a.casefold() == dri.casefold() for a in self.issue.assignees):
            return []
        return [AddAssignees(self.issue.number, (dri,))]

    # --- the outcome ---------------------------------------------------------------------------

    def outcome_ops(self, standing: Standing, hint: Hint) -> list[Op]:
        record = standing.record
        assert record is not None and record.outcome is not None
        outcome = record.outcome
        decided = outcome.command is Command.DECIDE
        ops: list[Op] = []
        log = self.ctx.config.decisions.log
        log_file = self.record_file(log, standing) if decided and log else None
        if log_file is not None:
            ops.append(log_file)
        ops.append(
            UpdateIssue(
                self.issue.number,
                body=self.block(standing, hint),
                labels=self.labels(standing.status),
                state="closed",
                state_reason="completed" if decided else "not_planned",
            )
        )
        ops.append(self.outcome_comment(standing, log_file.path if log_file else None))
        return ops

    def record_file(self, folder: str, standing: Standing) -> PutFile:
        assert standing.record is not None
        path = record_path(folder, self.issue)
        content = render_record(
            self.ctx.templates,
            self.issue,
            standing.record,
            timezone=self.timezone,
            supersedes=standing.supersedes,
        )
        current = self.snapshot.files.get(path)
        message = f"Record decision #{self.issue.number}: {self.issue.title}"[:200]
        # Not required: the log never holds a decision hostage (SPEC §4). A branch that refuses
        # the write (403/409) leaves the decision recorded, summarised and closed, and the summary
        # says why (``gateway.fill_file_notes``).
        sha = current.sha if current else None
        return PutFile(path, content, message, sha=sha, required=False)

    def outcome_comment(self, standing: Standing, log_path: str | None = None) -> AddComment:
        record = standing.record
        assert record is not None and record.outcome is not None
        outcome = record.outcome
        if outcome.command is Command.WITHDRAW:
            marker = Marker.of(WITHDRAWN, cmd=str(outcome.comment.id))
            text = render_withdrawn(self.ctx.templates, outcome, self.timezone)
        else:
            marker = Marker.of(SUMMARY, cmd=str(outcome.comment.id))
            text = render_summary(
                self.ctx.templates,
                self.issue,
                record,
                self.thread.people,
                timezone=self.timezone,
                supersedes=standing.supersedes,
            )
            text += file_note(log_path)
        return AddComment(self.issue.number, marker, with_marker(marker, text))

    # --- reminders -----------------------------------------------------------------------------

    def reminder_ops(self, standing: Standing) -> list[Op]:
        if standing.status != Status.OPEN or not self.issue.is_open:
            return []
        derived = standing.derived
        due = deadline_at(derived.deadline, self.timezone)
        now = self.ctx.now
        if now >= due and not self.thread.reminded(Reminder.DUE, derived.deadline):
            text = render_remind_due(self.ctx.templates, derived, self.timezone)
            return [self.reminder(Reminder.DUE, derived.deadline, text)]
        missing = derived.without_feedback
        before = due - timedelta(days=1) <= now < due
        if before and missing and not self.thread.reminded(Reminder.BEFORE, derived.deadline):
            text = render_remind_before(self.ctx.templates, derived, missing, self.timezone)
            return [self.reminder(Reminder.BEFORE, derived.deadline, text)]
        return []

    def reminder(self, kind: str, deadline: date, text: str) -> AddComment:
        marker = Marker.of(REMINDER, when=kind, deadline=deadline.isoformat())
        return AddComment(self.issue.number, marker, with_marker(marker, text))


# --- Which issues a run needs --------------------------------------------------------------------


def read_hint(issue: Issue) -> Hint | None:
    marker = first_marker(read_block(issue.body, BLOCK), HINT)
    return Hint.from_marker(marker) if marker else None


def needs_a_look(ctx: Context, issue: Issue) -> bool:
    """Whether a scheduled run must read this issue's thread: not started, or a reminder due."""
    if not issue.is_open or not issue.has_label(ctx.config.decisions.label):
        return False
    hint = read_hint(issue)
    if hint is None:
        return True
    if hint.status != Status.OPEN:
        return False
    if hint.seen is not None and issue.comments_count != hint.seen:
        return True  # the thread changed since the bot last looked: a missed event heals now
    due = deadline_at(hint.deadline, ctx.config.timezone)
    if ctx.now >= due:
        return not hint.due
    return ctx.now >= due - timedelta(days=1) and not hint.before


def event_mentions_label(event: Event, label: str) -> bool:
    """Whether the payload's issue carries the decision label (or the event is about it)."""
    labels = event.issue.get("labels")
    listed = labels if isinstance(labels, list) else []
    names = [x.get("name") for x in listed if isinstance(x, dict)]
    changed = event.payload.get("label")
    if isinstance(changed, dict):
        names.append(changed.get("name"))
    return any(isinstance(n, str) and n.casefold() == label.casefold() for n in names)


def dispatch_inputs(event: Event) -> dict[str, str]:
    inputs = event.payload.get("inputs")
    if not isinstance(inputs, dict):
        return {}
    return {str(k): str(v) for k, v in inputs.items() if v is not None}


# --- The ritual -----------------------------------------------------------------------------------


class DecisionRitual:
    name = "decisions"

    def handles(self, event: Event) -> bool:
        if event.is_scheduled:
            return True
        if event.name == "issues":
            return event.action in ISSUE_ACTIONS
        return event.name == "issue_comment" and event.action in COMMENT_ACTIONS

    def enabled(self, ctx: Context) -> bool:
        return ctx.config.decisions.enabled

    def setup_labels(self) -> Sequence[EnsureLabel]:
        # The status labels of the default decision label (the form applies the base label).
        return status_label_ops(DEFAULT_DECISION_LABEL)

    def due_on(self, config: Config, day: date) -> Iterator[Due]:
        # Deadlines fall at the team's midnight (``deadline_at``), on any day.
        if config.decisions.enabled:
            midnight = instant(day, time(0), ZoneInfo(config.timezone))
            yield Due(midnight, "decision reminders", config.timezone)

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        # Every decision issue, closed ones too: proposals and dispatches are deduplicated
        # against the markers of the issues the bot opened (SPEC §7: listings, never search).
        if not self.enabled(ctx) or not ctx.event.is_scheduled:
            return ()
        return (IssueQuery(ctx.config.decisions.label, state="all"),)

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        if not self.enabled(ctx) or not ctx.event.is_scheduled:
            return ()
        return {i.number for i in listed.issues if needs_a_look(ctx, i)}

    def issue_numbers(self, ctx: Context) -> Collection[int]:
        event = ctx.event
        if not self.enabled(ctx) or event.is_scheduled or event.issue_number is None:
            return ()
        if not event_mentions_label(event, ctx.config.decisions.label):
            return ()
        return (event.issue_number,)

    def folders(self, ctx: Context) -> Collection[str]:
        if not self.enabled(ctx) or ctx.event.name != "schedule":
            return ()
        return (PROPOSALS_FOLDER,)

    def people_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        """Whose repository role the plan weighs: authors of commands only a maintainer (besides
        the DRI) may give, found by replaying each thread without knowing anyone's role."""
        wanted: set[str] = set()
        for issue in self.active(ctx, snapshot):
            thread = Thread.read(snapshot, issue)
            start = thread.recorded_start(snapshot) or new_start(ctx, issue)
            rules = Rules(ctx.config, issue.author, lambda _: None, answered=thread.replied())
            wanted |= derive(start, thread.people, rules).consulted
        return wanted

    def edits_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        """Edited comments whose author matters: people's with commands whose editor no event or
        record tells, and the bot's own (their markers count only as the bot wrote them)."""
        wanted: set[str] = set()
        for issue in self.active(ctx, snapshot):
            thread = Thread.read(snapshot, issue)
            authorship = Authorship(ctx.event, snapshot, thread.refusals())
            for comment in snapshot.comments_on(issue.number):
                edited_bot = snapshot.is_bot_author(comment.author) and comment.was_edited
                if edited_bot or authorship.needs_history(comment):
                    wanted.add(comment.node_id)
            if _body_matters(IssuePlan(ctx, snapshot, thread)):
                wanted.add(issue.node_id)
        return wanted

    def files_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        paths = [f.path for f in self.new_proposals(ctx, snapshot)]
        log = ctx.config.decisions.log
        if log:
            for issue in self.active(ctx, snapshot):
                plan = IssuePlan(ctx, snapshot, Thread.read(snapshot, issue))
                if plan.standing(plan.start()[0]).pending:
                    paths.append(record_path(log, issue))
        return paths

    def active(self, ctx: Context, snapshot: Snapshot) -> list[Issue]:
        """Decision issues whose thread was read in this run."""
        label = ctx.config.decisions.label
        return [i for i in snapshot.issues if i.number in snapshot.comments and i.has_label(label)]

    def new_proposals(self, ctx: Context, snapshot: Snapshot) -> list[RepoFile]:
        listing = snapshot.folders.get(PROPOSALS_FOLDER, ())
        if not listing:
            return []  # nothing proposed: spare reading every bot issue's markers (issue 11)
        opened = _opened_keys(snapshot)
        return [f for f in listing if f.path.endswith(".md") and proposal_key(f.path) not in opened]

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        if not self.enabled(ctx):
            return []
        # One decision that cannot be planned is reported alone; the others go on (SPEC §7).
        stages = Stages()
        for issue in self.active(ctx, snapshot):
            stages.run(f"decision #{issue.number}", partial(issue_ops, ctx, snapshot, issue))
        stages.run("decisions to open", lambda: self.open_ops(ctx, snapshot))
        return stages.result()

    def proposals(self, ctx: Context, snapshot: Snapshot) -> list[Proposal]:
        """Proposals not opened yet (files, then the dispatch's inputs), each with its problem."""
        proposals: list[Proposal] = []
        for listed in self.new_proposals(ctx, snapshot):
            found = snapshot.files.get(listed.path)
            if found is not None:
                proposals.append(read_proposal(found))
        inputs = dispatch_inputs(ctx.event)
        if dispatch_title(inputs):
            proposals.append(dispatch_proposal(inputs))
        if not proposals:
            return []  # most runs: no need to read every bot issue's markers (issue 11)
        opened = _opened_keys(snapshot)
        return [_sized(ctx, p.checked(ctx)) for p in proposals if p.key not in opened]

    def open_ops(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        ops: list[Op] = []
        label = ctx.config.decisions.label
        if ctx.event.name == "workflow_dispatch" and not any(
            i.has_label(label) for i in snapshot.issues
        ):
            # A person ran the workflow (init's next step says to) and no decision exists yet:
            # make sure the label the decision form applies exists, or GitHub drops it from the
            # issues the form opens. The status labels come with the first decision.
            ops += label_ops(label)[:1]
        return ops + [open_issue(ctx, p) for p in self.proposals(ctx, snapshot) if p.ok]

    def notices(self, ctx: Context, snapshot: Snapshot) -> list[str]:
        """A refused proposal is reported (step summary) on its own; the others still open."""
        if not self.enabled(ctx):
            return []
        return [
            f"{p.source}: not opened: {p.problem}"
            for p in self.proposals(ctx, snapshot)
            if p.problem
        ]


def _sized(ctx: Context, proposal: Proposal) -> Proposal:
    """A proposal whose issue body would pass GitHub's limit is refused, alone (issue 10)."""
    if not proposal.ok:
        return proposal
    size = len(open_issue(ctx, proposal).body)
    if size <= BODY_LIMIT:
        return proposal
    problem = (
        f"its issue body would be {size:,} characters, over GitHub's limit of {BODY_LIMIT:,}: "
        "shorten the text (or link to a document)"
    )
    return replace(proposal, problem=problem)


def _body_matters(plan: IssuePlan) -> bool:
    """Whether the plan is about to write something that depends on what the bot wrote in the
    body (the start record of an issue it opened, the concern numbers in its block).

    REST cannot tell who edited a body, so the history is read only then: a run that writes
    nothing, or writes nothing that depends on the body, costs no extra request.
    """
    issue, snapshot = plan.issue, plan.snapshot
    start, _ = plan.start()
    numbered = plan.registry() or plan.standing(start).derived.concerns
    if not (snapshot.is_bot_author(issue.author) or numbered):
        return False
    return bool(pending(plan.ops(), snapshot))


def _opened_keys(snapshot: Snapshot) -> set[str]:
    keys = set()
    for issue in snapshot.issues:
        if not snapshot.is_bot_author(issue.author):
            continue
        for marker in find_markers(issue.body):
            if marker.kind in (PROPOSAL, OPENED) and marker.get("key"):
                keys.add(marker.get("key") or "")
    return keys


def open_issue(ctx: Context, proposal: Proposal) -> CreateIssue:
    """An issue the bot opens itself: the start record and the block ride in its body."""
    start = proposal.start(ctx)
    label = ctx.config.decisions.label
    rules = Rules(ctx.config, User("ritual-bot", "Bot"), lambda _: None)
    derived = derive(start, (), rules)
    hint = Hint(Status.OPEN, start.deadline, before=False, due=False)
    content = render_block(
        ctx.templates, derived, status=Status.OPEN, timezone=ctx.config.timezone, hint=hint
    )
    head = f"{proposal.marker.render()}\n{start.marker().render()}\n"
    body = replace_block(head + proposal.body.strip() + "\n", BLOCK, content)
    members = {m.login.casefold() for m in ctx.config.members}
    # Only members are assigned at creation: an unassignable login would fail the whole request.
    assignees = (start.dri,) if start.dri.casefold() in members else ()
    labels = (label, status_label(label, Status.OPEN))
    return CreateIssue(proposal.marker, proposal.title, body, labels, assignees)


def issue_ops(ctx: Context, snapshot: Snapshot, issue: Issue) -> list[Op]:
    return IssuePlan(ctx, snapshot, Thread.read(snapshot, issue)).ops()
