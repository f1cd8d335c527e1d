"""What the tracker shows (SPEC §8), computed from committed plans and recorded values; pure.

Per owner and objective: each KR's baseline, target, current value, progress, the expected pace,
the owner's confidence and a link to the last update; the objective's progress (the mean of its
KRs) with its weakest KR; "🟢 but ≥ 10 points behind pace" flagged; and per objective the weekly
progress of each KR against the pace, as a Mermaid ``xychart-beta`` with a written legend and the
same numbers in a table (the chart has no legend of its own). At the quarter's end the same
figures are the scores (``/score`` overrides a KR's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ritual_bot.rituals.keyresults.ledger import Committed, KrRecord, Ledger
from ritual_bot.rituals.keyresults.plan import KeyResult, Objective
from ritual_bot.rituals.keyresults.score import (
    Quarter,
    average,
    behind_pace,
    expected_pace,
    kr_progress,
    objective_score,
)
from ritual_bot.rituals.keyresults.text import format_quantity
from ritual_bot.rituals.keyresults.values import KrValue
from ritual_bot.rituals.mermaid import Series, lines

# One colour per line, the pace last (grey); GitHub's palette, readable on light and dark themes.
COLORS = ("#0969da", "#1a7f37", "#bf3989", "#9a6700", "#8250df")
PACE_COLOR = "#8c959f"


@dataclass(frozen=True)
class Entry:
    """One recorded value: whose KR, the value, when it was written and where."""

    owner: str
    value: KrValue
    at: datetime
    url: str


@dataclass(frozen=True)
class Override:
    """``/score KR1.1 0.6 why``: the owner's own score for a KR at the quarter's end."""

    owner: str
    kr: str
    score: float
    why: str
    url: str


@dataclass(frozen=True)
class KrRow:
    kr: KeyResult
    latest: Entry | None
    progress: float
    flagged: bool
    override: Override | None = None

    @property
    def score(self) -> float:
        return self.override.score if self.override else self.progress


@dataclass(frozen=True)
class ObjectiveView:
    objective: Objective
    rows: tuple[KrRow, ...]
    progress: float
    weakest: str
    weeks: tuple[str, ...]
    weekly: Mapping[str, tuple[int, ...]]  # KR id -> progress % per week
    pace: tuple[int, ...]


@dataclass(frozen=True)
class OwnerView:
    owner: str
    objectives: tuple[ObjectiveView, ...]
    score: float | None


@dataclass(frozen=True)
class Board:
    quarter: Quarter
    day: date
    pace: float
    owners: tuple[OwnerView, ...]
    team: float | None


def week_ends(quarter: Quarter, day: date) -> list[date]:
    """The last day (a Sunday, or the quarter's last) of each ISO week of the quarter, up to
    ``day``."""
    ends: list[date] = []
    current = quarter.start
    last = min(day, quarter.end)
    while current <= last:
        sunday = current + timedelta(days=6 - current.weekday())
        ends.append(min(sunday, quarter.end))
        current = sunday + timedelta(days=1)
    return ends or [quarter.start]


def _week_name(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _latest(entries: Sequence[Entry], until: date | None = None) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for entry in sorted(entries, key=lambda e: e.at):
        if until is None or entry.at.date() <= until:
            found[entry.value.kr] = entry
    return found


def _objective(
    objective: Objective,
    entries: Sequence[Entry],
    overrides: Mapping[str, Override],
    quarter: Quarter,
    day: date,
    history: Mapping[str, Mapping[str, float]],
) -> ObjectiveView:
    now = _latest(entries)
    pace = expected_pace(quarter, day)
    rows = []
    for kr in objective.key_results:
        latest = now.get(kr.id)
        progress = kr_progress(kr, latest.value.value.value if latest else None)
        confidence = latest.value.confidence if latest else None
        flagged = behind_pace(confidence, progress, pace)
        rows.append(KrRow(kr, latest, progress, flagged, overrides.get(kr.id)))
    score = objective_score([(r.kr.id, r.score) for r in rows])
    ends = week_ends(quarter, day)
    weekly: dict[str, tuple[int, ...]] = {}
    for kr in objective.key_results:
        points = []
        known = history.get(kr.id, {})
        for end in ends:
            then = _latest(entries, end).get(kr.id)
            if then is None and _week_name(end) in known:
                # A week whose values are no longer re-read: as the ledger recorded it.
                points.append(round(100 * known[_week_name(end)]))
                continue
            points.append(round(100 * kr_progress(kr, then.value.value.value if then else None)))
        weekly[kr.id] = tuple(points)
    return ObjectiveView(
        objective,
        tuple(rows),
        score.progress,
        score.weakest,
        tuple(_week_name(end) for end in ends),
        weekly,
        tuple(round(100 * expected_pace(quarter, end)) for end in ends),
    )


def build_board(
    quarter: Quarter,
    day: date,
    plans: Sequence[Committed],
    entries: Sequence[Entry],
    overrides: Sequence[Override] = (),
    history: Mapping[tuple[str, str], Mapping[str, float]] | None = None,
) -> Board:
    """``history``: per (owner casefolded, KR) the weekly progress the ledger recorded before."""
    owners = []
    for plan in plans:
        key = plan.owner.casefold()
        mine = [e for e in entries if e.owner.casefold() == key]
        theirs = {o.kr: o for o in overrides if o.owner.casefold() == key}
        past = {kr: weeks for (who, kr), weeks in (history or {}).items() if who == key}
        views = tuple(_objective(o, mine, theirs, quarter, day, past) for o in plan.plan.objectives)
        owners.append(OwnerView(plan.owner, views, average(v.progress for v in views)))
    team = average(o.score for o in owners if o.score is not None)
    return Board(quarter, day, expected_pace(quarter, day), tuple(owners), team)


def chart(view: ObjectiveView) -> str:
    layers = [
        Series(kr.id, COLORS[i % len(COLORS)], view.weekly[kr.id])
        for i, kr in enumerate(view.objective.key_results)
    ]
    layers.append(Series("pace", PACE_COLOR, view.pace))
    title = f"{view.objective.id} weekly progress"
    return lines(title, [w.split("-")[1] for w in view.weeks], layers, "progress %")


def ledger_of(board: Board) -> Ledger:
    records = []
    for owner in board.owners:
        for view in owner.objectives:
            for row in view.rows:
                latest = row.latest
                weekly = dict(
                    zip(view.weeks, (p / 100 for p in view.weekly[row.kr.id]), strict=True)
                )
                records.append(
                    KrRecord(
                        owner.owner,
                        row.kr.id,
                        latest.value.value if latest else None,
                        latest.value.confidence if latest else None,
                        latest.at if latest else None,
                        latest.url if latest else "",
                        weekly,
                    )
                )
    return Ledger(str(board.quarter), tuple(records))


NONE = "n/a"  # a score or share with nothing to average yet


def percent(share: float | None) -> str:
    return NONE if share is None else f"{round(100 * share)}%"


def two_places(share: float | None) -> str:
    return NONE if share is None else f"{share:.2f}"


def row_view(row: KrRow, pace: float) -> dict[str, object]:
    latest = row.latest
    return {
        "id": row.kr.id,
        "text": row.kr.text,
        "baseline": format_quantity(row.kr.baseline) if row.kr.baseline else "",
        "target": format_quantity(row.kr.target) if row.kr.target else "",
        "current": format_quantity(latest.value.value) if latest else "",
        "milestone": row.kr.target is None,
        "done": bool(latest and latest.value.value.value >= 1),
        "progress": percent(row.progress),
        "pace": percent(pace),
        "confidence": latest.value.confidence.value if latest and latest.value.confidence else "",
        "url": latest.url if latest else "",
        "flagged": row.flagged,
        "behind": round(100 * (pace - row.progress)),
        "score": f"{row.score:.1f}",
        "override": row.override.why if row.override else None,
    }
