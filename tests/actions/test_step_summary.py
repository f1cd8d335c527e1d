"""Step summary Markdown: checked by rendering it, since what matters is what users see."""

from __future__ import annotations

import io
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ritual_bot.actions_runtime import (
    SUMMARY_LIMIT_BYTES,
    ActionsRuntime,
    Change,
    Markdown,
    Skip,
    StepSummary,
    escape_text,
    link,
    run_summary,
)

# GitHub renders summaries as GFM; commonmark plus tables is the part we produce.
_MD = MarkdownIt("commonmark").enable("table")


def _cells(markdown: str) -> list[list[str]]:
    """Each table row's cells as rendered text (inline children joined, `<br>` as a newline)."""
    rows: list[list[str]] = []
    tokens = _MD.parse(markdown)
    for token, following in pairwise(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            rows[-1].append(_text(following.children or []))
    return rows


def _text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type == "html_inline" and child.content == "<br>":
            parts.append("\n")
        else:
            parts.append(child.content)
    return "".join(parts)


def _plain(markdown: str) -> str:
    """The text a reader sees in a one-paragraph rendering."""
    inline = next(t for t in _MD.parse(markdown) if t.type == "inline")
    return _text(inline.children or [])


def test_table_cells_keep_pipes_backslashes_and_line_breaks() -> None:
    nasty = "a|b\\|c\nd\r\ne"
    markdown = StepSummary().table(["what", "why"], [[nasty, "ok"]]).render()
    assert _cells(markdown) == [["what", "why"], ["a|b\\|c\nd\ne", "ok"]]


def test_table_cells_take_links() -> None:
    markdown = StepSummary().table(["issue"], [[link("HPFO | week 3", "https://x/1")]]).render()
    (link_open,) = [
        child
        for token in _MD.parse(markdown)
        for child in token.children or []
        if child.type == "link_open"
    ]
    assert link_open.attrs["href"] == "https://x/1"
    assert _cells(markdown)[1] == ["HPFO | week 3"]


def test_markdown_cells_get_their_raw_pipes_escaped() -> None:
    markdown = StepSummary().table(["a"], [[Markdown("x|y")], [Markdown("x\\|y")]]).render()
    assert _cells(markdown)[1:] == [["x|y"], ["x|y"]]


def test_rows_must_match_the_header() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        StepSummary().table(["one"], [["a", "b"]])


@given(st.text(st.characters(blacklist_categories=["Cs", "Cc", "Zs", "Zl", "Zp"]), min_size=1))
def test_escaped_text_renders_as_itself(text: str) -> None:
    # Whitespace and control characters are left out: Markdown collapses or trims them anyway.
    assert _plain(escape_text(text)) == text


def test_escaped_text_cannot_open_html_or_links() -> None:
    html = _MD.render(escape_text("<script>x</script> [a](javascript:1) **b**"))
    assert "<script>" not in html and "<a " not in html and "<strong>" not in html


def test_link_percent_encodes_characters_that_would_end_the_url() -> None:
    assert link("t", "https://x/a b(c)") == "[t](https://x/a%20b%28c%29)"


def test_headings_bullets_and_paragraphs() -> None:
    markdown = (
        StepSummary()
        .heading("Run")
        .paragraph("Some *text*")
        .bullets(["one", Markdown("**two**")])
        .render()
    )
    assert markdown == "## Run\n\nSome \\*text\\*\n\n- one\n- **two**\n"
    assert StepSummary().bullets([]).render() == ""


def test_run_summary_lists_changes_skips_and_the_request_budget() -> None:
    markdown = run_summary(
        [Change("opened", "HPFO week 3", "https://github.com/o/r/issues/3")],
        [Skip("decision #4", "no DRI yet")],
        requests=4,
        rate_remaining=4990,
    )
    assert _cells(markdown) == [["action", "issue"], ["opened", "HPFO week 3"]]
    assert "](https://github.com/o/r/issues/3)" in markdown
    assert "- decision \\#4: no DRI yet" in markdown
    assert markdown.rstrip().endswith("4 API requests; rate limit remaining: 4990.")


def test_run_summary_when_nothing_happened_in_a_dry_run() -> None:
    markdown = run_summary([], [], requests=1, rate_remaining=None, dry_run=True)
    assert "dry run" in markdown and "Nothing to do." in markdown and "unknown" in markdown


# -- writing it -----------------------------------------------------------------------------------


def _runtime(summary_file: Path) -> ActionsRuntime:
    return ActionsRuntime(io.StringIO(), in_actions=True, summary_path=summary_file)


def test_append_summary_appends(tmp_path: Path) -> None:
    summary_file = tmp_path / "summary"
    runtime = _runtime(summary_file)
    runtime.append_summary("# one")
    runtime.append_summary("two\n")
    assert summary_file.read_text(encoding="utf-8") == "# one\ntwo\n"


def test_summary_stays_under_githubs_limit(tmp_path: Path) -> None:
    summary_file = tmp_path / "summary"
    runtime = _runtime(summary_file)
    runtime.append_summary("é" * SUMMARY_LIMIT_BYTES)
    runtime.append_summary("more")
    text = summary_file.read_text(encoding="utf-8")
    assert summary_file.stat().st_size <= SUMMARY_LIMIT_BYTES
    assert text.rstrip().endswith("GitHub shows at most 1 MiB per step)_")
