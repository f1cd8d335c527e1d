"""GitHub turns off a public repository's scheduled workflows after 60 days without activity.

"In a public repository, scheduled workflows are automatically disabled when no repository
activity has occurred in 60 days"
(https://docs.github.com/actions/using-workflows/disabling-and-enabling-a-workflow); comments and
issues do not count, a push does. For a team whose rituals run on the schedule that means
check-ins silently stop: the bot says so seven days ahead, in the digest and the step summary.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ritual_bot.model import Repository

INACTIVE_AFTER = timedelta(days=60)
WARN_AHEAD = timedelta(days=7)


def schedule_expiry(repository: Repository | None, now: datetime) -> datetime | None:
    """When GitHub will turn the schedule off, if that is within the warning window."""
    if repository is None or repository.private or repository.pushed_at is None:
        return None
    expires = repository.pushed_at + INACTIVE_AFTER
    return expires if now >= expires - WARN_AHEAD else None


def expiry_notice(expires: datetime) -> str:
    """The step summary's line (the digest says the same through its template)."""
    return (
        f"schedule: GitHub turns off this public repository's scheduled runs on "
        f"{expires.date().isoformat()} (60 days after the last push): push any commit to keep "
        "check-ins coming, or re-enable the workflow in the Actions tab if it is already off"
    )
