"""Check-in values, KR references and the OKR maths (SPEC §8, issue 14 points 5, 6, 7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ritual_bot.rituals.keyresults.plan import parse_plan
from ritual_bot.rituals.keyresults.score import (
    Quarter,
    average,
    behind_pace,
    expected_pace,
    kr_progress,
    objective_score,
)
from ritual_bot.rituals.keyresults.text import Quantity
from ritual_bot.rituals.keyresults.values import (
    Confidence,
    Dated,
    check_values,
    kr_references,
    latest,
    read_checkin,
    read_kr_commands,
    unknown_references,
)

PLAN = parse_plan(
    "## O1 Onboarding\n- KR1.1 Activation: 32% → 45%\n- KR1.2 Time to check-in: 6d → 2d\n"
    "- KR1.3 Wizard shipped\n"
).plan

ANSWER = """\
Highlights: shipped the wizard.

- **KR1.1**: 38% 🟢
- RC1.2 : 4 jours, à risque
- KR1.3: done
KR1.1 is what I worked on most (not a value: no colon)

> KR1.1: 99% 🟢
```
KR1.2: 1d
```
KR9.9: 3
KR1.2: soon
"""


def test_checkin_lines_in_an_hpfo_answer() -> None:
    reading = read_checkin(ANSWER)
    assert [(v.kr, v.value, v.confidence, v.line) for v in reading.values] == [
        ("KR1.1", Quantity(38, "%"), Confidence.ON_TRACK, 3),
        ("KR1.2", Quantity(4, "d"), Confidence.AT_RISK, 4),
        ("KR1.3", Quantity(1), None, 5),
        ("KR9.9", Quantity(3), None, 12),
    ]
    assert [str(p) for p in reading.problems] == ["line 13: KR1.2: no value (write KR1.2: 38% 🟢)"]
    assert [str(p) for p in check_values(reading.values, PLAN)] == [
        "line 12: KR9.9: no such key result; yours: KR1.1, KR1.2, KR1.3"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/kr KR1.1 38% at risk", ("KR1.1", Quantity(38, "%"), Confidence.AT_RISK)),
        ("/kr KR1.1: 40% 🔴", ("KR1.1", Quantity(40, "%"), Confidence.OFF_TRACK)),
        ("/KR rc1.2 3 days on track", ("KR1.2", Quantity(3, "d"), Confidence.ON_TRACK)),
        ("/kr KR1.3 shipped", ("KR1.3", Quantity(1), None)),
        ("/kr KR1.1 41 % en bonne voie", ("KR1.1", Quantity(41, "%"), Confidence.ON_TRACK)),
        ("/kr KR1.1 41% hors trajectoire", ("KR1.1", Quantity(41, "%"), Confidence.OFF_TRACK)),
    ],
)
def test_kr_commands(line: str, expected: tuple[object, ...]) -> None:
    (value,) = read_kr_commands(f"Update:\n{line}\n").values
    assert (value.kr, value.value, value.confidence) == expected


def test_kr_command_problems_and_units() -> None:
    reading = read_kr_commands("/kr 38%\n/kr KR1.1 soon\n/kr KR1.2 30%\n> /kr KR1.1 1%\n")
    assert [str(p) for p in reading.problems] == [
        "line 1: /kr: which KR? write /kr KR1.1 38% on track",
        "line 2: KR1.1: no value (write KR1.1: 38% 🟢)",
    ]
    assert [str(p) for p in check_values(reading.values, PLAN)] == [
        "line 3: KR1.2: 30% but it is in d"
    ]


def test_kr_references_in_objectives() -> None:
    text = "- Ship the wizard (KR1.3)\n- [RC1.1] emails #KR1.2, &#KR1.1;\n- `(KR1.2)`?\n- #KR4.1\n"
    refs = kr_references(text)
    assert refs == ((1, "KR1.3"), (2, "KR1.1"), (2, "KR1.2"), (4, "KR4.1"))
    assert [str(p) for p in unknown_references(refs, PLAN)] == [
        "line 4: KR4.1: no such key result; yours: KR1.1, KR1.2, KR1.3"
    ]


def test_the_latest_value_per_kr_wins() -> None:
    values = read_checkin("KR1.1: 30%\nKR1.1: 35%\nKR1.2: 5d\n").values
    monday, friday = datetime(2027, 1, 4, tzinfo=UTC), datetime(2027, 1, 8, tzinfo=UTC)
    entries = [Dated(friday, values[2]), Dated(friday, values[0]), Dated(monday, values[1])]
    assert {kr: d.value.value.value for kr, d in latest(entries).items()} == {
        "KR1.1": 30,
        "KR1.2": 5,
    }
    # At the same time, the later line wins.
    same = latest([Dated(monday, values[0]), Dated(monday, values[1])])
    assert same["KR1.1"].value.value == Quantity(35, "%")


@pytest.mark.parametrize(
    ("kr", "value", "progress"),
    [
        ("KR1.1", None, 0.0),
        ("KR1.1", 32, 0.0),
        ("KR1.1", 38.5, 0.5),
        ("KR1.1", 50, 1.0),  # capped
        ("KR1.1", 20, 0.0),  # below the baseline
        ("KR1.2", 4, 0.5),  # lower is better
        ("KR1.2", 1, 1.0),
        ("KR1.2", 8, 0.0),
        ("KR1.3", 0, 0.0),  # milestone
        ("KR1.3", 1, 1.0),
    ],
)
def test_kr_progress(kr: str, value: float | None, progress: float) -> None:
    found = PLAN.find(kr)
    assert found is not None
    assert kr_progress(found, value) == pytest.approx(progress)


def test_objective_owner_and_team_scores() -> None:
    score = objective_score([("KR1.1", 0.5), ("KR1.2", 0.2), ("KR1.3", 0.2)])
    assert score.progress == pytest.approx(0.3) and score.weakest == "KR1.2"
    assert average([0.3, 0.9]) == pytest.approx(0.6)
    assert average([]) is None


@pytest.mark.parametrize(
    ("confidence", "progress", "pace", "flagged"),
    [
        (Confidence.ON_TRACK, 0.35, 0.45, True),  # exactly 10 points, despite float noise
        (Confidence.ON_TRACK, 0.36, 0.45, False),
        (Confidence.AT_RISK, 0.1, 0.9, False),
        (None, 0.1, 0.9, False),
    ],
)
def test_green_but_behind_pace(
    confidence: Confidence | None, progress: float, pace: float, flagged: bool
) -> None:
    assert behind_pace(confidence, progress, pace) is flagged


@pytest.mark.parametrize(
    ("day", "start_month", "name", "first", "last"),
    [
        (date(2027, 2, 14), 1, "2027-Q1", date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 12, 31), 1, "2027-Q4", date(2027, 10, 1), date(2027, 12, 31)),
        (date(2027, 4, 1), 4, "2027-Q1", date(2027, 4, 1), date(2027, 6, 30)),
        (date(2028, 3, 31), 4, "2027-Q4", date(2028, 1, 1), date(2028, 3, 31)),
        (date(2027, 1, 15), 2, "2026-Q4", date(2026, 11, 1), date(2027, 1, 31)),
    ],
)
def test_fiscal_quarters_are_named_by_the_year_they_start(
    day: date, start_month: int, name: str, first: date, last: date
) -> None:
    quarter = Quarter.of(day, start_month)
    assert (str(quarter), quarter.start, quarter.end) == (name, first, last)
    assert Quarter.parse(name, start_month) == quarter
    assert quarter.next().previous() == quarter
    assert quarter.next().start == last + timedelta(days=1)


def test_quarter_errors() -> None:
    with pytest.raises(ValueError, match=r"expected e\.g\. 2027-Q1"):
        Quarter.parse("2027-Q5")
    with pytest.raises(ValueError, match="no such quarter"):
        Quarter(2027, 1, 13)


def test_expected_pace() -> None:
    quarter = Quarter.parse("2027-Q1")  # 90 days
    assert expected_pace(quarter, date(2026, 12, 31)) == 0.0
    assert expected_pace(quarter, date(2027, 1, 1)) == pytest.approx(1 / 90)
    assert expected_pace(quarter, date(2027, 2, 14)) == pytest.approx(45 / 90)
    assert expected_pace(quarter, date(2027, 3, 31)) == 1.0
    assert expected_pace(quarter, date(2027, 5, 1)) == 1.0


def test_score_commands_are_read_from_prose_only_and_a_malformed_one_is_a_problem() -> None:
    from ritual_bot.rituals.keyresults.values import Score, read_score_commands

    text = (
        "/score RC1.3 0,5 half of the wizard shipped\n"
        "> /score KR1.1 1 quoted from someone else\n"
        "```\n/score KR1.2 0.9\n```\n"
        "/score KR1.2 high\n"
        "/score KR1.1 1.7 capped\n"
    )
    reading = read_score_commands(text)
    assert reading.scores == (
        Score("KR1.3", 0.5, "half of the wizard shipped", 1),
        Score("KR1.1", 1.0, "capped", 7),
    )
    assert [str(p) for p in reading.problems] == ["line 6: /score: write /score KR1.1 0.6 and why"]
