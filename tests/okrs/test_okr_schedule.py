"""The moments OKRs add to `ritual-bot schedule` (SPEC §7 cost): planning opening in each owner's
morning, the tracker's weekly refresh, the quarter's last day and its close a week later."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ritual_bot.schedule import due_moments
from tests.okrs.test_planning import config
from tests.support import make_config


def test_the_quarter_s_moments_are_in_the_schedule() -> None:
    found = {
        (d.what, d.at.astimezone(ZoneInfo(d.zone)).replace(tzinfo=None))
        for d in due_moments(config(), date(2026, 12, 1), days=130)
        if d.what.startswith("OKR")
    }
    assert ("OKR planning opens", datetime(2026, 12, 18, 9, 0)) in found  # alice, Paris
    assert ("OKR tracker", datetime(2027, 1, 11, 9, 0)) in found  # a Monday, team timezone
    assert ("OKR final values", datetime(2027, 3, 31, 9, 0)) in found  # Q4 of an April year
    assert ("OKR scores", datetime(2027, 4, 7, 9, 0)) in found
    # Planning for the next quarter, 14 days before 2027-04-01.
    assert ("OKR planning opens", datetime(2027, 3, 18, 9, 0)) in found


def test_no_okr_moment_without_owners() -> None:
    plain = make_config("version: 1\nmembers: [alice]\n")
    assert [d for d in due_moments(plain, date(2026, 12, 1), 130) if "OKR" in d.what] == []
