"""Every kind of config problem, with the exact `path:line:col: message` a user sees."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ritual_bot.config import parse_config, timezone_warnings

Problems = Callable[[str], list[str]]

P = ".github/rituals.yml"


def test_unknown_key_suggests_the_closest_key(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice]
        hpfo:
          remind_afer: 2d
        """
    assert problems(text) == [f"{P}:4:3: unknown key 'remind_afer' (did you mean 'remind_after'?)"]


def test_unknown_key_at_the_top_says_where_it_belongs(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice]
        feedback_days: 3
        colour: red
        """
    assert problems(text) == [
        f"{P}:3:1: unknown key 'feedback_days' here: it belongs under `decisions:`",
        f"{P}:4:1: unknown key 'colour' (allowed keys: version, timezone, language, members, "
        "groups, hpfo, decisions, okrs, onboarding, review)",
    ]


def test_unknown_key_in_a_member_and_in_the_digest(problems: Problems) -> None:
    text = """\
        version: 1
        members:
          - login: bob
            timezon: UTC
        hpfo:
          digest: {day: friday, tiem: "10:00"}
        """
    assert problems(text) == [
        f"{P}:4:5: unknown key 'timezon' (did you mean 'timezone'?)",
        f"{P}:6:25: unknown key 'tiem' (did you mean 'time'?)",
    ]


def test_missing_required_keys_point_at_the_parent_mapping(problems: Problems) -> None:
    assert problems("timezone: UTC\n") == [
        f"{P}:1:1: missing required key 'version': add `version: 1`",
        f"{P}:1:1: missing required key 'members': list the team's GitHub logins, "
        "e.g. `members: [alice, bob]`",
    ]
    text = """\
        version: 1
        members:
          - alice
          - timezone: Asia/Tokyo
        """
    assert problems(text) == [
        f"{P}:4:5: missing required key 'login': give the member's GitHub login, e.g. `login: bob`"
    ]


def test_version_must_be_1(problems: Problems) -> None:
    assert problems("version: 2\nmembers: [alice]\n") == [
        f"{P}:1:10: unsupported config version 2: this ritual-bot reads `version: 1`"
    ]
    assert problems('version: "1"\nmembers: [alice]\n') == [
        f"{P}:1:10: version must be the number 1, not the text '1': remove the quotes"
    ]


def test_duplicate_keys(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice]
        timezone: UTC
        hpfo: {day: monday, day: friday}
        timezone: Europe/Paris
        """
    assert problems(text) == [
        f"{P}:4:21: duplicate key 'day' (first set on line 4): keep only one",
        f"{P}:5:1: duplicate key 'timezone' (first set on line 3): keep only one",
    ]


def test_bad_timezones_suggest_a_real_one(problems: Problems) -> None:
    text = """\
        version: 1
        timezone: Europe/Pari
        members:
          - login: bob
            timezone: america/new_york
          - login: carol
            timezone: Mars/Olympus
        """
    assert problems(text) == [
        f"{P}:2:11: 'Europe/Pari' is not an IANA timezone (e.g. Europe/Paris)",
        f"{P}:5:15: 'america/new_york' is not an IANA timezone (e.g. America/New_York)",
        f"{P}:7:15: 'Mars/Olympus' is not an IANA timezone (e.g. Europe/Paris)",
    ]


def test_language(problems: Problems) -> None:
    assert problems("version: 1\nmembers: [alice]\nlanguage: FR\n") == [
        f"{P}:3:11: 'FR' is not a valid language: use en or fr (did you mean 'fr'?)"
    ]


def test_invalid_logins(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice-, "@bob", a--b, 123]
        """
    assert problems(text) == [
        f"{P}:2:11: 'alice-' is not a valid GitHub login: use letters, digits and single "
        "hyphens, not starting or ending with a hyphen",
        f"{P}:2:19: '@bob' is not a valid GitHub login: write it without '@' (bob)",
        f"{P}:2:27: 'a--b' is not a valid GitHub login: use letters, digits and single "
        "hyphens, not starting or ending with a hyphen",
        f"{P}:2:33: members[3] must be a GitHub login or a mapping with login, timezone, "
        'away, joined and buddy, got the number 123 (quote it: "123")',
    ]


def test_logins_longer_than_github_allows(problems: Problems) -> None:
    login = "a" * 40
    assert problems(f"version: 1\nmembers: [{login}]\n") == [
        f"{P}:2:11: '{login}' is not a valid GitHub login: logins have at most 39 characters"
    ]


def test_duplicate_members_are_case_insensitive(problems: Problems) -> None:
    text = """\
        version: 1
        members:
          - alice
          - bob
          - login: Alice
          - bob
        """
    assert problems(text) == [
        f"{P}:5:12: duplicate member 'Alice' (already listed on line 3 as 'alice'; "
        "GitHub names are case-insensitive)",
        f"{P}:6:5: duplicate member 'bob' (already listed on line 4)",
    ]


def test_day_and_time(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice]
        hpfo:
          day: Mondy
          time: "25:00"
          digest: {day: 3, time: 0930}
        """
    assert problems(text) == [
        f"{P}:4:8: 'Mondy' is not a day of the week: use monday … sunday (did you mean 'monday'?)",
        f"{P}:5:9: '25:00' is not a time of day: use 24-hour HH:MM, e.g. \"09:00\"",
        f"{P}:6:17: hpfo.digest.day must be a day of the week such as monday, got the number 3",
        f'{P}:6:26: hpfo.digest.time must be a quoted 24-hour time such as "09:00", '
        "got the number 930",
    ]


def test_durations(problems: Problems) -> None:
    for value, message in [
        ("1x", "'1x' is not a duration: use <number><unit> parts with units w, d, h, m in that "
         "order (e.g. 1d, 36h, 1d12h, 90m)"),
        ("12h1d", "'12h1d' is not a duration: use <number><unit> parts with units w, d, h, m in "
         "that order (e.g. 1d, 36h, 1d12h, 90m)"),
        ("0d0h", "'0d0h' is zero: a duration must be longer than zero (e.g. 1d)"),
        ("24", "hpfo.remind_after must be a duration such as 1d, got the number 24: add a unit, "
         "e.g. 24h or 24d"),
    ]:  # fmt: skip
        text = f"version: 1\nmembers: [alice]\nhpfo:\n  remind_after: {value}\n"
        assert problems(text) == [f"{P}:4:17: {message}"]


def test_away_ranges(problems: Problems) -> None:
    text = """\
        version: 1
        members:
          - login: bob
            away:
              - 2026-12-21..2026-12-01
              - 2026-02-30
              - xmas
              - 2026-12-01..2026-12-01
        """
    assert problems(text) == [
        f"{P}:5:9: '2026-12-21..2026-12-01' ends before it starts: write the earlier date first",
        f"{P}:6:9: '2026-02-30' is not a real date",
        f"{P}:7:9: 'xmas' is not a date or date range: use YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD",
    ]


def test_group_problems(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice, bob]
        groups:
          eng: [alice, leads, not_a_login, ALICE]
          leads: [eng]
          solo: [solo]
          Eng: [bob]
          bob: [alice]
          "bad name": []
        """
    assert problems(text) == [
        f"{P}:4:23: 'not_a_login' in group 'eng' is neither a group name nor a GitHub login",
        f"{P}:4:36: duplicate entry in group 'eng': 'ALICE' (already listed on line 4 as "
        "'alice'; GitHub names are case-insensitive)",
        f"{P}:5:11: groups include each other in a loop (eng -> leads -> eng): remove one of them",
        f"{P}:6:10: groups include each other in a loop (solo -> solo): remove one of them",
        f"{P}:7:3: duplicate group 'Eng' (same as 'eng'; group names are case-insensitive)",
        f"{P}:8:3: group 'bob' has the same name as a member: rename the group",
        f"{P}:9:3: 'bad name' is not a valid group name: use letters, digits, '-', '_' and '.', "
        "starting with a letter or digit",
    ]


def test_stakeholders_must_be_known(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice, bob]
        groups:
          eng: [alice, carol]
        decisions:
          stakeholders: [engg, dave, carol, Bob, bob, "@eve"]
        """
    assert problems(text) == [
        f"{P}:6:18: unknown stakeholder 'engg': not a member, a group or a login in a group "
        "(did you mean 'eng'?)",
        f"{P}:6:24: unknown stakeholder 'dave': not a member, a group or a login in a group; "
        "add them to members or to a group",
        f"{P}:6:42: duplicate stakeholder 'bob' (already listed on line 6 as 'Bob'; "
        "GitHub names are case-insensitive)",
        f"{P}:6:47: '@eve' is not a valid GitHub login: write it without '@' (eve)",
    ]


def test_title_format(problems: Problems) -> None:
    base = "version: 1\nmembers: [alice]\nhpfo:\n  title: "
    assert problems(base + '"HPFO {week} {login}"\n') == [
        f"{P}:4:10: title uses {{week}}, but only {{period}} and {{login}} are available"
    ]
    assert problems(base + '"HPFO {period"\n') == [
        f"{P}:4:10: title 'HPFO {{period' is not a valid format (expected '}}' before end of "
        "string): write a literal brace as {{ or }}"
    ]
    assert problems(base + '"{login.upper}"\n') == [
        f"{P}:4:10: title uses {{login.upper}}, but only {{period}} and {{login}} are available"
    ]
    assert problems(base + '"{login:d}"\n') == [
        f"{P}:4:10: title '{{login:d}}' cannot be filled in (Unknown format code 'd' for object "
        "of type 'str'): use plain {period} and {login}"
    ]


def test_labels(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice]
        hpfo:
          labels: [hpfo, HPFO, "ritual:hpfo", ""]
        decisions:
          label: "decision: open"
        """
    assert problems(text) == [
        f"{P}:4:18: duplicate label 'HPFO' (already listed on line 4 as 'hpfo'; "
        "GitHub names are case-insensitive)",
        f"{P}:4:24: label 'ritual:hpfo' is reserved for labels ritual-bot manages: "
        "pick another name",
        f"{P}:4:39: a label name cannot be empty",
        f"{P}:6:10: label 'decision: open' is reserved for labels ritual-bot manages: "
        "pick another name",
    ]


def test_decision_settings(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice]
        decisions:
          enabled: "yes"
          feedback_days: 91
          allow_maintainers: 1
          log: ../outside/
        """
    assert problems(text) == [
        f"{P}:4:12: decisions.enabled must be true or false, got the text 'yes'",
        f"{P}:5:18: decisions.feedback_days must be between 1 and 90, got 91",
        f"{P}:6:22: decisions.allow_maintainers must be true or false, got the number 1",
        f"{P}:7:8: '../outside/' must be a plain folder inside the repository, "
        "e.g. docs/decisions/",
    ]
    assert problems(text.replace("../outside/", "docs/decisions").replace("91", "0")) == [
        f"{P}:4:12: decisions.enabled must be true or false, got the text 'yes'",
        f"{P}:5:18: decisions.feedback_days must be between 1 and 90, got 0",
        f"{P}:6:22: decisions.allow_maintainers must be true or false, got the number 1",
        f"{P}:7:8: 'docs/decisions' is not a relative folder: write a repository path ending "
        "with /, e.g. docs/decisions/",
    ]


def test_wrong_types_and_empty_values(problems: Problems) -> None:
    text = """\
        version: 1
        members: alice
        groups: [eng]
        hpfo:
        decisions:
          stakeholders: eng
          digest: false
        """
    assert problems(text) == [
        f"{P}:2:10: members must be a list, got the text 'alice'",
        f"{P}:3:9: groups must be a mapping, got a list",
        f"{P}:4:6: hpfo has no value: give it a mapping",
        f"{P}:6:17: decisions.stakeholders must be a list, got the text 'eng'",
        f"{P}:7:3: unknown key 'digest' (allowed keys: enabled, label, stakeholders, "
        "feedback_days, allow_maintainers, log)",
    ]


def test_digest_must_be_false_or_a_mapping(problems: Problems) -> None:
    assert problems('version: 1\nmembers: [alice]\nhpfo: {digest: "no"}\n') == [
        f"{P}:3:16: hpfo.digest must be false or a mapping with day and time, got the text 'no'"
    ]


def test_yaml_syntax_error_is_one_problem_at_the_mark(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice]
        timezone: Europe/Paris: x
        """
    assert problems(text) == [
        f"{P}:3:23: invalid YAML: a `key: value` where a value was expected (indent it under its "
        "key, or quote a value that holds ': ')"
    ]
    assert problems("version: 1\nmembers: [alice\n") == [
        f"{P}:3:1: invalid YAML: expected ',' or ']', but got '<stream end>' "
        "(while parsing a flow sequence at line 2)"
    ]


def test_tabs_and_control_characters(problems: Problems) -> None:
    assert problems("version: 1\nmembers:\n\t- alice\n") == [
        f"{P}:3:1: a tab character: YAML indents with spaces only (replace the tab with spaces)"
    ]
    assert problems("version: 1\x00\n") == [
        f"{P}:1:11: invalid YAML: character 0x0 is not allowed in YAML"
    ]


def test_empty_and_non_mapping_files(problems: Problems) -> None:
    empty = (
        f"{P}:1:1: config file is empty: it needs at least `version: 1` and a `members:` list "
        "(`ritual-bot init` writes a starter)"
    )
    assert problems("") == [empty]
    assert problems("# just a comment\n\n") == [empty]
    assert problems("\n- alice\n") == [
        f"{P}:2:1: the config must be a mapping of keys such as `version: 1`, got a list"
    ]
    assert problems("hello\n") == [
        f"{P}:1:1: the config must be a mapping of keys such as `version: 1`, got the text 'hello'"
    ]
    assert problems("a: 1\n---\nb: 2\n") == [
        f"{P}:2:1: invalid YAML: expected a single document in the stream, but found another "
        "document"
    ]


def test_keys_must_be_names_and_tags_are_refused(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice]
        [a]: 1
        language: !lang en
        """
    assert problems(text) == [
        f"{P}:3:1: a key must be a plain name, not a list or mapping",
        f"{P}:4:11: unsupported YAML tag !lang: remove it",
    ]


def test_several_problems_are_reported_together_in_file_order(problems: Problems) -> None:
    text = """\
        version: 1
        timezone: Europe/Pari
        members:
          - alice
          - login: Alice
        hpfo:
          remind_afer: 1d
          time: "9h"
        decisions:
          stakeholders: [eng]
        """
    assert problems(text) == [
        f"{P}:2:11: 'Europe/Pari' is not an IANA timezone (e.g. Europe/Paris)",
        f"{P}:5:12: duplicate member 'Alice' (already listed on line 4 as 'alice'; "
        "GitHub names are case-insensitive)",
        f"{P}:7:3: unknown key 'remind_afer' (did you mean 'remind_after'?)",
        f"{P}:8:9: '9h' is not a time of day: use 24-hour HH:MM, e.g. \"09:00\"",
        f"{P}:10:18: unknown stakeholder 'eng': not a member, a group or a login in a group; "
        "add them to members or to a group",
    ]


def test_explicit_core_tags_must_fit_their_value(problems: Problems) -> None:
    text = """\
        version: !!int one
        members: [alice]
        hpfo: {enabled: !!bool yes}
        """
    assert problems(text) == [
        f"{P}:1:10: 'one' is not a usable int value",
        f"{P}:1:10: unsupported config version 'one': this ritual-bot reads `version: 1`",
        f"{P}:3:17: 'yes' is not a usable bool value",
        f"{P}:3:17: hpfo.enabled must be true or false, got the text 'yes'",
    ]


def test_a_title_is_rendered_as_run_renders_it_and_must_fit_githubs_256(
    problems: Problems,
) -> None:
    base = "version: 1\nmembers: [alice]\nhpfo:\n  title: "
    fits = parse_config(base + '"HPFO {period:>10} @{login:<39}"\n', P)
    assert fits.hpfo.title == "HPFO {period:>10} @{login:<39}"
    assert problems(base + '"HPFO {period} @{login:>300}"\n') == [
        f"{P}:4:10: title 'HPFO {{period}} @{{login:>300}}' gives titles of up to 315 characters "
        "(with a 39-character login): GitHub allows at most 256"
    ]


def test_a_decision_label_whose_status_labels_would_pass_50_characters(
    problems: Problems,
) -> None:
    label = "x" * 40  # "…: withdrawn" makes 51
    assert problems(f"version: 1\nmembers: [alice]\ndecisions:\n  label: {label}\n") == [
        f"{P}:4:10: label {label!r} makes the status label '{label}: withdrawn' 51 characters "
        "long: GitHub allows at most 50, so keep this label to 39"
    ]


# --- sentences a person understands (issue 12) ------------------------------------------------


@pytest.mark.parametrize(("offset", "etc"), [("UTC+2", "Etc/GMT-2"), ("GMT-5", "Etc/GMT+5")])
def test_an_offset_suggests_a_city_and_the_etc_zone(
    problems: Problems, offset: str, etc: str
) -> None:
    (problem,) = problems(f"version: 1\ntimezone: {offset}\nmembers: [alice]\n")
    assert "is an offset, not an IANA timezone" in problem and etc in problem


def test_legacy_zone_names_are_a_warning_with_the_city() -> None:
    text = (
        "version: 1\ntimezone: CET\nmembers:\n  - alice\n  - {login: bob, timezone: US/Eastern}\n"
    )
    assert timezone_warnings(parse_config(text, P)) == [
        "timezone: 'CET' is a legacy zone name; use Europe/Paris",
        "members[bob].timezone: 'US/Eastern' is a legacy zone name; use the city it stands for, "
        "e.g. America/New_York",
    ]
    paris = parse_config("version: 1\ntimezone: Europe/Paris\nmembers: [a]\n", P)
    assert timezone_warnings(paris) == []


def test_okr_owners_approvers_label_record_and_focus_are_checked(problems: Problems) -> None:
    text = f"""\
        version: 1
        members: [alice, bob]
        groups: {{leads: [alice]}}
        okrs:
          quarter_start: avril
          owners: [alice, alcie, alice]
          approvers: [lead]
          label: {"o" * 40}
          record: docs/../okrs/
          focus_threshold: 0.5
        """
    assert problems(text) == [
        f"{P}:5:18: 'avril' is not a valid okrs.quarter_start: use january or february or "
        "march or april or may or june or july or august or september or october or november "
        "or december (did you mean 'april'?)",
        f"{P}:6:19: unknown owner 'alcie': not a member, a group or a login in a group "
        "(did you mean 'alice'?)",
        f"{P}:6:26: duplicate owner 'alice' (already listed on line 6)",
        f"{P}:7:15: unknown approver 'lead': not a member, a group or a login in a group "
        "(did you mean 'leads'?)",
        f"{P}:8:10: label '{'o' * 40}' makes the status label '{'o' * 40}: committed' 51 "
        "characters long: GitHub allows at most 50, so keep this label to 39",
        f"{P}:9:11: 'docs/../okrs/' must be a plain folder inside the repository, e.g. docs/okrs/",
        f"{P}:10:20: okrs.focus_threshold must be a string, got the number 0.5",
    ]


def test_okrs_need_the_decision_ritual_for_their_sign_off(problems: Problems) -> None:
    text = """\
        version: 1
        members: [alice]
        decisions: {enabled: false}
        okrs: {owners: [alice]}
        """
    assert problems(text) == [
        f"{P}:3:22: OKR plans are signed off as decisions: keep decisions enabled while okrs "
        "has owners (or set okrs.enabled: false)"
    ]
