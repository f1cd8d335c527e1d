"""The vendored webhook payloads (tests/data/webhooks) carry what the bot reads from an event.

They are real deliveries from ``@octokit/webhooks-examples``; if a refresh drops a field the bot
relies on, these tests say which file and field before a behaviour test fails obscurely.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

WEBHOOKS = Path(__file__).resolve().parent.parent / "data" / "webhooks"
FILES = sorted(WEBHOOKS.glob("*.json"))
_NAME = re.compile(r"(?P<event>issues|issue_comment)\.(?P<action>[a-z_]+)(?:\.(?P<n>\d+))?\.json")

# What the workflow in SPEC.md §1 subscribes to.
SUBSCRIBED = {
    "issues": {"opened", "labeled", "unlabeled", "reopened", "closed", "edited"},
    "issue_comment": {"created", "edited", "deleted"},
}
# Known gaps in the package, listed in the README; a refresh that fills one should update both.
NO_EXAMPLE = {("issues", "closed")}
NO_LABELS = {"issues.pinned.json", "issues.unpinned.json"}


def _load(path: Path) -> dict[str, Any]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(payload, dict)
    return payload


def _get(payload: dict[str, Any], dotted: str) -> Any:
    value: Any = payload
    for key in dotted.split("."):
        assert isinstance(value, dict) and key in value, f"missing {dotted}"
        value = value[key]
    return value


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def test_payloads_are_present_for_every_subscribed_action_but_the_known_gaps() -> None:
    present = {(m["event"], m["action"]) for p in FILES if (m := _NAME.fullmatch(p.name))}
    wanted = {(event, action) for event, actions in SUBSCRIBED.items() for action in actions}
    assert wanted - present == NO_EXAMPLE


def test_file_names_follow_the_scheme_and_numbers_have_no_holes() -> None:
    names = {p.name for p in FILES}
    for name in names:
        match = _NAME.fullmatch(name)
        assert match, name
        n = int(match["n"] or 1)
        assert n != 1 or match["n"] is None, f"{name}: the first example is unnumbered"
        previous = f"{match['event']}.{match['action']}" + (f".{n - 1}" if n > 2 else "")
        assert n == 1 or f"{previous}.json" in names, f"{name} has no predecessor"


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_payload_has_what_every_handler_reads(path: Path) -> None:
    payload = _load(path)
    match = _NAME.fullmatch(path.name)
    assert match is not None
    assert payload["action"] == match["action"]
    assert isinstance(_get(payload, "issue.number"), int)
    assert "/" in _get(payload, "repository.full_name")
    assert isinstance(_get(payload, "sender.login"), str)
    assert _get(payload, "sender.type") in {"User", "Bot", "Organization"}
    if path.name not in NO_LABELS:
        labels = _get(payload, "issue.labels")
        assert isinstance(labels, list)
        assert all(isinstance(label["name"], str) for label in labels)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_payload_has_what_its_action_adds(path: Path) -> None:
    payload = _load(path)
    event, action = path.name.split(".")[:2]
    if event == "issue_comment":
        assert isinstance(_get(payload, "comment.body"), str)
        assert isinstance(_get(payload, "comment.user.login"), str)
        assert isinstance(_get(payload, "comment.user.type"), str)
        assert isinstance(_get(payload, "comment.id"), int)
    if action in {"labeled", "unlabeled"}:
        assert isinstance(_get(payload, "label.name"), str)
    if action == "edited":
        assert isinstance(_get(payload, "changes"), dict)
    if event == "issue_comment" and action == "edited":
        assert isinstance(_get(payload, "changes.body.from"), str)


def test_readme_lists_exactly_the_payloads_about_pull_requests() -> None:
    on_prs = {p.name for p in FILES if "pull_request" in _load(p)["issue"]}
    readme = (WEBHOOKS / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Payloads about pull requests", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"^- `([^`]+)`$", section, re.MULTILINE)) == on_prs


def test_readme_names_the_package_version() -> None:
    readme = (WEBHOOKS / "README.md").read_text(encoding="utf-8")
    assert re.search(r"`@octokit/webhooks-examples`\s+version \*\*\d+\.\d+\.\d+\*\*", readme)
