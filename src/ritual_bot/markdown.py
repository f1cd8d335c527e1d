"""Markdown helpers shared by the parsers and the summaries.

Structure (which lines are headings, code, quotes, HTML comments) always comes from
markdown-it-py tokens, never from regexes over the raw text: a ``## Fires`` or a
``/approve`` inside a fenced code block or a quoted reply must not count. Regexes are only
used *within* a line once its structural role is known.

Everything here is pure: no I/O, and the parser is built lazily on first use.
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = [
    "QUOTE_INTRO_ENDINGS",
    "Block",
    "BlockKind",
    "Line",
    "LineKind",
    "ListItem",
    "classify_lines",
    "cut",
    "find_mentions",
    "list_items",
    "neutralize_mentions",
    "one_line",
    "plain_lines",
    "safe_inline",
    "shorten",
    "split_lines",
    "split_task",
    "task_items",
    "top_level_blocks",
    "without_comments",
]

# Renovate's sanitizeMarkdown puts U+200B ZERO WIDTH SPACE after "@" for the same purpose:
# GitHub's mention filter needs "@" directly followed by a login character, so the mention is
# neither linked nor notified, while the text still reads "@alice".
MENTION_BREAKER = "\u200b"

# GitHub's mention filter (html-pipeline's MentionFilter) accepts "@" at the start or after a
# non-word character. We are deliberately a little broader (underscores, enterprise-managed
# "_short" suffixes, any length): neutralising one harmless "@" too many is cheaper than a ping.
# A word character just before "@" (a@b.com) means an e-mail address, never a mention; a "/"
# means a URL path (https://medium.com/@bob), which GitHub links as a URL, not a mention.
_MENTION_RE = re.compile(r"(?<![A-Za-z0-9_/])@(?=[A-Za-z0-9])")
_MENTION_NAME_RE = re.compile(
    r"(?<![A-Za-z0-9_/])@([A-Za-z0-9][A-Za-z0-9_-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?)"
)
# A CommonMark code span: a backtick run closed by a run of the same length. Only applied to
# runs of lines markdown-it already classified as prose, so fences never reach it.
_CODE_SPAN_RE = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# markdown-it splits lines on exactly these (after normalising CRLF / CR).
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
_NEWLINE_KEEP_RE = re.compile(r"(\r\n|\r|\n)")
_LIST_MARKER_RE = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
_SPACES_RE = re.compile(r"\s+")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


class BlockKind(enum.Enum):
    """What a block-level chunk of a comment is."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST = "list"
    QUOTE = "quote"
    FENCE = "fence"
    CODE = "code"  # indented code block
    HTML = "html"
    COMMENT = "comment"  # an HTML block that is an HTML comment
    TABLE = "table"
    RULE = "rule"


class LineKind(enum.Enum):
    """The structural role of one source line."""

    TEXT = "text"
    BLANK = "blank"
    CODE = "code"
    QUOTE = "quote"
    COMMENT = "comment"


@dataclass(frozen=True)
class Block:
    """One block: its kind, source lines ``[start, end)`` and its tokens."""

    kind: BlockKind
    start: int
    end: int
    tokens: tuple[Token, ...]
    source: str

    @property
    def level(self) -> int:
        """Heading level (1-6), 0 for any other block."""
        if self.kind is not BlockKind.HEADING:
            return 0
        return int(self.tokens[0].tag[1:])

    @property
    def inline(self) -> str:
        """Inline source of a heading or paragraph (without HTML comments); '' otherwise."""
        if self.kind not in (BlockKind.HEADING, BlockKind.PARAGRAPH):
            return ""
        return _inline_without_comments(self.tokens[1])


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its marker-less, dedented source and its inner blocks."""

    text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Line:
    """A source line with its 0-based number and structural role."""

    number: int
    text: str
    kind: LineKind


@functools.cache
def _parser() -> MarkdownIt:
    # CommonMark (what GitHub implements) plus the GFM pieces markdown-it ships with.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def split_lines(text: str) -> list[str]:
    """Split like markdown-it does, so its line maps index into the result."""
    return _NEWLINE_RE.split(text.replace("\0", "\ufffd"))


# The same body is asked about several times in a row (its plain lines for a /skip, then its
# HPFO answer; its blocks, then its mentions): a parse costs far more than everything done with
# its tokens, so the last few are kept. Small on purpose: callers that revisit a whole thread
# keep what they derived themselves (``hpfo.thread``), and a body holds at most 65,536
# characters, so this holds a few megabytes at worst. The tokens are shared: read them, never
# change them.
@functools.lru_cache(maxsize=8)
def _tokens(text: str) -> tuple[Token, ...]:
    return tuple(_parser().parse(text.replace("\0", "\ufffd")))


def _inline_without_comments(inline: Token) -> str:
    content = inline.content
    for child in inline.children or ():
        if child.type == "html_inline" and child.content.startswith("<!--"):
            content = content.replace(child.content, "", 1)
    return content


_OPENERS: dict[str, BlockKind] = {
    "heading_open": BlockKind.HEADING,
    "paragraph_open": BlockKind.PARAGRAPH,
    "bullet_list_open": BlockKind.LIST,
    "ordered_list_open": BlockKind.LIST,
    "blockquote_open": BlockKind.QUOTE,
    "table_open": BlockKind.TABLE,
}
_LEAVES: dict[str, BlockKind] = {
    "fence": BlockKind.FENCE,
    "code_block": BlockKind.CODE,
    "hr": BlockKind.RULE,
}


def _split_blocks(
    tokens: Sequence[Token], lines: Sequence[str], offset: int = 0
) -> Iterator[Block]:
    """Group a token run (all at one nesting level) into blocks.

    ``lines[0]`` is line ``offset`` of the document (token maps are document-relative).
    """
    i = 0
    while i < len(tokens):
        token = tokens[i]
        j = i + 1
        if token.nesting == 1:
            depth = 1
            while depth and j < len(tokens):
                depth += tokens[j].nesting
                j += 1
        kind = _block_kind(token)
        if kind is not None and token.map is not None:
            start, end = token.map
            source = "\n".join(lines[start - offset : end - offset])
            yield Block(kind, start, end, tuple(tokens[i:j]), source)
        i = j


def _block_kind(token: Token) -> BlockKind | None:
    if token.type == "html_block":
        is_comment = token.content.lstrip().startswith("<!--")
        return BlockKind.COMMENT if is_comment else BlockKind.HTML
    return _OPENERS.get(token.type) or _LEAVES.get(token.type)


def top_level_blocks(text: str) -> tuple[Block, ...]:
    """The top-level blocks of ``text``, in order (blank lines belong to none)."""
    return tuple(_split_blocks(_tokens(text), split_lines(text)))


def list_items(block: Block) -> tuple[ListItem, ...]:
    """The items of a LIST block; nested lists stay inside their item's text."""
    # Token line maps are document-relative: shift them by the block's first line. (Padding the
    # lines to the block's start instead cost a list as long as the text per list: quadratic.)
    lines = block.source.split("\n")
    offset = block.start
    items: list[ListItem] = []
    inner = block.tokens[1:-1]
    for item_block in _split_items(inner):
        start, end = item_block[0].map or (offset, offset)
        children = tuple(_split_blocks(item_block[1:-1], lines, offset))
        items.append(ListItem(_item_text(lines[start - offset : end - offset]), children))
    return tuple(items)


def _split_items(tokens: Sequence[Token]) -> Iterator[Sequence[Token]]:
    i = 0
    while i < len(tokens):
        j = i + 1
        depth = 1
        while depth and j < len(tokens):
            depth += tokens[j].nesting
            j += 1
        if tokens[i].type == "list_item_open":
            yield tokens[i:j]
        i = j


def _item_text(lines: Sequence[str]) -> str:
    """Drop the list marker and the item's indentation, keep nested Markdown as written."""
    if not lines:
        return ""
    first = lines[0].expandtabs(4)
    match = _LIST_MARKER_RE.match(first)
    width = len(match.group(0)) if match else 0
    out = [first[width:]]
    for line in lines[1:]:
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        out.append(expanded[min(indent, width) :])
    return "\n".join(out).strip()


def classify_lines(text: str) -> tuple[Line, ...]:
    """Every source line with its role, at any nesting depth (code in a list item is CODE)."""
    kinds, _ = _analyse(text)
    return tuple(
        Line(n, line, kind)
        for n, (line, kind) in enumerate(zip(split_lines(text), kinds, strict=True))
    )


def _analyse(text: str) -> tuple[list[LineKind], Sequence[Token]]:
    kinds = [LineKind.TEXT if line.strip() else LineKind.BLANK for line in split_lines(text)]
    tokens = _tokens(text)
    # Quotes first, so code or comments inside a quote keep their more specific role.
    for token in tokens:
        if token.type == "blockquote_open" and token.map:
            _mark(kinds, token.map, LineKind.QUOTE)
    for token in tokens:
        kind = _LINE_KINDS.get(token.type)
        if token.type == "html_block":
            kind = _html_block_kind(token.content)
        if kind is not None and token.map:
            _mark(kinds, token.map, kind)
        elif token.type == "inline" and token.map:
            _mark_inline_comments(kinds, token)
    return kinds, tokens


_LINE_KINDS: dict[str, LineKind] = {
    "fence": LineKind.CODE,
    "code_block": LineKind.CODE,
    "html_block": LineKind.COMMENT,
}
# HTML blocks whose text GitHub shows as code or not at all: CommonMark's type-1 blocks
# (``<pre>``, ``<script>``, ``<style>``, ``<textarea>``, https://spec.commonmark.org/0.31.2/#html-blocks)
# and a block opened by ``<code>``. GitHub's sanitizer drops script and style; a ``/decide`` or an
# ``@login`` inside any of them is not prose.
_CODE_HTML = re.compile(r"^\s*<(?:pre|code|script|style|textarea)(?:[\s>]|$)", re.IGNORECASE)


def _html_block_kind(content: str) -> LineKind | None:
    if content.lstrip().startswith("<!--"):
        return LineKind.COMMENT
    return LineKind.CODE if _CODE_HTML.match(content) else None


def _mark(kinds: list[LineKind], span: Sequence[int], kind: LineKind) -> None:
    for n in range(span[0], min(span[1], len(kinds))):
        if kinds[n] is not LineKind.BLANK or kind is LineKind.CODE:
            kinds[n] = kind


def _mark_inline_comments(kinds: list[LineKind], inline: Token) -> None:
    """Lines strictly inside a multi-line ``<!-- … -->`` that starts mid-paragraph."""
    assert inline.map is not None
    line = inline.map[0]
    for child in inline.children or ():
        breaks = child.content.count("\n")
        if child.type in ("softbreak", "hardbreak"):
            breaks = 1
        if child.type == "html_inline" and child.content.startswith("<!--"):
            _mark(kinds, (line + 1, line + breaks), LineKind.COMMENT)
        line += breaks


_TASK_RE = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")


def split_task(text: str) -> tuple[str, bool | None]:
    """``"[x] done"`` → ``("done", True)``; text without a GFM task box → ``(text, None)``."""
    match = _TASK_RE.match(text)
    if match is None:
        return text, None
    return text[match.end() :], match.group(1) != " "


def task_items(text: str) -> tuple[tuple[str, bool], ...]:
    """Every GFM task-list item ``(first line of its text, checked)``, nested ones included.

    Items inside block quotes are left out: quoting someone's checklist is not ticking it.
    """
    found: list[tuple[str, bool]] = []
    tokens = _tokens(text)
    quoted = 0
    for index, token in enumerate(tokens):
        if token.type in ("blockquote_open", "blockquote_close"):
            quoted += token.nesting
        is_item = token.type == "list_item_open" and not quoted and index + 2 < len(tokens)
        if is_item and tokens[index + 1].type == "paragraph_open":
            body, checked = split_task(tokens[index + 2].content)
            if checked is not None:
                found.append((one_line(body.split("\n", 1)[0]), checked))
    return tuple(found)


def plain_lines(text: str) -> tuple[Line, ...]:
    """The lines where a command or a label may appear: not code, quote, comment or blank."""
    return tuple(line for line in classify_lines(text) if line.kind is LineKind.TEXT)


# --- mentions -------------------------------------------------------------------------------


def _prose_runs(text: str) -> Iterator[tuple[bool, str]]:
    """Yield ``(is_prose, chunk)`` pieces that concatenate back to ``text`` exactly.

    Prose is text outside code blocks, HTML comments and inline code spans, i.e. where GitHub
    would turn ``@login`` into a mention.
    """
    parts = _NEWLINE_KEEP_RE.split(text)
    kinds, tokens = _analyse(text)
    code = _CodeSpans(tokens)
    run: list[str] = []
    run_start = 0
    for number, index in enumerate(range(0, len(parts), 2)):
        line, newline = parts[index], parts[index + 1] if index + 1 < len(parts) else ""
        if kinds[number] in (LineKind.TEXT, LineKind.QUOTE):
            run.append(line + newline)
            continue
        yield from _split_code_spans("".join(run), code.between(run_start, number))
        run, run_start = [], number + 1
        yield False, line + newline
    yield from _split_code_spans("".join(run), code.between(run_start, len(kinds)))


class _CodeSpans:
    """What markdown-it itself parsed as code spans, by the first line of their inline token.

    Indexed once per text: scanning every token for each run of prose was quadratic in a body
    that alternates prose and code.
    """

    def __init__(self, tokens: Sequence[Token]) -> None:
        found = sorted(
            (token.map[0], index)
            for index, token in enumerate(tokens)
            if token.type == "inline" and token.map
        )
        self._starts = [start for start, _ in found]
        self._tokens = [tokens[index] for _, index in found]

    def between(self, start: int, end: int) -> Counter[str]:
        """Code spans of the inline tokens starting in lines ``[start, end)``."""
        spans: Counter[str] = Counter()
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        for token in self._tokens[first:last]:
            children = token.children or ()
            spans.update(child.content for child in children if child.type == "code_inline")
        return spans


def _split_code_spans(chunk: str, spans: Counter[str]) -> Iterator[tuple[bool, str]]:
    position = 0
    for match in _CODE_SPAN_RE.finditer(chunk):
        content = _code_content(match.group(2))
        # Only trust the regex where markdown-it agrees: a wrong "code" guess could let a
        # mention through, a wrong "prose" guess merely neutralises one "@" too many.
        if spans[content] <= 0:
            continue
        spans[content] -= 1
        yield True, chunk[position : match.start()]
        yield False, match.group(0)
        position = match.end()
    yield True, chunk[position:]


def _code_content(raw: str) -> str:
    # CommonMark: line endings become spaces, then one surrounding space is stripped.
    content = _NEWLINE_RE.sub(" ", raw)
    if len(content) > 1 and content[0] == " " and content[-1] == " " and content.strip():
        return content[1:-1]
    return content


_HTML_COMMENT_RE = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


def without_comments(text: str) -> str:
    """``text`` without its HTML comments: what GitHub hides stays hidden when quoted elsewhere.

    Comment blocks go whole; comments inside prose lines go too (an unclosed one to the end of
    its run of prose, as GitHub hides it). Code keeps its text: ``<!--`` there is literal.
    """
    kept: list[str] = []
    parts = _NEWLINE_KEEP_RE.split(text)
    prose: list[str] = []
    for number, (line, kind) in enumerate(zip(parts[::2], _analyse(text)[0], strict=True)):
        newline = parts[2 * number + 1] if 2 * number + 1 < len(parts) else ""
        if kind in (LineKind.TEXT, LineKind.QUOTE, LineKind.BLANK):
            prose.append(line + newline)
            continue
        kept.append(_HTML_COMMENT_RE.sub("", "".join(prose)))
        prose = []
        if kind is LineKind.CODE:
            kept.append(line + newline)
    kept.append(_HTML_COMMENT_RE.sub("", "".join(prose)))
    return "".join(kept)


def neutralize_mentions(text: str) -> str:
    """Make ``@login`` / ``@org/team`` not ping, leaving code, comments and e-mails alone."""
    if "@" not in text:
        return text  # nothing to neutralise: every template value passes here, spare the parse
    return "".join(
        _MENTION_RE.sub("@" + MENTION_BREAKER, chunk) if prose else chunk
        for prose, chunk in _prose_runs(text)
    )


def find_mentions(text: str) -> tuple[str, ...]:
    """Logins and ``org/team`` names GitHub would notify, in order of appearance."""
    if "@" not in text:
        return ()
    found: list[str] = []
    for prose, chunk in _prose_runs(text):
        if prose:
            found.extend(match.group(1) for match in _MENTION_NAME_RE.finditer(chunk))
    return tuple(found)


# --- prose for summaries --------------------------------------------------------------------


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines included) to single spaces."""
    return _SPACES_RE.sub(" ", _CONTROL_RE.sub(" ", text)).strip()


def _prose(blocks: Sequence[Block]) -> list[str]:
    parts: list[str] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        parts.extend(_block_prose(block, following))
    return parts


# How a line that only introduces the quoted reply after it ends ("On Monday, Bob wrote:").
QUOTE_INTRO_ENDINGS = ("wrote:", "a écrit :", "a écrit:")


def _block_prose(block: Block, following: Block | None) -> list[str]:
    if block.kind in (BlockKind.FENCE, BlockKind.CODE):
        return ["[code]"]
    if block.kind is BlockKind.TABLE:
        return ["[table]"]
    if block.kind is BlockKind.LIST:
        items = ["; ".join(_prose(item.blocks)) for item in list_items(block)]
        return ["; ".join(item for item in items if item)]
    if block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH):
        quoting = following is not None and following.kind is BlockKind.QUOTE
        if quoting and block.inline.rstrip().endswith(QUOTE_INTRO_ENDINGS):
            return []
        return [block.inline]
    # Quoted replies, HTML, comments and rules say nothing of the author's own.
    return []


def shorten(text: str, limit: int) -> str:
    """One line of the author's own prose, at most ``limit`` characters, cut on a word.

    Code blocks become ``[code]``, quoted replies and HTML comments are dropped. The result
    still contains the author's inline Markdown; pass it through :func:`safe_inline` before
    embedding it in a bot body.
    """
    return cut(one_line(" ".join(_prose(top_level_blocks(text)))), limit)


def cut(prose: str, limit: int) -> str:
    """One line of prose at most ``limit`` characters, cut on a word (no Markdown parse)."""
    if len(prose) <= limit:
        return prose
    if limit <= 1:
        return "…"[: max(limit, 0)]
    kept = prose[: limit - 1]
    if not prose[limit - 1].isspace() and " " in kept.strip():
        kept = kept[: kept.rstrip().rfind(" ")]
    return kept.rstrip(" ,;:") + "…"


# --- embedding untrusted text in bot bodies -------------------------------------------------

_PIPE_RE = re.compile(r"\\*\|")
_FENCE_RUN_RE = re.compile(r"`{3,}|~{3,}")
# Things that would change the meaning of a list item or table cell if they came first.
_LEADING_RE = re.compile(r"^(#{1,6}|[-+*]|\[[ xX]\]|\d{1,9}[.)])(?=\s|$)")


def safe_inline(text: str) -> str:
    """Untrusted text made safe for one list item or table cell of a bot-written body.

    - one line: newlines and control characters become spaces;
    - no HTML at all: ``<`` and ``>`` become entities, so nobody can open or close a hidden
      ``<!-- ritual-bot … -->`` marker, close a ``<details>`` or inject tags (it renders the same);
    - ``|`` escaped for tables, code fences and leading block markers defused;
    - mentions neutralised: quoting someone must not ping them again.
    """
    flat = one_line(text)
    flat = flat.replace("<", "&lt;").replace(">", "&gt;")
    flat = _PIPE_RE.sub(r"\\|", flat)
    flat = _FENCE_RUN_RE.sub(lambda match: "".join("\\" + c for c in match.group(0)), flat)
    flat = _LEADING_RE.sub(_escape_leading, flat)
    # Last, on the final line: flattening can turn a fenced block into prose that pings.
    flat = neutralize_mentions(flat)
    # A trailing backslash would escape whatever the template puts next (a cell's "|").
    return flat.rstrip("\\").rstrip()


def _escape_leading(match: re.Match[str]) -> str:
    marker = match.group(0)
    if marker[0].isdigit():  # "1." would start an ordered list: escape the dot instead
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
