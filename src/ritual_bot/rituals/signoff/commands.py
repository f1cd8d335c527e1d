"""The decision ritual's commands, read from a comment with the Markdown parser (SPEC §4).

A command is a line of the comment's own prose that starts with ``/name``: lines inside code
blocks, quoted replies and HTML comments never count (``markdown.plain_lines``), so quoting
someone's ``/approve`` does not approve. Names are case-insensitive; a comment may hold several.
Parsing never raises: a malformed command is returned with what is wrong, so the bot can say so.
"""

from __future__ import annotations

import difflib
import enum
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ritual_bot.config import LOGIN_RE
from ritual_bot.markdown import Line, LineKind, classify_lines, one_line

# A GitHub login (the config's definition), optionally written as a mention.
LOGIN = re.compile(rf"^@?({LOGIN_RE.pattern})$")
_COMMAND_LINE = re.compile(r"^\s{0,3}/(?P<name>[A-Za-z][A-Za-z-]{0,30})(?=\s|$)(?P<rest>.*)$")
# A login or a config group name (letters, digits, '-', '_', '.'), for /stakeholders.
NAME = re.compile(r"^@?([A-Za-z0-9][A-Za-z0-9_.-]{0,99})$")
_NUMBER = re.compile(r"^#?(\d{1,6})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# How far ahead a feedback deadline may be set (issue 10). Feedback deadlines are days or weeks
# away; a date years ahead is a typo, and one near 9999-12-31 cannot even have the days added
# that reminders and "end of the day" need (``date + timedelta`` raises OverflowError).
MAX_DEADLINE_YEARS = 3
MAX_DEADLINE_DAYS = 1096  # three years, one of them a leap year


class Command(enum.Enum):
    APPROVE = "approve"
    CONCERN = "concern"
    OBJECT = "object"
    ABSTAIN = "abstain"
    RESOLVE = "resolve"
    DECIDE = "decide"
    DRI = "dri"
    STAKEHOLDERS = "stakeholders"
    DEADLINE = "deadline"
    WITHDRAW = "withdraw"

    @property
    def text(self) -> str:
        return f"/{self.value}"


# The name under which a plan's sign-off takes /decide (SPEC §8: "/commit (/decide works too)").
COMMIT = "commit"
COMMITTED_TEXT = "Plan committed"  # what a bare /commit records as the decision
STANCE_COMMANDS = frozenset({Command.APPROVE, Command.CONCERN, Command.OBJECT, Command.ABSTAIN})
# Commands that change the ritual itself, for the DRI or a maintainer.
RITUAL_COMMANDS = frozenset({Command.DRI, Command.STAKEHOLDERS, Command.DEADLINE})
TERMINAL_COMMANDS = frozenset({Command.DECIDE, Command.WITHDRAW})
# Commands whose trailing words are the author's own prose, not an argument (``_bare``).
_BARE = frozenset({Command.APPROVE, Command.ABSTAIN, Command.WITHDRAW})


class Problem(enum.Enum):
    """Why a command line could not be read (the reply explains each)."""

    UNKNOWN = "unknown"
    NEEDS_TEXT = "needs-text"
    NEEDS_NUMBER = "needs-number"
    NEEDS_LOGIN = "needs-login"
    NEEDS_ADD_OR_REMOVE = "needs-add-or-remove"
    NEEDS_DATE = "needs-date"


@dataclass(frozen=True)
class Parsed:
    """One command line. ``problem`` is set when it is malformed (``command`` None if unknown)."""

    command: Command | None
    name: str  # as typed, lower-cased, without the slash
    text: str = ""  # the free text: a concern, the decision
    detail: str = ""  # /decide: the rest of the comment (the rationale)
    number: int | None = None  # /resolve N
    logins: tuple[str, ...] = ()  # /dri, /stakeholders add|remove
    remove: bool = False  # /stakeholders remove
    day: date | None = None  # /deadline
    problem: Problem | None = None
    suggestion: str | None = None  # for an unknown name close to a real one

    @property
    def ok(self) -> bool:
        return self.problem is None


def parse_commands(body: str) -> tuple[Parsed, ...]:
    """Every command line of a comment, in order; unknown names only when close to a real one.

    A line like ``/usr/local is full`` is prose, not a typo of a command: only unknown names
    that look like a misspelt command are returned (so the author hears about the typo).
    """
    return tuple(parsed for *_, parsed in _read(classify_lines(body)))


def command_lines(lines: Sequence[Line]) -> dict[int, str]:
    """What a summary keeps of each line a command takes up, by line number (issue 12).

    The command line itself keeps nothing, or, after ``/approve``, ``/abstain`` or ``/withdraw``,
    the words that follow it (the author's own, as ``_bare`` says). A bare ``/concern`` or
    ``/object`` also takes the paragraph under it (its text), and ``/decide`` the rest of the
    comment up to the next command (its rationale): the bot reports those where they belong
    (the concerns, the decision record), so a gist does not repeat them as prose. Misspelt
    commands count too: the bot answers them as commands.
    """
    kept: dict[int, str] = {}
    for number, match, after, parsed in _read(lines):
        rest = match["rest"].strip()
        kept[number] = rest if parsed.command in _BARE else ""
        if parsed.command is Command.DECIDE:
            taken = list(after)
        elif parsed.command in (Command.CONCERN, Command.OBJECT) and not rest:
            taken = list(itertools.takewhile(lambda line: line.kind is LineKind.TEXT, after))
        else:
            taken = []
        kept |= {line.number: "" for line in taken}
    return kept


def _read(
    lines: Sequence[Line],
) -> Iterator[tuple[int, re.Match[str], Sequence[Line], Parsed]]:
    """Each command of a comment: its line number and match, the lines up to the next command,
    and what it says."""
    found: list[tuple[int, re.Match[str]]] = []
    for line in lines:
        if line.kind is LineKind.TEXT and (match := _COMMAND_LINE.match(line.text)):
            found.append((line.number, match))
    for index, (number, match) in enumerate(found):
        following = found[index + 1][0] if index + 1 < len(found) else len(lines)
        after = lines[number + 1 : following]
        command = _parse_one(match["name"].lower(), match["rest"].strip(), after)
        if command is not None:
            yield number, match, after, command


def _parse_one(name: str, rest: str, after: Sequence[Line]) -> Parsed | None:
    if name == COMMIT:
        return _commit(rest, _paragraph(after), _source(after))
    try:
        command = Command(name)
    except ValueError:
        close = difflib.get_close_matches(name, [c.value for c in Command], n=1, cutoff=0.75)
        if not close:
            return None
        return Parsed(None, name, problem=Problem.UNKNOWN, suggestion=close[0])
    return _ARGUMENTS[command](command, rest, _paragraph(after), _source(after))


def _paragraph(after: Sequence[Line]) -> str:
    """The prose right under a command line, up to the first blank line: a concern's text."""
    words: list[str] = []
    for line in after:
        if line.kind is not LineKind.TEXT:
            break
        words.append(line.text)
    return one_line(" ".join(words))


def _source(after: Sequence[Line]) -> str:
    """The rest of the comment as written (code and quotes included): a decision's rationale."""
    return "\n".join(line.text for line in after).strip()


def _bare(command: Command, rest: str, paragraph: str, source: str) -> Parsed:
    # Text after /approve or /withdraw is the author's own words, not an error.
    return Parsed(command, command.value, text=one_line(rest))


def _with_text(command: Command, rest: str, paragraph: str, source: str) -> Parsed:
    text = one_line(rest) or paragraph
    problem = None if text else Problem.NEEDS_TEXT
    return Parsed(command, command.value, text=text, problem=problem)


def _decide(command: Command, rest: str, paragraph: str, source: str) -> Parsed:
    text = one_line(rest)
    if not text:  # "/decide" alone, the decision on the next lines
        text, source = paragraph, source.split("\n\n", 1)[1] if "\n\n" in source else ""
    problem = None if text else Problem.NEEDS_TEXT
    return Parsed(command, command.value, text=text, detail=source.strip(), problem=problem)


def _commit(rest: str, paragraph: str, source: str) -> Parsed:
    """``/commit`` locks an OKR plan (SPEC §8): a ``/decide`` whose words are all rationale,
    optional unless a concern is open (``state._check_decide``). Only a plan's sign-off takes it."""
    rationale = "\n\n".join(part for part in (one_line(rest), source) if part)
    text = one_line(rest) or paragraph or COMMITTED_TEXT
    return Parsed(Command.DECIDE, COMMIT, text=text, detail=rationale)


def _resolve(command: Command, rest: str, paragraph: str, source: str) -> Parsed:
    match = _NUMBER.match(rest.split()[0]) if rest.split() else None
    if match is None or int(match.group(1)) == 0:
        return Parsed(command, command.value, problem=Problem.NEEDS_NUMBER)
    return Parsed(command, command.value, number=int(match.group(1)))


def _dri(command: Command, rest: str, paragraph: str, source: str) -> Parsed:
    logins = _logins(rest.split(), LOGIN)
    if logins is None or len(logins) != 1:
        return Parsed(command, command.value, problem=Problem.NEEDS_LOGIN)
    return Parsed(command, command.value, logins=logins)


def _stakeholders(command: Command, rest: str, paragraph: str, source: str) -> Parsed:
    words = rest.replace(",", " ").split()
    verb = words[0].lower() if words else ""
    if verb not in ("add", "remove"):
        return Parsed(command, command.value, problem=Problem.NEEDS_ADD_OR_REMOVE)
    logins = _logins(words[1:], NAME)
    if not logins:
        return Parsed(command, command.value, problem=Problem.NEEDS_LOGIN)
    return Parsed(command, command.value, logins=logins, remove=verb == "remove")


def _deadline(command: Command, rest: str, paragraph: str, source: str) -> Parsed:
    day = parse_day(rest.split()[0]) if rest.split() else None
    if day is None:
        return Parsed(command, command.value, problem=Problem.NEEDS_DATE)
    return Parsed(command, command.value, day=day)


def parse_day(text: str) -> date | None:
    match = _DATE.match(text.strip())
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def latest_deadline(today: date) -> date:
    """The last feedback deadline accepted on ``today``."""
    return today + timedelta(days=MAX_DEADLINE_DAYS)


def too_far(day: date, today: date) -> bool:
    """Whether ``day`` is beyond the deadlines accepted on ``today`` (``MAX_DEADLINE_DAYS``)."""
    return day > latest_deadline(today)


def _logins(words: Sequence[str], pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """``@a @b`` → ``("a", "b")``; None if any word does not match ``pattern``."""
    found: list[str] = []
    for word in words:
        match = pattern.match(word.strip())
        if match is None:
            return None
        if match.group(1).casefold() not in {f.casefold() for f in found}:
            found.append(match.group(1))
    return tuple(found)


_ARGUMENTS = {
    Command.APPROVE: _bare,
    Command.ABSTAIN: _bare,
    Command.WITHDRAW: _bare,
    Command.CONCERN: _with_text,
    Command.OBJECT: _with_text,
    Command.RESOLVE: _resolve,
    Command.DECIDE: _decide,
    Command.DRI: _dri,
    Command.STAKEHOLDERS: _stakeholders,
    Command.DEADLINE: _deadline,
}
