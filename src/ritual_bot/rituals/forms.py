"""Reading the answers of an issue form from an issue body, for every ritual that ships a form
(the decision form, SPEC §4; the experiment form, SPEC §10).

GitHub renders an issue form as one ``### <label>`` heading per field, a blank line, then the
answer, and ``_No response_`` for an optional field left empty
(https://docs.github.com/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-issue-forms;
the placeholder is quoted in zentered/issue-forms-body-parser#40). Labels are matched
case-insensitively and at any heading level, so a hand-written issue with the same headings
works too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ritual_bot.markdown import BlockKind, list_items, one_line, top_level_blocks

NO_RESPONSE = "_No response_"
# ``Start: 2026-11-02``, ``**Start:** 2026-11-02``, ``- Start: 2026-11-02`` in a hand-written body.
_LABEL_LINE = re.compile(
    r"^\s*[*_]{0,2}(?P<label>[^:*_\n]{1,40}?)[*_]{0,2}\s*:\s*[*_]{0,2}\s*(?P<value>.*?)\s*$"
)


def _key(label: str) -> str:
    return one_line(label).strip(" :*_").casefold()


def form_answers(body: str, labels: Mapping[str, str]) -> dict[str, str]:
    """The answer under each field heading ``labels`` knows (casefolded label → field), as one
    line; the first heading of a field wins; empty answers and ``_No response_`` are left out."""
    answers: dict[str, str] = {}
    current: str | None = None
    parts: list[str] = []
    for block in top_level_blocks(body):
        if block.kind is BlockKind.HEADING:
            if current is not None:
                answers.setdefault(current, one_line(" ".join(parts)))
            current, parts = labels.get(_key(block.inline)), []
        elif current is not None and block.kind in (BlockKind.PARAGRAPH, BlockKind.LIST):
            parts.append(block.source)
    if current is not None:
        answers.setdefault(current, one_line(" ".join(parts)))
    return {k: v for k, v in answers.items() if v and v != NO_RESPONSE}


def label_lines(body: str, labels: Mapping[str, str]) -> dict[str, str]:
    """Answers written as ``Label: value`` lines (in a paragraph or a list of the top level),
    the way people write a body by hand; the first line of a field wins."""
    answers: dict[str, str] = {}
    for block in top_level_blocks(body):
        if block.kind is BlockKind.PARAGRAPH:
            lines = block.source.splitlines()
        elif block.kind is BlockKind.LIST:
            lines = [item.text for item in list_items(block)]
        else:
            continue
        for line in lines:
            match = _LABEL_LINE.match(line)
            field = labels.get(_key(match["label"])) if match else None
            if match and field and match["value"] and match["value"] != NO_RESPONSE:
                answers.setdefault(field, one_line(match["value"]))
    return answers
