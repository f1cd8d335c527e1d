"""Which lines of a comment are commands to the bot, and a comment's text without them.

A command is a line of its own, never inside code, quotes or HTML comments: ``/skip`` on a
check-in (SPEC §3) and the decision commands (SPEC §4, ``signoff.commands``). Summaries report
a command's effect where it belongs (skipped, a stance, a concern, the decision), so the words of
a command are never a gist or a question (issue 12: ``/stakeholders add @bob @carol`` was
summarised as "add @bob @carol").
"""

from __future__ import annotations

import re

from ritual_bot.markdown import LineKind, classify_lines
from ritual_bot.rituals.signoff.commands import command_lines

# "/skip", "/skip: on holiday" on a line of its own (case-insensitive, any indentation).
SKIP_RE = re.compile(r"^\s*/skip(?![\w-])[\s:,-]*(?P<reason>.*)$", re.IGNORECASE)


def without_commands(body: str) -> str:
    """``body`` with what its commands take up blanked, line for line (SPEC §3, §4).

    Line numbers are kept, so the Markdown structure around a command stays as written; the
    words after ``/approve``, ``/abstain`` or ``/withdraw`` stay (``command_lines``), the reason
    of a ``/skip`` goes (the summary states it as the reason the week was skipped).
    """
    if "/" not in body:
        return body  # every command starts with "/": spare the parse
    lines = classify_lines(body)
    kept = command_lines(lines)
    skips = (line for line in lines if line.kind is LineKind.TEXT and SKIP_RE.match(line.text))
    kept |= {line.number: "" for line in skips}
    if not kept:
        return body
    return "\n".join(kept.get(line.number, line.text) for line in lines)
