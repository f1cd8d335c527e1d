"""The onboarding ritual (SPEC §9): a newcomer's goals for their first month and first three months.

For each member with a ``joined`` date (``timeline``: every step at the HPFO time in their zone):

- **day 0** ``Onboarding · @dan``, assigned to dan and the buddy (GitHub refusing one assignee
  opens it unassigned with a mention: ``Gateway._create_issue``), label ``ritual:onboarding``,
  two checklists to fill in the body. A run that missed the moment opens it later, until day 97;
- **day 5** still no goal: one reminder to the buddy;
- **days 30 and 90** one comment to both: each goal of that checklist met (ticked) or not, and a
  request for a short retro in a comment;
- **day 97** closed as completed, then a summary comment: goals met n/m per checklist and the
  retros' gist (the first sentence of each retro comment the newcomer or the buddy wrote after
  the check, in order, linked: extractive and deterministic like every summary, SPEC §5).

Goals are read from the body as the newcomer and the buddy saved it; a body edit by anyone else is
put back (``goals``). Every write carries its marker, so a rerun writes nothing; each newcomer is
planned on their own (``partial.plan_each``): one whose dates break the plan is reported, the
others go on. Idle scheduled runs read nothing: the listing is read only within a day after one
of a newcomer's moments, and on an edit of an onboarding issue.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from ritual_bot.config import Config, Member
from ritual_bot.markdown import cut
from ritual_bot.markers import Marker, find_markers
from ritual_bot.model import Issue, Snapshot
from ritual_bot.moments import Due
from ritual_bot.ops import AddComment, CreateIssue, EnsureLabel, Op, UpdateIssue
from ritual_bot.partial import PartialPlan, plan_each
from ritual_bot.rituals.base import Context, Event, IssueQuery
from ritual_bot.rituals.newcomers.goals import Goal, Goals, read_goals, writers_text
from ritual_bot.rituals.newcomers.issue import (
    LABEL,
    is_onboarding_issue,
    listing,
    marker_of,
    onboarding_issue,
)
from ritual_bot.rituals.newcomers.timeline import Checklist, Step, Timeline, newcomers
from ritual_bot.rituals.signoff.thread import Authorship
from ritual_bot.summary import own_sentences

LABEL_OP: Final = EnsureLabel(LABEL, "c2e0c6", "A newcomer's onboarding goals (ritual-bot)")
REMINDER: Final = "onboarding-reminder"
CHECK: Final = "onboarding-check"  # months=1 | months=3
SUMMARY: Final = "onboarding-summary"
# Scheduled runs read the onboarding issues this long after each moment: the moment's run, its
# catch-up, and a day of missed runs (a later moment catches up on anything still undone).
READ_WINDOW: Final = timedelta(days=1)
GIST_CHARS: Final = 200
RETROS_SHOWN: Final = 10  # per checklist: the summary stays far below GitHub's body limit
ISSUE_ACTIONS: Final = frozenset({"edited", "reopened"})
UNVERIFIED: Final = (
    "the issue's body was edited and its edit history could not be read, so who wrote it is "
    "unknown: nothing was planned for it, the next run retries"
)


def timelines(config: Config, members: Sequence[Member]) -> list[Timeline]:
    """The newcomers whose dates can be planned: a bad one is left out here (``queries``,
    ``due_on``) and reported by the plan, which meets it again on its own."""
    found = []
    for member in members:
        try:
            found.append(Timeline.of(config, member))
        except (ValueError, OverflowError):
            continue
    return found


def event_issue(ctx: Context) -> int | None:
    """The issue of an event run when it is an onboarding issue, else None."""
    if ctx.event.is_scheduled or LABEL.casefold() not in ctx.event.labels:
        return None
    return ctx.event.issue_number


# --- One newcomer's issue -------------------------------------------------------------------------


@dataclass(frozen=True)
class Onboarding:
    ctx: Context
    snapshot: Snapshot
    issue: Issue
    timeline: Timeline

    def ops(self, text: str) -> list[Op]:
        """Everything due on the issue, given the body as its writers saved it."""
        goals = read_goals(text, self.timeline)
        ops: list[Op] = []
        if self.issue.is_open and self.issue.body != text:
            ops.append(UpdateIssue(self.issue.number, body=text))  # put a stranger's edit back
        if self.posted(SUMMARY):
            return ops  # done: a person who reopens it keeps it open
        now, due = self.ctx.now, self.timeline.due
        if due(Step.REMIND) <= now < due(Step.MONTH1) and goals.empty:
            ops.append(self.reminder())
        ops += [self.check(c, goals) for c in Checklist if due(c.value) <= now]
        if due(Step.CLOSE) <= now:
            if self.issue.is_open:
                # Closed first: an interrupted run then still posts the summary, and once it is
                # posted nothing closes the issue again.
                ops.append(UpdateIssue(self.issue.number, state="closed", state_reason="completed"))
            ops.append(self.summary(goals))
        return ops

    def posted(self, kind: str) -> bool:
        """Whether the bot wrote a comment with this marker (as ``AddComment.is_done`` reads it)."""
        return any(
            m.kind == kind
            for c in self.snapshot.comments_on(self.issue.number)
            for m in find_markers(self.snapshot.bot_text(c, unknown=c.body))
        )

    def comment(self, marker: Marker, template: str, **values: Any) -> AddComment:
        text = self.ctx.templates.render(template, **self.common(), **values)
        return AddComment(self.issue.number, marker, f"{marker.render()}\n{text}")

    def common(self) -> dict[str, Any]:
        t = self.timeline
        return {"login": t.login, "buddy": t.buddy or "", "joined": t.joined.isoformat()}

    def reminder(self) -> AddComment:
        return self.comment(Marker.of(REMINDER), "onboarding_reminder.md.j2")

    def check(self, checklist: Checklist, goals: Goals) -> AddComment:
        marker = Marker.of(CHECK, months=str(checklist.months))
        return self.comment(
            marker,
            "onboarding_check.md.j2",
            months=checklist.months,
            target=self.timeline.target(checklist).isoformat(),
            goals=rows(goals.of(checklist)),
            met=met(goals.of(checklist)),
        )

    def summary(self, goals: Goals) -> AddComment:
        checklists = [
            {
                "months": c.months,
                "target": self.timeline.target(c).isoformat(),
                "goals": rows(goals.of(c)),
                "met": met(goals.of(c)),
                "retros": self.retros(c),
            }
            for c in Checklist
        ]
        return self.comment(Marker.of(SUMMARY), "onboarding_summary.md.j2", checklists=checklists)

    def retros(self, checklist: Checklist) -> list[dict[str, str]]:
        """The first sentence of each comment the newcomer or the buddy wrote (as they wrote it:
        SPEC §4, a comment edited by someone else is nobody's) after this checklist's check and
        before the next one, oldest first."""
        start = self.timeline.due(checklist.value)
        end = self.timeline.due(Step.MONTH3) if checklist is Checklist.MONTH1 else None
        written = Authorship(self.ctx.event, self.snapshot, {})
        found = []
        for comment in self.snapshot.comments_on(self.issue.number):
            by = written(comment).by
            if comment.author.is_bot or by is None or not comment.author.same(by):
                continue
            in_window = start <= comment.created_at and (end is None or comment.created_at < end)
            sentences = own_sentences(comment.body) if in_window else ()
            if self.timeline.is_writer(by) and sentences:
                gist = cut(sentences[0], GIST_CHARS)
                found.append({"login": by, "gist": gist, "url": comment.html_url})
        return found[:RETROS_SHOWN]


def rows(goals: Sequence[Goal]) -> list[dict[str, Any]]:
    return [{"text": g.text, "met": g.met} for g in goals]


def met(goals: Sequence[Goal]) -> int:
    return sum(1 for g in goals if g.met)


def open_issue(ctx: Context, timeline: Timeline) -> CreateIssue:
    marker = marker_of(timeline)
    text = ctx.templates.render(
        "onboarding_issue.md.j2",
        login=timeline.login,
        buddy=timeline.buddy or "",
        joined=timeline.joined.isoformat(),
        month1=timeline.target(Checklist.MONTH1).isoformat(),
        month3=timeline.target(Checklist.MONTH3).isoformat(),
    )
    body = f"{marker.render()}\n{text}"
    title = f"Onboarding · @{timeline.login}"
    return CreateIssue(marker, title, body, (LABEL,), timeline.people)


# --- The ritual -----------------------------------------------------------------------------------


class OnboardingRitual:
    name = "onboarding"

    def __init__(self) -> None:
        self._notices: list[str] = []
        self._found: tuple[Config, list[Member]] | None = None

    def newcomers(self, config: Config) -> list[Member]:
        """The config's newcomers, found once per run: every hook asks, and a team without any
        then costs one pass over its members (tests/core/test_complexity.py)."""
        if self._found is None or self._found[0] is not config:
            self._found = (config, newcomers(config))
        return self._found[1]

    def timelines(self, config: Config) -> list[Timeline]:
        return timelines(config, self.newcomers(config))

    def handles(self, event: Event) -> bool:
        return event.is_scheduled or (event.name == "issues" and event.action in ISSUE_ACTIONS)

    def setup_labels(self) -> Sequence[EnsureLabel]:
        return [LABEL_OP]

    def due_on(self, config: Config, day: date) -> Iterator[Due]:
        for timeline in self.timelines(config):
            yield from timeline.moments(day)

    def _reading(self, ctx: Context) -> bool:
        """Whether this scheduled run is within a day after one of a newcomer's moments."""
        return any(
            timedelta(0) <= ctx.now - timeline.due(step) < READ_WINDOW
            for timeline in self.timelines(ctx.config)
            for step in Step
        )

    def read(self, ctx: Context) -> bool:
        """Whether this run reads the onboarding issues: a scheduled run near a moment (it lists
        them), an event on one of them (it reads that one by number)."""
        if ctx.event.is_scheduled:
            return self._reading(ctx)
        return event_issue(ctx) is not None

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        if not ctx.event.is_scheduled or not self.read(ctx):
            return ()  # an event run reads its issue by number (``issue_numbers``)
        return (listing(ctx.now),)

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        if not self.newcomers(ctx.config):
            return ()
        return {
            i.number
            for i in listed.issues
            if is_onboarding_issue(listed, i) and i.comments_count > 0
        }

    def issue_numbers(self, ctx: Context) -> Collection[int]:
        number = event_issue(ctx)
        return () if number is None or not self.newcomers(ctx.config) else (number,)

    def folders(self, ctx: Context) -> Collection[str]:
        return ()

    def edits_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        """Bodies that changed (whose text they are), and, once a summary is due, comments
        edited on the issue (whose retro they are)."""
        if not self.newcomers(ctx.config):
            return ()
        mine = [i for i in snapshot.issues if is_onboarding_issue(snapshot, i) and i.node_id]
        found = {i.node_id for i in mine if not i.untouched}
        closing = [t for t in self.timelines(ctx.config) if t.due(Step.CLOSE) <= ctx.now]
        for issue in mine:
            if any(marker_of(t) in find_markers(issue.body) for t in closing):
                comments = snapshot.comments_on(issue.number)
                found |= {c.node_id for c in comments if c.was_edited and c.node_id}
        return found

    def people_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        return ()

    def files_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        return ()

    def notices(self, ctx: Context, snapshot: Snapshot) -> Sequence[str]:
        return self._notices

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        self._notices = []
        number = event_issue(ctx)
        if not self.read(ctx):
            return []  # nothing was listed: an issue not seen is not an issue missing
        try:
            ops = plan_each(
                self.newcomers(ctx.config),
                lambda member: self.plan_member(ctx, snapshot, member, number),
                lambda member: f"onboarding of @{member.login}",
            )
        except PartialPlan as partial:
            raise PartialPlan(list(dict.fromkeys(partial.ops)), partial.failed) from None
        # The label is ensured once, however many newcomers start today.
        return list(dict.fromkeys(ops))

    def plan_member(
        self, ctx: Context, snapshot: Snapshot, member: Member, number: int | None
    ) -> list[Op]:
        timeline = Timeline.of(ctx.config, member)
        if ctx.now < timeline.due(Step.OPEN):
            return []
        issue = onboarding_issue(snapshot, timeline)
        if issue is None:
            if number is not None or ctx.now >= timeline.due(Step.CLOSE):
                return []  # openings are the schedule's, and never after day 97
            opening = open_issue(ctx, timeline)
            if opening.is_done(snapshot):  # its body changed and its history was not read
                self._notices.append(f"onboarding of @{member.login}: {UNVERIFIED}")
                return []
            return [LABEL_OP, opening]
        if number is not None and issue.number != number:
            return []
        text = writers_text(snapshot, issue, timeline)
        if text is None:
            self._notices.append(f"onboarding #{issue.number}: {UNVERIFIED}")
            return []
        return Onboarding(ctx, snapshot, issue, timeline).ops(text)
