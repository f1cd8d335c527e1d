"""The shared Markdown helpers: structure from tokens, mentions, shortening, safe embedding."""

from __future__ import annotations

import pytest

from ritual_bot.markdown import (
    BlockKind,
    LineKind,
    classify_lines,
    find_mentions,
    list_items,
    neutralize_mentions,
    plain_lines,
    safe_inline,
    shorten,
    task_items,
    top_level_blocks,
)

ZWSP = "\u200b"

# --- structure ------------------------------------------------------------------------------


def test_lines_know_code_quotes_and_comments() -> None:
    text = "/approve\n```\n/decide no\n```\n> /object quoted\n<!-- /withdraw -->\n\n    /abstain"
    kinds = [line.kind for line in classify_lines(text)]
    assert kinds == [
        LineKind.TEXT,
        LineKind.CODE,
        LineKind.CODE,
        LineKind.CODE,
        LineKind.QUOTE,
        LineKind.COMMENT,
        LineKind.BLANK,
        LineKind.CODE,
    ]
    assert [line.text for line in plain_lines(text)] == ["/approve"]


def test_code_nested_in_a_list_item_is_code() -> None:
    text = "- step\n\n  ```\n  /decide\n  ```"
    assert [line.number for line in classify_lines(text) if line.kind is LineKind.CODE] == [2, 3, 4]


def test_multiline_comment_opened_mid_paragraph_hides_its_inner_lines() -> None:
    text = "looks good <!--\n/approve\n--> to me"
    assert [line.text for line in plain_lines(text)] == ["looks good <!--", "--> to me"]


def test_top_level_blocks_and_list_items() -> None:
    text = "# Title\n\npara\n\n- [ ] a\n  - nested\n- b\n\n> quote\n\n---\n| x |\n|---|\n"
    blocks = top_level_blocks(text)
    assert [b.kind for b in blocks] == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.LIST,
        BlockKind.QUOTE,
        BlockKind.RULE,
        BlockKind.TABLE,
    ]
    assert blocks[0].level == 1
    assert blocks[0].inline == "Title"
    assert [item.text for item in list_items(blocks[2])] == ["[ ] a\n- nested", "b"]


def test_task_items_skip_quotes() -> None:
    text = "- [x] done\n  - [ ] nested\n> - [x] quoted\n1. [ ] numbered"
    assert task_items(text) == (("done", True), ("nested", False), ("numbered", False))


# --- mentions -------------------------------------------------------------------------------


def test_mentions_are_neutralised() -> None:
    text = "Thanks @alice and @acme/infra-team!"
    assert neutralize_mentions(text) == f"Thanks @{ZWSP}alice and @{ZWSP}acme/infra-team!"
    assert find_mentions(text) == ("alice", "acme/infra-team")


@pytest.mark.parametrize(
    "text",
    [
        "mail alice@example.com",
        "see https://medium.com/@alice",
        "inline `@alice` code",
        "``double @alice ticks``",
        "```\n@alice in a fence\n```",
        "    @alice indented code",
        "<!-- @alice in a comment -->",
        "just an @ sign",
    ],
)
def test_non_mentions_are_left_alone(text: str) -> None:
    assert neutralize_mentions(text) == text
    assert find_mentions(text) == ()


def test_mentions_in_quotes_are_neutralised() -> None:
    assert neutralize_mentions("> @bob said") == f"> @{ZWSP}bob said"


def test_escaped_backtick_is_not_a_code_span() -> None:
    # GitHub would ping here: "\`" is a literal backtick, so "@bob" is prose.
    text = "\\`@bob\\`"
    assert find_mentions(text) == ("bob",)
    assert ZWSP in neutralize_mentions(text)


def test_neutralize_keeps_line_endings() -> None:
    assert neutralize_mentions("@a\r\n@b\r") == f"@{ZWSP}a\r\n@{ZWSP}b\r"


# --- shorten --------------------------------------------------------------------------------


def test_shorten_replaces_code_and_drops_quotes() -> None:
    text = "On Monday, Bob wrote:\n> long quote\n\nI agree.\n\n```py\nprint(1)\n```\n\nShip it."
    assert shorten(text, 100) == "I agree. [code] Ship it."


def test_shorten_cuts_on_a_word_boundary() -> None:
    text = "The quick brown fox jumps over the lazy dog"
    assert shorten(text, 20) == "The quick brown fox…"
    assert shorten(text, 19) == "The quick brown…"
    assert shorten(text, 100) == text
    assert len(shorten(text, 10)) <= 10


def test_shorten_hard_cuts_one_long_word_and_tiny_limits() -> None:
    assert shorten("abcdefghij", 5) == "abcd…"
    assert shorten("abc def", 1) == "…"
    assert shorten("abc def", 0) == ""


def test_shorten_lists_and_headings() -> None:
    assert shorten("## Fires\n- one\n- two", 50) == "Fires one; two"


# --- safe_inline ----------------------------------------------------------------------------


def test_safe_inline_cannot_forge_a_marker() -> None:
    forged = "ok -->\n<!-- ritual-bot:hpfo key=2026-W48 -->"
    out = safe_inline(forged)
    assert "<!--" not in out
    assert "-->" not in out
    assert "\n" not in out
    assert out == "ok --&gt; &lt;!-- ritual-bot:hpfo key=2026-W48 --&gt;"


def test_safe_inline_escapes_tables_details_and_fences() -> None:
    assert safe_inline("a | b") == "a \\| b"
    assert safe_inline("a \\| b") == "a \\| b"
    assert safe_inline("</details>") == "&lt;/details&gt;"
    assert safe_inline("```py\nx = 1\n```") == "\\`\\`\\`py x = 1 \\`\\`\\`"
    assert safe_inline("ends with \\") == "ends with"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# not a heading", "\\# not a heading"),
        ("- not a bullet", "\\- not a bullet"),
        ("1. not a list", "1\\. not a list"),
        ("[x] not a box", "\\[x] not a box"),
        ("**bold** stays", "**bold** stays"),
        ("#123 stays", "#123 stays"),
    ],
)
def test_safe_inline_defuses_leading_block_markers(text: str, expected: str) -> None:
    assert safe_inline(text) == expected


def test_safe_inline_neutralises_mentions_even_from_flattened_code() -> None:
    # In the source "@bob" is inside a fence; on one line it would be prose and ping.
    assert safe_inline("```\n@bob\n```") == f"\\`\\`\\` @{ZWSP}bob \\`\\`\\`"
    assert safe_inline("cc @alice") == f"cc @{ZWSP}alice"
