"""The tracker's text: one body for a team that fits, a body and detail comments for one that does
not (GitHub caps a body and a comment at 65,536 characters, ``bodies.BODY_LIMIT``).

- The body always starts with the hidden ledger (``keyresults.ledger``; compact for a big quarter),
  which HPFO and the next run read: it is never what a limit cuts.
- When the whole tracker fits, the body holds every owner's tables and charts (one write a run).
- Otherwise the body holds an overview (per owner: score, each objective's progress and weakest
  KR, how many KRs are behind pace), and every owner's full section goes, whole, into the bot's
  **detail comments** on the tracker, packed in order (``bodies.pack_sections``). Each carries its
  marker (``okr-tracker-part quarter=… part=N``); the bot edits them when their text changes
  (a person's edit included: they are renderings, never read back), posts the ones missing, and
  marks the ones no longer needed as unused rather than deleting anything. They are only
  touched on a run that read the tracker's comments, so a run that did not never duplicates one.
  50 owners with 3 objectives of 5 KRs each, over 13 weeks: the body and about 6 comments
  (``benchmarks/okrs.py`` prints the figures).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ritual_bot.bodies import BODY_LIMIT, fits, pack_sections, shorten_body
from ritual_bot.markers import Marker, find_markers
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.ops import AddComment, Op, UpdateComment
from ritual_bot.rituals.base import Context
from ritual_bot.rituals.keyresults.ledger import render_ledger
from ritual_bot.rituals.okrs.board import (
    Board,
    OwnerView,
    chart,
    ledger_of,
    percent,
    row_view,
    two_places,
)

PART = "okr-tracker-part"  # a detail comment: quarter=…, part=N
# Room the tracker's text needs at the least after the ledger (the heading, the note).
LEDGER_ROOM = 2_000
# A detail comment's room for owners' sections: its marker and label take the rest.
PART_ROOM = BODY_LIMIT - 600


@dataclass(frozen=True)
class Rendering:
    """The tracker's body (None: even its ledger does not fit, so the last body stays) and the
    texts of its detail comments, in order (none when the body holds everything)."""

    body: str | None
    parts: tuple[str, ...] = ()


def owner_view(ctx: Context, owner: OwnerView, pace: float) -> dict[str, Any]:
    objectives = []
    for view in owner.objectives:
        rows = [row_view(row, pace) for row in view.rows]
        objectives.append(
            {
                "id": view.objective.id,
                "title": view.objective.title,
                "progress": percent(view.progress),
                "score": f"{view.progress:.2f}",
                "weakest": view.weakest,
                "rows": rows,
                "chart": chart(view),
                "weeks": [w.split("-")[1] for w in view.weeks],
                "legend": [kr.id for kr in view.objective.key_results],
                "weekly": [
                    {"id": kr.id, "points": view.weekly[kr.id]} for kr in view.objective.key_results
                ],
                "pace": view.pace,
            }
        )
    return {
        "owner": owner.owner,
        "team": ctx.config.member(owner.owner) is None,
        "score": percent(owner.score),
        "score_value": two_places(owner.score),
        "objectives": objectives,
        "flagged": sum(1 for view in owner.objectives for row in view.rows if row.flagged),
    }


def render_tracker(
    ctx: Context,
    board: Board,
    owners: Sequence[Mapping[str, Any]],
    final: bool = False,
    parts: int = 0,
) -> str:
    """The body's text: every owner in full, or (with ``parts``) the overview."""
    return ctx.templates.render(
        "okr_tracker.md.j2",
        quarter=str(board.quarter),
        starts=board.quarter.start.isoformat(),
        ends=board.quarter.end.isoformat(),
        day=board.day.isoformat(),
        pace=percent(board.pace),
        owners=list(owners),
        team=two_places(board.team),
        final=final,
        overview=parts > 0,
        parts=parts,
    )


def rendering(ctx: Context, marker: Marker, board: Board, final: bool = False) -> Rendering:
    head = f"{marker.render()}\n{render_ledger(ledger_of(board))}\n"
    if not fits(head + LEDGER_ROOM * " "):
        return Rendering(None)  # a cut ledger would lose values: keep the last body
    owners = [owner_view(ctx, owner, board.pace) for owner in board.owners]
    whole = head + render_tracker(ctx, board, owners, final)
    if fits(whole):
        return Rendering(whole)
    sections = [
        ctx.templates.render("okr_tracker_owner.md.j2", o=owner, final=final).strip()
        for owner in owners
    ]
    parts = pack_sections(sections, PART_ROOM)
    body = head + render_tracker(ctx, board, owners, final, parts=len(parts))
    return Rendering(shorten_body(body), tuple(parts))


def comments_read(snapshot: Snapshot, issue: Issue) -> bool:
    """Whether this run read the issue's comments (or it has none to read)."""
    return issue.number in snapshot.comments or issue.comments_count == 0


def part_marker(quarter: str, number: int) -> Marker:
    return Marker.of(PART, quarter=quarter, part=str(number))


def existing_parts(snapshot: Snapshot, issue: Issue, quarter: str) -> dict[int, Comment]:
    """The bot's detail comments on the tracker, by part number (the marker as the bot wrote
    it; an edited one whose history was not read, as it reads now: never a duplicate)."""
    found: dict[int, Comment] = {}
    for comment in snapshot.comments_on(issue.number):
        if not snapshot.is_bot_author(comment.author):
            continue
        for marker in find_markers(snapshot.bot_text(comment, unknown=comment.body)):
            number = marker.get("part") or ""
            if marker.kind == PART and marker.get("quarter") == quarter and number.isdigit():
                found.setdefault(int(number), comment)
    return found


def part_ops(
    ctx: Context,
    quarter: str,
    parts: Sequence[str],
    existing: Mapping[int, Comment],
    number: int,
    final: bool = False,
    opening: Marker | None = None,
) -> list[Op]:
    """The detail comments on tracker ``number`` as ``parts`` says they read now: posted when
    missing, edited when they differ, marked unused when no longer needed. Only from a run that
    read the tracker's comments (``existing``); ``opening``: the tracker opens in this run
    (its marker), so every part is new and goes on it once it exists."""
    ops: list[Op] = []
    wanted = dict(enumerate(parts, start=1))
    for n in sorted(wanted.keys() | existing.keys()):
        marker = part_marker(quarter, n)
        if n in wanted:
            label = ctx.templates.render(
                "okr_tracker_part.md.j2", quarter=quarter, number=n, total=len(parts), final=final
            )
            body = f"{marker.render()}\n{label.strip()}\n\n{wanted[n]}\n"
        else:
            unused = ctx.templates.render("okr_tracker_part_unused.md.j2", quarter=quarter)
            body = f"{marker.render()}\n{unused.strip()}\n"
        comment = existing.get(n)
        if comment is None:
            ops.append(AddComment(number, marker, body, on=opening))
        elif comment.body != body:
            ops.append(UpdateComment(number, comment.id, marker, body))
    return ops
