"""Hidden markers and the bot-owned block in issue and comment bodies.

A marker is an HTML comment, invisible in GitHub's rendering, that names what a body is for
(``<!-- ritual-bot:hpfo-checkin period=2026-W48 member=alice -->``). Markers are the dedup keys of
every write (SPEC §7): they are found by listing issues by label, never by search.

Markers only count where the bot wrote them: callers pass bodies authored by the bot's own
login; a marker typed into a user's comment or issue is ignored (``trusted_*`` helpers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SAFE_VALUE = re.compile(r"^[A-Za-z0-9._\-\[\]:/]+$")
_MARKER = re.compile(r"<!-- ritual-bot:(?P<kind>[a-z][a-z0-9-]*)(?P<fields>(?: [a-z_]+=\S+)*) -->")
_FIELD = re.compile(r" (?P<name>[a-z_]+)=(?P<value>\S+)")


@dataclass(frozen=True)
class Marker:
    kind: str
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, kind: str, **fields: str) -> Marker:
        for name, value in fields.items():
            if not _SAFE_VALUE.match(value):
                raise ValueError(f"marker field {name}={value!r} has unsafe characters")
        return cls(kind, tuple(sorted(fields.items())))

    def get(self, name: str) -> str | None:
        return dict(self.fields).get(name)

    @property
    def key(self) -> str:
        """The dedup key: kind plus fields, stable whatever the field order."""
        return ":".join([self.kind, *(f"{n}={v}" for n, v in self.fields)])

    def render(self) -> str:
        fields = "".join(f" {n}={v}" for n, v in self.fields)
        return f"<!-- ritual-bot:{self.kind}{fields} -->"


def find_markers(body: str | None) -> Iterator[Marker]:
    for match in _MARKER.finditer(body or ""):
        fields = tuple(sorted((f["name"], f["value"]) for f in _FIELD.finditer(match["fields"])))
        yield Marker(match["kind"], fields)


def first_marker(body: str | None, kind: str) -> Marker | None:
    return next((m for m in find_markers(body) if m.kind == kind), None)


# --- The bot-owned block ------------------------------------------------------------------------
# The bot keeps its own part of a body between two markers and never touches the text around it
# (SPEC §4). Replacing the block preserves everything outside it byte for byte.
#
# People can damage the block (SPEC §4, §7): delete its end marker, paste it twice, write inside
# or after a broken one. The bot's block is the first well-formed pair (a begin marker followed by
# an end marker with no begin in between); every other begin or end marker of that name is a stray
# and is dropped when the block is rewritten — only the marker strings, never the text around
# them, so whatever a person wrote survives. A pasted copy whose text is exactly the block's goes
# whole: it holds no character a person wrote. Text left from a broken block stays as visible text
# rather than risk deleting the author's paragraph after it.

_BEGIN = "<!-- ritual-bot:begin {name} -->"
_END = "<!-- ritual-bot:end {name} -->"


@dataclass(frozen=True)
class _Span:
    start: int
    end: int  # after the end marker
    inner: str  # between the markers


def _spans(body: str, name: str) -> tuple[list[_Span], list[tuple[int, int]]]:
    """Well-formed pairs, and stray markers as (start, end) offsets, both in body order."""
    begin, end = _BEGIN.format(name=name), _END.format(name=name)
    found = sorted(
        [(m.start(), begin) for m in re.finditer(re.escape(begin), body)]
        + [(m.start(), end) for m in re.finditer(re.escape(end), body)]
    )
    pairs: list[_Span] = []
    strays: list[tuple[int, int]] = []
    open_at: int | None = None
    for position, kind in found:
        if kind == begin:
            if open_at is not None:
                strays.append((open_at, open_at + len(begin)))
            open_at = position
        elif open_at is None:
            strays.append((position, position + len(end)))
        else:
            inner = body[open_at + len(begin) : position]
            pairs.append(_Span(open_at, position + len(end), inner))
            open_at = None
    if open_at is not None:
        strays.append((open_at, open_at + len(begin)))
    return pairs, strays


def render_block(name: str, content: str) -> str:
    return f"{_BEGIN.format(name=name)}\n{content.strip()}\n{_END.format(name=name)}"


def read_block(body: str | None, name: str) -> str | None:
    if _BEGIN.format(name=name) not in (body or ""):
        return None  # no begin marker, no pair: the common case, without two regex scans
    pairs, _ = _spans(body or "", name)
    return pairs[0].inner.strip("\n") if pairs else None


def replace_block(body: str | None, name: str, content: str) -> str:
    """Return ``body`` with the named block set to ``content`` (appended if absent).

    Stray markers of the block are dropped on the way (see above); text is never dropped.
    """
    text = body or ""
    block = render_block(name, content)
    pairs, strays = _spans(text, name)
    kept = pairs[0] if pairs else None
    cuts: list[tuple[int, int, str]] = [(a, b, "") for a, b in strays]
    for extra in pairs[1:]:
        if kept is not None and extra.inner == kept.inner:
            cuts.append((extra.start, extra.end, ""))  # an exact copy: nobody's text
        else:
            cuts.append((extra.start, extra.start + len(_BEGIN.format(name=name)), ""))
            cuts.append((extra.end - len(_END.format(name=name)), extra.end, ""))
    if kept is not None:
        cuts.append((kept.start, kept.end, block))
    out = _cut(text, cuts)
    if kept is None:
        return f"{out}{_separator_before_block(out)}{block}\n"
    return out


def _cut(text: str, cuts: list[tuple[int, int, str]]) -> str:
    pieces: list[str] = []
    position = 0
    for start, end, replacement in sorted(cuts):
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _separator_before_block(text: str) -> str:
    # Keep the block its own Markdown paragraph: a blank line between it and the text before.
    if not text or text.endswith("\n\n"):
        return ""
    return "\n" if text.endswith("\n") else "\n\n"


# --- Restoring a marker a person damaged ---------------------------------------------------------
# Anyone with write access can edit a body the bot wrote (SPEC §7). When the bot knows from the
# edit history which marker belongs there, it puts back exactly that marker and removes only marker
# strings: every other character a person wrote stays.


def _marker_matches(body: str, kind: str) -> list[tuple[Marker, int, int]]:
    found = []
    for match in _MARKER.finditer(body):
        if match["kind"] == kind:
            fields = tuple(
                sorted((f["name"], f["value"]) for f in _FIELD.finditer(match["fields"]))
            )
            found.append((Marker(kind, fields), match.start(), match.end()))
    return found


def _cut_marker(body: str, start: int, end: int) -> str:
    # The bot writes each marker on a line of its own: take its line break with it.
    if body[end : end + 1] == "\n" and (start == 0 or body[start - 1] == "\n"):
        end += 1
    return body[:start] + body[end:]


def restore_marker(body: str, kind: str, wanted: Marker | None, *, at_top: bool = True) -> str:
    """``body`` with exactly one marker of ``kind``, ``wanted`` (or none when it is None).

    The first copy of ``wanted`` already in place stays where it is; every other marker of that
    kind (pasted, duplicated, naming someone else) is removed; a missing one is added at the top
    (or the bottom) on a line of its own, as the bot first wrote it.
    """
    matches = _marker_matches(body, kind)
    keep = next((span for span in matches if span[0] == wanted), None)
    for marker, start, end in reversed(matches):
        if (marker, start, end) != keep:
            body = _cut_marker(body, start, end)
    if wanted is None or keep is not None:
        return body
    line = wanted.render()
    if at_top:
        return f"{line}\n{body}"
    return f"{body}{'' if not body or body.endswith(chr(10)) else chr(10)}{line}\n"


def markers_of(body: str | None, kind: str) -> list[Marker]:
    return [m for m in find_markers(body) if m.kind == kind]
