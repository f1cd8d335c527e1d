"""Every implemented operation, driven over HTTP, answers in the shape GitHub documents.

The ``conformance`` hook (conftest) validates each response; this test makes sure each operation's
success response, and the usual errors, were actually seen.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from pathlib import Path
from typing import Any

from ritual_bot.sandbox import Sandbox
from ritual_bot.sandbox.routes import ROUTES

REPO = "/repos/acme/team"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "extract_openapi.py"


def _script_operations() -> set[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location("extract_openapi", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {(m.upper(), p) for m, p in module.OPERATIONS}


def test_routes_and_vendored_operations_agree(openapi: Any) -> None:
    routes = {(r.method, r.template) for r in ROUTES}
    vendored = {
        (method.upper(), path) for path, ops in openapi.document["paths"].items() for method in ops
    }
    assert routes == _script_operations() == vendored


def test_subset_records_its_source(openapi: Any) -> None:
    raw = json.loads(
        (Path(__file__).resolve().parents[1] / "data/openapi/github-subset.json").read_text()
    )
    assert raw["source"].startswith("@octokit/openapi@")
    assert raw["openapi"].startswith("3.0")


def _sent(openapi: Any, template: str, method: str, body: Any) -> Any:
    """Our own request bodies must follow the documented request schema too."""
    assert openapi.request_errors(template, method, body) == []
    return body


def test_every_operation_answers_as_documented(
    sandbox: Sandbox, alice: Any, bot: Any, openapi: Any, conformance: Any
) -> None:
    issue_body = _sent(
        openapi,
        "/repos/{owner}/{repo}/issues",
        "post",
        {
            "title": "Weekly HPFO",
            "body": "Hi @bob",
            "labels": ["ritual:hpfo"],
            "assignees": ["bob"],
        },
    )
    assert bot.post(f"{REPO}/issues", issue_body).status == 201
    comment = bot.post(f"{REPO}/issues/1/comments", {"body": "first"}).body
    cid = comment["id"]
    content = base64.b64encode(b"hello\n").decode()
    assert alice.post(f"{REPO}/labels", {"name": "feature", "description": "New"}).status == 201
    sandbox.create_pull_request(
        "acme/team", title="Ship", user="bob", head="ship", labels=["feature"]
    )
    sandbox.merge_pull_request("acme/team", 2, user="alice")
    sandbox.create_release("acme/team", tag_name="v1.0", user="alice", name="One")
    sandbox.create_release("acme/team", tag_name="v1.1", user="alice", draft=True)
    calls: list[tuple[str, str, Any, int]] = [
        ("GET", "/rate_limit", None, 200),
        ("GET", "/user", None, 200),
        ("GET", "/users/alice", None, 200),
        ("GET", "/users/github-actions[bot]", None, 200),
        ("GET", REPO, None, 200),
        ("GET", f"{REPO}/issues", None, 200),
        ("GET", f"{REPO}/issues?state=all", None, 200),
        ("GET", f"{REPO}/pulls?state=all", None, 200),
        ("GET", f"{REPO}/pulls?state=merged", None, 422),
        ("GET", f"{REPO}/releases", None, 200),
        ("GET", f"{REPO}/issues/1", None, 200),
        ("PATCH", f"{REPO}/issues/1", {"state": "closed", "state_reason": "not_planned"}, 200),
        ("GET", f"{REPO}/issues/1/comments", None, 200),
        ("GET", f"{REPO}/issues/comments", None, 200),
        ("GET", f"{REPO}/issues/comments/{cid}", None, 200),
        ("PATCH", f"{REPO}/issues/comments/{cid}", {"body": "edited"}, 200),
        ("POST", f"{REPO}/issues/comments/{cid}/reactions", {"content": "heart"}, 201),
        ("POST", f"{REPO}/issues/comments/{cid}/reactions", {"content": "heart"}, 200),
        ("GET", f"{REPO}/issues/comments/{cid}/reactions", None, 200),
        ("POST", f"{REPO}/issues/1/reactions", {"content": "+1"}, 201),
        ("GET", f"{REPO}/issues/1/reactions", None, 200),
        ("GET", f"{REPO}/labels", None, 200),
        ("POST", f"{REPO}/labels", {"name": "decision: open", "color": "0e8a16"}, 201),
        ("GET", f"{REPO}/labels/decision%3A%20open", None, 200),
        ("PATCH", f"{REPO}/labels/decision%3A%20open", {"description": "awaiting"}, 200),
        ("GET", f"{REPO}/issues/1/labels", None, 200),
        ("POST", f"{REPO}/issues/1/labels", {"labels": ["decision: open"]}, 200),
        ("PUT", f"{REPO}/issues/1/labels", {"labels": ["ritual:hpfo", "x"]}, 200),
        ("DELETE", f"{REPO}/issues/1/labels/x", None, 200),
        ("DELETE", f"{REPO}/labels/decision%3A%20open", None, 204),
        ("POST", f"{REPO}/issues/1/assignees", {"assignees": ["alice"]}, 201),
        ("DELETE", f"{REPO}/issues/1/assignees", {"assignees": ["alice"]}, 200),
        ("GET", f"{REPO}/collaborators", None, 200),
        ("GET", f"{REPO}/collaborators/bob", None, 204),
        ("GET", f"{REPO}/collaborators/mallory", None, 404),
        ("GET", f"{REPO}/collaborators/bob/permission", None, 200),
        ("GET", f"{REPO}/collaborators/mallory/permission", None, 200),
        ("GET", "/orgs/acme/teams/eng/members", None, 200),
        ("PUT", f"{REPO}/contents/docs/x.md", {"message": "add", "content": content}, 201),
        ("GET", f"{REPO}/contents/docs/x.md", None, 200),
        ("GET", f"{REPO}/contents/docs", None, 200),
        ("GET", f"{REPO}/issues/99", None, 404),
        ("POST", f"{REPO}/issues", {"title": "x", "body": "y" * 65537}, 422),
        ("DELETE", f"{REPO}/issues/comments/{cid}", None, 204),
    ]
    for method, path, body, status in calls:
        template = _template_of(conformance, method, path)
        if body is not None:
            _sent(openapi, template, method.lower(), body)
        reply = alice.call(method, path, body)
        assert reply.status == status, (method, path, reply.body)
    sha = alice.get(f"{REPO}/contents/docs/x.md").body["sha"]
    update = {"message": "update", "content": content, "sha": sha}
    assert alice.put(f"{REPO}/contents/docs/x.md", update).status == 200
    seen = {(m, t) for m, t, s in conformance.checked if 200 <= s < 300}
    documented = {
        (method, path) for path, ops in openapi.document["paths"].items() for method in ops
    }
    assert documented - seen == set()
    assert ("get", "/repos/{owner}/{repo}/issues/{issue_number}", 404) in conformance.checked
    assert ("post", "/repos/{owner}/{repo}/issues", 422) in conformance.checked


def _template_of(conformance: Any, method: str, path: str) -> str:
    from ritual_bot.sandbox.api import Request

    template = conformance._template(Request(method, path))
    assert template is not None, path
    return str(template)


def test_the_check_has_teeth(sandbox: Sandbox, openapi: Any) -> None:
    """The translated schemas accept what GitHub documents as nullable and reject the rest."""
    issue = sandbox.create_issue("acme/team", title="t", user="alice")
    pointer = openapi.response_pointer("/repos/{owner}/{repo}/issues/{issue_number}", "get", 200)
    assert issue["body"] is None and issue["closed_at"] is None
    assert openapi.errors(pointer, issue) == []
    assert openapi.errors(pointer, {**issue, "title": None}) != []
    assert openapi.errors(pointer, {**issue, "state_reason": "resolved"}) != []
    assert openapi.errors(pointer, {**issue, "created_at": "2024-05-06 09:00"}) != []
    missing = {k: v for k, v in issue.items() if k != "comments"}
    assert openapi.errors(pointer, missing) != []


def test_discriminator_selects_private_or_public_user(openapi: Any) -> None:
    pointer = openapi.response_pointer("/user", "get", 200)
    public_only = {"login": "x", "user_view_type": "private"}
    assert openapi.errors(pointer, public_only) != []


def test_ambiguous_one_of_overrides_are_really_ambiguous(openapi: Any) -> None:
    """Keep the override list honest: each entry's documented schema rejects a Basic Error."""
    body = {"message": "x does not match y", "documentation_url": "d", "status": "409"}
    for (method, template, status), _alternative in openapi.ambiguous.items():
        pointer = openapi.response_pointer(template, method, status)
        assert openapi.errors(pointer, body) != []


def test_each_correction_changes_the_description() -> None:
    """A correction the vendored description already has (or no longer has a target) goes."""
    from tests.sandbox.conftest import CORRECTIONS, SUBSET, corrected

    raw = json.loads(SUBSET.read_text())
    fixed = corrected(raw)
    for pointer in CORRECTIONS:
        parts = pointer.strip("/").split("/")
        before, after = raw, fixed
        for part in parts:
            before, after = before[part], after[part]
        assert before != after, pointer
