"""The decision summary says only what is true (issue 12): no command words, plurals that agree."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.decisions.helpers import AUTHOR, DRI, FORM, MEMBER, Team, config

CONCERN = "/concern\nThe migration has no rollback plan."


def _decided(team: Team, stakeholders: list[str], language: str) -> str:
    """A decision where each stakeholder raises a concern, and a member tries a command they
    may not give; the summary the bot posts."""
    cfg = replace(config(), language=language)
    number = team.open_issue(FORM.replace("eng\n", ", ".join(stakeholders) + "\n"), author=AUTHOR)
    team.run(team.label(number, who=AUTHOR), cfg)
    for who in [*stakeholders, MEMBER]:
        text = CONCERN if who in stakeholders else "/stakeholders add @erin @carol"
        team.run(team.comment(number, who, text)[1], cfg)
    team.run(team.comment(number, DRI, "/decide Use Postgres\nBoring, and we know it.")[1], cfg)
    (summary,) = team.bot_comments(number, "decision-summary")
    return str(summary["body"])


@pytest.mark.parametrize(
    ("stakeholders", "language", "said"),
    [
        (
            ["bob"],
            "en",
            [
                "| Feedback | 1/1 stakeholder · concerns: 1 open, 0 resolved |",
                "| @\u200bbob | has a concern |  ([↗](",  # no gist: only a command
                "**Participation:** 1/1 stakeholder gave feedback · 1 has a concern · "
                "2 comments by 2 people",
                "Others in the discussion: @\u200berin.",
            ],
        ),
        (
            ["bob", "carol"],
            "fr",
            [
                "| Avis | 2/2 parties prenantes · réserves : 2 ouvertes, 0 levée |",
                "**Participation :** 2/2 parties prenantes ont donné leur avis · "
                "2 ont une réserve · 3 commentaires de 3 personnes",
                "Autres participants : @\u200berin.",
            ],
        ),
    ],
)
def test_the_summary_has_no_command_words_and_its_plurals_agree(
    team: Team, stakeholders: list[str], language: str, said: list[str]
) -> None:
    text = _decided(team, stakeholders, language)
    for line in said:
        assert line in text
    assert "add @" not in text and "erin @" not in text
