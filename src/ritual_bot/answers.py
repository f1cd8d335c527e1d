"""Parse a member's HPFO answer (Highlights, Progress, Fires, Objectives) from Markdown.

People write their Monday update however they like, so the parser is forgiving about the
*labels* and strict about *structure*:

- Sections start with a heading (``## Fires``), a label line (``Fires:``, ``**F:**``,
  ``🔥 Fires -``, ``Fires`` alone on its line, content may follow on the same line) or an
  item of an "HPFO list" (``- H: …`` / ``- F: …``: a list whose items carry labels of at least
  two sections, or whose first item is a label when no section is open yet).
- Labels are matched in English and French, singular or plural, any case, after emoji or
  ``:shortcode:`` prefixes, with one typo allowed in words of at least 5 letters when the
  word it is mistaken for has at least 7 (``Higlights``, ``Progess``, ``Objetives``). Short
  words (fires, goals, plans) must be spelled right: their one-letter neighbours are ordinary
  words (``Files:``, ``Fixes:``, ``Plant:``).
- Structure comes from markdown-it tokens: headings or labels inside code blocks, block quotes
  (someone else's answer quoted) or HTML comments (template placeholders) never count.
- Items: each top-level list item (nested lists stay with their parent, as Markdown), each line
  of a prose paragraph, GFM task boxes give ``checked``. A code block, table or HTML block
  following an item is appended to it.
- Text before the first section is ignored. A section ends at the next section, at a
  horizontal rule, or at a heading that is not a section (unless it is deeper than the heading
  that opened the section, then it is an item).
- Sign-off: a closing paragraph of the *last* section that starts with a sign-off word
  ("Thanks!", "Cheers,", "Merci", "Bonne semaine", "-- Alice") after a blank line is not an
  item, provided the section has other items. A sign-off written in the same paragraph as
  the last line is indistinguishable from content and is kept.
- "none", "nothing", "n/a", "-", "rien", "aucun", "No fires this week" … are not items, so a
  section holding only those is empty.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields

from ritual_bot.markdown import (
    Block,
    BlockKind,
    ListItem,
    list_items,
    one_line,
    safe_inline,
    split_task,
    task_items,
    top_level_blocks,
)

__all__ = [
    "HpfoAnswer",
    "Item",
    "Section",
    "checked_items",
    "latest_answer",
    "match_section",
    "objectives_checklist",
    "parse_answer",
    "render_checklist",
]


class Section(enum.Enum):
    """The four HPFO sections, in the order they are usually written."""

    HIGHLIGHTS = "highlights"
    PROGRESS = "progress"
    FIRES = "fires"
    OBJECTIVES = "objectives"


@dataclass(frozen=True)
class Item:
    """One entry of a section: Markdown text and, for a task-list item, its box."""

    text: str
    checked: bool | None = None


@dataclass(frozen=True)
class HpfoAnswer:
    highlights: tuple[Item, ...] = ()
    progress: tuple[Item, ...] = ()
    fires: tuple[Item, ...] = ()
    objectives: tuple[Item, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when every section is empty (e.g. all answered "none", or a blank template)."""
        return not any(getattr(self, f.name) for f in fields(self))

    def items(self, section: Section) -> tuple[Item, ...]:
        items: tuple[Item, ...] = getattr(self, section.value)
        return items


# --- vocabulary -----------------------------------------------------------------------------

# Written naturally (accents, spaces); normalised once, lazily, by _phrases().
_VOCABULARY: Mapping[Section, tuple[str, ...]] = {
    Section.HIGHLIGHTS: (
        "h", "highlight", "highlights", "win", "wins",
        "temps fort", "temps forts", "point fort", "points forts",
        "fait marquant", "faits marquants",
    ),
    Section.PROGRESS: (
        "p", "progress", "progrès", "done", "update", "updates", "last week",
        "avancement", "avancements", "avancée", "avancées",
    ),
    Section.FIRES: (
        "f", "fire", "fires", "blocker", "blockers", "blocked",
        "incendie", "incendies", "feu", "feux", "bloquant", "bloquants", "blocage", "blocages",
    ),
    Section.OBJECTIVES: (
        "o", "objective", "objectives", "goal", "goals", "plan", "plans", "next week",
        "next steps", "objectif", "objectifs", "semaine prochaine", "prochaine semaine",
    ),
}  # fmt: skip

# Typos are only forgiven against long words, see the module docstring.
_TYPO_MIN_TYPED = 5
_TYPO_MIN_KNOWN = 7

_NOTHING_FIRST = frozenset({
    "none", "nothing", "nada", "nil", "nope", "no", "na", "n/a",
    "rien", "aucun", "aucune", "neant", "pas", "ras", "zero",
})  # fmt: skip
# Words that may follow a "nothing" word without adding content ("Nothing to report this week").
_NOTHING_FILLER = frozenset({
    "this", "week", "so", "far", "for", "now", "to", "report", "yet", "currently", "at", "the",
    "moment", "right", "today", "really", "major", "big", "special", "particular", "significant",
    "urgent", "burning", "issue", "issues", "problem", "problems",
    "cette", "semaine", "pour", "l", "instant", "a", "signaler", "de", "d", "du", "le",
    "particulier", "encore",
})  # fmt: skip
_SIGN_OFF_FIRST = frozenset({
    "thanks", "thank", "thx", "ty", "cheers", "best", "regards",
    "merci", "cordialement", "bises", "bisous", "ciao", "bye",
})  # fmt: skip
_SIGN_OFF_PAIRS = frozenset(
    {("bonne", "semaine"), ("bonne", "journee"), ("bon", "lundi"), ("have", "a"),
     ("happy", "monday"), ("see", "you")}
)  # fmt: skip

_LABEL_LEVEL = 7  # a label-opened section: deeper than any heading, so any heading ends it
_SHORTCODE_RE = re.compile(r":[a-z0-9_+-]+:", re.IGNORECASE)
_TRAILING_SHORTCODES_RE = re.compile(r"^(?:\s*:[a-z0-9_+-]+:)+", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]+")
_SEP_RE = re.compile(r"\s*(?::|[-\u2013\u2014](?=\s|$))")  # ":", "-", en or em dash
_CLOSE_RE = re.compile(r"[*_]+")
_ENUMERATOR_RE = re.compile(r"\d{1,2}[.)]\s")


def _normalize(text: str) -> str:
    """Casefold and drop accents so "Progrès", "PROGRES" and "progres" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.cache
def _phrases() -> dict[tuple[str, ...], Section]:
    return {
        tuple(_normalize(phrase).split()): section
        for section, phrases in _VOCABULARY.items()
        for phrase in phrases
    }


@functools.cache
def _vocabulary_words() -> frozenset[str]:
    return frozenset(word for phrase in _phrases() for word in phrase)


def _typo_distance_one(typed: str, known: str) -> bool:
    """Optimal string alignment distance ≤ 1 (one insertion, deletion, change or swap)."""
    if typed == known:
        return True
    if abs(len(typed) - len(known)) > 1:
        return False
    if len(typed) == len(known):
        diff = [i for i, (a, b) in enumerate(zip(typed, known, strict=True)) if a != b]
        if len(diff) != 2 or diff[1] != diff[0] + 1:
            return len(diff) == 1
        first, second = diff
        return typed[first] == known[second] and typed[second] == known[first]
    short, long = sorted((typed, known), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _word_matches(typed: str, known: str) -> bool:
    if typed == known:
        return True
    long_enough = len(typed) >= _TYPO_MIN_TYPED and len(known) >= _TYPO_MIN_KNOWN
    return long_enough and _typo_distance_one(typed, known)


@functools.cache
def _phrases_by_length() -> dict[int, tuple[tuple[tuple[str, ...], Section], ...]]:
    """The phrases grouped by word count, each group in vocabulary order."""
    groups: dict[int, list[tuple[tuple[str, ...], Section]]] = {}
    for phrase, section in _phrases().items():
        groups.setdefault(len(phrase), []).append((phrase, section))
    return {length: tuple(group) for length, group in groups.items()}


# Every line of every answer asks about its first words: the same few words again and again.
# Bounded, so a hostile thread of distinct words cannot grow it without end.
@functools.lru_cache(maxsize=4096)
def _lookup(words: tuple[str, ...]) -> Section | None:
    exact = _phrases().get(words)
    if exact is not None:
        return exact
    # Only phrases of as many words can match: the others were compared for nothing.
    for phrase, section in _phrases_by_length().get(len(words), ()):
        if all(_word_matches(t, k) for t, k in zip(words, phrase, strict=True)):
            return section
    return None


def match_section(label: str) -> Section | None:
    """The section a bare label names ("Fires", "🔥 Incendies", "Higlights"), if any."""
    found = _match_label(label, heading=True)
    return found.section if found else None


# --- labels ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    section: Section
    rest: str  # content written on the label's own line, after the separator


def _peel(line: str) -> tuple[str, bool]:
    """Drop leading decoration (emoji, shortcodes, emphasis, "1."); report emphasis seen."""
    text, emphasised = line.strip(), False
    while text:
        prefix = _SHORTCODE_RE.match(text) or _ENUMERATOR_RE.match(text)
        if prefix is not None:
            text = text[prefix.end() :].lstrip()
        elif text[0] in "*_":
            text, emphasised = text[1:].lstrip(), True
        elif not text[0].isalnum():
            text = text[1:].lstrip()
        else:
            break
    return text, emphasised


def _leading_words(text: str, limit: int = 3) -> list[tuple[str, int]]:
    """Up to ``limit`` words at the start of ``text``, normalised, with their end offsets."""
    words: list[tuple[str, int]] = []
    position = 0
    for match in _WORD_RE.finditer(text):
        between = text[position : match.start()]
        if len(words) == limit or between.strip(" \t'\u2019"):
            break
        words.append((_normalize(match.group(0)), match.end()))
        position = match.end()
    return words


def _is_decoration(text: str) -> bool:
    """Only emoji, symbols, emphasis markers or spaces (🔥, ✨, **): not words, not ".", "?"."""
    text = _SHORTCODE_RE.sub("", text)
    return all(
        c.isspace() or c in "*_~" or unicodedata.category(c)[0] in "SM" or c in "\u200d"
        for c in text
    )


def _match_label(line: str, *, heading: bool) -> _Label | None:
    body, emphasised = _peel(line)
    words = _leading_words(body)
    for count in range(len(words), 0, -1):
        section = _lookup(tuple(word for word, _ in words[:count]))
        if section is None:
            continue
        after = body[words[count - 1][1] :]
        single_letter = len(words[0][0]) == 1 and count == 1
        rest = _label_rest(after, heading=heading, emphasised=emphasised, single=single_letter)
        if rest is not None:
            return _Label(section, rest)
    return None


def _label_rest(after: str, *, heading: bool, emphasised: bool, single: bool) -> str | None:
    """What follows a label word, or None when the words are prose rather than a label."""
    # "Highlights :sparkles:": a trailing shortcode is decoration, its ":" is no separator.
    after = _TRAILING_SHORTCODES_RE.sub("", after)
    ends = [
        m for m in (_SEP_RE.search(after), _CLOSE_RE.search(after) if emphasised else None) if m
    ]
    if not ends:
        extra, rest, marked = after, "", False
    else:
        first = min(ends, key=lambda m: m.start())
        extra, rest, marked = after[: first.start()], after[first.end() :], True
        if first.re is _CLOSE_RE:  # "**Fires**: x": the separator follows the emphasis
            separator = _SEP_RE.match(rest)
            rest = rest[separator.end() :] if separator else rest
        rest = rest.lstrip(" \t*_")
    extra_words = len(_WORD_RE.findall(extra))
    plain = _is_decoration(extra)
    if single and not plain:
        return None  # "P.S.", "O'Brien", "F1 race": a lone letter is a label only on its own
    if heading:
        return rest.strip() if marked else ""
    if not marked:
        return "" if plain else None
    allowed_extra = 4 if (emphasised or not rest.strip()) else 0
    qualified = extra_words <= allowed_extra and _qualifier(extra)
    return rest.strip() if plain or qualified else None


def _qualifier(extra: str) -> bool:
    # "for this week", "(this week)", "à venir": words and brackets only, no sentence punctuation.
    return not re.search(r"[.!?;,]", extra)


# --- parsing --------------------------------------------------------------------------------


@dataclass
class _Entry:
    text: str
    checked: bool | None
    origin: int  # which block produced it, to drop a whole sign-off paragraph
    kind: BlockKind


@dataclass
class _State:
    current: Section | None = None
    level: int = 0
    found: bool = False
    blocks_seen: int = 0
    entries: dict[Section, list[_Entry]] = field(default_factory=lambda: {s: [] for s in Section})

    def open(self, section: Section, level: int) -> None:
        if section is not self.current or level < _LABEL_LEVEL:
            self.current, self.level = section, level
        self.found = True

    def close(self) -> None:
        self.current = None

    def add(self, text: str, kind: BlockKind, checked: bool | None = None) -> None:
        if self.current is not None and text.strip():
            entry = _Entry(text.strip(), checked, self.blocks_seen, kind)
            self.entries[self.current].append(entry)

    def attach(self, source: str, kind: BlockKind) -> None:
        """Code, tables and HTML belong to the item they follow ("CI fails with: ```…```")."""
        if self.current is None:
            return
        entries = self.entries[self.current]
        if entries:
            # A blank line keeps the item valid Markdown: an indented code block cannot
            # follow a paragraph line directly.
            entries[-1].text += "\n\n" + source.strip("\n")
        else:
            self.add(source, kind)


def _feed(state: _State, blocks: Iterable[Block]) -> None:
    for block in blocks:
        state.blocks_seen += 1
        if block.kind is BlockKind.HEADING:
            _on_heading(state, block)
        elif block.kind is BlockKind.PARAGRAPH:
            _on_paragraph(state, block)
        elif block.kind is BlockKind.LIST:
            _on_list(state, block)
        elif block.kind in (BlockKind.FENCE, BlockKind.CODE, BlockKind.TABLE, BlockKind.HTML):
            state.attach(block.source, block.kind)
        elif block.kind is BlockKind.RULE:
            state.close()
        # QUOTE (someone else's words) and COMMENT (template placeholders) are skipped.


def _on_heading(state: _State, block: Block) -> None:
    label = _match_label(block.inline, heading=True)
    if label is not None:
        state.open(label.section, block.level)
        state.add(label.rest, block.kind)
    elif state.current is not None and block.level > state.level:
        state.add(block.inline, block.kind)  # a sub-heading inside a section
    else:
        state.close()


def _on_paragraph(state: _State, block: Block) -> None:
    # GitHub renders each line of a comment on its own line, so each line is one item.
    for line in block.inline.split("\n"):
        _on_line(state, line, block.kind)


def _on_line(state: _State, line: str, kind: BlockKind) -> None:
    label = _match_label(line, heading=False)
    if label is not None:
        state.open(label.section, _LABEL_LEVEL)
        state.add(label.rest, kind)
    else:
        state.add(line, kind)


def _on_list(state: _State, block: Block) -> None:
    items = list_items(block)
    labels = [_item_label(item.blocks) for item in items]
    sections = {label.section for label in labels if label is not None}
    opens_answer = state.current is None and bool(labels) and labels[0] is not None
    hpfo_list = len(sections) >= 2 or opens_answer
    for index, (item, label) in enumerate(zip(items, labels, strict=True)):
        if hpfo_list and label is not None:
            _feed(state, item.blocks)
            continue
        last = index == len(items) - 1
        text, rest = _lazy_label_split(item) if last else (item.text, [])
        text, checked = split_task(text)
        if not (item.blocks and item.blocks[0].kind is BlockKind.PARAGRAPH):
            checked = None  # GitHub only draws a task box in front of a paragraph
            text = item.text
        state.add(text, block.kind, checked)
        for line in rest:
            _on_line(state, line, block.kind)


def _lazy_label_split(item: ListItem) -> tuple[str, list[str]]:
    """Split "- the VPN drops?\nObjectives: demo" at the label line.

    CommonMark reads a line right after a list item as a lazy continuation of it, but a person
    writing a label on its own line means a new section. Only a plain one-paragraph last item
    is split, so nested lists and code keep their structure.
    """
    if len(item.blocks) != 1 or item.blocks[0].kind is not BlockKind.PARAGRAPH:
        return item.text, []
    lines = item.text.split("\n")
    for number, line in enumerate(lines[1:], start=1):
        if _match_label(line, heading=False) is not None:
            return "\n".join(lines[:number]), lines[number:]
    return item.text, []


def _item_label(blocks: Sequence[Block]) -> _Label | None:
    if not blocks or blocks[0].kind is not BlockKind.PARAGRAPH:
        return None
    return _match_label(blocks[0].inline.split("\n", 1)[0], heading=False)


def _drop_sign_off(state: _State) -> None:
    if state.current is None or not state.entries[state.current]:
        return
    entries = state.entries[state.current]
    origin = entries[-1].origin
    closing = [entry for entry in entries if entry.origin == origin]
    if closing[0].kind is not BlockKind.PARAGRAPH or not _is_sign_off(closing[0].text):
        return
    if len(closing) < len(entries):  # a section that is only "Thanks!" keeps it
        entries[:] = [entry for entry in entries if entry.origin != origin]


def _is_sign_off(text: str) -> bool:
    first = text.split("\n", 1)[0].strip()
    words = tuple(_WORD_RE.findall(_normalize(first)))
    if first.startswith(("--", "—")):
        return True
    return bool(words) and (words[0] in _SIGN_OFF_FIRST or words[:2] in _SIGN_OFF_PAIRS)


def _is_nothing(text: str) -> bool:
    """ "None", "n/a", "-", "Rien à signaler", "No fires this week 🎉": no content at all."""
    normalized = _normalize(one_line(_SHORTCODE_RE.sub(" ", text)))
    if not any(c.isalnum() for c in normalized):
        return True
    words = re.findall(r"[^\W_]+(?:/[^\W_]+)?", normalized)
    if not words or words[0] not in _NOTHING_FIRST:
        return False
    allowed = _NOTHING_FILLER | _vocabulary_words()
    return all(word in allowed for word in words[1:])


# GitHub stores at most 65,536 characters in a body; anything longer (a forged event payload, a
# local file) is read up to that length, so a 10 MB text costs what a real comment costs.
MAX_BODY_CHARS = 65_536


def parse_answer(text: str) -> HpfoAnswer | None:
    """The HPFO answer in ``text``, or None when no section label appears at all."""
    state = _State()
    _feed(state, top_level_blocks(text[:MAX_BODY_CHARS]))
    if not state.found:
        return None
    _drop_sign_off(state)
    kept = {
        section: tuple(
            Item(entry.text, entry.checked) for entry in entries if not _is_nothing(entry.text)
        )
        for section, entries in state.entries.items()
    }
    return HpfoAnswer(**{section.value: items for section, items in kept.items()})


def latest_answer(texts: Sequence[str]) -> HpfoAnswer | None:
    """The latest answer among ``texts`` (oldest first), preferring one that says something.

    An all-"none" answer is still an answer, but a later blank template or empty reply must
    not hide an earlier real one.
    """
    return latest_of(map(parse_answer, reversed(texts)))


def latest_of(newest_first: Iterable[HpfoAnswer | None]) -> HpfoAnswer | None:
    """``latest_answer`` over answers already parsed (None: no section), newest first.

    Reads from the newest and stops at the first answer that says something, so a member's
    long thread costs one parse, not one per comment they ever wrote (issue 11).
    """
    fallback = None
    for answer in newest_first:
        if answer is None:
            continue
        if not answer.is_empty:
            return answer
        if fallback is None:
            fallback = answer
    return fallback


# --- carry-over -----------------------------------------------------------------------------


# A carried-over checklist is a reminder, not an archive: it stays short whatever was written,
# so the new issue always fits GitHub's 65,536-character body limit.
MAX_CARRIED_ITEMS = 25
MAX_CARRIED_CHARS = 300


def objectives_checklist(answer: HpfoAnswer) -> tuple[Item, ...]:
    """Last week's objectives as unchecked, one-line items for next week's Progress."""
    items = [_clip(one_line(item.text)) for item in answer.objectives]
    kept = [Item(text, False) for text in items[:MAX_CARRIED_ITEMS]]
    if len(items) > MAX_CARRIED_ITEMS:
        more = len(items) - MAX_CARRIED_ITEMS
        kept.append(Item(f"… and {more} more in last week's check-in", False))
    return tuple(kept)


def _clip(text: str) -> str:
    if len(text) <= MAX_CARRIED_CHARS:
        return text
    return text[: MAX_CARRIED_CHARS - 1].rstrip() + "…"


def render_checklist(items: Iterable[Item]) -> str:
    """Items as a GFM task list, each text made safe to embed (see ``safe_inline``)."""
    return "\n".join(
        f"- [{'x' if item.checked else ' '}] {safe_inline(item.text)}" for item in items
    )


def checked_items(text: str) -> dict[str, bool]:
    """Task-list items of ``text`` (e.g. a carried-over checklist): first line → checked.

    Keys are the item text as written in ``text``; for a list made by :func:`render_checklist`
    that is ``safe_inline(item.text)``. Items inside block quotes are ignored.
    """
    return dict(task_items(text))
