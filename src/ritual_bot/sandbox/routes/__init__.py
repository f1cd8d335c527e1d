"""The operations the sandbox implements, by their path templates in GitHub's description.

Keep in step with ``OPERATIONS`` in ``scripts/extract_openapi.py`` (a test checks both agree).
"""

from __future__ import annotations

from ritual_bot.sandbox.api import Route
from ritual_bot.sandbox.routes import comments, issues, labels, pulls, repos, users

_D = "https://docs.github.com/rest"
R = "/repos/{owner}/{repo}"
ISSUE = f"{R}/issues/{{issue_number}}"
COMMENT = f"{R}/issues/comments/{{comment_id}}"

ROUTES: list[Route] = [
    Route(
        "GET",
        "/rate_limit",
        users.rate_limit,
        f"{_D}/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user",
    ),
    Route(
        "GET", "/user", users.get_authenticated_user, f"{_D}/users/users#get-the-authenticated-user"
    ),
    Route("GET", "/users/{username}", users.get_user, f"{_D}/users/users#get-a-user"),
    Route(
        "GET",
        "/orgs/{org}/teams/{team_slug}/members",
        users.list_team_members,
        f"{_D}/teams/members#list-team-members",
    ),
    Route("GET", R, repos.get_repo, f"{_D}/repos/repos#get-a-repository", ("metadata", "read")),
    Route(
        "GET",
        f"{R}/collaborators",
        repos.list_collaborators,
        f"{_D}/collaborators/collaborators#list-repository-collaborators",
        ("metadata", "read"),
    ),
    Route(
        "GET",
        f"{R}/collaborators/{{username}}",
        repos.check_collaborator,
        f"{_D}/collaborators/collaborators#check-if-a-user-is-a-repository-collaborator",
        ("metadata", "read"),
    ),
    Route(
        "GET",
        f"{R}/collaborators/{{username}}/permission",
        repos.collaborator_permission,
        f"{_D}/collaborators/collaborators#get-repository-permissions-for-a-user",
        ("metadata", "read"),
    ),
    Route(
        "GET",
        f"{R}/contents/{{path}}",
        repos.get_content,
        f"{_D}/repos/contents#get-repository-content",
        ("contents", "read"),
    ),
    Route(
        "PUT",
        f"{R}/contents/{{path}}",
        repos.put_content,
        f"{_D}/repos/contents#create-or-update-file-contents",
        ("contents", "write"),
    ),
    # Fixed segments before {issue_number}: "comments" is not an issue number.
    Route(
        "GET",
        f"{R}/issues/comments",
        comments.list_repo_comments,
        f"{_D}/issues/comments#list-issue-comments-for-a-repository",
        ("issues", "read"),
    ),
    Route(
        "GET",
        COMMENT,
        comments.get_comment,
        f"{_D}/issues/comments#get-an-issue-comment",
        ("issues", "read"),
    ),
    Route(
        "PATCH",
        COMMENT,
        comments.update_comment,
        f"{_D}/issues/comments#update-an-issue-comment",
        ("issues", "write"),
    ),
    Route(
        "DELETE",
        COMMENT,
        comments.delete_comment,
        f"{_D}/issues/comments#delete-an-issue-comment",
        ("issues", "write"),
    ),
    Route(
        "GET",
        f"{COMMENT}/reactions",
        comments.list_comment_reactions,
        f"{_D}/reactions/reactions#list-reactions-for-an-issue-comment",
        ("issues", "read"),
    ),
    Route(
        "POST",
        f"{COMMENT}/reactions",
        comments.create_comment_reaction,
        f"{_D}/reactions/reactions#create-reaction-for-an-issue-comment",
        ("issues", "write"),
    ),
    Route(
        "GET",
        f"{R}/issues",
        issues.list_issues,
        f"{_D}/issues/issues#list-repository-issues",
        ("issues", "read"),
    ),
    Route(
        "POST",
        f"{R}/issues",
        issues.create_issue,
        f"{_D}/issues/issues#create-an-issue",
        ("issues", "write"),
    ),
    Route("GET", ISSUE, issues.get_issue, f"{_D}/issues/issues#get-an-issue", ("issues", "read")),
    Route(
        "PATCH",
        ISSUE,
        issues.update_issue,
        f"{_D}/issues/issues#update-an-issue",
        ("issues", "write"),
    ),
    Route(
        "POST",
        f"{ISSUE}/assignees",
        issues.add_assignees,
        f"{_D}/issues/assignees#add-assignees-to-an-issue",
        ("issues", "write"),
    ),
    Route(
        "DELETE",
        f"{ISSUE}/assignees",
        issues.remove_assignees,
        f"{_D}/issues/assignees#remove-assignees-from-an-issue",
        ("issues", "write"),
    ),
    Route(
        "GET",
        f"{ISSUE}/comments",
        comments.list_issue_comments,
        f"{_D}/issues/comments#list-issue-comments",
        ("issues", "read"),
    ),
    Route(
        "POST",
        f"{ISSUE}/comments",
        comments.create_comment,
        f"{_D}/issues/comments#create-an-issue-comment",
        ("issues", "write"),
    ),
    Route(
        "GET",
        f"{ISSUE}/reactions",
        comments.list_issue_reactions,
        f"{_D}/reactions/reactions#list-reactions-for-an-issue",
        ("issues", "read"),
    ),
    Route(
        "POST",
        f"{ISSUE}/reactions",
        comments.create_issue_reaction,
        f"{_D}/reactions/reactions#create-reaction-for-an-issue",
        ("issues", "write"),
    ),
    Route(
        "GET",
        f"{ISSUE}/labels",
        labels.list_issue_labels,
        f"{_D}/issues/labels#list-labels-for-an-issue",
        ("issues", "read"),
    ),
    Route(
        "POST",
        f"{ISSUE}/labels",
        labels.add_issue_labels,
        f"{_D}/issues/labels#add-labels-to-an-issue",
        ("issues", "write"),
    ),
    Route(
        "PUT",
        f"{ISSUE}/labels",
        labels.set_issue_labels,
        f"{_D}/issues/labels#set-labels-for-an-issue",
        ("issues", "write"),
    ),
    Route(
        "DELETE",
        f"{ISSUE}/labels/{{name}}",
        labels.remove_issue_label,
        f"{_D}/issues/labels#remove-a-label-from-an-issue",
        ("issues", "write"),
    ),
    Route(
        "GET",
        f"{R}/labels",
        labels.list_labels,
        f"{_D}/issues/labels#list-labels-for-a-repository",
        ("issues", "read"),
    ),
    Route(
        "POST",
        f"{R}/labels",
        labels.create_label,
        f"{_D}/issues/labels#create-a-label",
        ("issues", "write"),
    ),
    Route(
        "GET",
        f"{R}/labels/{{name}}",
        labels.get_label,
        f"{_D}/issues/labels#get-a-label",
        ("issues", "read"),
    ),
    Route(
        "PATCH",
        f"{R}/labels/{{name}}",
        labels.update_label,
        f"{_D}/issues/labels#update-a-label",
        ("issues", "write"),
    ),
    Route(
        "DELETE",
        f"{R}/labels/{{name}}",
        labels.delete_label,
        f"{_D}/issues/labels#delete-a-label",
        ("issues", "write"),
    ),
    Route(
        "GET",
        f"{R}/pulls",
        pulls.list_pulls,
        f"{_D}/pulls/pulls#list-pull-requests",
        ("pull_requests", "read"),
    ),
    Route(
        "GET",
        f"{R}/releases",
        pulls.list_releases,
        f"{_D}/releases/releases#list-releases",
        ("contents", "read"),
    ),
]
