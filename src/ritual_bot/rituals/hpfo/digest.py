"""The team digest: one issue per week, fresh on its day, made final once (SPEC §3, issue 12).

**When.** The digest of week W opens at ``hpfo.digest`` day and time *of week W*, in the team's
timezone (``opens_at``): it is the team's Monday read, so it cannot wait for the week to end (it
used to, and a fire reported on Monday reached the team eight days later). It tells the answers
given so far: a closed check-in from the summary in its body, an open one from its thread (the
comments of open check-ins are in every scheduled run's snapshot anyway, so this costs no
request). A member who has not answered yet, whose check-in has not opened yet (their local day
and time has not come), or whose check-in is still to be opened is **not yet**. The digest of W
is the current one until the digest of W+1 opens, which closes it with a "superseded by" note.

**Final, once.** Week W is final when every check-in of W is closed (each closes when that
member's W+1 opens, earlier on ``/skip`` or when the member closes it; ``closes_at`` is the
last of those openings) and no member can still get one. The first scheduled run that sees W
final rewrites the digest with the final participation: one PATCH, closing it too when the
digest of W+1 opens in the same run. A digest that is final when it opens is written final.

**How a digest says it is final** (and why no other record is needed): the hidden history marker
carries the participation of final weeks only; a final digest's marker carries its own week, a
provisional one's does not. So "final" and "its counts are in the chain the next digest reads"
are one fact and cannot disagree. People with write access can edit the bot's body (SPEC §7,
docs/reliability.md's threat model), and nothing here rests on that edit:

- identity stays with ``hpfo-digest period=…`` as the bot first wrote it (``hpfo.identity``); the
  history marker is no identity, and the final rewrite keeps the identity marker at the top, so a
  repair never rewrites a final body and the verification of digests works as before;
- an entry removed from a final digest gets it rewritten once more (the bot's body back), then it
  is final again: one write per edit, never a loop;
- an entry pasted into a provisional digest is believed only until the edit history is read: the
  run at the week's end opens the last member's next check-in, so it reads the histories anyway
  (``HpfoRitual.edits_for``), and there the bot's own last revision decides (``Snapshot.bot_body``).
  An idle run never reads a history for this: it stays at its budget.

**History.** Each digest's marker holds the final counts of the last weeks: the union of the
markers of the digests in the listing (a digest's own week from itself), completed by weeks whose
check-ins are all listed and closed. The listing reaches back to the digest before the current
one, and one further when the digest opens before the week before it is final (a digest day
earlier than some member's opening: ``digests_listed_from``), so a week's final counts always
reach the next digests. The chart adds the current week's provisional counts ("not yet" on top).

**Big teams.** A digest that does not fit GitHub's body limit even folded is continued in
comments, each with its own marker. The final rewrite edits none of them (a digest's comments
are written once), so a final text that needs them posts new ones marked ``version=final``
before the body that announces them (the body is the record that the digest is final, so it
goes last: a run killed in between posts only the missing parts next time, the digest's
comments being read on that run); the provisional ones stay, labelled provisional. Nothing
is lost, nothing repeats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ritual_bot.activity import schedule_expiry
from ritual_bot.answers import HpfoAnswer, Item
from ritual_bot.bodies import split_markdown
from ritual_bot.config import Config, Member
from ritual_bot.links import url_of
from ritual_bot.markers import Marker, first_marker
from ritual_bot.model import Issue, Snapshot
from ritual_bot.ops import AddComment, CreateIssue, EnsureLabel, Op, UpdateIssue
from ritual_bot.periods import Period, due_at, local_period
from ritual_bot.rituals.base import Context
from ritual_bot.rituals.hpfo.core import (
    DIGEST_LABEL,
    MANAGED_LABEL,
    Checkin,
    Digest,
    Kind,
    Outcome,
    answered_in_body,
)
from ritual_bot.rituals.hpfo.goals import goals_in, welcomed, with_goals
from ritual_bot.rituals.hpfo.okrs import (
    Focus,
    focus_marker,
    focus_of,
    key_results_for,
    linked,
    okr_run,
    recorded_low,
    tracker_url,
)
from ritual_bot.rituals.hpfo.summary import BODY_LIMIT, has_summary, read_closed
from ritual_bot.rituals.hpfo.thread import read_thread
from ritual_bot.rituals.mermaid import Series, stacked_bars
from ritual_bot.templates import Templates

if TYPE_CHECKING:
    from ritual_bot.rituals.hpfo.identity import Resolution

DIGEST_COLOR = "5319e7"
DIGEST_DESCRIPTION = "Weekly HPFO team digest, managed by ritual-bot"
HISTORY_WEEKS = 8
PART_ROOM = 200  # kept free in the digest's first part for the "continued below" line
TITLES = {"en": "HPFO digest {period}", "fr": "Synthèse HPFO {period}"}
NOT_YET = "not_yet"  # a member's status while the week is open: no answer yet
# Bottom to top; colours from GitHub's Primer palette (success, attention, danger, muted).
LAYERS = (
    (Outcome.ANSWERED.value, "#2da44e"),
    (Outcome.SKIPPED.value, "#bf8700"),
    (Outcome.MISSING.value, "#cf222e"),
    (Outcome.AWAY.value, "#8c959f"),
)
NOT_YET_LAYER = (NOT_YET, "#54aeff")  # on top, only while a week shown is provisional
# The bot opens an issue only once it is due; clocks differ a little (as hpfo.identity.SLACK).
SLACK = timedelta(minutes=5)
FINAL = "final"  # the version of continuation comments written with the final text


@dataclass(frozen=True)
class Fold:
    """How much detail fits: the digest is re-rendered with less until it fits GitHub's limit."""

    item_chars: int
    max_items: int | None  # per section and member; None: all
    fire_chars: int
    member_items: bool = True


# Fires are never dropped, only shortened: the last levels keep every fire on one short line.
FOLDS = (
    Fold(400, None, 400),
    Fold(160, 5, 300),
    Fold(0, 0, 200, member_items=False),
    Fold(0, 0, 80, member_items=False),
    Fold(0, 0, 30, member_items=False),
)


# --- Participation history ---------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    answered: int = 0
    missing: int = 0
    skipped: int = 0
    away: int = 0
    not_yet: int = 0  # a provisional week's: never written into the history marker

    def of(self, status: str) -> int:
        value: int = getattr(self, status)
        return value

    def encode(self, period: Period) -> str:
        return f"{period}:{self.answered}:{self.missing}:{self.skipped}:{self.away}"


def decode_history(marker: Marker | None) -> dict[Period, Counts]:
    """``2026-W47:4:1:0:0/2026-W48:…`` → counts per period; damaged entries are skipped."""
    found: dict[Period, Counts] = {}
    for entry in ((marker.get("weeks") if marker else None) or "").split("/"):
        parts = entry.split(":")
        try:
            numbers = [int(n) for n in parts[1:]]
            if len(numbers) == 4 and min(numbers) >= 0:
                found[Period.parse(parts[0])] = Counts(*numbers)
        except ValueError:
            continue
    return found


def history_marker(history: Mapping[Period, Counts]) -> Marker:
    weeks = "/".join(history[p].encode(p) for p in sorted(history))
    return Marker.of(Kind.HISTORY, weeks=weeks)


def recorded_history(body: str) -> dict[Period, Counts]:
    return decode_history(first_marker(body, Kind.HISTORY))


# --- When ----------------------------------------------------------------------------------------


def opens_at(config: Config, period: Period) -> datetime | None:
    """When the digest of ``period`` opens: its day and time of that same week, team timezone."""
    digest = config.hpfo.digest
    if digest is None:
        return None
    return due_at(period, digest.day, digest.time, ZoneInfo(config.timezone))


def _zones(config: Config) -> list[ZoneInfo]:
    return [member.zone for member in config.members] or [ZoneInfo(config.timezone)]


def closes_at(config: Config, period: Period) -> datetime:
    """When the last check-in of ``period`` closes at the latest: the last member's next week
    opens then (``hpfo.week_is_over``), so the digest is made final on that run."""
    hpfo = config.hpfo
    return max(due_at(period.next(), hpfo.day, hpfo.time, zone) for zone in _zones(config))


def digest_period(config: Config, now: datetime) -> Period | None:
    """The week whose digest is current: this week's once its day and time has passed (team
    timezone), else last week's. None when the digest is off."""
    if config.hpfo.digest is None or not config.hpfo.enabled:
        return None
    current = local_period(now, ZoneInfo(config.timezone))
    opens = opens_at(config, current)
    return current if opens is not None and now >= opens else current.previous()


def digests_listed_from(config: Config, now: datetime) -> datetime | None:
    """How far back the HPFO listing must reach for the digests a plan reads: the one before the
    current digest (the new one's previous link, history and closing; its own final rewrite),
    and the one before that when a digest opens before the week before it is final, since then
    that week's final counts are only in its own digest. The listing is newest first, so this
    adds what was created since that digest opened: it and a few late check-ins, not a week."""
    current = digest_period(config, now)
    if current is None:
        return None
    oldest = current.previous()
    opens = opens_at(config, oldest)
    if opens is not None and closes_at(config, oldest.previous()) > opens:
        oldest = oldest.previous()
    start = opens_at(config, oldest)
    return start - SLACK if start is not None else None


def covered(config: Config, period: Period, listed_from: datetime | None) -> bool:
    """Whether the listing holds every check-in of ``period`` (the bot opens one only once due):
    a week read in part must never be made final."""
    if listed_from is None:
        return True
    hpfo = config.hpfo
    earliest = min(due_at(period, hpfo.day, hpfo.time, zone) for zone in _zones(config))
    return listed_from <= earliest - SLACK


# --- One week, member by member ------------------------------------------------------------------


@dataclass(frozen=True)
class MemberWeek:
    """One member's week as the digest tells it: an ``Outcome`` value, or ``NOT_YET``."""

    member: str
    status: str
    checkin: Checkin | None = None
    answer: HpfoAnswer | None = None
    repliers: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()  # onboarding goals the bot carried into the check-in

    @property
    def objectives(self) -> tuple[Item, ...]:
        """The week's objectives, carried onboarding goals included (``hpfo.goals``)."""
        return with_goals(self.answer.objectives if self.answer else (), self.goals)

    @property
    def issue(self) -> Issue | None:
        return self.checkin.issue if self.checkin else None


@dataclass(frozen=True)
class Week:
    period: Period
    members: tuple[MemberWeek, ...]  # by login
    final: bool

    def counts(self) -> Counts:
        tally: dict[str, int] = {}
        for entry in self.members:
            tally[entry.status] = tally.get(entry.status, 0) + 1
        return Counts(**tally)


def is_closed(checkin: Checkin) -> bool:
    """Closed, or closed once by the bot and reopened by a person (its summary stands)."""
    return not checkin.issue.is_open or has_summary(checkin.issue, checkin.period)


def away_that_week(config: Config, member: Member, period: Period) -> bool:
    """Away on the day their check-in of ``period`` would open: none was opened (SPEC §2)."""
    opens = due_at(period, config.hpfo.day, config.hpfo.time, member.zone)
    return member.is_away(opens.astimezone(member.zone).date())


def _week_checkins(found: Iterable[Checkin], period: Period) -> dict[str, Checkin]:
    week: dict[str, Checkin] = {}
    for checkin in found:
        if checkin.period == period:
            week.setdefault(checkin.member.casefold(), checkin)
    return week


def _without_checkin(config: Config, member: Member, period: Period, now: datetime) -> str | None:
    """A member without a check-in of ``period``: away, not yet (it can still open: their own
    week has not ended), or nothing (None: the week went by without one, never backfilled)."""
    if away_that_week(config, member, period):
        return Outcome.AWAY.value
    return NOT_YET if local_period(now, member.zone) <= period else None


def week_is_final(config: Config, now: datetime, found: Sequence[Checkin], period: Period) -> bool:
    """Every check-in of ``period`` closed and no member still to get one. Cheap (states and
    dates only, no comment read): an idle run asks it of the open digest every hour."""
    week = _week_checkins(found, period)
    for member in config.members:
        checkin = week.pop(member.login.casefold(), None)
        if checkin is not None and not is_closed(checkin):
            return False
        if checkin is None and _without_checkin(config, member, period, now) == NOT_YET:
            return False
    return all(is_closed(checkin) for checkin in week.values())


def read_week(
    config: Config, now: datetime, snapshot: Snapshot, found: Sequence[Checkin], period: Period
) -> Week:
    """Every member's week: closed check-ins from their summary, open ones from their thread."""
    week = _week_checkins(found, period)
    entries = []
    for member in config.members:
        checkin = week.pop(member.login.casefold(), None)
        if checkin is not None:
            entry = _read_checkin(snapshot, checkin)
            if entry.answer is not None:
                entry = replace(entry, goals=goals_in(config, snapshot, checkin))
            entries.append(entry)
        elif (status := _without_checkin(config, member, period, now)) is not None:
            entries.append(MemberWeek(member.login, status))
    entries += [_read_checkin(snapshot, checkin) for checkin in week.values()]  # left the team
    entries.sort(key=lambda entry: entry.member.casefold())
    final = all(entry.status != NOT_YET for entry in entries) and all(
        is_closed(entry.checkin) for entry in entries if entry.checkin is not None
    )
    return Week(period, tuple(entries), final)


def _read_checkin(snapshot: Snapshot, checkin: Checkin) -> MemberWeek:
    if is_closed(checkin):
        closed = read_closed(checkin)
        return MemberWeek(
            checkin.member, closed.outcome.value, checkin, closed.answer, closed.repliers
        )
    comments = snapshot.comments_on(checkin.issue.number)
    view = read_thread(checkin.issue, checkin.member, comments, lambda: answered_in_body(checkin))
    if view.skip is not None:  # closed by this same run (the plan reads it as it will be)
        return MemberWeek(checkin.member, Outcome.SKIPPED.value, checkin)
    if not view.answered:
        return MemberWeek(checkin.member, NOT_YET, checkin)
    repliers = tuple(reply.login for reply in view.replies)
    return MemberWeek(checkin.member, Outcome.ANSWERED.value, checkin, view.answer, repliers)


# --- Which issues --------------------------------------------------------------------------------


def digests(snapshot: Snapshot) -> list[Digest]:
    """Digest issues the bot opened, oldest period first, as their bodies say (the raw reading;
    the ritual plans from ``hpfo.identity.resolve``, which verifies them)."""
    found = []
    for issue in snapshot.issues:
        marker = first_marker(issue.body, Kind.DIGEST)
        if marker is None or not snapshot.is_bot_author(issue.author):
            continue
        if issue.state_reason == "duplicate":
            continue
        try:
            found.append(Digest(issue, Period.parse(marker.get("period") or "")))
        except ValueError:
            continue
    return sorted(found, key=lambda d: (d.period, d.issue.number))


def digest_marker(period: Period) -> Marker:
    return Marker.of(Kind.DIGEST, period=str(period))


def part_marker(period: Period, number: int, *, final: bool) -> Marker:
    """A continuation comment's dedup key; the final text's parts are new comments of their own."""
    version = {"version": FINAL} if final else {}
    return Marker.of(Kind.DIGEST_PART, period=str(period), part=str(number), **version)


def is_final(snapshot: Snapshot, digest: Digest) -> bool:
    """Whether the bot wrote this digest's final text: its week is in its own history marker
    (see the module's docstring for why this is the record, and what an edit to it can do)."""
    if digest.period not in recorded_history(digest.issue.body):
        return False
    return digest.period in recorded_history(snapshot.bot_body(digest.issue))


def final_rewrite_due(
    config: Config,
    now: datetime,
    snapshot: Snapshot,
    found: Sequence[Checkin],
    digest: Digest,
    listed_from: datetime | None = None,
) -> bool:
    return (
        not is_final(snapshot, digest)
        and covered(config, digest.period, listed_from)
        and week_is_final(config, now, found, digest.period)
    )


def digests_to_read(
    config: Config, now: datetime, found: Sequence[Digest], listed_from: datetime | None = None
) -> set[int]:
    """Digests whose comments this run reads: those with comments that may be made final now
    (their final text may continue in comments, deduplicated by their markers). Only on the
    run at a week's end (every check-in of the week closes there at the latest): the digest is
    final after it."""
    return {
        d.issue.number
        for d in found
        if d.issue.comments_count > 0
        and now >= closes_at(config, d.period)
        and d.period not in recorded_history(d.issue.body)
        and covered(config, d.period, listed_from)
    }


def writes_digest_text(op: Op, found: Sequence[Digest]) -> bool:
    """Whether ``op`` writes a digest's text (opening or final rewrite): such a run reads the
    repository once, for the warning that GitHub is about to turn the schedule off."""
    if isinstance(op, CreateIssue):
        return op.marker.kind == Kind.DIGEST
    if not isinstance(op, UpdateIssue) or op.body is None:
        return False
    digest = next((d for d in found if d.issue.number == op.number), None)
    if digest is None or digest.period in recorded_history(digest.issue.body):
        return False  # not a digest, or already final (closing it appends a note, no more)
    return digest.period in recorded_history(op.body)


# --- Planning ------------------------------------------------------------------------------------


def plan_digest(
    ctx: Context,
    snapshot: Snapshot,
    found: Sequence[Checkin],
    known: Resolution | None = None,
    listed_from: datetime | None = None,
) -> list[Op]:
    """Open the current digest, make final what is due, close what a newer digest supersedes.

    ``snapshot`` shows the check-ins as this run leaves them (closings already applied).
    ``known``: the verified identities (``hpfo.identity``); an issue whose identity is unknown
    and that could be this period's digest holds its creation back rather than risk a duplicate.
    ``listed_from``: where the issue listing stopped (None: the snapshot holds everything).
    """
    config = ctx.config
    current = digest_period(config, ctx.now)
    if current is None:
        return []
    existing = _settled(snapshot, known.digests) if known else digests(snapshot)
    unique: dict[Period, Digest] = {}
    for digest in existing:
        unique.setdefault(digest.period, digest)
    ops: list[Op] = []
    opened = current in unique
    if not opened and not (known is not None and known.holds_digest(current)):
        made = create_digest(ctx, snapshot, found, existing, current, listed_from)
        if made:
            ops += [EnsureLabel(DIGEST_LABEL, DIGEST_COLOR, DIGEST_DESCRIPTION), *made]
            opened = True
    for digest in sorted(unique.values(), key=lambda d: d.period):
        if digest.period > current:
            continue  # the digest day moved back: not this run's business
        after = _successor(digest, unique, current if opened else None)
        ops += settle_digest(ctx, snapshot, found, existing, digest, after, listed_from)
    return ops


def _successor(
    digest: Digest, unique: Mapping[Period, Digest], current: Period | None
) -> tuple[Period, str] | None:
    """The digest that supersedes ``digest``, and its URL (a placeholder if this run opens it)."""
    later = sorted(p for p in unique if p > digest.period and (current is None or p <= current))
    if later:
        return later[0], unique[later[0]].issue.html_url
    if current is not None and current > digest.period:
        return current, url_of(digest_marker(current))
    return None


def settle_digest(
    ctx: Context,
    snapshot: Snapshot,
    found: Sequence[Checkin],
    existing: Sequence[Digest],
    digest: Digest,
    superseded_by: tuple[Period, str] | None,
    listed_from: datetime | None = None,
) -> list[Op]:
    """The final rewrite when due, and the closing once a newer digest is open: one PATCH when
    both are due together; the final text's continuation comments first (the body, which says
    the digest is final, goes last)."""
    close = digest.issue.is_open and superseded_by is not None
    if not final_rewrite_due(ctx.config, ctx.now, snapshot, found, digest, listed_from):
        if not close or superseded_by is None:
            return []
        return [close_digest(ctx.templates, digest, *superseded_by)]
    body, parts = digest_text(ctx, snapshot, found, existing, digest.period, listed_from)
    if superseded_by is not None:
        body = with_note(ctx.templates, body, *superseded_by)
    ops: list[Op] = [
        AddComment(digest.issue.number, marker, text)
        for marker, text in _parts(ctx.templates, digest.period, parts, final=True)
    ]
    number = digest.issue.number
    if close:
        return [*ops, UpdateIssue(number, body, state="closed", state_reason="completed")]
    return [*ops, UpdateIssue(number, body=body)]


def _settled(snapshot: Snapshot, found: Sequence[Digest]) -> list[Digest]:
    return [Digest(snapshot.issue(d.issue.number) or d.issue, d.period) for d in found]


def create_digest(
    ctx: Context,
    snapshot: Snapshot,
    found: Sequence[Checkin],
    existing: Sequence[Digest],
    period: Period,
    listed_from: datetime | None = None,
) -> list[Op]:
    """The digest issue, and the comments that continue it when no fold fits one body; nothing
    when the week has nobody to tell about (no member can have a check-in of it any more).

    A big team's digest (500 members: over 100,000 characters even with every member on one
    line) would get GitHub's 422 on every run (issue 10). It is then cut between blocks into
    continuation comments, each with its own marker, so nothing is lost and nothing repeats.
    """
    week = read_week(ctx.config, ctx.now, snapshot, found, period)
    if not week.members:
        return []
    body, parts = digest_text(ctx, snapshot, found, existing, period, listed_from, week)
    marker = digest_marker(period)
    title = TITLES.get(ctx.templates.language, TITLES["en"]).format(period=period)
    ops: list[Op] = [CreateIssue(marker, title, body, labels=(DIGEST_LABEL, MANAGED_LABEL))]
    for part, text in _parts(ctx.templates, period, parts, final=week.final):
        ops.append(AddComment(0, part, text, on=marker))
    return ops


def digest_text(
    ctx: Context,
    snapshot: Snapshot,
    found: Sequence[Checkin],
    existing: Sequence[Digest],
    period: Period,
    listed_from: datetime | None = None,
    week: Week | None = None,
) -> tuple[str, list[str]]:
    """The digest of ``period`` as it reads now (provisional or final): its body, and the texts
    that continue it in comments when no fold fits one body."""
    config = ctx.config
    week = week or read_week(config, ctx.now, snapshot, found, period)
    history = known_history(config, ctx.now, snapshot, found, existing, period, listed_from)
    if week.final:
        history[period] = week.counts()
    shown = dict(history)
    shown[period] = week.counts()  # the chart may show this week's provisional counts
    previous = next((d for d in reversed(existing) if d.period < period), None)
    marker = digest_marker(period)
    # The digest also carries the check-ins' managed label, so the one listing every scheduled
    # run makes anyway finds it: a digest listing would cost a request each run.
    # A provisional digest with no final week before it has no history to carry yet.
    tail = f"\n{history_marker(history).render()}\n" if history else "\n"
    focus, memory = focus_check(ctx, snapshot, week, existing)
    if memory is not None:
        tail += f"{memory.render()}\n"
    head = f"{marker.render()}\n"
    expires = schedule_expiry(snapshot.repository, ctx.now)
    if expires is not None:  # GitHub is about to turn the schedule off (ritual_bot.activity)
        warning = ctx.templates.render("hpfo_digest_expiry.md.j2", date=expires.date().isoformat())
        head += f"{warning.strip()}\n\n"
    view = _View(
        ctx, week, shown, previous, focus, tracker_url(config, snapshot, period) if focus else ""
    )
    for fold in FOLDS:
        body = f"{head}{view.render(fold).strip()}{tail}"
        if len(body) <= BODY_LIMIT:
            return body, []
    room = BODY_LIMIT - len(head) - len(tail) - PART_ROOM
    first, *rest = split_markdown(view.render(FOLDS[0]), room)
    more = _continued(ctx.templates.language, len(rest), final=week.final)
    return f"{head}{first}\n\n{more}{tail}", rest


def _parts(
    templates: Templates, period: Period, texts: Sequence[str], *, final: bool
) -> list[tuple[Marker, str]]:
    total = len(texts) + 1
    found = []
    for number, text in enumerate(texts, start=2):
        marker = part_marker(period, number, final=final)
        label = _part_label(templates.language, period, number, total, final=final)
        found.append((marker, f"{marker.render()}\n{label}\n\n{text}\n"))
    return found


def _continued(language: str, count: int, *, final: bool) -> str:
    if language == "fr":
        if final:
            return (
                f"_Suite dans les {count} commentaires ci-dessous marqués « finale » (limite de "
                "taille de GitHub) ; ceux marqués « provisoire » sont la version d'avant la "
                "clôture de la semaine._"
            )
        return f"_Suite dans les {count} commentaires ci-dessous (limite de taille de GitHub)._"
    if final:
        return (
            f"_Continued in the {count} comments below marked “final” (GitHub's body size "
            "limit); comments marked “provisional” are the version written before the week "
            "closed._"
        )
    return f"_Continued in the {count} comments below (GitHub's body size limit)._"


def _part_label(language: str, period: Period, number: int, total: int, *, final: bool) -> str:
    if language == "fr":
        version = "finale" if final else "provisoire"
        return f"_Synthèse {period}, partie {number} sur {total} ({version})._"
    return f"_Digest {period}, part {number} of {total} ({'final' if final else 'provisional'})._"


def close_digest(templates: Templates, old: Digest, period: Period, link: str) -> UpdateIssue:
    body = with_note(templates, old.issue.body, period, link)
    if len(body) > BODY_LIMIT:
        body = old.issue.body
    return UpdateIssue(old.issue.number, body=body, state="closed", state_reason="completed")


def with_note(templates: Templates, body: str, period: Period, link: str) -> str:
    """``body`` with the "superseded by the digest of ``period``" note at the end."""
    note = templates.render("hpfo_digest_next.md.j2", period=str(period), url=link).strip()
    return f"{body.rstrip()}\n\n---\n\n{note}\n"


def known_history(
    config: Config,
    now: datetime,
    snapshot: Snapshot,
    found: Sequence[Checkin],
    existing: Sequence[Digest],
    period: Period,
    listed_from: datetime | None = None,
) -> dict[Period, Counts]:
    """The final counts of the last weeks before ``period``: from the history markers of the
    digests listed (a digest's own week as it says), then weeks whose check-ins are all listed
    and final (a digest that never opened, e.g. the digest was off)."""
    history: dict[Period, Counts] = {}
    recorded = [(d, recorded_history(d.issue.body)) for d in existing]  # oldest first
    for _, weeks in recorded:
        history.update(weeks)
    for digest, weeks in recorded:
        if digest.period in weeks:
            history[digest.period] = weeks[digest.period]
    for other in sorted({c.period for c in found if c.period < period} - set(history)):
        if covered(config, other, listed_from) and week_is_final(config, now, found, other):
            history[other] = read_week(config, now, snapshot, found, other).counts()
    oldest = _weeks_before(period, HISTORY_WEEKS - 1)
    return {p: c for p, c in history.items() if oldest <= p < period}


def _weeks_before(period: Period, count: int) -> Period:
    for _ in range(count):
        period = period.previous()
    return period


# --- Rendering -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FireRow:
    """One member's fires: one table row each, so 200 members stay one row apiece."""

    member: str
    texts: tuple[str, ...]
    url: str
    number: int
    repliers: tuple[str, ...]


class _View:
    """What the template is given, computed once for every fold tried."""

    def __init__(
        self,
        ctx: Context,
        week: Week,
        shown: Mapping[Period, Counts],
        previous: Digest | None,
        focus: Sequence[Focus] = (),
        tracker: str = "",
    ) -> None:
        self.templates = ctx.templates
        self.week = week
        self.shown = shown
        self.previous = previous
        zone = ZoneInfo(ctx.config.timezone)
        self.as_of = ctx.now.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        self.timezone = ctx.config.timezone
        # The focus check (SPEC §8): with OKRs, each member's share of objectives that name a
        # key result; on the runs that read OKRs, stale KRs and the two-week flag too.
        self.focus = ctx.config.okrs.active
        self.focus_rows = focus
        self.tracker = tracker
        self.threshold = round(ctx.config.okrs.focus_threshold * 100)
        opens = opens_at(ctx.config, week.period)
        zone = ZoneInfo(ctx.config.timezone)
        self.welcome = welcomed(ctx.config, opens.astimezone(zone).date()) if opens else []

    def render(self, fold: Fold) -> str:
        week, shown = self.week, self.shown
        answered = [e for e in week.members if e.answer is not None and e.issue is not None]
        fires = [
            FireRow(e.member, tuple(i.text for i in e.answer.fires), e.issue.html_url,
                    e.issue.number, e.repliers)
            for e in answered
            if e.answer is not None and e.issue is not None and e.answer.fires
        ]  # fmt: skip
        statuses = [status for status, _ in (*LAYERS, NOT_YET_LAYER)]
        participation = {s: [e.member for e in week.members if e.status == s] for s in statuses}
        periods = sorted(shown)
        return self.templates.render(
            "hpfo_digest.md.j2",
            period=str(week.period),
            week_of=week.period.monday().isoformat(),
            provisional=not week.final,
            as_of=self.as_of,
            timezone=self.timezone,
            previous=self.previous.issue if self.previous else None,
            fires=fires,
            members=[_member_view(e, fold, self.focus) for e in answered],
            fold=fold,
            participation=participation,
            chart=participation_chart(self.templates, periods, shown),
            history=[{"period": str(p), **vars(shown[p])} for p in periods],
            focus=self.focus_rows,
            tracker=self.tracker,
            threshold=self.threshold,
            welcome=self.welcome,
        )


def focus_check(
    ctx: Context, snapshot: Snapshot, week: Week, existing: Sequence[Digest]
) -> tuple[list[Focus], Marker | None]:
    """Per answered member with KRs, the focus check of the week, and the memory to keep.

    Only on the runs that read OKRs (``okr_run``); a rewrite on another run keeps the memory
    the bot wrote in this digest before, so the next week's flag does not depend on which run
    made the digest final. The week before is trusted only as the bot wrote it (``bot_body``).
    """
    own = next((d for d in existing if d.period == week.period), None)
    kept = first_marker(snapshot.bot_body(own.issue), Kind.FOCUS) if own else None
    if not okr_run(ctx):
        return [], kept
    config = ctx.config
    before = next((d for d in existing if d.period == week.period.previous()), None)
    low_before = recorded_low(snapshot.bot_body(before.issue), before.period) if before else set()
    rows = []
    for entry in week.members:
        member = config.member(entry.member)
        if entry.answer is None or member is None:
            continue
        owned = key_results_for(config, snapshot, member, week.period)
        if not owned:
            continue
        texts = [item.text for item in entry.objectives]
        found = focus_of(entry.member, owned, texts, config.okrs.focus_threshold, ctx.now)
        flagged = found.low and entry.member.casefold() in low_before
        rows.append(replace(found, flagged=flagged))
    return rows, focus_marker(week.period, [f.member for f in rows if f.low])


def _member_view(entry: MemberWeek, fold: Fold, focus: bool = False) -> dict[str, object]:
    assert entry.answer is not None and entry.issue is not None
    objectives = entry.objectives
    share = linked(item.text for item in objectives)
    return {
        "linked": (share, len(objectives)) if focus and objectives else None,
        "login": entry.member,
        "url": entry.issue.html_url,
        "number": entry.issue.number,
        "highlights": _cap(entry.answer.highlights, fold),
        "objectives": _cap(objectives, fold),
        "counts": (len(entry.answer.highlights), len(objectives)),
    }


def _cap(items: Sequence[Item], fold: Fold) -> list[Item]:
    if not fold.member_items:
        return []
    return list(items if fold.max_items is None else items[: fold.max_items])


_CHART_WORDS = {
    "en": ("Participation by week", "members"),
    "fr": ("Participation par semaine", "membres"),
}


def participation_chart(
    templates: Templates, periods: Sequence[Period], history: Mapping[Period, Counts]
) -> str:
    """Stacked bars, answered at the bottom; a "not yet" layer on top only while a week shown
    is provisional (a final chart reads as it always did)."""
    title, y_title = _CHART_WORDS.get(templates.language, _CHART_WORDS["en"])
    layers = [*LAYERS]
    if any(history[p].not_yet for p in periods):
        layers.append(NOT_YET_LAYER)
    series = [
        Series(status, color, tuple(history[p].of(status) for p in periods))
        for status, color in layers
    ]
    return stacked_bars(title, [str(p) for p in periods], series, y_title)
