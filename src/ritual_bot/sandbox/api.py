"""The request pipeline's vocabulary: requests, responses, hooks, routes and handler context.

Kept free of any server code so the pipeline can be driven in-process (``Sandbox.handle``) and a
fault-injection layer can wrap every request through ``before_request`` / ``after_request`` hooks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from ritual_bot.sandbox import errors
from ritual_bot.sandbox.auth import Bucket, Principal, actor_login
from ritual_bot.sandbox.render import Urls
from ritual_bot.sandbox.state import Issue, Repo, State

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Request:
    """One HTTP request as received (path still percent-encoded, without the query)."""

    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)  # keys lower-cased
    body: bytes = b""
    query_pairs: tuple[tuple[str, str], ...] = ()
    request_id: str = ""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def is_write(self) -> bool:
        return self.method.upper() not in READ_METHODS


@dataclass
class Response:
    status: int
    body: Any = None  # JSON-able; None means an empty body
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # a non-JSON body (the web pages)
    content_type: str = "application/json; charset=utf-8"

    def payload(self) -> bytes:
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b""
        return json.dumps(self.body, separators=(",", ":"), ensure_ascii=False).encode()


class Drop:
    """Returned by a hook to close the connection without any response."""

    def __repr__(self) -> str:
        return "DROP"


DROP = Drop()
HookResult = Response | Drop | None
BeforeHook = Callable[[Request], HookResult]
AfterHook = Callable[[Request, Response], HookResult]


@dataclass(frozen=True)
class RequestRecord:
    """One API request as seen by the sandbox; ``status`` 0 means the connection was dropped."""

    method: str
    path: str
    query: Mapping[str, str]
    status: int
    actor: str | None
    is_write: bool
    operation: str | None = None  # the OpenAPI path template that served it
    request_id: str = ""
    at: datetime | None = None


@dataclass
class Ctx:
    """What a handler sees: decoded path params, query, JSON body, caller and clock."""

    state: State
    principal: Principal
    params: dict[str, str]
    query: Mapping[str, str]
    query_pairs: tuple[tuple[str, str], ...]
    raw_body: bytes
    urls: Urls
    now: datetime
    path: str
    repo_or_none: Repo | None = None
    bucket: Bucket | None = None

    @property
    def repo(self) -> Repo:
        assert self.repo_or_none is not None, "route has no {owner}/{repo}"
        return self.repo_or_none

    @property
    def actor(self) -> str:
        login = actor_login(self.principal)
        if login is None:
            raise errors.requires_authentication()
        return login

    def json(self) -> Any:
        if not self.raw_body.strip():
            return None
        try:
            return json.loads(self.raw_body)
        except (ValueError, UnicodeDecodeError):
            raise errors.problems_parsing_json() from None

    def json_object(self) -> dict[str, Any]:
        body = self.json()
        if body is None:
            return {}
        if not isinstance(body, dict):
            raise errors.invalid_request(
                f"For 'links/0/schema', {json.dumps(body)} is not an object."
            )
        return body

    def int_param(self, name: str) -> int:
        try:
            return int(self.params[name])
        except ValueError:
            raise errors.not_found() from None

    def issue(self) -> Issue:
        number = self.int_param("issue_number")
        found = self.repo.issues.get(number)
        if found is None:
            moved = self.repo.moved.get(number)
            if moved is not None:
                rest = self.path.split(f"/issues/{number}", 1)[1]
                where = f"{self.urls.api}/repositories/{moved[0]}/issues/{moved[1]}{rest}"
                raise errors.moved_permanently(where)
            raise errors.not_found()
        return found


Handler = Callable[[Ctx], Response]


@dataclass(frozen=True)
class Route:
    """One operation of the official description, by its exact path template."""

    method: str
    template: str
    handler: Handler
    docs: str
    # Fine-grained permission the Actions token needs, e.g. ("issues", "write").
    scope: tuple[str, str] | None = None

    def pattern(self) -> re.Pattern[str]:
        return _compile(self.template)


_GREEDY = ("{path}", "{name}")


def _compile(template: str) -> re.Pattern[str]:
    parts = template.split("/")
    out: list[str] = []
    for index, part in enumerate(parts):
        if part.startswith("{") and part.endswith("}"):
            last = index == len(parts) - 1
            body = ".*" if last and part in _GREEDY else "[^/]+"
            out.append(f"(?P<{part[1:-1]}>{body})")
        else:
            out.append(re.escape(part))
    return re.compile("^" + "/".join(out) + "/?$")


class Router:
    def __init__(self, routes: list[Route]) -> None:
        self._routes = [(route, route.pattern()) for route in routes]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route, pattern in self._routes:
            if route.method != method:
                continue
            found = pattern.match(path)
            if found:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status, body, dict(headers or {}))
