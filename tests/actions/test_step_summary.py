"""Step summary Markdown: checked by rendering it, since what matters is what users see."""

from __future__ import annotations

import io
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import assume, given
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
from ritual_bot.cli import annotate_config_error, annotate_template_error
from ritual_bot.errors import ConfigError, ConfigProblem, TemplateError

# GitHub renders summaries as GFM (cmark-gfm): CommonMark plus tables, strikethrough, task lists and
# autolinks, raw HTML allowed. markdown-it-py's gfm-like preset is that, less linkify: it needs
# linkify-it-py, and a linkified URL shows its own text anyway.
_MD = MarkdownIt("gfm-like", {"linkify": False})


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


# -- untrusted text renders as itself, wherever the summary puts it ------------------------------

_LINK_URL = "https://github.com/o/r/issues/1"


def _squash(text: str) -> str:
    """What a reader sees of ``text``: HTML collapses whitespace runs, Markdown trims the ends."""
    return " ".join(text.split())


def _rendered(markdown: str, blocks: list[str], inline: set[str]) -> str:
    """The text of ``markdown``, asserting it renders as exactly ``blocks`` around one run of
    inline content made only of ``inline`` tokens: no list, rule, heading, quote, code, HTML
    block, table or reference definition appeared, and no emphasis, code span, link or HTML."""
    tokens = _MD.parse(markdown)
    assert [t.type for t in tokens] == blocks, markdown
    (content,) = [t for t in tokens if t.type == "inline"]
    children = content.children or []
    assert {child.type for child in children} <= inline, (markdown, children)
    return _text(children)


_PARAGRAPH = ["paragraph_open", "inline", "paragraph_close"]
_TEXT = {"text", "softbreak"}


def _as_paragraph(text: str) -> str:
    return _rendered(StepSummary().paragraph(text).render(), _PARAGRAPH, _TEXT)


def _as_heading(text: str) -> str:
    blocks = ["heading_open", "inline", "heading_close"]
    return _rendered(StepSummary().heading(text).render(), blocks, _TEXT)


_BULLET = [
    "bullet_list_open",
    "list_item_open",
    *_PARAGRAPH,
    "list_item_close",
    "bullet_list_close",
]


def _as_bullet(text: str) -> str:
    return _rendered(StepSummary().bullets([text]).render(), _BULLET, _TEXT)


def _as_link(text: str) -> str:
    markdown = StepSummary().paragraph(link(text, _LINK_URL)).render()
    shown = _rendered(markdown, _PARAGRAPH, _TEXT | {"link_open", "link_close"})
    links = [c for t in _MD.parse(markdown) for c in t.children or [] if c.type == "link_open"]
    assert [a.attrs["href"] for a in links] == [_LINK_URL]
    return shown


def _as_cell(text: str) -> str:
    markdown = StepSummary().table(["what"], [[text]]).render()
    assert markdown.count("\n") == 3  # the header, the delimiter and one row, each on its line
    tokens = _MD.parse(markdown)
    assert tokens[0].type == "table_open" and tokens[-1].type == "table_close", markdown
    header, *rows = _cells(markdown)
    assert header == ["what"] and len(rows) == 1 and len(rows[0]) == 1, markdown
    (cell,) = [t for t in tokens if t.type == "inline"][1:]
    for child in cell.children or []:
        assert child.type in _TEXT or (child.type, child.content) == ("html_inline", "<br>")
    return rows[0][0]


PLACES = {
    "paragraph": _as_paragraph,
    "heading": _as_heading,
    "bullet": _as_bullet,
    "link": _as_link,
    "cell": _as_cell,
}

# One case per CommonMark/GFM block construct (and GitHub's extras) that text could open if it
# were pasted into the summary as it is; each must come out as the same text in every place.
BLOCK_STARTS = {
    "lone dash (found by hypothesis, issue 10)": "-",
    "dash bullet": "- item",
    "plus bullet": "+ item",
    "star bullet": "* item",
    "empty plus item": "+",
    "ordered item, dot": "1. item",
    "ordered item, paren": "1) item",
    "ordered item, nine digits": "123456789. item",
    "empty ordered item": "7.",
    "task list item": "- [ ] task",
    "dash rule": "---",
    "spaced dash rule": "- - -",
    "star rule": "***",
    "underscore rule": "___",
    "setext h1 underline": "===",
    "setext h1": "Title\n===",
    "setext h2": "Title\n---",
    "atx heading": "# heading",
    "atx heading h6": "###### heading",
    "block quote": "> quote",
    "github alert": "> [!WARNING]\n> quote",
    "backtick fence": "```python\nprint(1)\n```",
    "tilde fence": "~~~\ncode",
    "indented code, spaces": "    code",
    "indented code, tab": "\tcode",
    "indented code after a line": "text\n\n    code",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "html block, div": "<div>x</div>",
    "html block, script": "<script>alert(1)</script>",
    "html block, comment": "<!-- hidden -->",
    "html block, custom tag": "<details>",
    "link reference definition": "[x]: https://example.com",
    "footnote definition": "[^1]: note",
    "math block": "$$\nx^2\n$$",
    "list after a line": "text\n- item",
    "heading after a line": "text\n# heading",
    "crlf line endings": "text\r\n1. item\r---",
    "hard line break": "text\\\nmore  \nend",
    "trailing backslash": "text\\",
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", BLOCK_STARTS.values(), ids=BLOCK_STARTS)
def test_text_that_would_open_a_block_renders_as_itself(place: str, text: str) -> None:
    assert _squash(PLACES[place](text)) == _squash(text)


def test_a_lone_dash_stays_a_dash() -> None:
    # Issue 10: "-" rendered as an empty bullet list, so the summary lost the text.
    assert escape_text("-") == "\\-"
    assert _as_paragraph("-") == "-"


def test_escaping_keeps_plain_text_readable() -> None:
    # Only a block's first character needs the block-start escapes; a dash inside stays bare.
    assert escape_text("HPFO 2026-W48 - @alice") == "HPFO 2026-W48 - @alice"
    assert escape_text("  2. part\nnext") == "2\\. part next"


# Surrogates cannot be written to the summary file (they become "?"), and Markdown turns NUL into
# U+FFFD; everything else, whitespace, line breaks and control characters included, is fair game.
_ANY_TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\0"))


@given(_ANY_TEXT, st.sampled_from(sorted(PLACES)))
def test_escaped_text_renders_as_itself(text: str, place: str) -> None:
    assume(_squash(text))
    assert _squash(PLACES[place](text)) == _squash(text)


def test_escaped_text_cannot_open_html_or_links() -> None:
    html = _MD.render(escape_text("<script>x</script> [a](javascript:1) **b**"))
    assert "<script>" not in html and "<a " not in html and "<strong>" not in html


def test_link_percent_encodes_characters_that_would_end_the_url() -> None:
    assert link("t", "https://x/a b(c)") == "[t](https://x/a%20b%28c%29)"
    assert link("t", "https://x/a\n# b<c>\\d") == "[t](https://x/a%0A#%20b%3Cc%3E%5Cd)"


@given(st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\0")))
def test_a_link_stays_one_link_whatever_its_url(url: str) -> None:
    markdown = StepSummary().paragraph(link("t", url)).render()
    assert _rendered(markdown, _PARAGRAPH, _TEXT | {"link_open", "link_close"}) == "t"


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


# -- error summaries ------------------------------------------------------------------------------


def test_config_problems_are_escaped_in_the_summary(tmp_path: Path) -> None:
    summary_file = tmp_path / "summary"
    hostile = "unknown key '<!-- x'\n# not a heading\n    `code`"
    problem = ConfigProblem(".github/rituals.yml", 3, 1, hostile)
    annotate_config_error(ConfigError([problem]), _runtime(summary_file))
    markdown = summary_file.read_text(encoding="utf-8")
    assert markdown.startswith("## ritual-bot: invalid config, nothing written\n")
    (bullet,) = markdown.split("\n\n")[1:]
    assert _squash(_rendered(bullet, _BULLET, _TEXT)) == _squash(
        f".github/rituals.yml:3:1: {hostile}"
    )


def test_template_errors_are_escaped_in_the_summary(tmp_path: Path) -> None:
    summary_file = tmp_path / "summary"
    hostile = "template x.md.j2: line 2: unexpected '}'\n- {{ <b>login</b> }}\n---"
    annotate_template_error(TemplateError(hostile, path="x.md.j2", line=2), _runtime(summary_file))
    markdown = summary_file.read_text(encoding="utf-8")
    assert markdown.startswith("## ritual-bot: template error, nothing written\n")
    (paragraph,) = markdown.split("\n\n")[1:]
    assert _squash(_rendered(paragraph, _PARAGRAPH, _TEXT)) == _squash(hostile)
