"""The ``review:`` section of the config (SPEC §10): its values, the checks the schema cannot say
(an area owner who is not a member, a metric key given twice), and its builder.

Defaults live in the shipped schema (``config_loader.defaults``); this module imports only the
shared loader, so ``ritual_bot.config`` can compose it without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any, Final

from yaml.nodes import Node

from ritual_bot.config_loader import (
    Document,
    Finding,
    Section,
    Where,
    did_you_mean,
    duplicate_message,
    label_problems,
    member_logins,
    section,
    section_settings,
    time_of_day,
    weekday,
)

NAME: Final = "review"
LABEL: Final = "ritual:review"  # managed by the bot, like HPFO's (SPEC §10)


@dataclass(frozen=True)
class Amount:
    """A target or alert as written: ``500`` (the metric's units) or ``45%`` (``percent``)."""

    value: float
    percent: bool = False

    @classmethod
    def of(cls, raw: Any) -> Amount | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            return cls(float(raw.removesuffix("%")), percent=True)
        return cls(float(raw))

    def __str__(self) -> str:
        text = f"{self.value:g}"
        return f"{text}%" if self.percent else text


@dataclass(frozen=True)
class Metric:
    key: str
    file: str | None
    target: Amount | None
    better: str  # "higher" | "lower"
    alert: Amount | None


@dataclass(frozen=True)
class Area:
    title: str
    owner: str
    shipped: tuple[str, ...]  # labels; none: the area lists nothing shipped
    metrics: tuple[Metric, ...]
    experiments: str | None  # the experiments' label


@dataclass(frozen=True)
class ReviewConfig:
    enabled: bool
    day: int  # 0 = Monday
    time: time
    areas: tuple[Area, ...]
    label: str = LABEL

    @property
    def active(self) -> bool:
        return self.enabled and bool(self.areas)

    def metric(self, key: str) -> tuple[Area, Metric] | None:
        folded = key.casefold()
        for area in self.areas:
            for metric in area.metrics:
                if metric.key.casefold() == folded:
                    return area, metric
        return None


def _areas(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    areas = section(data, NAME).get("areas")
    return [
        (i, a)
        for i, a in enumerate(areas if isinstance(areas, list) else [])
        if isinstance(a, dict)
    ]


def _problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    logins = {login.casefold(): login for _, login in member_logins(data)}
    keys: dict[str, tuple[str, Node]] = {}
    labels: list[tuple[Where, str]] = []
    for index, area in _areas(data):
        where = (NAME, "areas", index)
        owner = area.get("owner")
        if isinstance(owner, str) and not owner.startswith("@") and owner.casefold() not in logins:
            fix = did_you_mean(owner, logins.values()) or "; add them to members"
            yield doc.value((*where, "owner")), f"unknown area owner {owner!r}: not a member{fix}"
        metrics = area.get("metrics")
        for m, metric in enumerate(metrics if isinstance(metrics, list) else []):
            key = metric.get("key") if isinstance(metric, dict) else None
            if not isinstance(key, str):
                continue
            node = doc.value((*where, "metrics", m, "key"))
            first = keys.setdefault(key.casefold(), (key, node))
            if first[1] is not node:
                yield node, duplicate_message("metric key", key, first)
        for kind in ("shipped", "experiments"):
            found = area.get(kind)
            if kind == "shipped" and isinstance(found, dict):
                listed = found.get("labels")
                labels += [
                    ((*where, kind, "labels", i), label)
                    for i, label in enumerate(listed if isinstance(listed, list) else [])
                    if isinstance(label, str)
                ]
            elif isinstance(found, dict) and isinstance(found.get("label"), str):
                labels.append(((*where, kind, "label"), found["label"]))
    yield from label_problems(labels, doc)


SECTION: Final = Section(NAME, _problems)


def metric_files(data: dict[str, Any]) -> dict[str, list[tuple[Where, str]]]:
    """Each metric file named, with where each of its keys is written."""
    found: dict[str, list[tuple[Where, str]]] = {}
    for index, area in _areas(data):
        metrics = area.get("metrics")
        for m, metric in enumerate(metrics if isinstance(metrics, list) else []):
            if isinstance(metric, dict) and isinstance(metric.get("file"), str):
                where = (NAME, "areas", index, "metrics", m, "key")
                found.setdefault(metric["file"], []).append((where, str(metric.get("key"))))
    return found


def file_findings(
    headers: Mapping[str, tuple[str, ...] | str | None],
) -> Callable[[dict[str, Any], Document], Iterator[Finding]]:
    """The check ``validate`` runs against the checkout: a metric key its file's header lacks
    (an error, at the key). ``headers`` maps each file to its columns, or why it cannot be read
    (a string), or None when it is not there (a warning, ``missing_files``, not an error)."""

    def check(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
        for path, keys in metric_files(data).items():
            columns = headers.get(path)
            for where, key in keys:
                if isinstance(columns, str):
                    yield doc.value(where), f"metric {key!r}: {columns}"
                elif columns is not None and key.casefold() not in {c.casefold() for c in columns}:
                    listed = ", ".join(columns) or "none"
                    yield (
                        doc.value(where),
                        f"metric {key!r} is not a column of {path} (its columns: {listed})",
                    )

    return check


def _metric(raw: dict[str, Any]) -> Metric:
    return Metric(
        key=str(raw["key"]),
        file=raw.get("file"),
        target=Amount.of(raw.get("target")),
        better=str(raw.get("better", "higher")),
        alert=Amount.of(raw.get("alert")),
    )


def _area(raw: dict[str, Any]) -> Area:
    shipped = raw.get("shipped") or {}
    experiments = raw.get("experiments") or {}
    return Area(
        title=str(raw["title"]),
        owner=str(raw["owner"]),
        shipped=tuple(shipped.get("labels", ())),
        metrics=tuple(_metric(m) for m in raw.get("metrics", ())),
        experiments=experiments.get("label"),
    )


def build(data: dict[str, Any]) -> ReviewConfig:
    """The section of validated ``data``, defaults filled in."""
    review = section_settings(data, NAME)
    return ReviewConfig(
        enabled=bool(review["enabled"]),
        day=weekday(str(review["day"])),
        time=time_of_day(str(review["time"])),
        areas=tuple(_area(a) for a in review["areas"]),
    )
