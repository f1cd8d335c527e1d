"""How a run waits out GitHub's limits and faults: pure decisions, no I/O, no clock reads.

The gateway's transport asks :func:`retry_wait` what to do with each response and
:class:`WritePacer` when the next write may go; both get the time they need as arguments, so the
policies are tested without sleeping.

- 5xx: retried with exponential backoff — but only for requests that are safe to repeat. A write
  that failed with 5xx (or whose connection dropped) may have been applied: the gateway checks for
  the op's marker before writing again (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api).
- Secondary rate limits (403/429 "secondary rate limit"): wait ``retry-after`` seconds if given,
  else at least one minute, growing exponentially.
- Primary rate limit exhausted (``x-ratelimit-remaining: 0``): wait until ``x-ratelimit-reset``,
  measured against the response's own ``Date`` header, not the runner's clock, which can be
  skewed (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api).
- Every wait counts against one cap per run; past it the run fails clearly instead of hanging.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

RETRYABLE_5XX = frozenset({500, 502, 503, 504})
# Requests whose repetition cannot duplicate anything: reads, and PATCH/DELETE of a known object
# (setting the same fields twice gives the same issue). POST creates; PUT of contents needs the
# current blob sha, so a repeat after an applied write fails with 409 instead of being harmless.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PATCH", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_backoff: float = 1.0
    secondary_minimum: float = 60.0
    max_total_wait: float = 600.0  # the cap on all waits of one run, in seconds


@dataclass(frozen=True)
class Decision:
    """Retry after ``wait`` seconds, or give up with ``reason`` (``wait`` is None)."""

    wait: float | None
    reason: str = ""

    @property
    def retry(self) -> bool:
        return self.wait is not None


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def server_now(headers: Mapping[str, str]) -> float | None:
    """The server's clock at the response, from its ``Date`` header, as epoch seconds."""
    date = _lower(headers).get("date")
    if not date:
        return None
    try:
        return float(parsedate_to_datetime(date).timestamp())
    except (TypeError, ValueError):
        return None


def is_secondary_limit(status: int, body: str) -> bool:
    return status in (403, 429) and "secondary rate limit" in body.lower()


def rate_limit_wait(
    status: int,
    headers: Mapping[str, str],
    body: str,
    attempt: int,
    policy: RetryPolicy,
    local_now: float,
) -> float | None:
    """Seconds to wait for a rate-limited response, or None if it is not one."""
    h = _lower(headers)
    retry_after = _number(h.get("retry-after"))
    if status in (403, 429) and retry_after is not None:
        return max(retry_after, 0.0)
    if is_secondary_limit(status, body):
        return policy.secondary_minimum * 2.0 ** (attempt - 1)
    if status in (403, 429) and h.get("x-ratelimit-remaining") == "0":
        reset = _number(h.get("x-ratelimit-reset"))
        if reset is None:
            return policy.secondary_minimum
        now = server_now(headers) or local_now
        return max(reset - now, 0.0) + 1.0  # one second of slack past the reset
    return None


def retry_wait(
    *,
    method: str,
    status: int | None,
    headers: Mapping[str, str],
    body: str,
    attempt: int,
    waited: float,
    policy: RetryPolicy,
    local_now: float,
) -> Decision:
    """What to do after attempt number ``attempt`` (1-based) got ``status``.

    ``status`` None means no response at all (timeout, connection dropped).
    """
    if status is not None and status < 500 and status not in (403, 429):
        return Decision(None)
    wait: float | None
    if status is None or status in RETRYABLE_5XX:
        if method.upper() not in SAFE_METHODS:
            return Decision(None, "ambiguous")  # it may have been applied: never blindly repeat
        wait = policy.base_backoff * 2.0 ** (attempt - 1)
    else:
        wait = rate_limit_wait(status, headers, body, attempt, policy, local_now)
        if wait is None:
            return Decision(None)  # a plain 403: permissions, not limits
    if attempt >= policy.max_attempts:
        return Decision(None, f"gave up after {attempt} attempts")
    if waited + wait > policy.max_total_wait:
        return Decision(
            None,
            f"GitHub asks to wait {wait:.0f}s more, past this run's cap of "
            f"{policy.max_total_wait:.0f}s; the next run will continue",
        )
    return Decision(wait)


# Issue creation has a lower limit than other content: about 20 a minute and 150 an hour,
# measured by projects that hit it in production (https://github.com/cli/cli/issues/4801:
# "20 issues per minute and 150 per hour"; https://github.com/checkmarx-ltd/cx-flow/pull/1078:
# a secondary limit "after creating ~20 issues", fixed with ~3 s between creations).
CREATES_PER_MINUTE = 20
CREATES_PER_HOUR = 150


@dataclass
class WritePacer:
    """Keeps one run's writes within GitHub's content-creation limits.

    - At least ``min_interval`` (one second) between writes: "If you are making a large number
      of POST, PATCH, PUT, or DELETE requests, wait at least one second between each request"
      (https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#pause-between-mutative-requests).
    - About 80 content-generating requests a minute and 500 an hour
      (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits),
      and, for issue creation, the lower limits above ("some endpoints have lower content
      creation limits", same page).

    The minute windows are waited out; the hour windows are this run's budget: when one is full
    the pacer refuses (``exhausted``) so the run stops cleanly and the next one continues.
    """

    per_minute: int = 80
    per_hour: int = 500
    min_interval: float = 1.0
    creates_per_minute: int = CREATES_PER_MINUTE
    creates_per_hour: int = CREATES_PER_HOUR
    _times: deque[float] = field(default_factory=deque)
    _creates: deque[float] = field(default_factory=deque)
    _last: float | None = None
    count: int = 0
    created: int = 0

    def exhausted(self, creating: bool = False) -> bool:
        return self.count >= self.per_hour or (creating and self.created >= self.creates_per_hour)

    def wait_before_write(self, now: float, creating: bool = False) -> float:
        waits = [_window_wait(self._times, self.per_minute, now)]
        if self._last is not None:
            waits.append(self.min_interval - (now - self._last))
        if creating:
            waits.append(_window_wait(self._creates, self.creates_per_minute, now))
            if self._creates:
                # Evenly spread (3 s apart), not in bursts of 20: the fix that worked in
                # production (cx-flow above) and the gentlest on notifications.
                spacing = 60.0 / self.creates_per_minute
                waits.append(spacing - (now - self._creates[-1]))
        return max(0.0, *waits)

    def record(self, now: float, creating: bool = False) -> None:
        self._times.append(now)
        self._last = now
        self.count += 1
        if creating:
            self._creates.append(now)
            self.created += 1


def _window_wait(times: deque[float], limit: int, now: float, window: float = 60.0) -> float:
    """Seconds until one more event fits in a sliding ``window`` holding at most ``limit``."""
    while times and now - times[0] >= window:
        times.popleft()
    return 0.0 if len(times) < limit else window - (now - times[0])
