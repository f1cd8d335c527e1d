"""Summaries say only what people said (issue 12): real questions, no command words."""

from __future__ import annotations

from datetime import UTC, datetime

from ritual_bot.model import Comment, User
from ritual_bot.rituals.signoff.commands import parse_commands
from ritual_bot.summary import gist, own_sentences, render, summarize

HPFO = """\
## 🌟 Highlights
- Shipped the importer
## 📈 Progress
- [x] Fixed the login bug. Took longer than planned.
## 🔥 Fires?
- CI is flaky
## 🎯 Objectives
- Could someone review #12 by Friday?
"""


def _comment(number: int, login: str, body: str) -> Comment:
    at = datetime(2026, 11, 23, 9, number, tzinfo=UTC)
    return Comment(number, 1, User(login), body, at, at, f"https://x/issues/1#c{number}")


def test_an_hpfo_answer_is_not_one_question_only_its_question_sentence_is() -> None:
    summary = summarize([_comment(1, "alice", HPFO)])
    assert [q.text for q in summary.open_questions] == ["Could someone review #12 by Friday?"]
    (alice,) = summary.participants
    assert alice.gist == "Shipped the importer"  # a sentence, not the headings run together
    assert "Highlights" not in render(summary)


def test_headings_statements_quotes_code_and_commands_ask_nothing() -> None:
    body = (
        "## Any blockers?\n\n"
        "- The deploy is done\n"
        "- **Shall we move the demo?**\n\n"
        "> Bob wrote: is it fixed?\n\n"
        "```\nwhy?\n```\n\n"
        "/concern Is rollback tested?\n\n"
        "Long week. The release went out late, with two hotfixes. Who owns the runbook ?"
    )
    asked = [q.text for q in summarize([_comment(1, "carol", body)]).open_questions]
    assert asked == ["**Shall we move the demo?**", "Who owns the runbook ?"]


def test_a_question_is_answered_by_anyone_elses_later_comment() -> None:
    thread = [_comment(1, "bob", "Can we ship?"), _comment(2, "carol", "Yes.")]
    assert summarize(thread).open_questions == ()


def test_command_words_are_no_gist_and_a_command_only_comment_says_nothing() -> None:
    thread = [
        _comment(1, "alice", "/stakeholders add @bob @carol"),
        _comment(2, "bob", "/concern\nThe migration has no rollback plan."),
        _comment(3, "carol", "/approve Looks good to me.\n/deadline 2026-12-04"),
        _comment(4, "dave", "Thanks all.\n/decide Use Postgres\nIt is boring, we know it well."),
        _comment(5, "erin", "/skip: on holiday"),
        _comment(6, "frank", "/aprove"),  # misspelt: the bot answers it as a command
    ]
    said = {p.login: p.gist for p in summarize(thread).participants}
    assert said == {
        "alice": "",
        "bob": "",
        "carol": "Looks good to me.",
        "dave": "Thanks all.",
        "erin": "",
        "frank": "",
    }
    text = render(summarize(thread))
    for residue in ("add @", "rollback", "2026-12-04", "Postgres", "holiday", "aprove"):
        assert residue not in text


def test_commands_still_parse_after_the_summary_reads_them() -> None:
    body = "/concern\nThe migration has no rollback plan.\n/stakeholders add @bob @carol"
    before = parse_commands(body)
    assert own_sentences(body) == ()
    assert parse_commands(body) == before
    assert [p.text for p in before] == ["The migration has no rollback plan.", ""]
    assert before[1].logins == ("bob", "carol")


def test_prose_that_starts_with_a_slash_is_kept() -> None:
    assert gist(["/usr/local is full again. Cleaning up."]) == "/usr/local is full again."
