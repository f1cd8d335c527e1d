"""The decision log never holds a decision hostage (SPEC §4, §7 "GitHub's real rules").

A default branch that only takes pull requests answers the contents API with 409 (branch
protection or a ruleset), and a workflow with ``contents: read`` gets 403 "Resource not accessible
by integration". Either way the decision is recorded, summarised and closed, and the summary and
the step summary say why the file was not written and how to fix it.
"""

from __future__ import annotations

import pytest

from ritual_bot.gateway import Gateway, Secret
from ritual_bot.report import skips
from tests.decisions.helpers import MAINTAINER, Team, config
from tests.support import ISSUED_TOKENS, REPO

LOG = config("  log: docs/decisions/\n")


def _decide(team: Team, gateway: Gateway | None = None) -> tuple[int, str]:
    number = team.open_issue()
    team.run_twice(team.label(number), LOG)
    _, event = team.comment(number, MAINTAINER, "/decide Use Postgres\nFast enough.")
    report = team.world.run(LOG, event, gateway=gateway)
    assert report.applied[-1].op.describe().startswith("comment on")  # the summary went out
    reasons = [s.reason for s in skips(report)]
    again = team.world.run(LOG, event, gateway=gateway)
    assert again.applied == []  # frozen: nothing retried, nothing duplicated
    (summary,) = team.bot_comments(number, "decision-summary")
    issue = team.issue(number)
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    assert team.labels(number) == {"decision", "decision: decided"}
    assert team.world.sandbox.file(REPO, f"docs/decisions/{number:04d}-pick-a-database.md") is None
    assert any("not written" in r for r in reasons), reasons
    return number, summary["body"]


@pytest.mark.parametrize("ruleset", [False, True])
def test_a_branch_that_only_takes_pull_requests_still_gets_the_decision(
    team: Team, ruleset: bool
) -> None:
    team.world.sandbox.protect_branch(REPO, ruleset=ruleset)
    _, text = _decide(team)
    assert "was not written: the default branch only takes pull requests (409" in text
    assert "bypass the branch protection or ruleset" in text and "decisions.log" in text


def test_a_read_only_contents_token_still_gets_the_decision(team: Team) -> None:
    token = team.world.sandbox.actions_token(
        REPO, {"issues": "write", "contents": "read", "metadata": "read"}
    )
    ISSUED_TOKENS.add(token)
    gateway = Gateway(REPO, Secret(token), api_url=team.world.url)
    _, text = _decide(team, gateway)
    assert "(403 Resource not accessible by integration)" in text
    assert "`permissions: {contents: write}`" in text


def test_the_bot_on_the_bypass_list_writes_the_log(team: Team) -> None:
    team.world.sandbox.protect_branch(REPO, ruleset=True, bypass=["github-actions[bot]"])
    number = team.open_issue()
    team.run_twice(team.label(number), LOG)
    _, event = team.comment(number, MAINTAINER, "/decide Use Postgres")
    team.run(event, LOG)
    assert team.world.sandbox.file(REPO, f"docs/decisions/{number:04d}-pick-a-database.md")
    (summary,) = team.bot_comments(number, "decision-summary")
    assert "not written" not in summary["body"]
