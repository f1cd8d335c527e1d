"""A hostile teammate with write access against the decision ritual (issue 9, SPEC §4 and §7).

Anyone with write access can edit any comment and any issue body, the bot's included. Each
scenario tries one way to forge authority, identity or a recorded decision through the API, as
that person would, handles the event GitHub would send, then replays the thread on a scheduled
run: both must end as the SPEC says, and agree.
"""

from __future__ import annotations

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
