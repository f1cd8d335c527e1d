"""The quarter's tracker (SPEC §8): one issue per quarter, rendered by the bot from the committed
plans and the values people record, then closed with the scores.

- It opens once the quarter has a committed plan: ``OKR tracker 2026-Q4``, labels ``okr`` and
  ``okr: tracker``; its identity is the marker in the body the bot first wrote.
- ``/kr KR1.1 38% at risk`` on the tracker, by the owner (a team: one of its members), records a
  value; the latest per KR wins. Values are re-read from the tracker's comments on every run, so
  edits and deletions heal; a comment edited by someone other than its author carries none
  (SPEC §4). What cannot be applied gets one reply per comment version.
- The body is the bot's: re-rendered whenever it differs (a hand edit included), written at most
  once per run. It carries the hidden ledger (``keyresults.ledger``) HPFO reads.
- On the quarter's last day one comment asks the owners for final values; seven days into the
  next quarter the tracker closes with the scores (``/score KR1.1 0.6 why`` by the owner
  overrides a KR's) and the quarter's record file gets them (a refused write never blocks).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ritual_bot.config import Config
from ritual_bot.markers import Marker, first_marker
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.moments import Due, instant
from ritual_bot.ops import AddComment, CreateIssue, Op, PutFile, UpdateIssue, file_note
from ritual_bot.partial import plan_each
from ritual_bot.rituals.base import Context, IssueQuery
from ritual_bot.rituals.keyresults.ledger import TRACKER as TRACKER_MARKER
from ritual_bot.rituals.keyresults.ledger import (
    Committed,
    committed_plans,
    read_ledger,
    tracker_identity,
)
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.rituals.keyresults.text import Problem, Quantity
from ritual_bot.rituals.keyresults.values import (
    KrValue,
    check_values,
    read_checkin,
    read_kr_commands,
    read_score_commands,
)
from ritual_bot.rituals.okrs.board import (
    Board,
    Entry,
    Override,
    build_board,
    two_places,
)
from ritual_bot.rituals.okrs.history import quarter_changes
from ritual_bot.rituals.okrs.labels import Status, label_ops, status_label
from ritual_bot.rituals.okrs.part import OkrPart, listing
from ritual_bot.rituals.okrs.planning import dri_of, render_record
from ritual_bot.rituals.okrs.rendering import (
    comments_read,
    existing_parts,
    part_ops,
    rendering,
)
from ritual_bot.rituals.reported_metrics import REVIEW_LABEL, named_metrics, reported_values
from ritual_bot.rituals.signoff.thread import Authorship, Thread, edited_by_event, version

TRACKER = TRACKER_MARKER
REPLY = "okr-kr-reply"
FINAL = "okr-final"  # the last day's request for final values
SCORES = "okr-scores"  # the closing summary
CLOSE_AFTER = timedelta(days=7)
# The HPFO ritual's label and check-in marker (``hpfo.core``): what a check-in is, read here
# without importing that ritual; tests/okrs/test_tracker.py checks they still agree.
HPFO_LABEL = "ritual:hpfo"
HPFO_CHECKIN = "hpfo-checkin"
# Check-ins re-read on each tracker run: this week's and the one before. Older values live in
# the ledger (the tracker's body as the bot wrote it), so no run re-reads a quarter.
HPFO_WINDOW = timedelta(days=15)


def team_moment(config: Config, day: date) -> datetime:
    return instant(day, config.hpfo.time, ZoneInfo(config.timezone))


def final_at(config: Config, quarter: Quarter) -> datetime:
    """The quarter's last day, at the HPFO time in the team's timezone."""
    return team_moment(config, quarter.end)


def close_at(config: Config, quarter: Quarter) -> datetime:
    return team_moment(config, quarter.end + CLOSE_AFTER)


def tracked_quarters(config: Config, now: datetime) -> list[Quarter]:
    """The quarters a run looks after: the previous one until it closes, this one, the next."""
    today = now.astimezone(ZoneInfo(config.timezone)).date()
    current = Quarter.of(today, config.okrs.quarter_start)
    previous = current.previous()
    found = [previous] if now < close_at(config, previous) + timedelta(days=1) else []
    return [*found, current, current.next()]


def owner_of(config: Config, login: str, plans: Sequence[Committed]) -> Committed | None:
    """Whose KRs a person records: their personal plan, else the first team plan they are in."""
    key = login.casefold()
    for plan in plans:
        if plan.owner.casefold() == key:
            return plan
    for plan in plans:
        if key in {m.casefold() for m in config.expand([plan.owner])}:
            return plan
    return None


@dataclass(frozen=True)
class Reading:
    entries: tuple[Entry, ...]
    overrides: tuple[Override, ...]
    problems: tuple[tuple[Comment, tuple[str, ...]], ...]


def read_tracker(
    ctx: Context, snapshot: Snapshot, issue: Issue, plans: Sequence[Committed]
) -> Reading:
    """Values, overrides and what could not be applied, from the tracker's comments as their
    authors last wrote them."""
    thread = Thread.read(snapshot, issue)
    written = Authorship(ctx.event, snapshot, thread.refusals())
    entries: list[Entry] = []
    overrides: list[Override] = []
    problems: list[tuple[Comment, tuple[str, ...]]] = []
    for comment in thread.people:
        reading = read_kr_commands(comment.body)
        scoring = read_score_commands(comment.body)
        if not (reading.values or reading.problems or scoring.scores or scoring.problems):
            continue
        by = written(comment).by
        plan = owner_of(ctx.config, comment.author.login, plans)
        said = [str(p) for p in (*reading.problems, *scoring.problems)]
        if by is None or not comment.author.same(by):
            said.append(
                f"this comment was last edited by {by or 'someone unknown'}, not its author"
            )
        elif plan is None:
            owners = ", ".join(p.owner for p in plans) or "none yet"
            said.append(f"only the owners record values here (owners: {owners})")
        else:
            refused = check_values(reading.values, plan.plan)
            said += [str(p) for p in refused]
            bad = {p.line for p in refused}
            at = written(comment).at
            entries += [
                Entry(plan.owner, v, at, comment.html_url)
                for v in reading.values
                if v.line not in bad
            ]
            for score in scoring.scores:
                if plan.plan.find(score.kr) is None:
                    said.append(str(Problem(score.line, f"/score {score.kr}: no such key result")))
                    continue
                overrides.append(
                    Override(plan.owner, score.kr, score.score, score.why, comment.html_url)
                )
        if said:
            problems.append((comment, tuple(said)))
    return Reading(tuple(entries), tuple(overrides), tuple(problems))


def checkin_of(snapshot: Snapshot, issue: Issue) -> str | None:
    """The member of an HPFO check-in the bot opened, from the body it first wrote: members
    rewrite their check-in's body (markers included) to answer, so what it reads now, or what
    the bot carried along since, names nobody (SPEC §7)."""
    if not issue.has_label(HPFO_LABEL):
        return None
    marker = snapshot.first_written(issue, HPFO_CHECKIN)
    return marker.get("member") if marker else None


def hpfo_entries(ctx: Context, snapshot: Snapshot, plans: Sequence[Committed]) -> list[Entry]:
    """``KR1.1: 38% 🟢`` lines the member wrote on their own check-in (SPEC §8): in their own
    comments, and in the body as they last saved it (from its edit history: the bot's later
    summary or anyone else's edit is not theirs). The values of KRs they own (a team's, for its
    members); a line naming a KR they do not own is left to the focus check, and a comment
    edited by someone else carries nothing (SPEC §4)."""
    found: list[Entry] = []
    for issue in snapshot.issues:
        member = checkin_of(snapshot, issue)
        plan = owner_of(ctx.config, member, plans) if member else None
        if member is None or plan is None:
            continue
        thread = Thread.read(snapshot, issue)
        written = Authorship(ctx.event, snapshot, thread.refusals())
        texts: list[tuple[str, datetime, str]] = []
        for comment in thread.people:
            by = written(comment).by
            if by is not None and comment.author.same(by) and comment.author.same(member):
                texts.append((comment.body, written(comment).at, comment.html_url))
        history = snapshot.history(issue.node_id)
        saved = [r for r in history.revisions if r.text and r.editor] if history else []
        mine = [r for r in saved if (r.editor or "").casefold() == member.casefold()]
        if mine:
            texts.append((mine[-1].text or "", mine[-1].at, issue.html_url))
        for text, at, url in texts:
            found += [
                Entry(plan.owner, v, at, url)
                for v in read_checkin(text).values
                if plan.plan.find(v.kr) is not None and not check_values([v], plan.plan)
            ]
    return found


def metric_entries(ctx: Context, snapshot: Snapshot, plans: Sequence[Committed]) -> list[Entry]:
    """A KR whose words name a review metric in backticks (``KR1.1 `activation_rate`: 32% →
    45%``) takes that metric's latest reported value, dated the end of its week (SPEC §8, §10)."""
    keys = [m.key for area in ctx.config.review.areas for m in area.metrics]
    if not keys:
        return []
    reported = reported_values(snapshot)
    zone = ZoneInfo(ctx.config.timezone)
    found = []
    for plan in plans:
        for kr in plan.plan.key_results():
            named = named_metrics(kr.text, keys)
            value = reported.get(named[0].casefold()) if named else None
            if value is None:
                continue
            unit = "%" if value.percent else (kr.target.unit if kr.target else "")
            entry = KrValue(kr.id, Quantity(value.value, unit), None, 0)
            if not check_values([entry], plan.plan):
                found.append(Entry(plan.owner, entry, value.ended(zone), value.url))
    return found


def ledger_entries(
    snapshot: Snapshot, issue: Issue, plans: Sequence[Committed], reread_from: datetime
) -> list[Entry]:
    """The latest values the tracker recorded before (its ledger, as the bot wrote it), but only
    those from sources no longer re-read: check-ins older than the window. A value from the
    tracker's own comments, or a recent check-in, is read again, so an edit or a deletion there
    heals instead of the ledger bringing the old value back. On a run that did not read them
    (an event on another OKR issue: a change decision, a planning issue), the ledger's values
    from them stand: rendering the tracker then must not drop them."""
    ledger = read_ledger(snapshot.bot_body(issue))
    if ledger is None:
        return []
    owners = {p.owner.casefold() for p in plans}
    read = comments_read(snapshot, issue)
    own = issue.html_url + "#" if read else "\0"  # "\0" starts no URL: every value stands
    return [
        Entry(r.owner, KrValue(r.kr, r.value, r.confidence, 0), r.at, r.url)
        for r in ledger.records
        if r.value is not None
        and r.at is not None
        and r.at < reread_from
        and not r.url.startswith(own)
        and r.owner.casefold() in owners
    ]


def ledger_history(snapshot: Snapshot, issue: Issue) -> dict[tuple[str, str], dict[str, float]]:
    ledger = read_ledger(snapshot.bot_body(issue))
    if ledger is None:
        return {}
    return {(r.owner.casefold(), r.kr): dict(r.weekly) for r in ledger.records}


class Tracking(OkrPart):
    """The tracker stage of the OKR ritual (a ``Part``)."""

    issue_actions = frozenset({"edited", "reopened"})

    def due_on(self, config: Config, day: date) -> Iterator[Due]:
        quarter = Quarter.of(day, config.okrs.quarter_start)
        if day == quarter.end:
            yield Due(final_at(config, quarter), "OKR final values", config.timezone)
        if day == quarter.previous().end + CLOSE_AFTER:
            yield Due(close_at(config, quarter.previous()), "OKR scores", config.timezone)
        if day.weekday() == config.hpfo.day:
            yield Due(team_moment(config, day), "OKR tracker", config.timezone)

    def _due_now(self, ctx: Context) -> bool:
        """Scheduled runs refresh the tracker only at its moments (within the hour after)."""
        today = ctx.now.astimezone(ZoneInfo(ctx.config.timezone)).date()
        moments = [
            d.at for day in (today - timedelta(days=1), today) for d in self.due_on(ctx.config, day)
        ]
        return any(at <= ctx.now < at + timedelta(hours=2) for at in moments)

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        if ctx.event.is_scheduled and not self._due_now(ctx):
            return ()
        if not ctx.event.is_scheduled:
            return () if self._event_issue(ctx) is None else (listing(ctx),)
        # At its moments the tracker also reads the last two weeks of HPFO check-ins, and of
        # business reviews when there are some (a KR may name one of their metrics).
        recent = IssueQuery(HPFO_LABEL, created_after=ctx.now - HPFO_WINDOW)
        if not ctx.config.review.active:
            return (listing(ctx), recent)
        reviews = IssueQuery(REVIEW_LABEL, created_after=ctx.now - HPFO_WINDOW)
        return (listing(ctx), recent, reviews)

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        event_issue = self._event_issue(ctx)
        return {
            i.number
            for i in listed.issues
            if i.comments_count > 0
            and event_issue in (None, i.number)
            and (
                first_marker(i.body, TRACKER) is not None
                or (self.reads_checkins(ctx) and i.has_label(HPFO_LABEL))
            )
        }

    def reads_checkins(self, ctx: Context) -> bool:
        """Only the tracker's scheduled moments read the HPFO check-ins; other runs take their
        values from the ledger, so an event or another ritual's run changes none of them."""
        return ctx.event.is_scheduled and self._due_now(ctx)

    def edits_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        """Bodies the bot wrote that people may have edited: committed plans are read as the
        bot wrote them, and a tracker's identity from its first body."""
        labels = (
            (ctx.config.okrs.label, HPFO_LABEL, REVIEW_LABEL)
            if self.reads_checkins(ctx)
            else (ctx.config.okrs.label,)
        )
        bodies = {
            i.node_id
            for i in snapshot.issues
            if snapshot.is_bot_author(i.author)
            and any(i.has_label(label) for label in labels)
            and not i.untouched
            and i.node_id
        }
        # Edited comments on trackers: the bot's (a detail comment rewritten by hand: what the
        # bot wrote there says which part it is, so it is re-rendered in place), and people's
        # commands (/kr, /score, /okr) whose editor the event does not name: who saved the text
        # decides whether it counts (SPEC §4).
        edited = {
            c.node_id
            for i in snapshot.issues
            if first_marker(i.body, TRACKER) is not None
            for c in snapshot.comments_on(i.number)
            if c.was_edited
            and c.node_id
            and (
                snapshot.is_bot_author(c.author)
                or ("/" in c.body and edited_by_event(ctx.event, c) is None)
            )
        }
        return bodies | edited

    def files_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        folder = ctx.config.okrs.record
        if not folder:
            return ()
        return {f"{folder}{q}.md" for q in tracked_quarters(ctx.config, ctx.now)}

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        if not ctx.event.is_scheduled and self._event_issue(ctx) is None:
            return []
        trackers = {
            name: issue
            for issue in snapshot.issues
            if (name := tracker_identity(snapshot, issue)) is not None
        }
        return plan_each(
            tracked_quarters(ctx.config, ctx.now),
            lambda quarter: self.quarter_ops(ctx, snapshot, trackers.get(str(quarter)), quarter),
            lambda quarter: f"OKR tracker {quarter}",
        )

    def quarter_ops(
        self, ctx: Context, snapshot: Snapshot, issue: Issue | None, quarter: Quarter
    ) -> list[Op]:
        plans = sorted(committed_plans(snapshot, str(quarter)), key=lambda c: c.owner.casefold())
        if not plans:
            return []
        if issue is None:
            return self.open(ctx, quarter, plans)
        if ctx.event.is_scheduled and not self._due_now(ctx):
            # Another ritual's scheduled run that listed OKR issues (HPFO's openings and digest,
            # planning): the tracker waits for its own moments rather than be rewritten each
            # time only because the day, and so the expected pace, moved on.
            return []
        return self.update(ctx, snapshot, issue, quarter, plans)

    def open(self, ctx: Context, quarter: Quarter, plans: Sequence[Committed]) -> list[Op]:
        if ctx.now >= close_at(ctx.config, quarter):
            return []  # a quarter scored without a tracker stays so: nothing to track any more
        label = ctx.config.okrs.label
        marker = Marker.of(TRACKER, quarter=str(quarter))
        board = build_board(quarter, self.day(ctx, quarter), plans, ())
        # With no values yet the ledger is small; a quarter too big even for that opens with
        # its marker only, and the limit is documented (docs/okrs.md).
        text = rendering(ctx, marker, board)
        body = text.body or f"{marker.render()}\n"
        labels = (label, status_label(label, Status.TRACKER))
        opening = CreateIssue(marker, f"OKR tracker {quarter}", body, labels)
        details = part_ops(ctx, str(quarter), text.parts, {}, 0, opening=marker)
        return [*label_ops(label, Status.TRACKER), opening, *details]

    def day(self, ctx: Context, quarter: Quarter) -> date:
        today = ctx.now.astimezone(ZoneInfo(ctx.config.timezone)).date()
        return min(max(today, quarter.start), quarter.end)

    def update(
        self,
        ctx: Context,
        snapshot: Snapshot,
        issue: Issue,
        quarter: Quarter,
        plans: Sequence[Committed],
    ) -> list[Op]:
        if not issue.is_open and Thread.read(snapshot, issue).bot_markers(SCORES):
            return []  # scored and closed: frozen
        reading = read_tracker(ctx, snapshot, issue, plans)
        ops: list[Op] = self.replies(ctx, issue, reading)
        marker = Marker.of(TRACKER, quarter=str(quarter))
        closing = ctx.now >= close_at(ctx.config, quarter)
        # Check-in values come from the check-ins re-read at this run's moment, else (and for
        # older check-ins) from the ledger as the bot last wrote it.
        fresh = self.reads_checkins(ctx)
        since = ctx.now - HPFO_WINDOW if fresh else ctx.now + timedelta(seconds=1)
        entries = [
            *ledger_entries(snapshot, issue, plans, since),
            *(hpfo_entries(ctx, snapshot, plans) if fresh else ()),
            *(metric_entries(ctx, snapshot, plans) if fresh else ()),
            *reading.entries,
        ]
        board = build_board(
            quarter,
            self.day(ctx, quarter),
            plans,
            entries,
            reading.overrides,
            ledger_history(snapshot, issue),
        )
        text = rendering(ctx, marker, board, final=closing)
        body = text.body
        # The detail comments before the body that announces them; only when this run read
        # the tracker's comments (which exist is unknown otherwise: the next run catches up).
        if body is not None and comments_read(snapshot, issue):
            existing = existing_parts(snapshot, issue, str(quarter))
            ops += part_ops(ctx, str(quarter), text.parts, existing, issue.number, closing)
        if closing:
            record = self.record(ctx, snapshot, quarter, plans, board)
            if record is not None:
                ops.append(record)
            ops.append(
                UpdateIssue(issue.number, body=body, state="closed", state_reason="completed")
            )
            ops.append(self.scores(ctx, issue, quarter, board, record))
            return ops
        if body is not None and body != issue.body:
            ops.append(UpdateIssue(issue.number, body=body))
        if ctx.now >= final_at(ctx.config, quarter):
            ops.append(self.final_request(ctx, issue, quarter, plans))
        return ops

    def replies(self, ctx: Context, issue: Issue, reading: Reading) -> list[Op]:
        ops: list[Op] = []
        for comment, problems in reading.problems:
            marker = Marker.of(REPLY, comment=str(comment.id), edit=version(comment))
            text = ctx.templates.render(
                "okr_kr_reply.md.j2", author=comment.author.login, problems=list(problems)
            )
            ops.append(AddComment(issue.number, marker, f"{marker.render()}\n{text}"))
        return ops

    def final_request(
        self, ctx: Context, issue: Issue, quarter: Quarter, plans: Sequence[Committed]
    ) -> AddComment:
        marker = Marker.of(FINAL, quarter=str(quarter))
        people = sorted({dri_of(ctx.config, p.owner) for p in plans})
        text = ctx.templates.render(
            "okr_final.md.j2",
            quarter=str(quarter),
            people=people,
            closes=(quarter.end + CLOSE_AFTER).isoformat(),
        )
        return AddComment(issue.number, marker, f"{marker.render()}\n{text}")

    def scores(
        self, ctx: Context, issue: Issue, quarter: Quarter, board: Board, record: PutFile | None
    ) -> AddComment:
        marker = Marker.of(SCORES, quarter=str(quarter))
        owners = [
            {
                "owner": o.owner,
                "score": two_places(o.score),
                "objectives": [
                    {"id": v.objective.id, "score": f"{v.progress:.2f}", "weakest": v.weakest}
                    for v in o.objectives
                ],
            }
            for o in board.owners
        ]
        text = ctx.templates.render(
            "okr_scores.md.j2",
            quarter=str(quarter),
            owners=owners,
            team=two_places(board.team),
            record=record.path if record else "",
        )
        # The record file is written just before this comment; if the branch refuses it, the
        # gateway puts why in place of this note (``gateway.fill_file_notes``), as decisions do.
        text += file_note(record.path if record else None)
        return AddComment(issue.number, marker, f"{marker.render()}\n{text}")

    def record(
        self,
        ctx: Context,
        snapshot: Snapshot,
        quarter: Quarter,
        plans: Sequence[Committed],
        board: Board,
    ) -> PutFile | None:
        folder = ctx.config.okrs.record
        if not folder:
            return None
        path = f"{folder}{quarter}.md"
        scores = {
            o.owner: {row.kr.id: row.score for view in o.objectives for row in view.rows}
            for o in board.owners
        }
        changes = quarter_changes(snapshot, str(quarter))
        content = render_record(str(quarter), plans, scores, board.team, changes)
        current = snapshot.files.get(path)
        return PutFile(
            path,
            content,
            f"Score OKRs {quarter}",
            sha=current.sha if current else None,
            required=False,
        )
