"""The starter written by `ritual-bot init` validates and spells out the defaults."""

from __future__ import annotations

import pytest

from ritual_bot.config import parse_config, starter_config


def test_the_starter_validates_and_equals_the_minimal_config() -> None:
    starter = parse_config(starter_config(["alice", "bob"]), "starter.yml")
    minimal = parse_config("version: 1\nmembers: [alice, bob]\n", "minimal.yml")
    assert starter == minimal


def test_the_starter_documents_every_key_with_comments() -> None:
    text = starter_config(["alice"])
    for key in ["timezone:", "language:", "groups:", "remind_after:", "digest:", "log:"]:
        line = next(line for line in text.splitlines() if line.strip().startswith(key))
        assert "#" in line, f"{key} has no comment"


def test_logins_that_look_like_numbers_or_booleans_are_quoted() -> None:
    text = starter_config(["123", "true", "null", "alice"])
    assert '  - "123"\n  - "true"\n  - "null"\n  - alice\n' in text
    config = parse_config(text, "starter.yml")
    assert [m.login for m in config.members] == ["123", "true", "null", "alice"]


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([], "at least one member"),
        (["@alice"], "write it without '@'"),
        (["bad login"], "not a valid GitHub login"),
    ],
)
def test_the_starter_refuses_bad_members(members: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        starter_config(members)
