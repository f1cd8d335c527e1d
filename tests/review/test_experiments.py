"""Growth experiments of the business review (SPEC §10): the form `init` writes, read as GitHub
renders it and as people write it by hand, as its author wrote it; upcoming / running /
finished; the owner's result; one reminder, ever.

carol runs "Shorter signup form" from 2 to 15 November 2026; dave and bob are teammates with
write access (they can edit her issue and her comments).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ritual_bot.init import (
    EXPERIMENT_FORM_PATH,
    ActionRef,
    Team,
    create_labels,
    init_repository,
)
from ritual_bot.model import Comment, EditHistory, Issue, Revision, Snapshot, User
from ritual_bot.ops import pending
from ritual_bot.rituals.base import Event
from ritual_bot.rituals.review.experiments import (
    REMINDER,
    Experiment,
    Status,
    histories_needed,
    problem_reply,
    read_experiment,
    read_experiments,
    read_fields,
    reminder,
    render_experiments,
)
from ritual_bot.rituals.signoff.thread import Authorship
from ritual_bot.templates import Templates
from tests.support import REPO, World

BOT = "github-actions[bot]"
ACME = ActionRef("acme/ritual-bot", "0123456789abcdef0123456789abcdef01234567", "v1.2.0")
OPENED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
AFTER = date(2026, 11, 20)  # five days after the end
# The body GitHub renders from the experiment form (an empty optional field: _No response_).
FORM_BODY = """\
### Hypothesis

A shorter signup form raises activation by 3 points.

### Metric

activation_rate

### Start

2026-11-02

### End

2026-11-15

### Owner

_No response_
"""
EDITED_BY_DAVE = FORM_BODY.replace("2026-11-15", "2026-12-31").replace("_No response_", "@dave")


def issue(body: str = FORM_BODY, *, edited: bool = False, state: str = "open") -> Issue:
    return Issue(
        number=7,
        title="Experiment: Shorter signup form",
        body=body,
        state=state,
        author=User("carol"),
        created_at=OPENED,
        updated_at=datetime(2026, 11, 10, tzinfo=UTC) if edited else OPENED,
        labels=("experiment",),
        html_url=f"https://github.com/{REPO}/issues/7",
        node_id="I_7",
    )


def comment(id_: int, login: str, body: str, day: int, *, edited_on: int | None = None) -> Comment:
    written = datetime(2026, 11, day, 10, 0, tzinfo=UTC)
    return Comment(
        id=id_,
        issue_number=7,
        author=User(login),
        body=body,
        created_at=written,
        updated_at=written if edited_on is None else datetime(2026, 11, edited_on, tzinfo=UTC),
        html_url=f"https://github.com/{REPO}/issues/7#issuecomment-{id_}",
        node_id=f"C_{id_}",
    )


def snapshot(
    experiment: Issue, comments: Sequence[Comment] = (), edits: Sequence[EditHistory] = ()
) -> Snapshot:
    return Snapshot(
        REPO,
        BOT,
        issues=(experiment,),
        comments={experiment.number: tuple(comments)},
        edits={e.node_id: e for e in edits},
    )


def read(found: Snapshot, today: date = AFTER) -> Experiment:
    written = Authorship(Event("schedule"), found, {})
    return read_experiment(found, found.issues[0], today, written)


# --- reading the body ---------------------------------------------------------------------------


def test_the_rendered_form_reads_every_field_and_an_empty_owner_is_the_author() -> None:
    fields = read_fields(FORM_BODY, "carol")

    assert fields.hypothesis == "A shorter signup form raises activation by 3 points."
    assert fields.metric == "activation_rate"
    assert (fields.start, fields.end) == (date(2026, 11, 2), date(2026, 11, 15))
    assert fields.owner == "carol"
    assert fields.problems == ()


@pytest.mark.parametrize(
    "body",
    [
        "We think a shorter form helps.\n\n## Hypothesis\nShorter form, more activation.\n\n"
        "## Metric\n`activation_rate`\n\n## Owner\n@dave\n\nStart: 2026-11-02\n"
        "**End:** 2026-11-15 (a Sunday)\n",
        "- Hypothèse : Shorter form, more activation.\n- Métrique : `activation_rate`\n"
        "- Début : 2026-11-02\n- Fin : 2026-11-15\n- Responsable : dave\n",
    ],
    ids=["headings-and-label-lines", "french-list"],
)
def test_a_hand_written_body_reads_the_same(body: str) -> None:
    fields = read_fields(body, "carol")

    assert fields.hypothesis == "Shorter form, more activation."
    assert fields.metric == "`activation_rate`"
    assert (fields.start, fields.end) == (date(2026, 11, 2), date(2026, 11, 15))
    assert fields.owner == "dave"
    assert fields.problems == ()


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (("2026-11-15", "2026-13-01"), ["end: '2026-13-01' is not a date YYYY-MM-DD"]),
        (("2026-11-02", "next monday"), ["start: 'next' is not a date YYYY-MM-DD"]),
        (("2026-11-15", "_No response_"), ["end: no date (YYYY-MM-DD)"]),
        (("2026-11-15", "2026-10-01"), ["end 2026-10-01 is before start 2026-11-02"]),
    ],
)
def test_a_date_that_cannot_be_read_is_reported_precisely(
    change: tuple[str, str], problems: list[str]
) -> None:
    found = read(snapshot(issue(FORM_BODY.replace(*change))))

    assert list(found.fields.problems) == problems
    assert found.status is Status.UNCLEAR
    assert found.data()["problems"] == problems
    assert reminder(found, Templates()) is None


def test_other_fields_that_cannot_be_read_are_named_and_the_dates_still_count() -> None:
    body = FORM_BODY.replace("### Owner\n\n_No response_", "### Owner\n\nthe growth team")
    body = body.replace("activation_rate", "_No response_")

    found = read(snapshot(issue(body)))

    assert list(found.fields.problems) == [
        "owner: 'the growth team' is not a GitHub login",
        "metric: empty",
    ]
    assert found.status is Status.FINISHED
    assert found.owner is None and reminder(found, Templates()) is None  # nobody to mention


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 11, 1), Status.UPCOMING),
        (date(2026, 11, 2), Status.RUNNING),  # the start day
        (date(2026, 11, 15), Status.RUNNING),  # the end day is the last one
        (date(2026, 11, 16), Status.FINISHED),
    ],
)
def test_status_on_the_day(today: date, status: Status) -> None:
    assert read(snapshot(issue()), today).status is status


def test_experiments_are_listed_running_then_upcoming_then_finished() -> None:
    later = replace(issue(FORM_BODY.replace("2026-11-02", "2026-11-10")), number=8)
    finished = replace(issue(FORM_BODY.replace("2026-11-15", "2026-11-05")), number=9)
    other = replace(issue(), number=10, labels=("bug",))
    found = Snapshot(REPO, BOT, issues=(finished, other, later, issue()))

    written = Authorship(Event("schedule"), found, {})
    listed = read_experiments(found, "Experiment", date(2026, 11, 6), written)

    assert [(e.number, e.status) for e in listed] == [
        (7, Status.RUNNING),
        (8, Status.UPCOMING),
        (9, Status.FINISHED),
    ]


# --- as its author wrote it ---------------------------------------------------------------------


def history(*revisions: Revision, original: str | None = FORM_BODY) -> EditHistory:
    last = revisions[-1]
    return EditHistory(
        "I_7",
        editor=last.editor,
        last_edited_at=last.at,
        editors=tuple(r.editor or "" for r in revisions),
        original=original,
        revisions=revisions,
    )


DAVE_EDIT = Revision("dave", datetime(2026, 11, 10, tzinfo=UTC), EDITED_BY_DAVE)


def test_a_body_edited_by_someone_else_is_read_as_its_author_wrote_it() -> None:
    edited = issue(EDITED_BY_DAVE, edited=True)

    found = read(snapshot(edited, edits=[history(DAVE_EDIT)]))

    assert found.fields.owner == "carol" and found.fields.end == date(2026, 11, 15)
    assert found.status is Status.FINISHED


def test_the_authors_own_later_edit_counts_over_the_original() -> None:
    mine = Revision("carol", datetime(2026, 11, 11, tzinfo=UTC), EDITED_BY_DAVE)
    edited = issue(EDITED_BY_DAVE, edited=True)

    found = read(snapshot(edited, edits=[history(DAVE_EDIT, mine)]))

    assert found.fields.owner == "dave" and found.status is Status.RUNNING


@pytest.mark.parametrize(
    ("edits", "problem"),
    [
        ([], "its body changed and its edit history (who wrote it) could not be read"),
        ([history(DAVE_EDIT, original=None)], "its author's text is no longer in its edit history"),
    ],
)
def test_a_body_whose_author_cannot_be_known_is_not_read(
    edits: list[EditHistory], problem: str
) -> None:
    found = read(snapshot(issue(EDITED_BY_DAVE, edited=True), edits=edits))

    assert found.problems == (problem,) and found.data()["problems"] == [problem]
    assert found.status is Status.UNCLEAR and found.owner is None


# --- the result ---------------------------------------------------------------------------------

RESULT = "Thanks all!\n\nResult: activation 41% → 44%, we keep the short form."


def test_the_owners_result_after_the_end_is_found_and_nothing_else_counts() -> None:
    thread = [
        comment(1, "carol", "Result: looking good so far", 10),  # before the end: interim
        comment(2, "dave", "Result: it did not work", 16),  # not the owner
        comment(3, "carol", "Will post the result soon!", 16),  # no result line
        comment(4, "carol", "> Result: quoted\n\nAgreed.", 16),  # a quote is not hers
        comment(5, "carol", "```\nResult: 1\n```", 16),  # code
        comment(6, "carol", RESULT, 17),
    ]

    found = read(snapshot(issue(), thread))

    assert found.result is not None
    assert found.result.gist == "activation 41% → 44%, we keep the short form."
    assert found.data()["result_url"] == thread[-1].html_url
    assert not found.reminder_due


def test_a_result_edited_by_someone_else_does_not_count() -> None:
    hers = comment(6, "carol", RESULT, 17, edited_on=18)
    by_bob = EditHistory(
        "C_6", editor="bob", last_edited_at=datetime(2026, 11, 18, tzinfo=UTC), editors=("bob",)
    )
    found_snapshot = snapshot(issue(), [hers], [by_bob])

    assert histories_needed(found_snapshot, found_snapshot.issues) == {"C_6"}
    assert read(found_snapshot).result is None
    assert read(snapshot(issue(), [hers])).result is None  # editor unknown: nobody's
    by_carol = replace(by_bob, editor="carol", editors=("carol",))
    assert read(snapshot(issue(), [hers], [by_carol])).result is not None


def test_the_end_day_is_the_teams() -> None:
    # 14 November 12:00 UTC is already the 15th, the end day, in Auckland (UTC+13).
    hers = comment(6, "carol", RESULT, 14)
    hers = replace(hers, created_at=hers.created_at.replace(hour=12))
    found = snapshot(issue(), [replace(hers, updated_at=hers.created_at)])
    written = Authorship(Event("schedule"), found, {})

    auckland = ZoneInfo("Pacific/Auckland")
    assert read_experiment(found, found.issues[0], AFTER, written, auckland).result is not None
    assert read_experiment(found, found.issues[0], AFTER, written, UTC).result is None


# --- the reminder -------------------------------------------------------------------------------


def test_a_reminder_marker_pasted_by_a_person_suppresses_nothing() -> None:
    pasted = comment(8, "dave", f"<!-- ritual-bot:{REMINDER} issue=7 -->", 16)

    assert reminder(read(snapshot(issue(), [pasted])), Templates()) is not None


def test_a_closed_experiment_is_listed_and_never_reminded() -> None:
    found = read(snapshot(issue(state="closed")))

    assert found.status is Status.FINISHED and found.result is None
    assert reminder(found, Templates()) is None


@pytest.mark.parametrize(("language", "asks"), [("en", "`Result:`"), ("fr", "`Résultat :`")])
def test_the_reminder_mentions_the_owner_in_the_teams_language(language: str, asks: str) -> None:
    title = "Experiment: @everyone <!-- ritual-bot:x --> {{ 7 * 7 }}"
    found = read(snapshot(replace(issue(), title=title)))

    op = reminder(found, Templates(language))

    assert op is not None and op.number == 7
    assert op.marker.kind == REMINDER and op.marker.get("issue") == "7"
    assert op.body.count("@carol") == 1 and asks in op.body and "2026-11-15" in op.body
    assert "@everyone" not in op.body and "<!--" not in op.body.split("\n", 1)[1]
    assert "{{ 7 * 7 }}" in op.body  # people's text is data, never template code


def test_no_reply_is_planned_on_an_issue_whose_comments_were_not_read() -> None:
    # The bot's earlier reminder could be among them: planning blind could write it twice.
    unread = replace(issue(), comments_count=2)
    found = read(Snapshot(REPO, BOT, issues=(unread,)))

    assert not found.thread_read and reminder(found, Templates()) is None
    bad = replace(unread, body=FORM_BODY.replace("2026-11-15", "soon"))
    assert problem_reply(read(Snapshot(REPO, BOT, issues=(bad,))), Templates()) is None


def test_fields_that_cannot_be_read_get_one_reply_per_set_of_problems() -> None:
    bad = issue(FORM_BODY.replace("2026-11-15", "soon"))
    op = problem_reply(read(snapshot(bad)), Templates())
    assert op is not None and op.body.count("@carol") == 1
    assert "- end: 'soon' is not a date YYYY-MM-DD" in op.body
    sent = replace(comment(9, BOT, op.body, 12), author=User(BOT, "Bot"))

    assert problem_reply(read(snapshot(bad, [sent])), Templates()) is None  # said once
    worse = issue(FORM_BODY.replace("2026-11-15", "soon").replace("2026-11-02", "now"))
    assert problem_reply(read(snapshot(worse, [sent])), Templates()) is not None  # a new one
    assert problem_reply(read(snapshot(replace(bad, state="closed"))), Templates()) is None
    unknown = read(snapshot(issue(EDITED_BY_DAVE, edited=True)))
    assert unknown.problems and problem_reply(unknown, Templates()) is None  # not her fault


def test_the_review_lists_them_by_status_without_pinging_anyone() -> None:
    running = read(snapshot(issue()), date(2026, 11, 10))
    finished = read(snapshot(issue(), [comment(6, "carol", RESULT, 17)]))
    title = "Pricing | <b>test</b> @dave"
    waiting = read(snapshot(replace(issue(), title=title)))

    text = render_experiments(Templates(), [running, finished, waiting], "experiment")

    assert text.index("**Running**") < text.index("**Finished**")
    assert finished.result is not None
    assert f"Result: [{finished.result.gist}]({finished.result.url})" in text
    assert "no result from its owner yet" in text
    assert "@carol" not in text and "@dave" not in text and "<b>" not in text
    empty = render_experiments(Templates("fr"), [], "experiment")
    assert "Aucune expérience ne porte l'étiquette `experiment`." in empty


# --- end to end on the sandbox ------------------------------------------------------------------


def read_from(world: World, today: date) -> list[Experiment]:
    """What a run reads: the labelled issues, their comments, the histories they need."""
    gateway = world.gateway()
    issues = gateway.list_issues("experiment", since=None)
    comments = {i.number: tuple(gateway.issue_comments(i.number)) for i in issues}
    listed = Snapshot(REPO, BOT, issues=tuple(issues), comments=comments)
    edits = gateway.edit_histories(sorted(histories_needed(listed, issues)))
    found = replace(listed, edits=edits)
    return read_experiments(found, "experiment", today, Authorship(Event("schedule"), found, {}))


def test_init_writes_the_form_and_a_finished_experiment_is_reminded_once(
    world: World, tmp_path: Path
) -> None:
    init_repository(tmp_path, Team(["alice", "bob", "carol", "dave"]), ACME)
    form = (tmp_path / EXPERIMENT_FORM_PATH).read_text()
    box = world.sandbox
    box.put_file(REPO, str(EXPERIMENT_FORM_PATH), form, user="alice")
    create_labels(world.gateway(), "", form)  # what init does with a token
    world.at("2026-11-01T09:00:00")
    answers = {
        "hypothesis": "A shorter signup form raises activation by 3 points.",
        "metric": "activation_rate",
        "start": "2026-11-02",
        "end": "2026-11-15",
    }
    opened = box.open_issue_with_form(
        REPO, str(EXPERIMENT_FORM_PATH), user="carol", title="Shorter form", answers=answers
    )
    number = int(opened["number"])
    assert "### Owner\n\n_No response_" in opened["body"]
    world.at("2026-11-10T09:00:00")  # dave moves the end and makes himself the owner
    moved = opened["body"].replace("2026-11-15", "2027-01-31").replace("_No response_", "@dave")
    box.edit_issue_body(REPO, number, body=moved, user="dave")
    world.at("2026-11-20T09:00:00")

    [found] = read_from(world, AFTER)
    assert (found.status, found.owner, found.result) == (Status.FINISHED, "carol", None)
    op = reminder(found, Templates())
    assert op is not None
    gateway = world.gateway()
    list(gateway.apply([op]))

    [again] = read_from(world, AFTER)
    assert again.reminded and reminder(again, Templates()) is None
    later = Snapshot(REPO, BOT, comments={number: tuple(gateway.issue_comments(number))})
    assert pending([op], later) == []  # the marker dedups it too
    reminders = [c for c in box.comments(REPO, number) if f":{REMINDER} " in c["body"]]
    assert len(reminders) == 1 and "@carol" in reminders[0]["body"]

    box.create_comment(REPO, number, body="Result: +3 points, we keep it.", user="carol")
    [done] = read_from(world, AFTER)
    assert done.result is not None and done.result.gist == "+3 points, we keep it."
