"""Whose check-in (or which digest) a bot-opened HPFO issue is, resting on what nobody can rewrite.

The problem (issue 9, SPEC §3 and §7). A check-in used to be whatever its body's first
``hpfo-checkin`` marker said. Anyone with write access can edit any issue body, the bot's
included, so that marker is a claim, not a fact: a member who pastes a teammate's marker into their
own check-in suppressed the teammate's week; a member who answers by rewriting the whole body (a
documented way to answer) lost the marker, so a second check-in opened and the first never closed;
a member who copied last week's body into this week's issue made it a "duplicate" of last week's.

What a person cannot forge: who authored an issue (the bot), when it was created
(``created_at``), its number, and its edit history, which GitHub keeps for every body and exposes
through GraphQL only (``userContentEdits`` of the ``Comment`` interface:
https://docs.github.com/graphql/reference/interfaces#comment). So:

1. **Verified identity** (``identity_in`` of ``Snapshot.original_body``): the first check-in
   (else digest) marker of the body *as the bot first wrote it*: the history's creation
   revision when the body was edited, the body itself when the issue was never touched or the
   history shows no edit. A body a person edited proves nothing; its first revision does.
2. **Cheap consistency first** (``plausible_claim``): reading histories costs a GraphQL request,
   so the current body's marker is used as it stands when nothing contradicts it: exactly one
   check-in marker (and one PRISTINE fingerprint), a member of the config, created inside that
   member's genuine window for that period (the bot opens a check-in only once due, and before the
   member's week ends: ``checkin_window``), and no other issue with the same identity. This alone
   defeats the suppression attack without a request: an issue that existed before the teammate
   was due cannot be the teammate's check-in.
3. **Verify before writing** (``HpfoRitual.edits_for``): when the plan made from plausible
   identities would write anything, or some bot issue has no plausible identity, the histories of
   the touched bot HPFO issues are read (one GraphQL request per 100 issues) and the plan is made
   from verified identities. Idle runs, where everything is plausible and nothing is due, cost no
   extra request (SPEC §7: at most 3).
4. **History unavailable** (GraphQL failed, a person deleted the creation revision): a plausible
   identity is used; an implausible issue is ``Unresolved``: it is reported in the step summary,
   counts as nobody's check-in, and *holds back* the openings it could stand for (every member
   whose window contains its creation and who has no other check-in that period), so it never
   causes a duplicate. The known limit: while history cannot be read, such an issue is neither
   closed nor reminded, and a teammate whose window it fits waits for a run that can read it.
5. **Repair** (``repaired_body``): a verified issue whose body lacks its marker, or carries
   wrong or extra HPFO markers, gets one ``UpdateIssue`` putting back exactly the bot's marker
   (and fingerprint): only marker strings are removed, every other character stays. Repaired, it
   is plausible again, so later runs are cheap again.

Copies opened by concurrent runs (two verified identities alike) are left to ``dedupe``, which
keys them the same way: the lowest number is the member's week here too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from ritual_bot.config import Config, Member
from ritual_bot.markers import Marker, find_markers, first_marker, restore_marker
from ritual_bot.model import Issue, Snapshot
from ritual_bot.ops import UpdateIssue
from ritual_bot.periods import Period, due_at, local_instant, local_period
from ritual_bot.rituals.hpfo.core import DIGEST_LABEL, MANAGED_LABEL, Checkin, Digest, Kind

# Clocks differ a little between the runner and GitHub: a genuine issue's created_at can read a
# few seconds before the moment the bot computed it was due.
SLACK = timedelta(minutes=5)
_IDENTITY_KINDS = (Kind.CHECKIN, Kind.DIGEST)


@dataclass(frozen=True)
class Claim:
    """What an HPFO marker says an issue is: a member's check-in of a period, or a digest."""

    kind: Kind
    period: Period
    member: str = ""  # check-ins only

    @property
    def key(self) -> tuple[str, str, Period]:
        return (self.kind.value, self.member.casefold(), self.period)

    def marker(self) -> Marker:
        if self.kind is Kind.CHECKIN:
            return Marker.of(Kind.CHECKIN, member=self.member, period=str(self.period))
        return Marker.of(Kind.DIGEST, period=str(self.period))

    def describe(self) -> str:
        if self.kind is Kind.CHECKIN:
            return f"@{self.member}'s check-in of {self.period}"
        return f"the digest of {self.period}"


def claim_of(marker: Marker) -> Claim | None:
    """The claim a marker makes, None if it is not an HPFO identity or is damaged."""
    try:
        if marker.kind == Kind.CHECKIN:
            member, period = marker.get("member"), marker.get("period")
            return Claim(Kind.CHECKIN, Period.parse(period), member) if member and period else None
        if marker.kind == Kind.DIGEST:
            return Claim(Kind.DIGEST, Period.parse(marker.get("period") or ""))
    except ValueError:
        return None
    return None


def identity_in(body: str) -> Claim | None:
    """How a body the bot wrote names itself: its first check-in marker, else its digest marker."""
    for kind in _IDENTITY_KINDS:
        marker = first_marker(body, kind)
        if marker is not None:
            return claim_of(marker)
    return None


# --- Cheap consistency -------------------------------------------------------------------------


def checkin_window(config: Config, member: Member, period: Period) -> tuple[datetime, datetime]:
    """When the bot can have opened ``member``'s check-in of ``period`` (``hpfo.is_due``): from
    their local day and time to the end of their local week, with a little slack each side."""
    zone = member.zone
    start = due_at(period, config.hpfo.day, config.hpfo.time, zone)
    end = local_instant(period.next().monday(), time(0), zone)
    return start - SLACK, end + SLACK


def digest_window(config: Config, period: Period) -> tuple[datetime, datetime] | None:
    """When the bot can have opened the digest of ``period`` (``hpfo.digest.digest_period``):
    from the digest's day and time of that week, in the team's timezone, to the end of the
    following week. It opens while current (until the next week's digest day and time); the end
    of the next week also admits the digests earlier versions opened a week later (issue 12),
    so those stay plausible without an edit-history read on every run."""
    digest = config.hpfo.digest
    if digest is None:
        return None
    zone = ZoneInfo(config.timezone)
    start = due_at(period, digest.day, digest.time, zone)
    end = local_instant(period.next().next().monday(), time(0), zone)
    return start - SLACK, end + SLACK


def _within(window: tuple[datetime, datetime] | None, instant: datetime) -> bool:
    return window is not None and window[0] <= instant < window[1]


def in_window(config: Config, claim: Claim, created: datetime) -> bool:
    if claim.kind is Kind.DIGEST:
        return _within(digest_window(config, claim.period), created)
    member = config.member(claim.member)
    return member is not None and _within(checkin_window(config, member, claim.period), created)


def plausible_claim(config: Config, issue: Issue) -> Claim | None:
    """The body's claim if nothing contradicts it (collisions aside: see ``resolve``)."""
    markers = list(find_markers(issue.body))  # read once, filtered by kind below
    checkin_markers = [m for m in markers if m.kind == Kind.CHECKIN]
    digest_markers = [m for m in markers if m.kind == Kind.DIGEST]
    if len(checkin_markers) + len(digest_markers) != 1:
        return None
    claim = claim_of((checkin_markers or digest_markers)[0])
    if claim is None or not in_window(config, claim, issue.created_at):
        return None
    pristine = [m for m in markers if m.kind == Kind.PRISTINE]
    if claim.kind is Kind.CHECKIN and len(pristine) != 1:
        return None  # the fingerprint is part of what the bot wrote: a change here is an edit
    return claim


# --- Resolution --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unresolved:
    """A bot HPFO issue whose identity could not be established: nobody's, reported."""

    issue: Issue
    claims: tuple[str, ...]  # what its body says, for the report
    holds: tuple[Claim, ...]  # the openings it holds back: it could be any of them

    def describe(self) -> str:
        said = ", ".join(self.claims) or "no HPFO marker"
        held = ", ".join(c.describe() for c in self.holds) or "nothing"
        return (
            f"#{self.issue.number}: whose it is cannot be verified (its body says: {said}); "
            f"not trusted, and not opened again meanwhile: {held}"
        )


@dataclass(frozen=True)
class Resolution:
    checkins: tuple[Checkin, ...]  # bodies as repaired, when a repair is due
    digests: tuple[Digest, ...]  # oldest period first
    unresolved: tuple[Unresolved, ...] = ()
    repairs: tuple[UpdateIssue, ...] = ()

    def holds(self, claim: Claim) -> bool:
        return claim.key in self._held

    @cached_property
    def _held(self) -> frozenset[tuple[str, str, Period]]:
        # Asked once per member: a set built each time made openings quadratic (issue 11).
        return frozenset(h.key for u in self.unresolved for h in u.holds)

    def holds_checkin(self, login: str, period: Period) -> bool:
        return self.holds(Claim(Kind.CHECKIN, period, login))

    def holds_digest(self, period: Period) -> bool:
        return self.holds(Claim(Kind.DIGEST, period))


def is_candidate(snapshot: Snapshot, issue: Issue) -> bool:
    """A bot-opened issue that can be an HPFO check-in or digest (its label or any HPFO marker)."""
    if not snapshot.is_bot_author(issue.author) or issue.state_reason == "duplicate":
        return False  # a copy closed as a duplicate (ritual_bot.dedupe) is nobody's week
    if issue.has_label(MANAGED_LABEL) or issue.has_label(DIGEST_LABEL):
        return True
    return any(m.kind in _IDENTITY_KINDS for m in find_markers(issue.body))


def candidates(snapshot: Snapshot) -> list[Issue]:
    return [issue for issue in snapshot.issues if is_candidate(snapshot, issue)]


@dataclass(frozen=True)
class _Known:
    issue: Issue
    claim: Claim
    original: str | None  # None: taken from a plausible body, not verified


def resolve(config: Config, snapshot: Snapshot) -> Resolution:
    verified: list[_Known] = []
    claimed: list[_Known] = []
    unknown: list[Issue] = []
    for issue in candidates(snapshot):
        original = snapshot.original_body(issue)
        if original is not None:
            claim = identity_in(original)
            if claim is not None:  # else not an HPFO issue at all (a label added by hand)
                verified.append(_Known(issue, claim, original))
            continue
        claim = plausible_claim(config, issue)
        if claim is None:
            unknown.append(issue)
        else:
            claimed.append(_Known(issue, claim, None))
    accepted, rejected = _settle_collisions(verified, claimed)
    unknown += rejected
    repaired = [_repair(known) for known in accepted]
    checkins = tuple(
        Checkin(k.issue, k.claim.member, k.claim.period, _first_revision(k))
        for k in repaired
        if k.claim.kind is Kind.CHECKIN
    )
    digests = tuple(
        sorted(
            (Digest(k.issue, k.claim.period) for k in repaired if k.claim.kind is Kind.DIGEST),
            key=lambda d: (d.period, d.issue.number),
        )
    )
    repairs = tuple(
        UpdateIssue(k.issue.number, body=k.issue.body)
        for k, before in zip(repaired, accepted, strict=True)
        if k.issue.body != before.issue.body
    )
    taken = {k.claim.key for k in accepted}
    unresolved = tuple(_unresolved(config, issue, taken) for issue in unknown)
    return Resolution(checkins, digests, unresolved, repairs)


def _settle_collisions(
    verified: Sequence[_Known], claimed: Sequence[_Known]
) -> tuple[list[_Known], list[Issue]]:
    """One issue per identity. Verified copies (concurrent runs): the lowest number, as
    ``dedupe`` keeps it. A claim another issue also makes proves nothing: unresolved."""
    groups: dict[tuple[str, str, Period], list[_Known]] = defaultdict(list)
    for known in verified:
        groups[known.claim.key].append(known)
    accepted = [min(group, key=lambda k: k.issue.number) for group in groups.values()]
    counts: dict[tuple[str, str, Period], int] = defaultdict(int)
    for known in claimed:
        counts[known.claim.key] += 1
    rejected = []
    for known in claimed:
        if known.claim.key in groups or counts[known.claim.key] > 1:
            rejected.append(known.issue)
        else:
            accepted.append(known)
    return sorted(accepted, key=lambda k: k.issue.number), rejected


def _first_revision(known: _Known) -> str | None:
    """The first revision, to judge an answer in the body by, when it came from a history: an
    untouched body is its own first revision, and its fingerprint says as much."""
    return None if known.issue.untouched else known.original


def _unresolved(config: Config, issue: Issue, taken: set[tuple[str, str, Period]]) -> Unresolved:
    said = [c.describe() for m in find_markers(issue.body) if (c := claim_of(m)) is not None]
    holds = [c for c in possible_identities(config, issue.created_at) if c.key not in taken]
    return Unresolved(issue, tuple(said), tuple(holds))


def possible_identities(config: Config, created: datetime) -> list[Claim]:
    """Every identity the bot could have given an issue it created at ``created``."""
    found = []
    for member in config.members:
        claim = Claim(Kind.CHECKIN, local_period(created, member.zone), member.login)
        if in_window(config, claim, created):
            found.append(claim)
    week = local_period(created, ZoneInfo(config.timezone))
    for period in (week, week.previous()):
        digest = Claim(Kind.DIGEST, period)
        if in_window(config, digest, created):
            found.append(digest)
    return found


# --- Repair ------------------------------------------------------------------------------------


def repaired_body(body: str, claim: Claim, original: str) -> str:
    """``body`` with the bot's own markers put back: ``claim``'s marker once at the top, no
    other check-in or digest marker, and (check-ins) the first revision's fingerprint at the end.
    Only marker strings are removed or added; every other character stays."""
    own = claim.marker()
    if claim.kind is Kind.CHECKIN:
        body = restore_marker(body, Kind.CHECKIN, own)
        body = restore_marker(body, Kind.DIGEST, None)
        pristine = first_marker(original, Kind.PRISTINE)
        if pristine is not None:
            body = restore_marker(body, Kind.PRISTINE, pristine, at_top=False)
        return body
    body = restore_marker(body, Kind.DIGEST, own)
    return restore_marker(body, Kind.CHECKIN, None)


def _repair(known: _Known) -> _Known:
    if known.original is None:
        return known  # plausible: already exactly one marker, and the right one as far as known
    body = repaired_body(known.issue.body, known.claim, known.original)
    if body == known.issue.body:
        return known
    return replace(known, issue=replace(known.issue, body=body))


def touched(snapshot: Snapshot, issues: Iterable[Issue]) -> list[str]:
    """Node ids of the issues whose history can change what they are (never-touched ones are
    their own original: asking about them would cost requests for nothing)."""
    return [issue.node_id for issue in issues if not issue.untouched and issue.node_id]
