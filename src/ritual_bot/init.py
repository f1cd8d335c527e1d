"""``ritual-bot init``: the files a repository needs to run the rituals (SPEC §1, §6).

It writes four files, all or nothing:

- ``.github/rituals.yml``: the commented starter config listing the team's members, in its
  timezone and language;
- ``.github/workflows/rituals.yml``: the workflow of SPEC §1 (triggers, least-privilege
  ``permissions`` and a per-issue ``concurrency`` group so two runs never race on one issue),
  hardened to pass actionlint, the workflow schema and zizmor as this repository's own do;
- ``.github/ISSUE_TEMPLATE/decision.yml``: the decision issue form shipped in the package;
- ``.github/ISSUE_TEMPLATE/experiment.yml``: the growth experiment issue form of the business
  review (SPEC §10), shipped next to it.

Members come from ``--members`` or, when a token is available, from the repository's collaborators
(bots left out). An existing file is never overwritten without ``force``.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from ritual_bot.config import login_problem, parse_config, starter_config, timezone_problem
from ritual_bot.errors import GitHubError, UsageError
from ritual_bot.gateway import Gateway, RunWideFailure
from ritual_bot.ops import EnsureLabel
from ritual_bot.rituals.base import NeedsLabels
from ritual_bot.rituals.decisions.ritual import BASE_LABEL_COLOR, BASE_LABEL_DESCRIPTION
from ritual_bot.rituals.registry import all_rituals
from ritual_bot.rituals.review.experiments import label_op as experiment_label_op
from ritual_bot.schedule import Entry, schedule_entries
from ritual_bot.templates import package_templates_dir

CONFIG_PATH = Path(".github/rituals.yml")
WORKFLOW_PATH = Path(".github/workflows/rituals.yml")
FORM_PATH = Path(".github/ISSUE_TEMPLATE/decision.yml")
EXPERIMENT_FORM_PATH = Path(".github/ISSUE_TEMPLATE/experiment.yml")

#: The checkout the workflow uses: the same pin as this repository's own workflows (a test keeps
#: them equal), by full commit SHA with the release it is as a comment.
CHECKOUT = "actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1"

_SHA = re.compile(r"[0-9a-fA-F]{40}")
# `uses: {owner}/{repo}[/{path}]@{ref}`
# (https://docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idstepsuses),
# optionally followed by the comment a pin carries (`@<sha> # v1.2.0`). Nothing outside these
# characters reaches the workflow file.
_ACTION = re.compile(
    r"(?P<repo>[\w.-]+/[\w.-]+(?:/[\w.-]+)*)@(?P<ref>[\w.+/-]+)"
    r"(?:[ \t]*#[ \t]*(?P<version>[\w.+-]+))?",
    re.ASCII,
)
_GITHUB_URL = re.compile(r"https://github\.com/(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?", re.ASCII)


@dataclass(frozen=True)
class ActionRef:
    """What the workflow's ritual-bot step ``uses:``: a repository and a commit SHA (with the
    release it is, for people and Dependabot) or, until pinned, a tag."""

    repo: str
    ref: str
    version: str | None = None

    @property
    def pinned(self) -> bool:
        return _SHA.fullmatch(self.ref) is not None

    @property
    def repository_url(self) -> str:
        owner, name = self.repo.split("/")[:2]  # an action in a subfolder lives in owner/name
        return f"https://github.com/{owner}/{name}"

    def uses(self) -> str:
        """The ``uses:`` value with its comment. A tag can be moved to other code; a SHA cannot
        (https://docs.github.com/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions),
        which is what zizmor's ``unpinned-uses`` checks. A tag is written only because its SHA
        is not known offline, and the ignore comment says so where zizmor and a reviewer see it;
        ``next_steps`` says how to pin it before committing."""
        if self.pinned:
            return f"{self.repo}@{self.ref} # {self.version}"
        return (
            f"{self.repo}@{self.ref} # zizmor: ignore[unpinned-uses] a tag until pinned to its "
            "commit SHA (ritual-bot init --action)"
        )


def parse_action(text: str) -> ActionRef:
    """``--action``: ``OWNER/REPO@<40-hex sha> # vX`` (pinned) or ``OWNER/REPO@TAG``."""
    match = _ACTION.fullmatch(text.strip())
    example = "OWNER/REPO@<commit sha> # v1.2.0"
    if match is None:
        raise UsageError(f"--action: {text!r} is not an action reference: use '{example}'")
    repo, ref, version = match["repo"], match["ref"], match["version"]
    if _SHA.fullmatch(ref):
        if version is None:
            raise UsageError(
                f"--action: say which release commit {ref} is, as the workflow's comment will: "
                f"--action '{repo}@{ref} # v1.2.0'"
            )
        return ActionRef(repo, ref.lower(), version)
    if version is not None:
        raise UsageError(
            f"--action: a '# {version}' comment names the release of a commit SHA, "
            f"not of a tag: use '{repo}@{ref}' or '{example}'"
        )
    return ActionRef(repo, ref)


def published_action(distribution: str = "ritual-bot") -> ActionRef:
    """The default ``--action``: the GitHub repository in the installed package's project URLs
    (``[project.urls]`` in pyproject.toml, read from the package metadata so an installed wheel
    knows it) at the tag of this version. Without one, say how to name it."""
    try:
        meta = importlib.metadata.metadata(distribution)
    except importlib.metadata.PackageNotFoundError:
        meta = None
    if meta is not None:
        for entry in meta.get_all("Project-URL") or []:  # "Label, https://…"
            match = _GITHUB_URL.fullmatch(entry.partition(",")[2].strip())
            if match:
                return ActionRef(match["repo"], f"v{meta['Version']}")
    raise UsageError(
        f"this {distribution} does not know the repository of its action (no GitHub URL in its "
        "package metadata): pass --action 'OWNER/REPO@<commit sha> # v1.2.0'"
    )


# SPEC §1, hardened so that it passes the checks this repository's own workflows pass
# (actionlint, the workflow JSON schema, zizmor): actions pinned by commit SHA, a checkout that
# keeps no token in .git/config, no permission at the workflow level and the job's documented.
# The dispatch inputs are written out: GitHub answers 422 "Unexpected inputs provided" to a
# dispatch with inputs the workflow does not declare
# (https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event; quoted in
# benc-uk/workflow-dispatch#80), so `decision open`'s inputs (SPEC §4) are declared; the run reads
# them from the event payload.
#
# `issue_comment` is zizmor's `dangerous-triggers`: it runs with the repository's token and
# anyone who can comment starts it. The bot needs it to answer commands at once, and it is safe
# here: the workflow from the default branch runs and checks out the default branch (GITHUB_SHA,
# https://docs.github.com/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#issue_comment),
# the comment reaches the bot only as data in the event file, never a shell, and the bot acts only
# on commands from the people allowed to give them (docs/reliability.md, threat model). The
# inline ignore says so where zizmor looks
# (https://docs.zizmor.sh/usage/#ignoring-results).
WORKFLOW_TEMPLATE = """\
# Runs ritual-bot (written by `ritual-bot init`). The schedule lets the bot open what is due;
# issue and comment events let it answer right away. Configure it in .github/rituals.yml.
# "Run workflow" with a title opens a decision; with no title it is a plain run.
name: rituals
on:
{schedule}  # Comments are data to the bot, never code: none reaches a shell, and it checks out
  # the default branch only. It counts commands only from the people allowed to give them.
  issue_comment: {{types: [created, edited, deleted]}}  # zizmor: ignore[dangerous-triggers]
  issues: {{types: [opened, labeled, unlabeled, reopened, closed, edited]}}
  workflow_dispatch:
    inputs:
      title: {{description: "Open a decision with this title (empty: a plain run)", type: string}}
      dri: {{description: "DRI of the decision: a GitHub login", type: string}}
      stakeholders: {{description: "Stakeholders: logins or group names", type: string}}
      deadline: {{description: "Feedback deadline, YYYY-MM-DD", type: string}}
      body: {{description: "Context of the decision (Markdown)", type: string}}
permissions: {{}}
concurrency: {{group: "rituals-${{{{ github.event.issue.number || github.run_id }}}}", \
cancel-in-progress: false}}
jobs:
  rituals:
    name: rituals
    # Comments and issue events on issues that carry none of the bot's labels start no job (a
    # skipped job is not billed); schedules, manual runs and a `decision` label being added do.
    if: >-
      github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
      || contains(github.event.issue.labels.*.name, 'ritual:hpfo')
      || contains(github.event.issue.labels.*.name, 'ritual:onboarding')
      || contains(github.event.issue.labels.*.name, 'decision')
      || contains(github.event.issue.labels.*.name, 'okr')
      || contains(github.event.issue.labels.*.name, 'ritual:review')
      || github.event.label.name == 'decision'
    runs-on: ubuntu-latest
    permissions:
      issues: write # open, label, comment on and close the rituals' issues
      contents: read # check out .github/rituals.yml (write, with decisions.log set)
      pull-requests: read # the business review lists the pull requests merged last week
    steps:
      - uses: {checkout}
        with:
          persist-credentials: false
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


def workflow_text(action: ActionRef, schedule: Sequence[Entry] | None = None) -> str:
    """The workflow; hourly unless given the computed schedule entries."""
    shown = HOURLY_SCHEDULE if schedule is None else schedule_yaml(schedule)
    return WORKFLOW_TEMPLATE.format(action=action.uses(), checkout=CHECKOUT, schedule=shown)


def decision_form_source() -> Path:
    """The decision issue form shipped in the package (``templates/init/ISSUE_TEMPLATE``)."""
    return package_templates_dir() / "init" / "ISSUE_TEMPLATE" / FORM_PATH.name


def experiment_form_source() -> Path:
    """The experiment issue form shipped in the package, next to the decision form."""
    return package_templates_dir() / "init" / "ISSUE_TEMPLATE" / EXPERIMENT_FORM_PATH.name


@dataclass(frozen=True)
class Written:
    path: Path
    overwritten: bool


def parse_members(text: str) -> list[str]:
    """Logins from ``"alice, @bob carol"``: commas or spaces, a leading ``@`` allowed.

    Duplicates (case-insensitively, as GitHub logins are) are dropped, the first spelling kept.
    Every bad login is reported at once, each with the reason ``validate`` would give.
    """
    logins: dict[str, str] = {}
    problems: list[str] = []
    for part in _SEPARATORS.split(text.strip()):
        login = part.removeprefix("@")
        if not login:
            continue
        problem = login_problem(login)
        if problem:
            problems.append(problem)
        else:
            logins.setdefault(login.casefold(), login)
    if problems:
        raise UsageError("--members: " + "\n  ".join(["nothing written:", *problems]))
    return list(logins.values())


def check_timezone(zone: str) -> str:
    """``--timezone``: an IANA name, with ``validate``'s advice for ``UTC+2`` and typos."""
    problem = timezone_problem(zone)
    if problem:
        raise UsageError(f"--timezone: {problem}; nothing written")
    return zone


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


def label_ops(form: str, experiment_form: str = "") -> list[EnsureLabel]:
    """Every label the shipped forms and the registered rituals use, to create up front.

    GitHub drops a form's labels that do not exist in the repository, silently: "only labels that
    exist in the repository are applied" (syntax for issue forms, top-level ``labels``:
    https://docs.github.com/communities/using-templates-to-encourage-useful-issues-and-pull-requests/syntax-for-issue-forms#top-level-syntax,
    github/docs#25277). On a fresh repository the decision form would open unlabelled issues
    that never start a decision, and the experiment form experiments no review lists.
    """
    ops = [
        EnsureLabel(name, BASE_LABEL_COLOR, BASE_LABEL_DESCRIPTION) for name in form_labels(form)
    ]
    ops += [experiment_label_op(name) for name in form_labels(experiment_form)]
    rituals = [r for r in all_rituals() if isinstance(r, NeedsLabels)]
    return ops + [op for ritual in rituals for op in ritual.setup_labels()]


def create_labels(
    gateway: Gateway, form: str, experiment_form: str = ""
) -> tuple[list[str], list[str]]:
    """Create the labels (an existing one is left as it is), each on its own: one GitHub
    refuses is reported and the others are still made. Returns the names made and one line per
    refusal; a failure of the whole run (the token refused, GitHub unreachable) is raised."""
    made: list[str] = []
    refused: list[str] = []
    for op in label_ops(form, experiment_form):
        try:
            for _ in gateway.apply([op]):
                made.append(op.name)
        except RunWideFailure:
            raise
        except GitHubError as error:
            refused.append(f"label {op.name!r} not created: {error}")
    return made, refused


@dataclass(frozen=True)
class Team:
    """What the starter config says about the team: who, where, in which language."""

    members: Sequence[str]
    timezone: str = "UTC"
    language: str = "en"


def planned_files(
    team: Team, action: ActionRef, forms: dict[Path, str], today: date | None = None
) -> dict[Path, str]:
    """The config, the workflow and the issue forms; with ``today``, the workflow's schedule
    is computed from the config (so it follows the team's timezone)."""
    config = starter_config(team.members, team.timezone, team.language)
    parsed = parse_config(config, str(CONFIG_PATH))  # a starter that fails to validate is a bug
    schedule = None if today is None else schedule_entries(parsed, today)
    return {CONFIG_PATH: config, WORKFLOW_PATH: workflow_text(action, schedule), **forms}


def read_form(source: Path) -> str:
    try:
        return source.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"an issue form is missing from the package: {error}") from None


def init_repository(
    root: Path,
    team: Team,
    action: ActionRef,
    *,
    force: bool = False,
    form_source: Path | None = None,
    experiment_source: Path | None = None,
    today: date | None = None,
) -> list[Written]:
    """Write the four files under ``root``; nothing at all if one exists and not ``force``."""
    if not team.members:
        raise UsageError("no members: pass the team with --members alice,bob")
    forms = {
        FORM_PATH: read_form(form_source or decision_form_source()),
        EXPERIMENT_FORM_PATH: read_form(experiment_source or experiment_form_source()),
    }
    files = planned_files(team, action, forms, today)
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


def git_add_command(root: Path, paths: Iterable[Path], cwd: Path) -> str:
    """``git add …`` that works from ``cwd``: paths relative to it when it is inside ``root``
    (the repository ``git`` finds from there), else a ``cd`` into ``root`` first."""
    root, cwd = root.resolve(), cwd.resolve()
    if cwd.is_relative_to(root):
        shown = [os.path.relpath(root / path, cwd) for path in paths]
        return shlex.join(["git", "add", *shown])
    return f"cd {shlex.quote(os.path.relpath(root, cwd))} && " + shlex.join(
        ["git", "add", *map(str, paths)]
    )


def next_steps(written: Iterable[Written], action: ActionRef, root: Path, cwd: Path) -> list[str]:
    add = git_add_command(root, [w.path for w in written], cwd)
    lines = []
    if not action.pinned:
        # Pinning comes first: once committed, the tag is what runs.
        url = action.repository_url
        lines += [
            f"The workflow uses {action.repo}@{action.ref}, a tag: a tag can be moved to other "
            "code, a commit SHA cannot. To pin it before you commit, find the commit of "
            f"{action.ref} (the last SHA `git ls-remote {url} {action.ref} '{action.ref}^{{}}'` "
            "prints) and run init again with --force "
            f"--action '{action.repo}@<that sha> # {action.ref}'.",
        ]
    lines += [
        f"Next: review the members in {CONFIG_PATH}, then commit and push:",
        f"  {add} && git commit -m 'Add ritual-bot' && git push",
        "The workflow runs at the moments the config needs (after a config change, "
        "`ritual-bot schedule --check` says whether its schedule still covers them); run it now "
        "from the Actions tab (workflow `rituals`, Run workflow), or check the config with "
        "`ritual-bot validate`.",
    ]
    return lines
