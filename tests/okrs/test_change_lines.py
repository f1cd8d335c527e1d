"""Change lines amending a committed quarter (SPEC §8 `/okr change`, issue 14 point 6)."""

from __future__ import annotations

import pytest

from ritual_bot.rituals.keyresults.plan import Plan, parse_plan, render_plan
from ritual_bot.rituals.keyresults.text import Quantity
from ritual_bot.rituals.okrs.change_lines import apply_changes

PLAN = parse_plan(
    "## O1 Make onboarding effortless\n"
    "- KR1.1 Activation rate: 32% → 45%\n"
    "- KR1.2 Time to first value: 6d → 2d\n"
    "- KR1.3 Ship the guided tour\n"
).plan


def amended(text: str, plan: Plan = PLAN) -> Plan:
    result, problems = apply_changes(plan, text)
    assert problems == ()
    return result


def test_target_and_baseline_in_english_and_french() -> None:
    plan = amended("We agreed to slow down.\n\n- target KR1.1 50%\n- référence RC1.2 7 j\n")
    kr11, kr12 = plan.find("KR1.1"), plan.find("KR1.2")
    assert kr11 is not None and kr11.target == Quantity(50, "%")
    assert kr12 is not None and kr12.baseline == Quantity(7, "d")
    assert amended("cible RC1.1 50 %") == amended("target KR1.1 50%")


def test_drop_add_and_rename_keep_a_readable_plan() -> None:
    plan = amended(
        "drop KR1.3\nadd O1 KR1.4 NPS: 20 → 35\najouter O1 Publier le guide\n"
        "rename O1 Onboarding in a day"
    )
    assert [kr.id for kr in plan.key_results()] == ["KR1.1", "KR1.2", "KR1.4", "KR1.5"]
    assert plan.objectives[0].title == "Onboarding in a day"
    assert plan.find("KR1.5") is not None and plan.find("KR1.5").target is None  # type: ignore[union-attr]
    assert parse_plan(render_plan(plan)).plan == plan


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("target KR9.1 50%", "KR9.1 is not in the committed plan"),
        ("target KR1.1", "KR1.1: no target after KR1.1 (write a number like 50%)"),
        ("target KR1.1 5d", "KR1.1 is in %, not d"),
        ("target KR1.1 32%", "KR1.1: target 32% would be the baseline: nothing to move"),
        ("cible RC1.3 2", "KR1.3 is a milestone: it has no target (drop it and add a numeric one)"),
        ("drop the tour", "no key result id (KR1.1) after the word"),
        ("add O2 KR2.1 x: 1 → 2", "O2 is not in the committed plan"),
        ("add O1 KR1.2 x: 1 → 2", "KR1.2 is already in the plan: pick the next number"),
        ("add O1 KR2.4 x: 1 → 2", "KR2.4: under O1, number it KR1.n"),
        ("add O1 Speed: 3 →", "KR1.4: no target after →"),
        ("rename O1", "O1: no new title after rename O1"),
        ("drop KR1.3\ndrop KR1.2", "O1 would have 1 key results: 2 to 5"),
    ],
)
def test_each_bad_line_is_one_precise_problem_and_nothing_is_applied(
    text: str, message: str
) -> None:
    plan, problems = apply_changes(PLAN, "target KR1.2 3d\n" + text)
    assert plan == PLAN
    assert [p.message for p in problems] == [message]


def test_a_decision_with_no_change_line_is_a_problem() -> None:
    plan, problems = apply_changes(PLAN, "We talked.\n\n> target KR1.1 50% (quoted)\n")
    assert plan == PLAN
    assert [p.message for p in problems] == ["no change line (target, baseline, drop, add, rename)"]
