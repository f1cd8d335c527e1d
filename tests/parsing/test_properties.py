"""Property tests: the parsers and helpers never raise, and their safety promises hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ritual_bot.answers import (
    checked_items,
    latest_answer,
    objectives_checklist,
    parse_answer,
    render_checklist,
)
from ritual_bot.markdown import (
    classify_lines,
    find_mentions,
    neutralize_mentions,
    plain_lines,
    safe_inline,
    shorten,
    split_lines,
    top_level_blocks,
)

_WORDS = st.sampled_from(
    [
        "Highlights", "Progress", "Fires", "Objectives", "H", "F:", "🔥", ":fire:", "**",
        "Temps forts", "Objectifs :", "none", "rien", "@alice", "@org/team", "a@b.com", "`",
        "```", "~~~", "<!--", "-->", "|", "[x]", "[ ]", "\\", "/approve", "Thanks!", "—", "-",
        "ship it", "é", "\t", "  ", "<details>", "</details>", "&lt;",
    ]
)  # fmt: skip
_LINE_PREFIXES = st.sampled_from(
    ["", "# ", "## ", "### ", "- ", "* ", "+ ", "1. ", "2) ", "> ", "    ", "  - ", "- [ ] ",
     "- [x] ", "```", "~~~", "---", "===", "| ", "<!-- ", "> > ", "\t"]
)  # fmt: skip
_LINE = st.builds(
    lambda prefix, words: prefix + " ".join(words),
    _LINE_PREFIXES,
    st.lists(_WORDS | st.text(max_size=8), max_size=6),
)
MARKDOWNISH = st.lists(_LINE, max_size=25).map("\n".join)
ANY_TEXT = st.text() | MARKDOWNISH


@settings(max_examples=300)
@given(ANY_TEXT)
def test_parse_answer_never_raises(text: str) -> None:
    parsed = parse_answer(text)
    if parsed is not None:
        assert all(
            item.text.strip() for items in (parsed.highlights, parsed.fires) for item in items
        )
        checklist = objectives_checklist(parsed)
        assert all(item.checked is False and "\n" not in item.text for item in checklist)
        assert len(checked_items(render_checklist(checklist))) <= len(checklist)


@given(st.lists(ANY_TEXT, max_size=4))
def test_latest_answer_never_raises(texts: list[str]) -> None:
    latest_answer(texts)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_structure_helpers_never_raise(text: str) -> None:
    lines = classify_lines(text)
    assert [line.text for line in lines] == split_lines(text)
    assert set(plain_lines(text)) <= set(lines)
    top_level_blocks(text)
    checked_items(text)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_neutralize_mentions_is_idempotent_and_leaves_nothing_to_ping(text: str) -> None:
    once = neutralize_mentions(text)
    assert neutralize_mentions(once) == once
    assert find_mentions(once) == ()
    # Only zero-width spaces are added: the text reads the same.
    assert once.replace("\u200b", "") == text.replace("\u200b", "")


@settings(max_examples=300)
@given(ANY_TEXT)
def test_safe_inline_is_one_line_without_comment_markers_or_mentions(text: str) -> None:
    out = safe_inline(text)
    assert "\n" not in out
    assert "\r" not in out
    assert "<!--" not in out
    assert "-->" not in out
    assert "</details>" not in out
    assert "```" not in out.replace("\\`", "")
    assert find_mentions(out) == ()


@given(ANY_TEXT, st.integers(min_value=-5, max_value=300))
def test_shorten_respects_the_limit(text: str, limit: int) -> None:
    out = shorten(text, limit)
    assert len(out) <= max(limit, 0)
    assert "\n" not in out
