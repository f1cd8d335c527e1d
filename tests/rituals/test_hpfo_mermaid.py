"""The participation chart is valid Mermaid (checked against tests/rituals/mermaid_grammar.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ritual_bot.rituals.mermaid import Series, stacked_bars
from tests.rituals.mermaid_grammar import InvalidChart, parse_chart

LAYERS = (("answered", "#2da44e"), ("skipped", "#bf8700"), ("missing", "#cf222e"))


def chart(counts: list[tuple[int, int, int]], title: str = "Participation") -> str:
    layers = [
        Series(name, color, tuple(week[i] for week in counts))
        for i, (name, color) in enumerate(LAYERS)
    ]
    return stacked_bars(title, [f"2026-W{40 + i}" for i in range(len(counts))], layers, "members")


def test_the_stack_is_drawn_as_running_totals_from_the_top_down() -> None:
    parsed = parse_chart(chart([(3, 1, 1), (4, 0, 1)]))
    assert parsed.categories == ("2026-W40", "2026-W41")
    assert parsed.bars == ((5, 5), (4, 4), (3, 4))  # all, answered+skipped, answered
    assert parsed.high == 5 and parsed.low == 0
    assert parsed.palette == ("#cf222e", "#bf8700", "#2da44e")  # back to front


def test_quotes_and_newlines_in_labels_cannot_break_the_chart() -> None:
    parsed = parse_chart(chart([(1, 0, 0)], title='Team "A"\n    bar [99]'))
    assert parsed.bars == ((1,), (1,), (1,))
    assert '"' not in parsed.title


def test_an_empty_team_still_has_a_y_axis() -> None:
    assert parse_chart(chart([(0, 0, 0)])).high == 1


def test_the_checker_rejects_what_mermaid_would_not_draw() -> None:
    good = chart([(3, 1, 1)])
    for broken in (
        good.replace("xychart-beta", "xychart-alpha"),
        good.replace("bar [5]", "bar [5, 6]"),
        good.replace('"members" 0 --> 5', '"members" 0 --> 4'),
        good.replace("bar [3]", "bar [9]"),
        good.replace('title "Participation"', "title Participation by week"),
    ):
        with pytest.raises(InvalidChart):
            parse_chart(broken)


def test_series_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        stacked_bars("t", ["a", "b"], [Series("x", "#000000", (1,))], "y")


@given(
    st.lists(st.tuples(*(st.integers(0, 300),) * 3), min_size=1, max_size=8),
    st.text(max_size=40),
)
def test_any_counts_and_title_give_a_valid_chart(
    counts: list[tuple[int, int, int]], title: str
) -> None:
    parsed = parse_chart(chart(counts, title))
    assert parsed.bars[0] == tuple(sum(week) for week in counts)
