"""Deterministic, extractive summaries of an issue thread (SPEC §5).

No network and no model: the same thread always gives the same summary. For each participant
it keeps a sentence or two of their own words (quoted replies, code, tables and commands left out,
long text shortened on a word), and it lists the questions nobody answered. The
Markdown it renders neutralises every @mention (quoting someone must not ping them again) and
never exceeds GitHub's body limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ritual_bot.bodies import BODY_LIMIT as BODY_LIMIT
from ritual_bot.commands import without_commands
from ritual_bot.markdown import (
    QUOTE_INTRO_ENDINGS,
    Block,
    BlockKind,
    cut,
    list_items,
    one_line,
    safe_inline,
    shorten,
    split_task,
    top_level_blocks,
)
from ritual_bot.model import Comment

# Room kept for what the caller wraps around a rendered summary (headings, markers).
SAFE_LIMIT = BODY_LIMIT - 1_536
GIST_CHARS = 240
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# What may close a question after its "?": emphasis, a closing quote or bracket ("**Ship it?**").
_CLOSERS = "*_~\"'\u201d\u2019\u00bb)]"


@dataclass(frozen=True)
class Said:
    """What one participant said: their gist and how much they wrote."""

    login: str
    comments: int
    gist: str  # the participant's own words: untrusted, pass through safe_inline to render
    first_url: str = ""
    latest_url: str = ""


@dataclass(frozen=True)
class Question:
    asker: str
    text: str
    url: str


@dataclass(frozen=True)
class ThreadSummary:
    comments: int
    participants: tuple[Said, ...]
    open_questions: tuple[Question, ...]


def own_sentences(body: str) -> tuple[str, ...]:
    """The sentences the author wrote themselves, in order, each on one line.

    Paragraphs and list items (a task's box dropped) are split into sentences. Headings are
    labels ("## Fires"), not something said; quoted replies, the "Bob wrote:" line that
    introduces one, code, tables and HTML are not the author's prose; command lines and what
    they take are reported elsewhere (``commands.without_commands``). Issue 12: an HPFO answer
    read as one run-on "sentence" ended in its last item's "?" and was listed whole as a question.
    """
    blocks = top_level_blocks(without_commands(body))
    return tuple(_sentences_of(blocks))


def _sentences_of(blocks: Sequence[Block]) -> Iterator[str]:
    for index, block in enumerate(blocks):
        if block.kind is BlockKind.LIST:
            for item in list_items(block):
                yield from _sentences_of(item.blocks)
        elif block.kind is BlockKind.PARAGRAPH:
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            text = one_line(split_task(block.inline)[0])
            quoting = following is not None and following.kind is BlockKind.QUOTE
            if not (quoting and text.endswith(QUOTE_INTRO_ENDINGS)):
                yield from (s for s in _SENTENCE_END.split(text) if s)


def is_question(sentence: str) -> bool:
    """A sentence that asks: it ends with "?" (French spacing too, "ça marche ?")."""
    return sentence.rstrip(_CLOSERS).endswith("?")


def gist(bodies: Sequence[str], limit: int = GIST_CHARS) -> str:
    """A sentence or two: the first sentence of the first and of the latest comment.

    Only those two are read: the first body that says something, scanning forward, and the last
    one, scanning back (issue 11: reading every body of a long thread cost a Markdown parse each).
    """
    first = next((s for s in map(_first_sentence, bodies) if s is not None), None)
    if first is None:
        return ""
    last = next((s for s in map(_first_sentence, reversed(bodies)) if s is not None), first)
    picked = [first] if first == last else [first, last]
    return cut(" … ".join(picked), limit) if limit > 0 else ""


def _first_sentence(body: str) -> str | None:
    return next(iter(own_sentences(body)), None)


def own_text(bodies: Sequence[str], limit: int) -> str:
    """What the bodies say in the author's own sentences, one line of at most ``limit``
    characters; reads only as many bodies as that line needs."""
    said: list[str] = []
    size = 0
    for body in bodies:
        if size > limit:
            break
        found = own_sentences(body)
        said += found
        size += sum(len(s) + 1 for s in found)
    return cut(" ".join(said), limit)


def questions(body: str) -> list[str]:
    """The sentences of the author's own prose that ask something."""
    if "?" not in body:
        return []  # own sentences only keep or drop the body's characters: no "?", no question
    return [s for s in own_sentences(body) if is_question(s)]


def summarize(comments: Sequence[Comment], *, limit: int = GIST_CHARS) -> ThreadSummary:
    """Summarise people's comments (the caller leaves out the bot's), oldest first."""
    ordered = sorted(comments, key=lambda c: (c.created_at, c.id))
    people: dict[str, list[Comment]] = {}
    for comment in ordered:
        people.setdefault(comment.author.login.casefold(), []).append(comment)
    said = tuple(
        Said(
            login=theirs[0].author.login,
            comments=len(theirs),
            gist=gist([c.body for c in theirs], limit),
            first_url=theirs[0].html_url,
            latest_url=theirs[-1].html_url,
        )
        for theirs in people.values()
    )
    return ThreadSummary(len(ordered), said, tuple(_unanswered(ordered)))


def last_word(ordered: Sequence[Comment]) -> Sequence[Comment]:
    """The comments nobody else wrote after: the closing run of the last author's comments.

    A comment is answered by any later comment of someone else, so only that final run can hold
    open questions: found from the end, in one pass (it used to compare every comment with all
    later ones, quadratic in the thread).
    """
    if not ordered:
        return ()
    last = ordered[-1].author.login
    start = len(ordered)
    while start > 0 and ordered[start - 1].author.same(last):
        start -= 1
    return ordered[start:]


def _unanswered(ordered: Sequence[Comment]) -> list[Question]:
    """Questions after which nobody else wrote: a later comment by someone else answers them."""
    found: list[Question] = []
    for comment in last_word(ordered):
        asker = comment.author.login
        found += [Question(asker, q, comment.html_url) for q in questions(comment.body)]
    return found


# --- Markdown -------------------------------------------------------------------------------------

_WORDS = {
    "en": {
        "title": "Summary",
        "nobody": "No comments yet.",
        "who": "Who",
        "count": "Comments",
        "said": "Said",
        "questions": "Questions left unanswered",
        "more": "… and {n} more",
    },
    "fr": {
        "title": "Résumé",
        "nobody": "Aucun commentaire pour l'instant.",
        "who": "Qui",
        "count": "Commentaires",
        "said": "A dit",
        "questions": "Questions restées sans réponse",
        "more": "… et {n} de plus",
    },
}


def render(summary: ThreadSummary, title: str = "", language: str = "en") -> str:
    """The summary as Markdown, always within GitHub's body limit (shortened until it fits)."""
    for limit in (GIST_CHARS, 120, 60, 0):
        for rows in (None, 200, 50, 10):
            text = _render(summary, title, language, limit, rows)
            if len(text) <= SAFE_LIMIT:
                return text
    return text[: SAFE_LIMIT - 1] + "…"


def _counts(language: str, comments: int, people: int) -> str:
    """ "1 comment by 1 person", "3 comments by 2 people"; French is plural from 2 on."""
    if language == "fr":
        return (
            f"{comments} commentaire{'s' if comments > 1 else ''} "
            f"de {people} personne{'s' if people > 1 else ''}."
        )
    return (
        f"{comments} comment{'' if comments == 1 else 's'} "
        f"by {people} {'person' if people == 1 else 'people'}."
    )


def _render(summary: ThreadSummary, title: str, language: str, limit: int, rows: int | None) -> str:
    words = _WORDS.get(language, _WORDS["en"])
    heading = f"## {words['title']}" + (f": {safe_inline(title)}" if title else "")
    if not summary.participants:
        return f"{heading}\n\n{words['nobody']}\n"
    counts = _counts(language, summary.comments, len(summary.participants))
    out = [heading, "", counts, "", f"| {words['who']} | {words['count']} | {words['said']} |"]
    out.append("|---|---|---|")
    shown = summary.participants if rows is None else summary.participants[:rows]
    for person in shown:
        said = safe_inline(shorten(person.gist, limit)) if limit else ""
        out.append(f"| {safe_inline('@' + person.login)} | {person.comments} | {said} |")
    if len(shown) < len(summary.participants):
        out.append(f"| {words['more'].format(n=len(summary.participants) - len(shown))} | | |")
    asked = summary.open_questions if rows is None else summary.open_questions[:rows]
    if asked:
        out += ["", f"**{words['questions']}**", ""]
        for q in asked:
            text = safe_inline(shorten(q.text, max(limit, 60)))
            link = f" ([↗]({q.url}))" if q.url else ""
            out.append(f"- {safe_inline('@' + q.asker)}: {text}{link}")
    return "\n".join(out) + "\n"
