"""Two runs that overlap on one issue (SPEC §7 idempotence, GitHub's concurrency rules).

GitHub keeps one running and one pending run per concurrency group, and a newer pending run
cancels the older pending one (https://docs.github.com/actions/using-jobs/using-concurrency).
Scheduled runs have their own group (``github.run_id``), so a scheduled run can overlap the event
run of a freshly labelled decision: both read the thread before either writes.
"""

from __future__ import annotations

from ritual_bot.rituals.base import Event
from ritual_bot.sandbox import Request, Response
from tests.decisions.helpers import Team


def test_a_scheduled_run_overlapping_an_event_run_posts_no_second_start(team: Team) -> None:
    number = team.open_issue()
    event = team.label(number)
    box = team.world.sandbox
    fired: list[bool] = []

    def event_run_lands_first(request: Request) -> Response | None:
        # The scheduled run's first write waits for the event run to finish all of its own.
        if request.method in ("POST", "PATCH") and not fired:
            fired.append(True)
            team.run(event)
        return None

    box.before_request.append(event_run_lands_first)
    team.run(Event("schedule"))
    box.before_request.remove(event_run_lands_first)

    assert fired
    assert len(team.bot_comments(number, "decision-start")) == 1
    assert team.labels(number) == {"decision", "decision: open"}


def test_a_cancelled_pending_run_loses_nothing(team: Team) -> None:
    """Three quick comments: the second run is cancelled while pending; the third does its work."""
    number = team.started()
    team.comment(number, "bob", "/approve")  # its run is cancelled while pending
    _, last = team.comment(number, "carol", "/concern Too slow")
    team.run_twice(last)
    block = team.block(number)
    assert "- [x] @bob: approves" in block  # the cancelled run's work, done by the last one
    assert "Concern from @carol: Too slow" in block
