"""What the OKR ritual writes for others to read: a committed plan and the quarter's KR values.

Two hidden records, each only ever written by the bot and read back through
``Snapshot.bot_body`` (SPEC §7: a person can edit any body, so a record counts as the bot last
wrote it, never as it reads now):

- the **committed plan** of one owner, in the bot's block of their planning issue once
  ``/commit`` locked it (``render_committed`` / ``read_committed``);
- the **ledger** of the quarter's values, in the tracker's body (``render_ledger`` /
  ``read_ledger``): per KR its latest value and the progress at the end of each week (the
  tracker's chart), so no run has to re-read a quarter of check-ins.

The HPFO ritual reads both (an owner's KRs and their last values in the check-in, the focus
check) without importing the OKR ritual: this module is the whole contract between them.

The ledger is JSON inside an HTML comment. ``<``, ``>`` and ``&`` are written as JSON escapes,
so no text a person wrote (a KR's words, a URL) can close the comment or inject markup. A
quarter too big for that to fit a body (GitHub's 65,536 characters: about 300 characters a KR
with its weekly progress, so some 200 KRs) is written compactly instead (``v=2``): one array per
KR (times in Unix seconds, links after their common prefix, weekly progress in whole
percents), deflated and base64-encoded (which has no ``<``, ``>`` or ``-``, so it cannot close
the comment either): 50 owners of 15 KRs over 13 weeks take about
20,000 characters even when no two values are alike (regular values deflate far better). Both
are read.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ritual_bot.markers import Marker, first_marker, read_block, render_block
from ritual_bot.model import Issue, Snapshot
from ritual_bot.rituals.base import IssueQuery
from ritual_bot.rituals.keyresults.plan import KeyResult, Plan, parse_plan, render_plan
from ritual_bot.rituals.keyresults.score import Quarter
from ritual_bot.rituals.keyresults.text import Quantity
from ritual_bot.rituals.keyresults.values import Confidence

__all__ = [
    "COMMITTED",
    "LEDGER",
    "PLANNING",
    "TRACKER",
    "Committed",
    "KrRecord",
    "Ledger",
    "committed_of",
    "committed_plans",
    "key_results_of",
    "okr_listing",
    "planning_body",
    "planning_identity",
    "quarter_ledger",
    "read_committed",
    "read_ledger",
    "render_committed",
    "render_ledger",
    "tracker_body",
    "tracker_identity",
]

COMMITTED = "okr-committed"  # block name and marker kind of a committed plan
LEDGER = "okr-ledger"
_LEDGER = re.compile(r"<!-- ritual-bot:okr-ledger v=(?P<v>[12])\n(?P<json>[^\n]*)\n-->")
READABLE_LIMIT = 16_000  # beyond this, the compact form (v=2): room is left for the tracker's text
_INFLATED_LIMIT = 8_000_000  # a v=2 ledger inflates to less; more is not a ledger the bot wrote
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


@dataclass(frozen=True)
class Committed:
    """One owner's plan for a quarter as committed: ``owner`` is the login or group name as
    configured, ``quarter`` its name ("2027-Q1")."""

    owner: str
    quarter: str
    plan: Plan


def render_committed(committed: Committed) -> str:
    """The block the planning issue carries once committed: a marker naming owner and quarter,
    then the canonical plan (``render_plan``), which ``parse_plan`` reads back as the same."""
    marker = Marker.of(COMMITTED, owner=committed.owner, quarter=committed.quarter)
    return render_block(COMMITTED, f"{marker.render()}\n\n{render_plan(committed.plan)}")


def read_committed(bot_body: str) -> Committed | None:
    """The committed plan in a body the bot wrote (``Snapshot.bot_body``), or None."""
    inner = read_block(bot_body, COMMITTED)
    marker = first_marker(inner, COMMITTED)
    if inner is None or marker is None:
        return None
    owner, quarter = marker.get("owner"), marker.get("quarter")
    reading = parse_plan(inner)
    if owner is None or quarter is None or not reading.ok:
        return None
    return Committed(owner, quarter, reading.plan)


@dataclass(frozen=True)
class KrRecord:
    """What is known of one KR this quarter.

    ``value`` / ``confidence`` / ``at`` / ``url``: its latest recorded value (None before the
    first), when it was written and a link to where. ``weekly``: the KR's progress (0.0 to 1.0) at
    the end of each ISO week that had a value, by week name ("2027-W02"), for the chart.
    """

    owner: str
    kr: str
    value: Quantity | None = None
    confidence: Confidence | None = None
    at: datetime | None = None
    url: str = ""
    weekly: Mapping[str, float] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Ledger:
    quarter: str
    records: tuple[KrRecord, ...] = ()

    def record(self, owner: str, kr: str) -> KrRecord | None:
        key = owner.casefold()
        return next((r for r in self.records if r.owner.casefold() == key and r.kr == kr), None)

    def of(self, owner: str) -> tuple[KrRecord, ...]:
        key = owner.casefold()
        return tuple(r for r in self.records if r.owner.casefold() == key)


def _record_data(record: KrRecord) -> dict[str, Any]:
    data: dict[str, Any] = {"owner": record.owner, "kr": record.kr}
    if record.value is not None:
        data["value"] = [record.value.value, record.value.unit]
    if record.confidence is not None:
        data["confidence"] = record.confidence.name
    if record.at is not None:
        data["at"] = record.at.isoformat()
    if record.url:
        data["url"] = record.url
    # Weeks at 0 are left out (a KR with no value yet reads 0 anyway): most of a big ledger.
    weekly = {week: round(p, 4) for week, p in sorted(record.weekly.items()) if p}
    if weekly:
        data["weekly"] = weekly
    return data


def render_ledger(ledger: Ledger) -> str:
    """The hidden ledger, one HTML comment; deterministic (same ledger, same text). Readable
    JSON (``v=1``) up to ``READABLE_LIMIT`` characters, the compact form (``v=2``) beyond."""
    data = {"quarter": ledger.quarter, "records": [_record_data(r) for r in ledger.records]}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in _UNSAFE.items():
        text = text.replace(char, escape)
    if len(text) <= READABLE_LIMIT:
        return f"<!-- ritual-bot:{LEDGER} v=1\n{text}\n-->"
    weeks = sorted({week for r in ledger.records for week in r.weekly})
    # The common start of the links as text (their repository's issues URL), not a path.
    prefix = os.path.commonprefix([r.url for r in ledger.records if r.url])  # noqa: RUF071
    rows = [_compact_row(r, weeks, prefix) for r in ledger.records]
    data = {"quarter": ledger.quarter, "weeks": weeks, "prefix": prefix, "rows": rows}
    packed = json.dumps(data, separators=(",", ":"))
    deflated = base64.b64encode(zlib.compress(packed.encode(), 9)).decode("ascii")
    return f"<!-- ritual-bot:{LEDGER} v=2\n{deflated}\n-->"


def _compact_row(record: KrRecord, weeks: Sequence[str], prefix: str) -> list[Any]:
    """One KR as an array: owner, kr, value, unit, confidence, time (Unix seconds), URL after
    the ledger's common prefix, and its progress in whole percents per week of ``weeks``."""
    value = record.value
    return [
        record.owner,
        record.kr,
        value.value if value else None,
        value.unit if value else None,
        record.confidence.name if record.confidence else None,
        int(record.at.timestamp()) if record.at else None,
        record.url[len(prefix) :] if record.url else "",
        [round(100 * record.weekly[w]) if record.weekly.get(w) else None for w in weeks],
    ]


def _expanded(row: Any, weeks: Sequence[Any], prefix: str) -> Any:
    """A compact row as the readable record ``_record`` reads (anything else reads as None)."""
    if not isinstance(row, list) or len(row) != 8 or not isinstance(row[7], list):
        return None
    owner, kr, number, unit, confidence, at, url, weekly = row
    data: dict[str, Any] = {"owner": owner, "kr": kr, "url": f"{prefix}{url}" if url else ""}
    if number is not None:
        data["value"] = [number, unit]
    if confidence is not None:
        data["confidence"] = confidence
    if isinstance(at, int):
        data["at"] = datetime.fromtimestamp(at, UTC).isoformat()
    points = zip(weeks, weekly, strict=False)
    data["weekly"] = {w: p / 100 for w, p in points if isinstance(p, int) and isinstance(w, str)}
    return data


def _inflated(text: str) -> Any:
    """The JSON of a compact ledger, or None when it cannot be read back whole."""
    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(base64.b64decode(text, validate=True), _INFLATED_LIMIT)
        if inflater.unconsumed_tail or not inflater.eof:
            return None
        data = json.loads(raw)
    except (binascii.Error, zlib.error, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        return None
    weeks, prefix = data.get("weeks"), data.get("prefix")
    if not isinstance(weeks, list) or not isinstance(prefix, str):
        return None
    rows = [_expanded(r, weeks, prefix) for r in data["rows"]]
    return {"quarter": data.get("quarter"), "records": rows}


def _record(data: Any) -> KrRecord | None:
    if not isinstance(data, dict):
        return None
    owner, kr = data.get("owner"), data.get("kr")
    if not isinstance(owner, str) or not isinstance(kr, str):
        return None
    raw_value, raw_at = data.get("value"), data.get("at")
    value = None
    if isinstance(raw_value, list) and len(raw_value) == 2:
        number, unit = raw_value
        if isinstance(number, int | float) and isinstance(unit, str):
            value = Quantity(float(number), unit)
    confidence = Confidence.__members__.get(str(data.get("confidence")))
    at = None
    if isinstance(raw_at, str):
        try:
            at = datetime.fromisoformat(raw_at)
        except ValueError:
            at = None
    weekly = data.get("weekly")
    progress = {
        str(week): float(p)
        for week, p in (weekly.items() if isinstance(weekly, dict) else ())
        if isinstance(p, int | float)
    }
    url = data.get("url")
    return KrRecord(owner, kr, value, confidence, at, url if isinstance(url, str) else "", progress)


def read_ledger(bot_body: str) -> Ledger | None:
    """The ledger in a body the bot wrote (``Snapshot.bot_body``), or None when there is none
    or it cannot be read (a damaged record is never half-believed: the caller rebuilds)."""
    found = _LEDGER.search(bot_body or "")
    if found is None:
        return None
    if found["v"] == "2":
        data = _inflated(found["json"])
    else:
        try:
            data = json.loads(found["json"])
        except ValueError:
            return None
    if not isinstance(data, dict) or not isinstance(data.get("quarter"), str):
        return None
    raw = data.get("records")
    records = [_record(r) for r in raw] if isinstance(raw, list) else [None]
    if any(r is None for r in records):
        return None
    return Ledger(data["quarter"], tuple(r for r in records if r is not None))


def key_results_of(plans: Iterable[Committed], owner: str) -> tuple[KeyResult, ...]:
    """The KRs an owner committed to, in written order (none when they have no plan)."""
    key = owner.casefold()
    return next((c.plan.key_results() for c in plans if c.owner.casefold() == key), ())


def okr_listing(label: str, quarter_start: int, today: date) -> IssueQuery:
    """Every OKR issue of the previous, current and next quarters (planning issues, trackers):
    one listing by label, the same for every ritual that reads them, so the runner asks it once."""
    current = Quarter.of(today, quarter_start)
    since = datetime.combine(current.previous().start, time(0), UTC)
    return IssueQuery(label, state="all", created_after=since - timedelta(days=62))


# The identity markers of the OKR ritual's issues, in the body the bot first wrote them with:
# a planning issue (``okr-plan owner=… quarter=…``, whose bot block holds the committed record)
# and the quarter's tracker (``okr-tracker quarter=…``, whose body holds the ledger).
PLANNING = "okr-plan"
TRACKER = "okr-tracker"


def planning_identity(snapshot: Snapshot, issue: Issue) -> tuple[str, str] | None:
    """(owner, quarter) of a planning issue the bot opened."""
    marker = snapshot.first_written(issue, PLANNING)
    owner, quarter = (marker.get("owner"), marker.get("quarter")) if marker else (None, None)
    return (owner, quarter) if owner and quarter else None


def tracker_identity(snapshot: Snapshot, issue: Issue) -> str | None:
    """The quarter of a tracker the bot opened."""
    marker = snapshot.first_written(issue, TRACKER)
    return marker.get("quarter") if marker else None


def planning_body(committed: Committed) -> str:
    """A planning issue's body as the bot leaves it once committed, reduced to what identifies it
    and the record: what a test or a migration writes to stand for one."""
    marker = Marker.of(PLANNING, owner=committed.owner, quarter=committed.quarter)
    return f"{marker.render()}\n{render_block(PLANNING, render_committed(committed))}\n"


def tracker_body(ledger: Ledger) -> str:
    """A tracker's body reduced to what identifies it and its ledger (see ``planning_body``)."""
    return f"{Marker.of(TRACKER, quarter=ledger.quarter).render()}\n{render_ledger(ledger)}\n"


def committed_of(snapshot: Snapshot, issue: Issue) -> Committed | None:
    """The plan committed on a planning issue: the record inside the bot's own block of the body
    as the bot last wrote it, for that issue's owner and quarter. A record a person wrote
    anywhere else (earlier in the body, in another issue the bot rewrites) counts for nothing."""
    identity = planning_identity(snapshot, issue)
    if identity is None:
        return None
    committed = read_committed(read_block(snapshot.bot_body(issue), PLANNING) or "")
    if committed is None or (committed.owner, committed.quarter) != identity:
        return None
    return committed


def committed_plans(snapshot: Snapshot, quarter: str) -> list[Committed]:
    """Every plan committed for the quarter (``committed_of`` each planning issue)."""
    found = [committed_of(snapshot, issue) for issue in snapshot.issues]
    return [c for c in found if c is not None and c.quarter == quarter]


def quarter_ledger(snapshot: Snapshot, quarter: str) -> Ledger | None:
    """The quarter's ledger, from the body its tracker had when the bot last wrote it."""
    for issue in snapshot.issues:
        if tracker_identity(snapshot, issue) == quarter:
            ledger = read_ledger(snapshot.bot_body(issue))
            if ledger is not None and ledger.quarter == quarter:
                return ledger
    return None
