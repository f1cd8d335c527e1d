"""Issue forms drop labels that do not exist (SPEC §7): on a fresh repository the decision form
opens an unlabelled issue, which starts nothing; once `init` (or a run started by hand) created
the labels, the same form starts a decision."""

from __future__ import annotations

from ritual_bot.init import FORM_PATH, decision_form_source
from ritual_bot.rituals.base import Event
from tests.decisions.helpers import AUTHOR, DRI, Team, payload
from tests.support import REPO

ANSWERS = {"context": "Which database?", "dri": "@alice", "stakeholders": "eng"}


def _open_with_form(team: Team) -> tuple[int, Event]:
    issue = team.world.sandbox.open_issue_with_form(
        REPO, str(FORM_PATH), user=AUTHOR, title="Pick a database", answers=ANSWERS
    )
    event = payload("issues.opened.json")
    event["issue"] = issue
    event["sender"] = {"login": AUTHOR, "type": "User"}
    return int(issue["number"]), Event("issues", event)


def test_the_form_labels_its_issues_only_once_the_labels_exist(team: Team) -> None:
    box = team.world.sandbox
    box.put_file(REPO, str(FORM_PATH), decision_form_source().read_text(), user=DRI)

    number, event = _open_with_form(team)
    assert team.labels(number) == set()  # GitHub dropped the missing label
    assert team.run(event).applied == []  # not a decision: nothing starts

    team.run(Event("workflow_dispatch", {"inputs": {}}))  # "Run workflow" from the Actions tab
    number, event = _open_with_form(team)
    assert team.labels(number) == {"decision"}
    team.run_twice(event)
    assert team.labels(number) == {"decision", "decision: open"}
    assert team.bot_comments(number, "decision-start")
