"""The answer parser on input no real comment can be: it stays quick and bounded."""

from __future__ import annotations

from ritual_bot.answers import MAX_BODY_CHARS, parse_answer


def test_a_ten_megabyte_text_is_read_only_up_to_githubs_body_limit() -> None:
    line = "- item " + "x" * 90 + "\n"
    text = "## Objectives\n" + line * (10_000_000 // len(line))
    answer = parse_answer(text)
    assert answer is not None
    # Only the items within the first 65,536 characters were read.
    assert len(answer.objectives) == (MAX_BODY_CHARS - len("## Objectives\n")) // len(line) + 1
