"""Closing summaries (SPEC §5): extractive, safe to embed, read back by the digest."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from ritual_bot.markdown import find_mentions, safe_inline
from ritual_bot.markers import read_block
from ritual_bot.ops import UpdateIssue
from ritual_bot.periods import Period
from ritual_bot.rituals.hpfo.core import SUMMARY_BLOCK, Checkin, Outcome
from ritual_bot.rituals.hpfo.ritual import plan_open_weeks
from ritual_bot.rituals.hpfo.summary import BODY_LIMIT, read_closed
from ritual_bot.rituals.hpfo.thread import skip_reason
from tests.rituals.hpfo_builders import closed_checkin, context, open_checkin, snapshot
from tests.support import team_config

W48 = Period(2026, 48)
CONFIG = team_config(["alice", "bob"])
ANSWER = "## Fires\n- prod is down\n- CI red\n## Objectives\n- fix it"


def summary_of(issue_body: str) -> str:
    block = read_block(issue_body, SUMMARY_BLOCK)
    assert block is not None
    return block


def test_the_digest_reads_back_what_the_summary_wrote() -> None:
    issue = closed_checkin(CONFIG, 1, "alice", W48, [("alice", ANSWER), ("bob", "on it")])
    week = read_closed(Checkin(issue, "alice", W48))
    assert week.outcome is Outcome.ANSWERED and week.repliers == ("bob",)
    assert week.answer is not None
    assert [i.text for i in week.answer.fires] == ["prod is down", "CI red"]


def test_a_question_nobody_answered_is_listed_and_an_answered_one_is_not() -> None:
    thread = [
        ("alice", ANSWER + "\n\nCan someone review #12?"),
        ("bob", "Reviewed. Should we also bump the timeout?"),
    ]
    summary = summary_of(closed_checkin(CONFIG, 1, "alice", W48, thread).body)
    open_part = summary.split("Questions left unanswered", 1)[1]
    assert "bump the timeout?" in open_part and "review #12" not in open_part


def test_the_closing_summary_lists_question_sentences_and_no_command_words() -> None:
    answer = "## Fires?\n- prod is down\n## Objectives\n- fix it\n- Can @bob pair with me?"
    thread = [
        ("bob", "> Is prod down?\n\n/stakeholders add @carol @dave\nI can help. Is 2pm ok?"),
        ("carol", "/approve"),
        ("alice", answer),
    ]
    summary = summary_of(closed_checkin(CONFIG, 1, "alice", W48, thread).body)
    replies, open_part = summary.split("Questions left unanswered", 1)
    assert open_part.strip() == "- **@\u200balice**: Can @\u200bbob pair with me?"
    assert "(1 comment): I can help. Is 2pm ok?" in replies
    assert "- **@\u200bcarol** (1 comment)\n" in replies  # a command alone says nothing
    assert "add @" not in summary and "Is prod down" not in summary


def test_skip_counts_only_on_its_own_line_outside_code_and_quotes() -> None:
    assert skip_reason("/skip") == ""
    assert skip_reason("/SKIP: on leave") == "on leave"
    assert skip_reason("```\n/skip\n```") is None
    assert skip_reason("> /skip") is None
    assert skip_reason("please do not /skip this") is None
    assert skip_reason("/skipping") is None


def test_a_bots_skip_or_answer_never_counts() -> None:
    issue = closed_checkin(CONFIG, 1, "alice", W48, [("dependabot[bot]", "/skip")])
    assert read_closed(Checkin(issue, "alice", W48)).outcome is Outcome.MISSING


def test_a_free_form_update_counts_and_its_gist_is_kept() -> None:
    issue = closed_checkin(CONFIG, 1, "alice", W48, [("alice", "Quiet week, mostly reviews.")])
    assert issue.state_reason == "completed"
    assert "Quiet week, mostly reviews." in summary_of(issue.body)


def test_a_week_someone_reopened_is_not_closed_again() -> None:
    closed = closed_checkin(CONFIG, 1, "alice", W48, [("alice", ANSWER)])
    reopened = replace(closed, state="open", state_reason="reopened")
    ctx = context(CONFIG, "2026-12-07T08:00")  # two weeks later
    assert plan_open_weeks(ctx, snapshot([reopened])) == []


def test_a_body_filled_to_the_brim_still_closes_in_one_request() -> None:
    issue = open_checkin(CONFIG, 1, "alice", W48)
    full = replace(issue, body=issue.body + "x" * (BODY_LIMIT - len(issue.body) - 10))
    ctx = context(CONFIG, "2026-11-30T08:30")
    [close] = plan_open_weeks(ctx, snapshot([full]))
    assert (
        isinstance(close, UpdateIssue)
        and close.state == "closed"
        and (close.body is None or len(close.body) <= BODY_LIMIT)
    )


_PIECES = [*"abc @#|`<>-*[]x/\n!?:", "```", "<!--", "-->", "</details>", "Fires:", "/skip"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["alice", "bob"]), _TEXT), max_size=4))
def test_any_thread_closes_with_a_well_formed_summary(thread: list[tuple[str, str]]) -> None:
    issue = closed_checkin(CONFIG, 1, "alice", W48, thread)
    summary = summary_of(issue.body)
    assert summary.count("<!--") == summary.count("-->") == 1  # the outcome marker only
    assert "<details" not in summary and "```" not in summary
    # Nothing GitHub would notify ("a@a" reads as an e-mail address, not a mention).
    assert not [m for m in find_mentions(summary) if m.split("/")[0] in {"a", "b", "alice", "bob"}]
    read_closed(Checkin(issue, "alice", W48))  # never raises


@given(st.text(max_size=80))
def test_safe_inline_is_idempotent_so_the_digest_can_quote_the_summary(text: str) -> None:
    once = safe_inline(text)
    assert safe_inline(once) == once
