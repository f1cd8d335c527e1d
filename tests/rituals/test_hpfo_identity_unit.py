"""hpfo.identity, dedupe and find_bot_issue on hand-built snapshots (pure: no HTTP).

The scenario tests (test_hpfo_identity.py) run the attacks end to end; these pin each rule.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ritual_bot.dedupe import plan_duplicate_closing
from ritual_bot.markers import Marker, find_markers
from ritual_bot.model import EditHistory, Issue, Revision, Snapshot
from ritual_bot.ops import CreateIssue, UpdateIssue, after, find_bot_issue
from ritual_bot.periods import Period
from ritual_bot.rituals.hpfo.core import Checkin, Kind, answered_in_body
from ritual_bot.rituals.hpfo.identity import Claim, plausible_claim, repaired_body, resolve
from ritual_bot.rituals.hpfo.ritual import HpfoRitual
from ritual_bot.rituals.hpfo.summary import has_summary
from tests.rituals.hpfo_builders import BOT, context, open_checkin, snapshot
from tests.support import make_config

CONFIG = make_config(
    "version: 1\ntimezone: Europe/Paris\n"
    "members: [alice, {login: bob, timezone: America/New_York}, carol]\n"
)
W48 = Period(2026, 48)
BOB = Marker.of(Kind.CHECKIN, member="bob", period="2026-W48").render()
ALICE = Marker.of(Kind.CHECKIN, member="alice", period="2026-W48").render()


def edited(issue: Issue, body: str, node: str = "") -> Issue:
    """``issue`` after a person saved ``body`` an hour after it was created."""
    return replace(
        issue, body=body, updated_at=issue.created_at + timedelta(hours=1), node_id=node or "I1"
    )


def with_history(issues: list[Issue], originals: dict[str, str]) -> Snapshot:
    edits = {
        node: EditHistory(node, "alice", issues[0].updated_at, ("alice",), body)
        for node, body in originals.items()
    }
    return replace(snapshot(issues), edits=edits)


def test_a_marker_is_plausible_only_once_in_the_members_window_and_alone() -> None:
    alice = open_checkin(CONFIG, 1, "alice", W48)  # Monday 08:00 UTC: 09:00 in Paris
    assert plausible_claim(CONFIG, alice) == Claim(Kind.CHECKIN, W48, "alice")
    # bob is due at 14:00 UTC: an issue that existed at 08:00 cannot be bob's.
    assert plausible_claim(CONFIG, replace(alice, body=alice.body.replace(ALICE, BOB))) is None
    assert plausible_claim(CONFIG, replace(alice, body=f"{ALICE}\n{alice.body}")) is None
    mallory = alice.body.replace("member=alice", "member=mallory")
    assert plausible_claim(CONFIG, replace(alice, body=mallory)) is None
    no_print = "\n".join(line for line in alice.body.splitlines() if "pristine" not in line)
    assert plausible_claim(CONFIG, replace(alice, body=no_print)) is None


def test_the_first_revision_names_the_check_in_and_the_marker_is_put_back() -> None:
    alice = open_checkin(CONFIG, 1, "alice", W48)
    rewritten = edited(alice, "## Fires\n- staging\n")
    known = resolve(CONFIG, with_history([rewritten], {"I1": alice.body}))
    [checkin] = known.checkins
    assert (checkin.member, checkin.period) == ("alice", W48)
    [repair] = known.repairs
    assert repair.body is not None and repair.body.startswith(f"{ALICE}\n## Fires\n- staging\n")
    assert checkin.issue.body == repair.body
    assert not known.unresolved


def test_without_history_an_implausible_issue_holds_back_whom_it_could_be() -> None:
    alice = edited(open_checkin(CONFIG, 1, "alice", W48), "## Fires\n- staging\n")
    carol = open_checkin(CONFIG, 2, "carol", W48)
    known = resolve(CONFIG, snapshot([alice, carol]))
    assert [c.member for c in known.checkins] == ["carol"]
    [unresolved] = known.unresolved
    assert known.holds_checkin("alice", W48)
    assert not known.holds_checkin("carol", W48) and not known.holds_checkin("bob", W48)
    assert "#1" in unresolved.describe()


def test_repairing_removes_only_marker_strings() -> None:
    alice = open_checkin(CONFIG, 1, "alice", W48)
    body = f"intro {BOB} inline\n{BOB}\nmine\n{ALICE}\n{ALICE}\ntail"
    fixed = repaired_body(body, Claim(Kind.CHECKIN, W48, "alice"), alice.body)
    assert [m.render() for m in find_markers(fixed) if m.kind == Kind.CHECKIN] == [ALICE]
    assert fixed.startswith("intro  inline\nmine\n" + ALICE + "\ntail")
    assert [m.kind for m in find_markers(fixed)][-1] == Kind.PRISTINE


def test_dedupe_keys_copies_by_the_first_revision_never_by_a_pasted_marker() -> None:
    alice = open_checkin(CONFIG, 1, "alice", W48)
    bob = replace(open_checkin(CONFIG, 2, "bob", W48), node_id="I2")
    pasted = replace(bob, body=f"{ALICE}\n{bob.body}", updated_at=bob.created_at + timedelta(1))
    assert plan_duplicate_closing(snapshot([alice, pasted])) == []  # unknown history: left alone
    history = EditHistory("I2", "alice", pasted.updated_at, ("alice",), original=bob.body)
    verified = replace(snapshot([alice, pasted]), edits={"I2": history})
    assert plan_duplicate_closing(verified) == []  # bob's, as the bot first wrote it
    copy = replace(alice, number=3)  # a concurrent run's copy, never touched
    [closing] = plan_duplicate_closing(snapshot([alice, copy]))
    assert isinstance(closing, UpdateIssue) and closing.number == 3


def test_a_pasted_marker_does_not_make_a_creation_look_done_once_history_is_known() -> None:
    alice = edited(open_checkin(CONFIG, 1, "alice", W48), "")
    alice = replace(alice, body=f"{BOB}\n{open_checkin(CONFIG, 1, 'alice', W48).body}")
    marker = Marker.of(Kind.CHECKIN, member="bob", period="2026-W48")
    create = CreateIssue(marker, "HPFO 2026-W48 · @bob", marker.render())
    assert find_bot_issue(snapshot([alice]), marker) is not None  # unknown: errs toward waiting
    known = with_history([alice], {"I1": open_checkin(CONFIG, 1, "alice", W48).body})
    assert not create.is_done(known)


def test_a_summary_pasted_from_last_week_is_not_this_weeks() -> None:
    issue = open_checkin(CONFIG, 1, "alice", W48)
    block = (
        "<!-- ritual-bot:begin hpfo-summary -->\n"
        "<!-- ritual-bot:hpfo-outcome period=2026-W47 status=answered -->\nold\n"
        "<!-- ritual-bot:end hpfo-summary -->"
    )
    copied = replace(issue, body=issue.body + block)
    assert not has_summary(copied, W48) and has_summary(copied, Period(2026, 47))
    legacy = replace(issue, body=issue.body + block.replace("period=2026-W47 ", ""))
    assert has_summary(legacy, W48)


def test_an_answer_in_the_body_is_judged_against_the_first_revision() -> None:
    issue = open_checkin(CONFIG, 1, "alice", W48)
    original = issue.body
    bare = "".join(line + "\n" for line in original.splitlines() if "pristine" not in line)
    assert not answered_in_body(Checkin(replace(issue, body=bare), "alice", W48, original))
    pasted = f"## Fires\n- staging\n{Marker.of(Kind.PRISTINE, sha='x').render()}\n"
    assert answered_in_body(Checkin(replace(issue, body=pasted), "alice", W48, original))


def test_an_idle_plausible_run_asks_for_no_history_and_a_suspicious_one_does() -> None:
    alice = replace(open_checkin(CONFIG, 1, "alice", W48), node_id="I1")
    carol = replace(open_checkin(CONFIG, 2, "carol", W48), node_id="I2")
    commented = replace(carol, updated_at=carol.created_at + timedelta(hours=1))
    ctx = context(CONFIG, "2026-11-23T10:00")
    ritual = HpfoRitual()
    assert list(ritual.edits_for(ctx, snapshot([alice, commented]))) == []
    rewritten = replace(commented, body="## Fires\n- x\n")
    assert list(ritual.edits_for(ctx, snapshot([alice, rewritten]))) == ["I2"]  # touched only


def test_a_digest_marker_pasted_into_last_weeks_digest_suppresses_nothing() -> None:
    config = make_config(
        "version: 1\ntimezone: Europe/Paris\nmembers: [alice]\n"
        "hpfo: {digest: {day: tuesday, time: '10:00'}}\n"
    )
    w48 = Marker.of(Kind.DIGEST, period="2026-W48").render()
    w49 = Marker.of(Kind.DIGEST, period="2026-W49").render()
    # Opened on Tuesday of W48, 11:00 in Paris: the digest of W48 (issue 12: of its own week).
    opened = open_checkin(config, 1, "alice", W48).created_at + timedelta(days=1, hours=2)
    digest = Issue(9, "HPFO digest 2026-W48", f"{w48}\nfires", "open", BOT, opened, opened)
    assert plausible_claim(config, digest) == Claim(Kind.DIGEST, W48)
    pasted = edited(digest, f"{w49}\n{digest.body}", node="D9")
    # Unverified, it is W48's digest, or W47's as earlier versions opened them a week late:
    # never W49's, whose digest then opens as due.
    unknown = resolve(config, snapshot([pasted]))
    assert unknown.holds_digest(W48) and unknown.holds_digest(Period(2026, 47))
    assert not unknown.holds_digest(Period(2026, 49))
    known = resolve(config, with_history([pasted], {"D9": digest.body}))
    assert [d.period for d in known.digests] == [W48]
    assert not known.holds_digest(Period(2026, 49))
    assert [r.body for r in known.repairs] == [digest.body]


def test_a_later_plan_in_the_run_reads_what_the_bot_will_have_written() -> None:
    """``ops.after``: once a ritual plans a new body for an issue a person edited, the next plan
    of the run reads that body as the bot's (``bot_body``), not the bot's revision from before
    the person's edit, and the body the bot first wrote still names the issue."""
    alice = open_checkin(CONFIG, 1, "alice", W48)
    original = alice.body
    touched = edited(alice, original + "\nmine", node="I1")
    history = EditHistory(
        "I1",
        "carol",
        touched.updated_at,
        ("carol",),
        original,
        (Revision("carol", touched.updated_at, touched.body),),
    )
    before = replace(snapshot([touched]), edits={"I1": history})
    assert before.bot_body(touched) == original
    rewritten = original + "\nthe bot's new block"
    later = after(before, [UpdateIssue(touched.number, body=rewritten)])
    issue = later.issue(touched.number)
    assert issue is not None and later.bot_body(issue) == rewritten
    assert later.original_body(issue) == original
