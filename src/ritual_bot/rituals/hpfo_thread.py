"""Reading one check-in thread: the member's answer, their ``/skip``, replies and open questions.

Pure functions over a check-in issue and its comments as they read now (edited comments carry
their new text, deleted ones are gone), so every run derives the same view from the same thread.
Comments by bots never count (SPEC §7), and ``/skip`` only counts from the member (SPEC §3).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ritual_bot.answers import HpfoAnswer, latest_answer, parse_answer
from ritual_bot.markdown import plain_lines
from ritual_bot.model import Comment, Issue

# A command is a line of its own ("/skip", "/skip: on holiday"), never inside code or quotes.
_SKIP_RE = re.compile(r"^\s*/skip(?![\w-])[\s:,-]*(?P<reason>.*)$", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Question:
    author: str
    text: str
    comment_id: int


@dataclass(frozen=True)
class Reply:
    """A teammate's comments on someone's check-in."""

    login: str
    bodies: tuple[str, ...]


@dataclass(frozen=True)
class ThreadView:
    answer: HpfoAnswer | None
    member_spoke: bool  # any comment of the member's own that is not only a command
    notes: tuple[str, ...]  # the member's own comments that hold no HPFO section
    skip: Comment | None  # the member's first /skip
    skip_reason: str
    denied_skips: tuple[Comment, ...]  # /skip written by someone else
    replies: tuple[Reply, ...]
    open_questions: tuple[Question, ...]

    @property
    def answered(self) -> bool:
        """An HPFO answer, or any words of the member's own: a free-form update counts too
        (its gist goes into the summary), and nobody is reminded after speaking up."""
        return self.answer is not None or self.member_spoke


def skip_reason(body: str) -> str | None:
    """The reason after a ``/skip`` line ('' when none), or None if the body holds no /skip."""
    for line in plain_lines(body):
        match = _SKIP_RE.match(line.text)
        if match is not None:
            return match["reason"].strip()
    return None


def human_comments(comments: Sequence[Comment]) -> list[Comment]:
    """Comments by people, oldest first: a bot's words are never an answer or a reply."""
    people = [c for c in comments if not c.author.is_bot]
    return sorted(people, key=lambda c: (c.created_at, c.id))


def read_thread(
    issue: Issue, member: str, comments: Sequence[Comment], body_answer: bool
) -> ThreadView:
    """What the thread says. ``body_answer``: the member edited the issue body to answer."""
    people = human_comments(comments)
    own = [c for c in people if c.author.same(member)]
    others = [c for c in people if not c.author.same(member)]
    texts = ([issue.body] if body_answer else []) + [c.body for c in own]
    skips = [(c, reason) for c in own if (reason := skip_reason(c.body)) is not None]
    return ThreadView(
        answer=latest_answer(texts),
        member_spoke=body_answer or any(not _only_command(c.body) for c in own),
        notes=tuple(
            c.body for c in own if not _only_command(c.body) and parse_answer(c.body) is None
        ),
        skip=skips[0][0] if skips else None,
        skip_reason=skips[0][1] if skips else "",
        denied_skips=tuple(c for c in others if skip_reason(c.body) is not None),
        replies=_replies(others),
        open_questions=_open_questions(people),
    )


def _only_command(body: str) -> bool:
    lines = plain_lines(body)
    return bool(lines) and all(_SKIP_RE.match(line.text) for line in lines)


def _replies(others: Sequence[Comment]) -> tuple[Reply, ...]:
    by_login: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for comment in others:
        if skip_reason(comment.body) is not None and _only_command(comment.body):
            continue  # a refused /skip is not a reply
        key = comment.author.login.casefold()
        names.setdefault(key, comment.author.login)
        by_login.setdefault(key, []).append(comment.body)
    return tuple(Reply(names[key], tuple(bodies)) for key, bodies in by_login.items())


def questions_in(body: str) -> list[str]:
    """Sentences ending with "?" in the author's own prose (not code, quotes or comments)."""
    found: list[str] = []
    for line in plain_lines(body):
        for sentence in _SENTENCE_END_RE.split(line.text.strip()):
            if sentence.rstrip().endswith("?"):  # also French spacing, "ça marche ?"
                found.append(sentence.strip())
    return found


def _open_questions(people: Sequence[Comment]) -> tuple[Question, ...]:
    """Questions nobody else has spoken after: an answer is any later comment by someone else."""
    open_ones: list[Question] = []
    for index, comment in enumerate(people):
        later = people[index + 1 :]
        if any(not c.author.same(comment.author.login) for c in later):
            continue
        open_ones += [
            Question(comment.author.login, text, comment.id) for text in questions_in(comment.body)
        ]
    return tuple(open_ones)
