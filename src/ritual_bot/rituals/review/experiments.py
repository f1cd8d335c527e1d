"""Growth experiments in the business review (SPEC §10): read, classify, remind. Pure: the caller
passes the snapshot, ``today`` (the team's date) and the team's timezone.

- **An experiment** is an issue with the area's experiments label, usually opened from the
  ``experiment.yml`` issue form ``ritual-bot init`` ships. GitHub renders the form's answers into
  the body as ``### Hypothesis``, a blank line, the answer, and ``_No response_`` for an empty
  optional field (``rituals.forms``); a hand-written body with the same headings, or with
  ``Start: 2026-11-02`` lines, reads the same. Fields: hypothesis, metric, start and end
  (``YYYY-MM-DD``), owner (a login, ``@`` optional; empty: the issue's author, as the form says).
- **Read as its author wrote it.** Anyone with write access can edit an issue body, and a body
  edited by someone else counts as theirs (SPEC §4, §7): the body read is the newest revision the
  issue's author saved (from the edit history), or the body itself when nobody edited it. When
  that cannot be known (edited, history not read, or the author's text gone from it), the
  experiment is listed with that problem rather than read from someone else's text.
- **Bad input, one reply**: an open experiment whose fields cannot be read gets one reply to
  its author naming each problem (marker ``review-experiment-problem issue=N digest=…``: the
  same problems are pointed out once, new ones again). An unknown body is not their fault
  and gets none: it is listed with why.
- **Status on ``today``**: upcoming (start after today), running (start ≤ today ≤ end, the end
  day included), finished (end before today); ``unclear`` when a date cannot be read (a bad
  date, end before start), with the problem said precisely. Nothing here raises on bad input.
- **The result** of a finished experiment is a comment by its owner, as they wrote it (an edit
  by someone else makes the text theirs: ``signoff.thread.Authorship``), last written on or
  after the end day (in the team's timezone), with a line starting ``Result`` (``Result:``,
  ``**Result:**``, ``## Results``, ``/result``, French ``Résultat``) outside code and quotes.
  The prefix keeps a "will do" or a question from counting as a result, and the reminder tells
  the owner to write it. The newest such comment is the result; its text from that line on is
  its gist.
- **One reminder, ever**: an open, finished experiment without a result gets one comment on
  its issue mentioning its owner (marker ``review-experiment-reminder issue=N``, found among the
  bot's own comments on that issue: the caller reads them). A closed one is filed away: it is
  listed, with its result or without, and never reminded. Replies are planned only when the
  issue's comments were read (or it has none): the bot's earlier ones must be visible, or a
  run that did not read them would write them again.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from ritual_bot.markdown import cut, one_line, plain_lines
from ritual_bot.markers import Marker, find_markers
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.ops import AddComment, EnsureLabel
from ritual_bot.rituals.forms import form_answers, label_lines
from ritual_bot.rituals.signoff.commands import LOGIN, parse_day
from ritual_bot.rituals.signoff.state import Written, people_comments
from ritual_bot.templates import Templates

REMINDER = "review-experiment-reminder"  # issue=N: one reminder per experiment, ever
PROBLEM = "review-experiment-problem"  # issue=N digest=…: one reply per set of problems
GIST = 200  # characters of a hypothesis or a result shown in the review
LABEL_COLOR = "fbca04"
LABEL_DESCRIPTION = "A growth experiment of the business review (ritual-bot)"

# Headings (and label lines) of the form, in English and French, casefolded.
_LABELS = {
    "hypothesis": "hypothesis",
    "hypothèse": "hypothesis",
    "hypothese": "hypothesis",
    "metric": "metric",
    "métrique": "metric",
    "metrique": "metric",
    "indicateur": "metric",
    "start": "start",
    "start date": "start",
    "début": "start",
    "debut": "start",
    "date de début": "start",
    "end": "end",
    "end date": "end",
    "fin": "end",
    "date de fin": "end",
    "owner": "owner",
    "responsable": "owner",
}
# A result line: optional heading or emphasis, ``/result`` or the word, then ``:``, a space or
# the end of the line (``Results are in`` does not start a result; ``Result: +3 points`` does).
_RESULT = re.compile(
    r"^\s{0,3}(?:#{1,6}\s+)?[*_]{0,2}"
    r"(?:/result(?=\s|$)[*_]{0,2}:?"  # the command: any text after it
    r"|(?:results?|r[ée]sultats?)[*_]{0,2}(?:\s*:[*_]{0,2}|(?=\s*$)|(?=\s+[^a-zà-ÿ\s])))"
    r"\s*(?:[-\u2013\u2014]\s*)?(?P<rest>.*)$",  # a dash after the word is no gist
    re.IGNORECASE,
)


class Status(enum.StrEnum):
    UPCOMING = "upcoming"
    RUNNING = "running"
    FINISHED = "finished"
    UNCLEAR = "unclear"  # its dates cannot be read: the problems say why


_ORDER = {Status.RUNNING: 0, Status.UPCOMING: 1, Status.FINISHED: 2, Status.UNCLEAR: 3}


@dataclass(frozen=True)
class Fields:
    """The form's answers as read, with what could not be read."""

    hypothesis: str = ""
    metric: str = ""
    start: date | None = None
    end: date | None = None
    owner: str | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """The owner's result comment: where it is and what it says."""

    url: str
    gist: str
    at: datetime
    comment_id: int


@dataclass(frozen=True)
class Experiment:
    number: int
    title: str
    url: str
    author: str
    is_open: bool
    fields: Fields
    status: Status
    result: Result | None = None
    # Why the body could not be read as its author wrote it (no fault of theirs: no reply).
    unread: str | None = None
    # Its comments were read (or it has none): only then can the bot's own replies be seen,
    # so only then may one be planned (a reply planned blind could be written twice).
    thread_read: bool = True
    replied: frozenset[Marker] = frozenset()  # the bot's reminder and replies on the issue

    @property
    def owner(self) -> str | None:
        return self.fields.owner

    @property
    def problems(self) -> tuple[str, ...]:
        return (self.unread,) if self.unread else self.fields.problems

    @property
    def reminded(self) -> bool:
        return reminder_marker(self.number) in self.replied

    @property
    def reminder_due(self) -> bool:
        return (
            self.is_open
            and self.thread_read
            and self.status is Status.FINISHED
            and self.result is None
            and self.owner is not None
            and not self.reminded
        )

    def problem_marker(self) -> Marker:
        """One reply per set of problems: the same mistake is pointed out once, a new one
        again (a digest of the problems' text keeps the marker short and safe)."""
        digest = hashlib.sha256("\n".join(self.fields.problems).encode()).hexdigest()[:12]
        return Marker.of(PROBLEM, issue=str(self.number), digest=digest)

    @property
    def problem_reply_due(self) -> bool:
        return (
            self.is_open
            and self.thread_read
            and self.unread is None
            and bool(self.fields.problems)
            and self.problem_marker() not in self.replied
        )

    def data(self) -> dict[str, object]:
        """What a template renders: plain values (people's text is data, never template code;
        templates pass it through ``inline``)."""
        fields, result = self.fields, self.result
        return {
            "number": self.number,
            "title": self.title,
            "url": self.url,
            "open": self.is_open,
            "owner": fields.owner or "",
            "hypothesis": cut(fields.hypothesis, GIST),
            "metric": fields.metric,
            "start": fields.start.isoformat() if fields.start else "",
            "end": fields.end.isoformat() if fields.end else "",
            "status": str(self.status),
            "result_url": result.url if result else "",
            "result": result.gist if result else "",
            "author": self.author,
            "reminded": self.reminded,
            "problems": list(self.problems),
        }


# --- the body, as its author wrote it ---------------------------------------------------------


def authored_body(snapshot: Snapshot, issue: Issue) -> str | None:
    """The issue's body as its author last saved it; None when that cannot be known.

    Untouched, or an edit history with no edit: the body as it reads. Edited: the newest
    revision the author saved that is still in the history, else the creation revision (the
    author's by definition). Edited with no history read: unknown, never someone else's text.
    """
    return snapshot.body_saved_by(issue, (issue.author.login,))


def _date(field: str, text: str) -> tuple[date | None, list[str]]:
    if not text:
        return None, [f"{field}: no date (YYYY-MM-DD)"]
    word = text.split()[0].strip("`*_")
    day = parse_day(word)
    if day is None:
        return None, [f"{field}: {word!r} is not a date YYYY-MM-DD"]
    return day, []


def _login(text: str) -> str | None:
    """The first @mention ("Carol (@carol)"), else the answer when it is one login."""
    words = [word.strip("`*_,;()<>[]") for word in text.split()]
    mentioned = [w for w in words if w.startswith("@") and LOGIN.match(w)]
    if mentioned:
        return mentioned[0][1:]
    match = LOGIN.match(words[0]) if len(words) == 1 else None
    return match.group(1) if match else None


def read_fields(body: str, author: str) -> Fields:
    """The form's answers in ``body``: headings first, ``Label: value`` lines for the fields
    no heading gave; every field that cannot be read is one precise problem."""
    answers = label_lines(body, _LABELS) | form_answers(body, _LABELS)
    problems: list[str] = []
    start, found = _date("start", answers.get("start", ""))
    problems += found
    end, found = _date("end", answers.get("end", ""))
    problems += found
    if start is not None and end is not None and end < start:
        problems.append(f"end {end.isoformat()} is before start {start.isoformat()}")
    owner: str | None = author
    written = answers.get("owner", "")
    if written:
        owner = _login(written)
        if owner is None:
            problems.append(f"owner: {cut(written, 60)!r} is not a GitHub login")
    hypothesis, metric = answers.get("hypothesis", ""), answers.get("metric", "")
    problems += [
        f"{name}: empty"
        for name, text in (("hypothesis", hypothesis), ("metric", metric))
        if not text
    ]
    return Fields(hypothesis, metric, start, end, owner, tuple(problems))


def status_on(fields: Fields, today: date) -> Status:
    start, end = fields.start, fields.end
    if start is None or end is None or end < start:
        return Status.UNCLEAR
    if today < start:
        return Status.UPCOMING
    return Status.FINISHED if end < today else Status.RUNNING


# --- the result ---------------------------------------------------------------------------------


def result_gist(text: str) -> str | None:
    """The gist of a result comment from its first result line on; None when it has none."""
    lines = plain_lines(text)
    for index, line in enumerate(lines):
        match = _RESULT.match(line.text)
        if match:
            rest = [match["rest"], *(later.text for later in lines[index + 1 :])]
            return cut(one_line(" ".join(rest)), GIST)
    return None


def find_result(
    comments: Sequence[Comment],
    owner: str,
    end: date,
    written: Callable[[Comment], Written],
    zone: tzinfo = UTC,
) -> Result | None:
    """The owner's newest result comment last written on or after ``end``: only a text its
    owner saved (a comment someone else edited, or whose editor is unknown, does not count)."""
    found: list[Result] = []
    for comment in comments:
        by = written(comment)
        if by.by is None or not comment.author.same(owner) or not comment.author.same(by.by):
            continue
        gist = result_gist(comment.body)
        if gist is not None and by.at.astimezone(zone).date() >= end:
            found.append(Result(comment.html_url, gist, by.at, comment.id))
    return max(found, key=lambda r: (r.at, r.comment_id)) if found else None


def label_op(name: str) -> EnsureLabel:
    """The experiments label, created up front: GitHub drops a form's labels that do not exist
    (https://docs.github.com/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-issue-forms#top-level-syntax),
    and an unlabelled experiment is in no review."""
    return EnsureLabel(name, LABEL_COLOR, LABEL_DESCRIPTION)


def reminder_marker(number: int) -> Marker:
    return Marker.of(REMINDER, issue=str(number))


def _replied(snapshot: Snapshot, number: int) -> frozenset[Marker]:
    """The bot's own markers on the issue, as the bot wrote them (a marker a person pastes
    into the bot's comment counts for nothing: ``Snapshot.bot_text``)."""
    kinds = (REMINDER, PROBLEM)
    return frozenset(
        m
        for c in snapshot.comments_on(number)
        for m in find_markers(snapshot.bot_text(c, unknown=c.body))
        if m.kind in kinds
    )


# --- the experiments ----------------------------------------------------------------------------


def read_experiment(
    snapshot: Snapshot,
    issue: Issue,
    today: date,
    written: Callable[[Comment], Written],
    zone: tzinfo = UTC,
) -> Experiment:
    """One experiment issue on ``today``; ``written`` says who wrote each comment's text
    (``signoff.thread.Authorship`` for the run's event)."""
    body = authored_body(snapshot, issue)
    why: str | None = None
    if body is None:
        fields = Fields(owner=None)
        why = (
            "its body changed and its edit history (who wrote it) could not be read"
            if snapshot.history(issue.node_id) is None
            else "its author's text is no longer in its edit history"
        )
    else:
        fields = read_fields(body, issue.author.login)
    status = status_on(fields, today)
    result = None
    if status is Status.FINISHED and fields.owner is not None and fields.end is not None:
        comments = people_comments(snapshot.comments_on(issue.number), snapshot.bot_login)
        result = find_result(comments, fields.owner, fields.end, written, zone)
    return Experiment(
        number=issue.number,
        title=issue.title,
        url=issue.html_url,
        author=issue.author.login,
        is_open=issue.is_open,
        fields=fields,
        status=status,
        result=result,
        unread=why,
        thread_read=issue.number in snapshot.comments or issue.comments_count == 0,
        replied=_replied(snapshot, issue.number),
    )


def experiment_issues(snapshot: Snapshot, label: str) -> list[Issue]:
    """The issues with the experiments label (people's: the bot opens none)."""
    return [
        i for i in snapshot.issues if i.has_label(label) and not snapshot.is_bot_author(i.author)
    ]


def read_experiments(
    snapshot: Snapshot,
    label: str,
    today: date,
    written: Callable[[Comment], Written],
    zone: tzinfo = UTC,
) -> list[Experiment]:
    """Every experiment with ``label``: running, then upcoming, finished, unclear; by start."""
    found = [
        read_experiment(snapshot, i, today, written, zone)
        for i in experiment_issues(snapshot, label)
    ]
    return sorted(found, key=lambda e: (_ORDER[e.status], e.fields.start or date.min, e.number))


def histories_needed(snapshot: Snapshot, issues: Iterable[Issue]) -> set[str]:
    """The edit histories that reading these experiments needs (for ``edits_for``): each body
    that changed since it was opened, and each edited comment of a person that holds a result
    line (who saved it decides whether it counts)."""
    found: set[str] = set()
    for issue in issues:
        if not issue.untouched and issue.node_id:
            found.add(issue.node_id)
        for comment in people_comments(snapshot.comments_on(issue.number), snapshot.bot_login):
            if comment.was_edited and comment.node_id and result_gist(comment.body) is not None:
                found.add(comment.node_id)
    return found


def reminder(experiment: Experiment, templates: Templates) -> AddComment | None:
    """The one reminder of a finished experiment without a result, mentioning its owner."""
    if not experiment.reminder_due or experiment.owner is None:
        return None
    marker = reminder_marker(experiment.number)
    fields = experiment.fields
    text = templates.render(
        "review_experiment_reminder.md.j2",
        owner=experiment.owner,
        title=experiment.title,
        metric=fields.metric,
        end=fields.end.isoformat() if fields.end else "",
    )
    return AddComment(experiment.number, marker, f"{marker.render()}\n{text}")


def problem_reply(experiment: Experiment, templates: Templates) -> AddComment | None:
    """One reply to the author of an open experiment whose fields cannot be read, saying which
    and why (SPEC §7: bad input gets one precise reply); none for the same problems twice."""
    if not experiment.problem_reply_due:
        return None
    marker = experiment.problem_marker()
    text = templates.render(
        "review_experiment_problem.md.j2",
        author=experiment.author,
        problems=list(experiment.fields.problems),
    )
    return AddComment(experiment.number, marker, f"{marker.render()}\n{text}")


def render_experiments(templates: Templates, experiments: Sequence[Experiment], label: str) -> str:
    """An area's experiments as the review shows them: running, upcoming, finished (with the
    result or its absence), and those that cannot be read, with why."""
    return templates.render(
        "review_experiments.md.j2", experiments=[e.data() for e in experiments], label=label
    )
