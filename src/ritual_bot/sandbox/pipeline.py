"""From request to response: prefix and id rewriting, authentication, repository access,
permissions, rate limit, handler, error bodies and GitHub's response headers.

- Base URLs: GHES serves the API under ``/api/v3``
  (https://docs.github.com/enterprise-server/rest/quickstart), so both forms are accepted.
- Headers: https://docs.github.com/rest/using-the-rest-api/getting-started-with-the-rest-api
  (``x-ratelimit-*``, ``x-github-request-id``, ``ETag`` and conditional requests, where a 304
  does not count against the rate limit).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from ritual_bot.clock import Clock
from ritual_bot.sandbox import errors, graphql_api
from ritual_bot.sandbox.api import Ctx, Request, Response, Route, Router
from ritual_bot.sandbox.auth import (
    ANONYMOUS,
    Bucket,
    Principal,
    Tokens,
    actor_login,
    can_read,
    require_scope,
)
from ritual_bot.sandbox.render import Urls
from ritual_bot.sandbox.state import State

GHES_PREFIX = "/api/v3"
_REPOSITORY_ID = re.compile(r"^/repositories/(\d+)(/.*)?$")


@dataclass(frozen=True)
class Outcome:
    response: Response
    operation: str | None
    actor: str | None


def split_prefix(path: str) -> tuple[str, str]:
    """``/api/v3/repos/...`` -> (``/api/v3``, ``/repos/...``)."""
    if path == GHES_PREFIX or path.startswith(GHES_PREFIX + "/"):
        return GHES_PREFIX, path[len(GHES_PREFIX) :] or "/"
    return "", path


class Pipeline:
    def __init__(
        self,
        state: State,
        tokens: Tokens,
        clock: Clock,
        routes: list[Route],
        base_url: Callable[[], str],
    ) -> None:
        self._state = state
        self._tokens = tokens
        self._clock = clock
        self._router = Router(routes)
        self._base_url = base_url

    def matches(self, method: str, path: str) -> bool:
        if method == "POST" and path in graphql_api.PATHS:
            return True
        with self._state.lock:
            rewritten = self._rewrite_repository_id(split_prefix(path)[1])
            return self._router.match(method, rewritten) is not None

    def actor(self, request: Request) -> str | None:
        with self._state.lock:
            try:
                return actor_login(self._tokens.resolve(request.header("authorization")))
            except errors.ApiError:
                return None

    def handle(self, request: Request) -> Outcome:
        prefix, path = split_prefix(request.path)
        host = request.header("host")
        base = f"http://{host}" if host else self._base_url()
        urls = Urls(api=base + prefix, web=base)
        now = self._clock.now()
        with self._state.lock:
            path = self._rewrite_repository_id(path)
            try:
                principal = self._tokens.resolve(request.header("authorization"))
            except errors.ApiError as error:
                bucket = self._tokens.bucket(ANONYMOUS, _epoch(now))
                response = _error(error, errors.GENERIC_DOCS)
                return Outcome(self._finish(request, response, bucket, now, True), None, None)
            if request.method == "POST" and request.path in graphql_api.PATHS:
                return self._graphql(request, principal, now)
            matched = self._router.match(request.method, path)
            bucket = self._tokens.bucket(principal, _epoch(now))
            if matched is None:
                response = _error(errors.not_found(), errors.GENERIC_DOCS)
                return Outcome(self._finish(request, response, bucket, now, True), None, None)
            route, params = matched
            ctx = Ctx(
                self._state, principal, params, request.query, request.query_pairs,
                request.body, urls, now, path, bucket=bucket,
            )  # fmt: skip
            counted = route.template != "/rate_limit"
            if counted and bucket.remaining == 0:
                response = self._rate_limited(principal)
            else:
                response = self._run(route, ctx, request)
            response = self._finish(request, response, bucket, now, counted)
            return Outcome(response, route.template, actor_login(principal))

    def _graphql(self, request: Request, principal: Principal, now: datetime) -> Outcome:
        """``POST /graphql`` (``/api/graphql`` on GHES): authenticated only, own rate limit."""
        bucket = self._tokens.bucket(principal, _epoch(now), "graphql")
        if principal.kind == "anonymous":
            # https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql
            error = errors.ApiError(401, "This endpoint requires you to be authenticated.")
            response = _error(error, graphql_api.DOCS + "/guides/forming-calls-with-graphql")
        elif bucket.remaining == 0:
            response = self._rate_limited(principal)
        else:
            status, body = graphql_api.answer(self._state, principal, request.body)
            response = Response(status, body)
        finished = self._finish(request, response, bucket, now, True, "graphql")
        return Outcome(finished, "/graphql", actor_login(principal))

    def _rate_limited(self, principal: Principal) -> Response:
        """The primary limit is spent: 403 with ``x-ratelimit-remaining: 0`` (docs: rate limits)."""
        user = self._state.user(principal.login or "")
        who = {
            "user": f"user ID {user.id if user else 0}",
            "actions": "installation ID 1",
            "anonymous": "127.0.0.1",
        }[principal.kind]
        error = errors.ApiError(403, f"API rate limit exceeded for {who}.")
        return _error(error, errors.RATE_LIMIT_DOCS)

    def _rewrite_repository_id(self, path: str) -> str:
        """Link headers address repositories by id (``/repositories/{id}/issues``)."""
        found = _REPOSITORY_ID.match(path)
        if not found:
            return path
        repo = self._state.repo_by_id(int(found.group(1)))
        if repo is None:
            return path
        return f"/repos/{repo.full_name}{found.group(2) or ''}"

    def _run(self, route: Route, ctx: Ctx, request: Request) -> Response:
        try:
            self._authorise(route, ctx, request)
            return route.handler(ctx)
        except errors.ApiError as error:
            return _error(error, route.docs)

    def _authorise(self, route: Route, ctx: Ctx, request: Request) -> None:
        """Private repos are invisible (404) without access, like on GitHub."""
        anonymous = ctx.principal.kind == "anonymous"
        if "owner" in ctx.params and "repo" in ctx.params:
            repo = self._state.repo(f"{ctx.params['owner']}/{ctx.params['repo']}")
            if repo is None or not can_read(self._state, ctx.principal, repo):
                raise errors.not_found()
            ctx.repo_or_none = repo
            if request.is_write and anonymous:
                raise errors.requires_authentication()
            if route.scope is not None:
                require_scope(ctx.principal, repo, *route.scope)
        elif request.is_write and anonymous:
            raise errors.requires_authentication()

    def _finish(
        self,
        request: Request,
        response: Response,
        bucket: Bucket,
        now: datetime,
        counted: bool,
        resource: str = "core",
    ) -> Response:
        response = _conditional(request, response)
        if counted and response.status != 304:
            bucket.used += 1
        headers = {
            "Date": format_datetime(now, usegmt=True),
            "x-github-api-version-selected": "2022-11-28",
            "x-github-media-type": "github.v3; format=json",
            "x-ratelimit-limit": str(bucket.limit),
            "x-ratelimit-remaining": str(bucket.remaining),
            "x-ratelimit-reset": str(bucket.reset),
            "x-ratelimit-used": str(bucket.used),
            "x-ratelimit-resource": resource,
            "x-github-request-id": request.request_id,
        }
        headers.update(response.headers)
        response.headers = headers
        return response


def _epoch(at: datetime) -> int:
    return int(at.timestamp())


def _error(error: errors.ApiError, docs: str) -> Response:
    return Response(error.status, error.body(docs), dict(error.headers))


def _conditional(request: Request, response: Response) -> Response:
    """Weak ETag on successful GETs; a matching ``If-None-Match`` gets an empty 304."""
    if request.method != "GET" or response.status != 200 or response.raw is not None:
        return response
    etag = f'W/"{hashlib.sha256(response.payload()).hexdigest()}"'
    response.headers.setdefault("ETag", etag)
    if request.header("if-none-match") in (etag, etag.removeprefix("W/")):
        return Response(304, None, {"ETag": etag})
    return response
