"""parse_duration: the `remind_after` syntax, reused wherever the bot reads a duration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ritual_bot.config import parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1d", timedelta(days=1)),
        ("36h", timedelta(hours=36)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("90m", timedelta(minutes=90)),
        ("2w", timedelta(weeks=2)),
        ("1w2d3h4m", timedelta(weeks=1, days=2, hours=3, minutes=4)),
        ("0d1m", timedelta(minutes=1)),
        ("007h", timedelta(hours=7)),
        ("100000d", timedelta(days=100000)),
    ],
)
def test_valid_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "d", "1", "1 d", " 1d", "1d ", "1D", "1M", "1s", "1.5d", "-1d", "+1d", "12h1d", "1d1d",
     "1m1h", "1dd", "1d 12h", "\uff11d"],
)  # fmt: skip
def test_malformed_durations_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    assert str(caught.value) == (
        f"{text!r} is not a duration: use <number><unit> parts with units w, d, h, m in that "
        "order (e.g. 1d, 36h, 1d12h, 90m)"
    )


@pytest.mark.parametrize("text", ["0d", "0m", "0w0d0h0m"])
def test_zero_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="must be longer than zero"):
        parse_duration(text)


def test_absurdly_long_durations_fail_cleanly() -> None:
    with pytest.raises(ValueError, match="too long"):
        parse_duration("99999999999999w")


@given(
    st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000), st.integers(1, 10_000)
)
def test_parts_add_up(weeks: int, days: int, hours: int, minutes: int) -> None:
    text = f"{weeks}w{days}d{hours}h{minutes}m"
    assert parse_duration(text) == timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
