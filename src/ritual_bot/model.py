"""Plain, frozen values that a run reads from GitHub (the snapshot).

The gateway fills them; everything else only reads them. Field names follow GitHub's REST
representations (https://docs.github.com/rest/issues/issues#get-an-issue) where they exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType


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

    @property
    def is_open(self) -> bool:
        return self.state == "open"

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "comments", _freeze_comments(self.comments))
        roles = {login.casefold(): role for login, role in self.permissions.items()}
        object.__setattr__(self, "permissions", MappingProxyType(roles))
        object.__setattr__(self, "files", MappingProxyType(dict(self.files)))
        object.__setattr__(self, "folders", MappingProxyType(dict(self.folders)))

    def issue(self, number: int) -> Issue | None:
        return next((i for i in self.issues if i.number == number), None)

    def comments_on(self, number: int) -> tuple[Comment, ...]:
        return self.comments.get(number, ())

    def is_bot_author(self, user: User) -> bool:
        return user.same(self.bot_login)

    def role_of(self, login: str) -> str | None:
        """The role name read for ``login`` ("admin", "maintain", "write", …), None if not read."""
        return self.permissions.get(login.casefold())
