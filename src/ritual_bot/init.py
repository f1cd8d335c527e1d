"""``ritual-bot init``: the files a repository needs to run the rituals (SPEC §1, §6).

It writes three files, all or nothing:

- ``.github/rituals.yml``: the commented starter config listing the team's members;
- ``.github/workflows/rituals.yml``: exactly the workflow of SPEC §1 (triggers, least-privilege
  ``permissions`` and a per-issue ``concurrency`` group so two runs never race on one issue);
- ``.github/ISSUE_TEMPLATE/decision.yml``: the decision issue form shipped in the package.

Members come from ``--members`` or, when a token is available, from the repository's collaborators
(bots left out). An existing file is never overwritten without ``force``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from ritual_bot.config import LOGIN_RE, parse_config, starter_config
from ritual_bot.errors import GitHubError, UsageError
from ritual_bot.gateway import Gateway
from ritual_bot.ops import EnsureLabel
from ritual_bot.rituals.decisions import (
    BASE_LABEL_COLOR,
    BASE_LABEL_DESCRIPTION,
    DEFAULT_DECISION_LABEL,
    status_label_ops,
)
from ritual_bot.schedule import Entry, schedule_entries
from ritual_bot.templates import package_templates_dir

CONFIG_PATH = Path(".github/rituals.yml")
WORKFLOW_PATH = Path(".github/workflows/rituals.yml")
FORM_PATH = Path(".github/ISSUE_TEMPLATE/decision.yml")

#: What the generated workflow `uses:`; a release tag of this action's repository.
DEFAULT_ACTION = "OWNER/ritual-bot@v1"

# SPEC §1, apart from the header comment, the action reference, checkout's major version (v4 runs
# on Node 20, which GitHub removed from its runners in September 2026; actionlint flags it) and the
# dispatch inputs written out. GitHub answers 422 "Unexpected inputs provided" to a dispatch with
# inputs the workflow does not declare
# (https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event; quoted in
# benc-uk/workflow-dispatch#80), so `decision open`'s inputs (SPEC §4) are declared; the run reads
# them from the event payload.
WORKFLOW_TEMPLATE = """\
# Runs ritual-bot (written by `ritual-bot init`). The schedule lets the bot open what is due;
# issue and comment events let it answer right away. Configure it in .github/rituals.yml.
# "Run workflow" with a title opens a decision; with no title it is a plain run.
name: rituals
on:
{schedule}  issue_comment: {{types: [created, edited, deleted]}}
  issues: {{types: [opened, labeled, unlabeled, reopened, closed, edited]}}
  workflow_dispatch:
    inputs:
      title: {{description: "Open a decision with this title (empty: a plain run)", type: string}}
      dri: {{description: "DRI of the decision: a GitHub login", type: string}}
      stakeholders: {{description: "Stakeholders: logins or group names", type: string}}
      deadline: {{description: "Feedback deadline, YYYY-MM-DD", type: string}}
      body: {{description: "Context of the decision (Markdown)", type: string}}
permissions: {{issues: write, contents: read}}
concurrency: {{group: "rituals-${{{{ github.event.issue.number || github.run_id }}}}", \
cancel-in-progress: false}}
jobs:
  rituals:
    # Comments and issue events on issues that carry none of the bot's labels start no job (a
    # skipped job is not billed); schedules, manual runs and a `decision` label being added do.
    if: >-
      github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
      || contains(github.event.issue.labels.*.name, 'ritual:hpfo')
      || contains(github.event.issue.labels.*.name, 'decision')
      || github.event.label.name == 'decision'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
      - uses: {action}
"""

_SEPARATORS = re.compile(r"[\s,]+")


HOURLY_SCHEDULE = (
    '  schedule: [{cron: "17 * * * *"}]          # hourly; the bot works out what is due\n'
)


def schedule_yaml(entries: Sequence[Entry]) -> str:
    """The computed ``schedule:`` (issue 11): a run after each moment the config makes something
    due, per timezone, and a catch-up an hour later; ``ritual-bot schedule --check`` keeps it
    honest after a config change."""
    lines = ["  schedule:  # computed from .github/rituals.yml by `ritual-bot schedule`"]
    for entry in entries:
        zone = f', timezone: "{entry.timezone}"' if entry.timezone else ""
        lines.append(f'    - {{cron: "{entry.cron}"{zone}}}')
    return "\n".join(lines) + "\n"


def workflow_text(action: str = DEFAULT_ACTION, schedule: Sequence[Entry] | None = None) -> str:
    """The workflow; hourly unless given the computed schedule entries."""
    shown = HOURLY_SCHEDULE if schedule is None else schedule_yaml(schedule)
    return WORKFLOW_TEMPLATE.format(action=action, schedule=shown)


def decision_form_source() -> Path:
    """The decision issue form shipped in the package (``templates/init/ISSUE_TEMPLATE``)."""
    return package_templates_dir() / "init" / "ISSUE_TEMPLATE" / "decision.yml"


@dataclass(frozen=True)
class Written:
    path: Path
    overwritten: bool


def parse_members(text: str) -> list[str]:
    """Logins from ``"alice, @bob carol"``: commas or spaces, a leading ``@`` allowed.

    Duplicates (case-insensitively, as GitHub logins are) are dropped, the first spelling kept.
    """
    logins: dict[str, str] = {}
    for part in _SEPARATORS.split(text.strip()):
        login = part.removeprefix("@")
        if not login:
            continue
        if not LOGIN_RE.fullmatch(login):
            raise UsageError(f"--members: {login!r} is not a GitHub login")
        logins.setdefault(login.casefold(), login)
    return list(logins.values())


def collaborator_logins(gateway: Gateway) -> list[str]:
    """The repository's direct collaborators, bots left out, in GitHub's order.

    ``affiliation=direct``: without it GitHub lists every organization member with base access
    and every organization owner too ("all" is the default;
    https://docs.github.com/rest/collaborators/collaborators#list-repository-collaborators).
    The token needs push access (a person) or ``metadata: read`` (an app or the Actions token);
    when it cannot list them, init writes nothing and says how to go on with ``--members``.
    """
    try:
        people = gateway.collaborators(affiliation="direct")
    except GitHubError as error:
        raise GitHubError(
            f"cannot list the collaborators: {error} Nothing was written: pass the team with "
            "--members alice,bob.",
            status=error.status,
        ) from None
    return [person.login for person in people if not person.is_bot]


def form_labels(form: str) -> list[str]:
    """The labels an issue form applies (its top-level ``labels``)."""
    try:
        data = yaml.safe_load(form)
    except yaml.YAMLError:
        return []
    labels = data.get("labels") if isinstance(data, dict) else None
    if isinstance(labels, str):
        labels = [part.strip() for part in labels.split(",")]
    return [str(x) for x in labels or [] if str(x).strip()]


def label_ops(form: str) -> list[EnsureLabel]:
    """Every label the shipped form and the decisions ritual use, to create up front.

    GitHub drops a form's labels that do not exist in the repository, silently: "only labels that
    exist in the repository are applied" (syntax for issue forms, top-level ``labels``:
    https://docs.github.com/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-issue-forms#top-level-syntax,
    github/docs#25277). On a fresh repository the decision form would open unlabelled issues
    that never start a decision.
    """
    ops = [
        EnsureLabel(name, BASE_LABEL_COLOR, BASE_LABEL_DESCRIPTION) for name in form_labels(form)
    ]
    return ops + status_label_ops(DEFAULT_DECISION_LABEL)


def create_labels(gateway: Gateway, form: str) -> list[str]:
    """Create the labels (an existing one is left as it is); returns their names."""
    ops = label_ops(form)
    for _ in gateway.apply(ops):
        pass
    return [op.name for op in ops]


def planned_files(
    members: Sequence[str], action: str, form: str, today: date | None = None
) -> dict[Path, str]:
    """The three files; with ``today``, the workflow's schedule is computed from the config."""
    config = starter_config(members)
    parsed = parse_config(config, str(CONFIG_PATH))  # a starter that fails to validate is a bug
    schedule = None if today is None else schedule_entries(parsed, today)
    return {CONFIG_PATH: config, WORKFLOW_PATH: workflow_text(action, schedule), FORM_PATH: form}


def init_repository(
    root: Path,
    members: Sequence[str],
    *,
    force: bool = False,
    action: str = DEFAULT_ACTION,
    form_source: Path | None = None,
    today: date | None = None,
) -> list[Written]:
    """Write the three files under ``root``; nothing at all if one exists and not ``force``."""
    if not members:
        raise UsageError("no members: pass the team with --members alice,bob")
    source = form_source or decision_form_source()
    try:
        form = source.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"the decision issue form is missing from the package: {error}") from None
    files = planned_files(members, action, form, today)
    existing = [path for path in files if (root / path).exists()]
    if existing and not force:
        listing = ", ".join(str(path) for path in existing)
        raise UsageError(f"{listing} already exist(s); nothing written. Use --force to overwrite.")
    written = []
    for path, text in files.items():
        target = root / path
        overwritten = target.exists()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        written.append(Written(path, overwritten))
    return written


def next_steps(written: Iterable[Written], action: str = DEFAULT_ACTION) -> list[str]:
    paths = " ".join(str(w.path) for w in written)
    lines = [
        "Next: review the members in .github/rituals.yml, then commit and push:",
        f"  git add {paths} && git commit -m 'Add ritual-bot' && git push",
        "The workflow runs at the moments the config needs (after a config change, "
        "`ritual-bot schedule --check` says whether its schedule still covers them); run it now "
        "from the Actions tab (workflow `rituals`, Run workflow), or check the config with "
        "`ritual-bot validate`.",
    ]
    if action.startswith("OWNER/"):
        lines.append(
            f"Replace {action} in {WORKFLOW_PATH} with the action's repository and release tag."
        )
    return lines
