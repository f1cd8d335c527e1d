"""State changes shared by the REST handlers and the direct (seeding) API.

Each function validates like GitHub does and raises ``ApiError``; callers hold the state lock.
Docs: https://docs.github.com/rest/issues (issues, comments, labels, assignees, reactions).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime

from ritual_bot.sandbox import errors
from ritual_bot.sandbox.state import (
    Comment,
    Issue,
    Label,
    Pull,
    Reaction,
    Release,
    Repo,
    Revision,
    Role,
    State,
)

MAX_BODY = 65536  # characters, for issue and comment bodies
MAX_TITLE = 256
DEFAULT_LABEL_COLOR = "ededed"
STATE_REASONS = ("completed", "not_planned", "reopened", "duplicate")
_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")


def check_body(resource: str, body: str | None) -> None:
    if body is not None and len(body) > MAX_BODY:
        raise errors.too_long(resource, "body", MAX_BODY)


def check_title(title: str) -> None:
    if not title.strip():
        raise errors.validation_failed(
            {"resource": "Issue", "code": "missing_field", "field": "title"}
        )
    if len(title) > MAX_TITLE:
        raise errors.too_long("Issue", "title", MAX_TITLE)


LABEL_NAME_LIMIT = 50


def ensure_label(state: State, repo: Repo, name: str) -> Label:
    """Find a label by name, creating it in the default colour, as adding one to an issue does."""
    found = repo.label_named(name)
    if found is not None:
        return found
    return create_label(state, repo, name, DEFAULT_LABEL_COLOR, None)


def create_label(
    state: State, repo: Repo, name: str, color: str | None, description: str | None
) -> Label:
    if not name.strip():
        raise errors.validation_failed(
            {"resource": "Label", "code": "missing_field", "field": "name"}
        )
    if len(name) > LABEL_NAME_LIMIT:
        # GitHub refuses names over 50 characters with a 422 naming the value
        # (semantic-release/github#518 quotes it); the UI's label form stops at 50 too.
        raise errors.validation_failed(
            {"resource": "Label", "code": "invalid", "field": "name", "value": name}
        )
    if repo.label_named(name) is not None:
        raise errors.validation_failed(
            {"resource": "Label", "code": "already_exists", "field": "name"}
        )
    colour = normalise_color(color) if color is not None else DEFAULT_LABEL_COLOR
    lb = Label(state.ids.next("label"), name, colour, description)
    repo.labels[lb.id] = lb
    return lb


def normalise_color(color: str) -> str:
    bare = color.removeprefix("#")
    if not _COLOR.match(bare):
        raise errors.validation_failed({"resource": "Label", "code": "invalid", "field": "color"})
    return bare.lower()


def delete_label(repo: Repo, lb: Label) -> None:
    del repo.labels[lb.id]
    for it in repo.issues.values():
        if lb.id in it.label_ids:
            it.label_ids.remove(lb.id)


def assignable(state: State, repo: Repo, login: str, issue: Issue | None = None) -> bool:
    """Who GitHub lets be assigned: "anyone who has commented on the issue or pull request, anyone
    with write permissions to the repository, and organization members with read permissions to
    the repository"
    (https://docs.github.com/issues/tracking-your-work-with-issues/using-issues/assigning-issues-and-pull-requests-to-other-github-users;
    "being listed on the Collaborators page … or having previously commented":
    https://github.com/rust-lang/rust/pull/64114). So an outside collaborator with read (or
    triage) access only, a login that left the org, was renamed or has an invitation pending is
    not assignable: a team that relies on it breaks on GitHub, so the sandbox refuses it too.
    """
    if state.user(login) is None:
        return False
    role = state.role(repo, login)
    if role is not None and role >= Role.WRITE:
        return True
    org = state.org(repo.owner)
    if role is not None and org is not None and login.casefold() in org.members:
        return True
    if issue is None:
        return False
    key = login.casefold()
    return any(
        c.issue_number == issue.number and c.user.casefold() == key for c in repo.comments.values()
    )


def canonical_login(state: State, login: str) -> str:
    user = state.user(login)
    return user.login if user else login


def check_assignees(
    state: State, repo: Repo, logins: Iterable[str], issue: Issue | None = None
) -> list[str]:
    """For create and update, one unassignable login fails the whole request with a 422 and
    nothing is written. GitHub's body, as projects that hit it in production logged it:
    ``{"message":"Validation Failed","errors":[{"value":["…"],"resource":"Issue",
    "field":"assignees","code":"invalid"}],…}`` — no ``message`` in the error, ``value`` the
    logins sent on create (https://github.com/trstringer/manual-approval/issues/127,
    https://github.com/microsoft/vscode-pull-request-github/issues/1868), one login as a string
    on update. The add-assignees endpoint skips them silently instead (see routes.issues)."""
    wanted = list(dict.fromkeys(logins))
    bad = [login for login in wanted if not assignable(state, repo, login, issue)]
    if bad:
        value: list[str] | str = bad if issue is None else bad[0]
        raise errors.validation_failed(
            {"value": value, "resource": "Issue", "field": "assignees", "code": "invalid"}
        )
    return [canonical_login(state, login) for login in wanted]


def create_issue(
    state: State,
    repo: Repo,
    *,
    user: str,
    title: str,
    body: str | None,
    labels: Iterable[str],
    assignees: Iterable[str],
    now: datetime,
) -> Issue:
    check_title(title)
    check_body("Issue", body)
    if not repo.has_issues:
        raise errors.ApiError(410, "Issues are disabled for this repo")
    owners = check_assignees(state, repo, assignees)
    label_ids = [ensure_label(state, repo, name).id for name in dict.fromkeys(labels)]
    it = Issue(
        id=state.ids.next("issue"),
        number=repo.next_number,
        title=title,
        body=body,
        user=canonical_login(state, user),
        created_at=now,
        updated_at=now,
        label_ids=label_ids,
        assignees=owners,
    )
    repo.next_number += 1
    repo.issues[it.number] = it
    return it


def set_labels(state: State, repo: Repo, it: Issue, names: Iterable[str], now: datetime) -> None:
    ids = list(dict.fromkeys(ensure_label(state, repo, name).id for name in names))
    if ids != it.label_ids:
        it.label_ids = ids
        it.updated_at = now


def add_labels(state: State, repo: Repo, it: Issue, names: Iterable[str], now: datetime) -> None:
    extra = [n for n in names]
    current = [repo.labels[i].name for i in it.label_ids if i in repo.labels]
    set_labels(state, repo, it, current + extra, now)


def set_state(it: Issue, state: str, reason: str | None, *, actor: str, now: datetime) -> None:
    """Close or reopen; https://docs.github.com/rest/issues/issues#update-an-issue —
    closing defaults ``state_reason`` to ``completed``, reopening sets ``reopened``."""
    if state == "closed":
        if it.state != "closed":
            it.closed_at = now
            it.closed_by = actor
        new_reason = reason or (it.state_reason if it.state == "closed" else None) or "completed"
        it.state = "closed"
        it.state_reason = new_reason
    else:
        if it.state != "open":
            it.state_reason = "reopened"
            it.closed_at = None
            it.closed_by = None
        it.state = "open"
    it.updated_at = now


def create_comment(
    state: State, repo: Repo, it: Issue, *, user: str, body: str, now: datetime
) -> Comment:
    if not body.strip():
        raise errors.validation_failed(
            {"resource": "IssueComment", "code": "missing_field", "field": "body"}
        )
    check_body("IssueComment", body)
    if it.comment_count >= errors.COMMENT_LIMIT:
        raise errors.commenting_disabled()
    c = Comment(state.ids.next("comment"), it.number, body, canonical_login(state, user), now, now)
    repo.comments[c.id] = c
    it.comment_count += 1
    it.updated_at = now
    return c


def edit_comment(state: State, c: Comment, body: str, *, editor: str, now: datetime) -> None:
    if not body.strip():
        raise errors.validation_failed(
            {"resource": "IssueComment", "code": "missing_field", "field": "body"}
        )
    check_body("IssueComment", body)
    if body != c.body:
        record_edit(
            state,
            c.edits,
            author=c.user,
            created_at=c.created_at,
            before=c.body,
            after=body,
            editor=editor,
            now=now,
        )
        c.body = body
        c.updated_at = now


def record_edit(
    state: State,
    edits: list[Revision],
    *,
    author: str,
    created_at: datetime,
    before: str | None,
    after: str | None,
    editor: str,
    now: datetime,
) -> None:
    """Keep a body edit in its history (GraphQL ``userContentEdits``).

    GitHub starts a body's history at its first edit, with two revisions: the creation one (the
    author, at creation, with the text first written), then the edit. Hence
    ``includesCreatedEdit`` ("Check if this comment was edited and includes an edit with the
    creation data", https://docs.github.com/graphql/reference/interfaces#comment), and git-bug's
    importer skipping "the first edit in the github result [which] is the issue creation
    itself" (github.com/git-bug/git-bug, bridge/github/import.go). Who edits is the token's
    user, whoever wrote the body. A null body is kept as the empty text.
    """
    if not edits:
        first = Revision(state.ids.next("edit"), author, created_at, before or "", now)
        edits.append(first)
    edits.append(
        Revision(state.ids.next("edit"), canonical_login(state, editor), now, after or "", now)
    )


def delete_revision(
    state: State, edits: list[Revision], index: int, *, by: str, now: datetime
) -> None:
    """GitHub's "Delete revision from history": the revision stays, its text goes.

    https://help.github.com/en/articles/moderating-comments-and-conversations ("Tracking
    changes in a comment"): "Comment authors and people with write access to a repository can
    delete sensitive information from a comment's edit history"; callers check who may. The
    revision keeps its editor and time and gains ``deletedAt``/``deletedBy``; ``diff`` becomes
    null. Not confirmed: whether GitHub refuses to delete the current revision; the sandbox
    allows any (a reader must cope with any revision missing its text).
    """
    if not 0 <= index < len(edits):
        raise errors.not_found()
    revision = edits[index]
    revision.diff = None
    revision.deleted_at = revision.deleted_at or now
    revision.deleted_by = revision.deleted_by or canonical_login(state, by)


def delete_comment(repo: Repo, c: Comment, now: datetime) -> None:
    del repo.comments[c.id]
    it = repo.issues.get(c.issue_number)
    if it is not None:
        it.comment_count -= 1
        it.updated_at = now


def react(
    state: State, reactions: list[Reaction], *, user: str, content: str, now: datetime
) -> tuple[Reaction, bool]:
    """Add a reaction; an identical one by the same user is returned instead (200, not 201)."""
    login = canonical_login(state, user)
    for existing in reactions:
        if existing.user == login and existing.content == content:
            return existing, False
    made = Reaction(state.ids.next("reaction"), content, login, now)
    reactions.append(made)
    return made, True


def mentions(it: Issue, comments: Iterable[Comment], login: str) -> bool:
    pattern = re.compile(rf"(?<![\w@])@{re.escape(login)}(?![\w-])", re.IGNORECASE)
    texts = [it.body or ""] + [c.body for c in comments if c.issue_number == it.number]
    return any(pattern.search(text) for text in texts)


def _sha(*parts: object) -> str:
    """A stable, git-shaped commit id for refs the sandbox does not store as commits."""
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


def create_pull(
    state: State,
    repo: Repo,
    *,
    user: str,
    title: str,
    body: str | None,
    head: str,
    base: str | None,
    labels: Iterable[str],
    draft: bool,
    now: datetime,
) -> Issue:
    """Open a pull request from ``head`` into ``base`` (default: the default branch).

    https://docs.github.com/rest/pulls/pulls#create-a-pull-request — it takes the next number
    of the issues' sequence. Head and base must differ (GitHub answers 422 "No commits
    between …"); labels go through the issues API on GitHub, here at creation for seeding.
    """
    check_title(title)
    check_body("PullRequest", body)
    into = base or repo.default_branch
    if head == into:
        raise errors.validation_failed(
            {
                "resource": "PullRequest",
                "code": "custom",
                "message": f"No commits between {into} and {head}",
            }
        )
    number = repo.next_number
    pull = Pull(
        id=state.ids.next("pull"),
        head=head,
        base=into,
        head_sha=_sha(repo.id, head, number),
        base_sha=_sha(repo.id, into, number),
        draft=draft,
    )
    it = Issue(
        id=state.ids.next("issue"),
        number=number,
        title=title,
        body=body,
        user=canonical_login(state, user),
        created_at=now,
        updated_at=now,
        label_ids=[ensure_label(state, repo, name).id for name in dict.fromkeys(labels)],
        pull=pull,
    )
    repo.next_number += 1
    repo.issues[number] = it
    return it


def merge_pull(it: Issue, *, actor: str, now: datetime) -> None:
    """https://docs.github.com/rest/pulls/pulls#merge-a-pull-request — only an open, non-draft
    pull request merges (405 otherwise); merging closes it at the same instant."""
    pull = it.pull
    if pull is None:
        raise errors.not_found()
    if it.state != "open" or pull.draft:
        raise errors.ApiError(405, "Pull Request is not mergeable")
    pull.merged_at = now
    pull.merge_commit_sha = _sha(it.id, pull.head_sha, now.isoformat())
    it.state, it.state_reason = "closed", None
    it.closed_at, it.closed_by, it.updated_at = now, actor, now


def create_release(
    state: State,
    repo: Repo,
    *,
    user: str,
    tag_name: str,
    name: str | None,
    body: str | None,
    draft: bool,
    prerelease: bool,
    now: datetime,
) -> Release:
    """https://docs.github.com/rest/releases/releases#create-a-release — one release per tag:
    a second gets 422 ``already_exists`` on ``tag_name``. A draft is unpublished
    (``published_at`` null) until ``publish_release``."""
    if not tag_name.strip():
        raise errors.validation_failed(
            {"resource": "Release", "code": "missing_field", "field": "tag_name"}
        )
    if any(r.tag_name == tag_name for r in repo.releases.values()):
        raise errors.validation_failed(
            {"resource": "Release", "code": "already_exists", "field": "tag_name"}
        )
    rel = Release(
        id=state.ids.next("release"),
        tag_name=tag_name,
        target_commitish=repo.default_branch,
        name=name,
        body=body,
        author=canonical_login(state, user),
        created_at=now,
        draft=draft,
        prerelease=prerelease,
        published_at=None if draft else now,
    )
    repo.releases[rel.id] = rel
    return rel


def publish_release(rel: Release, now: datetime) -> None:
    """Publishing a draft (``draft: false`` on update) stamps ``published_at``."""
    if rel.draft:
        rel.draft, rel.published_at = False, now
