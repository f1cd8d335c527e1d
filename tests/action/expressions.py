"""GitHub Actions expressions, as the runner evaluates a job's ``if:`` — the subset workflows use.

Literals (``'string'`` with ``''`` for a quote, numbers, ``true``/``false``/``null``), context
property paths with object filters (``github.event.issue.labels.*.name``), ``!``, ``==``, ``!=``,
``&&``, ``||``, parentheses, and ``contains``/``startsWith``/``endsWith``. Semantics follow
https://docs.github.com/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions:
string comparisons ignore case, ``&&``/``||`` return an operand (not a boolean), a missing
property is ``null``, and ``contains`` on an array compares items, on a string finds a substring,
both ignoring case. Anything else is refused, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||[!().,*\[\]])"
    r"|(?P<name>[A-Za-z_][\w-]*))"
)
_FUNCTIONS = ("contains", "startswith", "endswith")


class ExpressionError(ValueError):
    pass


def evaluate_if(condition: str, contexts: Mapping[str, Any]) -> bool:
    """A job's ``if:``: the ``${{ }}`` may be left out, as GitHub allows there."""
    text = condition.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    return _truthy(_Parser(text, contexts).parse())


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") and not (isinstance(value, float) and value != value)


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    return bool(left == right)


class _Parser:
    def __init__(self, text: str, contexts: Mapping[str, Any]) -> None:
        self.tokens = self._tokenize(text)
        self.position = 0
        self.contexts = contexts

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        tokens = []
        position = 0
        while position < len(text):
            if text[position:].strip() == "":
                break
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise ExpressionError(f"cannot read {text[position:]!r}")
            kind = match.lastgroup or ""
            tokens.append((kind, match.group(kind)))
            position = match.end()
        return tokens

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise ExpressionError(f"expected {value or 'more'} at token {self.position}")
        self.position += 1
        return token

    def parse(self) -> Any:
        value = self.or_()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()}")
        return value

    def or_(self) -> Any:
        value = self.and_()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.and_()
            value = value if _truthy(value) else right
        return value

    def and_(self) -> Any:
        value = self.comparison()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.comparison()
            value = right if _truthy(value) else value
        return value

    def comparison(self) -> Any:
        value = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            operator = self.take()[1]
            right = self.unary()
            same = _equal(value, right)
            value = same if operator == "==" else not same
        return value

    def unary(self) -> Any:
        if self.peek() == ("op", "!"):
            self.take()
            return not _truthy(self.unary())
        return self.primary()

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text)
        if kind == "op" and text == "(":
            value = self.or_()
            self.take(")")
            return value
        if kind != "name":
            raise ExpressionError(f"unexpected {text!r}")
        literal = {"true": True, "false": False, "null": None}
        if text in literal:
            return literal[text]
        if self.peek() == ("op", "("):
            return self.call(text.casefold())
        return self.path(text)

    def call(self, name: str) -> Any:
        if name not in _FUNCTIONS:
            raise ExpressionError(f"function {name!r} is not supported here")
        self.take("(")
        first = self.or_()
        self.take(",")
        second = self.or_()
        self.take(")")
        if name == "contains":
            if isinstance(first, list):
                return any(_equal(item, second) for item in first)
            return str(second or "").casefold() in str(first or "").casefold()
        haystack, needle = str(first or "").casefold(), str(second or "").casefold()
        return haystack.startswith(needle) if name == "startswith" else haystack.endswith(needle)

    def path(self, root: str) -> Any:
        if root not in self.contexts:
            raise ExpressionError(f"unknown context {root!r}")
        value: Any = self.contexts[root]
        filtered = False
        while self.peek() == ("op", "."):
            self.take()
            kind, name = self.take()
            if (kind, name) == ("op", "*"):
                items = value if isinstance(value, list) else []
                value, filtered = items, True
                continue
            if kind != "name":
                raise ExpressionError(f"unexpected {name!r} in a property path")
            if filtered:
                value = [i.get(name) for i in value if isinstance(i, Mapping) and name in i]
            else:
                value = value.get(name) if isinstance(value, Mapping) else None
        return value
