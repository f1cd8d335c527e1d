"""Plain, frozen values that a run reads from GitHub (the snapshot).

The gateway fills them; everything else only reads them. Field names follow GitHub's REST
representations (https://docs.github.com/rest/issues/issues#get-an-issue) where they exist.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from types import MappingProxyType

from ritual_bot.markers import Marker, first_marker


@dataclass(frozen=True)
class User:
    login: str
    type: str = "User"  # "User" | "Bot" | "Organization"

    @property
    def is_bot(self) -> bool:
        # Apps post as "<slug>[bot]" with type "Bot"; both signs are checked because some
        # payloads (e.g. GHES webhooks) have been seen without the type.
        return self.type == "Bot" or self.login.endswith("[bot]")

    def same(self, login: str) -> bool:
        """GitHub logins are case-insensitive."""
        return self.login.casefold() == login.casefold()


@dataclass(frozen=True)
class Comment:
    id: int
    issue_number: int
    author: User
    body: str
    created_at: datetime
    updated_at: datetime
    html_url: str = ""
    node_id: str = ""  # the GraphQL global id, to ask for the edit history (EditHistory)

    @property
    def was_edited(self) -> bool:
        """Whether the body changed after it was written.

        GitHub moves a comment's ``updated_at`` when its body is edited
        (https://docs.github.com/rest/issues/comments#get-an-issue-comment); a second of slack
        absorbs the gap between the two stamps of one creation.
        """
        return (self.updated_at - self.created_at).total_seconds() > 1


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str
    state: str  # "open" | "closed"
    author: User
    created_at: datetime
    updated_at: datetime
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    state_reason: str | None = None
    closed_at: datetime | None = None
    html_url: str = ""
    comments_count: int = 0
    node_id: str = ""  # the GraphQL global id, to ask for the edit history (EditHistory)
    # Who closed it: only "Get an issue" returns it, never the listings
    # (https://docs.github.com/rest/issues/issues#get-an-issue); None when not read or open.
    closed_by: str | None = None

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def untouched(self) -> bool:
        """Nothing changed since it was created: its body is still the one its author wrote.

        GitHub moves ``updated_at`` on any change to an issue (body, title, labels, state, a new
        comment: https://docs.github.com/rest/issues/issues#get-an-issue). No slack, unlike
        ``Comment.was_edited``: this decides whether a body may be trusted as the original, so
        a doubt costs a history read, never trust.
        """
        return self.updated_at == self.created_at

    def has_label(self, name: str) -> bool:
        # Label names are case-insensitive on GitHub.
        return any(label.casefold() == name.casefold() for label in self.labels)


@dataclass(frozen=True)
class RepoFile:
    """A file on the default branch, as the contents API returns it (its blob ``sha``).

    https://docs.github.com/rest/repos/contents#get-repository-content
    """

    path: str
    sha: str
    content: str = ""


@dataclass(frozen=True)
class EditHistory:
    """Who edited an issue body or a comment, and what it said when first written.

    Read through GraphQL, the only API that has it: ``editor`` / ``lastEditedAt`` and the
    ``userContentEdits`` of the ``Comment`` interface
    (https://docs.github.com/graphql/reference/interfaces#comment). Unlike the body, a person
    cannot rewrite this history: it is what identity and authority are keyed on (SPEC §7).
    """

    node_id: str
    editor: str | None = None  # login of the last editor; None if never edited
    last_edited_at: datetime | None = None
    editors: tuple[str, ...] = ()  # everyone who saved a revision, oldest first
    # The body as its author first wrote it (the creation revision), None when GitHub no longer
    # has it (a person deleted that revision from the history) or it was never edited.
    original: str | None = None
    # Every saved edit after creation, oldest first (the creation revision is ``original``).
    revisions: tuple[Revision, ...] = ()

    @property
    def edited(self) -> bool:
        return self.last_edited_at is not None

    def last_saved_by(self, login: str) -> str | None:
        """The text of the newest revision ``login`` saved after creation, None if none is left."""
        for revision in reversed(self.revisions):
            if revision.editor is not None and revision.editor.casefold() == login.casefold():
                return revision.text
        return None


@dataclass(frozen=True)
class Revision:
    """One saved edit of a body: who saved it, when, and its full text (None once deleted)."""

    editor: str | None
    at: datetime
    text: str | None


@dataclass(frozen=True)
class MergedPull:
    """A pull request merged in a window, as "List pull requests" shows it
    (https://docs.github.com/rest/pulls/pulls#list-pull-requests)."""

    number: int
    title: str
    url: str  # html_url, the page people open
    author: User
    labels: tuple[str, ...]
    merged_at: datetime
    base: str  # the branch it was merged into


@dataclass(frozen=True)
class PublishedRelease:
    """A release published in a window (never a draft), as "List releases" shows it
    (https://docs.github.com/rest/releases/releases#list-releases). ``title`` is the release's
    name, or its tag when it has none (as GitHub's releases page shows it)."""

    tag_name: str
    title: str
    url: str  # html_url
    author: User
    published_at: datetime
    prerelease: bool = False


@dataclass(frozen=True)
class Repository:
    """What a run may need of the repository itself (https://docs.github.com/rest/repos/repos#get-a-repository)."""

    private: bool
    pushed_at: datetime | None  # the last push to any branch


def _freeze_comments(
    comments: Mapping[int, Iterable[Comment]],
) -> Mapping[int, tuple[Comment, ...]]:
    return MappingProxyType({n: tuple(cs) for n, cs in comments.items()})


@dataclass(frozen=True)
class Snapshot:
    """What one run knows about the repository, read once before planning.

    ``comments`` holds, per issue number, the comments read for that issue (as they read now:
    edited comments carry their new body, deleted ones are absent), oldest first.
    """

    repo: str
    bot_login: str
    issues: tuple[Issue, ...] = ()
    comments: Mapping[int, tuple[Comment, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    existing_labels: frozenset[str] = frozenset()
    # Read only when a ritual asks (rituals.base.ReadsMore): the repository role name of people
    # (https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user),
    # files read by path, and the files listed in folders (path -> blob sha, no content).
    permissions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    files: Mapping[str, RepoFile] = field(default_factory=lambda: MappingProxyType({}))
    folders: Mapping[str, tuple[RepoFile, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # Edit histories by GraphQL node id, read only for the bodies a ritual asks about
    # (rituals.base.ReadsEdits): who edited a comment, and what the bot first wrote.
    edits: Mapping[str, EditHistory] = field(default_factory=lambda: MappingProxyType({}))
    # Read only when a ritual asks (rituals.base.ReadsRepository): one GET of the repository.
    repository: Repository | None = None
    # Read only when a ritual asks (rituals.base.ReadsShipped): what shipped in a window.
    pulls: tuple[MergedPull, ...] = ()
    releases: tuple[PublishedRelease, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "comments", _freeze_comments(self.comments))
        roles = {login.casefold(): role for login, role in self.permissions.items()}
        object.__setattr__(self, "permissions", MappingProxyType(roles))
        object.__setattr__(self, "files", MappingProxyType(dict(self.files)))
        object.__setattr__(self, "folders", MappingProxyType(dict(self.folders)))
        object.__setattr__(self, "edits", MappingProxyType(dict(self.edits)))

    def issue(self, number: int) -> Issue | None:
        return self._issues_by_number.get(number)

    @cached_property
    def _issues_by_number(self) -> Mapping[int, Issue]:
        # Plans look issues up by number in loops over issues and ops: a scan each time was
        # quadratic (issue 11). The first issue listed with a number wins, as the scan did.
        found: dict[int, Issue] = {}
        for issue in self.issues:
            found.setdefault(issue.number, issue)
        return found

    def comments_on(self, number: int) -> tuple[Comment, ...]:
        return self.comments.get(number, ())

    def is_bot_author(self, user: User) -> bool:
        return user.same(self.bot_login)

    def history(self, node_id: str) -> EditHistory | None:
        """The edit history read for this body, None if it was not asked for."""
        return self.edits.get(node_id) if node_id else None

    def bot_text(self, comment: Comment, *, unknown: str | None = None) -> str | None:
        """What the bot itself wrote in one of its comments, whatever people did to it since.

        People with write access can edit the bot's comments too (SPEC §7): an unedited one is
        the bot's text; an edited one is read back from its history (the creation revision);
        ``unknown`` when it was edited and no history was read. None for anyone else's comment.
        """
        if not self.is_bot_author(comment.author):
            return None
        if not comment.was_edited:
            return comment.body
        history = self.history(comment.node_id)
        if history is None:
            return unknown
        return comment.body if not history.edited else history.original

    def bot_body(self, issue: Issue) -> str:
        """An issue's body as the bot last wrote it, whatever people did to it since (SPEC §7).

        From the edit history when it was read (before any write that depends on it); without
        one, the body as it reads now. An issue the bot neither opened nor edited has none ("").
        """
        history = self.history(issue.node_id)
        bot = self.bot_login.casefold()
        if history is None or not history.edited or (history.editor or "").casefold() == bot:
            return issue.body
        for revision in reversed(history.revisions):
            if revision.text is not None and (revision.editor or "").casefold() == bot:
                return revision.text
        return (history.original or "") if self.is_bot_author(issue.author) else ""

    def body_saved_by(self, issue: Issue, writers: Collection[str]) -> str | None:
        """An issue's body as one of ``writers`` (logins) last saved it, or as it was created when
        none of them saved it since; None when that cannot be known (edited, no history read).
        What a person who may not write there (SPEC §4, §7) saved counts for nothing."""
        if issue.untouched:
            return issue.body
        history = self.history(issue.node_id)
        if history is None:
            return None
        if not history.edited:
            return issue.body
        allowed = {w.casefold() for w in writers}
        for revision in reversed(history.revisions):
            if revision.text is not None and (revision.editor or "").casefold() in allowed:
                return revision.text
        return history.original

    def first_written(self, issue: Issue, kind: str) -> Marker | None:
        """The ``kind`` marker of an issue the bot opened, in the body it first wrote, never in
        what it reads now: a marker pasted into another issue, or removed from this one, changes
        nothing (SPEC §7). An edited body whose history was not read names nothing (strict)."""
        if not self.is_bot_author(issue.author):
            return None
        return first_marker(self.original_body(issue), kind)

    def original_body(self, issue: Issue) -> str | None:
        """The body as its author first wrote it, when that is known; None when it is not.

        Known when the issue was never touched (its body is the original), or its edit history
        was read and either shows no edit or still holds the creation revision. Unknown when the
        body changed and the history was not read, failed, or lost that revision.
        """
        if issue.untouched:
            return issue.body
        history = self.history(issue.node_id)
        if history is None:
            return None
        return history.original if history.edited else issue.body

    def role_of(self, login: str) -> str | None:
        """The role name read for ``login`` ("admin", "maintain", "write", …), None if not read."""
        return self.permissions.get(login.casefold())
