"""Operations: the plan a ritual returns, as data.

``plan(config, snapshot, event, now) -> [Op, …]`` is pure; the gateway is the only code that turns
ops into requests. Every op that creates something carries the hidden marker that is its dedup key,
and every op can say whether the snapshot already shows it done (``is_done``), so applying the same
plan twice writes nothing the second time (DESIGN: idempotent by construction).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from ritual_bot.markers import Marker, find_markers
from ritual_bot.model import EditHistory, Issue, Revision, Snapshot


class OpKind(Enum):
    ENSURE_LABEL = "ensure-label"
    CREATE_ISSUE = "create-issue"
    UPDATE_ISSUE = "update-issue"
    ADD_COMMENT = "add-comment"
    UPDATE_COMMENT = "update-comment"
    ADD_ASSIGNEES = "add-assignees"
    PUT_FILE = "put-file"


@dataclass(frozen=True)
class EnsureLabel:
    """Create a repository label if it is missing (https://docs.github.com/rest/issues/labels)."""

    name: str
    color: str
    description: str = ""
    kind = OpKind.ENSURE_LABEL

    def is_done(self, snapshot: Snapshot) -> bool:
        known = {label.casefold() for label in snapshot.existing_labels}
        return self.name.casefold() in known

    def describe(self) -> str:
        return f"ensure label {self.name!r} (#{self.color})"


@dataclass(frozen=True)
class CreateIssue:
    marker: Marker
    title: str
    body: str
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    # The body to open it with if GitHub refuses the assignees (see ``unassigned``); None: the
    # body with a first line that mentions them.
    unassigned_body: str | None = field(default=None, repr=False, compare=False)
    kind = OpKind.CREATE_ISSUE

    def __post_init__(self) -> None:
        if self.marker not in find_markers(self.body):
            raise ValueError("a created issue's body must carry its dedup marker")

    def is_done(self, snapshot: Snapshot) -> bool:
        return find_bot_issue(snapshot, self.marker) is not None

    def unassigned(self) -> CreateIssue:
        """The same issue without assignees, mentioning them instead: what to open when GitHub
        refuses an assignee (422, nothing created; see ``Gateway``). The marker is unchanged, so
        it stays the dedup key, and the mention still notifies the person. A ritual whose body
        holds a fingerprint of itself (HPFO: an untouched body is no answer) passes its own
        ``unassigned_body``."""
        mention = " ".join(f"@{login}" for login in self.assignees)
        body = self.unassigned_body or f"cc {mention}\n\n{self.body}"
        return replace(self, assignees=(), body=body, unassigned_body=None)

    def describe(self) -> str:
        who = f" for @{', @'.join(self.assignees)}" if self.assignees else ""
        return f"open issue {self.title!r}{who} [{', '.join(self.labels)}]"


@dataclass(frozen=True)
class UpdateIssue:
    """One PATCH of an issue: only the fields that are set change.

    Closing with a summary is one UpdateIssue carrying both the new body and the state, so the
    summary rides in the closing request (https://docs.github.com/rest/issues/issues#update-an-issue).
    """

    number: int
    body: str | None = None
    title: str | None = None
    state: str | None = None
    state_reason: str | None = None
    labels: tuple[str, ...] | None = None
    kind = OpKind.UPDATE_ISSUE

    def is_done(self, snapshot: Snapshot) -> bool:
        issue = snapshot.issue(self.number)
        if issue is None:
            return False
        return (
            (self.body is None or issue.body == self.body)
            and (self.title is None or issue.title == self.title)
            and (self.state is None or issue.state == self.state)
            and (self.state_reason is None or issue.state_reason == self.state_reason)
            and (self.labels is None or _same_labels(issue.labels, self.labels))
        )

    def describe(self) -> str:
        parts = [name for name in ("body", "title", "labels") if getattr(self, name) is not None]
        if self.state:
            reason = f" ({self.state_reason})" if self.state_reason else ""
            parts.append(f"state={self.state}{reason}")
        return f"update issue #{self.number}: {', '.join(parts)}"


@dataclass(frozen=True)
class AddComment:
    number: int
    marker: Marker
    body: str
    # The marker of an issue this run opens first: its number is not known when planning, and
    # the runner fills it in (``links.resolve``) once that issue exists.
    on: Marker | None = None
    kind = OpKind.ADD_COMMENT

    def __post_init__(self) -> None:
        if self.marker not in find_markers(self.body):
            raise ValueError("a bot comment must carry its dedup marker")

    def is_done(self, snapshot: Snapshot) -> bool:
        # A marker counts only in what the bot wrote: a person who pastes one into the bot's
        # comment cannot mark a reply or reminder as sent (the history says what the bot wrote;
        # without one the comment reads as it is, so a lost history never duplicates).
        return any(
            self.marker in find_markers(snapshot.bot_text(c, unknown=c.body))
            for c in snapshot.comments_on(self.number)
        )

    def describe(self) -> str:
        return f"comment on #{self.number} ({self.marker.kind})"


@dataclass(frozen=True)
class UpdateComment:
    """Rewrite one of the bot's own comments: a rendering the bot keeps up to date (the OKR
    tracker's detail parts), never a person's text.
    https://docs.github.com/rest/issues/comments#update-an-issue-comment"""

    number: int  # the issue it is on: the item it belongs to (isolation, reports)
    comment_id: int
    marker: Marker
    body: str
    kind = OpKind.UPDATE_COMMENT

    def __post_init__(self) -> None:
        if self.marker not in find_markers(self.body):
            raise ValueError("a bot comment must carry its dedup marker")

    def is_done(self, snapshot: Snapshot) -> bool:
        return any(
            c.id == self.comment_id and c.body == self.body
            for c in snapshot.comments_on(self.number)
        )

    def describe(self) -> str:
        return f"edit comment on #{self.number} ({self.marker.kind})"


@dataclass(frozen=True)
class AddAssignees:
    """Add people to an issue's assignees, keeping the others.

    A separate request from UpdateIssue on purpose: the add-assignees endpoint silently skips
    people who cannot be assigned, where a PATCH with them fails as a whole
    (https://docs.github.com/rest/issues/assignees#add-assignees-to-an-issue).
    """

    number: int
    logins: tuple[str, ...]
    kind = OpKind.ADD_ASSIGNEES

    def is_done(self, snapshot: Snapshot) -> bool:
        issue = snapshot.issue(self.number)
        if issue is None:
            return False
        assigned = {login.casefold() for login in issue.assignees}
        return all(login.casefold() in assigned for login in self.logins)

    def describe(self) -> str:
        return f"assign #{self.number} to @{', @'.join(self.logins)}"


@dataclass(frozen=True)
class PutFile:
    """Create or update one file on the default branch: one commit.

    ``sha`` is the blob being replaced (required by GitHub to update a file), None to create it
    (https://docs.github.com/rest/repos/contents#create-or-update-file-contents). Done when the
    snapshot read the file with exactly this content.
    """

    path: str
    content: str
    message: str
    sha: str | None = None
    # False: the branch may refuse the write (403 without ``contents: write``, 409 under branch
    # protection or a ruleset) and the run goes on; the gateway reports why instead of failing.
    required: bool = True
    kind = OpKind.PUT_FILE

    def is_done(self, snapshot: Snapshot) -> bool:
        current = snapshot.files.get(self.path)
        return current is not None and current.content == self.content

    def describe(self) -> str:
        return f"{'update' if self.sha else 'create'} file {self.path}"


#: A marker standing where a comment says why an optional file (``PutFile.required`` False)
#: planned earlier in the run was not written; the gateway fills it in (``fill_file_notes``).
FILE_NOTE = "file-note"


def file_note(path: str | None) -> str:
    """Where a comment says why an optional file was not written, if the branch refuses it."""
    if path is None:
        return ""
    try:
        return "\n" + Marker.of(FILE_NOTE, path=path).render() + "\n"
    except ValueError:  # a path a marker cannot carry: the step summary still says it
        return ""


def fill_file_notes(body: str, refused: dict[str, str]) -> str:
    """Swap each file-note marker of a refused file for a sentence saying why it was not
    written; the marker of a file that was written stays (an invisible HTML comment)."""
    for marker in find_markers(body):
        path = marker.get("path") or ""
        if marker.kind == FILE_NOTE and path in refused:
            note = f"\n> [!WARNING]\n> `{path}` was not written: {refused[path]}.\n"
            body = body.replace(marker.render(), note)
    return body


Op = EnsureLabel | CreateIssue | UpdateIssue | AddComment | UpdateComment | AddAssignees | PutFile


def _same_labels(current: Iterable[str], wanted: Iterable[str]) -> bool:
    return {c.casefold() for c in current} == {w.casefold() for w in wanted}


def find_bot_issue(snapshot: Snapshot, marker: Marker) -> Issue | None:
    """The issue the bot opened for this marker; markers in issues by others do not count.

    Where the body as the bot first wrote it is known (``Snapshot.original_body``), the marker
    must be there: a person can paste a marker into any body, bot-opened ones included (SPEC §7),
    and a pasted one must not make a creation look done. Where it is not known, the current body
    is read, which errs toward not creating: never toward a duplicate.
    """
    for issue in snapshot.issues:
        if snapshot.is_bot_author(issue.author):
            body = snapshot.original_body(issue)
            if marker in find_markers(issue.body if body is None else body):
                return issue
    return None


def pending(ops: Sequence[Op], snapshot: Snapshot) -> list[Op]:
    """The ops the snapshot does not already show done, in order.

    The same answers as each op's ``is_done``, but the markers the bot wrote are read once per
    run rather than once per op: a Monday plan opens a check-in per member, and searching every
    issue body for each one made it quadratic in the team's size (issue 11).
    """
    done = _Written(snapshot)
    return [op for op in ops if not done.shows(op)]


class _Written:
    """The markers the bot wrote, read lazily: in bot issues, and per issue in bot comments."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._issues: frozenset[Marker] | None = None
        self._comments: dict[int, frozenset[Marker]] = {}

    def shows(self, op: Op) -> bool:
        if isinstance(op, CreateIssue):
            return op.marker in self._in_issues()
        if isinstance(op, AddComment):
            return op.marker in self._in_comments(op.number)
        return op.is_done(self._snapshot)

    def _in_issues(self) -> frozenset[Marker]:
        if self._issues is None:  # as find_bot_issue reads each bot issue
            snapshot = self._snapshot
            bodies = (
                issue.body if (original := snapshot.original_body(issue)) is None else original
                for issue in snapshot.issues
                if snapshot.is_bot_author(issue.author)
            )
            self._issues = frozenset(m for body in bodies for m in find_markers(body))
        return self._issues

    def _in_comments(self, number: int) -> frozenset[Marker]:
        if number not in self._comments:  # as AddComment.is_done reads them
            snapshot = self._snapshot
            self._comments[number] = frozenset(
                m
                for c in snapshot.comments_on(number)
                for m in find_markers(snapshot.bot_text(c, unknown=c.body))
            )
        return self._comments[number]


def after(snapshot: Snapshot, ops: Sequence[Op]) -> Snapshot:
    """The snapshot as it will read once these ops' issue updates are applied (body, labels,
    state): what a later plan in the same run builds on, so two rituals that keep their own
    block in one body (a decision's and an OKR plan's) each write on top of the other's."""
    updates: dict[int, UpdateIssue] = {}
    for op in ops:
        if isinstance(op, UpdateIssue):
            earlier = updates.get(op.number)
            updates[op.number] = op if earlier is None else _merged(earlier, op)
    if not updates:
        return snapshot
    issues: list[Issue] = []
    edits = dict(snapshot.edits)
    for issue in snapshot.issues:
        update = updates.get(issue.number)
        issues.append(issue if update is None else _updated(issue, update))
        history = snapshot.history(issue.node_id) if update and update.body is not None else None
        if update is not None and update.body is not None and history is not None:
            edits[issue.node_id] = _saved_by_bot(history, snapshot.bot_login, update.body)
    return replace(snapshot, issues=tuple(issues), edits=edits)


def _saved_by_bot(history: EditHistory, bot: str, body: str) -> EditHistory:
    """The history once the bot saves ``body``: its newest revision, so ``Snapshot.bot_body``
    reads what this run will have written, not the bot's revision before a person's edit."""
    if not history.edited:
        return history  # never edited: the body is read as it is, which is now the new one
    at = history.last_edited_at
    assert at is not None
    return replace(
        history,
        editor=bot,
        editors=(*history.editors, bot),
        revisions=(*history.revisions, Revision(bot, at, body)),
    )


def _updated(issue: Issue, update: UpdateIssue) -> Issue:
    return replace(
        issue,
        body=update.body if update.body is not None else issue.body,
        labels=update.labels if update.labels is not None else issue.labels,
        state=update.state or issue.state,
        state_reason=update.state_reason or issue.state_reason,
    )


def _merged(first: UpdateIssue, then: UpdateIssue) -> UpdateIssue:
    return replace(
        then,
        body=then.body if then.body is not None else first.body,
        labels=then.labels if then.labels is not None else first.labels,
        state=then.state or first.state,
        state_reason=then.state_reason or first.state_reason,
    )
