"""Reading one check-in thread: the member's answer, their ``/skip``, replies and open questions.

Pure functions over a check-in issue and its comments as they read now (edited comments carry
their new text, deleted ones are gone), so every run derives the same view from the same thread.
Comments by bots never count (SPEC §7), and ``/skip`` only counts from the member (SPEC §3).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ritual_bot.answers import HpfoAnswer, latest_of, parse_answer
from ritual_bot.commands import SKIP_RE
from ritual_bot.markdown import Line, plain_lines
from ritual_bot.model import Comment, Issue
from ritual_bot.summary import last_word, questions

# Where a /skip line can be at all: a line matching SKIP_RE holds this, and so does the body.
_SKIP_ANYWHERE_RE = re.compile(r"/skip(?![\w-])", re.IGNORECASE)


def could_skip(text: str) -> bool:
    """Cheap pre-check: a text without "/skip" anywhere holds no /skip command."""
    return _SKIP_ANYWHERE_RE.search(text) is not None


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


class ThreadView:
    """What the thread says, each part read only when a caller asks for it.

    A scheduled run looks at every open check-in, mostly to learn that nothing is due: that
    must not cost a Markdown parse of every comment (issue 11). Each part is computed once, and
    each comment's facts (its plain lines, its HPFO answer) at most once, however many parts
    need them.

    - ``answer``: the member's latest HPFO answer (``answers.latest_answer``);
    - ``member_spoke``: any comment of the member's own that is not only a command;
    - ``notes``: the member's own comments that hold no HPFO section;
    - ``skip`` / ``skip_reason``: the member's first /skip;
    - ``denied_skips``: /skip written by someone else;
    - ``replies``, ``open_questions``: teammates' comments, questions nobody answered.
    """

    def __init__(
        self,
        issue: Issue,
        member: str,
        comments: Sequence[Comment],
        body_answer: bool | Callable[[], bool],
    ) -> None:
        self._issue = issue
        self._answer_in_body = body_answer
        people = [_Said(c) for c in human_comments(comments)]
        self._people = people
        self._own = [s for s in people if s.comment.author.same(member)]
        self._others = [s for s in people if not s.comment.author.same(member)]

    @functools.cached_property
    def _body_answer(self) -> bool:
        """Whether the member answered in the body: asked of a callable only when needed (it
        compares the body with what the bot wrote, and an idle run rarely needs it)."""
        given = self._answer_in_body
        return given if isinstance(given, bool) else given()

    @functools.cached_property
    def answer(self) -> HpfoAnswer | None:
        newest_first = (said.answer for said in reversed(self._own))
        body = [self._issue.body] if self._body_answer else []
        return latest_of(itertools.chain(newest_first, map(parse_answer, body)))

    @functools.cached_property
    def member_spoke(self) -> bool:
        # Their own words first: usually found without a parse, and without reading the body.
        return any(not said.only_command for said in self._own) or self._body_answer

    @functools.cached_property
    def notes(self) -> tuple[str, ...]:
        return tuple(s.comment.body for s in self._own if not s.only_command and s.answer is None)

    @functools.cached_property
    def _skip(self) -> _Said | None:
        return next((said for said in self._own if said.skip_reason is not None), None)

    @property
    def skip(self) -> Comment | None:
        return self._skip.comment if self._skip else None

    @property
    def skip_reason(self) -> str:
        return (self._skip.skip_reason or "") if self._skip else ""

    @functools.cached_property
    def denied_skips(self) -> tuple[Comment, ...]:
        return tuple(s.comment for s in self._others if s.skip_reason is not None)

    @functools.cached_property
    def replies(self) -> tuple[Reply, ...]:
        return _replies(self._others)

    @functools.cached_property
    def open_questions(self) -> tuple[Question, ...]:
        return _open_questions(self._people)

    @property
    def answered(self) -> bool:
        """An HPFO answer, or any words of the member's own: a free-form update counts too
        (its gist goes into the summary), and nobody is reminded after speaking up."""
        # The cheap half first: speaking up rarely needs a parse, an answer always does.
        return self.member_spoke or self.answer is not None


class _Said:
    """One comment and what it says, each read at most once and only when needed."""

    def __init__(self, comment: Comment) -> None:
        self.comment = comment

    @functools.cached_property
    def plain(self) -> tuple[Line, ...]:
        return plain_lines(self.comment.body)

    @functools.cached_property
    def skip_reason(self) -> str | None:
        if not could_skip(self.comment.body):
            return None  # no /skip in the text, so none on a line of its own: spare the parse
        return _skip_in(self.plain)

    @functools.cached_property
    def only_command(self) -> bool:
        if not could_skip(self.comment.body):
            return False  # a line that is only a command is a /skip line
        return _only_command_in(self.plain)

    @functools.cached_property
    def questions(self) -> tuple[str, ...]:
        return tuple(questions(self.comment.body))

    @functools.cached_property
    def answer(self) -> HpfoAnswer | None:
        found = parse_answer(self.comment.body)
        # Whoever needs a comment's answer needs its lines and questions too (notes, then open
        # questions): read them now, while markdown still holds this body's parse.
        _ = self.plain, self.questions
        return found


def skip_reason(body: str) -> str | None:
    """The reason after a ``/skip`` line ('' when none), or None if the body holds no /skip."""
    if not could_skip(body):
        return None
    return _skip_in(plain_lines(body))


def _skip_in(lines: Sequence[Line]) -> str | None:
    for line in lines:
        match = SKIP_RE.match(line.text)
        if match is not None:
            return match["reason"].strip()
    return None


def human_comments(comments: Sequence[Comment]) -> list[Comment]:
    """Comments by people, oldest first: a bot's words are never an answer or a reply."""
    people = [c for c in comments if not c.author.is_bot]
    return sorted(people, key=lambda c: (c.created_at, c.id))


def read_thread(
    issue: Issue,
    member: str,
    comments: Sequence[Comment],
    body_answer: bool | Callable[[], bool],
) -> ThreadView:
    """What the thread says. ``body_answer``: the member edited the issue body to answer (or a
    function that tells, asked only if the view needs to know)."""
    return ThreadView(issue, member, comments, body_answer)


def _only_command_in(lines: Sequence[Line]) -> bool:
    return bool(lines) and all(SKIP_RE.match(line.text) for line in lines)


def _replies(others: Sequence[_Said]) -> tuple[Reply, ...]:
    by_login: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for said in others:
        if said.skip_reason is not None and said.only_command:
            continue  # a refused /skip is not a reply
        comment = said.comment
        key = comment.author.login.casefold()
        names.setdefault(key, comment.author.login)
        by_login.setdefault(key, []).append(comment.body)
    return tuple(Reply(names[key], tuple(bodies)) for key, bodies in by_login.items())


def _open_questions(people: Sequence[_Said]) -> tuple[Question, ...]:
    """Questions nobody else has spoken after: an answer is any later comment by someone else.

    Only the closing run of the last author's comments qualifies (``summary.last_word``), found
    in one pass from the end: comparing each comment with all later ones was quadratic.
    """
    last = last_word([said.comment for said in people])
    open_ones: list[Question] = []
    for said in people[len(people) - len(last) :]:
        comment = said.comment
        open_ones += [Question(comment.author.login, text, comment.id) for text in said.questions]
    return tuple(open_ones)
