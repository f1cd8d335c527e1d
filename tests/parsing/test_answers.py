"""HPFO answers as people really write them on a Monday, each with the exact items expected."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ritual_bot.answers import (
    HpfoAnswer,
    Item,
    Section,
    checked_items,
    latest_answer,
    match_section,
    objectives_checklist,
    parse_answer,
    render_checklist,
)

Items = Sequence[str | Item]


def answer(h: Items = (), p: Items = (), f: Items = (), o: Items = ()) -> HpfoAnswer:
    def items(values: Items) -> tuple[Item, ...]:
        return tuple(v if isinstance(v, Item) else Item(v) for v in values)

    return HpfoAnswer(items(h), items(p), items(f), items(o))


CASES: dict[str, tuple[str, HpfoAnswer]] = {
    "canonical headings": (
        """## Highlights
- Shipped the new onboarding flow
- Closed 12 support tickets

## Progress
- Search indexing: 80% done

## Fires
- Staging is down since Friday

## Objectives
- Finish search indexing
- Pair with Carol on billing
""",
        answer(
            h=["Shipped the new onboarding flow", "Closed 12 support tickets"],
            p=["Search indexing: 80% done"],
            f=["Staging is down since Friday"],
            o=["Finish search indexing", "Pair with Carol on billing"],
        ),
    ),
    "one-letter bold labels with inline content": (
        """**H:** launched v2 🎉
**P:** migrated 3 of 5 services
**F:** none
**O:** migrate the last 2 services""",
        answer(
            h=["launched v2 🎉"], p=["migrated 3 of 5 services"], o=["migrate the last 2 services"]
        ),
    ),
    "plain one-letter labels": (
        "H: demo went well\nP: API done\nF: -\nO: docs",
        answer(h=["demo went well"], p=["API done"], o=["docs"]),
    ),
    "dash separators": (
        "Highlights - customer call went great\nFires - n/a\nObjectives - ship it",
        answer(h=["customer call went great"], o=["ship it"]),
    ),
    "emoji headings and shortcodes": (
        """### 🌟 Highlights
* Talk accepted at PyCon

### 📈 Progress
+ Rewrote the importer

### :fire: Fires
* Flaky test in `test_sync` blocks merges

### 🎯 Objectives
* Fix the flaky test
""",
        answer(
            h=["Talk accepted at PyCon"],
            p=["Rewrote the importer"],
            f=["Flaky test in `test_sync` blocks merges"],
            o=["Fix the flaky test"],
        ),
    ),
    "any order, singular and upper case": (
        """FIRES
- prod alerts are noisy

Objective:
- tune alert thresholds

highlight
- got the budget approved""",
        answer(
            h=["got the budget approved"],
            f=["prod alerts are noisy"],
            o=["tune alert thresholds"],
        ),
    ),
    "typos in headings": (
        """## Higlights
- paired with Dan

## Progess
- finished the RFC

## Fiers
- nothing

## Objetives
- present the RFC""",
        # "Fiers" is not forgiven: "fires" is too short to guess at (Files, Fixes…).
        answer(h=["paired with Dan"], p=["finished the RFC"], o=["present the RFC"]),
    ),
    "synonyms": (
        """**Wins:** closed the Q3 deal
**Done:** invoicing export
**Blockers:** waiting on legal review
**Next week:** start the Q4 plan""",
        answer(
            h=["closed the Q3 deal"],
            p=["invoicing export"],
            f=["waiting on legal review"],
            o=["start the Q4 plan"],
        ),
    ),
    "french headings": (
        """## Temps forts
- Démo client réussie

## Progrès
- Migration de la base terminée

## Incendies
- Rien

## Objectifs
- Préparer la revue trimestrielle""",
        answer(
            h=["Démo client réussie"],
            p=["Migration de la base terminée"],
            o=["Préparer la revue trimestrielle"],
        ),
    ),
    "french labels without accents and with space before colon": (
        """Points forts : recrutement de Léa
Progres : 3 PR mergées
Bloquants : attente du juridique
Objectifs : finir la doc""",
        answer(
            h=["recrutement de Léa"],
            p=["3 PR mergées"],
            f=["attente du juridique"],
            o=["finir la doc"],
        ),
    ),
    "french synonyms avancement and feux": (
        "Avancement:\n- API v2 à 50%\n\nFeux:\n- aucun\n\nObjectifs:\n- finir l'API",
        answer(p=["API v2 à 50%"], o=["finir l'API"]),
    ),
    "text before the first section is ignored": (
        """Hey team, short one this week, I was off Thursday.

## Highlights
- Conference talk went well""",
        answer(h=["Conference talk went well"]),
    ),
    "sign-off after the last section is dropped": (
        """## Objectives
- Ship the export

Thanks!
Alice""",
        answer(o=["Ship the export"]),
    ),
    "french sign-off": (
        "Objectifs :\n- livrer l'export\n\nBonne semaine à tous !",
        answer(o=["livrer l'export"]),
    ),
    "horizontal rule ends the last section": (
        "## Fires\n- build is slow\n\n---\nSent from my phone",
        answer(f=["build is slow"]),
    ),
    "prose paragraphs: each line is an item": (
        """## Progress
Finished the payment integration.
Started on refunds.

Reviewed four PRs from the new hires.""",
        answer(
            p=[
                "Finished the payment integration.",
                "Started on refunds.",
                "Reviewed four PRs from the new hires.",
            ]
        ),
    ),
    "numbered lists": (
        "## Objectives\n1. Finish the migration\n2) Write the runbook",
        # "2)" starts a second list (a different delimiter): still one item each.
        answer(o=["Finish the migration", "Write the runbook"]),
    ),
    "nested lists stay with their parent": (
        """## Progress
- Billing revamp
  - invoices done
  - credit notes started
- Hiring: 2 interviews""",
        answer(
            p=["Billing revamp\n- invoices done\n- credit notes started", "Hiring: 2 interviews"]
        ),
    ),
    "checklists keep their state": (
        """## Progress
Last week's objectives:
- [x] Ship the export
- [ ] Write the migration guide
- [X] Review Bob's RFC""",
        # "Last week's objectives:" reads as a Progress label ("Last week:"), not an item.
        answer(
            p=[
                Item("Ship the export", True),
                Item("Write the migration guide", False),
                Item("Review Bob's RFC", True),
            ]
        ),
    ),
    "a fenced '## Fires' does not start a section": (
        """## Progress
- Fixed the template renderer, it was choking on:

```markdown
## Fires
- this is just sample input
```

## Objectives
- Release 1.2""",
        answer(
            p=[
                "Fixed the template renderer, it was choking on:\n\n"
                "```markdown\n## Fires\n- this is just sample input\n```"
            ],
            o=["Release 1.2"],
        ),
    ),
    "quoted answer of someone else is ignored": (
        """> ## Fires
> - Bob: the VPN keeps dropping

I can help with the VPN, Bob!

## Highlights
- Got my VPN setup documented""",
        answer(h=["Got my VPN setup documented"]),
    ),
    "a fire answered inline on the label line": (
        "🔥 Fires: prod DB at 92% disk, need a hand from infra\n\nObjectives: clean up old tables",
        answer(f=["prod DB at 92% disk, need a hand from infra"], o=["clean up old tables"]),
    ),
    "empty sections in many forms": (
        """Highlights: nothing this week
Progress: N/A
Fires: No fires this week 🎉
Objectives: —""",
        answer(),
    ),
    "bullets of every kind mixed": (
        """Highlights
- one
* two
+ three""",
        answer(h=["one", "two", "three"]),
    ),
    "HPFO as a list with labels": (
        """- H: kicked off the redesign
- P: wireframes 60%
- F: none
- O: finish wireframes""",
        answer(h=["kicked off the redesign"], p=["wireframes 60%"], o=["finish wireframes"]),
    ),
    "HPFO list with nested items under each label": (
        """- Highlights
  - new logo approved
- Fires
  - printer on fire (literally)
  - coffee machine broken""",
        answer(
            h=["new logo approved"],
            f=["printer on fire (literally)", "coffee machine broken"],
        ),
    ),
    "template placeholders in HTML comments are ignored": (
        """### 🌟 Highlights
<!-- What went well? -->
- Closed the funding round

### 🔥 Fires
<!-- What is burning? Who can help? -->

### 🎯 Objectives
<!-- What will you do this week? -->
- Onboard two engineers""",
        answer(h=["Closed the funding round"], o=["Onboard two engineers"]),
    ),
    "shortcode after the label": (
        "Highlights :sparkles:\n- shipped dark mode\n\n:fire: Fires: :tada: none",
        answer(h=["shipped dark mode"]),
    ),
    "numbered HPFO list after an unrecognised heading": (
        "## HPFO W48\n1. Highlights: demo\n2. Fires: flaky CI",
        answer(h=["demo"], f=["flaky CI"]),
    ),
    "prose that looks like a label stays an item": (
        "Fires:\nDone.\nPlans\n- write the postmortem",
        # "Done." is a sentence; "Plans" alone on its line is a label.
        answer(f=["Done."], o=["write the postmortem"]),
    ),
    "bold labels with the colon outside": (
        "**Fires** : the CI: broken again\n**Highlights** shipped it",
        answer(h=["shipped it"], f=["the CI: broken again"]),
    ),
    "heading with a qualifier": (
        "## Objectives for this week (W48)\n- demo day prep",
        answer(o=["demo day prep"]),
    ),
    "bold label with trailing words and colon": (
        "**Objectives for the week:**\n- plan Q1",
        answer(o=["plan Q1"]),
    ),
    "heading with content after the colon": (
        "## Fires: the release pipeline\nNeeds a new runner.",
        answer(f=["the release pipeline", "Needs a new runner."]),
    ),
    "unrecognised heading ends the section": (
        "## Fires\n- disk full\n\n## Random notes\n- lunch was great",
        answer(f=["disk full"]),
    ),
    "sub-heading inside a section is an item": (
        "## Progress\n### Search\n- reindexed\n### Billing\n- invoices",
        answer(p=["Search", "reindexed", "Billing", "invoices"]),
    ),
    "a sentence starting with a section word is prose": (
        "## Highlights\nDone with the migration, finally.\nFiles: moved to S3",
        answer(h=["Done with the migration, finally.", "Files: moved to S3"]),
    ),
    "code block in a section attaches to the item before it": (
        """Fires:
CI fails with

    ImportError: no module named foo
""",
        answer(f=["CI fails with\n\n    ImportError: no module named foo"]),
    ),
    "setext headings": (
        "Highlights\n----------\nbig launch\n\nFires\n=====\nnone",
        answer(h=["big launch"]),
    ),
    "mentions stay as written in items": (
        "Fires:\n- waiting on @bob for the DNS change",
        answer(f=["waiting on @bob for the DNS change"]),
    ),
    "a label right after a list is a new section, not a lazy continuation": (
        "Temps forts : atelier design\nIncendies :\n- le VPN tombe chaque matin ?\n"
        "Objectifs : maquettes",
        answer(h=["atelier design"], f=["le VPN tombe chaque matin ?"], o=["maquettes"]),
    ),
    "a lazy label line after a task item keeps the box": (
        "## 🔥 Fires\n- [ ] deploy blocked by the release freeze\nObjectives: ship it anyway",
        answer(f=[Item("deploy blocked by the release freeze", False)], o=["ship it anyway"]),
    ),
    "a continuation line that is not a label stays in its item": (
        "Fires:\n- the VPN drops\nevery morning at nine",
        answer(f=["the VPN drops\nevery morning at nine"]),
    ),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_realistic_answers(text: str, expected: HpfoAnswer) -> None:
    assert parse_answer(text) == expected


def test_there_are_at_least_30_realistic_answers() -> None:
    assert len(CASES) >= 30


def test_text_without_any_section_is_not_an_answer() -> None:
    assert parse_answer("LGTM, thanks for the update @alice!") is None
    assert parse_answer("") is None
    assert parse_answer("```\n## Fires\n- x\n```") is None
    assert parse_answer("> Fires: quoted") is None
    # A label counts only at the start of a line: mid-sentence it is prose.
    assert parse_answer("Just a quick one: Fires: the staging cert expires tomorrow") is None


def test_all_none_answer_is_recognised_but_empty() -> None:
    parsed = parse_answer("H: none\nP: rien\nF: aucun\nO: n/a")
    assert parsed is not None
    assert parsed.is_empty


def test_blank_template_is_an_empty_answer() -> None:
    template = "### Highlights\n<!-- … -->\n### Progress\n### Fires\n### Objectives\n"
    parsed = parse_answer(template)
    assert parsed == HpfoAnswer()
    assert parsed.is_empty


def test_items_by_section() -> None:
    parsed = parse_answer("Fires: x")
    assert parsed is not None
    assert parsed.items(Section.FIRES) == (Item("x"),)
    assert not parsed.is_empty


@pytest.mark.parametrize(
    ("label", "section"),
    [
        ("Highlights", Section.HIGHLIGHTS),
        ("🌟 highlight", Section.HIGHLIGHTS),
        ("Faits marquants", Section.HIGHLIGHTS),
        ("Progrès", Section.PROGRESS),
        ("Updates", Section.PROGRESS),
        ("Porgress", Section.PROGRESS),  # swapped letters
        (":fire: FIRES", Section.FIRES),
        ("Incendies", Section.FIRES),
        ("Goals", Section.OBJECTIVES),
        ("Plans", Section.OBJECTIVES),
        ("Semaine prochaine", Section.OBJECTIVES),
        ("Objectivs", Section.OBJECTIVES),
    ],
)
def test_match_section(label: str, section: Section) -> None:
    assert match_section(label) is section


@pytest.mark.parametrize("label", ["Files", "Fixes", "Plant", "Notes", "P.S.", "HPFO 2026-W48"])
def test_not_a_section(label: str) -> None:
    assert match_section(label) is None


def test_latest_answer_wins() -> None:
    older = "Fires: CI is red"
    newer = "Fires: none\nObjectives: ship"
    assert latest_answer([older, newer]) == answer(o=["ship"])


def test_latest_answer_skips_chatter_and_blank_templates() -> None:
    real = "H: launched"
    blank_body = "### Highlights\n### Fires\n"
    assert latest_answer([real, "Thanks @bob!", blank_body]) == answer(h=["launched"])


def test_latest_answer_falls_back_to_an_all_none_answer() -> None:
    assert latest_answer(["hello", "F: none"]) == HpfoAnswer()
    assert latest_answer(["hello", "see you"]) is None
    assert latest_answer([]) is None


def test_objectives_carry_over_as_an_unchecked_checklist() -> None:
    parsed = parse_answer("## Objectives\n- [x] ship\n- review the\n  RFC")
    assert parsed is not None
    assert objectives_checklist(parsed) == (Item("ship", False), Item("review the RFC", False))


def test_checked_items_read_back_a_rendered_checklist() -> None:
    items = (Item("ship the | export", False), Item("pair with @bob", False))
    rendered = render_checklist(items)
    assert rendered == "- [ ] ship the \\| export\n- [ ] pair with @\u200bbob"
    ticked = rendered.replace("- [ ] ship", "- [x] ship")
    body = f"## Progress\nFrom [last week](#12):\n{ticked}\n\n> - [x] quoted, not ticked\n"
    assert checked_items(body) == {"ship the \\| export": True, "pair with @\u200bbob": False}


def test_carried_over_checklist_in_the_body_is_parsed_with_its_state() -> None:
    body = "### Progress\n- [x] ship\n- [ ] review\n"
    assert parse_answer(body) == answer(p=[Item("ship", True), Item("review", False)])
