"""Weekly HPFO check-ins (SPEC §3): the whole cycle of one week, planned from one snapshot.

- open one issue per member and ISO week on their local day and time, carrying last week's
  objectives over;
- remind once a member silent for ``remind_after``;
- close last week's issue when the new week opens, with a summary in the same request; ``/skip``
  by the member closes it at once, anyone else's ``/skip`` gets one reply;
- open this week's team digest on its day from the answers so far, rewrite it once when the
  week's check-ins have all closed, and close the previous one (``hpfo.digest``).

Everything is derived from the issues listed by label and their comments as they read now, and
deduplicated by markers the bot wrote (SPEC §7): a rerun at any point changes nothing. Which
issue is whose rests on what a person cannot rewrite (``hpfo.identity``): a plan that writes is
made from verified identities, read from the edit histories the runner fetches on request
(``HpfoRitual.edits_for``), and a damaged marker is put back in the same run.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from ritual_bot.activity import expiry_notice, schedule_expiry
from ritual_bot.answers import Item, objectives_checklist
from ritual_bot.config import Config, Member
from ritual_bot.markers import Marker
from ritual_bot.model import EditHistory, Issue, Snapshot
from ritual_bot.moments import Due
from ritual_bot.ops import CreateIssue, EnsureLabel, Op, UpdateIssue, after, pending
from ritual_bot.partial import PartialPlan, Stages
from ritual_bot.periods import Period, due_at, local_period
from ritual_bot.rituals.base import Context, Event, IssueQuery
from ritual_bot.rituals.hpfo.core import (
    DIGEST_LABEL,
    MANAGED_LABEL,
    Checkin,
    CheckinIndex,
    Kind,
    answer_area,
    answered_in_body,
    checkins,
    find_checkin,
    fingerprint,
    member_answer,
)
from ritual_bot.rituals.hpfo.digest import (
    digest_period,
    digests_listed_from,
    digests_to_read,
    plan_digest,
    writes_digest_text,
)
from ritual_bot.rituals.hpfo.goals import (
    NO_GOALS,
    CarriedGoals,
    carried_goals,
    goals_histories,
    goals_query,
    without_goals,
)
from ritual_bot.rituals.hpfo.identity import Resolution, candidates, resolve, touched
from ritual_bot.rituals.hpfo.moments import due_on, quiet_since
from ritual_bot.rituals.hpfo.okrs import (
    KrLine,
    key_results_for,
    okr_bodies,
    okr_query,
    unknown_kr_histories,
    unknown_kr_replies,
)
from ritual_bot.rituals.hpfo.remind import reminder, reminder_due, skip_refused
from ritual_bot.rituals.hpfo.summary import closing_op, has_summary, read_closed
from ritual_bot.rituals.hpfo.thread import ThreadView, could_skip, read_thread
from ritual_bot.templates import Templates

__all__ = [
    "CHECKIN",
    "DIGEST_LABEL",
    "MANAGED_LABEL",
    "Checkin",
    "HpfoRitual",
    "checkins",
    "find_checkin",
    "member_answer",
]

CHECKIN = Kind.CHECKIN.value
LABEL_COLOR = "1d76db"
LABEL_DESCRIPTION = "Weekly HPFO check-in, managed by ritual-bot"
# Long enough to see last week's check-in from a catch-up run late in this week, in any timezone.
LOOKBACK = timedelta(days=16)
# Issues a page of a listing holds (the gateway asks for GitHub's maximum): two weeks of a
# team's check-ins and digests fit in one up to 49 members.
PAGE = 100
# issue_comment actions that can add or change a /skip
# (https://docs.github.com/webhooks/webhook-events-and-payloads#issue_comment).
COMMENT_ACTIONS = frozenset({"created", "edited"})


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
    *,
    mention: bool = False,
    key_results: Sequence[KrLine] = (),
    goals: CarriedGoals = NO_GOALS,
) -> str:
    """The check-in body; ``mention``: the member cannot be assigned on GitHub (see
    ``ops.CreateIssue.unassigned``), so the body opens with a line that mentions them, counted
    in the pristine fingerprint so that it is never read as an answer."""
    marker = Marker.of(Kind.CHECKIN, member=member.login, period=str(period))
    text = templates.render(
        "hpfo_checkin.md.j2",
        login=member.login,
        period=str(period),
        week_of=period.monday().isoformat(),
        previous=previous.issue if previous else None,
        carried=carried,
        key_results=key_results,
        goals=goals.items,
        goals_by=goals.by,
        onboarding_url=goals.url,
    )
    cc = f"cc @{member.login}\n\n" if mention else ""
    body = f"{marker.render()}\n{cc}{text.strip()}\n"
    sha = fingerprint(answer_area(body))
    return f"{body}{Marker.of(Kind.PRISTINE, sha=sha).render()}\n"


def carried_over(snapshot: Snapshot, previous: Checkin | None) -> tuple[Item, ...]:
    """Last week's objectives: from its summary once closed, else from the thread."""
    if previous is None:
        return ()
    if has_summary(previous.issue, previous.period):
        answer = read_closed(previous).answer
    else:
        answer = member_answer(previous, snapshot.comments_on(previous.issue.number))
    return objectives_checklist(answer) if answer else ()


def open_checkin(
    ctx: Context, snapshot: Snapshot, found: CheckinIndex, member: Member, period: Period
) -> CreateIssue:
    previous = found.find(member.login, period.previous())
    hpfo = ctx.config.hpfo
    goals = carried_goals(ctx, snapshot, member)
    carried = without_goals(carried_over(snapshot, previous), goals)
    krs = key_results_for(ctx.config, snapshot, member, period)
    return CreateIssue(
        marker=Marker.of(Kind.CHECKIN, member=member.login, period=str(period)),
        # As text, like `validate` renders it: a format spec ({period:>10}) then works the same.
        title=hpfo.title.format(period=str(period), login=member.login),
        body=render_checkin(
            ctx.templates, member, period, previous, carried, key_results=krs, goals=goals
        ),
        labels=(*hpfo.labels, MANAGED_LABEL),
        assignees=(member.login,),
        unassigned_body=render_checkin(
            ctx.templates,
            member,
            period,
            previous,
            carried,
            mention=True,
            key_results=krs,
            goals=goals,
        ),
    )


def plan_openings(ctx: Context, snapshot: Snapshot, known: Resolution | None = None) -> list[Op]:
    """Open what is due and missing; an issue whose identity is unknown may be the member's week
    (``Resolution.holds_checkin``), so it holds the opening back rather than risk a duplicate."""
    known = known or resolve(ctx.config, snapshot)
    found = CheckinIndex(known.checkins)
    due = []
    for member in ctx.config.members:
        period = is_due(member, ctx.config, ctx.now)
        if period is None or found.find(member.login, period) is not None:
            continue
        if not known.holds_checkin(member.login, period):
            due.append((member, period))
    stages = Stages()  # one member whose check-in cannot be planned is reported alone
    for member, period in due:
        stages.run(
            f"HPFO check-in of @{member.login}",
            partial(open_checkin_ops, ctx, snapshot, found, member, period),
        )
    label = EnsureLabel(MANAGED_LABEL, LABEL_COLOR, LABEL_DESCRIPTION)
    return stages.result(lambda ops: [label, *ops] if ops else ops)


def open_checkin_ops(
    ctx: Context, snapshot: Snapshot, found: CheckinIndex, member: Member, period: Period
) -> list[Op]:
    return [open_checkin(ctx, snapshot, found, member, period)]


# --- The open weeks: closing, reminders, /skip ---------------------------------------------------


def thread_view(snapshot: Snapshot, checkin: Checkin) -> ThreadView:
    comments = snapshot.comments_on(checkin.issue.number)
    return read_thread(checkin.issue, checkin.member, comments, lambda: answered_in_body(checkin))


def week_is_over(config: Config, checkin: Checkin, now: datetime) -> bool:
    """A week ends when the member's next one opens (their day and time, away or not)."""
    member = config.member(checkin.member)
    zone = member.zone if member else ZoneInfo(config.timezone)
    return now >= due_at(checkin.period.next(), config.hpfo.day, config.hpfo.time, zone)


def plan_open_weeks(
    ctx: Context, snapshot: Snapshot, known: Resolution | None = None, only: int | None = None
) -> list[Op]:
    """Reminders and refused /skip replies, then closings, for open check-ins.

    Closing is the last write to an issue: a run interrupted after it would never come back to
    the issue (closed check-ins are not read again), so a reply planned after it would be lost.

    ``only``: an event run looks at its own issue, and only at /skip there.
    """
    stages = Stages()  # one check-in that cannot be planned is reported alone (SPEC §7)
    for checkin in (known or resolve(ctx.config, snapshot)).checkins:
        if only not in (None, checkin.issue.number):
            continue
        if has_summary(checkin.issue, checkin.period):
            continue  # the bot closed it once and a person reopened it: theirs now
        stages.run(
            f"HPFO check-in #{checkin.issue.number}",
            partial(open_week_ops, ctx, snapshot, checkin, only),
        )
    return stages.result()


def open_week_ops(ctx: Context, snapshot: Snapshot, checkin: Checkin, only: int | None) -> list[Op]:
    """One check-in's replies and reminder, then its closing (its last write)."""
    view = thread_view(snapshot, checkin)
    if not checkin.issue.is_open:
        # A person closed it before the bot did: its state comes from its content (SPEC §3),
        # so the scheduled run writes the summary (and the outcome's reason) all the same.
        return [closing_op(ctx.templates, checkin, view)] if only is None else []
    ops: list[Op] = [skip_refused(ctx.templates, checkin, c) for c in view.denied_skips]
    over = only is None and week_is_over(ctx.config, checkin, ctx.now)
    if view.skip is not None or over:
        ops.append(closing_op(ctx.templates, checkin, view))
    elif only is None and reminder_due(ctx.config, checkin, view, ctx.now):
        ops.append(reminder(ctx.templates, checkin))
    return ops


def may_hold_skip(payload: Mapping[str, object]) -> bool:
    """Whether the event's comment has "/skip" anywhere (``hpfo.thread`` reads where it counts);
    a payload without a comment body is read in full rather than guessed about."""
    comment = payload.get("comment")
    body = comment.get("body") if isinstance(comment, Mapping) else None
    return not isinstance(body, str) or could_skip(body)


# --- The ritual ----------------------------------------------------------------------------------

# The earliest UTC offset (Pacific/Kiritimati, UTC+14): local Mondays start up to this early.
EARLIEST_OFFSET = timedelta(hours=14)


def listing_start(ctx: Context) -> datetime:
    """Where the newest-first check-in listing can stop: the start of the previous week of the
    member furthest behind. Every run needs the current and previous weeks (dedup, closing,
    carry-over, the digest of last week); the previous digest is created within that span too.
    Older weeks would only add pages: without this, a digest run read three weeks of issues.
    """
    zones = [member.zone for member in ctx.config.members] or [ZoneInfo(ctx.config.timezone)]
    earliest = min(local_period(ctx.now, zone) for zone in zones)
    monday = datetime.combine(earliest.previous().monday(), time(0), tzinfo=UTC)
    return monday - EARLIEST_OFFSET


def listed_from(ctx: Context) -> datetime:
    """Where the listing stops: ``listing_start``, or earlier when the digests the digest plan
    reads were opened before it (``hpfo.digest.digests_listed_from``: the week before's digest
    opens in that week, not in the next)."""
    start = listing_start(ctx)
    digests = digests_listed_from(ctx.config, ctx.now)
    return start if digests is None else min(start, digests)


class HpfoRitual:
    """The ritual; one instance serves one run.

    A run asks for the identities (``resolve``) four times and for the plan twice (``edits_for``
    plans to know whether anything would be written), mostly from the same reads: each is kept
    for the last inputs it was computed from, so a run pays for each once (issue 11). The plan
    is kept per context and snapshot, compared by identity (both are immutable); identities per
    config and what ``resolve`` reads of a snapshot (its issues, the bot's login, the edit
    histories), so the listing and the snapshot with comments share one resolution.
    """

    name = "hpfo"

    def __init__(self) -> None:
        self._resolved: tuple[Config, _IdentityInputs, Resolution] | None = None
        self._planned: tuple[Context, Snapshot, list[Op]] | None = None

    def _resolve(self, config: Config, snapshot: Snapshot) -> Resolution:
        inputs = _IdentityInputs(snapshot.issues, snapshot.bot_login, snapshot.edits)
        last = self._resolved
        if last is None or last[0] is not config or not last[1].same(inputs):
            last = self._resolved = (config, inputs, resolve(config, snapshot))
        return last[2]

    def due_on(self, config: Config, day: date) -> Iterator[Due]:
        return due_on(config, day)

    def handles(self, event: Event) -> bool:
        if event.is_scheduled:
            return True
        # "/skip closes now": a comment that can hold a /skip is handled at once. Any other
        # comment (an answer, a reply) is read by the next scheduled run, which reads every open
        # check-in anyway: its event job costs no request (issue 11: at 200 members, event jobs
        # were most of a week's requests, each listing every check-in for nothing).
        return (
            event.name == "issue_comment"
            and event.action in COMMENT_ACTIONS
            and may_hold_skip(event.payload)
        )

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        if not ctx.config.hpfo.enabled:
            return ()
        # Digests carry the managed label too: one listing finds check-ins and digests.
        found = [
            IssueQuery(MANAGED_LABEL, since=ctx.now - LOOKBACK, created_after=listed_from(ctx))
        ]
        okrs = okr_query(ctx)  # a member's key results, on the runs that open check-ins
        goals = goals_query(ctx)  # a newcomer's onboarding goals, on the runs that open theirs
        return found + [q for q in (okrs, goals) if q is not None]

    def quiet_probe(self, ctx: Context) -> IssueQuery | None:
        """Between the runs of its moments (``moments.quiet_since``) nothing of HPFO falls due:
        a cron run then reads only the check-ins changed since the last run that read them all,
        and plans nothing if there are none. A manual run (a person asked: after a config
        change, say) and event runs read everything. So does a small team: its whole read is
        one page of check-ins (and one of comments), so the probe would save nothing and cost a
        request when something changed (SPEC §7: at most 3 requests with nothing due)."""
        if ctx.event.name != "schedule" or 2 * len(ctx.config.members) + 2 <= PAGE:
            return None
        since = quiet_since(ctx.config, ctx.now)
        return None if since is None else IssueQuery(MANAGED_LABEL, since=since)

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        """Open check-ins with comments (answers, /skip, reminders), and the previous week of
        a member whose new check-in opens now (carry-over). ``comments_count`` from the listing
        spares the read when an issue has none. Identities are not verified yet: every open bot
        HPFO issue whose identity is unknown is read too, in case it turns out to be a check-in
        (the listing of comments is repository-wide, so this costs no extra request)."""
        known = self._resolve(ctx.config, listed)
        event_issue = None if ctx.event.is_scheduled else ctx.event.issue_number
        issues = [c.issue for c in known.checkins] + [u.issue for u in known.unresolved]
        wanted = {
            issue.number
            for issue in issues
            if issue.comments_count > 0
            and event_issue in (None, issue.number)
            and (issue.is_open or (event_issue is None and not has_summary(issue)))
        }
        if event_issue is None:
            wanted |= _previous_weeks_to_carry(ctx, known.checkins)
            # A digest made final now may continue in comments, deduplicated by their markers.
            wanted |= digests_to_read(ctx.config, ctx.now, known.digests, listed_from(ctx))
        return wanted

    def edits_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        """Verify before any write that depends on identity (``hpfo.identity``, rule 3).

        Nothing is asked when every bot HPFO issue is plausible and the plan made from them
        writes nothing: idle runs stay at their budget. Otherwise the histories of every touched
        bot HPFO issue in the listing (this week's and last week's) are asked for at once.
        """
        if not ctx.config.hpfo.enabled:
            return ()
        known = self._resolve(ctx.config, snapshot)
        okrs = set(okr_bodies(ctx, snapshot)) | unknown_kr_histories(ctx, snapshot, known.checkins)
        okrs |= set(goals_histories(ctx, snapshot))
        calm = not known.unresolved
        if calm and not pending(self._planned_ops(ctx, snapshot), snapshot):
            return okrs
        return set(touched(snapshot, candidates(snapshot))) | okrs

    def notices(self, ctx: Context, snapshot: Snapshot) -> Sequence[str]:
        """Issues whose identity could not be verified (no history), and a schedule GitHub is
        about to turn off: said in the step summary."""
        if not ctx.config.hpfo.enabled:
            return ()
        found = [u.describe() for u in self._resolve(ctx.config, snapshot).unresolved]
        expires = schedule_expiry(snapshot.repository, ctx.now)
        return found + ([expiry_notice(expires)] if expires else [])

    def needs_repository(self, ctx: Context, snapshot: Snapshot) -> bool:
        """Only on the runs that write a digest's text (it opens, it is made final): whether
        GitHub is about to turn the schedule off (a public repository without a push for 53
        days) is said there."""
        if not ctx.config.hpfo.enabled or digest_period(ctx.config, ctx.now) is None:
            return False
        found = self._resolve(ctx.config, snapshot).digests
        return any(
            writes_digest_text(op, found)
            for op in pending(self._planned_ops(ctx, snapshot), snapshot)
        )

    def _planned_ops(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        """What the plan writes, for the hooks that ask before it is made; items that cannot be
        planned are reported once, by the plan itself."""
        try:
            return self.plan(ctx, snapshot)
        except PartialPlan as partial:
            return partial.ops

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        last = self._planned
        if last is None or last[0] is not ctx or last[1] is not snapshot:
            last = self._planned = (ctx, snapshot, self._plan(ctx, snapshot))
        return list(last[2])

    def _plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        if not ctx.config.hpfo.enabled:
            return []
        known = self._resolve(ctx.config, snapshot)
        # One member's check-in, or one stage, that fails is reported; the rest go on (SPEC §7).
        stages = Stages()
        if not ctx.event.is_scheduled:
            number = ctx.event.issue_number
            stages.run("HPFO", lambda: plan_open_weeks(ctx, snapshot, known, only=number))
            return stages.result(lambda ops: with_repairs(known, ops))
        # Replies before closings: closing is the last write to a check-in (plan_open_weeks).
        stages.run("HPFO replies", lambda: [*unknown_kr_replies(ctx, snapshot, known.checkins)])
        stages.run("HPFO open weeks", lambda: plan_open_weeks(ctx, snapshot, known))
        stages.run("HPFO openings", lambda: plan_openings(ctx, snapshot, known))

        def digest() -> list[Op]:
            settled = after(snapshot, [*known.repairs, *stages.ops])
            issues = [settled.issue(c.issue.number) or c.issue for c in known.checkins]
            found = [replace(c, issue=i) for c, i in zip(known.checkins, issues, strict=True)]
            return plan_digest(ctx, settled, found, known, listed_from(ctx))

        stages.run("HPFO digest", digest)
        return stages.result(lambda ops: with_repairs(known, ops))


@dataclass(frozen=True)
class _IdentityInputs:
    """All ``hpfo.identity.resolve`` reads of a snapshot."""

    issues: tuple[Issue, ...]
    bot_login: str
    edits: Mapping[str, EditHistory]

    def same(self, other: _IdentityInputs) -> bool:
        return (
            self.issues is other.issues
            and self.bot_login == other.bot_login
            and self.edits == other.edits
        )


def with_repairs(known: Resolution, ops: Sequence[Op]) -> list[Op]:
    """Repairs first; a repair rides in a later body update of the same issue when there is one
    (the closing PATCH is built on the repaired body), so it costs no request of its own."""
    rewritten = {op.number for op in ops if isinstance(op, UpdateIssue) and op.body is not None}
    return [op for op in known.repairs if op.number not in rewritten] + list(ops)


def _previous_weeks_to_carry(ctx: Context, found: Sequence[Checkin]) -> set[int]:
    wanted = set()
    index = CheckinIndex(found)
    for member in ctx.config.members:
        period = is_due(member, ctx.config, ctx.now)
        if period is None or index.find(member.login, period) is not None:
            continue
        previous = index.find(member.login, period.previous())
        readable = previous is not None and not has_summary(previous.issue, previous.period)
        if readable and previous is not None and previous.issue.comments_count > 0:
            wanted.add(previous.issue.number)
    return wanted
