"""The playground: a person acts on the sandbox as GitHub's web UI would let them, each action
fires the webhook event GitHub would send, and the bot (when one is attached) handles it.

What a person may do follows GitHub's permission table
(https://docs.github.com/organizations/managing-user-access-to-your-organizations-repositories/managing-repository-roles/repository-roles-for-an-organization#permissions-for-each-role):
anyone who can read a public repository comments and opens issues; labels, and closing or
reopening someone else's issue, take triage; editing or deleting someone else's comment takes
write. An action refused here changes nothing and fires nothing.

Events and their payloads (https://docs.github.com/webhooks/webhook-events-and-payloads#issues and
#issue_comment) carry ``action``, the ``issue`` and ``comment`` as the REST API shows them, the
``repository``, the ``sender``, and ``label`` or ``changes`` where GitHub sends them. An issue
opened with labels also fires one ``labeled`` event per label, as GitHub does.

Nothing here does I/O of its own: the bot is a ``Bot`` handed in (``sandbox.bot`` runs the real
runner over HTTP), so the web page works with no bot at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from ritual_bot.clock import FixedClock
from ritual_bot.sandbox import domain, render
from ritual_bot.sandbox.errors import ApiError
from ritual_bot.sandbox.state import Comment, Issue, Repo, Role

if TYPE_CHECKING:
    from ritual_bot.sandbox.core import Sandbox

OUTSIDER = "outsider"
# How many bot runs the side panel keeps: enough for a week of time travel.
KEPT_RUNS = 60


@dataclass(frozen=True)
class BotRun:
    """One run of the bot as the side panel shows it."""

    title: str  # the event, e.g. "issue_comment.created by bob", or "schedule"
    at: datetime
    log: tuple[str, ...]  # what `ritual-bot run` prints
    summary: str  # its step summary (Markdown)
    requests: tuple[str, ...]  # "GET /repos/acme/team/issues → 200"
    writes: int


class Bot(Protocol):
    def handle(self, name: str, payload: Mapping[str, Any], why: str = "") -> BotRun:
        """Run the bot on one event; ``why`` says what a scheduled run is for."""
        ...

    def due_after(self, after: datetime, until: datetime) -> list[tuple[datetime, str]]:
        """Scheduled runs in ``(after, until]``, with what falls due at each."""
        ...


class Refused(Exception):
    """An action GitHub would not allow (or that names nothing): nothing changed."""


@dataclass
class Playground:
    sandbox: Sandbox
    repo: str
    bot: Bot | None = None
    runs: list[BotRun] = field(default_factory=list)
    # One action at a time: the bot's requests come back to the server on other threads.
    _busy: threading.Lock = field(default_factory=threading.Lock)

    # -- who may act -------------------------------------------------------------------------

    def people(self) -> list[str]:
        """Everyone one can act as: the repository's people, then an outsider."""
        with self.sandbox.state.lock:
            repo = self._repo()
            logins = sorted(
                (u.login for u in self.sandbox.state.users.values() if u.type == "User"),
                key=str.casefold,
            )
            inside = [x for x in logins if self.sandbox.state.role(repo, x) is not None]
        return [*inside, OUTSIDER]

    def _role(self, login: str) -> Role | None:
        return self.sandbox.state.role(self._repo(), login)

    def _reads(self, login: str) -> None:
        """A private repository is invisible to whoever has no role on it."""
        if self._repo().private and self._role(login) is None:
            raise Refused(f"@{login} cannot see the private repository {self.repo}")

    def _need(self, login: str, role: Role, what: str, *, author: str | None = None) -> None:
        self._reads(login)
        if author is not None and author.casefold() == login.casefold():
            return
        have = self._role(login)
        if have is None or have < role:
            raise Refused(f"@{login} may not {what}: it takes the {role.label} role")

    # -- actions -----------------------------------------------------------------------------

    def open_issue(
        self,
        user: str,
        title: str,
        body: str,
        *,
        labels: Sequence[str] = (),
        form: str | None = None,
        answers: Mapping[str, str] | None = None,
    ) -> int:
        with self._busy:
            box = self.sandbox
            self._reads(user)
            try:
                if form is not None:
                    issue = box.open_issue_with_form(
                        self.repo, form, user=user, title=title, answers=answers or {}
                    )
                else:
                    # Labels chosen while opening need triage, as in GitHub's sidebar.
                    if labels:
                        self._need(user, Role.TRIAGE, "label issues")
                    issue = box.create_issue(
                        self.repo, title=title, body=body or None, user=user, labels=labels
                    )
            except (KeyError, ValueError) as error:
                raise Refused(str(error)) from None
            except ApiError as error:
                raise Refused(error.message) from None
            number = int(issue["number"])
            self._fire("issues", "opened", user, number)
            for label in issue["labels"]:
                self._fire("issues", "labeled", user, number, label=label)
            return number

    def comment(self, user: str, number: int, body: str) -> int:
        with self._busy:
            self._reads(user)
            comment = self._write(
                lambda: self.sandbox.create_comment(self.repo, number, body=body, user=user)
            )
            self._fire("issue_comment", "created", user, number, comment=comment)
            return int(comment["id"])

    def edit_comment(self, user: str, comment_id: int, body: str) -> None:
        with self._busy:
            before = self._comment(comment_id)
            self._need(user, Role.WRITE, "edit this comment", author=before.user)
            was = before.body
            comment = self._write(
                lambda: self.sandbox.edit_comment(self.repo, comment_id, body=body, user=user)
            )
            changes = {"body": {"from": was}}
            self._fire(
                "issue_comment",
                "edited",
                user,
                before.issue_number,
                comment=comment,
                changes=changes,
            )

    def delete_comment(self, user: str, comment_id: int) -> None:
        with self._busy:
            found = self._comment(comment_id)
            self._need(user, Role.WRITE, "delete this comment", author=found.user)
            comment = render.comment(self.sandbox.state, self._urls(), self._repo(), found)
            self._write(lambda: self._deleted(comment_id))
            self._fire("issue_comment", "deleted", user, found.issue_number, comment=comment)

    def _deleted(self, comment_id: int) -> dict[str, Any]:
        self.sandbox.delete_comment(self.repo, comment_id)
        return {}

    def label(self, user: str, number: int, name: str, *, add: bool) -> None:
        with self._busy:
            self._need(user, Role.TRIAGE, "label issues")
            with self.sandbox.state.lock:
                repo, it = self._repo(), self._issue(number)
                found = repo.label_named(name)
                has = found is not None and found.id in it.label_ids
                if has == add:  # GitHub fires nothing when nothing changes
                    return
                now = self.sandbox.clock.now()
                if add:
                    domain.add_labels(self.sandbox.state, repo, it, [name], now)
                    found = repo.label_named(name)
                else:
                    names = [repo.labels[i].name for i in it.label_ids if i in repo.labels]
                    domain.set_labels(
                        self.sandbox.state, repo, it, [n for n in names if n != name], now
                    )
                assert found is not None
                shown = render.label(self._urls(), repo, found)
            self._fire("issues", "labeled" if add else "unlabeled", user, number, label=shown)

    def set_state(self, user: str, number: int, state: str, reason: str | None = None) -> None:
        with self._busy:
            it = self._issue(number)
            what = "close" if state == "closed" else "reopen"
            self._need(user, Role.TRIAGE, f"{what} this issue", author=it.user)
            if it.state == state:
                return
            self._write(
                lambda: self.sandbox.set_issue_state(
                    self.repo, number, state, state_reason=reason, user=user
                )
            )
            self._fire("issues", "closed" if state == "closed" else "reopened", user, number)

    # -- time travel -------------------------------------------------------------------------

    @property
    def clock(self) -> FixedClock | None:
        """The sandbox's clock when it can be moved (time travel needs one)."""
        clock = self.sandbox.clock
        return clock if isinstance(clock, FixedClock) else None

    def next_due(self) -> tuple[datetime, str] | None:
        clock = self.clock
        if clock is None or self.bot is None:
            return None
        now = clock.now()
        found = self.bot.due_after(now, now + timedelta(days=8))
        return found[0] if found else None

    def advance(self, delta: timedelta | None) -> None:
        """Move the clock by ``delta`` (None: to the next scheduled run), running every
        scheduled run on the way, each at its own time."""
        clock = self.clock
        if clock is None:
            raise Refused("time travel needs the sandbox's clock to be a FixedClock")
        if delta is not None and delta <= timedelta(0):
            raise Refused("time only moves forward")
        with self._busy:
            now = clock.now()
            if delta is None:
                upcoming = self.next_due()
                if upcoming is None:
                    raise Refused("nothing falls due in the coming week")
                target = upcoming[0]
            else:
                target = now + delta
            due = self.bot.due_after(now, target) if self.bot is not None else []
            for at, what in due:
                clock.set(at)
                self._record(self._schedule(what))
            clock.set(target)

    def _schedule(self, what: str) -> BotRun | None:
        return self.bot.handle("schedule", {}, what) if self.bot is not None else None

    # -- events ------------------------------------------------------------------------------

    def _fire(self, event: str, action: str, sender: str, number: int, **extra: Any) -> None:
        if self.bot is None:
            return
        payload = self.payload(action, sender, number, **extra)
        self._record(self.bot.handle(event, payload))

    def payload(self, action: str, sender: str, number: int, **extra: Any) -> dict[str, Any]:
        """A webhook payload in the shape GitHub sends (tests/data/webhooks holds real ones)."""
        with self.sandbox.state.lock:
            repo = self._repo()
            urls = self._urls()
            out: dict[str, Any] = {"action": action}
            out.update({k: v for k, v in extra.items() if k == "changes"})
            # Webhook objects are the REST ones, plus a field or two the REST shape leaves out.
            issue = render.issue(self.sandbox.state, urls, repo, self._issue(number))
            out["issue"] = {**issue, "draft": False}
            out.update({k: v for k, v in extra.items() if k != "changes"})
            repository = render.repository(self.sandbox.state, urls, repo, None)
            out["repository"] = {**repository, "custom_properties": {}}
            user = self.sandbox.state.user(sender)
            assert user is not None
            out["sender"] = render.simple_user(urls, user)
            return out

    def _record(self, run: BotRun | None) -> None:
        if run is not None:
            self.runs.append(run)
            del self.runs[:-KEPT_RUNS]

    # -- lookups -----------------------------------------------------------------------------

    def _urls(self) -> render.Urls:
        return render.Urls(api=self.sandbox.web_url, web=self.sandbox.web_url)

    def _repo(self) -> Repo:
        repo = self.sandbox.state.repo(self.repo)
        if repo is None:
            raise Refused(f"no repository {self.repo}")
        return repo

    def _issue(self, number: int) -> Issue:
        found = self._repo().issues.get(number)
        if found is None:
            raise Refused(f"no issue #{number} in {self.repo}")
        return found

    def _comment(self, comment_id: int) -> Comment:
        found = self._repo().comments.get(comment_id)
        if found is None:
            raise Refused(f"no comment {comment_id} in {self.repo}")
        return found

    def _write(self, action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return action()
        except (KeyError, ValueError) as error:
            raise Refused(str(error).strip("'\"")) from None
        except ApiError as error:
            raise Refused(error.message) from None
