"""Who is calling, what they may touch, and how many requests they have left.

- Tokens: https://docs.github.com/rest/authentication/authenticating-to-the-rest-api
- The Actions token: https://docs.github.com/actions/security-for-github-actions/security-guides/automatic-token-authentication
  (acts as github-actions[bot], only on its own repository, limited by ``permissions``).
- Primary rate limits: https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api
  (5,000/h for a user, 1,000/h per repository for GITHUB_TOKEN, 60/h unauthenticated).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ritual_bot.sandbox import errors
from ritual_bot.sandbox.state import BOT_LOGIN, Repo, Role, State

PrincipalKind = Literal["user", "actions", "anonymous"]

DEFAULT_ACTIONS_PERMISSIONS: Mapping[str, str] = {
    "issues": "write",
    "contents": "write",
    "metadata": "read",
}
_LIMITS: Mapping[PrincipalKind, int] = {"user": 5000, "actions": 1000, "anonymous": 60}
_LEVELS = {"none": 0, "read": 1, "write": 2}


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    login: str | None
    repo: str | None = None
    permissions: Mapping[str, str] = field(default_factory=dict)

    @property
    def bucket(self) -> str:
        if self.kind == "actions":
            return f"actions:{(self.repo or '').casefold()}"
        if self.kind == "user":
            return f"user:{(self.login or '').casefold()}"
        return "anonymous"

    @property
    def limit(self) -> int:
        return _LIMITS[self.kind]


ANONYMOUS = Principal("anonymous", None)


@dataclass
class Bucket:
    limit: int
    used: int = 0
    reset: int = 0

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


class Tokens:
    """Issued tokens and their rate-limit buckets (guarded by the state lock)."""

    def __init__(self) -> None:
        self._by_token: dict[str, Principal] = {}
        self._buckets: dict[str, Bucket] = {}

    def issue(self, principal: Principal, prefix: str) -> str:
        token = f"{prefix}_{secrets.token_urlsafe(27)}"
        self._by_token[token] = principal
        return token

    def resolve(self, authorization: str | None) -> Principal:
        """``Authorization: token X`` or ``Bearer X``; none is anonymous, unknown is a 401."""
        if not authorization:
            return ANONYMOUS
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() not in ("token", "bearer") or token.strip() not in self._by_token:
            raise errors.bad_credentials()
        return self._by_token[token.strip()]

    def bucket(self, principal: Principal, now_epoch: int, resource: str = "core") -> Bucket:
        """GraphQL has its own budget, apart from REST's ``core`` (same hourly size here;
        GitHub counts GraphQL in points, and one small query costs one point)."""
        key = principal.bucket if resource == "core" else f"{principal.bucket}:{resource}"
        bucket = self._buckets.setdefault(key, Bucket(principal.limit))
        if bucket.reset <= now_epoch:
            bucket.used = 0
            bucket.reset = now_epoch + 3600
        return bucket


def can_read(state: State, principal: Principal, repo: Repo) -> bool:
    if not repo.private:
        return True
    if principal.kind == "actions":
        return (principal.repo or "").casefold() == repo.full_name.casefold()
    if principal.kind == "user" and principal.login:
        return state.role(repo, principal.login) is not None
    return False


def require_scope(principal: Principal, repo: Repo, scope: str, level: str) -> None:
    """For the Actions token: the workflow's ``permissions`` must grant ``scope: level``."""
    if principal.kind != "actions":
        return
    own = (principal.repo or "").casefold() == repo.full_name.casefold()
    granted = _LEVELS.get(principal.permissions.get(scope, "none"), 0) if own else 0
    if scope == "metadata" and own:
        granted = max(granted, _LEVELS["read"])
    if granted < _LEVELS[level]:
        raise errors.not_accessible_by_integration(f"{scope}={level}")


def role_of(state: State, principal: Principal, repo: Repo) -> Role | None:
    """The role to check handler-level rules against; the Actions token writes like a bot
    collaborator within its granted scopes (``require_scope`` is checked first)."""
    if principal.kind == "actions":
        own = (principal.repo or "").casefold() == repo.full_name.casefold()
        return Role.WRITE if own else None
    if principal.kind == "user" and principal.login:
        return state.role(repo, principal.login)
    return None


def can_see_drafts(state: State, principal: Principal, repo: Repo) -> bool:
    """Draft releases are listed only to "users with push access"
    (https://docs.github.com/rest/releases/releases#list-releases); for the Actions token that
    is ``contents: write`` on its own repository — with ``contents: read`` drafts stay hidden
    (https://github.com/cli/cli/issues/9076, https://github.com/cli/cli/issues/3037)."""
    if principal.kind == "actions":
        own = (principal.repo or "").casefold() == repo.full_name.casefold()
        return own and principal.permissions.get("contents") == "write"
    role = role_of(state, principal, repo)
    return role is not None and role >= Role.WRITE


def actor_login(principal: Principal) -> str | None:
    return BOT_LOGIN if principal.kind == "actions" else principal.login
