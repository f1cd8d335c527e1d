"""The generic half of loading ``.github/rituals.yml`` (spec §2): reading, positions, the schema's
problems in the user's words, the team-level checks (timezones, members, groups), and the parsing
every section shares (durations, times of day, dates). Each ritual's section (its dataclass,
defaults, builder and the checks a schema cannot say) lives in its own package
(``rituals/<name>/config.py``) and reaches this module as a :class:`Section`; ``ritual_bot.config``
composes them into the one ``Config``. This module imports no ritual, so a ritual's config module
can import it without a cycle.

Validation is all-or-nothing: every problem is collected, each with the 1-based line and column of
the offending YAML node, and raised together as one :class:`ConfigError`, so a bad config is never
half-applied. The shipped JSON Schema (``ritual_bot/schema``) does the structural checks; this
module adds what a schema cannot say (real timezones, dates, group references, duplicates, cycles).

YAML is composed into nodes (not constructed into objects) so that each value keeps its position,
and it is read with the YAML 1.2 core schema rather than PyYAML's YAML 1.1 defaults: ``no`` stays a
login, ``10:00`` stays a time instead of the sexagesimal integer 600, dates stay strings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ritual_bot.errors import ConfigError, ConfigProblem
from ritual_bot.schema import config_schema

DAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A real config is a few kilobytes; the caps keep hostile input from costing seconds or memory
# (PyYAML composes ~100 KiB a second in pure Python) and the output readable.
MAX_CONFIG_BYTES: Final = 128 * 1024
MAX_DEPTH: Final = 64
MAX_PROBLEMS: Final = 50
_TOO_LARGE: Final = (
    f"config file is too large (over {MAX_CONFIG_BYTES // 1024} KiB): "
    "a ritual-bot config is a few KiB"
)
# GitHub refuses an issue title over 256 characters with a 422 "title is too long (maximum is 256
# characters)" (https://github.com/DavyJonesLocker/party_foul/pull/122 quotes the answer), and a
# label name over 50 with "name is too long (maximum is 50 characters)"
# (https://github.com/github/docs/issues/32156). A login has at most 39 characters.
TITLE_LIMIT: Final = 256
LABEL_LIMIT: Final = 50
LONGEST_LOGIN: Final = 39
# Labels ritual-bot manages itself (spec §3, §4); a user label with one of these names would clash.
RESERVED_LABELS: Final = frozenset({"decision: open", "decision: decided", "decision: withdrawn"})
RESERVED_LABEL_PREFIX: Final = "ritual:"

LOGIN_RE: Final = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")
DURATION_RE: Final = re.compile(
    r"(?=[0-9])(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?"
)
_TIME_RE: Final = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_DATE_RANGE_RE: Final = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:\.\.([0-9]{4}-[0-9]{2}-[0-9]{2}))?"
)
_DURATION_HELP: Final = (
    "use <number><unit> parts with units w, d, h, m in that order (e.g. 1d, 36h, 1d12h, 90m)"
)


# --------------------------------------------------------------------------------------------------
# The configuration as the rest of the bot sees it


@dataclass(frozen=True)
class DateRange:
    """Days a member is away, both ends included."""

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Member:
    """A team member; ``timezone`` is already resolved (their own, else the team's)."""

    login: str
    timezone: str
    away: tuple[DateRange, ...] = ()
    # A newcomer's first day and their buddy (SPEC §9, the onboarding ritual); None otherwise.
    joined: dt.date | None = None
    buddy: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_away(self, day: dt.date) -> bool:
        return any(period.contains(day) for period in self.away)


@dataclass(frozen=True)
class Section:
    """A ritual's top-level key (``hpfo:``): its name, and the problems it finds that the schema
    cannot express. ``problems`` runs even when the schema found some, so it skips values of the
    wrong type (already reported) and yields (node, message) pairs the loader positions."""

    name: str
    problems: Callable[[dict[str, Any], Document], Iterator[Finding]]


# --------------------------------------------------------------------------------------------------
# Public helpers


def default_config_path() -> Path:
    """Where the config lives, relative to the working directory (the checkout)."""
    return Path(".github") / "rituals.yml"


def parse_duration(text: str) -> dt.timedelta:
    """Parse ``1d``, ``36h``, ``1d12h``, ``90m``, ``2w``: units w d h m, each once, in that order.

    Raises ValueError (with a message that says how to fix it) for anything else or for zero.
    """
    match = DURATION_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration: {_DURATION_HELP}")
    weeks, days, hours, minutes = (int(part or 0) for part in match.groups())
    try:
        value = dt.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
    except OverflowError:
        raise ValueError(f"{text!r} is too long a duration") from None
    if not value:
        raise ValueError(f"{text!r} is zero: a duration must be longer than zero (e.g. 1d)")
    return value


def read_file(path: Path) -> str:
    """The text of a config file, or a ConfigError saying why it cannot be read."""
    return _read_text(path, str(path))


def read_data(text: str, source: str, sections: Sequence[Section]) -> dict[str, Any]:
    """Config text as validated data; ``source`` is the path shown in messages.

    Raises one ConfigError listing every problem: the schema's, the team's, then each section's
    (``sections`` in the file's order), sorted by position.
    """
    doc = Document(source, text, tuple(s.name for s in sections))
    data = _load_yaml(doc)
    for node, message in _schema_problems(data, doc):
        doc.add(node, message)
    for node, message in _team_problems(data, doc):
        doc.add(node, message)
    for part in sections:
        for node, message in part.problems(data, doc):
            doc.add(node, message)
    if doc.problems:
        raise ConfigError(doc.sorted_problems())
    return data


@cache
def defaults(name: str | None = None) -> Mapping[str, Any]:
    """The schema's defaults, the one place they live: of the top-level keys, or of section
    ``name``'s keys. Shared (cached): merge them into a new dict, never change them."""
    properties = config_schema()["properties"]
    if name is not None:
        properties = properties[name]["properties"]
    return {k: v["default"] for k, v in properties.items() if "default" in v}


def section_settings(data: dict[str, Any], name: str) -> dict[str, Any]:
    """Section ``name`` of validated data, with the schema's defaults for the keys not given."""
    return {**defaults(name), **section(data, name)}


# --------------------------------------------------------------------------------------------------
# Reading the file


def _fatal(source: str, message: str, line: int = 1, col: int = 1) -> ConfigError:
    return ConfigError([ConfigProblem(source, line, col, message)])


def _read_text(path: Path, source: str) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise _fatal(
            source,
            "config file not found: create it with `ritual-bot init`, or give its path "
            "(`--config PATH`, for `validate` and `run` alike)",
        ) from None
    except IsADirectoryError:
        raise _fatal(source, "this is a directory, not a config file: pass the .yml file") from None
    except OSError as exc:
        raise _fatal(source, f"cannot read the config file: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise _fatal(source, _TOO_LARGE)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        message = f"config file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save it as UTF-8"
        raise _fatal(source, message, line, col) from None


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


# --------------------------------------------------------------------------------------------------
# YAML → plain data, remembering the node behind every value

Where = tuple[str | int, ...]
_TAG: Final = "tag:yaml.org,2002:"


class _Rejected(yaml.MarkedYAMLError):
    """YAML that is well-formed but refused on purpose (aliases, deep nesting)."""


def _core_schema_resolvers() -> dict[Any, Any]:
    """Implicit tags of the YAML 1.2 core schema, in PyYAML's layout (first character → rules)."""
    rules = (
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        # int before float: both match "12", and the first rule registered wins.
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        (
            "float",
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            "-+0123456789.",
        ),
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    )
    resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, first in rules:
        for char in first:
            resolvers.setdefault(char, []).append((_TAG + tag, re.compile(pattern)))
    return resolvers


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars, no aliases and a nesting limit."""

    # Replaces (not extends) YAML 1.1 resolution: no `yes`/`no` booleans, sexagesimals or dates.
    yaml_implicit_resolvers: dict[Any, Any] = _core_schema_resolvers()

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        # Aliases are how "billion laughs" documents blow up; a config never needs them.
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise _Rejected(problem=_ALIAS_MESSAGE, problem_mark=mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _Rejected(
                    problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_ALIAS_MESSAGE: Final = "YAML aliases (*name) are not supported in the config: write the value out"


class Document:
    """The source text, where each value came from, and the problems found so far."""

    def __init__(self, source: str, text: str, sections: tuple[str, ...] = ()) -> None:
        self.source = source
        self.text = text
        self.sections = sections  # the rituals' top-level keys, in the file's order
        self.values: dict[Where, Node] = {}
        self.keys: dict[Where, Node] = {}
        self.problems: list[ConfigProblem] = []

    def add(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(ConfigProblem(self.source, mark.line + 1, mark.column + 1, message))

    def value(self, where: Where) -> Node:
        """The node of a value, or of its closest ancestor when the value is absent."""
        while where not in self.values:
            where = where[:-1]
        return self.values[where]

    def key(self, where: Where) -> Node:
        return self.keys.get(where) or self.value(where)

    def sorted_problems(self) -> list[ConfigProblem]:
        problems = sorted(dict.fromkeys(self.problems), key=lambda p: (p.line, p.col))
        if len(problems) <= MAX_PROBLEMS:
            return problems
        rest, first = len(problems) - MAX_PROBLEMS, problems[MAX_PROBLEMS]
        summary = f"... and {rest} more problems (fix the ones above first)"
        return [
            *problems[:MAX_PROBLEMS],
            ConfigProblem(self.source, first.line, first.col, summary),
        ]

    def fatal(self, message: str, line: int = 1, col: int = 1) -> ConfigError:
        return _fatal(self.source, message, line, col)


def check_against(
    text: str,
    source: str,
    checks: Callable[[dict[str, Any], Document], Iterator[Finding]],
) -> None:
    """Run ``checks`` on a config already validated, positioning what they find: for the checks
    that need more than the file (``validate`` opening the metric files a review reads). Raises
    one ConfigError with every problem, as ``read_data`` does."""
    doc = Document(source, text)
    data = _load_yaml(doc)
    for node, message in checks(data, doc):
        doc.add(node, message)
    if doc.problems:
        raise ConfigError(doc.sorted_problems())


def _load_yaml(doc: Document) -> dict[str, Any]:
    if len(doc.text) > MAX_CONFIG_BYTES:
        raise doc.fatal(_TOO_LARGE)
    root = _compose(doc)
    if root is None:
        raise doc.fatal(
            "config file is empty: it needs at least `version: 1` and a `members:` list "
            "(`ritual-bot init` writes a starter)"
        )
    data = _to_data(root, (), doc)
    if not isinstance(data, dict):
        mark = root.start_mark
        message = (
            f"the config must be a mapping of keys such as `version: 1`, got {_describe(data)}"
        )
        raise doc.fatal(message, mark.line + 1, mark.column + 1)
    return data


def _compose(doc: Document) -> Node | None:
    try:
        return _compose_text(doc.text)
    except _Rejected as exc:
        raise _marked_error(doc, exc, str(exc.problem)) from None
    except yaml.MarkedYAMLError as exc:
        raise _marked_error(doc, exc, _yaml_message(exc)) from None
    except yaml.reader.ReaderError as exc:
        line, col = _position(doc.text, int(exc.position))
        message = f"invalid YAML: character {exc.character:#x} is not allowed in YAML"
        raise doc.fatal(message, line, col) from None
    except yaml.YAMLError as exc:
        raise doc.fatal(f"invalid YAML: {exc}") from None


def _compose_text(text: str) -> Node | None:
    loader = _Loader(text)  # checks every character up front: may raise ReaderError
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _marked_error(doc: Document, exc: yaml.MarkedYAMLError, message: str) -> ConfigError:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return doc.fatal(message)
    return doc.fatal(message, mark.line + 1, mark.column + 1)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "syntax error"
    if "'\\t'" in problem:
        return "a tab character: YAML indents with spaces only (replace the tab with spaces)"
    if problem.startswith("mapping values are not allowed"):
        return (
            "invalid YAML: a `key: value` where a value was expected (indent it under its key, "
            "or quote a value that holds ': ')"
        )
    if exc.context and problem.startswith("but "):  # PyYAML splits one sentence in two
        return f"invalid YAML: {exc.context}, {problem}"
    message = f"invalid YAML: {problem}"
    if exc.context and exc.context_mark is not None:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    return message


def _to_data(node: Node, where: Where, doc: Document) -> Any:
    doc.values[where] = node
    if isinstance(node, ScalarNode):
        return _scalar(node, doc)
    if not node.tag.startswith(_TAG):
        doc.add(node, f"unsupported YAML tag {node.tag}: remove it")
    if isinstance(node, SequenceNode):
        return [_to_data(child, (*where, index), doc) for index, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        return _mapping(node, where, doc)
    raise AssertionError(f"unexpected YAML node {node!r}")  # pragma: no cover - PyYAML has 3 kinds


def _mapping(node: MappingNode, where: Where, doc: Document) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            doc.add(key_node, "a key must be a plain name, not a list or mapping")
            continue
        # Keys are compared as written: `1:` and `true:` are just unknown names, not numbers.
        key = str(key_node.value)
        first = doc.keys.get((*where, key))
        if first is not None:
            line = first.start_mark.line + 1
            doc.add(key_node, f"duplicate key {key!r} (first set on line {line}): keep only one")
            continue
        doc.keys[(*where, key)] = key_node
        result[key] = _to_data(value_node, (*where, key), doc)
    return result


def _scalar(node: ScalarNode, doc: Document) -> Any:
    tag = node.tag.removeprefix(_TAG)
    text = str(node.value)
    if tag == "str":
        return text
    if tag == "null":
        return None
    try:
        if tag == "bool":
            return _bool(text)
        if tag == "int":
            return _int(text)
        if tag == "float":
            return _float(text)
    except ValueError:
        doc.add(node, f"{text[:40]!r} is not a usable {tag} value")
        return text
    doc.add(node, f"unsupported YAML tag {node.tag}: remove it")
    return text


def _bool(text: str) -> bool:
    if text.lower() not in ("true", "false"):
        raise ValueError(text)
    return text.lower() == "true"


def _int(text: str) -> int:
    # int() refuses more than 4300 digits with ValueError, which the caller reports.
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _float(text: str) -> float:
    lowered = text.lower()
    if lowered.lstrip("+-") == ".inf":
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)


# --------------------------------------------------------------------------------------------------
# Schema problems, explained in the user's words

Finding = tuple[Node, str]

_TYPE_NAMES: Final = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
# What a value must look like, by the `title` of the schema that rejected it.
_EXPECTED: Final = {
    "GitHub login": "a GitHub login such as alice",
    "Login or group name": "a GitHub login or group name",
    "Group name": "a group name",
    "IANA timezone": "an IANA timezone name such as Europe/Paris",
    "Day of the week": "a day of the week such as monday",
    "Time of day": 'a quoted 24-hour time such as "09:00"',
    "Duration": "a duration such as 1d",
    "Date or date range": 'a quoted date or range such as "2026-12-21..2027-01-03"',
    "Date": 'a quoted date such as "2026-12-07"',
    "Label name": "a label name",
    "Member": "a GitHub login or a mapping with login, timezone, away, joined and buddy",
    "Team digest": "false or a mapping with day and time",
    "Decision log folder": "a folder path ending with / (such as docs/decisions/) or null",
}
_REQUIRED_HINTS: Final = {
    "version": "add `version: 1`",
    "members": "list the team's GitHub logins, e.g. `members: [alice, bob]`",
    "login": "give the member's GitHub login, e.g. `login: bob`",
}


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(config_schema())


def _schema_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    for error in _validator().iter_errors(data):
        yield from _explain(error, doc)


def _explain(error: ValidationError, doc: Document) -> Iterator[Finding]:
    where: Where = tuple(error.absolute_path)
    if "propertyNames" in error.absolute_schema_path:
        # The rejected instance is the key itself; point at it, not at the mapping.
        yield doc.key((*where, str(error.instance))), _value_message(error, where)
    elif error.validator == "additionalProperties":
        yield from _unknown_keys(error, where, doc)
    elif error.validator == "required":
        yield from _missing_keys(error, where, doc)
    elif error.validator in ("anyOf", "oneOf"):
        yield from _explain_alternatives(error, where, doc)
    else:
        yield doc.value(where), _value_message(error, where, doc.value(where))


def _unknown_keys(error: ValidationError, where: Where, doc: Document) -> Iterator[Finding]:
    allowed = list(_schema_dict(error.schema).get("properties", {}))
    instance: dict[str, Any] = error.instance  # type: ignore[assignment]
    for key in instance:
        if key not in allowed:
            yield doc.key((*where, key)), _unknown_key_message(key, allowed, where, doc.sections)


def _unknown_key_message(
    key: str, allowed: list[str], where: Where, sections: tuple[str, ...]
) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r} (did you mean {close[0]!r}?)"
    homes = [section for section, keys in _section_keys(sections).items() if key in keys]
    if homes and not where:
        return f"unknown key {key!r} here: it belongs under `{homes[0]}:`"
    return f"unknown key {key!r} (allowed keys: {', '.join(allowed)})"


@cache
def _section_keys(sections: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """Keys of each ritual's section, to tell users a key is misplaced rather than unknown."""
    properties = config_schema()["properties"]
    return {name: frozenset(properties[name]["properties"]) for name in sections}


def _missing_keys(error: ValidationError, where: Where, doc: Document) -> Iterator[Finding]:
    required: Any = error.validator_value
    instance: dict[str, Any] = error.instance  # type: ignore[assignment]
    for key in required:
        if key not in instance:
            hint = _REQUIRED_HINTS.get(key)
            message = f"missing required key {key!r}" + (f": {hint}" if hint else "")
            yield doc.value(where), message


def _explain_alternatives(error: ValidationError, where: Where, doc: Document) -> Iterator[Finding]:
    """For "a login or a mapping"-style keys, explain the branch that fits the value's type."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    fitting = [
        subs
        for subs in branches.values()
        if not any(s.validator == "type" and not s.relative_path for s in subs)
    ]
    if fitting:
        for sub in min(fitting, key=len):
            yield from _explain(sub, doc)
        return
    node = doc.value(where)
    expected = _EXPECTED.get(str(_schema_dict(error.schema).get("title")), "another kind of value")
    yield node, _type_message(where, expected, error.instance, _quoted_fix(error, node))


def _schema_dict(schema: Any) -> Mapping[str, Any]:
    return schema if isinstance(schema, Mapping) else {}


def _value_message(error: ValidationError, where: Where, node: Node | None = None) -> str:
    schema = _schema_dict(error.schema)
    title = str(schema.get("title", ""))
    value = error.instance
    kind = error.validator
    if kind == "type":
        expected = _EXPECTED.get(title) or _type_names(error.validator_value)
        return _type_message(where, expected, value, _quoted_fix(error, node))
    if kind in ("pattern", "minLength", "maxLength") and title in _TEXT_MESSAGES:
        return _TEXT_MESSAGES[title](str(value))
    return _other_message(error, where, schema)


def _other_message(error: ValidationError, where: Where, schema: Mapping[str, Any]) -> str:
    limit: Any = error.validator_value
    name, value = _name(where), error.instance
    if error.validator == "const" and where == ("version",) and str(value).strip() == "1":
        return f"version must be the number 1, not the text {value!r}: remove the quotes"
    if error.validator == "const" and where == ("version",):
        return f"unsupported config version {value!r}: this ritual-bot reads `version: 1`"
    if error.validator == "const":
        return f"{name} must be {limit!r}"
    if error.validator == "enum":
        choices = " or ".join(str(c) for c in limit)
        return f"{value!r} is not a valid {name}: use {choices}" + did_you_mean(value, limit)
    if error.validator in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        return f"{name} must be between {low} and {high}, got {value!r}"
    if error.validator == "minItems" and where == ("members",):
        return "members must list at least one GitHub login"
    if error.validator == "minItems":
        return f"{name} must have at least {limit} entries"
    if error.validator == "minLength":
        return f"{name} must not be empty"
    if error.validator == "maxLength":
        return f"{name} is too long (at most {limit} characters)"
    return f"{name}: {error.message}"


def _as_list(types: Any) -> list[str]:
    return [types] if isinstance(types, str) else list(types)


def _type_names(types: Any) -> str:
    return " or ".join(_TYPE_NAMES.get(t, t) for t in _as_list(types))


def _quoted_fix(error: ValidationError, node: Node | None) -> str | None:
    """The quoted text, when a plain scalar read as a number or boolean would be valid as text.

    A login like 123 or a time like 9:30 written as 0930 is read as a number; quoting keeps it
    text, but only suggest it when the text itself would pass.
    """
    if not isinstance(node, ScalarNode) or not isinstance(error.instance, bool | int | float):
        return None
    raw = str(node.value)
    return f'"{raw}"' if _validator().evolve(schema=error.schema).is_valid(raw) else None


def _type_message(where: Where, expected: str, value: Any, quoted: str | None) -> str:
    if value is None:
        return f"{_name(where)} has no value: give it {expected}"
    message = f"{_name(where)} must be {expected}, got {_describe(value)}"
    if isinstance(value, int | float) and expected.startswith("a duration"):
        return f"{message}: add a unit, e.g. {value}h or {value}d"
    return message + (f" (quote it: {quoted})" if quoted else "")


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "nothing"
    return f"the number {value!r}"


def _name(where: Where) -> str:
    """A dotted name users recognise, e.g. ``hpfo.time`` or ``members[1].timezone``."""
    name = ""
    for part in where:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "the config"


def did_you_mean(value: Any, choices: Iterable[Any]) -> str:
    if not isinstance(value, str):
        return ""
    options = {str(c).casefold(): str(c) for c in choices}
    close = difflib.get_close_matches(value.casefold(), list(options), n=1, cutoff=0.6)
    return f" (did you mean {options[close[0]]!r}?)" if close else ""


def login_message(value: str) -> str:
    if value.startswith("@") and LOGIN_RE.fullmatch(value[1:]):
        return f"{value!r} is not a valid GitHub login: write it without '@' ({value[1:]})"
    if len(value) > 39:
        return f"{value[:60]!r} is not a valid GitHub login: logins have at most 39 characters"
    return (
        f"{value!r} is not a valid GitHub login: use letters, digits and single hyphens, "
        "not starting or ending with a hyphen"
    )


def _entry_message(value: str) -> str:
    if value.startswith("@"):
        return login_message(value)
    return f"{value!r} is not a GitHub login or group name"


_TEXT_MESSAGES: Final[dict[str, Callable[[str], str]]] = {
    "GitHub login": login_message,
    "Login or group name": _entry_message,
    "Group name": lambda v: (
        f"{v!r} is not a valid group name: use letters, digits, '-', '_' and '.', "
        "starting with a letter or digit"
    ),
    "Day of the week": lambda v: (
        f"{v!r} is not a day of the week: use monday … sunday" + did_you_mean(v, DAYS)
    ),
    "Time of day": lambda v: f'{v!r} is not a time of day: use 24-hour HH:MM, e.g. "09:00"',
    "Duration": lambda v: f"{v!r} is not a duration: {_DURATION_HELP}",
    "Date or date range": lambda v: (
        f"{v!r} is not a date or date range: use YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
    ),
    "Date": lambda v: f"{v!r} is not a date: use YYYY-MM-DD",
    "Label name": lambda v: (
        f"{v[:60]!r} is too long for a GitHub label (at most 50 characters)"
        if v
        else "a label name cannot be empty"
    ),
    "Repository folder": lambda v: (
        f"{v!r} is not a relative folder: write a repository path ending with /, "
        "e.g. docs/decisions/"
    ),
}


# --------------------------------------------------------------------------------------------------
# Semantic problems: what the schema cannot express
#
# These run even when the schema found problems (so the user sees everything at once); each check
# skips values of the wrong type, which the schema has already reported.


def _team_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    yield from _timezone_problems(data, doc)
    yield from _away_problems(data, doc)
    yield from _member_problems(data, doc)
    yield from _group_problems(data, doc)


def section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def strings(value: Any) -> Iterator[tuple[int, str]]:
    """(index, text) of the string entries of a list, whatever else the list holds."""
    if isinstance(value, list):
        yield from ((i, v) for i, v in enumerate(value) if isinstance(v, str))


def member_entries(data: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    members = data.get("members")
    if isinstance(members, list):
        yield from ((i, m) for i, m in enumerate(members) if isinstance(m, dict))


def member_logins(data: dict[str, Any]) -> Iterator[tuple[Where, str]]:
    """Where each member login is written: the entry itself, or its `login` key."""
    members = data.get("members")
    for index, entry in enumerate(members if isinstance(members, list) else []):
        if isinstance(entry, str):
            yield ("members", index), entry
        elif isinstance(entry, dict) and isinstance(entry.get("login"), str):
            yield ("members", index, "login"), entry["login"]


@cache
def _timezones() -> frozenset[str]:
    # The tzdata package's list, not the host's, so a config validates the same everywhere.
    zones = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(zones.split())


_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def _offset_message(value: str) -> str | None:
    """``UTC+2``, ``GMT-5``, ``+02:00``: a fixed offset, which no IANA name is spelled as."""
    match = _OFFSET.match(value.strip())
    if match is None:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), match.group(3)
    etc = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}" if not minutes and hours <= 14 else None
    fixed = f", or {etc} for a fixed offset (its sign is inverted, as POSIX has it)" if etc else ""
    return (
        f"{value!r} is an offset, not an IANA timezone: use a city such as Europe/Berlin, so "
        f"daylight saving is followed{fixed}"
    )


def _timezone_message(value: str) -> str | None:
    zones = _timezones()
    if value in zones:
        return None
    offset = _offset_message(value)
    if offset is not None:
        return offset
    by_case = {z.casefold(): z for z in zones}
    close = difflib.get_close_matches(value.casefold(), list(by_case), n=1, cutoff=0.6)
    example = by_case[close[0]] if close else "Europe/Paris"
    return f"{value!r} is not an IANA timezone (e.g. {example})"


def _timezone_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    places: list[tuple[Where, Any]] = [(("timezone",), data.get("timezone"))]
    places += [(("members", i, "timezone"), m.get("timezone")) for i, m in member_entries(data)]
    for where, value in places:
        message = _timezone_message(value) if isinstance(value, str) and value else None
        if message:
            yield doc.value(where), message


def parse_range(text: str) -> DateRange:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD``; ValueError with a user message otherwise."""
    match = _DATE_RANGE_RE.fullmatch(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a date or date range: use YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
        )
    start, end = (parse_date(part) for part in (match[1], match[2] or match[1]))
    if start > end:
        raise ValueError(f"{text!r} ends before it starts: write the earlier date first")
    return DateRange(start, end)


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` as a real date; ValueError with a user message otherwise."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


def _away_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    for index, member in member_entries(data):
        for position, text in strings(member.get("away")):
            if not _DATE_RANGE_RE.fullmatch(text):
                continue  # the schema reported it
            try:
                parse_range(text)
            except ValueError as exc:
                yield doc.value(("members", index, "away", position)), str(exc)


def _member_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    seen: dict[str, tuple[str, Node]] = {}
    for where, login in member_logins(data):
        node = doc.value(where)
        first = seen.setdefault(login.casefold(), (login, node))
        if first[1] is not node:
            yield node, duplicate_message("member", login, first)


def duplicate_message(kind: str, value: str, first: tuple[str, Node]) -> str:
    line = first[1].start_mark.line + 1
    if first[0] == value:
        return f"duplicate {kind} {value!r} (already listed on line {line})"
    return (
        f"duplicate {kind} {value!r} (already listed on line {line} as {first[0]!r}; "
        "GitHub names are case-insensitive)"
    )


def groups_of(data: dict[str, Any]) -> dict[str, list[tuple[int, str]]]:
    groups = data.get("groups")
    if not isinstance(groups, dict):
        return {}
    return {name: list(strings(entries)) for name, entries in groups.items()}


def _group_problems(data: dict[str, Any], doc: Document) -> Iterator[Finding]:
    groups = groups_of(data)
    members = {login.casefold() for _, login in member_logins(data)}
    names = {name.casefold(): name for name in reversed(list(groups))}
    for name in groups:
        node = doc.key(("groups", name))
        if names[name.casefold()] != name:
            yield (
                node,
                f"duplicate group {name!r} (same as {names[name.casefold()]!r}; "
                "group names are case-insensitive)",
            )
        elif name.casefold() in members:
            yield node, f"group {name!r} has the same name as a member: rename the group"
        yield from _group_entry_problems(name, groups[name], names, doc)
    yield from _cycle_problems(groups, names, doc)


def _group_entry_problems(
    name: str, entries: list[tuple[int, str]], names: dict[str, str], doc: Document
) -> Iterator[Finding]:
    seen: dict[str, tuple[str, Node]] = {}
    for index, entry in entries:
        node = doc.value(("groups", name, index))
        if entry.casefold() not in names and not LOGIN_RE.fullmatch(entry):
            # Non-member logins are allowed (a stakeholder need not do check-ins), bad logins not.
            yield node, f"{entry!r} in group {name!r} is neither a group name nor a GitHub login"
            continue
        first = seen.setdefault(entry.casefold(), (entry, node))
        if first[1] is not node:
            yield node, duplicate_message(f"entry in group {name!r}:", entry, first)


def _cycle_problems(
    groups: dict[str, list[tuple[int, str]]], names: dict[str, str], doc: Document
) -> Iterator[Finding]:
    """One problem per entry that closes a loop of groups including each other."""
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> Iterator[Finding]:
        trail.append(name)
        for index, entry in groups[name]:
            target = names.get(entry.casefold())
            if target is None or target in done:
                continue
            if target in trail:
                loop = " -> ".join([*trail[trail.index(target) :], target])
                message = f"groups include each other in a loop ({loop}): remove one of them"
                yield doc.value(("groups", name, index)), message
            else:
                yield from visit(target, trail)
        trail.pop()
        done.add(name)

    for name in groups:
        if name not in done:
            yield from visit(name, [])


def label_problems(labels: list[tuple[Where, str]], doc: Document) -> Iterator[Finding]:
    seen: dict[str, tuple[str, Node]] = {}
    for where, label in labels:
        node = doc.value(where)
        if label.casefold() in RESERVED_LABELS or label.casefold().startswith(
            RESERVED_LABEL_PREFIX
        ):
            yield (
                node,
                f"label {label!r} is reserved for labels ritual-bot manages: pick another name",
            )
            continue
        first = seen.setdefault(label.casefold(), (label, node))
        if first[1] is not node and where[0] == "hpfo":
            yield node, duplicate_message("label", label, first)


def build_member(entry: str | dict[str, Any], team_timezone: str) -> Member:
    if isinstance(entry, str):
        return Member(login=entry, timezone=team_timezone)
    away = tuple(parse_range(text) for text in entry.get("away", ()))
    joined = parse_date(entry["joined"]) if "joined" in entry else None
    return Member(
        login=entry["login"],
        timezone=entry.get("timezone", team_timezone),
        away=away,
        joined=joined,
        buddy=entry.get("buddy"),
    )


def weekday(day: str) -> int:
    return DAYS.index(day.lower())


def time_of_day(text: str) -> dt.time:
    match = _TIME_RE.fullmatch(text)
    if match is None:  # pragma: no cover - validated before building
        raise ValueError(f"{text!r} is not a time of day")
    return dt.time(int(match[1]), int(match[2]))


def login_problem(value: str) -> str | None:
    """Why ``value`` is not a GitHub login, or None: the sentence ``validate`` uses."""
    return None if LOGIN_RE.fullmatch(value) else login_message(value)


def timezone_problem(value: str) -> str | None:
    """Why ``value`` is not an IANA timezone (``UTC+2`` gets a city and an ``Etc/`` name),
    or None: the sentence ``validate`` uses."""
    return _timezone_message(value)


def plain_or_quoted(login: str) -> str:
    # A login such as `true`, `null` or `123` would otherwise be read as a boolean, null or number.
    resolved = _Loader.resolve(_Loader, ScalarNode, login, (True, False))  # type: ignore[arg-type, no-untyped-call]
    return login if resolved == _TAG + "str" else f'"{login}"'


# Legacy zone names tzdata keeps for compatibility, and the city a team most likely means.


def roster_problems(
    data: dict[str, Any], doc: Document, where: Where, kind: str
) -> Iterator[Finding]:
    """Entries of the list at ``where`` (``decisions.stakeholders``, ``okrs.owners``) that name
    neither a member, a group nor a login in a group, and entries named twice."""
    groups = groups_of(data)
    known = {login.casefold(): login for _, login in member_logins(data)}
    known |= {
        e.casefold(): e
        for entries in groups.values()
        for _, e in entries
        if e.casefold() not in known
    }
    names = {name.casefold() for name in groups}
    seen: dict[str, tuple[str, Node]] = {}
    for index, entry in strings(_at(data, where)):
        node = doc.value((*where, index))
        if entry.casefold() not in names and entry.casefold() not in known:
            if not entry.startswith("@"):  # '@' is reported by the schema
                choices = [*groups, *known.values()]
                fix = did_you_mean(entry, choices) or "; add them to members or to a group"
                unknown = f"unknown {kind} {entry!r}: not a member, a group or a login in a group"
                yield node, unknown + fix
            continue
        first = seen.setdefault(entry.casefold(), (entry, node))
        if first[1] is not node:
            yield node, duplicate_message(kind, entry, first)


def folder_problems(
    data: dict[str, Any], doc: Document, where: Where, example: str
) -> Iterator[Finding]:
    """A folder setting (``decisions.log``, ``okrs.record``) that leaves the repository."""
    folder = _at(data, where)
    if not isinstance(folder, str) or not folder.endswith("/") or folder.startswith(("/", "\\")):
        return  # absent, null, or already reported by the schema
    parts = folder[:-1].split("/")
    if "\\" in folder or any(part in ("", ".", "..") for part in parts):
        message = f"{folder!r} must be a plain folder inside the repository, e.g. {example}"
        yield doc.value(where), message


def _at(data: dict[str, Any], where: Where) -> Any:
    """The value at the mapping keys ``where``, or None when a key or mapping is missing."""
    found: Any = data
    for key in where:
        found = found.get(key) if isinstance(found, dict) else None
    return found
