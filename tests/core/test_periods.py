"""ISO-week periods and local due times, across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ritual_bot.periods import Period, due_at, local_instant, local_period

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def test_period_of_a_date_is_its_iso_week() -> None:
    assert str(Period.of(date(2026, 11, 26))) == "2026-W48"
    # 2027-01-01 is a Friday: it belongs to the last ISO week of 2026.
    assert str(Period.of(date(2027, 1, 1))) == "2026-W53"


def test_parse_round_trips_and_rejects_bad_weeks() -> None:
    assert Period.parse("2026-W48") == Period(2026, 48)
    assert str(Period.parse("2026-W01")) == "2026-W01"
    for bad in ("2026-48", "2026-W5", "2025-W53", "W48"):
        with pytest.raises(ValueError):
            Period.parse(bad)


def test_previous_and_next_cross_year_boundaries() -> None:
    assert Period(2027, 1).previous() == Period(2026, 53)
    assert Period(2026, 53).next() == Period(2027, 1)


def test_monday_nine_in_paris_is_eight_utc_in_winter_seven_in_summer() -> None:
    assert due_at(Period(2026, 48), 0, time(9), PARIS) == datetime(2026, 11, 23, 8, tzinfo=UTC)
    assert due_at(Period(2026, 27), 0, time(9), PARIS) == datetime(2026, 6, 29, 7, tzinfo=UTC)


def test_the_week_clocks_change_in_new_york_keeps_local_nine() -> None:
    # US DST starts Sunday 2026-03-08 (the last day of W10): 09:00 EST was 14:00 UTC, 09:00 EDT
    # is 13:00 UTC, from that very Sunday on.
    assert due_at(Period(2026, 10), 0, time(9), NEW_YORK) == datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert due_at(Period(2026, 10), 6, time(9), NEW_YORK) == datetime(2026, 3, 8, 13, tzinfo=UTC)
    assert due_at(Period(2026, 11), 0, time(9), NEW_YORK) == datetime(2026, 3, 9, 13, tzinfo=UTC)


def test_a_wall_time_skipped_by_dst_moves_past_the_gap() -> None:
    # Europe/Paris jumps from 02:00 to 03:00 on 2026-03-29: 02:30 does not exist.
    assert local_instant(date(2026, 3, 29), time(2, 30), PARIS) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_a_repeated_wall_time_takes_its_first_occurrence() -> None:
    # Europe/Paris goes back from 03:00 to 02:00 on 2026-10-25: 02:30 happens twice.
    assert local_instant(date(2026, 10, 25), time(2, 30), PARIS) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_local_period_follows_the_persons_own_date() -> None:
    # Sunday 23:30 UTC is already Monday in Tokyo: Tokyo lives in the next ISO week.
    now = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert local_period(now, ZoneInfo("Asia/Tokyo")) == Period(2026, 49)
    assert local_period(now, NEW_YORK) == Period(2026, 48)
