"""The weekly business review (SPEC §10): one issue a week, ``Business review 2026-W48``.

- **Opening.** At ``review.day`` + ``review.time`` in the team's timezone (the runs of the two
  hours after it), the review of week W opens; it reports the week that just ended (W-1), one
  section per area. The review of W-1 closes in the same run with a summary comment: each area's
  numbers and the questions asked in its comments, answered or not. Each review's body keeps its
  week's values as the bot's own markers (``rituals/reported_metrics.py``): later reviews take
  the ``/metric`` history from them, and the OKR tracker a KR's metric.
- **Shipped** (an area with ``shipped.labels``): pull requests merged and issues closed as
  completed during W-1 with one of the labels, and the releases published, from listings (never
  search). Read at the opening only; later rewrites keep the list the bot wrote.
- **Metrics**: six weeks per metric (``review.metrics``): the value of W-1, the change on the
  week, the gap to target, a line chart with the same numbers in a table; a missing value is
  flagged, and a file that cannot be read says why for its metrics alone. ``/metric KEY VALUE``
  by the area owner in the review's comments gives W-1's value (applied at once); anyone else's,
  an unknown key or a bad number gets one reply per comment version. Past ``alert``, or off
  target, the owner is mentioned once per metric and week, asking to explain in a comment.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ritual_bot.config import Config
from ritual_bot.markdown import one_line, shorten
from ritual_bot.markers import Marker, first_marker, read_block, render_block
from ritual_bot.model import Comment, Issue, Snapshot
from ritual_bot.moments import Due, instant
from ritual_bot.ops import AddComment, CreateIssue, EnsureLabel, Op, UpdateIssue
from ritual_bot.partial import Stages
from ritual_bot.periods import Period
from ritual_bot.rituals.base import Context, Event, IssueQuery
from ritual_bot.rituals.mermaid import Series, lines
from ritual_bot.rituals.reported_metrics import all_reported, value_marker
from ritual_bot.rituals.review.config import LABEL, Area
from ritual_bot.rituals.review.experiments import (
    Experiment,
    experiment_issues,
    histories_needed,
    label_op,
    problem_reply,
    read_experiments,
    reminder,
    reminder_marker,
    render_experiments,
)
from ritual_bot.rituals.review.metrics import (
    MetricView,
    Value,
    file_tables,
    format_number,
    given_now,
    metric_view,
    shown_weeks,
)
from ritual_bot.rituals.signoff.thread import Authorship, Thread, edited_by_event, version

REVIEW = "review"  # identity: period=W, in the body the bot first wrote
SHIPPED = "review-shipped"  # the block of an area's shipped list (index=n): kept between reads
EXPERIMENTS = "review-experiments"  # the block of an area's experiments, likewise
SUMMARY = "review-summary"  # the closing comment of a week's review
ALERT = "review-alert"  # one mention of the owner per metric and week
REPLY = "review-reply"  # one reply per comment version with a refused /metric
WINDOW = timedelta(hours=2)  # scheduled runs after the opening that open it (a missed hour heals)
LISTED = timedelta(weeks=8)  # reviews listed: the six weeks of history and a margin
COLORS = ("#0969da", "#8c959f")  # the metric, then its target
Refused = list[tuple[Comment, list[str]]]  # comments with /metric lines that do not count, and why


def zone(config: Config) -> ZoneInfo:
    return ZoneInfo(config.timezone)


def opening(config: Config, period: Period) -> datetime:
    review = config.review
    return instant(period.day(review.day), review.time, zone(config))


def current_period(config: Config, now: datetime) -> Period:
    """The week whose review is the latest one due: this week's once its moment has passed."""
    period = Period.of(now.astimezone(zone(config)).date())
    return period if now >= opening(config, period) else period.previous()


def reported_window(config: Config, period: Period) -> tuple[datetime, datetime]:
    """The week before ``period``, Monday 00:00 to Monday 00:00 in the team's timezone."""
    start = datetime.combine(period.previous().monday(), datetime.min.time(), zone(config))
    end = datetime.combine(period.monday(), datetime.min.time(), zone(config))
    return start, end


def identity(snapshot: Snapshot, issue: Issue) -> Period | None:
    """The week of a review the bot opened, from the body it first wrote (SPEC §7)."""
    if not issue.has_label(LABEL):
        return None
    marker = snapshot.first_written(issue, REVIEW)
    try:
        return Period.parse(marker.get("period") or "") if marker else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Shipped:
    title: str
    url: str
    author: str
    kind: str  # "pull", "issue", "release"


class ReviewRitual:
    name = "review"

    def handles(self, event: Event) -> bool:
        if event.is_scheduled:
            return True
        return event.name == "issue_comment" and event.action in {"created", "edited", "deleted"}

    def setup_labels(self) -> Sequence[EnsureLabel]:
        return [EnsureLabel(LABEL, "0e8a16", "The weekly business review (ritual-bot)")]

    def due_on(self, config: Config, day: date) -> Iterator[Due]:
        if config.review.active and day.weekday() == config.review.day:
            yield Due(opening(config, Period.of(day)), "Business review", config.timezone)

    # --- what to read ---------------------------------------------------------------------------

    def _due_now(self, ctx: Context) -> bool:
        if not ctx.event.is_scheduled or not ctx.config.review.active:
            return False
        at = opening(ctx.config, current_period(ctx.config, ctx.now))
        return at <= ctx.now < at + WINDOW

    def _event_issue(self, ctx: Context) -> int | None:
        if ctx.event.is_scheduled or not ctx.config.review.active:
            return None
        return ctx.event.issue_number if LABEL.casefold() in ctx.event.labels else None

    def queries(self, ctx: Context) -> Sequence[IssueQuery]:
        due, event = self._due_now(ctx), self._event_issue(ctx)
        if not due and event is None:
            return ()
        found = [IssueQuery(LABEL, created_after=ctx.now - LISTED)]
        if due and any(a.shipped for a in ctx.config.review.areas):
            # One listing of the issues closed since the week began, whatever their labels: the
            # API's ``labels`` filter keeps issues with all the labels it names
            # (https://docs.github.com/rest/issues/issues#list-repository-issues), so one listing
            # per label otherwise.
            start, _ = reported_window(ctx.config, current_period(ctx.config, ctx.now))
            found.append(IssueQuery("", state="closed", since=start))
        if due:  # every experiment with an area's label, whatever its age or state
            labels = dict.fromkeys(a.experiments for a in ctx.config.review.areas if a.experiments)
            found += [IssueQuery(label) for label in labels]
        return found

    def comments_for(self, ctx: Context, listed: Snapshot) -> Collection[int]:
        event = self._event_issue(ctx)
        if event is not None:
            return {event}
        if not self._due_now(ctx):
            return ()
        period = current_period(ctx.config, ctx.now)
        wanted = {str(period), str(period.previous())}
        reviews = {
            i.number
            for i in listed.issues
            if i.has_label(LABEL)
            and i.comments_count > 0
            and (m := first_marker(i.body, REVIEW)) is not None
            and m.get("period") in wanted
        }
        # Experiments' comments: an owner's result, and whether the bot already reminded.
        labels = [a.experiments for a in ctx.config.review.areas if a.experiments]
        return reviews | {
            i.number
            for label in labels
            for i in experiment_issues(listed, label)
            if i.comments_count > 0
        }

    def issue_numbers(self, ctx: Context) -> Collection[int]:
        event = self._event_issue(ctx)
        return () if event is None else (event,)

    def folders(self, ctx: Context) -> Collection[str]:
        """On scheduled runs the workflow's checkout of the default branch is there: the metric
        files' folders are listed from it, so the files themselves are read from it too, at no
        request (a file at the repository's root still comes through the API)."""
        if ctx.workspace is None or not self._due_now(ctx):
            return ()
        files = [m.file for a in ctx.config.review.areas for m in a.metrics if m.file]
        return {f.rsplit("/", 1)[0] for f in files if "/" in f}

    def people_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        return ()

    def files_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        if not self._due_now(ctx) and self._event_issue(ctx) is None:
            return ()
        return {m.file for a in ctx.config.review.areas for m in a.metrics if m.file}

    def edits_for(self, ctx: Context, snapshot: Snapshot) -> Collection[str]:
        """Reviews people edited (their identity is in the body the bot first wrote, the shipped
        lists in the one it last wrote), and edited ``/metric`` comments whose editor the event
        does not name (who saved the text decides whether it counts)."""
        if not self._due_now(ctx) and self._event_issue(ctx) is None:
            return ()
        found = {
            i.node_id
            for i in snapshot.issues
            if i.has_label(LABEL) and snapshot.is_bot_author(i.author) and not i.untouched
        }
        for issue in snapshot.issues:
            for c in snapshot.comments_on(issue.number) if issue.has_label(LABEL) else ():
                if c.was_edited and "/metric" in c.body and edited_by_event(ctx.event, c) is None:
                    found.add(c.node_id)
        if self._due_now(ctx):
            for label in {a.experiments for a in ctx.config.review.areas if a.experiments}:
                found |= histories_needed(snapshot, experiment_issues(snapshot, label))
        return {n for n in found if n}

    def shipped_window(self, ctx: Context) -> tuple[datetime, datetime] | None:
        if not self._due_now(ctx) or not any(a.shipped for a in ctx.config.review.areas):
            return None
        return reported_window(ctx.config, current_period(ctx.config, ctx.now))

    # --- the plan -------------------------------------------------------------------------------

    def plan(self, ctx: Context, snapshot: Snapshot) -> list[Op]:
        due, event = self._due_now(ctx), self._event_issue(ctx)
        if not due and event is None:
            return []
        period = current_period(ctx.config, ctx.now)
        reviews = {p: i for i in snapshot.issues if (p := identity(snapshot, i)) is not None}
        week = Week(ctx, snapshot, period, reviews)
        current, previous = reviews.get(period), reviews.get(period.previous())
        # This week's review, last week's closing and the experiments each fail alone (SPEC §7).
        stages = Stages()
        if due and current is None:
            stages.run(f"business review {period}", lambda: [*self.setup_labels(), *week.opening()])
        elif current is not None and (due or event == current.number):
            stages.run(f"business review {period}", lambda: week.update(current, shipped_read=due))
        if due and previous is not None and previous.is_open:
            before = Week(ctx, snapshot, period.previous(), reviews)
            stages.run(f"business review {period.previous()}", lambda: before.closing(previous))
        if due:
            stages.run("experiments", week.experiment_ops)
        return stages.result()


@dataclass(frozen=True)
class Week:
    """The review of one week: what it reports, rendered."""

    ctx: Context
    snapshot: Snapshot
    period: Period
    reviews: Mapping[Period, Issue]

    @property
    def reported(self) -> Period:
        return self.period.previous()

    def marker(self) -> Marker:
        return Marker.of(REVIEW, period=str(self.period))

    # --- metrics --------------------------------------------------------------------------------

    def owners(self) -> dict[str, str]:
        return {m.key.casefold(): a.owner for a in self.ctx.config.review.areas for m in a.metrics}

    def thread(self, issue: Issue) -> tuple[Thread, Authorship]:
        thread = Thread.read(self.snapshot, issue)
        return thread, Authorship(self.ctx.event, self.snapshot, thread.refusals())

    def given(
        self, issue: Issue | None
    ) -> tuple[dict[tuple[str, str], Value], list[tuple[Comment, list[str]]]]:
        if issue is None:
            return {}, []
        thread, written = self.thread(issue)
        ordered = sorted(thread.people, key=lambda c: (written(c).at, c.id))
        comments = [(c, written(c).by, written(c).at) for c in ordered]
        return given_now(comments, self.owners(), str(self.reported))

    def history(self) -> dict[tuple[str, str], Value]:
        """``/metric`` values of earlier weeks, as the earlier reviews' bodies recorded them (the
        bot's own markers, written each time a value was given): never re-read from people's
        comments, whose reviews may be long closed."""
        return {
            (r.key.casefold(), r.week): Value(r.value, r.percent, r.url, "/metric")
            for r in all_reported(self.snapshot)
            if r.given and r.week < str(self.reported)
        }

    def views(self, given: Mapping[tuple[str, str], Value]) -> list[MetricView]:
        config = self.ctx.config
        by_file: dict[str, list[str]] = {}
        for area in config.review.areas:
            for metric in area.metrics:
                if metric.file:
                    by_file.setdefault(metric.file, []).append(metric.key)
        files = {
            path: f.content if (f := self.snapshot.files.get(path)) else None for path in by_file
        }
        tables = file_tables(files, by_file)
        weeks = shown_weeks(self.reported)
        values = {**self.history(), **given}
        return [
            metric_view(area, metric, weeks, tables, values)
            for area in config.review.areas
            for metric in area.metrics
        ]

    # --- shipped --------------------------------------------------------------------------------

    def shipped(self, area: Area) -> list[Shipped]:
        start, end = reported_window(self.ctx.config, self.period)
        labels = {label.casefold() for label in area.shipped}
        found = [
            Shipped(p.title, p.url, p.author.login, "pull")
            for p in self.snapshot.pulls
            if labels & {label.casefold() for label in p.labels}
        ]
        found += [
            Shipped(i.title, i.html_url, i.author.login, "issue")
            for i in self.snapshot.issues
            if i.state == "closed"
            and i.state_reason == "completed"
            and i.closed_at is not None
            and start <= i.closed_at < end
            and labels & {label.casefold() for label in i.labels}
        ]
        found += [
            Shipped(r.title, r.url, r.author.login, "release") for r in self.snapshot.releases
        ]
        return found

    def shipped_block(self, index: int, area: Area, issue: Issue | None, read: bool) -> str:
        """The area's shipped list in its own block: listed on the runs that read what shipped,
        else as the bot last wrote it (an event's run does not list pull requests)."""
        if not area.shipped:
            return ""

        def listed() -> str:
            items = [
                {"title": s.title, "url": s.url, "author": s.author, "kind": s.kind}
                for s in self.shipped(area)
            ]
            week = str(self.reported)
            return self.ctx.templates.render("review_shipped.md.j2", items=items, week=week)

        return self.block(f"{SHIPPED}-{index}", issue, read, listed)

    def block(self, name: str, issue: Issue | None, read: bool, listed: Callable[[], str]) -> str:
        """A part of the body read at the opening only (what shipped, the experiments): listed
        on the runs that read it, else kept as the bot last wrote it."""
        if not read and issue is not None:
            kept = read_block(self.snapshot.bot_body(issue), name)
            if kept is not None:
                return render_block(name, kept)
        return render_block(name, listed().strip())

    # --- experiments ----------------------------------------------------------------------------

    def experiments(self, label: str) -> list[Experiment]:
        zone = ZoneInfo(self.ctx.config.timezone)
        today = self.ctx.now.astimezone(zone).date()
        written = Authorship(self.ctx.event, self.snapshot, {})
        return read_experiments(self.snapshot, label, today, written, zone)

    def experiments_block(self, index: int, area: Area, issue: Issue | None, read: bool) -> str:
        """The area's experiments in their own block: listed on the runs that read them (the
        opening's), else as the bot last wrote them."""
        label = area.experiments
        if not label:
            return ""

        def listed() -> str:
            # As they will read once this run's reminders are sent: the body is written once.
            found = [
                replace(e, replied=e.replied | {reminder_marker(e.number)}) if e.reminder_due else e
                for e in self.experiments(label)
            ]
            return render_experiments(self.ctx.templates, found, label)

        return self.block(f"{EXPERIMENTS}-{index}", issue, read, listed)

    def experiment_ops(self) -> list[Op]:
        """The labels experiments need, each finished one's single reminder, and one reply to an
        author whose experiment cannot be read."""
        ops: list[Op] = []
        for label in dict.fromkeys(a.experiments for a in self.ctx.config.review.areas):
            if not label:
                continue
            ops.append(label_op(label))
            for experiment in self.experiments(label):
                for op in (
                    reminder(experiment, self.ctx.templates),
                    problem_reply(experiment, self.ctx.templates),
                ):
                    if op is not None:
                        ops.append(op)
        return ops

    # --- rendering ------------------------------------------------------------------------------

    def body(self, views: Sequence[MetricView], issue: Issue | None, shipped_read: bool) -> str:
        areas: list[dict[str, object]] = []
        for index, area in enumerate(self.ctx.config.review.areas):
            mine = [v for v in views if v.area == area]
            areas.append(
                {
                    "title": area.title,
                    "owner": area.owner,
                    "index": index,
                    "shipped": self.shipped_block(index, area, issue, shipped_read),
                    "metrics": [metric_data(v) for v in mine],
                    "experiments": self.experiments_block(index, area, issue, shipped_read),
                }
            )
        text = self.ctx.templates.render(
            "review_issue.md.j2",
            period=str(self.period),
            reported=str(self.reported),
            areas=areas,
        )
        # The week's values, for a key result that names a metric (rituals/reported_metrics.py).
        values = [
            value_marker(
                v.metric.key,
                str(self.reported),
                v.current.value,
                v.current.percent,
                given=v.current.source == "/metric",
            )
            for v in views
            if v.current is not None
        ]
        hidden = "".join(f"{m.render()}\n" for m in values)
        return f"{self.marker().render()}\n{text.rstrip()}\n\n{hidden}"

    def opening(self) -> list[Op]:
        """The week's issue, then the owners asked to explain, once it exists."""
        views = self.views({})
        title = f"Business review {self.period}"
        opened = CreateIssue(self.marker(), title, self.body(views, None, True), (LABEL,))
        asked = [replace(self.alert(None, v), on=self.marker()) for v in views if v.alert()]
        return [opened, *asked]

    def update(self, issue: Issue, shipped_read: bool) -> list[Op]:
        given, refused = self.given(issue)
        views = self.views(given)
        ops: list[Op] = [self.reply(issue, c, problems) for c, problems in refused]
        body = self.body(views, issue, shipped_read)
        if issue.is_open and body != issue.body:
            ops.append(UpdateIssue(issue.number, body=body))
        if issue.is_open:
            ops += [self.alert(issue, v) for v in views if v.alert()]
        return ops

    def reply(self, issue: Issue, comment: Comment, problems: list[str]) -> AddComment:
        marker = Marker.of(REPLY, comment=str(comment.id), edit=version(comment))
        text = self.ctx.templates.render(
            "okr_kr_reply.md.j2", author=comment.author.login, problems=problems
        )
        return AddComment(issue.number, marker, f"{marker.render()}\n{text}")

    def alert(self, issue: Issue | None, view: MetricView) -> AddComment:
        marker = Marker.of(ALERT, key=view.metric.key, period=str(self.period))
        text = self.ctx.templates.render(
            "review_alert.md.j2",
            owner=view.area.owner,
            key=view.metric.key,
            week=str(self.reported),
            why=view.alert(),
        )
        return AddComment(issue.number if issue else 0, marker, f"{marker.render()}\n{text}")

    def closing(self, issue: Issue) -> list[Op]:
        """The summary comment and the close: each area's numbers, the questions and whether
        they were answered."""
        given, _ = self.given(issue)
        views = self.views(given)
        marker = Marker.of(SUMMARY, period=str(self.period))
        text = self.ctx.templates.render(
            "review_summary.md.j2",
            period=str(self.period),
            reported=str(self.reported),
            areas=[
                {
                    "title": area.title,
                    "metrics": [metric_data(v) for v in views if v.area == area],
                }
                for area in self.ctx.config.review.areas
            ],
            questions=self.questions(issue),
            alerts=self.alerts_answered(issue),
        )
        body = f"{marker.render()}\n{text}"
        # Its body rendered once more as it closes: the values it records are its final ones.
        final = self.body(views, issue, shipped_read=False)
        return [
            AddComment(issue.number, marker, body),
            UpdateIssue(issue.number, body=final, state="closed", state_reason="completed"),
        ]

    def alerts_answered(self, issue: Issue) -> list[dict[str, str]]:
        """Each owner the review asked to explain a metric, and whether they wrote after it."""
        thread, written = self.thread(issue)
        owners = self.owners()
        found = []
        for marker, asked in thread.bot_markers(ALERT):
            key = marker.get("key") or ""
            owner = owners.get(key.casefold(), "")
            answer = next(
                (
                    c
                    for c in sorted(thread.people, key=lambda c: c.id)
                    if c.id > asked.id
                    and c.author.same(owner)
                    and c.author.same(written(c).by or "")
                ),
                None,
            )
            found.append(
                {
                    "key": key,
                    "owner": owner,
                    "url": asked.html_url,
                    "answer_url": answer.html_url if answer else "",
                }
            )
        return found

    def questions(self, issue: Issue) -> list[dict[str, str]]:
        """People's comments that ask something (a ``?`` outside commands), and whether someone
        else wrote after them: a plain, deterministic rule."""
        thread, written = self.thread(issue)
        # Only text as its author wrote it (SPEC §4): a question someone else edited into a
        # comment is not its author's, nor an answer someone else rewrote.
        ordered = sorted(thread.people, key=lambda c: (written(c).at, c.id))
        people = [c for c in ordered if c.author.same(written(c).by or "")]
        found = []
        for index, comment in enumerate(people):
            prose = " ".join(
                line for line in comment.body.splitlines() if not line.lstrip().startswith("/")
            )
            if "?" not in prose:
                continue
            answer = next(
                (c for c in people[index + 1 :] if not c.author.same(comment.author.login)), None
            )
            found.append(
                {
                    "author": comment.author.login,
                    "gist": shorten(one_line(prose), 120),
                    "url": comment.html_url,
                    "answered_by": answer.author.login if answer else "",
                    "answer_url": answer.html_url if answer else "",
                }
            )
        return found


def metric_data(view: MetricView) -> dict[str, object]:
    current, target = view.current, view.metric.target
    gap = view.gap
    return {
        "key": view.metric.key,
        "value": str(current) if current else "",
        "source": current.source if current else "",
        "url": current.url if current else "",
        "change": view.change_text(),
        "target": str(target) if target else "",
        "gap": format_number(abs(gap), current.percent if current else False) if gap else "",
        "reached": gap is not None and gap <= 0,
        "missing": [w for w, v in zip(view.weeks, view.values, strict=True) if v is None],
        "problems": list(view.problems),
        "chart": chart(view),
        "weeks": [
            {"week": w, "value": str(v) if v else "-"}
            for w, v in zip(view.weeks, view.values, strict=True)
        ],
        "alert": view.alert(),
    }


def chart(view: MetricView) -> str:
    """A line of the weeks that have a value, with the target as a second line; none for fewer
    than two values or a negative one (the chart's axis starts at 0)."""
    known = [(w, v.value) for w, v in zip(view.weeks, view.values, strict=True) if v is not None]
    target = view.metric.target
    if len(known) < 2 or min(v for _, v in known) < 0:
        return ""
    top = int(max([v for _, v in known] + [target.value if target else 0]) * 1.1) + 1
    layers = [Series(view.metric.key, COLORS[0], tuple(v for _, v in known))]
    if target is not None and target.value >= 0:
        layers.append(Series("target", COLORS[1], tuple(target.value for _ in known)))
    weeks = [w.split("-")[1] for w, _ in known]
    return lines(f"{view.metric.key}, last six weeks", weeks, layers, view.metric.key, top)
