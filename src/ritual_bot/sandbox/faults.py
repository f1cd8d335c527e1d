"""Fault injection for the sandbox: GitHub's failures, on demand, per test.

Each fault is a hook on the sandbox's request pipeline that fires on the n-th request matching a
method and a path pattern, ``times`` times. The responses copy what GitHub sends:

- 5xx: ``{"message": "Server Error"}`` style bodies (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api);
- secondary rate limit: 403 "You have exceeded a secondary rate limit…", with or without
  ``retry-after`` (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit);
- primary exhaustion: 403 with ``x-ratelimit-remaining: 0`` and ``x-ratelimit-reset``;
- a dropped connection, before the request is applied or after it (the client cannot tell);
- a hung request: the server holds the connection until the client gives up (its timeout);
- latency: a real delay before answering (for benchmarks, not for tests);
- a refusal of one request: a 4xx with GitHub's error body (``422 Validation Failed`` by default),
  the poisoned item of a fault-isolation test (nothing is applied, as on GitHub).

The bot never uses search (its results lag), so there is no search fault to inject.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import format_datetime
from enum import Enum

from ritual_bot.sandbox.api import DROP, Drop, Request, Response
from ritual_bot.sandbox.core import Sandbox

DOCS = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID."
)


class FaultKind(Enum):
    ERROR_5XX = "5xx"
    SECONDARY_LIMIT = "secondary-limit"
    PRIMARY_EXHAUSTED = "primary-exhausted"
    DROP_BEFORE = "drop-before-apply"
    DROP_AFTER = "drop-after-apply"
    HANG = "hang"
    LATENCY = "latency"
    REJECT = "reject"


@dataclass
class Fault:
    kind: FaultKind
    method: str = "*"
    path: str = ".*"  # a regular expression matched against the request path
    nth: int = 1  # fire from the n-th matching request on …
    times: int = 1  # … this many times (0 = forever)
    status: int = 503
    retry_after: int | None = None
    reset_in: int = 60  # seconds until the primary limit resets, on the sandbox's clock
    delay: float = 0.0
    message: str = "Validation Failed"  # REJECT: the error body's message
    writes_only: bool = False  # count only writes towards ``nth`` (the k-th write of a run)
    seen: int = 0
    fired: int = 0

    def matches(self, request: Request) -> bool:
        if self.writes_only and not request.is_write:
            return False
        if self.method != "*" and request.method.upper() != self.method.upper():
            return False
        return re.search(self.path, request.path) is not None

    def should_fire(self, request: Request) -> bool:
        if not self.matches(request):
            return False
        self.seen += 1
        if self.seen < self.nth or (self.times and self.fired >= self.times):
            return False
        self.fired += 1
        return True


@dataclass
class Faults:
    """The faults installed on one sandbox; ``release()`` frees hung requests (call at teardown)."""

    sandbox: Sandbox
    installed: list[Fault] = field(default_factory=list)
    _release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.sandbox.before_request.append(self._before)
        self.sandbox.after_request.append(self._after)

    def add(self, kind: FaultKind, **options: object) -> Fault:
        fault = Fault(kind, **options)  # type: ignore[arg-type]
        with self._lock:
            self.installed.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self.installed.clear()

    def release(self) -> None:
        self._release.set()

    def _firing(self, request: Request, after: bool) -> Fault | None:
        with self._lock:
            for fault in self.installed:
                if (fault.kind is FaultKind.DROP_AFTER) == after and fault.should_fire(request):
                    return fault
        return None

    def _before(self, request: Request) -> Response | Drop | None:
        fault = self._firing(request, after=False)
        if fault is None:
            return None
        return self._answer(fault)

    def _after(self, request: Request, response: Response) -> Response | Drop | None:
        fault = self._firing(request, after=True)
        return DROP if fault is not None else None

    def _answer(self, fault: Fault) -> Response | Drop | None:
        kind = fault.kind
        if kind is FaultKind.LATENCY:
            time.sleep(fault.delay)  # a real delay, for benchmarks that measure it
            return None
        if kind is FaultKind.HANG:
            self._release.wait(timeout=60)  # until the client has timed out and the test ends
            return DROP
        if kind is FaultKind.DROP_BEFORE:
            return DROP
        if kind is FaultKind.ERROR_5XX:
            return Response(fault.status, {"message": "Server Error"}, self._headers())
        if kind is FaultKind.REJECT:
            body = {"message": fault.message, "documentation_url": "https://docs.github.com/rest"}
            body["status"] = str(fault.status)
            return Response(fault.status, body, self._headers())
        if kind is FaultKind.SECONDARY_LIMIT:
            headers = self._headers()
            if fault.retry_after is not None:
                headers["retry-after"] = str(fault.retry_after)
            return Response(403, {"message": SECONDARY_MESSAGE, "documentation_url": DOCS}, headers)
        return self._primary_exhausted(fault)

    def _primary_exhausted(self, fault: Fault) -> Response:
        reset = self.sandbox.clock.now() + timedelta(seconds=fault.reset_in)
        headers = self._headers()
        headers.update(
            {
                "x-ratelimit-limit": "1000",
                "x-ratelimit-remaining": "0",
                "x-ratelimit-used": "1000",
                "x-ratelimit-reset": str(int(reset.timestamp())),
                "x-ratelimit-resource": "core",
            }
        )
        body = {"message": "API rate limit exceeded for installation.", "documentation_url": DOCS}
        return Response(403, body, headers)

    def _headers(self) -> dict[str, str]:
        # GitHub's answers carry the server's Date; clients derive waits from it.
        return {"Date": format_datetime(self.sandbox.clock.now(), usegmt=True)}


def crash_after_writes(sandbox: Sandbox, writes: int) -> Callable[[], None]:
    """Simulate a run killed after its ``writes``-th write: every later request is dropped.

    Returns the function that ends the crash (the next run then reaches the sandbox again).
    """
    done = 0

    def hook(request: Request) -> Drop | None:
        nonlocal done
        if done >= writes:
            return DROP
        if request.is_write:
            done += 1
        return None

    sandbox.before_request.append(hook)
    return lambda: sandbox.before_request.remove(hook)


@dataclass
class CreationLimits:
    """GitHub's secondary limit on creating issues, enforced on the sandbox's clock: past about 20
    creations in a minute or 150 in an hour, ``POST …/issues`` answers 403 "secondary rate limit"
    without ``retry-after`` and creates nothing (https://github.com/cli/cli/issues/4801,
    https://github.com/checkmarx-ltd/cx-flow/pull/1078). Installed by tests and benchmarks that
    move the sandbox's clock as the bot waits (``FakeTime``); the bot's pacer must never trip it.
    """

    sandbox: Sandbox
    per_minute: int = 20
    per_hour: int = 150
    tripped: int = 0
    _times: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sandbox.before_request.append(self._before)

    def _before(self, request: Request) -> Response | None:
        if request.method.upper() != "POST" or not re.search(
            r"^/repos/[^/]+/[^/]+/issues$", request.path
        ):
            return None
        now = self.sandbox.clock.now().timestamp()
        minute = [t for t in self._times if now - t < 60]
        hour = [t for t in self._times if now - t < 3600]
        if len(minute) >= self.per_minute or len(hour) >= self.per_hour:
            self.tripped += 1
            headers = {"Date": format_datetime(self.sandbox.clock.now(), usegmt=True)}
            return Response(403, {"message": SECONDARY_MESSAGE, "documentation_url": DOCS}, headers)
        self._times.append(now)
        return None
