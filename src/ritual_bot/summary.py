"""Deterministic, extractive summaries of an issue thread (SPEC §5).

No network and no model: the same thread always gives the same summary. For each participant
it keeps a sentence or two of their own words (quoted replies dropped, code and tables reduced to a
placeholder, long text shortened on a word), and it lists the questions nobody answered. The
Markdown it renders neutralises every @mention (quoting someone must not ping them again) and
never exceeds GitHub's body limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ritual_bot.bodies import BODY_LIMIT as BODY_LIMIT
from ritual_bot.markdown import LineKind, classify_lines, safe_inline, shorten
from ritual_bot.model import Comment

# Room kept for what the caller wraps around a rendered summary (headings, markers).
SAFE_LIMIT = BODY_LIMIT - 1_536
GIST_CHARS = 240
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# A slash command at the start of a line: its word is dropped, and its text kept only when it is
# prose ("/concern the plan has no rollback"), not an argument ("/resolve 2", "/dri @bob").
_COMMAND = re.compile(r"^\s{0,3}/[A-Za-z][A-Za-z-]*(?=\s|$)\s*(?P<rest>.*)$")
_PROSE_WORDS = 3
_PLACEHOLDERS = frozenset({"[code]", "[table]", ""})


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


def own_words(body: str) -> str:
    """The author's prose on one line: quotes dropped, code as ``[code]``, command words gone."""
    lines = []
    for line in classify_lines(body):
        text = line.text
        match = _COMMAND.match(text) if line.kind is LineKind.TEXT else None
        if match is not None:
            rest = match["rest"]
            text = rest if len(rest.split()) >= _PROSE_WORDS else ""
        lines.append(text)
    return shorten("\n".join(lines), 1_000_000)


def sentences(text: str) -> list[str]:
    found = (s.strip() for s in _SENTENCE_END.split(text))
    return [s for s in found if s not in _PLACEHOLDERS]


def _first_sentence(body: str) -> str | None:
    found = sentences(own_words(body))
    return found[0] if found else None


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
    return shorten(" … ".join(picked), limit) if limit > 0 else ""


def questions(comment: Comment) -> list[str]:
    if "?" not in comment.body:
        return []  # own words only keep or drop the body's characters: no "?", no question
    return [s for s in sentences(own_words(comment.body)) if s.endswith("?")]


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
        found += [Question(asker, q, comment.html_url) for q in questions(comment)]
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
