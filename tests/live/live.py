"""Live mode: the gateway flows against real GitHub, re-recorded into ``tests/data/cassettes/live``.

Only when a maintainer sets ``RITUAL_BOT_LIVE_TOKEN`` and ``RITUAL_BOT_LIVE_REPO`` (a throwaway
repository the token can write to); see ``tests/live/README.md``. Before saving, the recording
rules rewrite what is specific to the run into the names of the sandbox world, so the two cassette
sets can be diffed (``python -m tests.live.diff_cassettes``):

- the repository (``owner/name``) becomes ``acme/team``, other ``/repos/owner/`` paths
  ``/repos/acme/``;
- the token's login becomes ``alice`` and the owner, when it is another account, ``acme``;
- the run's random tag (which keeps labels of reruns apart) becomes the sandbox's tag;
- the token itself, should GitHub ever echo it, becomes ``<redacted>``.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.gateway.flows import SANDBOX_LOGIN, SANDBOX_TAG, Target
from tests.gateway.recording import Rewrite
from tests.support import REPO

TOKEN_VAR = "RITUAL_BOT_LIVE_TOKEN"
REPO_VAR = "RITUAL_BOT_LIVE_REPO"
API_URL_VAR = "RITUAL_BOT_LIVE_API_URL"
DEFAULT_API_URL = "https://api.github.com"

SKIP_REASON = (
    f"live mode is off: set {TOKEN_VAR} (a personal token with Issues read/write) and "
    f"{REPO_VAR}=owner/name (a throwaway repository) to re-record tests/data/cassettes/live "
    "against real GitHub; see tests/live/README.md"
)


@dataclass(frozen=True)
class Settings:
    token: str
    repo: str
    api_url: str = DEFAULT_API_URL

    def __repr__(self) -> str:
        return f"Settings(repo={self.repo!r}, api_url={self.api_url!r}, token=***)"


def settings_from(env: Mapping[str, str]) -> Settings | None:
    token = env.get(TOKEN_VAR, "").strip()
    repo = env.get(REPO_VAR, "").strip()
    if not token or not repo:
        return None
    return Settings(token, repo, env.get(API_URL_VAR, "").strip() or DEFAULT_API_URL)


def configured() -> bool:
    return settings_from(os.environ) is not None


@dataclass(frozen=True)
class Identity:
    """Who the token acts as and the repository's canonical name, read before recording."""

    login: str
    full_name: str
    owner: str


def rewrites_for(identity: Identity, tag: str, token: str) -> tuple[Rewrite, ...]:
    owner, login = identity.owner, identity.login
    rules = [
        Rewrite.literal(token, "<redacted>"),
        Rewrite.literal(identity.full_name, REPO, ignore_case=True),
        Rewrite.literal(f"/repos/{owner}/", "/repos/acme/", ignore_case=True),
        Rewrite.word(login, SANDBOX_LOGIN),
    ]
    if owner.casefold() != login.casefold():
        rules.append(Rewrite.word(owner, REPO.partition("/")[0]))
    rules.append(Rewrite.literal(tag, SANDBOX_TAG))
    return tuple(rules)


def _get(settings: Settings, path: str) -> Any:
    request = urllib.request.Request(
        f"{settings.api_url.rstrip('/')}{path}",
        headers={
            "Authorization": f"Bearer {settings.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise RuntimeError(
            f"live mode: GET {path} answered {error.code}; check {TOKEN_VAR} and {REPO_VAR}"
        ) from None


def preflight(settings: Settings) -> Identity:
    """Learn the login and the repository's exact name; refuse a repository we cannot write."""
    user = _get(settings, "/user")
    repo = _get(settings, f"/repos/{settings.repo}")
    if not repo.get("permissions", {}).get("push"):
        raise RuntimeError(f"live mode: the token cannot write to {repo['full_name']}")
    if not repo.get("has_issues", False):
        raise RuntimeError(f"live mode: {repo['full_name']} has issues turned off")
    return Identity(user["login"], repo["full_name"], repo["owner"]["login"])


@dataclass(frozen=True)
class Live:
    target: Target
    rewrites: tuple[Rewrite, ...] = field(repr=False)  # holds the token


def connect(settings: Settings, now: datetime) -> Live:
    identity = preflight(settings)
    # A fresh tag per run: the throwaway repository keeps the labels of earlier runs, and the
    # label flow must see "created" then "already exists", as on a fresh sandbox. Short enough
    # for GitHub's 50-character label names ("ritual-cassette:close_with_summary-" is 35).
    tag = f"live{secrets.token_hex(4)}"
    target = Target(
        api_url=settings.api_url,
        token=settings.token,
        repo=identity.full_name,
        login=identity.login,
        now=now,
        tag=tag,
    )
    return Live(target, rewrites_for(identity, tag, settings.token))
