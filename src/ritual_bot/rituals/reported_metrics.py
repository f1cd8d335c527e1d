"""The contract between the business review and the OKRs (SPEC §8, §10): the metric values a
review reported, read by the OKR tracker for a key result that names a metric in backticks
(``KR1.1 `activation_rate`: 32% → 45%``).

The review of week W writes, hidden in its body, one marker per metric it has a value for that
week (``review-value key=… week=… value=…``). They count only as the bot wrote them
(``Snapshot.bot_body``, SPEC §7): a value pasted into a review's body is nobody's. Neither ritual
imports the other; this module is all they share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ritual_bot.markers import Marker, find_markers
from ritual_bot.model import Snapshot
from ritual_bot.periods import Period

REVIEW_LABEL = "ritual:review"  # the review's label (rituals/review/config.py LABEL)
VALUE = "review-value"
_KEY = re.compile(r"`([A-Za-z][A-Za-z0-9_.-]{0,49})`")


@dataclass(frozen=True)
class Reported:
    key: str
    week: str
    value: float
    percent: bool
    url: str  # the review that reported it
    given: bool = False  # given with /metric by the area owner (else read from its file)

    def ended(self, zone: ZoneInfo) -> datetime:
        """The end of the metric's week (Sunday midnight, team timezone): its value's date."""
        monday = Period.parse(self.week).monday()
        return datetime.combine(monday + timedelta(days=7), time(0), zone) - timedelta(seconds=1)


def value_marker(key: str, week: str, value: float, percent: bool, given: bool = False) -> Marker:
    fields = {"key": key, "week": week, "value": repr(float(value))}
    flags = {"percent": "1"} if percent else {}
    return Marker.of(VALUE, **fields, **flags, **({"given": "1"} if given else {}))


def all_reported(snapshot: Snapshot) -> list[Reported]:
    """Every value the listed reviews reported, as the bot wrote them."""
    found = []
    for issue in snapshot.issues:
        if issue.has_label(REVIEW_LABEL) and snapshot.is_bot_author(issue.author):
            for marker in find_markers(snapshot.bot_body(issue)):
                reported = _reported(marker, issue.html_url)
                if reported is not None:
                    found.append(reported)
    return found


def reported_values(snapshot: Snapshot) -> dict[str, Reported]:
    """The latest week's value of each metric (key casefolded), from the reviews the bot wrote."""
    found: dict[str, Reported] = {}
    for reported in all_reported(snapshot):
        known = found.get(reported.key.casefold())
        if known is None or known.week < reported.week:
            found[reported.key.casefold()] = reported
    return found


def _reported(marker: Marker, url: str) -> Reported | None:
    key, week, raw = marker.get("key"), marker.get("week"), marker.get("value")
    if marker.kind != VALUE or not key or not week or raw is None:
        return None
    try:
        Period.parse(week)
        value = float(raw)
    except ValueError:
        return None
    percent, given = marker.get("percent") == "1", marker.get("given") == "1"
    return Reported(key, week, value, percent, url, given)


def named_metrics(text: str, keys: Iterable[str]) -> list[str]:
    """The metric keys a key result's words name in backticks, among ``keys``."""
    known = {k.casefold(): k for k in keys}
    return [known[m.casefold()] for m in _KEY.findall(text) if m.casefold() in known]
