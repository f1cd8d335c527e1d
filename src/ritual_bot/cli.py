"""The ``ritual-bot`` command line: a thin edge that maps errors to exit codes (SPEC §6).

0 done, 1 a GitHub or runtime failure, 2 bad config or usage. The token is read from the
environment only and never printed.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import click
import yaml

from ritual_bot.actions_runtime import ActionsRuntime, StepSummary
from ritual_bot.clock import (
    FixedClock,
    NaiveInstant,
    SystemClock,
    TravelClock,
    parse_instant,
    parse_now,
)
from ritual_bot.config import Config, default_config_path, load_config, timezone_warnings
from ritual_bot.config_loader import check_against, read_file
from ritual_bot.errors import (
    ConfigError,
    ItemsFailed,
    RitualBotError,
    TemplateError,
    UsageError,
)
from ritual_bot.metrics_csv import MetricsCsvError, read_metrics
from ritual_bot.rituals.base import Context, Event
from ritual_bot.rituals.hpfo.moments import runs_to_come
from ritual_bot.rituals.onboarding.config import joined_warnings
from ritual_bot.rituals.review.config import file_findings
from ritual_bot.schedule import (
    YEAR,
    CronError,
    Entry,
    missed,
    schedule_advice,
    schedule_entries,
    schedule_gap,
)
from ritual_bot.templates import OVERRIDE_DIR, Templates

if TYPE_CHECKING:
    from ritual_bot.gateway import Gateway

# The gateway (PyGithub, requests) and the runner (every ritual) are imported by the commands that
# talk to GitHub, when they run: `schedule`, `init --dry-run`, `--help` start without them
# (issue 11: start-up imports what a run needs when it needs it).

F = TypeVar("F", bound=Callable[..., Any])


def _handled(command: F) -> F:
    """Show a RitualBotError as its message (never a traceback) and exit with its code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConfigError as error:
            if not error.annotated:  # in Actions the annotations say it once
                for problem in error.problems:
                    click.echo(str(problem), err=True)
            sys.exit(error.exit_code)
        except RitualBotError as error:
            click.echo(f"error: {_scrub(str(error))}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]


def _scrub(text: str) -> str:
    """Defence in depth: a token that slipped into a message is masked before it is shown."""
    token = os.environ.get("GITHUB_TOKEN", "")
    return text.replace(token, "***") if len(token) >= 8 else text


@click.group()
@click.version_option(package_name="ritual-bot")
def main() -> None:
    """Run a distributed team's async rituals (HPFO check-ins, decisions) in a GitHub repo."""


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="Config file (or PATH)."
)
@_handled
def validate(path: Path | None, config_path: Path | None) -> None:
    """Check a config file (default .github/rituals.yml); print each problem as path:line:col.

    The file is PATH or --config PATH, as every other command takes it (issue 12)."""
    if path is not None and config_path is not None and path != config_path:
        raise UsageError(f"two config files given ({path} and --config {config_path}): give one")
    path = path or config_path
    try:
        config = load_config(path or default_config_path())
    except ConfigError as error:
        annotate_config_error(error, ActionsRuntime.from_env(os.environ, sys.stdout))
        raise
    templates = templates_for(config, path or default_config_path())
    overrides = "" if templates.override_dir is None else ", template overrides ok"
    count = len(config.members)
    members = f"{count} member{'' if count == 1 else 's'}"
    click.echo(f"{path or default_config_path()}: ok ({members}{overrides})")
    today = SystemClock().now().date()
    for warning in metric_file_warnings(config, path or default_config_path()):
        click.echo(f"warning: {warning}")
    for warning in timezone_warnings(config) + joined_warnings(config.members, today):
        click.echo(f"warning: {warning}")
    for warning in schedule_warnings(config, WORKFLOW, today):
        click.echo(f"warning: {warning}")


WORKFLOW = Path(".github/workflows/rituals.yml")


def metric_file_warnings(config: Config, path: Path) -> list[str]:
    """The business review's metric files, opened in this checkout (the repository root is the
    config's grandparent, as for template overrides): a key its file's header lacks is a
    positioned error (exit 2); a file that is not there a warning (another workflow may write it
    later). Returns the warnings."""
    root = path.resolve().parent.parent
    headers: dict[str, tuple[str, ...] | str | None] = {}
    for area in config.review.areas:
        for metric in area.metrics:
            if not metric.file or metric.file in headers:
                continue
            file = root / metric.file
            if not file.is_file():
                headers[metric.file] = None
                continue
            try:
                headers[metric.file] = read_metrics(file.read_bytes()).columns
            except MetricsCsvError as error:
                headers[metric.file] = f"{metric.file} cannot be read: {error}"
    check_against(read_file(path), str(path), file_findings(headers))
    return [
        f"review: {name} is not in this checkout: its metrics show as missing until it is on "
        "the default branch"
        for name, columns in headers.items()
        if columns is None
    ]


def workflow_schedule(path: Path) -> list[Entry]:
    """The ``on.schedule`` entries of a workflow file ([] when it has none)."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read the workflow {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise UsageError(f"{path} is not valid YAML: {error}") from None
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean true.
    triggers = loaded.get("on", loaded.get(True)) if isinstance(loaded, dict) else None
    entries = triggers.get("schedule") if isinstance(triggers, dict) else None
    return [
        Entry(str(entry["cron"]), str(entry["timezone"]) if entry.get("timezone") else None)
        for entry in entries or []
        if isinstance(entry, dict) and "cron" in entry
    ]


@main.command(name="schedule")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file.")
@click.option(
    "--workflow",
    type=click.Path(path_type=Path),
    default=WORKFLOW,
    show_default=True,
    help="The workflow whose cron lines --check reads.",
)
@click.option("--check", is_flag=True, help="Exit 1 if the workflow's cron misses a due moment.")
@click.option("--utc", is_flag=True, help="Plain UTC lines, for servers without `timezone:`.")
@click.option("--now", help="Start the year examined at this ISO 8601 instant (default: today).")
@_handled
def schedule_command(
    config_path: Path | None, workflow: Path, check: bool, utc: bool, now: str | None
) -> None:
    """Print the `on.schedule` entries the config needs: a run just after each moment something
    can fall due (openings and reminders in each member's timezone, the digest, decision
    deadlines) and a catch-up run an hour later. Hourly ("17 * * * *") also covers everything,
    at 168 jobs a week."""
    config = load_config(config_path or default_config_path())
    today = (parse_instant(now) if now else SystemClock().now()).date()
    entries = schedule_entries(config, today, utc=utc)
    if not check:
        click.echo("\n".join(entry.yaml() for entry in entries))
        return
    found = workflow_schedule(workflow)
    try:
        gaps = missed(found, config, today)
    except CronError as error:
        raise UsageError(f"{workflow}: {error}") from None
    if not gaps:
        click.echo(f"{workflow}: the schedule covers every moment the config needs")
        return
    click.echo(schedule_advice(workflow, gaps, entries))
    sys.exit(1)


def schedule_warnings(
    config: Config,
    workflow: Path,
    today: date,
    runtime: ActionsRuntime | None = None,
    days: int = YEAR,
) -> list[str]:
    """A warning when the workflow's schedule misses a moment the config needs (issue 11):
    the run goes on, and the step summary and an annotation say which and what to paste."""
    if not workflow.is_file():
        return []
    try:
        gaps = missed(workflow_schedule(workflow), config, today, days)
    except (UsageError, CronError) as error:
        return [f"schedule: {error}"]
    if not gaps:
        return []
    advice = schedule_advice(workflow, gaps, schedule_entries(config, today))
    if runtime is not None:
        runtime.warning(
            f"{schedule_gap(gaps)}: `ritual-bot schedule` prints the entries.", file=str(workflow)
        )
    return [f"schedule: {advice}"]


def read_event(name: str | None, path: str | None) -> Event:
    """The event from flags or the runner's GITHUB_EVENT_NAME / GITHUB_EVENT_PATH."""
    name = name or os.environ.get("GITHUB_EVENT_NAME") or "workflow_dispatch"
    path = path or os.environ.get("GITHUB_EVENT_PATH")
    if not path:
        return Event(name)
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read the event payload {path}: {error}") from None
    if not isinstance(payload, dict):
        raise UsageError(f"the event payload {path} is not a JSON object")
    return Event(name, payload)


def gateway_from_env(env: Mapping[str, str], repo: str | None, api_url: str | None) -> Gateway:
    from ritual_bot.gateway import DEFAULT_API_URL, DEFAULT_BOT_LOGIN, Gateway, Secret

    token = env.get("GITHUB_TOKEN", "")
    repo = repo or env.get("GITHUB_REPOSITORY", "")
    if not token:
        raise UsageError("GITHUB_TOKEN is not set: export a token with `issues: write` access.")
    if repo.count("/") != 1:
        raise UsageError("GITHUB_REPOSITORY (or --repo) must be OWNER/NAME.")
    return Gateway(
        repo_name=repo,
        token=Secret(token),
        api_url=checked_api_url(api_url or env.get("GITHUB_API_URL") or DEFAULT_API_URL),
        bot_login=env.get("RITUAL_BOT_LOGIN") or DEFAULT_BOT_LOGIN,
    )


def checked_api_url(url: str) -> str:
    """The REST base URL, refused in one line unless it is http(s)://HOST…: PyGithub would
    otherwise fail deep inside with a traceback (``api.example.com`` has no host for urlparse)."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise UsageError(
            f"GITHUB_API_URL (or --api-url) {url!r} is not an http(s) URL: "
            "use e.g. https://api.github.com or https://HOST/api/v3 on GitHub Enterprise Server."
        )
    return url


def workspace_for(event: Event) -> Path | None:
    """The checkout, on scheduled runs only: they check out the default branch, so files read
    from it (decision proposals) are the merged ones. Other events may check out any ref."""
    root = os.environ.get("GITHUB_WORKSPACE")
    return Path(root) if root and event.name == "schedule" else None


def templates_for(config: Config, config_path: Path) -> Templates:
    """The templates, with the repository's overrides checked before any request is made."""
    # Overrides live next to the config: <repo>/.github/rituals/templates/.
    root = config_path.resolve().parent.parent
    templates = Templates(config.language, root / OVERRIDE_DIR)
    templates.check()
    return templates


@main.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file.")
@click.option("--event-name", help="Event name (default: $GITHUB_EVENT_NAME).")
@click.option("--event-path", help="Event payload JSON (default: $GITHUB_EVENT_PATH).")
@click.option("--repo", help="OWNER/NAME (default: $GITHUB_REPOSITORY).")
@click.option("--api-url", help="REST API base URL (default: $GITHUB_API_URL).")
@click.option("--dry-run", is_flag=True, help="Print the planned operations; write nothing.")
@click.option(
    "--now",
    help="Run as if it were this ISO 8601 instant, with its offset (e.g. 2026-11-23T08:30Z; "
    "default: the clock).",
)
@_handled
def run(
    config_path: Path | None,
    event_name: str | None,
    event_path: str | None,
    repo: str | None,
    api_url: str | None,
    dry_run: bool,
    now: str | None,
) -> None:
    """Handle the current event: what the GitHub Action runs."""
    from ritual_bot.report import opening_plan, print_report, publish
    from ritual_bot.runner import run as run_rituals

    runtime = ActionsRuntime.from_env(os.environ, sys.stdout)  # masks the token first
    path = config_path or default_config_path()
    try:
        # Before any request: a bad config or template makes no write.
        config = load_config(path)
        templates = templates_for(config, path)
        event = read_event(event_name, event_path)
        clock = FixedClock(now_option(now)) if now else SystemClock()
        gateway = gateway_from_env(os.environ, repo, api_url)
        ctx = Context(config, event, clock.now(), templates, workspace_for(event))
        # Every op is planned (and every template rendered) before the first write.
        report = run_rituals(ctx, gateway, dry_run=dry_run)
        if event.is_scheduled:
            # The coming week only: a scheduled run stays cheap; `validate` looks a year ahead.
            report.notices += schedule_warnings(config, WORKFLOW, ctx.now.date(), runtime, 8)
    except ConfigError as error:
        annotate_config_error(error, runtime)
        raise
    except TemplateError as error:
        annotate_template_error(error, runtime)
        raise
    print_report(report, click.echo)
    if dry_run:
        for line in opening_plan(report.planned, ctx.now, runs_to_come(config, ctx.now)):
            click.echo(line)
    publish(report, runtime)
    if report.failures:
        # Every other item was applied; exit 1 so the workflow run shows red (SPEC §7).
        raise ItemsFailed(len(report.failures))


def annotate_config_error(error: ConfigError, runtime: ActionsRuntime) -> None:
    """In Actions, each config problem also becomes an annotation on the file, and a summary."""
    if not runtime.in_actions:
        return
    for problem in error.problems:
        runtime.error(problem.message, file=problem.path, line=problem.line, col=problem.col)
    error.annotated = True  # the log shows each annotation once
    # Problems quote the config's own text (keys, values): escaped, not pasted into Markdown.
    summary = StepSummary().heading("ritual-bot: invalid config, nothing written")
    runtime.append_summary(summary.bullets(str(problem) for problem in error.problems).render())


def annotate_template_error(error: TemplateError, runtime: ActionsRuntime) -> None:
    if not runtime.in_actions:
        return
    runtime.error(str(error), file=error.path, line=error.line)
    # The message quotes the template (a repo's override): escaped, not pasted into Markdown.
    summary = StepSummary().heading("ritual-bot: template error, nothing written")
    runtime.append_summary(summary.paragraph(str(error)).render())


def now_option(text: str) -> datetime:
    """A ``--now`` value, the same for every command that takes one: an instant with its offset."""
    try:
        return parse_now(text)
    except NaiveInstant:
        raise UsageError(
            f"--now {text!r} has no UTC offset, so it names a different instant on each clock: "
            "add Z for UTC (2026-11-23T08:30Z) or your own offset (2026-11-23T09:30+01:00)"
        ) from None
    except ValueError:
        raise UsageError(
            f"--now {text!r} is not an ISO 8601 instant (e.g. 2026-11-23T08:30:00Z)"
        ) from None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--seed/--no-seed", default=True, help="Start with the demo team and repository.")
@click.option(
    "--now",
    help="Start the sandbox's clock at this instant, with its offset (e.g. 2026-11-23T08:17Z); "
    "it runs on from there. Run the bot with the same --now to share its timeline.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="The bot's config (default: .github/rituals.yml if there is one, else the demo team's).",
)
@click.option("--story", is_flag=True, help="Start with the demo's two weeks already lived.")
@_handled
def sandbox(
    host: str, port: int, seed: bool, now: str | None, config_path: Path | None, story: bool
) -> None:
    """Serve the local GitHub emulator (REST API) and the playground: read issues as GitHub shows
    them, act as anyone, let the bot react, and move the clock."""
    from ritual_bot.demo.team import seeded_sandbox
    from ritual_bot.sandbox.bot import open_playground

    if not seed and (story or config_path):
        raise UsageError("--story and --config need the demo repository: drop --no-seed")
    if story and now:
        raise UsageError("--story lives the demo's own two weeks, from its own date: drop --now")
    # One clock for everything the sandbox stamps: without --now it starts at the real time.
    start = now_option(now) if now else None
    if seed:
        path = config_path or default_config_path()
        # Before anything is served: a bad config is a clear error, as for `run`.
        config = load_config(path) if config_path or path.is_file() else None
        templates = templates_for(config, path) if config else None
        playground = open_playground(config, templates, story=story, now=start)
        box = playground.sandbox
        tokens = {login: box.user_token(login) for login in playground.people()}
        tokens["github-actions[bot]"] = box.actions_token(playground.repo)
    else:
        box, tokens = seeded_sandbox(seed=False, clock=TravelClock(start) if start else None)

    def announce(url: str) -> None:
        click.echo(f"GitHub sandbox on {url}/ (REST API at the same address)")
        if start is not None:
            click.echo(f"  its clock started at {start:%Y-%m-%dT%H:%M:%SZ}")
        if box.playground is not None:
            click.echo(f"playground: {url}/{box.playground.repo}/issues")
        for who, token in tokens.items():
            click.echo(f"  token for {who}: {token}")

    try:
        box.serve_forever(host=host, port=port, ready=announce)
    except OSError as error:
        raise UsageError(
            f"cannot serve on {host}:{port} ({error.strerror or error}): "
            "pick another --port, or --port 0 for any free one"
        ) from None
    except KeyboardInterrupt:
        pass


@main.command()
@click.option("--serve", is_flag=True, help="Keep the sandbox up afterwards, so the links open.")
@click.option("--okrs", is_flag=True, help="Play a quarter of OKRs instead: plan, track, score.")
@click.option("--review", is_flag=True, help="Play two weeks of the business review instead.")
@click.option(
    "--onboarding", is_flag=True, help="Play a newcomer's first month instead: goals, check-ins."
)
@_handled
def demo(serve: bool, okrs: bool, review: bool, onboarding: bool) -> None:
    """Run a scripted scenario against the built-in sandbox and show what happened."""
    if sum((okrs, review, onboarding)) > 1:
        raise UsageError("--okrs, --review and --onboarding are three demos: choose one")
    if serve and (review or onboarding):
        raise UsageError("--serve keeps the HPFO and decision demo's sandbox up: drop it")
    if review:
        from ritual_bot.demo.review import run_review_demo

        run_review_demo(click.echo)
        return
    if onboarding:
        from ritual_bot.demo.onboarding import run_onboarding_demo

        run_onboarding_demo(click.echo)
        return
    if okrs:
        if serve:
            raise UsageError("--serve keeps the HPFO and decision demo's sandbox up: drop --okrs")
        from ritual_bot.demo.okrs import run_okr_demo

        run_okr_demo(click.echo)
        return
    from ritual_bot.demo.story import run_demo

    run_demo(click.echo, hold=_serve_until_interrupted if serve else None)


def _serve_until_interrupted(url: str) -> None:
    click.echo(f"\nThe sandbox is still up at {url}/ — open the links above. Ctrl-C to stop.")
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


@main.command()
@click.option("--members", help="Team logins, comma-separated (default: the collaborators).")
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    help="The team's IANA timezone, e.g. Europe/Paris: check-ins and the schedule follow it.",
)
@click.option(
    "--language",
    default="en",
    type=click.Choice(["en", "fr"]),
    show_default=True,
    help="What the bot writes in (answers are read in both).",
)
@click.option(
    "--action",
    "action_text",
    metavar="OWNER/REPO@REF",
    help="The action the workflow uses: 'OWNER/REPO@<commit sha> # v1.2.0' pins it; a tag is "
    "written as given (default: this package's repository at the tag of its version).",
)
@click.option(
    "--dir",
    "root",
    default=".",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Root of the repository to write into.",
)
@click.option(
    "--repo", help="OWNER/NAME whose collaborators to list (default: $GITHUB_REPOSITORY)."
)
@click.option("--api-url", help="REST API base URL (default: $GITHUB_API_URL).")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@_handled
def init(
    members: str | None,
    timezone: str,
    language: str,
    action_text: str | None,
    root: Path,
    repo: str | None,
    api_url: str | None,
    force: bool,
) -> None:
    """Write a starter config, the workflow and the decision and experiment issue forms into a
    repository.

    With a token (GITHUB_TOKEN and GITHUB_REPOSITORY or --repo) it also creates the labels the
    decision form applies: GitHub drops a form's labels that do not exist.
    """
    from ritual_bot.init import (
        CONFIG_PATH,
        Team,
        check_timezone,
        collaborator_logins,
        create_labels,
        decision_form_source,
        experiment_form_source,
        init_repository,
        next_steps,
        parse_action,
        parse_members,
        published_action,
    )

    # Every argument is checked before the network is asked or a file written.
    logins = parse_members(members) if members else []
    check_timezone(timezone)
    action = parse_action(action_text) if action_text else published_action()
    repo = repo or os.environ.get("GITHUB_REPOSITORY", "")
    online = bool(os.environ.get("GITHUB_TOKEN")) and repo.count("/") == 1
    gateway = gateway_from_env(os.environ, repo, api_url) if online else None
    if not logins:
        if gateway is None:
            raise UsageError(
                "pass the team with --members alice,bob, or set GITHUB_TOKEN and "
                "GITHUB_REPOSITORY (or --repo) to take the repository's collaborators."
            )
        logins = collaborator_logins(gateway)
        click.echo(f"members from the collaborators of {repo}: {', '.join(logins) or 'none'}")
    team = Team(logins, timezone, language)
    today = SystemClock().now().date()
    written = init_repository(root, team, action, force=force, today=today)
    for item in written:
        click.echo(f"{'overwrote' if item.overwritten else 'wrote'} {item.path}")
    for warning in timezone_warnings(load_config(root / CONFIG_PATH)):
        click.echo(f"warning: {warning}")
    if gateway is not None:
        form = decision_form_source().read_text(encoding="utf-8")
        experiment_form = experiment_form_source().read_text(encoding="utf-8")
        created, refused = create_labels(gateway, form, experiment_form)
        if created:
            click.echo(f"labels ready in {repo}: {', '.join(created)}")
        for line in refused:
            click.echo(f"warning: {line}; the first run you start from the Actions tab retries it")
    else:
        click.echo(
            "labels: not created (no token); the first run you start from the Actions tab "
            "creates them. Until then the decision form opens unlabelled issues."
        )
    for line in next_steps(written, action, root, Path.cwd()):
        click.echo(line)


@main.group()
def decision() -> None:
    """Decisions: open one from the command line (or a workflow_dispatch)."""


@decision.command("open")
@click.option("--title", required=True, help="The issue title.")
@click.option("--dri", required=True, help="The DRI's GitHub login.")
@click.option("--stakeholders", default="", help="Logins or group names, comma-separated.")
@click.option("--deadline", default="", help="Feedback deadline YYYY-MM-DD (default: config).")
@click.option("--body-file", type=click.Path(path_type=Path), help="Markdown for the body.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Config file.")
@click.option("--repo", help="OWNER/NAME (default: $GITHUB_REPOSITORY).")
@click.option("--api-url", help="REST API base URL (default: $GITHUB_API_URL).")
@click.option("--dry-run", is_flag=True, help="Print the planned operations; write nothing.")
@_handled
def decision_open(
    title: str,
    dri: str,
    stakeholders: str,
    deadline: str,
    body_file: Path | None,
    config_path: Path | None,
    repo: str | None,
    api_url: str | None,
    dry_run: bool,
) -> None:
    """Open a decision issue; running it again with the same inputs opens nothing."""
    from ritual_bot.report import print_report
    from ritual_bot.rituals.decisions.proposals import dispatch_proposal
    from ritual_bot.rituals.decisions.ritual import DecisionRitual
    from ritual_bot.runner import run as run_rituals

    path = config_path or default_config_path()
    config = load_config(path)
    now = SystemClock().now()
    check_deadline(deadline, now.astimezone(ZoneInfo(config.timezone)).date())
    try:
        body = body_file.read_text(encoding="utf-8") if body_file else ""
    except OSError as error:
        raise UsageError(f"cannot read --body-file {body_file}: {error}") from None
    # The same inputs a workflow_dispatch run receives (SPEC §1: decision open is also a dispatch).
    inputs = {
        "title": title,
        "dri": dri,
        "stakeholders": stakeholders,
        "deadline": deadline,
        "body": body,
    }
    event = Event("workflow_dispatch", {"inputs": inputs})
    problem = dispatch_proposal(inputs).problem
    if problem:  # before any request: a bad input is the caller's to fix (SPEC §4)
        raise UsageError(f"decision open: {problem}")
    gateway = gateway_from_env(os.environ, repo, api_url)
    ctx = Context(config, event, now, templates_for(config, path))
    report = run_rituals(ctx, gateway, rituals=[DecisionRitual()], dry_run=dry_run)
    print_report(report, click.echo)


def check_deadline(text: str, today: date) -> None:
    """``--deadline``: a real date, not too far ahead; else exit 2 before any request (SPEC §4)."""
    from ritual_bot.rituals.decisions.proposals import deadline_problem
    from ritual_bot.rituals.signoff.commands import parse_day

    if not text:
        return
    day = parse_day(text)
    if day is None:
        raise UsageError(f"--deadline {text} is not a real date: give it as YYYY-MM-DD.")
    problem = deadline_problem(day, today)
    if problem:
        raise UsageError(f"--deadline {text}: {problem}.")


@main.command()
@click.argument("number", type=int)
@click.option("--repo", help="OWNER/NAME (default: $GITHUB_REPOSITORY).")
@click.option("--api-url", help="REST API base URL (default: $GITHUB_API_URL).")
@click.option("--language", default="en", type=click.Choice(["en", "fr"]), show_default=True)
@_handled
def summarize(number: int, repo: str | None, api_url: str | None, language: str) -> None:
    """Print the extractive summary of one issue's discussion (no network beyond reading it)."""
    from ritual_bot import summary

    gateway = gateway_from_env(os.environ, repo, api_url)
    issue = gateway.get_issue(number)
    if issue is None:
        raise UsageError(f"issue #{number} not found in {gateway.repo_name}")
    people = [
        c
        for c in gateway.issue_comments(number)
        if not c.author.is_bot and not c.author.same(gateway.bot_login)
    ]
    click.echo(summary.render(summary.summarize(people), f"#{number} {issue.title}", language))
