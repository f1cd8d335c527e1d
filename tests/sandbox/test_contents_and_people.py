"""Repository contents, collaborators, permissions, teams and author_association."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from ritual_bot.sandbox import Sandbox

REPO = "/repos/acme/team"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_put_then_get_file_with_git_blob_sha(bot: Any, sandbox: Sandbox) -> None:
    made = bot.put(f"{REPO}/contents/docs/x.md", {"message": "add", "content": _b64("hello\n")})
    assert made.status == 201
    expected = hashlib.sha1(b"blob 6\0hello\n").hexdigest()
    assert made.body["content"]["sha"] == expected
    assert made.body["commit"]["parents"] == []
    assert made.body["commit"]["author"]["name"] == "github-actions[bot]"
    got = bot.get(f"{REPO}/contents/docs/x.md").body
    assert got["sha"] == expected and got["encoding"] == "base64"
    assert base64.b64decode(got["content"]) == b"hello\n"
    assert sandbox.file("acme/team", "docs/x.md") == "hello\n"


def test_long_content_is_wrapped_like_github(bot: Any, sandbox: Sandbox) -> None:
    sandbox.put_file("acme/team", "big.txt", "x" * 100, user="alice")
    content = bot.get(f"{REPO}/contents/big.txt").body["content"]
    assert all(len(line) <= 60 for line in content.splitlines())
    assert content.endswith("\n")


def test_update_needs_the_current_sha(bot: Any) -> None:
    first = bot.put(f"{REPO}/contents/a.md", {"message": "add", "content": _b64("1")}).body
    missing = bot.put(f"{REPO}/contents/a.md", {"message": "m", "content": _b64("2")})
    assert missing.status == 422
    assert missing.body["message"] == 'Invalid request.\n\n"sha" wasn\'t supplied.'
    stale = bot.put(
        f"{REPO}/contents/a.md", {"message": "m", "content": _b64("2"), "sha": "0" * 40}
    )
    assert stale.status == 409
    good = {"message": "m", "content": _b64("2"), "sha": first["content"]["sha"]}
    updated = bot.put(f"{REPO}/contents/a.md", good)
    assert updated.status == 200
    assert updated.body["commit"]["parents"][0]["sha"] == first["commit"]["sha"]


def test_contents_errors(bot: Any, carol: Any) -> None:
    assert bot.get(f"{REPO}/contents/nope.md").status == 404
    bad = bot.put(f"{REPO}/contents/x", {"message": "m", "content": "***"})
    assert bad.status == 422
    assert carol.put(f"{REPO}/contents/x", {"message": "m", "content": _b64("x")}).status == 403
    assert bot.get(f"{REPO}/contents/x", ref="other-branch").status == 404


def test_directory_listing(bot: Any, sandbox: Sandbox) -> None:
    sandbox.put_file("acme/team", ".github/rituals.yml", "a: 1\n", user="alice")
    sandbox.put_file("acme/team", ".github/workflows/r.yml", "on: push\n", user="alice")
    listing = bot.get(f"{REPO}/contents/.github").body
    assert [(e["name"], e["type"]) for e in listing] == [
        ("rituals.yml", "file"),
        ("workflows", "dir"),
    ]


def test_permission_levels(alice: Any, sandbox: Sandbox) -> None:
    sandbox.set_permission("acme/team", "erin", "maintain")
    sandbox.set_permission("acme/team", "frank", "triage")

    def level(login: str) -> tuple[str, str]:
        body = alice.get(f"{REPO}/collaborators/{login}/permission").body
        return body["permission"], body["role_name"]

    assert level("alice") == ("admin", "admin")
    assert level("erin") == ("write", "maintain")
    assert level("frank") == ("read", "triage")
    assert level("carol") == ("read", "read")
    assert level("dave") == ("read", "read")  # org base permission
    assert level("mallory") == ("none", "none")
    assert alice.get(f"{REPO}/collaborators/nobody/permission").status == 404


def test_collaborator_check_and_list(alice: Any, carol: Any, bot: Any) -> None:
    assert alice.get(f"{REPO}/collaborators/bob").status == 204
    missing = alice.get(f"{REPO}/collaborators/mallory")
    assert missing.status == 404 and missing.body is None
    people = alice.get(f"{REPO}/collaborators").body
    assert [(p["login"], p["role_name"]) for p in people] == [
        ("alice", "admin"),
        ("bob", "write"),
        ("carol", "read"),
        ("dave", "read"),
    ]
    direct = alice.get(f"{REPO}/collaborators", affiliation="direct").body
    assert [p["login"] for p in direct] == ["alice", "bob", "carol"]
    assert carol.get(f"{REPO}/collaborators").status == 403
    assert bot.get(f"{REPO}/collaborators").status == 200


def test_team_members(alice: Any, sandbox: Sandbox) -> None:
    members = alice.get("/orgs/acme/teams/eng/members").body
    assert [m["login"] for m in members] == ["alice", "bob"]
    assert alice.get("/orgs/acme/teams/nope/members").status == 404
    outsider = alice.as_(sandbox.user_token("mallory"))
    assert outsider.get("/orgs/acme/teams/eng/members").status == 404


def test_author_association(sandbox: Sandbox) -> None:
    sandbox.add_org_member("acme", "pat", public=True)
    sandbox.add_repo("alice/own")

    def association(repo: str, login: str) -> str:
        issue = sandbox.create_issue(repo, title="t", user=login)
        return str(issue["author_association"])

    assert association("acme/team", "pat") == "MEMBER"
    assert association("acme/team", "dave") == "CONTRIBUTOR"  # private org membership
    assert association("acme/team", "carol") == "COLLABORATOR"
    assert association("acme/team", "github-actions[bot]") == "NONE"
    assert association("alice/own", "alice") == "OWNER"
