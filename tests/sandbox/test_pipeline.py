"""The request pipeline: hooks, the request log, in-process handling, thread safety."""

from __future__ import annotations

import http.client
import threading
from typing import Any
from urllib.parse import urlsplit

import pytest

from ritual_bot.sandbox import DROP, Request, Response, Sandbox

REPO = "/repos/acme/team"


def test_request_log_records_every_call_with_write_flag(
    bot: Any, alice: Any, sandbox: Sandbox
) -> None:
    sandbox.clear_requests()
    bot.get(f"{REPO}/issues", state="all")
    bot.post(f"{REPO}/issues", {"title": "t"})
    alice.as_("bad").get(REPO)
    log = sandbox.requests
    assert [(r.method, r.path, r.status, r.actor, r.is_write) for r in log] == [
        ("GET", f"{REPO}/issues", 200, "github-actions[bot]", False),
        ("POST", f"{REPO}/issues", 201, "github-actions[bot]", True),
        ("GET", REPO, 401, None, False),
    ]
    assert log[0].query == {"state": "all"}
    assert log[1].operation == "/repos/{owner}/{repo}/issues"
    assert log[0].at is not None and log[0].request_id
    sandbox.clear_requests()
    assert sandbox.requests == []


def test_seeding_is_not_logged(sandbox: Sandbox) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    sandbox.create_comment("acme/team", 1, body="b", user="bob")
    assert sandbox.requests == []


def test_before_hook_can_answer_instead(bot: Any, sandbox: Sandbox) -> None:
    """A canned secondary-rate-limit answer, the kind a fault layer will inject."""
    canned = Response(
        403,
        {"message": "You have exceeded a secondary rate limit.", "status": "403"},
        {"Retry-After": "30"},
    )

    def limit_writes(request: Request) -> Response | None:
        return canned if request.is_write else None

    sandbox.before_request.append(limit_writes)
    reply = bot.post(f"{REPO}/issues", {"title": "t"})
    assert reply.status == 403 and reply.header("retry-after") == "30"
    assert sandbox.issues("acme/team") == []
    assert bot.get(f"{REPO}/issues").status == 200
    assert sandbox.requests[-2].status == 403 and sandbox.requests[-2].actor == (
        "github-actions[bot]"
    )


def test_after_hook_can_replace_the_answer_after_the_write(bot: Any, sandbox: Sandbox) -> None:
    """A 502 after the write happened: the client cannot tell whether it took effect."""

    def bad_gateway(request: Request, response: Response) -> Response | None:
        return Response(502, {"message": "Server Error"}) if request.is_write else None

    sandbox.after_request.append(bad_gateway)
    assert bot.post(f"{REPO}/issues", {"title": "t"}).status == 502
    assert [i["title"] for i in sandbox.issues("acme/team")] == ["t"]


def test_hook_can_drop_the_connection(sandbox: Sandbox, url: str) -> None:
    sandbox.before_request.append(lambda request: DROP)
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    connection.request("GET", REPO)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        connection.getresponse()
    connection.close()
    assert sandbox.requests[-1].status == 0


def test_handle_works_in_process(sandbox: Sandbox) -> None:
    token = sandbox.actions_token("acme/team")
    request = Request("GET", f"{REPO}/issues", headers={"authorization": f"token {token}"})
    response = sandbox.handle(request)
    assert isinstance(response, Response) and response.status == 200
    assert response.body == []


def test_concurrent_creates_get_unique_numbers(bot: Any, sandbox: Sandbox) -> None:
    statuses: list[int] = []
    lock = threading.Lock()

    def create(worker: int) -> None:
        for n in range(10):
            status = bot.post(f"{REPO}/issues", {"title": f"w{worker}-{n}"}).status
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=create, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = [i["number"] for i in sandbox.issues("acme/team")]
    assert statuses == [201] * 60
    assert sorted(numbers) == list(range(1, 61))
    assert len({i["id"] for i in sandbox.issues("acme/team")}) == 60
