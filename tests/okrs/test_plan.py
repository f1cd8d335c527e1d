"""The OKR plan parser on plans written as people write them (SPEC §8, issue 14 point 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ritual_bot.rituals.keyresults.plan import KeyResult, Objective, Plan, parse_plan, render_plan
from ritual_bot.rituals.keyresults.text import Quantity, format_quantity

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "data" / "okrs" / "plans.yml").read_text("utf-8")
)


def understood(plan: Plan) -> list[str]:
    """The plan in the compact form of plans.yml."""
    lines = []
    for objective in plan.objectives:
        lines.append(f"{objective.id} {objective.title}".strip())
        for kr in objective.key_results:
            if kr.baseline is None or kr.target is None:
                lines.append(f"{kr.id} {kr.text} | milestone")
                continue
            numbers = f"{format_quantity(kr.baseline)} → {format_quantity(kr.target)}"
            lines.append(
                f"{kr.id} {kr.text} | {numbers}" + (" lower" if kr.lower_is_better else "")
            )
    return lines


def test_there_are_forty_real_looking_plans() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_each_plan_is_understood_line_by_line(case: dict[str, Any]) -> None:
    reading = parse_plan(case["text"])
    assert understood(reading.plan) == case["expect"]
    assert [str(p) for p in reading.problems] == case.get("problems", [])
    if reading.ok:  # what the bot shows, read again, is the same plan
        assert parse_plan(render_plan(reading.plan)) == reading


def test_french_plans_render_back_in_french() -> None:
    text = "## O1 Croissance\n- RC1.1 Ventes: 10 → 20\n- RC1.2 Site refait\n"
    reading = parse_plan(text)
    assert reading.plan.french
    assert render_plan(reading.plan) == text


def test_crlf_and_line_numbers() -> None:
    reading = parse_plan("Intro\r\n\r\n## O1 X\r\n- KR1.1 a: 1 →\r\n- KR1.2 b\r\n")
    assert [str(p) for p in reading.problems] == [
        "line 3: O1 has 1 key result: 2 to 5",
        "line 4: KR1.1: no target after →",
    ]


# --- the round trip ----------------------------------------------------------------------------

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéàABCXYZ", min_size=1, max_size=8)
_WORDS = st.lists(_WORD, min_size=1, max_size=5).map(" ".join)
_UNITS = st.sampled_from(["", "%", "d", "h", "min", "s", "ms", "pts", "$", "€", "£"])
_VALUE = st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False).map(float)


@st.composite
def _key_result(draw: st.DrawFn, ident: str) -> KeyResult:
    text = draw(_WORDS)
    if draw(st.booleans()):
        return KeyResult(ident, text)
    unit = draw(_UNITS)
    baseline = draw(_VALUE)
    target = draw(_VALUE.filter(lambda v: v != baseline))
    return KeyResult(ident, text, Quantity(baseline, unit), Quantity(target, unit))


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    objectives = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        count = draw(st.integers(2, 5))
        krs = tuple(draw(_key_result(f"KR{number}.{k}")) for k in range(1, count + 1))
        objectives.append(Objective(number, draw(_WORDS), krs))
    return Plan(tuple(objectives), draw(st.booleans()))


@given(plans())
def test_rendering_a_plan_and_reading_it_again_gives_the_same_plan(plan: Plan) -> None:
    reading = parse_plan(render_plan(plan))
    assert reading.problems == ()
    assert reading.plan == plan


_PIECES = st.sampled_from(
    [
        "## O1 ",
        "- KR1.1 ",
        "RC2.1",
        " → ",
        "->",
        "≥ ",
        "from ",
        " to ",
        "de ",
        " à ",
        "32%",
        "$1,2k",
        "| KR | Baseline | Target |",
        "|",
        "\n",
        "> ",
        "```",
        "<!--",
        "**",
        "(today 3)",
        "x",
    ]
)


@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=30).map("".join))
def test_any_text_is_read_without_an_exception(text: str) -> None:
    reading = parse_plan(text)
    assert reading.ok or all(p.line >= 1 for p in reading.problems)
