"""Bad files of every sort end in a ConfigError with a position, quickly, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ritual_bot.config import MAX_CONFIG_BYTES, Config, load_config, parse_config
from ritual_bot.errors import ConfigError

Problems = Callable[[str], list[str]]
P = ".github/rituals.yml"

BILLION_LAUGHS = 'lol0: &a0 ["lol"]\n' + "".join(
    f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)


def test_billion_laughs_is_refused_at_the_first_alias(problems: Problems) -> None:
    assert problems(BILLION_LAUGHS) == [
        f"{P}:2:12: YAML aliases (*name) are not supported in the config: write the value out"
    ]


def test_merge_keys_are_refused_too(problems: Problems) -> None:
    text = """\
        base: &base {day: monday}
        hpfo:
          <<: *base
        """
    assert problems(text) == [
        f"{P}:3:7: YAML aliases (*name) are not supported in the config: write the value out"
    ]


def test_deep_nesting_is_refused(problems: Problems) -> None:
    assert problems("a: " + "[" * 5000 + "]" * 5000) == [
        f"{P}:1:67: nested more than 64 levels deep"
    ]


def test_oversized_text_is_refused_before_parsing(problems: Problems) -> None:
    assert problems("#" * (MAX_CONFIG_BYTES + 1)) == [
        f"{P}:1:1: config file is too large (over 128 KiB): a ritual-bot config is a few KiB"
    ]


def test_a_file_of_many_mistakes_reports_the_first_fifty_and_a_count(problems: Problems) -> None:
    text = "version: 1\nmembers: [alice]\n" + "".join(f"k{i}: 1\n" for i in range(5000))
    found = problems(text)
    assert len(found) == 51
    assert found[0].startswith(f"{P}:3:1: unknown key 'k0'")
    assert found[-1] == f"{P}:53:1: ... and 4950 more problems (fix the ones above first)"


def test_a_missing_file_is_one_problem_at_1_1(tmp_path: Path) -> None:
    path = tmp_path / "rituals.yml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1:1: config file not found: create it with `ritual-bot init`, "
        "or give its path (`--config PATH`, for `validate` and `run` alike)"
    ]


def test_a_directory_is_not_a_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}:1:1: this is a directory, not a config file: pass the .yml file"
    )


def test_an_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rituals.yml"
    path.write_bytes(b"#" * (MAX_CONFIG_BYTES + 10))
    with pytest.raises(ConfigError, match="too large"):
        load_config(path)


def test_a_file_that_is_not_utf8_points_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "rituals.yml"
    path.write_bytes(b"version: 1\nmembers: [b\xe9a]\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path}:2:12: config file is not valid UTF-8 (byte 0xe9): save it as UTF-8"
    )


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "rituals.yml"
    path.write_bytes(b"\xef\xbb\xbfversion: 1\nmembers: [alice]\n")
    assert load_config(path).members[0].login == "alice"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_config_or_a_config_error(text: str) -> None:
    check_total(text)


YAML_ALPHABET = st.sampled_from(
    [
        *"abcdefghijklmnopqrstuvwxyz0123456789 :-[]{},'\"#&*!|>?%@`.\n\t\\",
        *["version: 1\n", "members:\n", "  - ", "login: ", "hpfo:\n", "  ", "decisions:\n"],
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_ALPHABET, max_size=80).map("".join))
def test_yaml_like_text_gives_a_config_or_a_config_error(text: str) -> None:
    check_total(text)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    ["version", "timezone", "language", "members", "groups", "hpfo", "decisions", "login",
     "away", "day", "time", "remind_after", "labels", "title", "digest", "label", "stakeholders",
     "feedback_days", "allow_maintainers", "log", "enabled"]
)  # fmt: skip
DOCUMENTS = st.recursive(
    VALUES, lambda inner: st.dictionaries(KEYS, inner, max_size=6) | st.lists(inner, max_size=4)
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_structured_documents_give_a_config_or_a_config_error(document: object) -> None:
    check_total(yaml.safe_dump(document, allow_unicode=True))


def check_total(text: str) -> None:
    try:
        assert isinstance(parse_config(text, P), Config)
    except ConfigError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.col >= 1 and problem.message
