"""Command parsing, the issue form, and the extractive summary: pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ritual_bot.model import Comment, User
from ritual_bot.rituals.decisions.form import read_form
from ritual_bot.rituals.signoff.commands import Command, Problem, parse_commands
from ritual_bot.summary import BODY_LIMIT, gist, render, summarize
from tests.decisions.helpers import FORM


def test_commands_are_read_on_their_own_line_case_insensitively() -> None:
    parsed = parse_commands("Hi\n/APPROVE\nI think /object is wrong here\n  /Abstain")
    assert [p.command for p in parsed] == [Command.APPROVE, Command.ABSTAIN]


def test_code_blocks_quotes_and_html_comments_hide_commands() -> None:
    body = "> /approve\n\n```\n/decide x\n```\n\n    /object indented\n\n<!--\n/withdraw\n-->\n"
    assert parse_commands(body) == ()


def test_arguments_are_read_and_checked() -> None:
    concern, resolve, dri, add, remove, deadline = parse_commands(
        "/concern no rollback\n/resolve #2\n/dri @Bob\n/stakeholders add @a, b\n"
        "/stakeholders remove @c\n/deadline 2026-12-01"
    )
    assert concern.text == "no rollback"
    assert resolve.number == 2
    assert dri.logins == ("Bob",)
    assert add.logins == ("a", "b") and not add.remove
    assert remove.logins == ("c",) and remove.remove
    assert deadline.day == date(2026, 12, 1)


def test_a_concern_may_continue_on_the_next_lines() -> None:
    (concern,) = parse_commands("/concern\nthe plan has\nno rollback\n\nunrelated")
    assert concern.text == "the plan has no rollback"


def test_decide_takes_the_rest_of_the_comment_as_rationale() -> None:
    (decide,) = parse_commands("/decide Use Postgres\nBecause:\n\n```sql\nselect 1\n```\n")
    assert decide.text == "Use Postgres"
    assert decide.detail == "Because:\n\n```sql\nselect 1\n```"


def test_malformed_commands_say_what_is_missing() -> None:
    parsed = parse_commands(
        "/concern\n\n/resolve two\n/dri\n/stakeholders @a\n/deadline 2026-02-30\n/aprove\n/usr/bin"
    )
    assert [p.problem for p in parsed] == [
        Problem.NEEDS_TEXT,
        Problem.NEEDS_NUMBER,
        Problem.NEEDS_LOGIN,
        Problem.NEEDS_ADD_OR_REMOVE,
        Problem.NEEDS_DATE,
        Problem.UNKNOWN,
    ]
    assert parsed[-1].suggestion == "approve"


@given(st.text(max_size=300))
def test_parsing_never_raises(text: str) -> None:
    parse_commands(text)


def test_the_form_fields_are_read() -> None:
    form = read_form(FORM.replace("_No response_", "2026-12-01"))
    assert form.dri == "alice" and form.stakeholders == ("eng",)
    assert form.deadline == date(2026, 12, 1)
    assert read_form(FORM).deadline is None
    assert read_form("### DRI\n\nAlice Martin (@alice)\n").dri == "alice"


T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _comment(n: int, who: str, body: str) -> Comment:
    at = T0 + timedelta(minutes=n)
    return Comment(n, 1, User(who), body, at, at, f"https://x/issues/1#issuecomment-{n}")


def test_the_summary_keeps_each_persons_own_words_and_open_questions() -> None:
    comments = [
        _comment(1, "bob", "> quoted from carol\n\nPostgres is fine. We know it well.\n"),
        _comment(2, "carol", "What about backups?\n\n```\nlong code\n```"),
        _comment(3, "bob", "/approve\nBackups are covered. Ping @dave."),
        _comment(4, "dave", "Who owns the migration?"),
    ]
    summary = summarize(comments)
    bob, carol, _ = summary.participants
    assert bob.gist == "Postgres is fine. … Backups are covered."
    assert carol.gist == "What about backups?"
    assert [q.text for q in summary.open_questions] == ["Who owns the migration?"]
    text = render(summary, "Pick a database")
    assert "@dave" not in text.replace("@\u200bdave", "")  # no re-pinging
    assert "quoted from carol" not in text and "long code" not in text
    assert render(summarize(comments), "Pick a database") == text  # deterministic


def test_the_summary_stays_within_the_body_limit() -> None:
    huge = [_comment(n, f"user{n}", "word " * 5000 + "?") for n in range(300)]
    assert len(render(summarize(huge))) < BODY_LIMIT


def test_a_gist_is_a_sentence_or_two() -> None:
    assert gist(["One. Two. Three."]) == "One."
    assert gist(["/resolve 2", "/approve"]) == ""
