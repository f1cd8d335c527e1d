"""The cassettes themselves: replay is strict, nothing secret is stored, they match the sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from ritual_bot.ops import CreateIssue, EnsureLabel
from tests.gateway import recording
from tests.gateway.flows import FLOWS, Flow, Target, ensure_label, open_and_list, sandbox_target
from tests.gateway.recording import Rewrite

only_on_replay = pytest.mark.skipif(
    "config.getoption('--record-mode') not in (None, 'none')",
    reason="checks the committed cassettes; skipped while recording them",
)


@only_on_replay
@pytest.mark.vcr
@pytest.mark.default_cassette("ensure_label")
def test_a_request_missing_from_the_cassette_fails(target: Target, vcr: Any) -> None:
    assert vcr.record_mode == "none" and vcr.write_protected
    ensure_label(target)  # the whole recorded conversation, so the cassette is used up
    op = EnsureLabel("never-recorded", "000000")
    with pytest.raises(CannotOverwriteExistingCassetteException):
        list(target.gateway().apply([op]))


@only_on_replay
@pytest.mark.vcr
@pytest.mark.default_cassette("open_and_list")
def test_a_write_with_another_body_fails(target: Target, vcr: Any) -> None:
    """Bodies are part of the match: the same POST with another title is not in the cassette."""
    marker = target.marker("open_and_list")
    op = CreateIssue(marker, "Another title", marker.render(), (target.label("open_and_list"),))
    with pytest.raises(CannotOverwriteExistingCassetteException):
        list(target.gateway().apply([op]))
    open_and_list(target)  # the recorded one still plays, and uses the cassette up


def _cassette_files() -> list[Path]:
    return sorted(recording.CASSETTES.glob("*/*.yaml"))


def test_every_flow_has_a_sandbox_cassette_and_nothing_else_is_there() -> None:
    names = {path.stem for path in recording.SANDBOX_CASSETTES.glob("*.yaml")}
    assert names == {flow.name for flow in FLOWS}


@pytest.mark.parametrize("path", _cassette_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cassettes_hold_no_credentials(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert recording.find_secrets(text) == []
    for interaction in recording.interactions(path):
        headers = {name.lower() for name in interaction["request"]["headers"]}
        assert headers <= recording.KEPT_REQUEST_HEADERS
        assert "authorization" not in headers


@only_on_replay
@pytest.mark.parametrize("flow", FLOWS, ids=str)
def test_sandbox_cassettes_are_what_the_sandbox_answers_today(flow: Flow, tmp_path: Path) -> None:
    """Recording a flow on a fresh sandbox gives the committed cassette byte for byte.

    If this fails, the sandbox (or the gateway) changed what goes over the wire: look at the diff,
    and re-record with ``--record-mode=rewrite`` if the change is intended (tests/live/README.md).
    """
    vcr = recording.make_vcr(tmp_path, recording.SANDBOX_REWRITES, record_mode="all")
    with sandbox_target() as target, vcr.use_cassette(f"{flow.name}.yaml"):
        flow.run(target)
    fresh = (tmp_path / f"{flow.name}.yaml").read_text(encoding="utf-8")
    committed = (recording.SANDBOX_CASSETTES / f"{flow.name}.yaml").read_text(encoding="utf-8")
    assert fresh == committed


# --- the recording rules -------------------------------------------------------------------------


def test_find_secrets_spots_tokens_and_credentials_headers() -> None:
    text = "\n".join(
        [
            "x: ghp_" + "a1" * 12,
            "y: github_pat_" + "B2" * 15,
            "headers:",
            "  Authorization:",
            "z: Bearer " + "c" * 20,
        ]
    )
    assert len(recording.find_secrets(text)) == 4
    assert recording.find_secrets("ghp_short and a token: none, node_id: I_kwDOAAAAAI8NGAE") == []


def test_a_login_rewrite_leaves_longer_names_alone() -> None:
    rule = Rewrite.word("bob", "alice")
    text = "/users/bob/repos bob-bot bobby @Bob x.bob"
    assert rule.apply(text) == "/users/alice/repos bob-bot bobby @alice x.bob"


def test_recorded_responses_keep_only_headers_that_matter_and_indent_json() -> None:
    hook = recording.scrub_response(recording.SANDBOX_REWRITES)
    response: dict[str, Any] = {
        "status": {"code": 200, "message": "OK"},
        "headers": {
            "Date": ["Mon, 23 Nov 2026 06:00:00 GMT"],
            "X-GitHub-Request-Id": ["ABCD:1234"],
            "ETag": ['W/"abc"'],
            "Content-Length": ["42"],
            "X-RateLimit-Remaining": ["4999"],
            "Link": ['<http://127.0.0.1:8123/repos/acme/team/issues?page=2>; rel="next"'],
        },
        "body": {"string": b'{"url":"http://127.0.0.1:8123/repos/acme/team","n":1}'},
    }
    recorded = hook(response)
    assert recorded["headers"] == {
        "link": [f'<{recording.FAKE_API_URL}/repos/acme/team/issues?page=2>; rel="next"'],
        "x-ratelimit-remaining": ["4999"],
    }
    assert recorded["body"]["string"] == (
        b'{\n  "url": "http://github-sandbox.invalid/repos/acme/team",\n  "n": 1\n}'
    )
    assert response["headers"]["Date"], "the client's own response is left untouched"
