"""OKR planning (SPEC §8): a planning issue per owner before each quarter, signed off as a decision.

- **Opening.** ``planning_days`` before the quarter, at ``hpfo.time`` in the owner's timezone (a
  team: the team's), one issue per owner, assigned to its DRI (the owner; a team: its group's
  first member). Its body carries the identity marker (``okr-plan owner=… quarter=…``) and the
  decision start record with ``plan=1``: the sign-off *is* a decision (§4 machinery), run by the
  decision ritual, which lists the issue by the decision label it carries. A later run catches up
  until the quarter starts; a quarter that has started is never planned.
- **What was understood.** Each run reads the plan from the latest text its writers wrote (the
  owner; a team: any member of its group, and the DRI, since a team plan is written together
  while only the DRI commits it), in the body or a comment, as they wrote it (SPEC §4: a text
  edited by someone else counts for nothing), and shows it in its own block (``okr-plan``) next
  to the decision's. One reply per comment (and version) says what could not be read.
- **Carry.** The block lists the owner's KRs of the previous quarter that ended below 0.7; a
  writer's ``/carry KR1.2`` adds one to the plan understood (placement and numbering:
  ``okrs.carry``); an id not offered gets one reply per comment version.
- **Commit.** Once the sign-off holds an accepted ``/commit`` (or ``/decide``), replayed here with
  the shared sign-off (``signoff.state.derive``) exactly as the decision ritual replays it, the
  plan written before it (carried KRs included) is locked: the committed block
  (``keyresults.ledger.render_committed``, the contract the tracker and HPFO read), label
  ``okr: committed``, a summary comment, and the record file (``okrs.record``) that a refused
  write never blocks. Committed, the plan is frozen.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ritual_bot.config import Config
from ritual_bot.markdown import neutralize_mentions
from ritual_bot.markers import Marker, find_markers, read_block, replace_block
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.moments import Due, instant
from ritual_bot.ops import AddComment, CreateIssue, Op, PutFile, UpdateIssue, file_note
from ritual_bot.partial import Stages
from ritual_bot.rituals.base import Context, IssueQuery
from ritual_bot.rituals.keyresults.ledger import (
    COMMITTED,
    PLANNING,
    Committed,
    committed_of,
    committed_plans,
    planning_identity,
    render_committed,
)
from ritual_bot.rituals.keyresults.plan import Plan, PlanReading, parse_plan, render_plan
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.rituals.keyresults.text import format_quantity
from ritual_bot.rituals.okrs.carry import (
    Unreached,
    apply_carries,
    carry_ids,
    chosen,
    previous_committed,
    previous_ledger,
    unreached,
)
from ritual_bot.rituals.okrs.history import quarter_changes
from ritual_bot.rituals.okrs.labels import Status, label_ops, status_label
from ritual_bot.rituals.okrs.part import OkrPart, listing
from ritual_bot.rituals.signoff.commands import Command
from ritual_bot.rituals.signoff.state import Derived, Outcome, Rules, Start, derive
from ritual_bot.rituals.signoff.thread import Authorship, Thread, version

PLAN = PLANNING  # identity marker of a planning issue, and the name of its block
REPLY = "okr-plan-reply"  # one reply per comment version that holds an unreadable plan
COMMIT = "okr-commit"  # the summary comment of a commit, keyed by the /commit comment
REFUSED = "okr-commit-refused"  # a /commit whose plan cannot be read
CARRY_REPLY = "okr-carry-reply"  # one reply per comment version whose /carry names no offered KR
ISSUE_ACTIONS = frozenset({"opened", "edited", "reopened", "closed", "labeled"})


# --- When planning is open ------------------------------------------------------------------------


def owner_zone(config: Config, owner: str) -> ZoneInfo:
    member = config.member(owner)
    return member.zone if member is not None else ZoneInfo(config.timezone)


def opens_at(config: Config, owner: str, quarter: Quarter) -> datetime:
    """``planning_days`` before the quarter, at the HPFO time in the owner's timezone."""
    day = quarter.start - timedelta(days=config.okrs.planning_days)
    return instant(day, config.hpfo.time, owner_zone(config, owner))


def planned_quarter(config: Config, owner: str, now: datetime) -> Quarter | None:
    """The quarter whose planning is open for ``owner`` at ``now``: opened, not yet started."""
    zone = owner_zone(config, owner)
    today = now.astimezone(zone).date()
    upcoming = Quarter.of(today, config.okrs.quarter_start).next()
    starts = datetime.combine(upcoming.start, time(0), zone)
    return upcoming if opens_at(config, owner, upcoming) <= now < starts else None


def dri_of(config: Config, owner: str) -> str:
    """The owner itself, or a team's first member (``/dri`` changes it on the issue)."""
    member = config.member(owner)
    if member is not None:
        return member.login
    members = config.expand([owner])
    return members[0] if members else owner


def is_team(config: Config, owner: str) -> bool:
    return config.member(owner) is None


def title_of(quarter: Quarter, owner: str, team: bool) -> str:
    return f"OKRs {quarter} · {owner}" if team else f"OKRs {quarter} · @{owner}"


# --- The plan as its writers wrote it -------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """One text a writer wrote that holds a plan: where, when, and what it reads as."""

    at: datetime
    reading: PlanReading
    comment: Comment | None  # None: the issue body


def _without_blocks(text: str) -> str:
    """The text people wrote: the bot's blocks (this one's, the decision's) and markers out."""
    for name in (PLAN, "decision", COMMITTED):
        block = read_block(text, name)
        if block is not None:
            text = replace_block(text, name, "")
    for marker in find_markers(text):
        text = text.replace(marker.render(), "")
    return text


NO_OBJECTIVE = "no objective found"  # what ``parse_plan`` says of text with no plan in it


def _holds_plan(reading: PlanReading) -> bool:
    """Whether a text tries to be a plan: it has an objective, or lines the parser took for one
    (a key result, an objective it could not read). Prose and commands do not."""
    return bool(reading.plan.objectives) or any(
        not p.message.startswith(NO_OBJECTIVE) for p in reading.problems
    )


def writers(config: Config, owner: str, derived: Derived | None) -> frozenset[str]:
    names = {owner} if not is_team(config, owner) else set(config.expand([owner]))
    if derived is not None:
        names.add(derived.dri)
    return frozenset(n.casefold() for n in names)


def drafts(
    snapshot: Snapshot, issue: Issue, allowed: frozenset[str], written: Authorship
) -> list[Draft]:
    """Every plan text by a writer, oldest first: comments as their author last wrote them, and
    the newest body revision a writer saved (from the edit history; the bot's own revisions only
    carry their text along and are not theirs)."""
    found: list[Draft] = []
    history = snapshot.history(issue.node_id)
    if history is not None:
        for revision in history.revisions:
            if revision.text and (revision.editor or "").casefold() in allowed:
                reading = parse_plan(_without_blocks(revision.text))
                if _holds_plan(reading):
                    found.append(Draft(revision.at, reading, None))
    for comment in snapshot.comments_on(issue.number):
        by = written(comment).by
        if by is None or not comment.author.same(by) or by.casefold() not in allowed:
            continue
        reading = parse_plan(comment.body)
        if _holds_plan(reading):
            found.append(Draft(written(comment).at, reading, comment))
    return sorted(found, key=lambda d: (d.at, d.comment.id if d.comment else 0))


def before(at: datetime, comment: Comment | None, outcome: Outcome | None) -> bool:
    """Whether a text was written before the ``/commit`` (None: there is none yet). Within the
    same second, a comment counts when GitHub numbered it first (ids grow as comments are
    made); a body saved in that second does not, so a plan is never taken from after it."""
    if outcome is None:
        return True
    until = outcome.written_at
    if at != until:
        return at < until
    return comment is not None and comment.id < outcome.comment.id


def latest_plan(found: Sequence[Draft], outcome: Outcome | None = None) -> Draft | None:
    kept = [d for d in found if before(d.at, d.comment, outcome)]
    return kept[-1] if kept else None


@dataclass(frozen=True)
class Carry:
    """One comment's ``/carry`` lines, as its writer wrote them."""

    at: datetime
    comment: Comment
    ids: tuple[str, ...]


def carries(
    snapshot: Snapshot, issue: Issue, allowed: frozenset[str], written: Authorship
) -> list[Carry]:
    found = []
    for comment in snapshot.comments_on(issue.number):
        by = written(comment).by
        if by is None or not comment.author.same(by) or by.casefold() not in allowed:
            continue
        ids = carry_ids(comment.body)
        if ids:
            found.append(Carry(written(comment).at, comment, ids))
    return found


def with_carries(
    draft: Draft | None,
    found: Sequence[Carry],
    offered: Sequence[Unreached],
    outcome: Outcome | None = None,
) -> Draft | None:
    """The plan as written plus the KRs carried into it (``okrs.carry``), read back through the
    parser so its limits hold for carried KRs too; the author's own problems come first."""
    counted = [c for c in found if before(c.at, c.comment, outcome)]
    carried = chosen([i for c in counted for i in c.ids], offered)
    if not carried:
        return draft
    base = draft.reading if draft is not None else PlanReading(Plan(()), ())
    reread = parse_plan(render_plan(apply_carries(base.plan, carried)))
    reading = PlanReading(reread.plan, base.problems or reread.problems)
    if draft is None:
        return Draft(max(c.at for c in counted), reading, None)
    return Draft(draft.at, reading, draft.comment)


# --- Rendering ------------------------------------------------------------------------------------


def kr_rows(plan: Plan) -> list[dict[str, str]]:
    return [
        {
            "id": kr.id.replace("KR", "RC", 1) if plan.french else kr.id,
            "text": neutralize_mentions(kr.text),
            "baseline": format_quantity(kr.baseline) if kr.baseline else "",
            "target": format_quantity(kr.target) if kr.target else "",
            "kind": kr.kind.value,
            "objective": f"{objective.id} {neutralize_mentions(objective.title)}",
        }
        for objective in plan.objectives
        for kr in objective.key_results
    ]


def _offered_rows(offered: Sequence[Unreached], plan: Plan | None) -> list[dict[str, str]]:
    words = {" ".join(kr.text.split()).casefold() for kr in plan.key_results()} if plan else set()
    return [
        {
            "id": u.kr.id,
            "text": neutralize_mentions(u.kr.text),
            "ended": format_quantity(u.value) if u.value is not None else "",
            "progress": f"{u.progress:.0%}",
            "carried": "yes" if " ".join(u.kr.text.split()).casefold() in words else "",
        }
        for u in offered
    ]


def render_understood(
    ctx: Context, draft: Draft | None, quarter: str, offered: Sequence[Unreached] = ()
) -> str:
    return ctx.templates.render(
        "okr_understood.md.j2",
        quarter=quarter,
        found=draft is not None,
        rows=kr_rows(draft.reading.plan) if draft else [],
        problems=[str(p) for p in draft.reading.problems] if draft else [],
        where=draft.comment.html_url if draft and draft.comment else "",
        offered=_offered_rows(offered, draft.reading.plan if draft else None),
        previous=str(Quarter.parse(quarter).previous()),
    )


# --- One planning issue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanningIssue:
    ctx: Context
    snapshot: Snapshot
    issue: Issue
    owner: str
    quarter: str

    @property
    def thread(self) -> Thread:
        return Thread.read(self.snapshot, self.issue)

    def derived(self) -> Derived | None:
        return derived_of(self.ctx, self.snapshot, self.issue)

    def allowed(self, derived: Derived | None) -> frozenset[str]:
        return writers(self.ctx.config, self.owner, derived)

    def written(self) -> Authorship:
        return Authorship(self.ctx.event, self.snapshot, self.thread.refusals())

    def drafts(self, derived: Derived | None) -> list[Draft]:
        return drafts(self.snapshot, self.issue, self.allowed(derived), self.written())

    def carries(self, derived: Derived | None) -> list[Carry]:
        return carries(self.snapshot, self.issue, self.allowed(derived), self.written())

    def offered(self) -> tuple[Unreached, ...]:
        return offered(self.ctx.config, self.snapshot, self.owner, self.quarter)

    def committed(self) -> Committed | None:
        return committed_of(self.snapshot, self.issue)

    def ops(self) -> list[Op]:
        if self.committed() is not None:
            return []  # frozen: only /okr change rewrites a committed plan
        derived = self.derived()
        found, carried, offered = self.drafts(derived), self.carries(derived), self.offered()
        ops = self.reply_ops(found) + self.carry_reply_ops(carried, offered)
        outcome = derived.outcome if derived is not None else None
        if derived is not None and outcome is not None and outcome.command is Command.DECIDE:
            draft = with_carries(latest_plan(found, outcome), carried, offered, outcome)
            return ops + self.commit_ops(derived, outcome, draft)
        if not self.issue.is_open:
            return ops  # closed by a person, or withdrawn: nothing to show any more
        draft = with_carries(latest_plan(found), carried, offered)
        content = render_understood(self.ctx, draft, self.quarter, offered)
        body = replace_block(self.issue.body, PLAN, content)
        if body != self.issue.body:
            ops.append(UpdateIssue(self.issue.number, body=body))
        return ops

    def reply_ops(self, found: Sequence[Draft]) -> list[Op]:
        ops: list[Op] = []
        for draft in found:
            comment = draft.comment
            if comment is None or not draft.reading.problems:
                continue
            text = self.ctx.templates.render(
                "okr_plan_reply.md.j2",
                author=comment.author.login,
                problems=[str(p) for p in draft.reading.problems],
            )
            ops.append(self.reply(REPLY, comment, text))
        return ops

    def carry_reply_ops(self, found: Sequence[Carry], offered: Sequence[Unreached]) -> list[Op]:
        """One reply per comment version whose ``/carry`` names a KR that is not offered."""
        known = [u.kr.id for u in offered]
        ops: list[Op] = []
        for carry in found:
            unknown = [i for i in carry.ids if i not in known]
            if unknown:
                text = self.ctx.templates.render(
                    "okr_carry_reply.md.j2",
                    author=carry.comment.author.login,
                    unknown=[i for i in unknown if i],
                    missing="" in unknown,
                    offered=known,
                    previous=str(Quarter.parse(self.quarter).previous()),
                )
                ops.append(self.reply(CARRY_REPLY, carry.comment, text))
        return ops

    def reply(self, kind: str, comment: Comment, text: str) -> AddComment:
        marker = Marker.of(kind, comment=str(comment.id), edit=version(comment))
        return AddComment(self.issue.number, marker, f"{marker.render()}\n{text}")

    def commit_ops(self, derived: Derived, outcome: Outcome, draft: Draft | None) -> list[Op]:
        if draft is None or not draft.reading.ok:
            marker = Marker.of(REFUSED, cmd=str(outcome.comment.id))
            problems = [str(p) for p in draft.reading.problems] if draft else []
            text = self.ctx.templates.render("okr_commit_refused.md.j2", problems=problems)
            return [AddComment(self.issue.number, marker, f"{marker.render()}\n{text}")]
        committed = Committed(self.owner, self.quarter, draft.reading.plan)
        label = self.ctx.config.okrs.label
        planning = status_label(label, Status.PLANNING).casefold()
        labels = tuple(x for x in self.issue.labels if x.casefold() != planning)
        labels += (status_label(label, Status.COMMITTED),)
        # What was understood gives way to the committed plan, the record the tracker and HPFO
        # read (through the body the bot last wrote).
        body = replace_block(self.issue.body, PLAN, render_committed(committed))
        ops: list[Op] = [
            *label_ops(label, Status.COMMITTED)[1:],
            UpdateIssue(self.issue.number, body=body, labels=labels),
        ]
        record = self.record_file(committed)
        if record is not None:
            ops.insert(0, record)  # before the close, as decisions write their log (SPEC §4)
        ops.append(self.summary(derived, outcome, committed, record))
        return ops

    def summary(
        self, derived: Derived, outcome: Outcome, committed: Committed, record: PutFile | None
    ) -> AddComment:
        marker = Marker.of(COMMIT, cmd=str(outcome.comment.id))
        overridden = [c.number for c in derived.concerns if c.is_open]
        text = self.ctx.templates.render(
            "okr_committed.md.j2",
            quarter=self.quarter,
            owner=self.owner,
            dri=derived.dri,
            rows=kr_rows(committed.plan),
            objectives=len(committed.plan.objectives),
            overridden=overridden,
            rationale=neutralize_mentions(outcome.rationale),
            record=record.path if record else "",
        )
        # A refused record file is said here, in place of the note (``gateway.fill_file_notes``).
        text += file_note(record.path if record else None)
        return AddComment(self.issue.number, marker, f"{marker.render()}\n{text}")

    def record_file(self, committed: Committed) -> PutFile | None:
        message = f"Record OKRs {self.quarter}: {self.owner}"
        return record_file(self.ctx, self.snapshot, committed, message)


def derived_of(ctx: Context, snapshot: Snapshot, issue: Issue) -> Derived | None:
    """An OKR issue's sign-off (a plan's, a change's) replayed with the shared rules, exactly
    as the decision ritual replays it; None without the bot's start record."""
    thread = Thread.read(snapshot, issue)
    start = thread.recorded_start(snapshot)
    if start is None:
        return None
    written = Authorship(ctx.event, snapshot, thread.refusals())
    rules = Rules(
        ctx.config, issue.author, snapshot.role_of, answered=thread.replied(), written=written
    )
    return derive(start, thread.people, rules)


def record_file(
    ctx: Context, snapshot: Snapshot, committed: Committed, message: str
) -> PutFile | None:
    """The quarter's record file with ``committed`` as the owner's plan now (``render_record``)."""
    folder = ctx.config.okrs.record
    if not folder:
        return None
    plans = {c.owner.casefold(): c for c in committed_plans(snapshot, committed.quarter)}
    plans[committed.owner.casefold()] = committed
    path = f"{folder}{committed.quarter}.md"
    changes = quarter_changes(snapshot, committed.quarter)
    ordered = sorted(plans.values(), key=lambda c: c.owner)
    content = render_record(committed.quarter, ordered, changes=changes)
    current = snapshot.files.get(path)
    # Never required: a branch that refuses the write (403/409) holds no plan hostage (§4).
    return PutFile(path, content, message, sha=current.sha if current else None, required=False)


def offered(config: Config, snapshot: Snapshot, owner: str, quarter: str) -> tuple[Unreached, ...]:
    """The owner's KRs of the quarter before ``quarter`` that ended below 0.7 (``okrs.carry``)."""
    previous = str(Quarter.parse(quarter).previous())
    tracker = status_label(config.okrs.label, Status.TRACKER)
    return unreached(
        previous_committed(snapshot, owner, previous),
        previous_ledger(snapshot, tracker, previous),
    )


def render_record(
    quarter: str,
    plans: Sequence[Committed],
    scores: Mapping[str, Mapping[str, float]] | None = None,
    team: float | None = None,
    changes: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The quarter's record file: YAML front matter (quarter, owners, and once scored the scores)
    and each owner's plan, with each KR's score once the quarter is scored, then the changes
    decided since the commit (``okrs.history``), one line each."""
    status = "scored" if scores is not None else "committed"
    head = [f"quarter: {quarter}", f"status: {status}", "owners:"]
    head += [f"  - {c.owner}" for c in plans]
    if scores is not None:
        head.append(f"team_score: {team:.2f}" if team is not None else "team_score: null")
        head.append("scores:")
        for c in plans:
            head.append(f"  {c.owner}:")
            head += [f"    {kr}: {s:.2f}" for kr, s in scores.get(c.owner, {}).items()]
    parts = [f"# OKRs {quarter}\n"]
    for c in plans:
        text = render_plan(c.plan).replace("## ", "### ")
        if scores is not None:
            mine = scores.get(c.owner, {})
            text = "\n".join(_scored(line, mine) for line in text.splitlines()) + "\n"
        lines = (changes or {}).get(c.owner, ())
        if lines:
            text += "\n#### Changes\n\n" + "\n".join(lines) + "\n"
        parts.append(f"## {c.owner}\n\n{text}")
    return "---\n" + "\n".join(head) + "\n---\n\n" + "\n".join(parts)


def _scored(line: str, scores: Mapping[str, float]) -> str:
    for kr, score in scores.items():
        if line.startswith((f"- {kr} ", f"- {kr.replace('KR', 'RC', 1)} ")):
            return f"{line} (score {score:.2f})"
    return line


# --- The part -------------------------------------------------------------------------------------


class Planning(OkrPart):
    """The planning stage of the OKR ritual (a ``Part``)."""

    issue_actions = ISSUE_ACTIONS

    def due_on(self, config: Config, day: date) -> Iterator[Due]:
        for owner in config.okrs.owners:
            quarter = Quarter.of(day, config.okrs.quarter_start).next()
            opening = quarter.start - timedelta(days=config.okrs.planning_days)
            if opening == day:
                zone = owner_zone(config, owner)
                yield Due(opens_at(config, owner, quarter), "OKR planning opens", zone.key)

    def _in_window(self, ctx: Context) -> bool:
        """Scheduled runs read OKR issues only while some planning is open: the rest of the
        quarter, a planning issue changes by comments, which come as events."""
        return any(planned_quarter(ctx.config, o, ctx.now) for o in ctx.config.okrs.owners)

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        if ctx.event.is_scheduled and not self._in_window(ctx):
            return ()
        if not ctx.event.is_scheduled and self._event_issue(ctx) is None:
            return ()
        return (listing(ctx),)

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        event_issue = self._event_issue(ctx)
        tracker = status_label(ctx.config.okrs.label, Status.TRACKER)
        # The bot's OKR issues but the tracker, not those whose body shows the marker now: a
        # person may edit it away, and only the edit history (read later) says whose issue it is.
        return {
            i.number
            for i in listed.issues
            if i.comments_count > 0
            and event_issue in (None, i.number)
            and listed.is_bot_author(i.author)
            and not i.has_label(tracker)
            # A closed one too until its commit is written: an interrupted run heals.
            and (i.is_open or read_block(i.body, COMMITTED) is None)
        }

    def files_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        folder = ctx.config.okrs.record
        if not folder:
            return ()
        return {
            f"{folder}{found[1]}.md"
            for i in snapshot.issues
            if i.is_open and (found := planning_identity(snapshot, i)) is not None
        }

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        # The openings, then each planning issue: one that crashes is reported, the others go
        # on (SPEC §7).
        stages = Stages()
        if ctx.event.is_scheduled:
            stages.run("OKR planning openings", lambda: self.openings(ctx, snapshot))
        for issue in snapshot.issues:
            found = planning_identity(snapshot, issue)
            if found and (ctx.event.is_scheduled or issue.number == ctx.event.issue_number):
                plan = PlanningIssue(ctx, snapshot, issue, *found)
                stages.run(f"issue #{issue.number}", plan.ops)
        return stages.result()

    def openings(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        config = ctx.config
        ops: list[Op] = []
        for owner in config.okrs.owners:
            quarter = planned_quarter(config, owner, ctx.now)
            if quarter is None:
                continue
            op = open_planning(ctx, owner, quarter, offered(config, snapshot, owner, str(quarter)))
            if not op.is_done(snapshot):
                ops.append(op)
        if ops:
            ops = [*label_ops(config.okrs.label, Status.PLANNING), *ops]
        return ops


def open_planning(
    ctx: Context, owner: str, quarter: Quarter, carry: Sequence[Unreached] = ()
) -> CreateIssue:
    config = ctx.config
    team = is_team(config, owner)
    dri = dri_of(config, owner)
    approvers = tuple(
        a for a in config.expand(config.okrs.approvers) if a.casefold() != dri.casefold()
    )
    start = Start(dri, approvers, quarter.start, plan=True)
    marker = Marker.of(PLAN, owner=owner, quarter=str(quarter))
    member = config.member(dri)
    away = [
        p
        for p in (member.away if member else ())
        if p.end >= quarter.start - timedelta(days=config.okrs.planning_days)
        and p.start < quarter.start
    ]
    text = ctx.templates.render(
        "okr_planning.md.j2",
        quarter=str(quarter),
        owner=owner,
        team=team,
        dri=dri,
        approvers=list(approvers),
        deadline=quarter.start.isoformat(),
        starts=quarter.start.isoformat(),
        ends=quarter.end.isoformat(),
        away=[p.end.isoformat() for p in away],
    )
    understood = render_understood(ctx, None, str(quarter), carry)
    body = f"{marker.render()}\n{start.marker().render()}\n{text}"
    body = replace_block(body, PLAN, understood)
    label = config.okrs.label
    labels = (label, status_label(label, Status.PLANNING), config.decisions.label)
    members = {m.login.casefold() for m in config.members}
    assignees = (dri,) if dri.casefold() in members else ()
    return CreateIssue(marker, title_of(quarter, owner, team), body, labels, assignees)
