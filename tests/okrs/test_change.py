"""``/okr change`` (SPEC §8): a committed quarter changes only through a decision.

alice committed her 2026-Q4 plan (January to March 2027); dave (group leads) approves. Halfway
through, she asks on the tracker to drop a KR and lower a target: a decision opens, dave
approves, alice decides with change lines, and the plan, the tracker and the record change,
with the history kept. What a person may not do changes nothing, with one reply saying why.
"""

from __future__ import annotations

from typing import Any

from ritual_bot.markers import first_marker, read_block
from ritual_bot.rituals.keyresults.ledger import read_committed
from ritual_bot.rituals.okrs.change import CHANGE, RESULT, read_request
from ritual_bot.rituals.okrs.history import HISTORY
from ritual_bot.rituals.okrs.planning import PLAN
from tests.decisions.helpers import Team
from tests.okrs.test_planning import PLAN_TEXT, config, planning_issues
from tests.okrs.test_tracker import committed, tracker
from tests.support import REPO, World


def change_issues(world: World) -> list[dict[str, Any]]:
    return [i for i in world.sandbox.issues(REPO) if first_marker(i["body"], CHANGE)]


def last_comment(world: World, number: int) -> str:
    return str(world.sandbox.comments(REPO, number)[-1]["body"])


def result_of(world: World, number: int) -> str:
    found = [c["body"] for c in world.sandbox.comments(REPO, number) if RESULT in c["body"]]
    assert len(found) == 1, "one result per change decision"
    return str(found[0])


def quarter_with_tracker(world: World) -> tuple[Team, int]:
    team = committed(world)
    world.at("2026-12-21T08:05:00")
    world.run(config())
    number = int(tracker(world)["number"])
    world.at("2027-01-20T10:00:00")
    _, event = team.comment(number, "alice", "/kr KR1.1 38% on track")
    world.run(config(), event)
    return team, number


def test_a_decided_change_amends_the_plan_the_tracker_and_the_record(world: World) -> None:
    team, board = quarter_with_tracker(world)

    world.at("2027-02-01T10:00:00")
    _, event = team.comment(board, "alice", "/okr change the wizard moved to next quarter")
    world.run(config(), event)
    [change] = change_issues(world)
    number = int(change["number"])
    assert change["title"] == "OKR change 2026-Q4 · @alice: the wizard moved to next quarter"
    assert {label["name"] for label in change["labels"]} == {"okr", "decision"}
    assert [a["login"] for a in change["assignees"]] == ["alice"]
    assert "@dave" in change["body"] and "| KR1.3 | Setup wizard shipped |" in change["body"]
    assert f"/{REPO}/issues/{number}" in last_comment(world, board), "the request links it"

    writes = len(world.writes())
    world.run(config(), event)
    assert len(world.writes()) == writes, "asked once, opened once"

    world.at("2027-02-02T10:00:00")
    _, event = team.comment(number, "dave", "/approve")
    world.run(config(), event)
    world.at("2027-02-03T10:00:00")
    decision = "/decide Drop the wizard, aim lower on activation\n\ndrop KR1.3\ntarget KR1.1 40%\n"
    _, event = team.comment(number, "alice", decision)
    world.run(config(), event)

    plan_issue = planning_issues(world)["alice"]
    own_block = read_block(plan_issue["body"], PLAN) or ""
    record = read_committed(own_block)
    assert record is not None
    assert [kr.id for kr in record.plan.key_results()] == ["KR1.1", "KR1.2"]
    kr11 = record.plan.find("KR1.1")
    assert kr11 is not None and kr11.target is not None and kr11.target.value == 40
    history = read_block(own_block, HISTORY) or ""
    assert f"2027-02-03 · #{number} decided by alice: drop KR1.3; target KR1.1 40%" in history

    result = result_of(world, number)
    assert "Applied to the 2026-Q4 OKRs of alice" in result and "- drop KR1.3" in result
    assert world.sandbox.issue(REPO, number)["state"] == "closed", "the decision ritual closed it"

    # The tracker renders the amended plan in the same run, and keeps alice's /kr value.
    body = world.sandbox.issue(REPO, board)["body"]
    assert "| KR1.1 | Activation rate | 32% | 40% | 38% |" in body
    assert "Setup wizard shipped" not in body
    record_file = world.sandbox.file(REPO, "docs/okrs/2026-Q4.md") or ""
    assert "Setup wizard" not in record_file and "#### Changes" in record_file
    assert f"#{number} decided by alice: drop KR1.3" in record_file

    writes = len(world.writes())
    world.run(config(), event)
    world.at("2027-02-08T08:05:00")  # the tracker's weekly moment heals nothing: all done
    world.run(config())
    plan_path = f"/repos/{REPO}/issues/{plan_issue['number']}"
    assert not [w for w in world.writes()[writes:] if w.path == plan_path]
    result_of(world, number)


def test_a_change_that_breaks_the_plan_rules_changes_nothing(world: World) -> None:
    team, board = quarter_with_tracker(world)
    _, event = team.comment(board, "alice", "/okr change\n\nfocus on activation only")
    world.run(config(), event)
    [change] = change_issues(world)
    number = int(change["number"])
    assert "focus on activation only" in change["title"]
    before = read_block(planning_issues(world)["alice"]["body"], PLAN)

    _, event = team.comment(number, "alice", "/decide Activation only\n\ndrop KR1.2\ndrop KR1.3")
    world.run(config(), event)
    assert read_block(planning_issues(world)["alice"]["body"], PLAN) == before
    said = result_of(world, number)
    assert "Not applied" in said and "O1 would have 1 key results: 2 to 5" in said


def test_requests_the_bot_cannot_take_get_one_reply_each(world: World) -> None:
    team, board = quarter_with_tracker(world)
    # bob owns no plan; alice names a plan that is not hers; carol rewrites alice's request.
    _, event = team.comment(board, "bob", "/okr change drop KR1.3")
    world.run(config(), event)
    assert "only an owner asks for a change of their plan (owners: alice)" in last_comment(
        world, board
    )
    _, event = team.comment(board, "alice", "/okr change eng: more hiring")
    world.run(config(), event)
    assert "eng has no committed plan this quarter (plans: alice)" in last_comment(world, board)
    _, event = team.comment(board, "alice", "/okr")
    world.run(config(), event)
    assert "`/okr` has one command: `/okr change TEXT`" in last_comment(world, board)
    own_id, _ = team.comment(board, "alice", "a note for later")
    world.at("2027-01-21T10:00:00")
    event = team.edit(board, own_id, "carol", "/okr change drop everything")
    world.run(config(), event)
    assert "last edited by carol, not its author" in last_comment(world, board)
    assert change_issues(world) == []

    writes = len(world.writes())
    world.run(config(), event)
    assert len(world.writes()) == writes, "one reply per comment version"


def test_only_the_dri_decides_a_change(world: World) -> None:
    team, board = quarter_with_tracker(world)
    _, event = team.comment(board, "alice", "/okr change @alice lower the activation target")
    world.run(config(), event)
    [change] = change_issues(world)
    number = int(change["number"])
    before = read_block(planning_issues(world)["alice"]["body"], PLAN)
    _, event = team.comment(number, "dave", "/decide Lower it\n\ntarget KR1.1 35%")
    world.run(config(), event)
    assert read_block(planning_issues(world)["alice"]["body"], PLAN) == before
    assert world.sandbox.issue(REPO, number)["state"] == "open"


def test_a_request_is_read_from_prose_only() -> None:
    assert read_request("> /okr change quoted\n") is None
    assert read_request("```\n/okr change fenced\n```\n") is None
    request = read_request("Thoughts.\n\n/okr change eng: hire later\n", ["alice", "eng"])
    assert request is not None and (request.named, request.text) == ("eng", "hire later")
    prose = read_request("/okr change Context: the wizard shipped", ["alice", "eng"])
    assert prose is not None and (prose.named, prose.text) == ("", "Context: the wizard shipped")
    request = read_request("/OKR Change @alice: drop KR1.3")
    assert request is not None and (request.named, request.text) == ("alice", "drop KR1.3")
    bare = read_request("/okr change")
    assert bare is not None and bare.problem.startswith("say what should change")


def test_a_team_plan_changes_by_any_member_asking_and_its_dri_deciding(world: World) -> None:
    team, board = quarter_with_tracker(world)  # alice's plan and its tracker
    number = int(planning_issues(world)["eng"]["number"])
    _, event = team.comment(number, "carol", PLAN_TEXT)
    world.run(config(), event)
    _, event = team.comment(number, "bob", "/commit")
    world.run(config(), event)

    world.at("2027-02-01T10:00:00")
    _, event = team.comment(board, "carol", "/okr change eng: the wizard waits")
    world.run(config(), event)
    [change] = change_issues(world)
    assert change["title"] == "OKR change 2026-Q4 · eng: the wizard waits"
    assert [a["login"] for a in change["assignees"]] == ["bob"], "the team's DRI"
    change_number = int(change["number"])
    _, event = team.comment(change_number, "carol", "/decide Not mine to decide\n\ndrop KR1.3")
    world.run(config(), event)
    assert RESULT not in str([c["body"] for c in world.sandbox.comments(REPO, change_number)])
    _, event = team.comment(change_number, "bob", "/decide drop KR1.3")
    world.run(config(), event)
    assert "Applied to the 2026-Q4 OKRs of eng" in result_of(world, change_number)
    eng = read_committed(read_block(planning_issues(world)["eng"]["body"], PLAN) or "")
    alice = read_committed(read_block(planning_issues(world)["alice"]["body"], PLAN) or "")
    assert eng is not None and [kr.id for kr in eng.plan.key_results()] == ["KR1.1", "KR1.2"]
    assert alice is not None and len(alice.plan.key_results()) == 3, "alice's plan untouched"


def test_an_edited_command_seen_first_by_a_scheduled_run_counts_as_its_editor_saved_it(
    world: World,
) -> None:
    team, board = quarter_with_tracker(world)
    world.at("2027-01-24T10:00:00")
    own_id, _ = team.comment(board, "alice", "/kr KR1.2 5d")
    world.at("2027-01-24T11:00:00")
    team.edit(board, own_id, "alice", "/kr KR1.2 4d")  # no run saw either event
    other_id, _ = team.comment(board, "alice", "/okr change a note")
    world.at("2027-01-24T12:00:00")
    team.edit(board, other_id, "carol", "/okr change drop KR1.3")
    world.at("2027-01-25T08:05:00")  # Monday 09:05 in Paris: the tracker's weekly refresh
    world.run(config())
    assert (
        "| KR1.2 | Median time to first check-in | 6d | 2d | 4d |"
        in (world.sandbox.issue(REPO, board)["body"])
    )
    assert change_issues(world) == []
    assert "last edited by carol, not its author" in last_comment(world, board)
