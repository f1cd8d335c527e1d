"""Decisions the bot opens itself: proposal files and ``ritual-bot decision open``.

A proposal is a Markdown file in ``.github/decisions/`` with YAML front matter (title, dri,
stakeholders, due), merged to the default branch; the next scheduled run opens it once. The
issue carries a marker with a key derived from the file's path (so editing the file later does
not open it again) and the blob sha it was opened from. ``decision open`` (CLI or
``workflow_dispatch`` inputs) is keyed on its inputs, so re-running the same dispatch opens nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from ritual_bot.markers import Marker
from ritual_bot.model import RepoFile
from ritual_bot.rituals.base import Context
from ritual_bot.rituals.signoff.commands import (
    LOGIN,
    MAX_DEADLINE_YEARS,
    NAME,
    latest_deadline,
    parse_day,
    too_far,
)
from ritual_bot.rituals.signoff.state import Start

PROPOSALS_FOLDER = ".github/decisions"
PROPOSAL = "decision-proposal"
OPENED = "decision-opened"
# The workflow_dispatch inputs of `decision open` (SPEC §4; `init` declares them in the workflow,
# since GitHub refuses undeclared inputs with 422). The `decision_` names of earlier releases
# are still read.
INPUTS = ("title", "dri", "stakeholders", "deadline", "body")


def dispatch_input(inputs: dict[str, str], name: str) -> str:
    return (inputs.get(name) or inputs.get(f"decision_{name}") or "").strip()


def dispatch_title(inputs: dict[str, str]) -> str:
    return dispatch_input(inputs, "title")


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_WORDS = re.compile(r"[\s,;]+")
TITLE_LIMIT = 256  # GitHub's issue title limit


def key_of(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def proposal_key(path: str) -> str:
    return key_of("proposal", path)


@dataclass(frozen=True)
class Proposal:
    title: str
    body: str
    dri: str | None
    stakeholders: tuple[str, ...]
    deadline: date | None
    marker: Marker
    problem: str | None = None
    source: str = "workflow_dispatch inputs"  # where it came from, for the report

    @property
    def ok(self) -> bool:
        return self.problem is None and bool(self.title) and self.dri is not None

    @property
    def key(self) -> str:
        return self.marker.get("key") or ""

    def checked(self, ctx: Context) -> Proposal:
        """With the problems only the run can see: a deadline too far ahead (issue 10)."""
        if self.problem is None and self.deadline is not None:
            today = ctx.now.astimezone(ZoneInfo(ctx.config.timezone)).date()
            problem = deadline_problem(self.deadline, today)
            if problem:
                return replace(self, problem=problem)
        return self

    def start(self, ctx: Context) -> Start:
        assert self.dri is not None
        decisions = ctx.config.decisions
        named = ctx.config.expand(self.stakeholders or decisions.stakeholders)
        people = tuple(s for s in named if s.casefold() != self.dri.casefold() and LOGIN.match(s))
        today = ctx.now.astimezone(ZoneInfo(ctx.config.timezone)).date()
        deadline = self.deadline or today + timedelta(days=decisions.feedback_days)
        return Start(self.dri, people, deadline)


def deadline_problem(day: date, today: date) -> str | None:
    """Why a feedback deadline is refused, None when it is accepted."""
    if too_far(day, today):
        latest = latest_deadline(today).isoformat()
        return (
            f"the deadline {day.isoformat()} is too far away: give a date at most "
            f"{MAX_DEADLINE_YEARS} years ahead, by {latest} at the latest"
        )
    return None


def names(value: Any) -> tuple[str, ...]:
    """Logins or group names from a YAML list or a "a, @b c" string."""
    words: Iterable[Any] = value if isinstance(value, list) else _WORDS.split(str(value or ""))
    found = (NAME.match(str(w).strip()) for w in words)
    return tuple(dict.fromkeys(m.group(1) for m in found if m))


def login(value: Any) -> str | None:
    match = LOGIN.match(str(value or "").strip())
    return match.group(1) if match else None


def read_proposal(file: RepoFile) -> Proposal:
    marker = Marker.of(PROPOSAL, key=proposal_key(file.path), sha=file.sha)
    match = _FRONT_MATTER.match(file.content)
    meta: Any = {}
    if match:
        try:
            meta = yaml.safe_load(match["yaml"]) or {}
        except yaml.YAMLError:
            meta = None
    body = file.content[match.end() :] if match else file.content
    source = f"\n\n<sub>Proposed in `{file.path}` (blob {file.sha[:12]}).</sub>\n"
    if not isinstance(meta, dict):
        problem = "front matter is not a YAML mapping"
        return Proposal("", body, None, (), None, marker, problem, source=file.path)
    due = meta.get("due")
    return Proposal(
        title=str(meta.get("title") or "").strip()[:TITLE_LIMIT],
        body=body.strip() + source,
        dri=login(meta.get("dri")),
        stakeholders=names(meta.get("stakeholders")),
        deadline=due if isinstance(due, date) else parse_day(str(due or "")),
        marker=marker,
        source=file.path,
    )


def dispatch_proposal(inputs: dict[str, str]) -> Proposal:
    values = [dispatch_input(inputs, name) for name in INPUTS]
    title, dri, stakeholders, deadline, body = values
    marker = Marker.of(OPENED, key=key_of("dispatch", *values))
    day = parse_day(deadline) if deadline else None
    problem = "the deadline is not YYYY-MM-DD" if deadline and day is None else None
    chosen = login(dri.strip().removeprefix("@"))
    if chosen is None:
        given = dri.strip()
        problem = f"the DRI {given!r} is not a GitHub login" if given else "no DRI was given"
    return Proposal(
        title=title[:TITLE_LIMIT],
        body=body,
        dri=chosen,
        stakeholders=names(stakeholders),
        deadline=day,
        marker=marker,
        problem=problem,
    )
