"""What every part of the HPFO ritual shares: its vocabulary and the check-ins as read back.

Each check-in issue carries the marker ``hpfo-checkin member=<login> period=<YYYY-Www>``; that
marker, found among the issues listed by the managed label and only in issues the bot opened, is
what makes opening, reminding, closing and the digest idempotent (SPEC §7). A person can edit
that body, though: the ritual reads identities through ``hpfo.identity``, which trusts a marker
only where it is consistent with what nobody can rewrite; ``checkins`` here is the raw reading.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ritual_bot.answers import HpfoAnswer, latest_answer
from ritual_bot.markers import find_markers, first_marker, read_block, render_block, replace_block
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.periods import Period

MANAGED_LABEL = "ritual:hpfo"
DIGEST_LABEL = "ritual:hpfo-digest"
SUMMARY_BLOCK = "hpfo-summary"


class Kind(enum.StrEnum):
    """The markers (dedup keys) the HPFO ritual writes."""

    CHECKIN = "hpfo-checkin"
    PRISTINE = "pristine"
    REMINDER = "hpfo-reminder"
    SKIP_REFUSED = "hpfo-skip-refused"
    OUTCOME = "hpfo-outcome"
    DIGEST = "hpfo-digest"
    HISTORY = "hpfo-history"
    DIGEST_PART = "hpfo-digest-part"  # a continuation comment of a digest too big for one body
    FOCUS = "hpfo-focus"  # who a digest found below okrs.focus_threshold in its week
    KR_UNKNOWN = "hpfo-kr-unknown"  # an objective names a KR the member does not own (SPEC §8)


class Outcome(enum.StrEnum):
    """How a member's week ended, as counted in the digest (SPEC §3)."""

    ANSWERED = "answered"
    MISSING = "missing"
    SKIPPED = "skipped"
    AWAY = "away"  # no check-in was opened: never the outcome of an issue


@dataclass(frozen=True)
class Checkin:
    """A check-in issue the bot opened, as read from the snapshot."""

    issue: Issue
    member: str
    period: Period
    # The body as the bot first wrote it, when known (hpfo.identity): what "edited" is judged on.
    original: str | None = None

    def is_member(self, login: str) -> bool:
        return self.member.casefold() == login.casefold()


def checkins(snapshot: Snapshot) -> list[Checkin]:
    """The bot's check-in issues; a marker in an issue someone else wrote does not count."""
    found = []
    for issue in snapshot.issues:
        # A copy closed as a duplicate (ritual_bot.dedupe) is not the member's week.
        if not snapshot.is_bot_author(issue.author) or issue.state_reason == "duplicate":
            continue
        marker = first_marker(issue.body, Kind.CHECKIN)
        member, period = (marker.get("member"), marker.get("period")) if marker else (None, None)
        if member and period:
            try:
                found.append(Checkin(issue, member, Period.parse(period)))
            except ValueError:
                continue  # a damaged marker is not a check-in
    return found


@dataclass(frozen=True)
class Digest:
    """A team digest issue the bot opened, and the period it tells."""

    issue: Issue
    period: Period


def find_checkin(found: Sequence[Checkin], login: str, period: Period) -> Checkin | None:
    return next((c for c in found if c.period == period and c.is_member(login)), None)


class CheckinIndex:
    """``find_checkin`` for loops over the team: indexed once, each lookup in constant time.

    Planning asks for every member's current and previous week; scanning all check-ins each time
    made a Monday plan quadratic in the team's size (issue 11). Same answers: the first
    check-in found for a member and period.
    """

    def __init__(self, found: Iterable[Checkin]) -> None:
        self._by_key: dict[tuple[str, Period], Checkin] = {}
        for checkin in found:
            self._by_key.setdefault((checkin.member.casefold(), checkin.period), checkin)

    def find(self, login: str, period: Period) -> Checkin | None:
        return self._by_key.get((login.casefold(), period))


# --- Reading an answer ---------------------------------------------------------------------------


def answer_area(body: str) -> str:
    """The body as the member wrote it: without the bot's markers and closing summary."""
    if read_block(body, SUMMARY_BLOCK) is not None:
        body = replace_block(body, SUMMARY_BLOCK, "").replace(render_block(SUMMARY_BLOCK, ""), "")
    for marker in find_markers(body):
        body = body.replace(marker.render(), "")
    return body.strip()


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def body_was_edited(body: str) -> bool:
    """Whether someone changed the check-in body since the bot wrote it.

    The bot records a fingerprint of the body it wrote; an unchanged body (empty sections, the
    carried-over boxes unticked) is not an answer.
    """
    pristine = first_marker(body, Kind.PRISTINE)
    return pristine is None or pristine.get("sha") != fingerprint(answer_area(body))


def _words(text: str) -> list[str]:
    return text.split()


def answered_in_body(checkin: Checkin) -> bool:
    """Whether the member wrote in the body: judged against the bot's first revision when known.

    The PRISTINE fingerprint is in the body, so a person can delete or paste it: with the
    original at hand (the edit history, or an untouched issue) the text itself is compared,
    markers and the bot's summary aside and whitespace ignored, so removing or pasting a marker
    neither makes a real answer vanish nor turns an untouched template into an answer.
    """
    if checkin.original is not None:
        return _words(answer_area(checkin.issue.body)) != _words(answer_area(checkin.original))
    return body_was_edited(checkin.issue.body)


def member_answer(checkin: Checkin, comments: Sequence[Comment]) -> HpfoAnswer | None:
    """The member's latest answer: from their comments as they read now, else the edited body."""
    body = checkin.issue.body
    texts = [answer_area(body)] if answered_in_body(checkin) else []
    ordered = sorted(comments, key=lambda c: (c.created_at, c.id))
    texts += [c.body for c in ordered if c.author.same(checkin.member) and not c.author.is_bot]
    return latest_answer(texts)
