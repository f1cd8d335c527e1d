"""The OKR maths (SPEC §8): KR progress, expected pace, objective / owner / team scores, quarters.

Pure functions of numbers and dates; the tracker and the quarter-end scoring will call them.

Quarters and fiscal years: ``quarter_start`` is the month that starts Q1. A fiscal year is named
by the calendar year in which it *starts*, so ``2027-Q1`` always begins in 2027: with April as
``quarter_start``, 2027-Q1 is April-June 2027 and 2027-Q4 is January-March 2028. (Conventions
differ between companies; this one never names a year that has not begun, and with the default
January it is the plain calendar quarter.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ritual_bot.rituals.keyresults.plan import KeyResult, Kind
from ritual_bot.rituals.keyresults.values import Confidence

__all__ = [
    "BEHIND_PACE",
    "ObjectiveScore",
    "Quarter",
    "average",
    "behind_pace",
    "expected_pace",
    "kr_progress",
    "objective_score",
]

# SPEC §8: "🟢 but ≥ 10 points behind pace" is flagged.
BEHIND_PACE = 0.10
_QUARTER = re.compile(r"^(?P<year>\d{4})-Q(?P<number>[1-4])$")
# Float noise (0.45 - 0.35 is 0.09999999999999998) must not hide a flag that is exactly 10 points.
_EPSILON = 1e-9


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of a fiscal year that starts in month ``start_month`` (1 = January)."""

    year: int
    number: int
    start_month: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4 or not 1 <= self.start_month <= 12:
            raise ValueError(
                f"no such quarter: {self.year}-Q{self.number} from month {self.start_month}"
            )

    @classmethod
    def of(cls, day: date, start_month: int = 1) -> Quarter:
        """The quarter ``day`` falls in."""
        months = (day.year * 12 + day.month - 1) - (start_month - 1)
        fiscal_year, month_in_year = divmod(months, 12)
        return cls(fiscal_year, month_in_year // 3 + 1, start_month)

    @classmethod
    def parse(cls, text: str, start_month: int = 1) -> Quarter:
        match = _QUARTER.match(text.strip())
        if match is None:
            raise ValueError(f"not a quarter: {text!r} (expected e.g. 2027-Q1)")
        return cls(int(match["year"]), int(match["number"]), start_month)

    def _month(self, offset: int) -> date:
        months = self.year * 12 + (self.start_month - 1) + (self.number - 1) * 3 + offset
        return date(months // 12, months % 12 + 1, 1)

    @property
    def start(self) -> date:
        return self._month(0)

    @property
    def end(self) -> date:
        """The quarter's last day."""
        return self._month(3) - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def next(self) -> Quarter:
        return Quarter.of(self._month(3), self.start_month)

    def previous(self) -> Quarter:
        return Quarter.of(self.start - timedelta(days=1), self.start_month)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def kr_progress(kr: KeyResult, value: float | None) -> float:
    """Progress from 0.0 to 1.0, capped (SPEC §8); no value yet is 0.0.

    Numeric: the share of the way from baseline to target, which also covers lower-is-better
    (both differences are negative). A milestone is 1.0 once its value is 1 (done), else 0.0.
    """
    if value is None:
        return 0.0
    if kr.kind is Kind.MILESTONE or kr.baseline is None or kr.target is None:
        return 1.0 if value >= 1 else 0.0
    share = (value - kr.baseline.value) / (kr.target.value - kr.baseline.value)
    return min(1.0, max(0.0, share))


def expected_pace(quarter: Quarter, day: date) -> float:
    """The progress a steady KR has reached by the end of ``day``: 0.0 before the quarter,
    1/days on its first day, 1.0 on its last day and after."""
    elapsed = (day - quarter.start).days + 1
    return min(1.0, max(0.0, elapsed / quarter.days))


@dataclass(frozen=True)
class ObjectiveScore:
    """An objective's progress: the mean of its KRs, with its weakest KR named (SPEC §8)."""

    progress: float
    weakest: str


def objective_score(progress: Sequence[tuple[str, float]]) -> ObjectiveScore:
    """Mean of ``(kr id, progress)`` pairs; the weakest is the first of the lowest."""
    if not progress:
        raise ValueError("an objective has at least one key result")
    weakest = min(progress, key=lambda pair: pair[1])[0]
    return ObjectiveScore(sum(p for _, p in progress) / len(progress), weakest)


def average(scores: Iterable[float]) -> float | None:
    """The mean of an owner's objectives, or of the owners for the team; None for none."""
    values = list(scores)
    return sum(values) / len(values) if values else None


def behind_pace(confidence: Confidence | None, progress: float, pace: float) -> bool:
    """SPEC §8's flag: the owner says 🟢 but the KR is 10 points or more behind pace."""
    return confidence is Confidence.ON_TRACK and pace - progress >= BEHIND_PACE - _EPSILON
