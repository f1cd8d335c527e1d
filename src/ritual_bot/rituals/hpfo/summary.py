"""Closing a member's week: the summary written into the bot-owned block, in the closing PATCH.

Deterministic and extractive (SPEC §5): the parsed HPFO, who replied and the gist of what they
said, the questions nobody answered. One ``UpdateIssue`` carries the new body, the state and the
state reason, so closing a week costs one request
(https://docs.github.com/rest/issues/issues#update-an-issue). The block starts with an outcome
marker the digest reads back, so the digest needs no comment at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ritual_bot.answers import HpfoAnswer, parse_answer
from ritual_bot.markers import Marker, first_marker, read_block, replace_block
from ritual_bot.model import Issue
from ritual_bot.ops import UpdateIssue
from ritual_bot.periods import Period
from ritual_bot.rituals.hpfo.core import SUMMARY_BLOCK, Checkin, Kind, Outcome
from ritual_bot.rituals.hpfo.thread import ThreadView
from ritual_bot.summary import own_text
from ritual_bot.templates import Templates

# GitHub refuses bodies over 65,536 characters; keep a margin for the markers around the block.
BODY_LIMIT = 65_000
MAX_REPLIES = 12
MAX_QUESTIONS = 10
MAX_ITEMS = 25
GIST = 240

# https://docs.github.com/rest/issues/issues#update-an-issue: "completed" or "not_planned".
_STATE_REASON = {Outcome.ANSWERED: "completed"}


def outcome_of(view: ThreadView) -> Outcome:
    if view.skip is not None:
        return Outcome.SKIPPED
    return Outcome.ANSWERED if view.answered else Outcome.MISSING


def render_summary(
    templates: Templates, checkin: Checkin, view: ThreadView, *, compact: bool = False
) -> str:
    outcome = outcome_of(view)
    repliers = ":".join(reply.login for reply in view.replies)
    # The period names whose week this summary closed: a summary pasted from another week (a
    # member copying last week's body) is not this week's (``has_summary``).
    fields = {"status": outcome.value, "period": str(checkin.period)}
    fields |= {"repliers": repliers} if repliers else {}
    text = templates.render(
        "hpfo_summary.md.j2",
        outcome=outcome.value,
        member=checkin.member,
        period=str(checkin.period),
        answer=None if compact else _capped(view.answer),
        skip_reason=view.skip_reason,
        # People's own sentences only: no headings, quotes or command words (issue 12).
        notes=own_text(view.notes, GIST * 2),
        replies=[
            {"login": r.login, "count": len(r.bodies), "text": own_text(r.bodies, GIST)}
            for r in view.replies[:MAX_REPLIES]
        ],
        more_replies=max(0, len(view.replies) - MAX_REPLIES),
        questions=[] if compact else list(view.open_questions[:MAX_QUESTIONS]),
        more_questions=max(0, len(view.open_questions) - MAX_QUESTIONS),
        compact=compact,
    )
    return f"{Marker.of(Kind.OUTCOME, **fields).render()}\n{text.strip()}"


def _capped(answer: HpfoAnswer | None) -> HpfoAnswer | None:
    if answer is None:
        return None
    return HpfoAnswer(
        highlights=answer.highlights[:MAX_ITEMS],
        progress=answer.progress[:MAX_ITEMS],
        fires=answer.fires,  # fires are never dropped
        objectives=answer.objectives[:MAX_ITEMS],
    )


def closing_op(templates: Templates, checkin: Checkin, view: ThreadView) -> UpdateIssue:
    """Close the week: completed with an answer, else not planned (missing or skipped)."""
    issue = checkin.issue
    reason = _STATE_REASON.get(outcome_of(view), "not_planned")
    for compact in (False, True):
        block = render_summary(templates, checkin, view, compact=compact)
        body = replace_block(issue.body, SUMMARY_BLOCK, block)
        if len(body) <= BODY_LIMIT:
            return UpdateIssue(issue.number, body=body, state="closed", state_reason=reason)
    # The member filled the body to the brim: close without a summary rather than fail.
    return UpdateIssue(issue.number, state="closed", state_reason=reason)


# --- Reading a closed week back (for the digest) -------------------------------------------------


@dataclass(frozen=True)
class ClosedWeek:
    checkin: Checkin
    outcome: Outcome
    answer: HpfoAnswer | None
    repliers: tuple[str, ...]

    @property
    def issue(self) -> Issue:
        return self.checkin.issue


def read_closed(checkin: Checkin) -> ClosedWeek:
    """The outcome recorded when the bot closed the week (or what the state says, if none)."""
    block = read_block(checkin.issue.body, SUMMARY_BLOCK) or ""
    marker = first_marker(block, Kind.OUTCOME)
    status = marker.get("status") if marker else None
    try:
        outcome = Outcome(status) if status else _outcome_from_state(checkin.issue)
    except ValueError:
        outcome = _outcome_from_state(checkin.issue)
    repliers = tuple(filter(None, (marker.get("repliers") or "").split(":"))) if marker else ()
    answer = parse_answer(block) if outcome is Outcome.ANSWERED else None
    return ClosedWeek(checkin, outcome, answer, repliers)


def _outcome_from_state(issue: Issue) -> Outcome:
    return Outcome.ANSWERED if issue.state_reason == "completed" else Outcome.MISSING


def has_summary(issue: Issue, period: Period | None = None) -> bool:
    """A week the bot already closed once: a person who reopened it wants it open.

    With ``period``, a summary that names another week does not count: it was pasted with a copy
    of that week's body. Summaries written before they named their period count as they are.
    """
    block = read_block(issue.body, SUMMARY_BLOCK)
    if block is None:
        return False
    marker = first_marker(block, Kind.OUTCOME)
    named = marker.get("period") if marker else None
    return period is None or named is None or named == str(period)


def closed_weeks(found: Sequence[Checkin]) -> list[ClosedWeek]:
    return [read_closed(c) for c in found if not c.issue.is_open]
