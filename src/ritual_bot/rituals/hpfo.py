"""Weekly HPFO check-ins (SPEC §3): one issue per member and ISO week, opened on their local day.

Each check-in issue carries the marker ``hpfo-checkin member=<login> period=<YYYY-Www>``; that
marker, found among the issues listed by the managed label, is what makes opening idempotent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ritual_bot.answers import HpfoAnswer, Item, latest_answer, objectives_checklist
from ritual_bot.config import Config, Member
from ritual_bot.markers import Marker, find_markers, first_marker
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.ops import CreateIssue, EnsureLabel, Op
from ritual_bot.periods import Period, due_at, local_period
from ritual_bot.rituals.base import Context, Event, IssueQuery
from ritual_bot.templates import Templates

MANAGED_LABEL = "ritual:hpfo"
LABEL_COLOR = "1d76db"
LABEL_DESCRIPTION = "Weekly HPFO check-in, managed by ritual-bot"
CHECKIN = "hpfo-checkin"
PRISTINE = "pristine"
# Long enough to see last week's check-in from a catch-up run late in this week, in any timezone.
LOOKBACK = timedelta(days=16)


@dataclass(frozen=True)
class Checkin:
    """A check-in issue the bot opened, as read from the snapshot."""

    issue: Issue
    member: str
    period: Period


def checkins(snapshot: Snapshot) -> list[Checkin]:
    """The bot's check-in issues; a marker in an issue someone else wrote does not count."""
    found = []
    for issue in snapshot.issues:
        if not snapshot.is_bot_author(issue.author):
            continue
        marker = first_marker(issue.body, CHECKIN)
        member, period = (marker.get("member"), marker.get("period")) if marker else (None, None)
        if member and period:
            try:
                found.append(Checkin(issue, member, Period.parse(period)))
            except ValueError:
                continue  # a damaged marker is not a check-in
    return found


def find_checkin(found: Sequence[Checkin], login: str, period: Period) -> Checkin | None:
    return next(
        (c for c in found if c.period == period and c.member.casefold() == login.casefold()),
        None,
    )


# --- Reading an answer ---------------------------------------------------------------------------


def answer_area(body: str) -> str:
    """The body as the member sees it: without the bot's hidden markers."""
    for marker in find_markers(body):
        body = body.replace(marker.render(), "")
    return body.strip()


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def body_was_edited(body: str) -> bool:
    """Whether someone changed the check-in body since the bot wrote it.

    The bot records a fingerprint of the body it wrote; an unchanged body (empty sections, the
    carried-over boxes unticked) is not an answer.
    """
    pristine = first_marker(body, PRISTINE)
    return pristine is None or pristine.get("sha") != _fingerprint(answer_area(body))


def member_answer(checkin: Checkin, comments: Sequence[Comment]) -> HpfoAnswer | None:
    """The member's latest answer: from their comments as they read now, else the edited body."""
    texts = [checkin.issue.body] if body_was_edited(checkin.issue.body) else []
    ordered = sorted(comments, key=lambda c: (c.created_at, c.id))
    texts += [c.body for c in ordered if c.author.same(checkin.member)]
    return latest_answer(texts)


# --- Opening -------------------------------------------------------------------------------------


def is_due(member: Member, config: Config, now: datetime) -> Period | None:
    """The member's current period if its check-in is due now, else None."""
    zone = member.zone
    period = local_period(now, zone)
    if now < due_at(period, config.hpfo.day, config.hpfo.time, zone):
        return None
    if member.is_away(now.astimezone(zone).date()):
        return None  # SPEC §2: no check-in opened while away
    return period


def render_checkin(
    templates: Templates,
    member: Member,
    period: Period,
    previous: Checkin | None,
    carried: Sequence[Item],
) -> str:
    marker = Marker.of(CHECKIN, member=member.login, period=str(period))
    text = templates.render(
        "hpfo_checkin.md.j2",
        login=member.login,
        period=str(period),
        week_of=period.monday().isoformat(),
        previous=previous.issue if previous else None,
        carried=carried,
    )
    body = f"{marker.render()}\n{text.strip()}\n"
    sha = _fingerprint(answer_area(body))
    return f"{body}{Marker.of(PRISTINE, sha=sha).render()}\n"


def open_checkin(
    ctx: Context, snapshot: Snapshot, found: Sequence[Checkin], member: Member, period: Period
) -> CreateIssue:
    previous = find_checkin(found, member.login, period.previous())
    carried: tuple[Item, ...] = ()
    if previous is not None:
        answer = member_answer(previous, snapshot.comments_on(previous.issue.number))
        carried = objectives_checklist(answer) if answer else ()
    hpfo = ctx.config.hpfo
    return CreateIssue(
        marker=Marker.of(CHECKIN, member=member.login, period=str(period)),
        title=hpfo.title.format(period=period, login=member.login),
        body=render_checkin(ctx.templates, member, period, previous, carried),
        labels=(*hpfo.labels, MANAGED_LABEL),
        assignees=(member.login,),
    )


def plan_openings(ctx: Context, snapshot: Snapshot) -> list[Op]:
    found = checkins(snapshot)
    ops: list[Op] = []
    for member in ctx.config.members:
        period = is_due(member, ctx.config, ctx.now)
        if period is not None and find_checkin(found, member.login, period) is None:
            ops.append(open_checkin(ctx, snapshot, found, member, period))
    if ops:
        ops.insert(0, EnsureLabel(MANAGED_LABEL, LABEL_COLOR, LABEL_DESCRIPTION))
    return ops


# --- The ritual ----------------------------------------------------------------------------------


class HpfoRitual:
    name = "hpfo"

    def handles(self, event: Event) -> bool:
        return event.is_scheduled

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        if not ctx.config.hpfo.enabled:
            return ()
        return (IssueQuery(MANAGED_LABEL, since=ctx.now - LOOKBACK),)

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        """Comments are read only for last week's check-ins of members whose new one opens now."""
        found = checkins(listed)
        wanted = set()
        for member in ctx.config.members:
            period = is_due(member, ctx.config, ctx.now)
            if period is None or find_checkin(found, member.login, period) is not None:
                continue
            previous = find_checkin(found, member.login, period.previous())
            if previous is not None and previous.issue.comments_count > 0:
                wanted.add(previous.issue.number)
        return wanted

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        if not ctx.config.hpfo.enabled:
            return []
        return plan_openings(ctx, snapshot)
