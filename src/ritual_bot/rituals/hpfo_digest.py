"""The team digest: one issue per period, built from that period's closed check-ins (SPEC §3).

A week's outcome is final once its check-ins are closed (the next period opened), so the digest
of period P is due at the configured day and time of the following week, in the team's timezone,
and never before every member's new week opened. It reads only issue bodies: each closed
check-in carries its summary and outcome marker, so the digest costs no comment request.

Participation over the last weeks comes from the previous digest's hidden history marker (no
external state), completed by the closed check-ins still in the listing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ritual_bot.activity import schedule_expiry
from ritual_bot.answers import Item
from ritual_bot.bodies import split_markdown
from ritual_bot.config import Config
from ritual_bot.links import url_of
from ritual_bot.markers import Marker, first_marker
from ritual_bot.model import Snapshot
from ritual_bot.ops import AddComment, CreateIssue, EnsureLabel, Op, UpdateIssue
from ritual_bot.periods import Period, due_at, local_period
from ritual_bot.rituals.base import Context
from ritual_bot.rituals.hpfo_core import (
    DIGEST_LABEL,
    MANAGED_LABEL,
    Checkin,
    Digest,
    Kind,
    Outcome,
)
from ritual_bot.rituals.hpfo_identity import Resolution
from ritual_bot.rituals.hpfo_summary import BODY_LIMIT, ClosedWeek, closed_weeks
from ritual_bot.rituals.mermaid import Series, stacked_bars
from ritual_bot.templates import Templates

DIGEST_COLOR = "5319e7"
DIGEST_DESCRIPTION = "Weekly HPFO team digest, managed by ritual-bot"
HISTORY_WEEKS = 8
PART_ROOM = 200  # kept free in the digest's first part for the "continued below" line
TITLES = {"en": "HPFO digest {period}", "fr": "Synthèse HPFO {period}"}
# Bottom to top; colours from GitHub's Primer palette (success, attention, danger, muted).
LAYERS = (
    (Outcome.ANSWERED, "#2da44e"),
    (Outcome.SKIPPED, "#bf8700"),
    (Outcome.MISSING, "#cf222e"),
    (Outcome.AWAY, "#8c959f"),
)


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

    def of(self, outcome: Outcome) -> int:
        value: int = getattr(self, outcome.value)
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


# --- When, and which issues ----------------------------------------------------------------------


def digests(snapshot: Snapshot) -> list[Digest]:
    """Digest issues the bot opened, oldest period first, as their bodies say (the raw reading;
    the ritual plans from ``hpfo_identity.resolve``, which verifies them)."""
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


def digest_period(config: Config, now: datetime) -> Period | None:
    """The period whose digest is due now: last week's, once this week's day/time has passed."""
    digest = config.hpfo.digest
    if digest is None or not config.hpfo.enabled:
        return None
    zone = ZoneInfo(config.timezone)
    current = local_period(now, zone)
    due = due_at(current, digest.day, digest.time, zone)
    # Every member's last week must be closed: that happens when their new week opens.
    opens = [due_at(current, config.hpfo.day, config.hpfo.time, m.zone) for m in config.members]
    return current.previous() if now >= max([due, *opens]) else None


def digest_marker(period: Period) -> Marker:
    return Marker.of(Kind.DIGEST, period=str(period))


# --- Planning ------------------------------------------------------------------------------------


def plan_digest(
    ctx: Context, snapshot: Snapshot, found: Sequence[Checkin], known: Resolution | None = None
) -> list[Op]:
    """``snapshot`` shows the check-ins as this run leaves them (closings already applied).

    ``known``: the verified identities (``hpfo_identity``); an issue whose identity is unknown
    and that could be this period's digest holds its creation back rather than risk a duplicate.
    """
    period = digest_period(ctx.config, ctx.now)
    if period is None:
        return []
    existing = _settled(snapshot, known.digests) if known else digests(snapshot)
    current = next((d for d in existing if d.period == period), None)
    week = [c for c in found if c.period == period]
    ops: list[Op] = []
    if current is None:
        if any(c.issue.is_open for c in week) or not (week or _away(ctx.config, period, week)):
            return []  # not every week is closed yet (next run), or nothing to tell
        if known is not None and known.holds_digest(period):
            return []
        ops += [EnsureLabel(DIGEST_LABEL, DIGEST_COLOR, DIGEST_DESCRIPTION)]
        expires = schedule_expiry(snapshot.repository, ctx.now)
        ops += create_digest(ctx, period, found, existing, expires)
    link = current.issue.html_url if current else url_of(digest_marker(period))
    for old in existing:
        if old.period < period and old.issue.is_open:
            ops.append(close_digest(ctx.templates, old, period, link))
    return ops


def _settled(snapshot: Snapshot, found: Sequence[Digest]) -> list[Digest]:
    return [Digest(snapshot.issue(d.issue.number) or d.issue, d.period) for d in found]


def _away(config: Config, period: Period, week: Sequence[Checkin]) -> list[str]:
    """Members who had no check-in that week because they were away on its day."""
    opened = {c.member.casefold() for c in week}
    return [
        m.login
        for m in config.members
        if m.login.casefold() not in opened
        and m.is_away(
            due_at(period, config.hpfo.day, config.hpfo.time, m.zone).astimezone(m.zone).date()
        )
    ]


def create_digest(
    ctx: Context,
    period: Period,
    found: Sequence[Checkin],
    existing: Sequence[Digest],
    expires: datetime | None = None,
) -> list[Op]:
    """The digest issue, and the comments that continue it when no fold fits one body.

    A big team's digest (500 members: over 100,000 characters even with every member on one
    line) would get GitHub's 422 on every run (issue 10). It is then cut between blocks into
    continuation comments, each with its own marker, so nothing is lost and nothing repeats.
    """
    weeks = sorted(
        closed_weeks([c for c in found if c.period == period]), key=lambda w: w.checkin.member
    )
    away = _away(ctx.config, period, [w.checkin for w in weeks])
    history = participation_history(period, found, existing, counts_of(weeks, away))
    marker = digest_marker(period)
    previous = next((d for d in reversed(existing) if d.period < period), None)
    title = TITLES.get(ctx.templates.language, TITLES["en"]).format(period=period)
    head, tail = f"{marker.render()}\n", f"\n{history_marker(history).render()}\n"
    if expires is not None:  # GitHub is about to turn the schedule off (ritual_bot.activity)
        warning = ctx.templates.render("hpfo_digest_expiry.md.j2", date=expires.date().isoformat())
        head += f"{warning.strip()}\n\n"

    def issue(text: str) -> CreateIssue:
        # The digest also carries the check-ins' managed label, so the one listing every
        # scheduled run makes anyway finds it: a digest listing would cost a request each run.
        body = f"{head}{text.strip()}{tail}"
        return CreateIssue(marker, title, body, labels=(DIGEST_LABEL, MANAGED_LABEL))

    for fold in FOLDS:
        text = render_digest(ctx.templates, period, weeks, away, history, previous, fold)
        if len(issue(text).body) <= BODY_LIMIT:
            return [issue(text)]
    full = render_digest(ctx.templates, period, weeks, away, history, previous, FOLDS[0])
    room = BODY_LIMIT - len(head) - len(tail) - PART_ROOM
    first, *rest = split_markdown(full, room)
    ops: list[Op] = [issue(f"{first}\n\n{_continued(ctx.templates.language, len(rest))}")]
    for number, text in enumerate(rest, start=2):
        part = Marker.of(Kind.DIGEST_PART, period=str(period), part=str(number))
        ops.append(AddComment(0, part, f"{part.render()}\n{text}\n", on=marker))
    return ops


def _continued(language: str, count: int) -> str:
    if language == "fr":
        return f"_Suite dans les {count} commentaires ci-dessous (limite de taille de GitHub)._"
    return f"_Continued in the {count} comments below (GitHub's body size limit)._"


def close_digest(templates: Templates, old: Digest, period: Period, link: str) -> UpdateIssue:
    note = templates.render("hpfo_digest_next.md.j2", period=str(period), url=link).strip()
    body = f"{old.issue.body.rstrip()}\n\n---\n\n{note}\n"
    if len(body) > BODY_LIMIT:
        body = old.issue.body
    return UpdateIssue(old.issue.number, body=body, state="closed", state_reason="completed")


def counts_of(weeks: Iterable[ClosedWeek], away: Sequence[str]) -> Counts:
    outcomes = [w.outcome for w in weeks]
    return Counts(
        answered=outcomes.count(Outcome.ANSWERED),
        missing=outcomes.count(Outcome.MISSING),
        skipped=outcomes.count(Outcome.SKIPPED),
        away=len(away),
    )


def participation_history(
    period: Period, found: Sequence[Checkin], existing: Sequence[Digest], current: Counts
) -> dict[Period, Counts]:
    """The last weeks' counts: the previous digest's history, gaps filled from closed check-ins."""
    previous = [d for d in existing if d.period < period]
    history = (
        decode_history(first_marker(previous[-1].issue.body, Kind.HISTORY)) if previous else {}
    )
    for other in {c.period for c in found if c.period < period} - set(history):
        week = [c for c in found if c.period == other]
        if all(not c.issue.is_open for c in week):
            history[other] = counts_of(closed_weeks(week), ())
    history[period] = current
    oldest = _weeks_before(period, HISTORY_WEEKS - 1)
    return {p: c for p, c in history.items() if oldest <= p <= period}


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


def render_digest(
    templates: Templates,
    period: Period,
    weeks: Sequence[ClosedWeek],
    away: Sequence[str],
    history: Mapping[Period, Counts],
    previous: Digest | None,
    fold: Fold,
) -> str:
    fires = [
        FireRow(
            w.checkin.member,
            tuple(item.text for item in w.answer.fires),
            w.issue.html_url,
            w.issue.number,
            w.repliers,
        )
        for w in weeks
        if w.answer is not None and w.answer.fires
    ]
    by_outcome = {
        outcome: [w.checkin.member for w in weeks if w.outcome is outcome] for outcome in Outcome
    }
    by_outcome[Outcome.AWAY] = list(away)
    periods = sorted(history)
    return templates.render(
        "hpfo_digest.md.j2",
        period=str(period),
        week_of=period.monday().isoformat(),
        previous=previous.issue if previous else None,
        fires=fires,
        members=[_member_view(w, fold) for w in weeks if w.answer is not None],
        fold=fold,
        participation={o.value: names for o, names in by_outcome.items()},
        chart=participation_chart(templates, periods, history),
        history=[{"period": str(p), **vars(history[p])} for p in periods],
    )


def _member_view(week: ClosedWeek, fold: Fold) -> dict[str, object]:
    assert week.answer is not None
    return {
        "login": week.checkin.member,
        "url": week.issue.html_url,
        "number": week.issue.number,
        "highlights": _cap(week.answer.highlights, fold),
        "objectives": _cap(week.answer.objectives, fold),
        "counts": (len(week.answer.highlights), len(week.answer.objectives)),
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
    title, y_title = _CHART_WORDS.get(templates.language, _CHART_WORDS["en"])
    layers = [
        Series(outcome.value, color, tuple(history[p].of(outcome) for p in periods))
        for outcome, color in LAYERS
    ]
    return stacked_bars(title, [str(p) for p in periods], layers, y_title)
