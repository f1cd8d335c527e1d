"""Compare the sandbox cassettes with the live ones by structure, not by value.

    .venv/bin/python -m tests.live.diff_cassettes [--sandbox DIR] [--live DIR]

Interactions are paired by position within each cassette of the same name. For each pair it
reports a different method, path (numbers read as ``{n}``), query keys or status; response
headers present on one side only, and different values of the headers whose value matters
(content type, media type, API version, rate-limit resource); and, in the JSON bodies, keys
present on one side only and keys whose value types differ (``str`` vs ``null`` …). Lists are
read as the union of their items. Exit status: 0 same structure, 1 differences, 2 nothing to
compare.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.gateway.recording import LIVE_CASSETTES, SANDBOX_CASSETTES, interactions

VALUE_HEADERS = frozenset(
    {
        "content-type",
        "x-github-api-version-selected",
        "x-github-media-type",
        "x-ratelimit-resource",
    }
)
_NUMBER_SEGMENT = re.compile(r"/\d+(?=/|$)")
Shape = dict[str, set[str]]


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def shape(value: Any, at: str = "$", into: Shape | None = None) -> Shape:
    """Every JSON path (``$.labels[].name``) with the set of value types seen there."""
    found: Shape = {} if into is None else into
    found.setdefault(at, set()).add(_type(value))
    if isinstance(value, dict):
        for key, item in value.items():
            shape(item, f"{at}.{key}", found)
    elif isinstance(value, list):
        for item in value:
            shape(item, f"{at}[]", found)
    return found


def _body_shape(body: Any) -> Shape:
    text = body.get("string") if isinstance(body, Mapping) else body
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not text:
        return {}
    try:
        return shape(json.loads(text))
    except ValueError:
        return {"$": {"text"}}


def _where(request: Mapping[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    parts = urlsplit(request["uri"])
    path = _NUMBER_SEGMENT.sub("/{n}", parts.path)
    keys = tuple(sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return request["method"], path, keys


def _headers(response: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for name, value in response.get("headers", {}).items():
        values = value if isinstance(value, list) else [value]
        out[name.lower()] = ", ".join(str(v) for v in values)
    return out


def _shape_differences(side: str, a: Shape, b: Shape) -> Iterator[str]:
    for path in sorted(a.keys() | b.keys()):
        if path not in b:
            yield f"{side} {path}: only in sandbox ({'|'.join(sorted(a[path]))})"
        elif path not in a:
            yield f"{side} {path}: only in live ({'|'.join(sorted(b[path]))})"
        elif a[path] != b[path]:
            yield (
                f"{side} {path}: sandbox {'|'.join(sorted(a[path]))}, "
                f"live {'|'.join(sorted(b[path]))}"
            )


def compare_interaction(sandbox: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    where_a, where_b = _where(sandbox["request"]), _where(live["request"])
    if where_a != where_b:
        found.append(f"request: sandbox {where_a}, live {where_b}")
    status_a = sandbox["response"]["status"]["code"]
    status_b = live["response"]["status"]["code"]
    if status_a != status_b:
        found.append(f"status: sandbox {status_a}, live {status_b}")
    headers_a, headers_b = _headers(sandbox["response"]), _headers(live["response"])
    for name in sorted(headers_a.keys() - headers_b.keys()):
        found.append(f"header {name}: only in sandbox")
    for name in sorted(headers_b.keys() - headers_a.keys()):
        found.append(f"header {name}: only in live")
    for name in sorted(VALUE_HEADERS & headers_a.keys() & headers_b.keys()):
        if headers_a[name] != headers_b[name]:
            found.append(f"header {name}: sandbox {headers_a[name]!r}, live {headers_b[name]!r}")
    found += _shape_differences(
        "request body",
        _body_shape(sandbox["request"].get("body")),
        _body_shape(live["request"].get("body")),
    )
    found += _shape_differences(
        "response body",
        _body_shape(sandbox["response"]["body"]),
        _body_shape(live["response"]["body"]),
    )
    return found


def compare_cassettes(sandbox: Path, live: Path) -> list[str]:
    """Lines describing every structural difference between two cassette files."""
    a, b = interactions(sandbox), interactions(live)
    found: list[str] = []
    if len(a) != len(b):
        found.append(f"{len(a)} interactions in the sandbox, {len(b)} live")
    for index, (one, other) in enumerate(zip(a, b, strict=False), start=1):
        method, path, _ = _where(one["request"])
        for line in compare_interaction(one, other):
            found.append(f"#{index} {method} {path}: {line}")
    return found


def compare_dirs(sandbox: Path, live: Path) -> dict[str, list[str]]:
    """Per cassette name, its differences (only names with differences, or missing on one side)."""
    names_a = {p.name for p in sandbox.glob("*.yaml")}
    names_b = {p.name for p in live.glob("*.yaml")}
    report: dict[str, list[str]] = {}
    for name in sorted(names_a | names_b):
        if name not in names_b:
            report[name] = ["no live cassette"]
        elif name not in names_a:
            report[name] = ["no sandbox cassette"]
        elif lines := compare_cassettes(sandbox / name, live / name):
            report[name] = lines
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sandbox", type=Path, default=SANDBOX_CASSETTES)
    parser.add_argument("--live", type=Path, default=LIVE_CASSETTES)
    args = parser.parse_args(argv)
    if not any(args.live.glob("*.yaml")):
        print(
            f"no live cassettes in {args.live}: record them first (tests/live/README.md)",
            file=sys.stderr,
        )
        return 2
    report = compare_dirs(args.sandbox, args.live)
    for name, lines in report.items():
        print(name)
        for line in lines:
            print(f"  {line}")
    if not report:
        print("sandbox and live cassettes have the same structure")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
