"""REST shapes of sandbox objects, following the schemas of GitHub's official description
(``components/schemas/{simple-user,issue,issue-comment,label,reaction,full-repository,...}``).

Everything here is pure: state in, dicts out. ``Urls`` says where the API and the web pages live.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from ritual_bot.sandbox.state import (
    BOT_LOGIN,
    Comment,
    FileEntry,
    Issue,
    Label,
    Reaction,
    Release,
    Repo,
    Role,
    State,
    User,
)

REACTION_CONTENTS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")


@dataclass(frozen=True)
class Urls:
    api: str
    web: str


def iso(at: datetime) -> str:
    """GitHub timestamps: ISO 8601, UTC, whole seconds, ``Z``."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(prefix: str, number: int) -> str:
    """Opaque global ids in the shape of GitHub's new node ids (``I_kwDO...``)."""
    raw = base64.urlsafe_b64encode(number.to_bytes(8, "big")).decode().rstrip("=")
    return f"{prefix}_kwDO{raw}"


def repo_api(urls: Urls, repo: Repo) -> str:
    return f"{urls.api}/repos/{repo.full_name}"


def simple_user(urls: Urls, user: User) -> dict[str, Any]:
    """components/schemas/simple-user."""
    login = quote(user.login)
    api = f"{urls.api}/users/{login}"
    if user.login == BOT_LOGIN:
        html_url = f"{urls.web}/apps/github-actions"
    else:
        html_url = f"{urls.web}/{login}"
    return {
        "login": user.login,
        "id": user.id,
        "node_id": node_id("BOT" if user.type == "Bot" else "U", user.id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user.id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": html_url,
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": user.type,
        "user_view_type": "public",
        "site_admin": False,
    }


def full_user(state: State, urls: Urls, user: User, *, private: bool) -> dict[str, Any]:
    """components/schemas/public-user, or private-user for ``GET /user``."""
    owned = [r for r in state.repos.values() if r.owner.casefold() == user.login.casefold()]
    out = simple_user(urls, user)
    out.update(
        {
            "user_view_type": "private" if private else "public",
            "name": user.name,
            "company": None,
            "blog": "",
            "location": None,
            "email": user.email,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": sum(1 for r in owned if not r.private),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": iso(user.created_at),
            "updated_at": iso(user.created_at),
        }
    )
    if private:
        out.update(
            {
                "private_gists": 0,
                "total_private_repos": sum(1 for r in owned if r.private),
                "owned_private_repos": sum(1 for r in owned if r.private),
                "disk_usage": 0,
                "collaborators": 0,
                "two_factor_authentication": True,
            }
        )
    return out


def user_ref(state: State, urls: Urls, login: str) -> dict[str, Any]:
    user = state.user(login)
    if user is None:  # a deleted account: GitHub shows the "ghost" user
        user = User("ghost", 10137, "User", datetime(2008, 5, 13, tzinfo=UTC))
    return simple_user(urls, user)


def label(urls: Urls, repo: Repo, lb: Label) -> dict[str, Any]:
    """components/schemas/label."""
    return {
        "id": lb.id,
        "node_id": node_id("LA", lb.id),
        "url": f"{repo_api(urls, repo)}/labels/{quote(lb.name, safe='')}",
        "name": lb.name,
        "color": lb.color,
        "default": lb.default,
        "description": lb.description,
    }


def rollup(url: str, reactions: list[Reaction]) -> dict[str, Any]:
    """components/schemas/reaction-rollup."""
    out: dict[str, Any] = {"url": url, "total_count": len(reactions)}
    for content in REACTION_CONTENTS:
        out[content] = sum(1 for r in reactions if r.content == content)
    return out


def reaction(state: State, urls: Urls, r: Reaction) -> dict[str, Any]:
    """components/schemas/reaction."""
    return {
        "id": r.id,
        "node_id": node_id("REA", r.id),
        "user": user_ref(state, urls, r.user),
        "content": r.content,
        "created_at": iso(r.created_at),
    }


def issue(
    state: State, urls: Urls, repo: Repo, it: Issue, *, single: bool = False
) -> dict[str, Any]:
    """components/schemas/issue. ``closed_by`` only appears on single-issue responses, and
    ``pull_request`` is absent for issues (its presence is how clients tell PRs apart); a pull
    request's ``html_url`` is its ``/pull/N`` page."""
    base = f"{repo_api(urls, repo)}/issues/{it.number}"
    kind = "pull" if it.pull is not None else "issues"
    assignees = [user_ref(state, urls, login) for login in it.assignees]
    out: dict[str, Any] = {
        "url": base,
        "repository_url": repo_api(urls, repo),
        "labels_url": f"{base}/labels{{/name}}",
        "comments_url": f"{base}/comments",
        "events_url": f"{base}/events",
        "html_url": f"{urls.web}/{repo.full_name}/{kind}/{it.number}",
        "id": it.id,
        "node_id": node_id("I", it.id),
        "number": it.number,
        "title": it.title,
        "user": user_ref(state, urls, it.user),
        "labels": [label(urls, repo, repo.labels[i]) for i in it.label_ids if i in repo.labels],
        "state": it.state,
        "locked": False,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": None,
        "comments": it.comment_count,
        "created_at": iso(it.created_at),
        "updated_at": iso(it.updated_at),
        "closed_at": iso(it.closed_at) if it.closed_at else None,
        "author_association": state.association(repo, it.user),
        "active_lock_reason": None,
        "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
        "issue_dependencies_summary": {
            "blocked_by": 0,
            "total_blocked_by": 0,
            "blocking": 0,
            "total_blocking": 0,
        },
        "body": it.body,
        "reactions": rollup(f"{base}/reactions", it.reactions),
        "timeline_url": f"{base}/timeline",
        "performed_via_github_app": None,
        "state_reason": it.state_reason,
    }
    if it.pull is not None:
        out["draft"] = it.pull.draft
        out["pull_request"] = {
            "url": f"{repo_api(urls, repo)}/pulls/{it.number}",
            "html_url": out["html_url"],
            "diff_url": f"{out['html_url']}.diff",
            "patch_url": f"{out['html_url']}.patch",
            "merged_at": iso(it.pull.merged_at) if it.pull.merged_at else None,
        }
    if single:
        out["closed_by"] = user_ref(state, urls, it.closed_by) if it.closed_by else None
    return out


def pull_request_simple(state: State, urls: Urls, repo: Repo, it: Issue) -> dict[str, Any]:
    """components/schemas/pull-request-simple, the items of "List pull requests"
    (https://docs.github.com/rest/pulls/pulls#list-pull-requests). Labels keep a null
    ``description`` as GitHub sends it, although this schema (unlike ``label``) says string."""
    pull = it.pull
    assert pull is not None, f"#{it.number} is not a pull request"
    api = repo_api(urls, repo)
    self_url = f"{api}/pulls/{it.number}"
    html_url = f"{urls.web}/{repo.full_name}/pull/{it.number}"
    issue_url = f"{api}/issues/{it.number}"
    statuses_url = f"{api}/statuses/{pull.head_sha}"
    assignees = [user_ref(state, urls, login) for login in it.assignees]
    links = {
        "self": self_url,
        "html": html_url,
        "issue": issue_url,
        "comments": f"{issue_url}/comments",
        "review_comments": f"{self_url}/comments",
        "review_comment": f"{api}/pulls/comments{{/number}}",
        "commits": f"{self_url}/commits",
        "statuses": statuses_url,
    }
    return {
        "url": self_url,
        "id": pull.id,
        "node_id": node_id("PR", pull.id),
        "html_url": html_url,
        "diff_url": f"{html_url}.diff",
        "patch_url": f"{html_url}.patch",
        "issue_url": issue_url,
        "commits_url": links["commits"],
        "review_comments_url": links["review_comments"],
        "review_comment_url": links["review_comment"],
        "comments_url": links["comments"],
        "statuses_url": statuses_url,
        "number": it.number,
        "state": it.state,
        "locked": False,
        "title": it.title,
        "user": user_ref(state, urls, it.user),
        "body": it.body,
        "labels": [label(urls, repo, repo.labels[i]) for i in it.label_ids if i in repo.labels],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": iso(it.created_at),
        "updated_at": iso(it.updated_at),
        "closed_at": iso(it.closed_at) if it.closed_at else None,
        "merged_at": iso(pull.merged_at) if pull.merged_at else None,
        "merge_commit_sha": pull.merge_commit_sha,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "requested_reviewers": [],
        "requested_teams": [],
        "head": _pull_ref(state, urls, repo, pull.head, pull.head_sha),
        "base": _pull_ref(state, urls, repo, pull.base, pull.base_sha),
        "_links": {name: {"href": href} for name, href in links.items()},
        "author_association": state.association(repo, it.user),
        "auto_merge": None,
        "draft": pull.draft,
    }


def _pull_ref(state: State, urls: Urls, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
    """``head``/``base`` of a pull request: ``label`` is ``owner:branch``; ``repo`` is the
    short ``repository`` shape, without the keys only "Get a repository" returns."""
    full_only = ("temp_clone_token", "network_count", "subscribers_count", "organization")
    short = {k: v for k, v in repository(state, urls, repo, None).items() if k not in full_only}
    return {
        "label": f"{repo.owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user_ref(state, urls, repo.owner),
        "repo": short,
    }


def release(state: State, urls: Urls, repo: Repo, rel: Release) -> dict[str, Any]:
    """components/schemas/release (https://docs.github.com/rest/releases/releases#list-releases).
    A draft's ``html_url`` is its ``untagged-…`` page, as GitHub shows drafts before the tag."""
    api = f"{repo_api(urls, repo)}/releases/{rel.id}"
    tag = quote(rel.tag_name, safe="")
    page = f"untagged-{rel.id:x}" if rel.draft else tag
    return {
        "url": api,
        "assets_url": f"{api}/assets",
        "upload_url": f"{api}/assets{{?name,label}}",
        "html_url": f"{urls.web}/{repo.full_name}/releases/tag/{page}",
        "id": rel.id,
        "author": user_ref(state, urls, rel.author),
        "node_id": node_id("RE", rel.id),
        "tag_name": rel.tag_name,
        "target_commitish": rel.target_commitish,
        "name": rel.name,
        "draft": rel.draft,
        "immutable": False,
        "prerelease": rel.prerelease,
        "created_at": iso(rel.created_at),
        "updated_at": iso(rel.published_at or rel.created_at),
        "published_at": iso(rel.published_at) if rel.published_at else None,
        "assets": [],
        # A draft's tag need not exist yet: no archive to point at.
        "tarball_url": None if rel.draft else f"{repo_api(urls, repo)}/tarball/{tag}",
        "zipball_url": None if rel.draft else f"{repo_api(urls, repo)}/zipball/{tag}",
        "body": rel.body,
    }


def comment(state: State, urls: Urls, repo: Repo, c: Comment) -> dict[str, Any]:
    """components/schemas/issue-comment."""
    url = f"{repo_api(urls, repo)}/issues/comments/{c.id}"
    return {
        "url": url,
        "html_url": f"{urls.web}/{repo.full_name}/issues/{c.issue_number}#issuecomment-{c.id}",
        "issue_url": f"{repo_api(urls, repo)}/issues/{c.issue_number}",
        "id": c.id,
        "node_id": node_id("IC", c.id),
        "user": user_ref(state, urls, c.user),
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
        "body": c.body,
        "author_association": state.association(repo, c.user),
        "performed_via_github_app": None,
        "reactions": rollup(f"{url}/reactions", c.reactions),
    }


def permissions(role: Role | None) -> dict[str, bool]:
    have = role or 0
    return {
        "admin": have >= Role.ADMIN,
        "maintain": have >= Role.MAINTAIN,
        "push": have >= Role.WRITE,
        "triage": have >= Role.TRIAGE,
        "pull": have >= Role.READ,
    }


def collaborator(state: State, urls: Urls, user: User, role: Role) -> dict[str, Any]:
    """components/schemas/collaborator."""
    out = simple_user(urls, user)
    out["permissions"] = permissions(role)
    out["role_name"] = role.label
    return out


def legacy_permission(role: Role | None) -> str:
    """``permission`` of the permission-level endpoint: maintain maps to write, triage to read."""
    if role is None:
        return "none"
    if role >= Role.ADMIN:
        return "admin"
    return "write" if role >= Role.WRITE else "read"


def repository(state: State, urls: Urls, repo: Repo, role: Role | None) -> dict[str, Any]:
    """components/schemas/full-repository."""
    api = repo_api(urls, repo)
    owner = state.user(repo.owner)
    assert owner is not None
    out: dict[str, Any] = {
        "id": repo.id,
        "node_id": node_id("R", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "private": repo.private,
        "owner": simple_user(urls, owner),
        "html_url": f"{urls.web}/{repo.full_name}",
        "description": repo.description,
        "fork": False,
        "url": api,
        "homepage": None,
        "language": None,
        "forks_count": 0,
        "forks": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "watchers": 0,
        "size": sum(len(f.content) for f in repo.files.values()) // 1024,
        "default_branch": repo.default_branch,
        "open_issues_count": sum(1 for i in repo.issues.values() if i.state == "open"),
        "open_issues": sum(1 for i in repo.issues.values() if i.state == "open"),
        "is_template": False,
        "topics": [],
        "has_issues": repo.has_issues,
        "has_projects": True,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": True,
        "has_discussions": False,
        "archived": False,
        "disabled": False,
        "visibility": "private" if repo.private else "public",
        "pushed_at": iso(
            repo.pushed_at or (repo.commits[-1].at if repo.commits else repo.created_at)
        ),
        "created_at": iso(repo.created_at),
        "updated_at": iso(repo.updated_at),
        "mirror_url": None,
        "license": None,
        "allow_forking": True,
        "web_commit_signoff_required": False,
        "network_count": 0,
        "subscribers_count": 0,
        "temp_clone_token": None,
    }
    if role is not None:
        out["permissions"] = permissions(role)
    if owner.type == "Organization":
        out["organization"] = simple_user(urls, owner)
    out.update(_repo_url_templates(urls, repo))
    return out


def _repo_url_templates(urls: Urls, repo: Repo) -> dict[str, str]:
    api = repo_api(urls, repo)
    plain = ["contributors", "deployments", "downloads", "events", "forks", "hooks", "languages"]
    plain += ["merges", "stargazers", "subscribers", "subscription", "tags", "teams"]
    templated = {
        "archive": "/{archive_format}{/ref}",
        "assignees": "{/user}",
        "blobs": "{/sha}",
        "branches": "{/branch}",
        "collaborators": "{/collaborator}",
        "comments": "{/number}",
        "commits": "{/sha}",
        "compare": "{base}...{head}",
        "contents": "/{+path}",
        "issue_comment": "{/number}",
        "issue_events": "{/number}",
        "issues": "{/number}",
        "keys": "{/key_id}",
        "labels": "{/name}",
        "milestones": "{/number}",
        "notifications": "{?since,all,participating}",
        "pulls": "{/number}",
        "releases": "{/id}",
        "statuses": "/{sha}",
        "trees": "{/sha}",
    }
    out = {f"{name}_url": f"{api}/{name}" for name in plain}
    for name, suffix in templated.items():
        path = name.replace("issue_comment", "issues/comments").replace(
            "issue_events", "issues/events"
        )
        out[f"{name}_url"] = f"{api}/{path}{suffix}"
    out["git_commits_url"] = f"{api}/git/commits{{/sha}}"
    out["git_refs_url"] = f"{api}/git/refs{{/sha}}"
    out["git_tags_url"] = f"{api}/git/tags{{/sha}}"
    host = urls.web.split("://", 1)[-1]
    out["git_url"] = f"git://{host}/{repo.full_name}.git"
    out["ssh_url"] = f"git@{host}:{repo.full_name}.git"
    out["clone_url"] = f"{urls.web}/{repo.full_name}.git"
    out["svn_url"] = f"{urls.web}/{repo.full_name}"
    return out


def content_links(urls: Urls, repo: Repo, entry: FileEntry) -> dict[str, Any]:
    api = repo_api(urls, repo)
    path = quote(entry.path)
    self_url = f"{api}/contents/{path}?ref={repo.default_branch}"
    git_url = f"{api}/git/blobs/{entry.sha}"
    html_url = f"{urls.web}/{repo.full_name}/blob/{repo.default_branch}/{path}"
    return {
        "name": entry.path.rsplit("/", 1)[-1],
        "path": entry.path,
        "sha": entry.sha,
        "size": len(entry.content),
        "url": self_url,
        "html_url": html_url,
        "git_url": git_url,
        "download_url": f"{urls.web}/_sandbox/raw/{repo.full_name}/{repo.default_branch}/{path}",
        "type": "file",
        "_links": {"self": self_url, "git": git_url, "html": html_url},
    }


def content_file(urls: Urls, repo: Repo, entry: FileEntry) -> dict[str, Any]:
    """components/schemas/content-file: base64 wrapped at 60 columns, as GitHub does."""
    encoded = base64.b64encode(entry.content).decode()
    wrapped = "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))
    out = content_links(urls, repo, entry)
    out.update({"content": wrapped, "encoding": "base64"})
    return out
