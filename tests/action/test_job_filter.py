"""The generated workflow's job `if:` on GitHub's real example payloads (issue 11, point 2).

A job whose `if:` is false is skipped and not billed: events on issues that carry none of the
bot's labels must skip, while every event that can begin or move a ritual must start the job.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ritual_bot.init import published_action, workflow_text
from tests.action.expressions import ExpressionError, evaluate_if

WEBHOOKS = Path(__file__).parents[1] / "data" / "webhooks"
CONDITION = yaml.safe_load(workflow_text(published_action()))["jobs"]["rituals"]["if"]


def _payload(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((WEBHOOKS / name).read_text())
    return loaded


def _starts(event_name: str, payload: dict[str, Any]) -> bool:
    return evaluate_if(CONDITION, {"github": {"event_name": event_name, "event": payload}})


def _with_labels(payload: dict[str, Any], *names: str) -> dict[str, Any]:
    changed = copy.deepcopy(payload)
    changed["issue"]["labels"] = [{"name": n, "color": "ededed"} for n in names]
    return changed


EXAMPLES = sorted(p.name for p in WEBHOOKS.glob("*.json"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_event_on_an_issue_without_the_bots_labels_starts_no_job(name: str) -> None:
    event_name = name.split(".")[0]
    payload = _payload(name)
    if "issue" not in payload:
        pytest.skip("not an issue event")
    bare = _with_labels(payload)
    bare.pop("label", None)
    assert not _starts(event_name, bare)


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_event_on_a_check_in_or_a_decision_starts_the_job(name: str) -> None:
    event_name = name.split(".")[0]
    payload = _payload(name)
    if "issue" not in payload:
        pytest.skip("not an issue event")
    assert _starts(event_name, _with_labels(payload, "ritual:hpfo", "hpfo"))
    assert _starts(event_name, _with_labels(payload, "decision", "decision: open"))
    assert _starts(event_name, _with_labels(payload, "Decision"))  # label names ignore case


def test_adding_or_removing_the_decision_label_starts_the_job() -> None:
    labeled = _with_labels(_payload("issues.labeled.json"), "decision")
    labeled["label"] = {"name": "decision"}
    assert _starts("issues", labeled)
    unlabeled = _with_labels(_payload("issues.labeled.json"))
    unlabeled["action"], unlabeled["label"] = "unlabeled", {"name": "decision"}
    assert _starts("issues", unlabeled)
    other = _with_labels(_payload("issues.labeled.json"), "bug")
    other["label"] = {"name": "bug"}
    assert not _starts("issues", other)


def test_schedules_and_manual_runs_always_start() -> None:
    assert _starts("schedule", {"schedule": "17 * * * *"})
    assert _starts("workflow_dispatch", {"inputs": {"title": ""}})


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'a' == 'A'", True),
        ("contains(fromJSON('[1]'), 1)", ExpressionError),
        ("github.nothing.here == null", True),
        ("!contains('Hello', 'ELL')", False),
        ("'' || 'x'", True),
        ("github.list.*.name", True),
        ("startsWith('ritual:hpfo', 'RITUAL')", True),
    ],
)
def test_the_evaluator_follows_githubs_rules(expression: str, expected: object) -> None:
    contexts = {"github": {"list": [{"name": "a"}, {"other": 1}]}}
    if expected is ExpressionError:
        with pytest.raises(ExpressionError):
            evaluate_if(expression, contexts)
    else:
        assert evaluate_if(expression, contexts) is expected
