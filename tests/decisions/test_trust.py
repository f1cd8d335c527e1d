"""A hostile teammate with write access against the decision ritual (issue 9, SPEC §4 and §7).

Anyone with write access can edit any comment and any issue body, the bot's included. Each
scenario tries one way to forge authority, identity or a recorded decision through the API, as
that person would, handles the event GitHub would send, then replays the thread on a scheduled
run: both must end as the SPEC says, and agree.
"""

from __future__ import annotations

from datetime import timedelta

from ritual_bot.rituals.base import Event
from tests.decisions.helpers import AUTHOR, DRI, FORM, MAINTAINER, Team, config

# --- allow_maintainers: false holds all the way ---------------------------------------------------


def test_a_refused_maintainer_cannot_take_the_dri_role_and_then_decide(team: Team) -> None:
    cfg = config("  allow_maintainers: false\n")
    number = team.open_issue(FORM, author=AUTHOR)
    team.run_twice(team.label(number, who=AUTHOR), cfg)

    for text in ("/dri @mallory", "/deadline 2026-12-09", "/decide Use MySQL"):
        _, event = team.comment(number, MAINTAINER, text)
        team.run_twice(event, cfg)
    team.run_twice(None, cfg)

    block = team.block(number)
    assert f"**DRI:** @{DRI}" in block
    assert "2026-12-09" not in block
    assert team.issue(number)["state"] == "open"
    replies = team.bot_comments(number, "decision-reply")
    assert len(replies) == 3
    assert all("only the DRI (@\u200balice)" in r["body"] for r in replies)
    assert "or a repository maintainer" not in "".join(r["body"] for r in replies)


def test_with_the_setting_on_a_maintainer_still_acts_for_the_dri(team: Team) -> None:
    number = team.open_issue(FORM, author=AUTHOR)
    team.run_twice(team.label(number, who=AUTHOR))
    _, event = team.comment(number, MAINTAINER, "/deadline 2026-12-09")
    team.run_twice(event)
    assert "2026-12-09" in team.block(number)
    assert team.bot_comments(number, "decision-reply") == []


# --- what GitHub renders as code or hides is not a command or a ping ------------------------------


def test_a_decide_inside_an_html_pre_block_is_code(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, DRI, "Quoting the runbook:\n\n<pre>\n/decide Use MySQL\n</pre>")
    team.run_twice(event)
    team.run_twice()
    assert team.issue(number)["state"] == "open"
    assert team.bot_comments(number, "decision-summary") == []


def test_an_html_comment_in_the_rationale_stays_hidden_and_pings_nobody(team: Team) -> None:
    number = team.started()
    text = (
        "/decide Use Postgres\n\nIt is what we know.\n"
        "<!-- @carol @dave: ignore their objection -->\nDone."
    )
    _, event = team.comment(number, DRI, text)
    team.run_twice(event)
    (summary,) = team.bot_comments(number, "decision-summary")
    body = summary["body"]
    assert "It is what we know." in body and "Done." in body
    assert "ignore their objection" not in body
    assert "&lt;!--" not in body and "@carol @dave" not in body


def test_a_decide_without_rationale_has_no_empty_rationale_quote(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, DRI, "/decide Use Postgres")
    team.run_twice(event)
    (summary,) = team.bot_comments(number, "decision-summary")
    assert "Rationale" not in summary["body"]
    assert "\n>\n" not in summary["body"]


# --- the author's text is sacred: a damaged block is rebuilt around it ----------------------------

END_MARKER = "<!-- ritual-bot:end decision -->"
BEGIN_MARKER = "<!-- ritual-bot:begin decision -->"


def _edit_body(team: Team, number: int, who: str, body: str) -> None:
    team.world.api(who, "PATCH", f"/repos/acme/team/issues/{number}", {"body": body})


def test_a_deleted_end_marker_does_not_cost_the_author_a_paragraph(team: Team) -> None:
    number = team.started()
    body = team.issue(number)["body"].replace(END_MARKER, "")
    _edit_body(team, number, DRI, body + "\n\nUpdate: the vendor answered, see below.\n")
    _, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    team.run_twice()
    _, event = team.comment(number, "carol", "/approve")
    team.run_twice(event)

    rebuilt = team.issue(number)["body"]
    assert "Update: the vendor answered, see below." in rebuilt
    assert "We need to pick a database." in rebuilt
    assert rebuilt.count(BEGIN_MARKER) == 1 and rebuilt.count(END_MARKER) == 1
    assert "@carol: approves" in team.block(number)


def test_a_block_pasted_twice_is_rebuilt_once_with_the_text_between_kept(team: Team) -> None:
    number = team.started()
    body = team.issue(number)["body"]
    block = body[body.index(BEGIN_MARKER) : body.index(END_MARKER) + len(END_MARKER)]
    _edit_body(team, number, "bob", f"{body}\n\nMy aside between the copies.\n\n{block}\n")
    _, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    team.run_twice()

    rebuilt = team.issue(number)["body"]
    assert "My aside between the copies." in rebuilt
    assert rebuilt.count(BEGIN_MARKER) == 1 and rebuilt.count(END_MARKER) == 1
    assert "@bob: approves" in team.block(number)


# --- an edit by someone else carries no command ---------------------------------------------------


def _later(team: Team, minutes: int = 5) -> None:
    team.world.clock.advance(timedelta(minutes=minutes))


def _scheduled_replay(team: Team) -> None:
    """The day before the deadline: the scheduled run reads and replays the whole thread."""
    team.world.at("2026-11-28T09:00")
    team.run_twice()


def _graphql_posts(team: Team) -> int:
    return sum(1 for r in team.world.sandbox.requests if r.path.endswith("/graphql"))


def _refusals(team: Team, number: int) -> list[str]:
    return [c["body"] for c in team.bot_comments(number, "decision-refused")]


def test_a_decide_slipped_into_the_dris_comment_by_someone_else_decides_nothing(
    team: Team,
) -> None:
    number = team.started()
    comment_id, event = team.comment(number, DRI, "Thanks all, reading your feedback.")
    team.run_twice(event)
    _later(team)
    team.run_twice(team.edit(number, comment_id, "bob", "/decide Use MySQL"))

    assert team.issue(number)["state"] == "open"
    assert "decision: open" in team.labels(number)
    assert team.bot_comments(number, "decision-summary") == []
    (refusal,) = _refusals(team, number)
    assert "@alice, I did not apply" in refusal
    assert "last edited by @\u200bbob, not by its author" in refusal

    # A later run on the thread agrees, from the recorded refusal, without asking GraphQL.
    team.world.sandbox.clear_requests()
    _, event = team.comment(number, "carol", "Any numbers on MySQL?")
    team.run_twice(event)
    assert team.issue(number)["state"] == "open"
    assert len(_refusals(team, number)) == 1
    assert _graphql_posts(team) == 0

    _scheduled_replay(team)
    assert team.issue(number)["state"] == "open"
    assert len(_refusals(team, number)) == 1
    assert team.bot_comments(number, "decision-remind")  # the replay did read the thread


def test_a_missed_edit_is_judged_from_the_edit_history(team: Team) -> None:
    number = team.started()
    comment_id, event = team.comment(number, "carol", "Looks fine to me.")
    team.run_twice(event)
    _later(team)
    team.edit(number, comment_id, "bob", "/object carol would never agree to this")
    # No run for that edit (a cancelled or lost event): the next run on the thread catches it.
    _later(team)
    _, event = team.comment(number, "dave", "/approve")
    team.world.sandbox.clear_requests()
    team.run_twice(event)

    # The text is bob's, not carol's: it is neither her objection nor her feedback.
    assert "@carol: no feedback yet" in team.block(number)
    assert "Objection" not in team.block(number)
    (refusal,) = _refusals(team, number)
    assert "@carol, I did not apply" in refusal and "@\u200bbob" in refusal
    assert _graphql_posts(team) == 1  # the first run asked; the rerun read the recorded refusal

    _scheduled_replay(team)
    assert "Objection" not in team.block(number)
    assert len(_refusals(team, number)) == 1


def test_an_author_editing_their_own_comment_into_a_command_is_heard(team: Team) -> None:
    number = team.started()
    comment_id, event = team.comment(number, "bob", "Thinking about it.")
    team.run_twice(event)
    _later(team)
    team.run_twice(team.edit(number, comment_id, "bob", "/approve"))
    assert "@bob: approves" in team.block(number)
    # Missed as an event, the same edit is read from the history.
    comment_id, event = team.comment(number, "carol", "Thinking too.")
    team.run_twice(event)
    _later(team)
    team.edit(number, comment_id, "carol", "/approve")
    _, event = team.comment(number, "dave", "Noted.")
    team.run_twice(event)
    assert "@carol: approves" in team.block(number)
    assert _refusals(team, number) == []


def test_an_edit_back_by_the_author_restores_their_own_command(team: Team) -> None:
    number = team.started()
    comment_id, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    _later(team)
    team.run_twice(team.edit(number, comment_id, "carol", "/object no"))
    assert "@bob: no feedback yet" in team.block(number)
    _later(team)
    team.run_twice(team.edit(number, comment_id, "bob", "/approve"))
    assert "@bob: approves" in team.block(number)


# --- authority is judged when the command was written ---------------------------------------------


def test_a_former_dri_editing_an_old_comment_into_decide_decides_nothing(team: Team) -> None:
    number = team.started()
    old_id, event = team.comment(number, DRI, "Collecting feedback until Friday.")
    team.run_twice(event)
    _later(team)
    _, event = team.comment(number, DRI, "/dri @carol")
    team.run_twice(event)
    assert "**DRI:** @carol" in team.block(number)

    _later(team)
    team.run_twice(team.edit(number, old_id, DRI, "/decide Use MySQL"))
    assert team.issue(number)["state"] == "open"
    assert team.bot_comments(number, "decision-summary") == []
    replies = team.bot_comments(number, "decision-reply")
    assert any("only the DRI (@\u200bcarol) records the decision" in r["body"] for r in replies)

    _scheduled_replay(team)
    assert team.issue(number)["state"] == "open"
    assert "**DRI:** @carol" in team.block(number)

    _, event = team.comment(number, "carol", "/decide Use Postgres")
    team.run_twice(event)
    assert team.issue(number)["state"] == "closed"
    assert "Use Postgres" in team.block(number)


# --- a recorded decision is frozen ----------------------------------------------------------------


def _decided(team: Team) -> tuple[int, int, int]:
    number = team.started()
    bob_id, event = team.comment(number, "bob", "Fine by me.")
    team.run_twice(event)
    _later(team)
    decide_id, event = team.comment(number, DRI, "/decide Use Postgres\n\nWe know it.")
    team.run_twice(event)
    assert team.issue(number)["state"] == "closed"
    return number, bob_id, decide_id


def test_editing_an_earlier_comment_into_an_objection_after_the_close_changes_nothing(
    team: Team,
) -> None:
    number, bob_id, _ = _decided(team)
    before = (team.issue(number)["body"], team.labels(number), team.bot_comments(number))
    _later(team)
    team.run_twice(team.edit(number, bob_id, "bob", "/object this was never discussed"))
    after = team.issue(number)
    assert (after["body"], team.labels(number)) == before[:2]
    assert after["state"] == "closed"
    assert len(team.bot_comments(number, "decision-summary")) == 1
    (reply,) = team.bot_comments(number, "decision-reply")
    assert "this decision is closed" in reply["body"]


def test_deleting_the_decide_comment_after_the_close_changes_nothing(team: Team) -> None:
    number, _, decide_id = _decided(team)
    body, labels = team.issue(number)["body"], team.labels(number)
    _later(team)
    team.run_twice(team.delete(number, decide_id, "bob"))
    assert team.issue(number)["body"] == body
    assert team.labels(number) == labels
    assert team.issue(number)["state"] == "closed"
    assert len(team.bot_comments(number, "decision-summary")) == 1


def test_only_a_person_reopening_reopens_a_recorded_decision(team: Team) -> None:
    number, _, _ = _decided(team)
    team.run_twice(team.set_state(number, "bob", "open"))
    assert "decision: open" in team.labels(number)
    assert "Reopened" in team.block(number)


# --- concern numbers are stable for life ----------------------------------------------------------


def _three_concerns(team: Team) -> tuple[int, int]:
    number = team.started()
    bob_concern, event = team.comment(number, "bob", "/concern no rollback plan")
    team.run_twice(event)
    for who, text in (("carol", "/concern licence costs"), ("dave", "/concern ops load")):
        _later(team)
        _, event = team.comment(number, who, text)
        team.run_twice(event)
    _later(team)
    _, event = team.comment(number, DRI, "/resolve 2\n\nThe licence is free for us.")
    team.run_twice(event)
    return number, bob_concern


def _concern_lines(team: Team, number: int) -> str:
    return team.block(number).split("**Open concerns**", 1)[-1]


def test_deleting_concern_1_leaves_every_other_number_and_resolution_in_place(
    team: Team,
) -> None:
    number, bob_concern = _three_concerns(team)
    _later(team)
    team.run_twice(team.delete(number, bob_concern, "bob"))
    team.run_twice()

    for scheduled in (False, True):
        if scheduled:
            _scheduled_replay(team)
        block = team.block(number)
        assert "3. Concern from @dave: ops load" in block
        assert "2. ~~licence costs~~ from @carol, resolved by @alice" in block
        assert "**Withdrawn concerns:** 1" in block
        assert "1. Concern from" not in block


def test_a_person_cannot_renumber_concerns_by_editing_the_hidden_note(team: Team) -> None:
    number, bob_concern = _three_concerns(team)
    _later(team)
    team.run_twice(team.delete(number, bob_concern, "bob"))
    # erin rewrites the bot's note of the numbers given, forgetting the withdrawn one.
    body = team.issue(number)["body"]
    hint = next(part for part in body.split("<!-- ") if part.startswith("ritual-bot:decision-hint"))
    forged = hint.replace("concerns=", "concerns=0:", 1)
    _edit_body(team, number, "erin", body.replace(hint, forged))
    _later(team)
    _, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)

    block = team.block(number)
    assert "3. Concern from @dave: ops load" in block
    assert "2. ~~licence costs~~ from @carol" in block
    assert "concerns=0:" not in team.issue(number)["body"]


# --- identity survives any edit: a decision the bot opened ----------------------------------------


def _opened_by_the_bot(team: Team) -> int:
    inputs = {
        "title": "Move CI to GitHub Actions",
        "dri": "@alice",
        "stakeholders": "bob, carol",
        "deadline": "2026-12-01",
    }
    team.run_twice(Event("workflow_dispatch", {"inputs": inputs}))
    (issue,) = team.world.sandbox.issues("acme/team")
    return int(issue["number"])


def test_a_start_marker_pasted_into_a_bot_opened_decision_names_nobody_dri(team: Team) -> None:
    number = _opened_by_the_bot(team)
    body = team.issue(number)["body"]
    fake = "<!-- ritual-bot:decision-start deadline=2026-12-01 dri=erin stakeholders=bob:carol -->"
    _later(team)
    _edit_body(team, number, "erin", f"{fake}\n{body}")
    _, event = team.comment(number, "erin", "/decide We go with erin's plan")
    team.run_twice(event)

    assert team.issue(number)["state"] == "open"
    assert "**DRI:** @alice" in team.block(number)
    (reply,) = team.bot_comments(number, "decision-reply")
    assert "only the DRI (@\u200balice) records the decision" in reply["body"]


def test_a_replaced_start_marker_in_a_bot_opened_decision_changes_nothing(team: Team) -> None:
    number = _opened_by_the_bot(team)
    body = team.issue(number)["body"]
    forged = body.replace("dri=alice", "dri=erin")
    assert forged != body
    _later(team)
    _edit_body(team, number, "erin", forged)
    _, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    assert "**DRI:** @alice" in team.block(number)
    assert "@bob: approves" in team.block(number)


# --- what the checks cost -------------------------------------------------------------------------


def test_a_comment_event_with_nothing_edited_costs_three_requests_and_no_graphql(
    team: Team,
) -> None:
    number = team.started()
    _, event = team.comment(number, "bob", "/approve")
    team.world.sandbox.clear_requests()
    report = team.run(event)
    assert report.requests <= 3
    assert _graphql_posts(team) == 0


def test_the_edit_check_is_one_graphql_request_for_every_body_it_needs(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, "bob", "/concern rollback")
    team.run_twice(event)
    for who in ("carol", "dave"):
        comment_id, event = team.comment(number, who, "Thinking.")
        team.run_twice(event)
        _later(team)
        team.edit(number, comment_id, who, "/approve")  # two missed edits
    _, event = team.comment(number, "erin", "Any news?")
    team.world.sandbox.clear_requests()
    team.run(event)
    assert _graphql_posts(team) == 1  # both comments and the body, in one query
    assert "@carol: approves" in team.block(number) and "@dave: approves" in team.block(number)


# --- a refusal states the real reason, as things stood --------------------------------------


def test_an_early_approve_is_refused_with_the_stakeholders_of_that_moment(team: Team) -> None:
    number = team.started()
    early, _ = team.comment(number, "erin", "/approve")  # the run for it was lost
    _later(team)
    _, event = team.comment(number, DRI, "/stakeholders add @erin")
    team.run_twice(event)

    assert "@erin: commented" in team.block(number)  # a stakeholder now, but not when approving
    (reply,) = [r for r in team.bot_comments(number, "decision-reply") if f"={early}" in r["body"]]
    assert "when this was written they were @\u200bbob, @\u200bcarol, @\u200bdave;" in reply["body"]


def test_a_comment_whose_event_was_lost_is_heard_by_the_next_scheduled_run(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, "bob", "Following.")
    team.run_twice(event)  # chatter: the block is not rewritten just to count it
    team.comment(number, "carol", "/approve")  # its run was cancelled
    _later(team, 60)
    team.run_twice()  # an ordinary scheduled run, far from any reminder
    assert "@carol: approves" in team.block(number)
    # Once it has caught up, a scheduled run reads no thread at all.
    team.world.sandbox.clear_requests()
    _later(team, 60)
    team.run_twice()
    assert [r.path for r in team.world.sandbox.requests if "/comments" in r.path] == []


def test_the_summary_counts_in_words_that_agree_with_the_numbers(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    _, event = team.comment(number, DRI, "/decide Use Postgres")
    team.run_twice(event)
    (summary,) = team.bot_comments(number, "decision-summary")
    line = next(x for x in summary["body"].splitlines() if x.startswith("**Participation:**"))
    assert line == (
        "**Participation:** 1/3 stakeholders gave feedback · 1 approves · 1 comment by 1 person"
    )
