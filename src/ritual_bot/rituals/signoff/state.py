"""The state of one decision, derived from its whole thread as it reads now (SPEC §4, §7).

Nothing here is remembered between runs: the DRI, stakeholders, deadline, stances, concerns and
outcome are replayed from the start record and the comments, in the order they were written, each
command weighed with the authority its author had at that point. An edited or deleted comment
therefore changes the result on the next run, and two runs on the same thread always agree.

Who is who comes from explicit rosters (the start record, the config's members and groups, the
commands that changed them) and, for "maintainer", the repository role read from the permission
API — never from ``author_association``, which reports private org members as CONTRIBUTOR.

Edits (SPEC §4, "Edits and authority"): people with write access can edit anyone's comment, so a
comment's commands count only when its author wrote its current text (``Written``: who saved the
last version and when, from the edit event's sender or GraphQL's ``editor`` / ``lastEditedAt``).
Commands are replayed in the order they were last written and weighed with the authority their
author had at that moment: a former DRI who edits an old comment into ``/decide`` after a
handover decides nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ritual_bot.config import Config
from ritual_bot.markers import Marker
from ritual_bot.model import Comment, User
from ritual_bot.rituals.signoff.commands import (
    COMMIT,
    LOGIN,
    RITUAL_COMMANDS,
    STANCE_COMMANDS,
    TERMINAL_COMMANDS,
    Command,
    Parsed,
    latest_deadline,
    parse_commands,
    too_far,
)

START = "decision-start"
# Roles that count as "maintainer" (role_name from the permission API).
MAINTAINER_ROLES = frozenset({"admin", "maintain"})


class Stance(enum.Enum):
    NONE = "none"
    COMMENTED = "commented"
    APPROVED = "approved"
    CONCERN = "concern"
    OBJECTION = "objection"
    ABSTAINED = "abstained"

    @property
    def gave_feedback(self) -> bool:
        return self is not Stance.NONE


_STANCE_OF = {
    Command.APPROVE: Stance.APPROVED,
    Command.CONCERN: Stance.CONCERN,
    Command.OBJECT: Stance.OBJECTION,
    Command.ABSTAIN: Stance.ABSTAINED,
}


class Reason(enum.Enum):
    """Why a command was not applied; each has a sentence in the reply template."""

    MALFORMED = "malformed"
    NOT_STAKEHOLDER = "not-stakeholder"
    NOT_DECIDER = "not-decider"
    NOT_DRI_OR_MAINTAINER = "not-dri-or-maintainer"
    NOT_DRI = "not-dri"
    NOT_CONCERN_AUTHOR_OR_DRI = "not-concern-author-or-dri"
    NO_SUCH_CONCERN = "no-such-concern"
    NOT_DRI_OR_AUTHOR = "not-dri-or-author"
    DEADLINE_PASSED = "deadline-passed"
    DEADLINE_TOO_FAR = "deadline-too-far"
    CLOSED = "closed"
    NOT_A_PLAN = "not-a-plan"
    NEEDS_RATIONALE = "needs-rationale"
    EDITED_BY_OTHER = "edited-by-other"
    EDITOR_UNKNOWN = "editor-unknown"


# Rejections that are about the comment's text not being its author's, not about the command.
NOT_THEIRS = frozenset({Reason.EDITED_BY_OTHER, Reason.EDITOR_UNKNOWN})


@dataclass(frozen=True)
class Written:
    """Who saved a comment's current text, and when (its creation, or its last edit).

    ``by`` is None when the comment was edited and the editor cannot be known (no edit event,
    no readable history): such a text is nobody's, the strict reading.
    """

    by: str | None
    at: datetime


def as_created(comment: Comment) -> Written:
    """A comment nobody edited: written by its author when it was created."""
    return Written(comment.author.login, comment.created_at)


@dataclass(frozen=True)
class Start:
    """The decision as it started: recorded by the bot, so later edits of the form do not count."""

    dri: str
    stakeholders: tuple[str, ...]
    deadline: date
    # An OKR plan's sign-off (SPEC §8): /commit counts, and overriding an open concern needs a
    # rationale. The start record is the bot's own, so no edit can turn a decision into a plan.
    plan: bool = False

    def marker(self) -> Marker:
        people = ":".join(self.stakeholders) or "-"
        fields = {"dri": self.dri, "stakeholders": people, "deadline": str(self.deadline)}
        return Marker.of(START, **fields, **({"plan": "1"} if self.plan else {}))

    @classmethod
    def from_marker(cls, marker: Marker) -> Start | None:
        dri, people, deadline = (marker.get(n) for n in ("dri", "stakeholders", "deadline"))
        if not dri or not LOGIN.match(dri) or people is None or deadline is None:
            return None
        logins = tuple(p for p in people.split(":") if p and p != "-" and LOGIN.match(p))
        try:
            return cls(dri, logins, date.fromisoformat(deadline), plan=marker.get("plan") == "1")
        except ValueError:
            return None


@dataclass(frozen=True)
class Concern:
    """A concern or objection, numbered for life (SPEC §4).

    ``key`` names it whatever happens to the thread: its comment's id (``"123"``, or ``"123.2"``
    for the second in one comment). A number once given stays with its key; a concern whose
    comment was deleted, or edited into something else, keeps its number as ``withdrawn``.
    """

    number: int
    author: str
    text: str
    objection: bool
    comment: Comment | None
    resolved_by: str | None = None
    resolved_in: Comment | None = None
    key: str = ""

    @property
    def withdrawn(self) -> bool:
        return self.comment is None

    @property
    def is_open(self) -> bool:
        return self.resolved_by is None and not self.withdrawn


@dataclass(frozen=True)
class Feedback:
    """One stakeholder: their stance and their comments as they read now."""

    login: str
    stance: Stance
    stance_comment: Comment | None
    comments: tuple[Comment, ...]

    @property
    def latest(self) -> Comment | None:
        return self.comments[-1] if self.comments else None


@dataclass(frozen=True)
class Roster:
    """Who held which role when a command was weighed: a refusal names them as they were then."""

    dri: str
    stakeholders: tuple[str, ...]
    open_concerns: tuple[int, ...]


@dataclass(frozen=True)
class Rejection:
    comment: Comment
    parsed: Parsed
    reason: Reason
    by: str | None = None  # for a text that is not its author's: who saved it, if known
    roster: Roster | None = None  # the roles when the command was weighed
    detail: str = ""  # what is accepted instead (DEADLINE_TOO_FAR: the last date accepted)


@dataclass(frozen=True)
class Outcome:
    """An accepted ``/decide`` or ``/withdraw``."""

    command: Command
    comment: Comment
    actor: str
    text: str = ""
    rationale: str = ""
    at: datetime | None = None  # when the command was written (its last edit); None: creation

    @property
    def written_at(self) -> datetime:
        return self.at or self.comment.created_at


@dataclass(frozen=True)
class Derived:
    start: Start
    dri: str
    stakeholders: tuple[str, ...]
    deadline: date
    feedback: tuple[Feedback, ...]
    concerns: tuple[Concern, ...]
    rejections: tuple[Rejection, ...]
    outcomes: tuple[Outcome, ...]
    consulted: frozenset[str] = frozenset()  # logins whose repository role was asked for
    registry: tuple[str, ...] = ()  # concern keys in number order, withdrawn ones included

    @property
    def outcome(self) -> Outcome | None:
        return self.outcomes[-1] if self.outcomes else None

    @property
    def open_concerns(self) -> tuple[Concern, ...]:
        return tuple(c for c in self.concerns if c.is_open)

    @property
    def without_feedback(self) -> tuple[str, ...]:
        return tuple(f.login for f in self.feedback if not f.stance.gave_feedback)

    @property
    def ready(self) -> bool:
        """Every stakeholder gave feedback and no concern is open."""
        return not self.without_feedback and not self.open_concerns


RoleOf = Callable[[str], str | None]
WrittenOf = Callable[[Comment], Written]


@dataclass(frozen=True)
class Rules:
    """What the derivation needs besides the thread."""

    config: Config
    author: User  # the author: may withdraw
    role_of: RoleOf  # repository role name, None when it was not read
    closed_after: int | None = None  # id of the outcome after which the decision is closed
    answered: frozenset[int] = frozenset()  # comments the bot already replied to
    written: WrittenOf = as_created  # who wrote each comment's current text, and when
    # The concern numbers the bot gave so far (keys in number order), from the block it last
    # wrote: what keeps a number when its comment is deleted.
    registry: tuple[str, ...] = ()

    def is_theirs(self, comment: Comment) -> bool:
        by = self.written(comment).by
        return by is not None and comment.author.same(by)

    def order(self, comments: Sequence[Comment]) -> list[Comment]:
        """Comments in the order their current text was written (an edit moves a command)."""
        return sorted(comments, key=lambda c: (self.written(c).at, c.id))


def people_comments(comments: Sequence[Comment], bot_login: str) -> tuple[Comment, ...]:
    """The comments that can count: by people (never a bot), oldest first."""
    human = (c for c in comments if not c.author.is_bot and not c.author.same(bot_login))
    return tuple(sorted(human, key=lambda c: (c.created_at, c.id)))


def derive(start: Start, comments: Sequence[Comment], rules: Rules) -> Derived:
    """Replay the thread (people's comments only) from the start record, in written order."""
    reducer = _Reducer(start, rules)
    ordered = rules.order(comments)
    for comment in ordered:
        reducer.read(comment)
    return reducer.result([c for c in ordered if rules.is_theirs(c)])


def refuse_late(
    comments: Sequence[Comment], rules: Rules, since: tuple[datetime, int]
) -> list[Rejection]:
    """Commands written after ``since`` (the close, and the outcome's comment id, which breaks
    a tie within the same second) on a frozen decision: none applies, each is answered."""
    reducer = _Reducer(Start("-", (), date.min), rules)
    refused = []
    for comment in rules.order(comments):
        if (rules.written(comment).at, comment.id) <= since:
            continue
        reason = reducer.not_theirs(comment) or Reason.CLOSED
        by = rules.written(comment).by
        refused += [Rejection(comment, p, reason, by) for p in parse_commands(comment.body)]
    return refused


def derive_until(start: Start, comments: Sequence[Comment], rules: Rules, last: Comment) -> Derived:
    """The state as it stood right after ``last``: what a recorded decision was made on."""
    key = (rules.written(last).at, last.id)
    return derive(start, [c for c in comments if (rules.written(c).at, c.id) <= key], rules)


@dataclass
class _Reducer:
    start: Start
    rules: Rules
    dri: str = ""
    stakeholders: list[str] = field(default_factory=list)
    deadline: date = date.min
    stances: dict[str, tuple[Stance, Comment]] = field(default_factory=dict)
    concerns: dict[int, Concern] = field(default_factory=dict)
    registry: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    consulted: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.dri = self.start.dri
        self.stakeholders = [s for s in self.start.stakeholders if not _same(s, self.dri)]
        self.deadline = self.start.deadline
        self.registry = list(dict.fromkeys(self.rules.registry))

    def number_for(self, key: str) -> int:
        """The concern's number: the one it was given, or the next one."""
        if key not in self.registry:
            self.registry.append(key)
        return self.registry.index(key) + 1

    # --- who is who ---------------------------------------------------------------------------

    def is_dri(self, login: str) -> bool:
        return _same(login, self.dri)

    def is_stakeholder(self, login: str) -> bool:
        return any(_same(login, s) for s in self.stakeholders)

    @property
    def dri_only(self) -> bool:
        """``allow_maintainers: false``: maintainers have no ritual power beyond the rosters."""
        return not self.rules.config.decisions.allow_maintainers

    def acts_as_maintainer(self, comment: Comment) -> bool:
        """Whether the author may act for the DRI: never when the config says so, or else a
        maintainer by the permission API. With the setting off, a maintainer could otherwise
        ``/dri`` themselves and decide (issue 9), so no ritual command honours the role."""
        return not self.dri_only and self.is_maintainer(comment)

    def is_maintainer(self, comment: Comment) -> bool:
        login = comment.author.login
        if comment.id in self.rules.answered:
            return False  # the bot already answered that it was not allowed: the verdict stands
        self.consulted.add(login.casefold())
        return self.rules.role_of(login) in MAINTAINER_ROLES

    # --- reading the thread -------------------------------------------------------------------

    def read(self, comment: Comment) -> None:
        not_theirs = self.not_theirs(comment)
        by = self.rules.written(comment).by
        for parsed in parse_commands(comment.body):
            reason = not_theirs or self.check(comment, parsed)
            if reason is None:
                self.apply(comment, parsed)
            else:
                detail = ""
                if reason is Reason.DEADLINE_TOO_FAR:
                    detail = latest_deadline(_local_day(self, comment)).isoformat()
                self.rejections.append(
                    Rejection(comment, parsed, reason, by, self.roster(), detail)
                )

    def roster(self) -> Roster:
        open_concerns = tuple(n for n, c in sorted(self.concerns.items()) if c.is_open)
        return Roster(self.dri, tuple(self.stakeholders), open_concerns)

    def not_theirs(self, comment: Comment) -> Reason | None:
        """Why the comment's text is not its author's, None when it is (SPEC §4)."""
        by = self.rules.written(comment).by
        if by is None:
            return Reason.EDITOR_UNKNOWN
        return None if comment.author.same(by) else Reason.EDITED_BY_OTHER

    def check(self, comment: Comment, parsed: Parsed) -> Reason | None:
        if parsed.command is None or not parsed.ok:
            return Reason.MALFORMED
        if self.closed(comment) and parsed.command not in TERMINAL_COMMANDS:
            return Reason.CLOSED
        return _CHECKS[parsed.command](self, comment, parsed)

    def closed(self, comment: Comment) -> bool:
        """Whether the outcome that closed the decision was already read: this comes after it."""
        after = self.rules.closed_after
        return after is not None and any(o.comment.id == after for o in self.outcomes)

    def apply(self, comment: Comment, parsed: Parsed) -> None:
        assert parsed.command is not None
        _EFFECTS[parsed.command](self, comment, parsed)

    # --- the result ---------------------------------------------------------------------------

    def result(self, comments: Sequence[Comment]) -> Derived:
        feedback = tuple(self.feedback_of(login, comments) for login in self.stakeholders)
        return Derived(
            start=self.start,
            dri=self.dri,
            stakeholders=tuple(self.stakeholders),
            deadline=self.deadline,
            feedback=feedback,
            concerns=self.numbered_concerns(),
            rejections=tuple(self.rejections),
            outcomes=tuple(self.outcomes),
            consulted=frozenset(self.consulted),
            registry=tuple(self.registry),
        )

    def numbered_concerns(self) -> tuple[Concern, ...]:
        """Every number given so far: the live concern, or a withdrawn placeholder."""
        return tuple(
            self.concerns.get(n) or Concern(n, "", "", False, None, key=key)
            for n, key in enumerate(self.registry, start=1)
        )

    def feedback_of(self, login: str, comments: Sequence[Comment]) -> Feedback:
        theirs = tuple(c for c in comments if c.author.same(login))
        stance, where = self.stances.get(login.casefold(), (Stance.NONE, None))
        if stance is Stance.NONE and theirs:
            stance = Stance.COMMENTED
        return Feedback(login, stance, where, theirs)


# --- who may do what ------------------------------------------------------------------------------


def _check_stance(r: _Reducer, comment: Comment, parsed: Parsed) -> Reason | None:
    return None if r.is_stakeholder(comment.author.login) else Reason.NOT_STAKEHOLDER


def _check_resolve(r: _Reducer, comment: Comment, parsed: Parsed) -> Reason | None:
    concern = _concern(r, parsed.number)
    if concern is None:
        return Reason.NO_SUCH_CONCERN
    login = comment.author.login
    if _same(login, concern.author) or r.is_dri(login):
        return None
    return Reason.NOT_CONCERN_AUTHOR_OR_DRI


def _check_decide(r: _Reducer, comment: Comment, parsed: Parsed) -> Reason | None:
    if not (r.is_dri(comment.author.login) or r.acts_as_maintainer(comment)):
        return Reason.NOT_DECIDER
    if parsed.name == COMMIT and not r.start.plan:
        return Reason.NOT_A_PLAN
    # An OKR plan committed over an open concern says why (SPEC §8): the rationale is recorded
    # as overriding it.
    open_concern = any(c.is_open for c in r.concerns.values())
    words = parsed.detail if parsed.name == COMMIT else f"{parsed.text} {parsed.detail}"
    if r.start.plan and open_concern and not words.strip():
        return Reason.NEEDS_RATIONALE
    return None


def _check_ritual(r: _Reducer, comment: Comment, parsed: Parsed) -> Reason | None:
    if not (r.is_dri(comment.author.login) or r.acts_as_maintainer(comment)):
        return Reason.NOT_DRI if r.dri_only else Reason.NOT_DRI_OR_MAINTAINER
    if parsed.day is not None and parsed.day < _local_day(r, comment):
        return Reason.DEADLINE_PASSED
    if parsed.day is not None and too_far(parsed.day, _local_day(r, comment)):
        return Reason.DEADLINE_TOO_FAR
    return None


def _check_withdraw(r: _Reducer, comment: Comment, parsed: Parsed) -> Reason | None:
    login = comment.author.login
    if r.is_dri(login) or r.rules.author.same(login):
        return None
    return Reason.NOT_DRI_OR_AUTHOR


_CHECKS: dict[Command, Callable[[_Reducer, Comment, Parsed], Reason | None]] = {
    **{c: _check_stance for c in STANCE_COMMANDS},
    Command.RESOLVE: _check_resolve,
    Command.DECIDE: _check_decide,
    **{c: _check_ritual for c in RITUAL_COMMANDS},
    Command.WITHDRAW: _check_withdraw,
}


# --- what each command does -----------------------------------------------------------------------


def _set_stance(r: _Reducer, comment: Comment, parsed: Parsed) -> None:
    assert parsed.command is not None
    r.stances[comment.author.login.casefold()] = (_STANCE_OF[parsed.command], comment)
    if parsed.command in (Command.CONCERN, Command.OBJECT):
        objection = parsed.command is Command.OBJECT
        earlier = sum(1 for c in r.concerns.values() if c.comment and c.comment.id == comment.id)
        key = str(comment.id) if not earlier else f"{comment.id}.{earlier + 1}"
        number = r.number_for(key)
        author = comment.author.login
        r.concerns[number] = Concern(number, author, parsed.text, objection, comment, key=key)


def _resolve(r: _Reducer, comment: Comment, parsed: Parsed) -> None:
    concern = _concern(r, parsed.number)
    if concern is not None and concern.is_open:
        resolved = replace(concern, resolved_by=comment.author.login, resolved_in=comment)
        r.concerns[concern.number] = resolved


def _decide(r: _Reducer, comment: Comment, parsed: Parsed) -> None:
    actor, at = comment.author.login, r.rules.written(comment).at
    r.outcomes.append(Outcome(Command.DECIDE, comment, actor, parsed.text, parsed.detail, at))


def _withdraw(r: _Reducer, comment: Comment, parsed: Parsed) -> None:
    actor, at = comment.author.login, r.rules.written(comment).at
    r.outcomes.append(Outcome(Command.WITHDRAW, comment, actor, parsed.text, at=at))


def _change_dri(r: _Reducer, comment: Comment, parsed: Parsed) -> None:
    r.dri = parsed.logins[0]
    r.stakeholders = [s for s in r.stakeholders if not _same(s, r.dri)]


def _change_stakeholders(r: _Reducer, comment: Comment, parsed: Parsed) -> None:
    named = r.rules.config.expand(parsed.logins)
    if parsed.remove:
        gone = {n.casefold() for n in named}
        r.stakeholders = [s for s in r.stakeholders if s.casefold() not in gone]
        return
    for login in named:
        if LOGIN.match(login) and not r.is_dri(login) and not r.is_stakeholder(login):
            r.stakeholders.append(login)


def _change_deadline(r: _Reducer, comment: Comment, parsed: Parsed) -> None:
    assert parsed.day is not None
    r.deadline = parsed.day


_EFFECTS: dict[Command, Callable[[_Reducer, Comment, Parsed], None]] = {
    **{c: _set_stance for c in STANCE_COMMANDS},
    Command.RESOLVE: _resolve,
    Command.DECIDE: _decide,
    Command.WITHDRAW: _withdraw,
    Command.DRI: _change_dri,
    Command.STAKEHOLDERS: _change_stakeholders,
    Command.DEADLINE: _change_deadline,
}


def _concern(r: _Reducer, number: int | None) -> Concern | None:
    return r.concerns.get(number) if number is not None else None


def _local_day(r: _Reducer, comment: Comment) -> date:
    """The team's day when the command was written (its last edit counts, not its creation)."""
    return r.rules.written(comment).at.astimezone(ZoneInfo(r.rules.config.timezone)).date()


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()
