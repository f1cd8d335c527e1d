"""The weekly check-in inside HPFO (SPEC §8): a member's check-in lists the key results they own
this quarter with the last value recorded, and asks for the new one as ``KR1.1: 38% 🟢`` lines.

What a member owns comes from the committed plans (their personal plan, and the plans of the
team groups they are in) and the last values from the quarter's ledger in the tracker: both are
records the OKR ritual writes (``keyresults.ledger``), read here as the bot wrote them. They are
read only on the runs that open check-ins (the hour after a member's opening moment), so idle runs
cost what they did; a check-in opened later by a catch-up run goes without the list.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ritual_bot.answers import parse_answer
from ritual_bot.config import Config, Member
from ritual_bot.markers import Marker, first_marker
from ritual_bot.model import Comment, Snapshot
from ritual_bot.ops import AddComment
from ritual_bot.periods import Period, due_at, local_period
from ritual_bot.rituals.base import Context, IssueQuery
from ritual_bot.rituals.hpfo.core import Checkin, Kind
from ritual_bot.rituals.keyresults.ledger import (
    committed_plans,
    okr_listing,
    quarter_ledger,
    tracker_identity,
)
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.rituals.keyresults.text import format_quantity
from ritual_bot.rituals.keyresults.values import kr_references
from ritual_bot.rituals.signoff.thread import Authorship, version

# How long after a member's opening moment the run reads OKRs (the opening run and its catch-up).
OPENING_WINDOW = timedelta(hours=2)


@dataclass(frozen=True)
class KrLine:
    """One key result a member reports on: its id, words, owner and last recorded value."""

    id: str
    text: str
    owner: str
    last: str  # "38% 🟢 on 2027-01-20", or "" before the first value
    at: datetime | None = None  # when the last value was written


def opening_now(config: Config, now: datetime) -> bool:
    """Whether some member's check-in opens within the window before ``now``."""
    for member in config.members:
        period = local_period(now, member.zone)
        opens = due_at(period, config.hpfo.day, config.hpfo.time, member.zone)
        if opens <= now < opens + OPENING_WINDOW:
            return True
    return False


def okr_query(ctx: Context) -> IssueQuery | None:
    okrs = ctx.config.okrs
    if not okr_run(ctx):
        return None
    return okr_listing(okrs.label, okrs.quarter_start, ctx.now.date())


def okr_bodies(ctx: Context, snapshot: Snapshot) -> Collection[str]:
    """The OKR issues whose bodies are read as the bot wrote them: their edit histories."""
    if okr_query(ctx) is None:
        return ()
    label = ctx.config.okrs.label
    return {
        i.node_id
        for i in snapshot.issues
        if i.has_label(label) and snapshot.is_bot_author(i.author) and not i.untouched
    }


def key_results_for(
    config: Config, snapshot: Snapshot, member: Member, period: Period
) -> tuple[KrLine, ...]:
    """The member's KRs of the quarter the week starts in, with the last value of each."""
    if not config.okrs.active:
        return ()
    quarter = str(Quarter.of(period.monday(), config.okrs.quarter_start))
    ledger = quarter_ledger(snapshot, quarter)
    key = member.login.casefold()
    lines = []
    for plan in sorted(committed_plans(snapshot, quarter), key=lambda c: c.owner.casefold()):
        mine = plan.owner.casefold() == key
        team = config.member(plan.owner) is None and key in {
            m.casefold() for m in config.expand([plan.owner])
        }
        if not (mine or team):
            continue
        for kr in plan.plan.key_results():
            record = ledger.record(plan.owner, kr.id) if ledger else None
            last = ""
            if record is not None and record.value is not None and record.at is not None:
                mark = f" {record.confidence.value}" if record.confidence else ""
                last = f"{format_quantity(record.value)}{mark} on {record.at.date().isoformat()}"
            at = record.at if record is not None else None
            lines.append(KrLine(kr.id, kr.text, plan.owner, last, at))
    return tuple(lines)


# --- The focus check: an objective naming a KR the member does not own (SPEC §8) -------------


def okr_run(ctx: Context) -> bool:
    """Whether this run reads OKRs: a scheduled run in the hour after a member's check-in
    opens, or after the digest opens (the day after most answers, so an unknown id in one is
    answered then; no other run pays for the OKR listing)."""
    if not ctx.config.okrs.active or not ctx.event.is_scheduled:
        return False
    if opening_now(ctx.config, ctx.now):
        return True
    digest, zone = ctx.config.hpfo.digest, ZoneInfo(ctx.config.timezone)
    if digest is None:
        return False
    opens = due_at(local_period(ctx.now, zone), digest.day, digest.time, zone)
    return opens <= ctx.now < opens + OPENING_WINDOW


def linked(objectives: Iterable[str]) -> int:
    """How many objectives name a KR: ``(KR1.1)``, ``[KR1.1]`` or ``#KR1.1``."""
    return sum(1 for text in objectives if kr_references(text))


def referencing(comments: Iterable[Comment], member: str) -> list[Comment]:
    """The member's comments whose HPFO objectives name a KR."""
    found = []
    for comment in comments:
        if comment.author.is_bot or not comment.author.same(member):
            continue
        answer = parse_answer(comment.body)
        if answer is not None and any(kr_references(o.text) for o in answer.objectives):
            found.append(comment)
    return found


def unknown_ids(comment: Comment, owned: Iterable[KrLine]) -> tuple[str, ...]:
    """The KR ids the comment's objectives name that the member does not own, in order."""
    answer = parse_answer(comment.body)
    valid = {line.id for line in owned}
    named = [i for o in (answer.objectives if answer else ()) for _, i in kr_references(o.text)]
    return tuple(dict.fromkeys(i for i in named if i not in valid))


def unknown_kr_replies(
    ctx: Context, snapshot: Snapshot, checkins: Iterable[Checkin]
) -> list[AddComment]:
    """One reply per comment (and saved version) whose objectives name a KR the member does
    not own, listing their ids; only for members who own KRs, on the runs that read OKRs."""
    if not okr_run(ctx):
        return []
    replies = []
    # Whose text a comment is, as for every command (SPEC §4): its author's unless someone
    # else saved the version read now (the event, or the GraphQL history, says who).
    written = Authorship(ctx.event, snapshot, {})
    for checkin in checkins:
        member = ctx.config.member(checkin.member)
        if member is None or not checkin.issue.is_open:
            continue
        owned = key_results_for(ctx.config, snapshot, member, checkin.period)
        if not owned:
            continue
        for comment in referencing(snapshot.comments_on(checkin.issue.number), checkin.member):
            by = written(comment).by
            theirs = by is not None and comment.author.same(by)
            unknown = unknown_ids(comment, owned) if theirs else ()
            if not unknown:
                continue
            marker = Marker.of(Kind.KR_UNKNOWN, comment=str(comment.id), edit=version(comment))
            text = ctx.templates.render(
                "hpfo_kr_unknown.md.j2",
                author=checkin.member,
                unknown=list(unknown),
                valid=list(dict.fromkeys(line.id for line in owned)),
                url=comment.html_url,
            )
            body = f"{marker.render()}\n{text.strip()}\n"
            replies.append(AddComment(checkin.issue.number, marker, body))
    return replies


def unknown_kr_histories(ctx: Context, snapshot: Snapshot, checkins: Iterable[Checkin]) -> set[str]:
    """Edited member comments naming KRs, on OKR runs: who edited them decides (SPEC §4)."""
    if not okr_run(ctx):
        return set()
    return {
        c.node_id
        for checkin in checkins
        if checkin.issue.is_open
        for c in referencing(snapshot.comments_on(checkin.issue.number), checkin.member)
        if c.was_edited
    }


# --- The focus check in the digest (SPEC §8) -----------------------------------------------------

STALE_AFTER = timedelta(weeks=2)


@dataclass(frozen=True)
class Focus:
    """One member's week against their key results, as the digest tells it."""

    member: str
    linked: int  # objectives naming a KR
    objectives: int
    stale: tuple[str, ...]  # KRs with neither a linked objective nor an update for two weeks
    low: bool  # below ``focus_threshold`` this week
    flagged: bool = False  # ... and the week before too (the digest's own memory)


def focus_of(
    member: str,
    owned: Sequence[KrLine],
    objectives: Sequence[str],
    threshold: float,
    now: datetime,
) -> Focus:
    """Pure: the share of ``objectives`` naming a KR, and the KRs left alone for two weeks."""
    named = {ident for text in objectives for _, ident in kr_references(text)}
    share = linked(objectives)
    stale = tuple(
        dict.fromkeys(
            line.id
            for line in owned
            if line.id not in named and (line.at is None or now - line.at >= STALE_AFTER)
        )
    )
    low = bool(objectives) and share / len(objectives) < threshold
    return Focus(member, share, len(objectives), stale, low)


def focus_marker(period: Period, low: Iterable[str]) -> Marker:
    """The digest's memory of who was below the threshold in its week (``-``: nobody)."""
    return Marker.of(Kind.FOCUS, period=str(period), low="/".join(sorted(low)) or "-")


def recorded_low(body: str, period: Period) -> set[str]:
    """Who the bot recorded below the threshold in ``period``, from a digest body it wrote."""
    marker = first_marker(body, Kind.FOCUS)
    if marker is None or marker.get("period") != str(period):
        return set()
    return {login.casefold() for login in (marker.get("low") or "").split("/") if login != "-"}


def tracker_url(config: Config, snapshot: Snapshot, period: Period) -> str:
    """The tracker of the week's quarter, where the ``/okr change`` choice is made: found by the
    identity the bot gave it when it opened it, never by a label a person can add anywhere."""
    quarter = str(Quarter.of(period.monday(), config.okrs.quarter_start))
    found = [
        i for i in snapshot.issues if i.is_open and tracker_identity(snapshot, i) == quarter
    ]  # fmt: skip
    return found[0].html_url if found else ""
