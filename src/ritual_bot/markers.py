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

_BEGIN = "<!-- ritual-bot:begin {name} -->"
_END = "<!-- ritual-bot:end {name} -->"


def _block_span(body: str, name: str) -> tuple[int, int] | None:
    begin = body.find(_BEGIN.format(name=name))
    if begin < 0:
        return None
    end_marker = _END.format(name=name)
    end = body.find(end_marker, begin)
    if end < 0:
        return None
    return begin, end + len(end_marker)


def render_block(name: str, content: str) -> str:
    return f"{_BEGIN.format(name=name)}\n{content.strip()}\n{_END.format(name=name)}"


def read_block(body: str | None, name: str) -> str | None:
    span = _block_span(body or "", name)
    if span is None:
        return None
    inner = (body or "")[span[0] : span[1]]
    return inner[len(_BEGIN.format(name=name)) : -len(_END.format(name=name))].strip("\n")


def replace_block(body: str | None, name: str, content: str) -> str:
    """Return ``body`` with the named block set to ``content`` (appended if absent)."""
    text = body or ""
    block = render_block(name, content)
    span = _block_span(text, name)
    if span is None:
        separator = _separator_before_block(text)
        return f"{text}{separator}{block}\n"
    return text[: span[0]] + block + text[span[1] :]


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


def _cut(body: str, start: int, end: int) -> str:
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
            body = _cut(body, start, end)
    if wanted is None or keep is not None:
        return body
    line = wanted.render()
    if at_top:
        return f"{line}\n{body}"
    return f"{body}{'' if not body or body.endswith(chr(10)) else chr(10)}{line}\n"


def markers_of(body: str | None, kind: str) -> list[Marker]:
    return [m for m in find_markers(body) if m.kind == kind]
