"""Turning a derived decision into the bot's Markdown: the block, comments and the record file.

Templates receive people's text only as data and print it through the ``inline`` / ``shorten``
/ ``neutralize`` filters; the one multi-line piece (a decision's rationale) is prepared here by
:func:`quoted`, which keeps its Markdown but defuses HTML and mentions. Every body carries its
marker and is kept under GitHub's body limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ritual_bot.markdown import LineKind, classify_lines, neutralize_mentions, without_comments
from ritual_bot.markers import Marker
from ritual_bot.model import Comment, Issue
from ritual_bot.rituals.signoff.commands import Command
from ritual_bot.rituals.signoff.state import (
    NOT_THEIRS,
    Concern,
    Derived,
    Outcome,
    Reason,
    Rejection,
    Roster,
    Stance,
)
from ritual_bot.summary import SAFE_LIMIT, Said, summarize
from ritual_bot.templates import Templates

BLOCK = "decision"
HINT = "decision-hint"
RATIONALE_CHARS = 8_000
_SLUG = re.compile(r"[^a-z0-9]+")


class Status:
    """Where a decision stands; values match the ``decision: …`` labels."""

    OPEN = "open"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Record:
    """A recorded outcome as the thread shows it: the command and the bot's comment for it."""

    outcome: Outcome
    url: str  # the bot's summary (or withdrawal) comment, "" before it is posted


def day_of(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def quoted(text: str, limit: int = RATIONALE_CHARS) -> str:
    """Someone's multi-line Markdown as a block quote in a bot body: HTML and mentions defused.

    ``<`` becomes ``&lt;`` outside code (no hidden marker, no unclosed ``<details>`` can leak out
    of the quote); code keeps its text; mentions do not ping again. HTML comments, hidden where
    the author wrote them, are left out rather than shown escaped (with the mentions inside).
    Empty text gives an empty string, so templates leave the quote out.
    """
    text = without_comments(text)
    if not text.strip():
        return ""
    lines = []
    for line in classify_lines(neutralize_mentions(text[:limit])):
        lines.append(line.text if line.kind is LineKind.CODE else line.text.replace("<", "&lt;"))
    body = "\n".join(lines).strip()
    if len(text) > limit:
        body += "\n\n…"
    return "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))


def _outcome_view(outcome: Outcome, timezone: str) -> dict[str, Any]:
    return {
        "text": outcome.text,
        "actor": outcome.actor,
        "date": day_of(outcome.written_at, timezone).isoformat(),
        "url": outcome.comment.html_url,
    }


def _rows(derived: Derived, gists: dict[str, str] | None = None) -> list[dict[str, Any]]:
    rows = []
    for f in derived.feedback:
        latest = f.latest
        rows.append(
            {
                "login": f.login,
                "stance": f.stance.value,
                "given": f.stance.gave_feedback,
                "url": latest.html_url if latest else "",
                "gist": (gists or {}).get(f.login.casefold(), ""),
            }
        )
    return rows


def _concern_view(c: Concern) -> dict[str, Any]:
    return {
        "number": c.number,
        "author": c.author,
        "text": c.text,
        "objection": c.objection,
        "withdrawn": c.withdrawn,
        "url": c.comment.html_url if c.comment else "",
        "resolved_by": c.resolved_by,
        "resolved_url": c.resolved_in.html_url if c.resolved_in else "",
    }


def _common(derived: Derived, timezone: str) -> dict[str, Any]:
    concerns = [_concern_view(c) for c in derived.concerns]
    return {
        "dri": derived.dri,
        "deadline": derived.deadline.isoformat(),
        "timezone": timezone,
        "given": sum(1 for f in derived.feedback if f.stance.gave_feedback),
        "concerns": concerns,
        "open_concerns": [c for c in concerns if not c["resolved_by"] and not c["withdrawn"]],
        "resolved_concerns": [c for c in concerns if c["resolved_by"]],
        "withdrawn_concerns": [c for c in concerns if c["withdrawn"]],
    }


@dataclass(frozen=True)
class Hint:
    """What the bot notes in its block for later runs.

    The block is in the body, which people can edit: the status and reminder flags only decide
    whether a scheduled run reads the thread at all (what is then written is derived from the
    thread), and the concern numbers are read from the block as the bot last wrote it (its edit
    history) before anything that depends on them is written.
    """

    status: str
    deadline: date
    before: bool  # the day-before reminder was sent
    due: bool  # the deadline reminder was sent
    concerns: tuple[str, ...] = ()  # concern keys in number order (Concern.key)
    seen: int | None = None  # comments on the issue once the bot's last run was done

    def marker(self) -> Marker:
        fields = {
            "status": self.status,
            "deadline": self.deadline.isoformat(),
            "before": str(int(self.before)),
            "due": str(int(self.due)),
        }
        if self.concerns:
            fields["concerns"] = ":".join(self.concerns)
        if self.seen is not None:
            fields["seen"] = str(self.seen)
        return Marker.of(HINT, **fields)

    @classmethod
    def from_marker(cls, marker: Marker) -> Hint | None:
        keys = tuple(k for k in (marker.get("concerns") or "").split(":") if _KEY.match(k))
        try:
            return cls(
                status=marker.get("status") or "",
                deadline=date.fromisoformat(marker.get("deadline") or ""),
                before=marker.get("before") == "1",
                due=marker.get("due") == "1",
                concerns=keys,
                seen=int(seen) if (seen := marker.get("seen") or "").isdigit() else None,
            )
        except ValueError:
            return None


_KEY = re.compile(r"^\d{1,20}(?:\.\d{1,3})?$")


def render_block(
    templates: Templates,
    derived: Derived,
    *,
    status: str,
    timezone: str,
    hint: Hint,
    reopened: Record | None = None,
) -> str:
    """The content of the bot-owned block (without its begin/end markers)."""
    outcome = derived.outcome if status != Status.OPEN else None
    text = templates.render(
        "decision_block.md.j2",
        status=status,
        rows=_rows(derived),
        outcome=_outcome_view(outcome, timezone) if outcome else None,
        reopened=_record_view(reopened, timezone) if reopened else None,
        **_common(derived, timezone),
    )
    return f"{text.strip()}\n{hint.marker().render()}"


def render_compact_block(
    templates: Templates, derived: Derived, *, status: str, timezone: str, hint: Hint, full_url: str
) -> str:
    """The block when the author's text leaves no room for the whole one (issue 10): the
    essentials, the hint later runs need, and a link to where the full state is."""
    text = templates.render(
        "decision_block_compact.md.j2",
        status=status,
        total=len(derived.feedback),
        full_url=full_url,
        **_common(derived, timezone),
    )
    return f"{text.strip()}\n{hint.marker().render()}"


def _record_view(record: Record, timezone: str) -> dict[str, Any]:
    return {
        "date": day_of(record.outcome.written_at, timezone).isoformat(),
        "url": record.url or record.outcome.comment.html_url,
    }


def with_marker(marker: Marker, text: str) -> str:
    return f"{marker.render()}\n{text.strip()}\n"


def render_start(
    templates: Templates, derived: Derived, timezone: str, *, refused: str = "", years: int = 0
) -> str:
    """The start comment; ``refused``: the form's deadline, too far ahead, replaced by the
    default (``years``: how far ahead one may be)."""
    return templates.render(
        "decision_start.md.j2",
        dri=derived.dri,
        stakeholders=list(derived.stakeholders),
        deadline=derived.deadline.isoformat(),
        timezone=timezone,
        refused_deadline=refused,
        max_years=years,
    )


def render_reply(
    templates: Templates, rejections: Sequence[Rejection], derived: Derived, issue_author: str
) -> str:
    problems = [_problem(r, derived, issue_author) for r in rejections]
    author = rejections[0].comment.author.login
    return templates.render("decision_reply.md.j2", author=author, problems=problems)


def _problem(rejection: Rejection, derived: Derived, issue_author: str) -> dict[str, Any]:
    parsed = rejection.parsed
    # Whose text it is comes first: a typo in a command someone else slipped in is beside the point.
    problem = parsed.problem if rejection.reason not in NOT_THEIRS else None
    return {
        "name": parsed.name,
        "problem": problem.value if problem else None,
        "suggestion": parsed.suggestion or "",
        "reason": rejection.reason.value,
        "who": _who(rejection, derived, issue_author),
        "detail": rejection.detail,
    }


def _who(rejection: Rejection, derived: Derived, issue_author: str) -> str:
    """Who may do it, named without pinging them, as things stood when the command was weighed
    (a stakeholder added later was not one when their early ``/approve`` was refused)."""
    command = rejection.parsed.command
    roster = rejection.roster or Roster(
        derived.dri, derived.stakeholders, tuple(c.number for c in derived.open_concerns)
    )
    if rejection.reason in NOT_THEIRS:
        names = [f"@{rejection.by}" if rejection.by else "someone"]
    elif command in (Command.APPROVE, Command.CONCERN, Command.OBJECT, Command.ABSTAIN):
        names = [f"@{s}" for s in roster.stakeholders] or ["none yet"]
    elif rejection.reason is Reason.NEEDS_RATIONALE:
        names = [f"#{n}" for n in roster.open_concerns]
    elif command is Command.RESOLVE and rejection.reason.value == "no-such-concern":
        names = [f"#{n}" for n in roster.open_concerns] or ["none"]
    elif command is Command.RESOLVE:
        names = [f"@{roster.dri}"]
    elif command is Command.WITHDRAW:
        names = list(dict.fromkeys([f"@{roster.dri}", f"@{issue_author}"]))
    else:
        names = [f"@{roster.dri}"]
    return neutralize_mentions(", ".join(names))


def render_remind_before(
    templates: Templates, derived: Derived, missing: Sequence[str], timezone: str
) -> str:
    return templates.render(
        "decision_remind_before.md.j2",
        missing=list(missing),
        deadline=derived.deadline.isoformat(),
        timezone=timezone,
    )


def render_remind_due(templates: Templates, derived: Derived, timezone: str) -> str:
    return templates.render(
        "decision_remind_due.md.j2",
        total=len(derived.feedback),
        missing=list(derived.without_feedback),
        ready=derived.ready,
        **_common(derived, timezone),
    )


def render_withdrawn(templates: Templates, outcome: Outcome, timezone: str) -> str:
    return templates.render("decision_withdrawn.md.j2", **_outcome_view(outcome, timezone))


def render_summary(
    templates: Templates,
    issue: Issue,
    derived: Derived,
    people: Sequence[Comment],
    *,
    timezone: str,
    supersedes: Record | None,
) -> str:
    """The decision summary comment, shortened until it fits GitHub's body limit."""
    outcome = derived.outcome
    assert outcome is not None
    for gist_chars, rationale_chars in ((240, RATIONALE_CHARS), (120, 2_000), (60, 500), (0, 0)):
        text = _summary_text(
            templates, derived, people, timezone, supersedes, gist_chars, rationale_chars
        )
        if len(text) <= SAFE_LIMIT:
            return text
    return text[:SAFE_LIMIT] + "\n…\n"


def _summary_text(
    templates: Templates,
    derived: Derived,
    people: Sequence[Comment],
    timezone: str,
    supersedes: Record | None,
    gist_chars: int,
    rationale_chars: int,
) -> str:
    outcome = derived.outcome
    assert outcome is not None
    # The decision's own comment is its rationale, not feedback: left out of the gists.
    thread = summarize([c for c in people if c.id != outcome.comment.id])
    gists = {p.login.casefold(): p.gist for p in thread.participants}
    stakeholders = {s.casefold() for s in derived.stakeholders} | {derived.dri.casefold()}
    others: list[Said] = [p for p in thread.participants if p.login.casefold() not in stakeholders]
    return templates.render(
        "decision_summary.md.j2",
        outcome=_outcome_view(outcome, timezone),
        rationale=quoted(outcome.rationale, rationale_chars) if rationale_chars else "",
        rows=_rows(derived, gists),
        supersedes=_record_view(supersedes, timezone) if supersedes else None,
        participation=_participation(derived, thread.comments, len(thread.participants)),
        others=others[:50],
        questions=list(thread.open_questions[:20]),
        gist_chars=max(gist_chars, 1),
        **_common(derived, timezone),
    )


def _participation(derived: Derived, comments: int, people: int) -> dict[str, Any]:
    """The numbers of the summary's participation line; the template words them (and their
    plurals) in its language."""
    counts = {s: 0 for s in Stance}
    for f in derived.feedback:
        counts[f.stance] += 1
    return {
        "given": sum(1 for f in derived.feedback if f.stance.gave_feedback),
        "total": len(derived.feedback),
        "stances": [(s.value, n) for s, n in counts.items() if n and s is not Stance.NONE],
        "comments": comments,
        "people": people,
    }


def record_path(folder: str, issue: Issue) -> str:
    """``docs/decisions/0042-use-postgres.md``: one file per decision issue."""
    ascii_title = unicodedata.normalize("NFKD", issue.title).encode("ascii", "ignore").decode()
    slug = _SLUG.sub("-", ascii_title.lower()).strip("-")[:50].strip("-") or "decision"
    return f"{folder.rstrip('/')}/{issue.number:04d}-{slug}.md"


def render_record(
    templates: Templates,
    issue: Issue,
    derived: Derived,
    *,
    timezone: str,
    supersedes: Record | None,
) -> str:
    """The MADR-style record file (https://adr.github.io/madr/)."""
    outcome = derived.outcome
    assert outcome is not None
    text = templates.render(
        "decision_record.md.j2",
        title=issue.title,
        status="accepted",
        number=issue.number,
        issue_url=issue.html_url,
        outcome=_outcome_view(outcome, timezone),
        rationale=quoted(outcome.rationale),
        rows=_rows(derived),
        supersedes=_record_view(supersedes, timezone) if supersedes else None,
        **_common(derived, timezone),
    )
    return text.strip() + "\n"
