"""The sandbox's world: users, orgs, teams, repositories, issues, comments, labels, files.

Plain dataclasses guarded by one re-entrant lock (requests arrive on server threads). Objects keep
only raw data; REST shapes (urls, rollups, associations) are computed by ``render`` at read time, so
a rename or a different base URL never leaves stale copies behind.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Literal

BOT_LOGIN = "github-actions[bot]"
# The real id of github-actions[bot], so payload fixtures and sandbox output agree.
BOT_ID = 41898282


class Role(IntEnum):
    """Repository roles, ordered by what they allow.

    https://docs.github.com/organizations/managing-user-access-to-your-organizations-repositories/managing-repository-roles/repository-roles-for-an-organization
    """

    READ = 1
    TRIAGE = 2
    WRITE = 3
    MAINTAIN = 4
    ADMIN = 5

    @classmethod
    def parse(cls, name: str) -> Role:
        aliases = {"pull": "read", "push": "write"}
        key = aliases.get(name.lower(), name.lower())
        try:
            return cls[key.upper()]
        except KeyError:
            raise ValueError(
                f"unknown role {name!r}: use admin|maintain|write|triage|read"
            ) from None

    @property
    def label(self) -> str:
        return self.name.lower()


UserType = Literal["User", "Organization", "Bot"]


@dataclass
class User:
    login: str
    id: int
    type: UserType
    created_at: datetime
    name: str | None = None
    email: str | None = None


@dataclass
class Team:
    id: int
    slug: str
    name: str
    members: list[str] = field(default_factory=list)


@dataclass
class Org:
    login: str
    # login -> whether the membership is public (private members show as CONTRIBUTOR).
    members: dict[str, bool] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)
    base_role: Role | None = Role.READ
    teams: dict[str, Team] = field(default_factory=dict)


@dataclass
class Label:
    id: int
    name: str
    color: str
    description: str | None = None
    default: bool = False


@dataclass
class Reaction:
    id: int
    content: str
    user: str
    created_at: datetime


@dataclass
class Revision:
    """One entry of a body's edit history: GraphQL's ``UserContentEdit``.

    https://docs.github.com/graphql/reference/objects#usercontentedit — ``diff`` holds the
    body's full text as saved by that revision (despite the schema's "summary of the changes":
    clients read it as the full text, e.g. git-bug's importer rebuilds bodies from it), and is
    null once someone deleted that revision's content from the history, which leaves
    ``deleted_at`` and ``deleted_by`` behind.
    """

    id: int
    editor: str
    edited_at: datetime
    diff: str | None
    created_at: datetime  # when the revision was stored (the first edit, for the creation one)
    deleted_at: datetime | None = None
    deleted_by: str | None = None


@dataclass
class Comment:
    id: int
    issue_number: int
    body: str
    user: str
    created_at: datetime
    updated_at: datetime
    reactions: list[Reaction] = field(default_factory=list)
    edits: list[Revision] = field(default_factory=list)  # oldest first; empty until edited


@dataclass
class Pull:
    """What makes an issue a pull request: GitHub numbers both in one sequence, and the issues
    API lists and serves pull requests too, with a ``pull_request`` key
    (https://docs.github.com/rest/issues/issues#list-repository-issues: "GitHub's REST API
    considers every pull request an issue, but not every issue is a pull request").
    Branches are refs of the repository itself (forks are not modelled)."""

    id: int  # the pull request's own id (not the issue's), as in "List pull requests"
    head: str  # head branch name
    base: str  # base branch name
    head_sha: str
    base_sha: str
    draft: bool = False
    merged_at: datetime | None = None
    merge_commit_sha: str | None = None


@dataclass
class Release:
    """https://docs.github.com/rest/releases/releases — a draft has no ``published_at``."""

    id: int
    tag_name: str
    target_commitish: str
    name: str | None
    body: str | None
    author: str
    created_at: datetime
    draft: bool = False
    prerelease: bool = False
    published_at: datetime | None = None


@dataclass
class Issue:
    id: int
    number: int
    title: str
    body: str | None
    user: str
    created_at: datetime
    updated_at: datetime
    state: Literal["open", "closed"] = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    label_ids: list[int] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)
    comment_count: int = 0
    edits: list[Revision] = field(default_factory=list)  # of the body, oldest first
    pull: Pull | None = None  # set when this "issue" is a pull request


@dataclass
class FileEntry:
    path: str
    content: bytes
    sha: str


@dataclass
class Commit:
    sha: str
    tree_sha: str
    message: str
    author: str
    at: datetime
    parent: str | None


@dataclass
class Repo:
    id: int
    owner: str
    name: str
    created_at: datetime
    updated_at: datetime
    private: bool = True
    has_issues: bool = True
    description: str | None = None
    default_branch: str = "main"
    collaborators: dict[str, Role] = field(default_factory=dict)
    labels: dict[int, Label] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)  # pull requests included
    releases: dict[int, Release] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    files: dict[str, FileEntry] = field(default_factory=dict)
    commits: list[Commit] = field(default_factory=list)
    committers: set[str] = field(default_factory=set)
    next_number: int = 1
    # Branch -> how it is protected ("protection" or "ruleset") and who may bypass it.
    protected: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    # Issue number -> (repository id, number) it was transferred to.
    moved: dict[int, tuple[int, int]] = field(default_factory=dict)
    pushed_at: datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def label_named(self, name: str) -> Label | None:
        """Label names match case-insensitively, as on GitHub."""
        wanted = name.casefold()
        return next((lb for lb in self.labels.values() if lb.name.casefold() == wanted), None)


class Ids:
    """Id sequences. Large starting points, like GitHub's, so ids never look like issue numbers."""

    def __init__(self) -> None:
        self._next = {
            "user": 1_000_001,
            "repo": 600_000_001,
            "issue": 2_400_000_001,
            "comment": 1_900_000_001,
            "label": 7_100_000_001,
            "reaction": 250_000_001,
            "team": 9_000_001,
            "edit": 3_300_000_001,
            "pull": 1_800_000_001,
            "release": 180_000_001,
        }

    def next(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] = value + 1
        return value


@dataclass
class State:
    users: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    repos: dict[str, Repo] = field(default_factory=dict)
    ids: Ids = field(default_factory=Ids)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def user(self, login: str) -> User | None:
        """Logins are case-insensitive on GitHub."""
        found = self.users.get(login.casefold())
        return found

    def repo(self, full_name: str) -> Repo | None:
        return self.repos.get(full_name.casefold())

    def repo_by_id(self, repo_id: int) -> Repo | None:
        return next((r for r in self.repos.values() if r.id == repo_id), None)

    def org(self, login: str) -> Org | None:
        return self.orgs.get(login.casefold())

    def find_comment(self, repo: Repo, comment_id: int) -> Comment | None:
        return repo.comments.get(comment_id)

    def role(self, repo: Repo, login: str) -> Role | None:
        """The highest role a user has on a repo from every source of grants, or None."""
        key = login.casefold()
        grants: list[Role] = []
        if repo.owner.casefold() == key:
            grants.append(Role.ADMIN)
        explicit = repo.collaborators.get(key)
        if explicit is not None:
            grants.append(explicit)
        org = self.org(repo.owner)
        if org is not None and key in org.members:
            if key in org.admins:
                grants.append(Role.ADMIN)
            elif org.base_role is not None:
                grants.append(org.base_role)
        return max(grants) if grants else None

    def association(self, repo: Repo, login: str) -> str:
        """``author_association`` of ``login`` on ``repo``.

        https://docs.github.com/graphql/reference/enums#commentauthorassociation — GitHub only
        reports MEMBER for *public* org members; a private member shows as a collaborator or
        contributor, which is why bots must not trust author_association alone.
        """
        key = login.casefold()
        if repo.owner.casefold() == key:
            return "OWNER"
        org = self.org(repo.owner)
        if org is not None and org.members.get(key):
            return "MEMBER"
        if key in repo.collaborators:
            return "COLLABORATOR"
        if org is not None and key in org.members:
            return "CONTRIBUTOR"
        if key in repo.committers:
            return "CONTRIBUTOR"
        return "NONE"
