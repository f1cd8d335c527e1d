"""GitHub's hard limits, answered as GitHub answers them (SPEC §7 "GitHub's real rules")."""

from __future__ import annotations

import base64
import http.client
import json
from typing import Any
from urllib.parse import urlsplit

from ritual_bot.sandbox import Sandbox, domain

REPO = "/repos/acme/team"


def test_an_issue_takes_no_comment_past_2500(bot: Any, sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="busy", user="alice")
    it = sandbox.state.repo("acme/team").issues[1]  # type: ignore[union-attr]
    it.comment_count = 2499  # what 2,499 comments leave behind, without writing them all
    assert bot.post(f"{REPO}/issues/1/comments", {"body": "the 2500th"}).status == 201
    refused = bot.post(f"{REPO}/issues/1/comments", {"body": "one more"})
    assert refused.status == 403
    assert refused.body["message"] == (
        "Commenting is disabled on issues with more than 2500 comments"
    )


def test_label_names_are_at_most_50_characters(bot: Any) -> None:
    assert bot.post(f"{REPO}/labels", {"name": "x" * 50}).status == 201
    refused = bot.post(f"{REPO}/labels", {"name": "y" * 51})
    assert refused.status == 422
    assert refused.body["errors"] == [
        {"resource": "Label", "code": "invalid", "field": "name", "value": "y" * 51}
    ]
    assert domain.LABEL_NAME_LIMIT == 50


def test_a_transferred_issue_answers_301_with_its_new_place(
    bot: Any, sandbox: Sandbox, url: str
) -> None:
    sandbox.add_repo("acme/other")
    sandbox.create_issue("acme/team", title="moving", user="alice", labels=["decision"])
    new = sandbox.transfer_issue("acme/team", 1, "acme/other")
    other_id = sandbox.state.repo("acme/other").id  # type: ignore[union-attr]
    # Without following the redirect (urllib would, turning the POST into a GET).
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    connection.request(
        "POST",
        f"{REPO}/issues/1/comments",
        json.dumps({"body": "still here?"}),
        {"Authorization": f"Bearer {bot.token}"},
    )
    moved = connection.getresponse()
    body = json.loads(moved.read())
    assert moved.status == 301
    assert moved.getheader("location") == f"{url}/repositories/{other_id}/issues/{new}/comments"
    assert body["url"] == moved.getheader("location") and body["message"] == "Moved Permanently"
    assert sandbox.issue("acme/other", new)["labels"] == []  # labels are not kept
    assert sandbox.comments("acme/other", new) == []


def test_a_protected_default_branch_refuses_contents_writes(bot: Any, sandbox: Sandbox) -> None:
    put = {"message": "m", "content": base64.b64encode(b"x").decode()}
    sandbox.protect_branch("acme/team")
    refused = bot.put(f"{REPO}/contents/a.md", put)
    assert refused.status == 409
    assert "Changes must be made through a pull request." in refused.body["message"]
    sandbox.protect_branch("acme/team", ruleset=True)
    refused = bot.put(f"{REPO}/contents/a.md", put)
    assert refused.status == 409
    assert refused.body["message"].startswith("Repository rule violations found")
    sandbox.protect_branch("acme/team", ruleset=True, bypass=["github-actions[bot]"])
    assert bot.put(f"{REPO}/contents/a.md", put).status == 201
