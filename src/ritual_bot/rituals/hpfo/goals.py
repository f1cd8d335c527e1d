"""A newcomer's 1-month onboarding goals carried into their check-ins until day 30 (SPEC §9).

**Carried like last week's objectives.** A check-in that opens before the newcomer's day-30
check lists the 1-month goals not yet met under Objectives, each as an unticked box marked
"(onboarding goal, by 2027-01-06)", with a link to the onboarding issue. The goals are read as
the newcomer and the buddy last saved them (``newcomers.goals.writers_text``: an edit by anyone
else counts for nothing), from the issue the bot opened for them (``newcomers.issue``). A goal met
(ticked there) is no longer an objective, so it is not carried; from day 30 nothing is.

**Focus check** (SPEC §8). A goal may name a key result (``(KR1.1)``, ``[KR1.1]``, ``#KR1.1``).
The goals carried into a check-in are that week's objectives whatever the newcomer writes: the
digest adds them to the answer's objectives once each (``with_goals``: a body answer that kept
them does not count them twice), in its list by member and in the focus check alike. They are
read from the check-in body as the bot first wrote it (``Snapshot.original_body``), so a comment
answer need not repeat them and a body answer that deleted them still has them. When that first
revision is unknown (the body was edited and its history not read) no goal is added.

**Welcome.** The digest welcomes each member in their first week (``welcomed``): joined in the
seven days that end on the digest's day.

**Cost.** Goals are read only on the runs that open a newcomer's check-in (the two hours after
their opening moment, as ``hpfo.okrs`` reads key results) while some newcomer is before day 30: one
listing of onboarding issues, and the edit history of their bodies in the run's one GraphQL
request for histories. Every other run, and every Monday without a newcomer, costs what it did;
a check-in a later catch-up run opens goes without the goals.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ritual_bot.answers import Item, parse_answer
from ritual_bot.config import Config, Member
from ritual_bot.markdown import cut, one_line
from ritual_bot.model import Snapshot
from ritual_bot.periods import Period, due_at, local_period
from ritual_bot.rituals.base import Context, IssueQuery
from ritual_bot.rituals.hpfo.core import Checkin, answer_area
from ritual_bot.rituals.hpfo.okrs import OPENING_WINDOW
from ritual_bot.rituals.newcomers.goals import read_goals, writers_text
from ritual_bot.rituals.newcomers.issue import listing, onboarding_issue
from ritual_bot.rituals.newcomers.timeline import Checklist, Step, Timeline, newcomers

# A carried list is a reminder: it stays short whatever was written (as ``answers``' carry-over).
MAX_GOALS = 25
MAX_GOAL_CHARS = 300
# The mark the check-in template puts after a carried goal, in any language: "_(…)_" at the end.
SUNDAY = timedelta(days=6)  # from a week's Monday
_MARK = re.compile(r"\s*_\([^()]*\)_\s*$")


@dataclass(frozen=True)
class CarriedGoals:
    """What a check-in carries of its newcomer's onboarding: the goals, by when, and where."""

    items: tuple[Item, ...]
    by: str  # the 1-month target date, ISO
    url: str  # the onboarding issue

    def __bool__(self) -> bool:
        return bool(self.items)


NO_GOALS = CarriedGoals((), "", "")


def timeline_of(config: Config, member: Member) -> Timeline | None:
    """The member's onboarding timeline while the ritual is on; None for anyone else, and for a
    ``joined`` that cannot be dated (the onboarding ritual reports it)."""
    if member.joined is None or not config.onboarding.enabled:
        return None
    try:
        return Timeline.of(config, member)
    except (ValueError, OverflowError):
        return None


def before_day_30(timeline: Timeline, at: datetime) -> bool:
    return timeline.due(Step.OPEN) <= at < timeline.due(Step.MONTH1)


def _opening_newcomers(ctx: Context) -> list[Timeline]:
    """Newcomers before day 30 whose check-in opened within the window before now."""
    if not ctx.event.is_scheduled or not ctx.config.hpfo.enabled:
        return []
    found = []
    for member in newcomers(ctx.config):
        timeline = timeline_of(ctx.config, member)
        if timeline is None or not before_day_30(timeline, ctx.now):
            continue
        opens = due_at(local_period(ctx.now, member.zone), ctx.config.hpfo.day,
                       ctx.config.hpfo.time, member.zone)  # fmt: skip
        if opens <= ctx.now < opens + OPENING_WINDOW:
            found.append(timeline)
    return found


def goals_query(ctx: Context) -> IssueQuery | None:
    """The onboarding listing, on the runs that open a newcomer's check-in before day 30."""
    return listing(ctx.now) if _opening_newcomers(ctx) else None


def goals_histories(ctx: Context, snapshot: Snapshot) -> Collection[str]:
    """The edited bodies of those newcomers' onboarding issues: whose text they are."""
    found = set()
    for timeline in _opening_newcomers(ctx):
        issue = onboarding_issue(snapshot, timeline)
        if issue is not None and not issue.untouched and issue.node_id:
            found.add(issue.node_id)
    return found


def carried_goals(ctx: Context, snapshot: Snapshot, member: Member) -> CarriedGoals:
    """The newcomer's 1-month goals not yet met, for the check-in opening now."""
    timeline = timeline_of(ctx.config, member)
    if timeline is None or not before_day_30(timeline, ctx.now):
        return NO_GOALS
    issue = onboarding_issue(snapshot, timeline)
    text = writers_text(snapshot, issue, timeline) if issue is not None else None
    if issue is None or text is None:
        return NO_GOALS
    goals = read_goals(text, timeline).of(Checklist.MONTH1)
    items = tuple(
        Item(cut(one_line(goal.text), MAX_GOAL_CHARS), False) for goal in goals if not goal.met
    )
    by = timeline.target(Checklist.MONTH1).isoformat()
    return CarriedGoals(items[:MAX_GOALS], by, issue.html_url)


def without_goals(carried: Sequence[Item], goals: CarriedGoals) -> tuple[Item, ...]:
    """Last week's objectives minus the goals carried again this week: a newcomer who answered
    in the body and kept the goals there would otherwise see each twice."""
    texts = {item.text for item in goals.items}
    return tuple(item for item in carried if _MARK.sub("", item.text) not in texts)


# --- The focus check ------------------------------------------------------------------------------


def goals_in(config: Config, snapshot: Snapshot, checkin: Checkin) -> tuple[str, ...]:
    """The goals the bot carried into a check-in: the objectives of its body as first written
    (the template's Objectives hold nothing else). Read only for a newcomer's weeks before day
    30, so a team's digest parses no other body."""
    member = config.member(checkin.member)
    timeline = timeline_of(config, member) if member is not None else None
    if timeline is None or not _may_carry(timeline, checkin.period):
        return ()
    original = checkin.original or snapshot.original_body(checkin.issue)
    answer = parse_answer(answer_area(original)) if original is not None else None
    return tuple(item.text for item in answer.objectives) if answer else ()


def _may_carry(timeline: Timeline, period: Period) -> bool:
    """Whether a check-in of ``period`` can have opened between day 0 and day 30: the week
    overlaps those days (a cheap guard; the body as first written says what was carried)."""
    monday = period.monday()
    return timeline.day(Step.OPEN) <= monday + SUNDAY and monday <= timeline.day(Step.MONTH1)


def with_goals(answered: Sequence[Item], goals: Sequence[str]) -> tuple[Item, ...]:
    """The week's objectives as the digest tells and counts them: the answer's, then each
    carried goal the answer does not already hold (a body answer that kept them)."""
    seen = {item.text for item in answered}
    return (*answered, *(Item(goal, False) for goal in goals if goal not in seen))


# --- The digest's welcome -------------------------------------------------------------------------


@dataclass(frozen=True)
class Welcome:
    login: str
    joined: str  # ISO date
    buddy: str  # "" without one


def welcomed(config: Config, digest_day: date) -> list[Welcome]:
    """Members in their first week on the digest's day: ``joined`` in the seven days ending on
    it (team timezone). Those windows follow each other week after week, so each newcomer is
    welcomed by exactly one digest, from its first text on (its final rewrite says the same),
    and on a day of their first week: the day they join, at the latest six days after."""
    found = []
    for member in config.newcomers:
        joined = member.joined
        if joined is not None and digest_day - SUNDAY <= joined <= digest_day:
            buddy = config.member(member.buddy) if member.buddy else None
            name = buddy.login if buddy else (member.buddy or "")
            found.append(Welcome(member.login, joined.isoformat(), name))
    return sorted(found, key=lambda w: (w.joined, w.login.casefold()))
