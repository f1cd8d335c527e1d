"""What a valid config turns into: defaults, the spec example, members, groups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from ritual_bot.config import (
    Config,
    DateRange,
    DecisionsConfig,
    DigestConfig,
    HpfoConfig,
    Member,
    OkrsConfig,
    OnboardingConfig,
    ReviewConfig,
    default_config_path,
    load_config,
)

Parse = Callable[[str], Config]

MINIMAL = "version: 1\nmembers: [alice]\n"


def test_the_minimal_file_gets_every_default(parse: Parse) -> None:
    config = parse(MINIMAL)
    assert config == Config(
        version=1,
        timezone="UTC",
        language="en",
        members=(Member("alice", "UTC", ()),),
        groups=MappingProxyType({}),
        hpfo=HpfoConfig(
            enabled=True,
            day=0,
            time=time(9, 0),
            remind_after=timedelta(days=1),
            labels=("hpfo",),
            title="HPFO {period} · @{login}",
            digest=DigestConfig(day=1, time=time(10, 0)),
        ),
        decisions=DecisionsConfig(
            enabled=True,
            label="decision",
            stakeholders=(),
            feedback_days=5,
            allow_maintainers=True,
            log=None,
        ),
        okrs=OkrsConfig(
            enabled=True,
            quarter_start=1,
            owners=(),
            approvers=(),
            planning_days=14,
            label="okr",
            record=None,
            focus_threshold=0.5,
        ),
        onboarding=OnboardingConfig(enabled=True),
        review=ReviewConfig(enabled=True, day=0, time=time(14, 0), areas=()),
    )


def test_the_spec_example_loads(parse: Parse, spec_example: str) -> None:
    config = parse(spec_example)
    assert config.timezone == "Europe/Paris"
    assert config.language == "en"
    assert config.members == (
        Member("alice", "Europe/Paris", ()),
        Member("bob", "America/New_York", (DateRange(date(2026, 12, 21), date(2027, 1, 3)),)),
    )
    assert dict(config.groups) == {"eng": ("alice", "bob", "carol"), "leads": ("alice",)}
    assert config.hpfo.day == 0 and config.hpfo.time == time(9, 0)
    assert config.hpfo.remind_after == timedelta(days=1)
    assert config.hpfo.digest == DigestConfig(day=1, time=time(10, 0))
    assert config.decisions.stakeholders == ("eng",)
    assert config.expand(config.decisions.stakeholders) == ("alice", "bob", "carol")
    assert config.decisions.feedback_days == 5 and config.decisions.allow_maintainers


def test_every_key_set_explicitly(parse: Parse) -> None:
    config = parse(
        """\
        version: 1
        timezone: Asia/Tokyo
        language: fr
        members: [alice]
        hpfo:
          enabled: false
          day: FRIDAY
          time: 7:30
          remind_after: 1d12h
          labels: [weekly, team]
          title: "Point {period} ({login})"
          digest: false
        decisions:
          enabled: false
          label: adr
          feedback_days: 90
          allow_maintainers: false
          log: docs/decisions/
        """
    )
    assert config.language == "fr"
    assert config.hpfo == HpfoConfig(
        enabled=False,
        day=4,
        time=time(7, 30),
        remind_after=timedelta(hours=36),
        labels=("weekly", "team"),
        title="Point {period} ({login})",
        digest=None,
    )
    assert config.decisions == DecisionsConfig(False, "adr", (), 90, False, "docs/decisions/")


def test_digest_true_or_partial_uses_the_default_day_and_time(parse: Parse) -> None:
    on = parse(MINIMAL + "hpfo: {digest: true}\n")
    assert on.hpfo.digest == DigestConfig(day=1, time=time(10, 0))
    partial = parse(MINIMAL + "hpfo: {digest: {day: Sunday}}\n")
    assert partial.hpfo.digest == DigestConfig(day=6, time=time(10, 0))


def test_unquoted_values_are_read_as_a_person_means_them(parse: Parse) -> None:
    # YAML 1.1 would read 10:00 as 600, `no` as false and 2026-01-05 as a date.
    config = parse(
        """\
        version: 1
        members:
          - no
          - login: off
            away: [2026-01-05]
        hpfo: {time: 10:00}
        """
    )
    assert [m.login for m in config.members] == ["no", "off"]
    assert config.members[1].away == (DateRange(date(2026, 1, 5), date(2026, 1, 5)),)
    assert config.hpfo.time == time(10, 0)


def test_member_timezone_and_away(parse: Parse) -> None:
    config = parse(
        """\
        version: 1
        timezone: Europe/Paris
        members:
          - alice
          - login: bob
            timezone: America/New_York
            away: ["2026-12-21..2027-01-03", "2027-02-14"]
        """
    )
    alice, bob = config.members
    assert alice.zone == ZoneInfo("Europe/Paris")
    assert bob.zone == ZoneInfo("America/New_York")
    assert not alice.is_away(date(2026, 12, 25))
    assert bob.is_away(date(2026, 12, 21)) and bob.is_away(date(2027, 1, 3))
    assert not bob.is_away(date(2026, 12, 20)) and not bob.is_away(date(2027, 1, 4))
    assert bob.is_away(date(2027, 2, 14)) and not bob.is_away(date(2027, 2, 15))


def test_member_lookup_is_case_insensitive(parse: Parse) -> None:
    config = parse("version: 1\nmembers: [Alice, bob]\n")
    assert config.member("alice") == config.member("ALICE") == config.member("@alice")
    assert config.member("alice") is config.members[0]
    assert config.member("carol") is None


GROUPS = """\
version: 1
members: [Alice, bob, carol]
groups:
  eng: [alice, bob, design]
  design: [carol, Dana]
  leads: [Alice]
  all: [leads, ENG, outsider]
"""


def test_expand_resolves_nested_groups_in_order_without_duplicates(parse: Parse) -> None:
    config = parse(GROUPS)
    assert config.expand(["eng"]) == ("Alice", "bob", "carol", "Dana")
    assert config.expand(["all"]) == ("Alice", "bob", "carol", "Dana", "outsider")
    assert config.expand(["bob", "leads", "BOB", "@carol", "Eng"]) == (
        "bob",
        "Alice",
        "carol",
        "Dana",
    )
    assert config.is_group("ENG") and not config.is_group("alice")


def test_expand_passes_unknown_names_through(parse: Parse) -> None:
    config = parse(GROUPS)
    assert config.expand(["zoe", "Zoe", "alice"]) == ("zoe", "Alice")
    assert config.expand([]) == ()


def test_expand_survives_a_cycle_in_a_hand_built_config(parse: Parse) -> None:
    base = parse(GROUPS)
    looped = Config(
        base.version,
        base.timezone,
        base.language,
        base.members,
        MappingProxyType({"a": ("b", "alice"), "b": ("a", "bob")}),
        base.hpfo,
        base.decisions,
        base.okrs,
        base.onboarding,
        base.review,
    )
    assert looped.expand(["a"]) == ("bob", "Alice")


def test_config_values_are_frozen(parse: Parse) -> None:
    config = parse(GROUPS)
    with pytest.raises(AttributeError):
        config.timezone = "UTC"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.groups["x"] = ()  # type: ignore[index]
    assert hash(config) == hash(parse(GROUPS))


def test_load_config_reads_a_file(tmp_path: Path, spec_example: str) -> None:
    path = tmp_path / "rituals.yml"
    path.write_text(spec_example, encoding="utf-8")
    assert load_config(path).timezone == "Europe/Paris"


def test_default_config_path_is_relative_to_the_checkout() -> None:
    assert default_config_path().as_posix() == ".github/rituals.yml"
    assert not default_config_path().is_absolute()


def test_the_okrs_section_of_the_spec_example(parse: Parse) -> None:
    okrs = parse(
        MINIMAL.replace("[alice]", "[alice, bob]")
        + "groups: {eng: [alice, bob], leads: [alice]}\n"
        + "okrs: {quarter_start: april, owners: [alice, bob, eng], approvers: [leads],"
        + " planning_days: 10, label: okr, record: docs/okrs/, focus_threshold: 60%}\n"
    ).okrs
    assert okrs == OkrsConfig(
        enabled=True,
        quarter_start=4,
        owners=("alice", "bob", "eng"),
        approvers=("leads",),
        planning_days=10,
        label="okr",
        record="docs/okrs/",
        focus_threshold=0.6,
    )
    assert okrs.active
