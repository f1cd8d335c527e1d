"""The ``hpfo:`` section of the config (SPEC §2, §3): its values, the checks the schema cannot say
(a title GitHub would refuse, a label clash, a zero reminder delay), and its builder.

Defaults live in the shipped schema (``config_loader.defaults``); this module imports only the
shared loader, so ``ritual_bot.config`` can compose it without a cycle.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from ritual_bot.config_loader import (
    DURATION_RE,
    LONGEST_LOGIN,
    TITLE_LIMIT,
    Document,
    Finding,
    Section,
    Where,
    defaults,
    label_problems,
    parse_duration,
    section,
    section_settings,
    strings,
    time_of_day,
    weekday,
)

NAME: Final = "hpfo"
TITLE_FIELDS: Final = ("period", "login")


@dataclass(frozen=True)
class DigestConfig:
    day: int  # 0 = Monday, as date.weekday()
    time: dt.time


@dataclass(frozen=True)
class HpfoConfig:
    enabled: bool
    day: int  # 0 = Monday, as date.weekday()
    time: dt.time
    remind_after: dt.timedelta
    labels: tuple[str, ...]
    title: str
    digest: DigestConfig | None


def _problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    hpfo = section(data, NAME)
    remind = hpfo.get("remind_after")
    if isinstance(remind, str) and DURATION_RE.fullmatch(remind):
        try:
            parse_duration(remind)
        except ValueError as exc:
            yield doc.value((NAME, "remind_after")), str(exc)
    title = hpfo.get("title")
    message = _title_problem(title) if isinstance(title, str) and title else None
    if message:
        yield doc.value((NAME, "title")), message
    labels: list[tuple[Where, str]] = [
        ((NAME, "labels", i), label) for i, label in strings(hpfo.get("labels"))
    ]
    yield from label_problems(labels, doc)


def _title_problem(title: str) -> str | None:
    allowed = " and ".join(f"{{{name}}}" for name in TITLE_FIELDS)
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(title) if f is not None]
    except ValueError as exc:
        return (
            f"title {title!r} is not a valid format ({exc}): write a literal brace as {{{{ or }}}}"
        )
    unknown = [f for f in fields if f not in TITLE_FIELDS]
    if unknown:
        return f"title uses {{{unknown[0]}}}, but only {allowed} are available"
    try:
        # As a run renders it (hpfo.open_checkin), with the longest login GitHub allows.
        longest = len(title.format(period="2026-W48", login="x" * LONGEST_LOGIN))
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
        return f"title {title!r} cannot be filled in ({exc}): use plain {allowed}"
    if longest > TITLE_LIMIT:
        return (
            f"title {title!r} gives titles of up to {longest} characters (with a "
            f"{LONGEST_LOGIN}-character login): GitHub allows at most {TITLE_LIMIT}"
        )
    return None


SECTION: Final = Section(NAME, _problems)


def build(data: dict[str, Any]) -> HpfoConfig:
    """The section of validated ``data``, defaults filled in."""
    hpfo = section_settings(data, NAME)
    return HpfoConfig(
        enabled=bool(hpfo["enabled"]),
        day=weekday(hpfo["day"]),
        time=time_of_day(hpfo["time"]),
        remind_after=parse_duration(hpfo["remind_after"]),
        labels=tuple(hpfo["labels"]),
        title=str(hpfo["title"]),
        digest=_build_digest(hpfo["digest"]),
    )


def _build_digest(digest: bool | dict[str, Any]) -> DigestConfig | None:
    if digest is False:
        return None
    # `digest: true` means "on, with the default day and time".
    settings = {**defaults(NAME)["digest"], **(digest if isinstance(digest, dict) else {})}
    return DigestConfig(day=weekday(settings["day"]), time=time_of_day(settings["time"]))
