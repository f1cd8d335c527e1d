"""GitHub's body limit, and the one guard every body the bot writes goes through (issue 10).

GitHub refuses an issue or comment body over 65,536 characters with a 422 "body is too long
(maximum is 65536 characters)" (the answer is quoted in
https://github.com/PyGithub/PyGithub/issues/1906 and
https://github.com/trstringer/manual-approval/issues/89). A refused write would fail again on
every run, so no op may carry such a body: renderers shorten or split what they write, and
``guard`` is the last line for anything that still does not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ritual_bot.markers import find_markers
from ritual_bot.model import Snapshot
from ritual_bot.ops import AddComment, CreateIssue, Op, UpdateComment, UpdateIssue

BODY_LIMIT = 65_536
SHORTENED = "\n\n… (shortened to fit GitHub's 65,536-character limit)\n"


def fits(body: str | None) -> bool:
    return body is None or len(body) <= BODY_LIMIT


def shorten_body(body: str) -> str:
    """A bot-written body cut on a line to fit, its hidden markers (dedup keys) kept at the end."""
    if fits(body):
        return body
    every = list(dict.fromkeys(find_markers(body)))
    room = BODY_LIMIT - len(SHORTENED) - sum(len(m.render()) + 1 for m in every)
    head = body[: max(room, 0)]
    head = head[: head.rfind("\n")] if "\n" in head else head
    kept = set(find_markers(head))
    tail = "".join(f"{m.render()}\n" for m in every if m not in kept)
    return f"{head.rstrip()}{SHORTENED}{tail}"


def guard(op: Op, snapshot: Snapshot) -> Op:
    """``op`` with a body GitHub accepts: never an oversize body, never a person's text cut.

    A body the bot writes whole (new issues, comments, its own issues' bodies) is shortened;
    for an issue someone else wrote, the body change is dropped instead (other fields still go),
    since only the bot's part may change and the author's text must stay whole.
    """
    if isinstance(op, CreateIssue | AddComment | UpdateComment) and not fits(op.body):
        return replace(op, body=shorten_body(op.body))
    if isinstance(op, UpdateIssue) and op.body is not None and not fits(op.body):
        issue = snapshot.issue(op.number)
        if issue is not None and snapshot.is_bot_author(issue.author):
            return replace(op, body=shorten_body(op.body))
        return replace(op, body=None)
    return op


def split_markdown(text: str, room: int) -> list[str]:
    """``text`` in parts of at most ``room`` characters, cut only between top-level blocks.

    Blocks are separated by blank lines outside code fences and ``<details>``; a table too long
    for one part is cut between rows, its header repeated; anything else too long is cut between
    lines. Nothing is dropped: the parts joined with blank lines read as the text did.
    """
    return pack_sections(_blocks(text), room)


def pack_sections(sections: Sequence[str], room: int) -> list[str]:
    """Whole sections (one owner's part of a tracker, one block of a digest) packed in order into
    parts of at most ``room`` characters, joined by blank lines; a section too long for one part
    is split like ``split_markdown`` splits a text."""
    parts: list[str] = []
    current = ""
    for section in sections:
        pieces = [section] if len(section) <= room else _split_blocks(section, room)
        for piece in pieces:
            if current and len(current) + 2 + len(piece) > room:
                parts.append(current)
                current = ""
            current = f"{current}\n\n{piece}" if current else piece
    return [*parts, current] if current else parts


def _split_blocks(text: str, room: int) -> list[str]:
    return [piece for block in _blocks(text) for piece in _pieces(block, room)]


def _blocks(text: str) -> list[str]:
    blocks: list[list[str]] = [[]]
    fence = False
    depth = 0
    for line in text.strip().split("\n"):
        if line.lstrip().startswith("```"):
            fence = not fence
        if not fence:
            depth += line.count("<details") - line.count("</details>")
        if not line.strip() and not fence and depth <= 0:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
    return ["\n".join(b) for b in blocks if b]


def _pieces(block: str, room: int) -> list[str]:
    if len(block) <= room:
        return [block]
    lines = block.split("\n")
    table = len(lines) > 2 and lines[0].startswith("|") and lines[1].startswith("|-")
    head = lines[:2] if table else []
    pieces: list[str] = []
    current = list(head)
    for line in lines[len(head) :]:
        line = line[: room - sum(len(h) + 1 for h in head) - 1]
        if len(current) > len(head) and len("\n".join([*current, line])) > room:
            pieces.append("\n".join(current))
            current = list(head)
        current.append(line)
    return [*pieces, "\n".join(current)]
