"""Markdown to HTML as github.com shows issue text: GitHub-flavoured Markdown, made safe.

GitHub's rules (https://github.github.com/gfm/ and
https://docs.github.com/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax):
tables, task lists and strikethrough; raw HTML is filtered to an allow-list (``<details>`` and
``<summary>`` stay, ``<script>`` and event attributes never do); HTML comments are not shown;
``@login`` links to the person; ``:shortcode:`` becomes its emoji; fenced ``mermaid`` blocks become
diagrams (https://docs.github.com/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams).

Issue and comment text is hostile input. Every piece of it leaves here escaped, or rebuilt from an
allow-listed tag name with no attribute: nothing a person writes can reach the page as markup the
browser would run.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from html import escape
from importlib import resources
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.tasklists import tasklists_plugin

# Tags kept from raw HTML, rebuilt bare (GitHub's sanitiser keeps these and more, with a few
# attributes; a bare tag is enough for how issue text uses them). ``open`` on <details> is kept.
_KEPT = frozenset(
    (
        *("details", "summary", "br", "b", "i", "em", "strong", "sub", "sup", "kbd", "code"),
        *("s", "del", "ins", "p", "ul", "ol", "li", "hr", "blockquote", "pre"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"),
    )
)
_CHECKBOXES = frozenset(
    f'<input class="task-list-item-checkbox"{checked} disabled="disabled" type="checkbox">'
    for checked in ("", ' checked="checked"')
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>|<!--.*?(?:-->|$)", re.S)
# A mention is @ then a GitHub login (alphanumerics and single hyphens), not inside a word or an
# email address. Bot text breaks mentions with a zero-width character, which this does not match.
# GitHub's shortcodes (its gemoji list, vendored by scripts/extract_gemoji.py); others stay text.
_GEMOJI: dict[str, str] = json.loads(
    (resources.files("ritual_bot.sandbox") / "static" / "gemoji.json").read_text(encoding="utf-8")
)
_SHORTCODE = re.compile(r":([a-z0-9_+-]+):")
_MENTION = re.compile(r"(?<![\w@/`])@([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})(?![\w-])")


def _sanitise(html: str) -> str:
    """Raw HTML from a post: allow-listed tags rebuilt bare, comments dropped, the rest escaped."""
    out: list[str] = []
    last = 0
    for found in _TAG.finditer(html):
        out.append(escape(html[last : found.start()]))
        last = found.end()
        if found.group(0).startswith("<!--"):
            continue
        closing, name, attributes = found.group(1), found.group(2).lower(), found.group(3)
        if name not in _KEPT:
            out.append(escape(found.group(0)))
        elif name == "details" and not closing and re.search(r"\bopen\b", attributes):
            out.append("<details open>")
        else:
            out.append(f"<{closing}{name}>")
    out.append(escape(html[last:]))
    return "".join(out)


def _emoji(found: re.Match[str]) -> str:
    return _GEMOJI.get(found[1], found[0])


def _text(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    shown = _SHORTCODE.sub(_emoji, escape(tokens[idx].content, quote=False))
    return _MENTION.sub(
        lambda m: f'<a class="user-mention" href="/{m[1]}">@{m[1]}</a>',
        shown,
    )


def _html(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    content = tokens[idx].content
    # The task-list plugin's own checkbox (or the same inert tag typed by hand) passes as is.
    return content if content in _CHECKBOXES else _sanitise(content)


def _fence(md: MarkdownIt) -> Any:
    default = md.renderer.rules["fence"]  # type: ignore[attr-defined]

    def fence(
        self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        if token.info.strip().split(" ")[0].lower() == "mermaid":
            # Mermaid reads the text content: escaped here, the browser hands it back unescaped.
            return f'<pre class="mermaid">{escape(token.content)}</pre>\n'
        return str(default(tokens, idx, options, env))

    return fence


def _parser(breaks: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "breaks": breaks})
    md.enable(["table", "strikethrough"])
    md.use(tasklists_plugin)
    md.add_render_rule("text", _text)
    md.add_render_rule("html_block", _html)
    md.add_render_rule("html_inline", _html)
    md.add_render_rule("fence", _fence(md))
    return md


# Issue and comment text keeps its line breaks on github.com (a newline is a <br>); Markdown in
# a file, such as an issue form's text, does not.
_PARSERS = {True: _parser(breaks=True), False: _parser(breaks=False)}


def render(markdown: str | None, *, breaks: bool = True) -> str:
    """HTML for a body or a comment (``breaks=False``: for a file's text), safe to put in the
    page as is.

    GitHub renders a post once, when it is written, and serves the stored HTML (the API's
    ``body_html``): pages here keep the HTML of recent texts too, so a long thread is parsed once.
    """
    text = markdown or ""
    return _cached(text, breaks) if len(text) <= _CACHED_UP_TO else _render(text, breaks)


# Texts up to this size are kept (most comments); 2,048 of them bound the memory to a few MB.
_CACHED_UP_TO = 16_384


@functools.lru_cache(maxsize=2048)
def _cached(text: str, breaks: bool) -> str:
    return _render(text, breaks)


def _render(text: str, breaks: bool) -> str:
    return str(_PARSERS[breaks].render(text))
