"""Who may do what, rate limits, and the headers GitHub sends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ritual_bot.clock import FixedClock
from ritual_bot.sandbox import Sandbox

REPO = "/repos/acme/team"


def test_bad_token_is_401(alice: Any) -> None:
    reply = alice.as_("ghp_not-a-token").get(REPO)
    assert reply.status == 401
    assert reply.body == {
        "message": "Bad credentials",
        "documentation_url": "https://docs.github.com/rest",
        "status": "401",
    }


def test_private_repo_is_invisible_without_access(alice: Any, sandbox: Sandbox) -> None:
    anonymous = alice.as_(None)
    assert anonymous.get(REPO).status == 404
    assert anonymous.get("/user").status == 401
    assert anonymous.get("/users/alice").status == 200
    mallory = alice.as_(sandbox.user_token("mallory"))
    assert mallory.get(f"{REPO}/issues").status == 404
    assert mallory.post(f"{REPO}/issues", {"title": "x"}).status == 404


def test_public_repo_reads_anonymously_but_writes_need_auth(alice: Any, sandbox: Sandbox) -> None:
    sandbox.add_repo("acme/open", private=False)
    anonymous = alice.as_(None)
    assert anonymous.get("/repos/acme/open/issues").status == 200
    assert anonymous.post("/repos/acme/open/issues", {"title": "x"}).status == 401


def test_unknown_repo_is_404(alice: Any) -> None:
    reply = alice.get("/repos/acme/nope/issues")
    assert reply.status == 404 and reply.body["message"] == "Not Found"


def test_actions_token_is_an_integration(bot: Any, sandbox: Sandbox) -> None:
    me = bot.get("/user")
    assert me.status == 403
    assert me.body["message"] == "Resource not accessible by integration"
    sandbox.add_repo("acme/other")
    assert bot.get("/repos/acme/other").status == 404
    assert bot.get("/orgs/acme/teams/eng/members").status == 403
    assert bot.get(REPO).body["permissions"]["push"] is True


def test_actions_token_permissions_are_enforced(alice: Any, sandbox: Sandbox) -> None:
    readonly = alice.as_(sandbox.actions_token("acme/team", {"issues": "read"}))
    assert readonly.get(f"{REPO}/issues").status == 200
    denied = readonly.post(f"{REPO}/issues", {"title": "x"})
    assert denied.status == 403
    assert denied.body["message"] == "Resource not accessible by integration"
    assert denied.header("x-accepted-github-permissions") == "issues=write"
    assert readonly.get(f"{REPO}/contents/README.md").status == 403


def test_pat_acts_as_its_user(alice: Any, sandbox: Sandbox) -> None:
    me = alice.get("/user").body
    assert me["login"] == "alice" and me["name"] == "Alice A." and me["type"] == "User"
    made = alice.post(f"{REPO}/issues", {"title": "by alice"}).body
    assert made["user"]["login"] == "alice"
    assert sandbox.requests[-1].actor == "alice"


def test_rate_limit_headers_count_down_per_token(
    bot: Any, alice: Any, clock: FixedClock, sandbox: Sandbox
) -> None:
    first = bot.get(REPO)
    second = bot.get(REPO)
    reset = int((clock.now() + timedelta(hours=1)).timestamp())
    assert first.header("x-ratelimit-limit") == "1000"
    assert first.header("x-ratelimit-used") == "1"
    assert second.header("x-ratelimit-remaining") == "998"
    assert second.header("x-ratelimit-reset") == str(reset)
    assert second.header("x-ratelimit-resource") == "core"
    assert alice.get(REPO).header("x-ratelimit-limit") == "5000"
    status = bot.get("/rate_limit").body
    assert status["rate"]["used"] == 2 and status["resources"]["core"]["remaining"] == 998


def test_rate_limit_exhaustion_and_reset(alice: Any, sandbox: Sandbox, clock: FixedClock) -> None:
    sandbox.add_repo("acme/open", private=False)
    anonymous = alice.as_(None)
    for _ in range(60):
        assert anonymous.get("/repos/acme/open").status == 200
    limited = anonymous.get("/repos/acme/open")
    assert limited.status == 403
    assert limited.body["message"].startswith("API rate limit exceeded")
    assert limited.header("x-ratelimit-remaining") == "0"
    clock.advance(timedelta(hours=1))
    assert anonymous.get("/repos/acme/open").status == 200


def test_standard_headers(bot: Any) -> None:
    reply = bot.get(REPO)
    assert reply.header("content-type") == "application/json; charset=utf-8"
    assert reply.header("date") == "Mon, 06 May 2024 09:00:00 GMT"
    assert reply.header("x-github-request-id")
    assert (reply.header("etag") or "").startswith('W/"')


def test_conditional_request_is_304_and_free(bot: Any, sandbox: Sandbox) -> None:
    first = bot.get(REPO)
    etag = first.header("etag")
    assert etag is not None
    again = bot.call("GET", REPO, headers={"If-None-Match": etag})
    assert again.status == 304
    assert again.header("x-ratelimit-used") == "1"
    sandbox.create_issue("acme/team", title="changes the repo", user="alice")
    assert bot.call("GET", REPO, headers={"If-None-Match": etag}).status == 200


def test_ghes_prefix(bot: Any, url: str) -> None:
    reply = bot.get("/api/v3/repos/acme/team")
    assert reply.status == 200
    assert reply.body["url"] == f"{url}/api/v3/repos/acme/team"
    assert reply.body["html_url"] == f"{url}/acme/team"


def test_unknown_endpoint_is_json_404(bot: Any) -> None:
    reply = bot.get("/repos/acme/team/deployments")
    assert reply.status == 404
    assert reply.body["documentation_url"] == "https://docs.github.com/rest"
