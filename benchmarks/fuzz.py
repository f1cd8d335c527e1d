"""Fuzz counts for the reliability figures (issue #6): how many generated inputs each parser and
the block rewriter took without breaking its property.

Run: .venv/bin/python benchmarks/fuzz.py [examples]   (default 2000 per target)
The test suite runs the same properties with hypothesis' default number of examples.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ritual_bot.answers import parse_answer
from ritual_bot.config import parse_config
from ritual_bot.errors import ConfigError
from ritual_bot.markers import read_block, render_block, replace_block
from ritual_bot.rituals.signoff.commands import parse_commands

PIECES = [
    "## Fires",
    "**H:**",
    "Objectifs :",
    "- ",
    "- [x] ",
    "> ",
    "```",
    "\n",
    "\n\n",
    "/approve",
    "/concern ",
    "/decide ",
    "/resolve 1",
    "@alice",
    "<!-- ",
    " -->",
    "ritual-bot:",
    "{{ x }}",
    "\u200b",
    "\u202e",
    "é",
    "|",
    "version: 1\n",
    "members:\n  - ",
    "hpfo:\n  day: ",
    "&a ",
    "*a",
]
MARKDOWNISH = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=40).map("".join)
TEXT = st.text() | MARKDOWNISH


def never_raises_answer(text: str) -> None:
    parse_answer(text)


def never_raises_commands(text: str) -> None:
    parse_commands(text)


def config_or_config_error(text: str) -> None:
    with contextlib.suppress(ConfigError):
        parse_config(text, "fuzz.yml")


def block_round_trips(parts: tuple[str, str, str]) -> None:
    before, after, content = parts
    if "ritual-bot:" in before + after + content:
        return  # author text holding the bot's own markers is outside the property
    body = replace_block(before + render_block("b", "old") + after, "b", content)
    assert body == before + render_block("b", content) + after, "text outside the block changed"
    assert read_block(body, "b") == content.strip()


TARGETS: list[tuple[str, Any, Callable[[Any], None]]] = [
    ("HPFO answer parser never raises", TEXT, never_raises_answer),
    ("decision command parser never raises", TEXT, never_raises_commands),
    ("config loader: Config or ConfigError", TEXT, config_or_config_error),
    ("block rewriter keeps author text", st.tuples(TEXT, TEXT, TEXT), block_round_trips),
]


def fuzz(strategy: Any, check: Callable[[Any], None], examples: int) -> int:
    count = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: Any) -> None:
        nonlocal count
        count += 1
        check(value)

    run()
    return count


def main(argv: list[str]) -> None:
    examples = int(argv[0]) if argv else 2000
    print(f"{'property':<42}{'inputs':>10}{'failures':>10}{'seconds':>10}")
    for name, strategy, check in TARGETS:
        started = time.perf_counter()
        count = fuzz(strategy, check, examples)  # a failure raises, with the falsifying input
        print(f"{name:<42}{count:>10}{0:>10}{time.perf_counter() - started:>10.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
