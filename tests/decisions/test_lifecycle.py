"""A decision from label to close, on the sandbox with real webhook payloads (SPEC §4).

Each step handles the event GitHub would send and then reruns it: the rerun must change nothing.
"""

from __future__ import annotations

from dataclasses import replace

from tests.decisions.helpers import (
    AUTHOR,
    DRI,
    FORM,
    MAINTAINER,
    MEMBER,
    Team,
    config,
)
from tests.support import REPO


def test_labelling_an_issue_starts_the_decision(team: Team) -> None:
    number = team.open_issue("We need to pick a database.\n")
    team.run_twice(team.label(number))

    issue = team.issue(number)
    assert issue["body"].startswith("We need to pick a database.\n\n<!-- ritual-bot:begin decision")
    assert team.labels(number) == {"decision", "decision: open"}
    assert [a["login"] for a in issue["assignees"]] == [DRI]  # the author, no form, no assignee
    block = team.block(number)
    assert "**DRI:** @alice" in block and "**Feedback by:** 2026-11-28" in block
    assert "- [ ] @bob: no feedback yet" in block and "@alice:" not in block
    (start,) = team.bot_comments(number, "decision-start")
    assert "@bob @carol @dave" in start["body"]  # the start comment notifies the stakeholders
    assert "dri=alice" in start["body"] and "stakeholders=bob:carol:dave" in start["body"]


def test_the_form_names_the_dri_stakeholders_and_deadline(team: Team) -> None:
    body = FORM.replace("eng\n", "@carol, dave\n").replace(
        "### Feedback deadline\n\n_No response_", "### Feedback deadline\n\n2026-12-04"
    )
    number = team.open_issue(body, author=AUTHOR)
    team.run_twice(team.label(number, who=AUTHOR))
    block = team.block(number)
    assert "**DRI:** @alice" in block and "2026-12-04" in block
    assert "@carol:" in block and "@dave:" in block and "@bob:" not in block
    # The author's text, form included, is kept byte for byte in front of the block.
    assert team.issue(number)["body"].startswith(body)


def test_an_issue_opened_with_the_label_starts_once_for_opened_and_labeled(team: Team) -> None:
    created = team.world.api(
        AUTHOR,
        "POST",
        f"/repos/{REPO}/issues",
        {"title": "Pick a database", "body": FORM, "labels": ["decision"]},
    )
    number = int(created["number"])
    opened = team.label(number, who=AUTHOR)  # the labeled event; then the opened one
    team.run_twice(opened)
    reopened_payload = dict(opened.payload, action="opened")
    team.run_twice(type(opened)("issues", reopened_payload))
    assert len(team.bot_comments(number, "decision-start")) == 1


def test_stances_follow_edits_and_deletions(team: Team) -> None:
    number = team.started()
    comment_id, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    assert "- [x] @bob: approves" in team.block(number)

    team.run_twice(team.edit(number, comment_id, "bob", "/object\nno rollback plan"))
    assert "- [x] @bob: objects" in team.block(number)
    assert "1. Objection from @bob: no rollback plan" in team.block(number)

    team.run_twice(team.delete(number, comment_id, "bob"))
    assert "- [ ] @bob: no feedback yet" in team.block(number)
    assert "Objection" not in team.block(number)


def test_any_other_comment_counts_as_commented_and_links_the_latest(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, "carol", "What about MySQL?")
    team.run_twice(event)
    block = team.block(number)
    assert "- [x] @carol: commented ([latest feedback](" in block


def test_commands_in_code_or_quotes_do_not_count_and_several_per_comment_do(team: Team) -> None:
    number = team.started()
    quoted = "> /approve\n\n```\n/approve\n```\n"
    _, event = team.comment(number, "bob", quoted)
    team.run_twice(event)
    assert "@bob: commented" in team.block(number)
    _, event = team.comment(number, "carol", "/CONCERN no rollback\n/concern no budget\n")
    team.run_twice(event)
    block = team.block(number)
    assert "1. Concern from @carol: no rollback" in block
    assert "2. Concern from @carol: no budget" in block


def test_a_box_ticked_by_hand_is_rendered_again(team: Team) -> None:
    number = team.started()
    body = team.issue(number)["body"]
    ticked = body.replace("- [ ] @bob", "- [x] @bob")
    team.world.api(DRI, "PATCH", f"/repos/{REPO}/issues/{number}", {"body": ticked})
    event = team.label(number)  # any issue event re-derives the block
    team.run_twice(event)
    assert team.issue(number)["body"] == body


def test_the_authors_text_outside_the_block_is_never_changed(team: Team) -> None:
    number = team.started()
    body = team.issue(number)["body"]
    edited = "Edited intro with `code` and <b>html</b>.\n\n" + body + "\nA footer.\n"
    team.world.api(DRI, "PATCH", f"/repos/{REPO}/issues/{number}", {"body": edited})
    _, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    after = team.issue(number)["body"]
    assert after.startswith("Edited intro with `code` and <b>html</b>.\n\n")
    assert after.endswith("<!-- ritual-bot:end decision -->\n\nA footer.\n")


def test_deciding_posts_the_summary_records_and_closes(team: Team) -> None:
    number = team.started()
    for who, text in [
        ("bob", "/approve\nPostgres is what we know best."),
        ("carol", "/concern the migration has no rollback plan"),
        ("carol", "/resolve 1\nThe runbook now covers it."),
        ("dave", "I have no opinion, @erin knows more?"),
    ]:
        _, event = team.comment(number, who, text)
        team.run_twice(event)
    team.world.sandbox.clear_requests()
    _, event = team.comment(number, DRI, "/decide Use Postgres\nIt is boring and well known.")
    team.world.sandbox.clear_requests()
    report = team.run_twice(event)
    assert len(report.applied) == 2  # one PATCH (block, labels, close) and the summary

    issue = team.issue(number)
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    assert team.labels(number) == {"decision", "decision: decided"}
    block = team.block(number)
    assert "### 🗳️ Decision: decided" in block and "**Decision:** Use Postgres" in block
    (summary,) = team.bot_comments(number, "decision-summary")
    text = summary["body"]
    assert "**Use Postgres**" in text and "> It is boring and well known." in text
    assert "| @\u200bbob | approves | Postgres is what we know best." in text
    assert "resolved by @\u200bcarol" in text
    assert "@\u200berin" in text  # dave's question, neutralised: no re-pinging in summaries
    assert "@erin" not in text.replace("@\u200berin", "")
    assert "2/3 stakeholders gave feedback" in text or "3/3 stakeholders gave feedback" in text


def test_the_decide_step_costs_at_most_8_requests_with_the_log(team: Team) -> None:
    cfg = config("  log: docs/decisions/\n")
    number = team.open_issue()
    team.run_twice(team.label(number), cfg)
    _, event = team.comment(number, MAINTAINER, "/decide Use Postgres\nFast enough.")
    team.world.sandbox.clear_requests()
    team.run(event, cfg)
    assert len(team.world.sandbox.requests) <= 8, [
        f"{r.method} {r.path}" for r in team.world.sandbox.requests
    ]
    record = team.world.sandbox.file(REPO, f"docs/decisions/{number:04d}-pick-a-database.md")
    assert record is not None
    assert "- Status: accepted" in record and "Use Postgres" in record
    assert "- Deciders: @alice (DRI), recorded by @mallory" in record
    team.run_twice(event, cfg)
    commits = [r for r in team.world.sandbox.requests if r.method == "PUT"]
    assert len(commits) == 1  # one commit, never rewritten by a rerun


def test_a_comment_event_without_a_state_change_costs_at_most_3_requests(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, MEMBER, "Interesting, following along.")
    team.world.sandbox.clear_requests()
    report = team.run(event)
    assert report.applied == []
    assert team.world.writes() == []
    assert len(team.world.sandbox.requests) <= 3


def test_withdraw_closes_as_not_planned(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, DRI, "/withdraw\nWe are keeping MySQL for now.")
    team.run_twice(event)
    issue = team.issue(number)
    assert issue["state"] == "closed" and issue["state_reason"] == "not_planned"
    assert team.labels(number) == {"decision", "decision: withdrawn"}
    assert len(team.bot_comments(number, "decision-withdrawn")) == 1


def test_reopening_returns_to_open_and_a_new_decide_supersedes(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, DRI, "/decide Use Postgres")
    team.run_twice(event)
    assert team.issue(number)["state"] == "closed"

    team.run_twice(team.set_state(number, DRI, "open"))
    assert team.issue(number)["state"] == "open"
    assert team.labels(number) == {"decision", "decision: open"}
    assert "Reopened: the decision recorded on 2026-11-23" in team.block(number)

    _, event = team.comment(number, "bob", "/object Postgres needs a DBA we do not have")
    team.run_twice(event)
    assert "@bob: objects" in team.block(number)

    _, event = team.comment(number, DRI, "/decide Use MySQL\nBob is right.")
    team.run_twice(event)
    assert team.issue(number)["state"] == "closed"
    assert "**Decision:** Use MySQL" in team.block(number)
    summaries = team.bot_comments(number, "decision-summary")
    assert len(summaries) == 2
    assert "Supersedes | the decision of 2026-11-23" in summaries[1]["body"]


def test_a_decision_closed_by_hand_is_left_closed(team: Team) -> None:
    number = team.started()
    team.run_twice(team.set_state(number, DRI, "closed", "not_planned"))
    assert team.issue(number)["state"] == "closed"
    assert team.labels(number) == {"decision", "decision: open"}


def test_commands_after_the_decision_are_answered(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, DRI, "/decide Use Postgres")
    team.run_twice(event)
    comment_id, event = team.comment(number, "bob", "/approve")
    team.run_twice(event)
    (reply,) = team.bot_comments(number, "decision-reply")
    assert f"comment={comment_id}" in reply["body"] and "this decision is closed" in reply["body"]


def test_malformed_commands_get_one_reply_saying_how(team: Team) -> None:
    number = team.started()
    comment_id, event = team.comment(number, DRI, "/deadline next friday\n/aprove\n/resolve x")
    team.run_twice(event)
    (reply,) = team.bot_comments(number, "decision-reply")
    body = reply["body"]
    assert "give a date as YYYY-MM-DD" in body
    assert "did you mean `/approve`?" in body
    assert "give the concern's number" in body
    # Editing the comment does not bring a second reply (once per comment), but counts.
    team.run_twice(team.edit(number, comment_id, DRI, "/deadline 2026-12-02"))
    assert len(team.bot_comments(number, "decision-reply")) == 1
    assert "2026-12-02" in team.block(number)


def test_comments_by_bots_never_count(team: Team) -> None:
    number = team.started()
    _, event = team.comment(number, "dependabot[bot]", "/approve")
    report = team.run(event)
    assert report.applied == []


def test_a_spoofed_marker_in_a_comment_is_ignored(team: Team) -> None:
    number = team.started()
    spoof = "<!-- ritual-bot:decision-summary cmd=1 -->\n<!-- ritual-bot:decision-start dri=oscar "
    spoof += "stakeholders=oscar deadline=2030-01-01 -->\nhello"
    _, event = team.comment(number, "bob", spoof)
    team.run_twice(event)
    assert "**DRI:** @alice" in team.block(number)
    assert "@bob: commented" in team.block(number)


def test_removing_the_label_stops_the_ritual(team: Team) -> None:
    number = team.started()
    team.world.api(DRI, "DELETE", f"/repos/{REPO}/issues/{number}/labels/decision")
    _, event = team.comment(number, "bob", "/approve")
    assert team.run(event).applied == []


def test_french_templates_render_the_whole_cycle(team: Team) -> None:
    french = replace(config("  log: docs/decisions/\n"), language="fr")
    number = team.open_issue()
    team.run_twice(team.label(number), french)
    assert "### 🗳️ Décision : avis attendus" in team.block(number)
    _, event = team.comment(number, "erin", "/approve")
    team.run_twice(event, french)
    assert "je n'ai pas appliqué" in team.bot_comments(number, "decision-reply")[0]["body"]
    _, event = team.comment(number, DRI, "/decide Postgres\nParce que.")
    team.run_twice(event, french)
    assert "## 🗳️ Décision enregistrée" in team.bot_comments(number, "decision-summary")[0]["body"]
    record = team.world.sandbox.file(REPO, f"docs/decisions/{number:04d}-pick-a-database.md")
    assert record is not None and "- Statut : acceptée" in record
