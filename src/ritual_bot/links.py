"""Links to an issue that an earlier op of the same run creates.

A plan is made before anything is written, so an op cannot know the number of an issue the run
has yet to open (e.g. closing last week's digest "superseded by <new digest>", or the reply that
links a ``/okr change`` to the decision it opened). Such an op (an issue update or a comment) writes
``url_of(marker)`` where the URL goes; the runner swaps in the real ``html_url`` once the
``CreateIssue`` carrying that marker is applied. A later run that finds the issue already open
plans the real URL itself, so the placeholder never reaches GitHub.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ritual_bot.markers import Marker
from ritual_bot.ops import AddComment, CreateIssue, Op, UpdateIssue

_PREFIX = "ritual-bot:url-of:"


def url_of(marker: Marker) -> str:
    """Stands for the URL of the issue opened, earlier in this run, with ``marker``."""
    return f"{_PREFIX}{marker.key}"


def resolve(op: Op, created: Mapping[str, str]) -> Op:
    """``op`` with the placeholders of issues (and comments) created so far replaced by their
    URLs."""
    if isinstance(op, AddComment) and op.on is not None:
        url = created.get(op.on.key, "")
        number = url.rsplit("/", 1)[-1]
        op = replace(op, number=int(number), on=None) if number.isdigit() else op
    if not isinstance(op, UpdateIssue | AddComment) or op.body is None or _PREFIX not in op.body:
        return op
    body = op.body
    for key, url in created.items():
        body = body.replace(f"{_PREFIX}{key}", url)
    return replace(op, body=body)


def unresolved(op: Op) -> bool:
    """Whether ``op`` still links to an issue this run has not opened (its create failed)."""
    return isinstance(op, UpdateIssue | AddComment) and op.body is not None and _PREFIX in op.body


def remember(op: Op, html_url: str, created: dict[str, str]) -> None:
    """Note the URL of an issue or comment the run just wrote, for the ops that follow.

    A comment's marker need not be unique across issues (a decision's start record names its
    DRI, stakeholders and deadline): an issue's ops are applied one after the other, so the
    latest one noted is its own.
    """
    if isinstance(op, CreateIssue | AddComment) and html_url:
        created[op.marker.key] = html_url
