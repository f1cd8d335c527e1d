"""ActionsRuntime against the runner's side of the protocol.

The first half re-implements how the runner parses what we write, after actions/runner
``ActionCommand.cs`` (command lines) and its file-command reader (``GITHUB_OUTPUT``), so the tests
check round trips against a reader, not against our own writer.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ritual_bot.actions_runtime import (
    ActionsRuntime,
    escape_data,
    escape_property,
    format_command,
)

# -- the runner's reader --------------------------------------------------------------------------

# The runner unescapes by plain replacement in this order, with `%25` last so that an escaped `%`
# is never re-read as the start of another escape.
_DATA_UNESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
_PROPERTY_UNESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))


def unescape_data(text: str) -> str:
    for escaped, raw in _DATA_UNESCAPES:
        text = text.replace(escaped, raw)
    return text


def unescape_property(text: str) -> str:
    for escaped, raw in _PROPERTY_UNESCAPES:
        text = text.replace(escaped, raw)
    return text


@dataclass(frozen=True)
class Command:
    name: str
    properties: dict[str, str] = field(default_factory=dict)
    data: str = ""


def parse_command(line: str) -> Command | None:
    """``::name k=v,k=v::data`` → Command, or None when the line is not a command."""
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    head, data = line[2:end], line[end + 2 :]
    name, _, props_text = head.partition(" ")
    properties: dict[str, str] = {}
    for pair in filter(None, props_text.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape_property(value)
    return Command(name, properties, unescape_data(data))


def parse_commands(output: str) -> list[Command]:
    return [c for c in map(parse_command, output.splitlines()) if c is not None]


def parse_output_file(text: str) -> dict[str, str]:
    """Read a GITHUB_OUTPUT file: ``name=value`` lines and ``name<<DELIM`` … ``DELIM`` blocks."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines):
        line = lines[i]
        heredoc, equals = line.find("<<"), line.find("=")
        if heredoc >= 0 and (equals < 0 or heredoc < equals):
            name, delimiter = line[:heredoc], line[heredoc + 2 :]
            end = lines.index(delimiter, i + 1)  # ValueError = unterminated, as the runner fails
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
        else:
            name, _, value = line.partition("=")
            outputs[name] = value
            i += 1
    return outputs


# -- fixtures -------------------------------------------------------------------------------------

TOKEN = "ghs_s3cr3tTOKENvalue0123456789"


@dataclass
class Run:
    """An Actions run as the runner sees it: stdout text and the two environment files."""

    runtime: ActionsRuntime
    stdout: io.StringIO
    output_file: Path
    summary_file: Path

    def commands(self) -> list[Command]:
        return parse_commands(self.stdout.getvalue())

    def outputs(self) -> dict[str, str]:
        return parse_output_file(self.output_file.read_bytes().decode("utf-8"))


@pytest.fixture
def run(tmp_path: Path) -> Run:
    output_file, summary_file = tmp_path / "output", tmp_path / "summary"
    output_file.touch()
    summary_file.touch()
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(output_file),
        "GITHUB_STEP_SUMMARY": str(summary_file),
        "GITHUB_TOKEN": TOKEN,
    }
    stdout = io.StringIO()
    return Run(ActionsRuntime.from_env(env, stdout), stdout, output_file, summary_file)


# -- escaping -------------------------------------------------------------------------------------

NASTY = "50% done: a,b\r\nnext line %0A %25 ::x"


def test_escape_data_uses_percent_encoding_for_percent_and_line_breaks() -> None:
    assert escape_data("100%\r\n") == "100%25%0D%0A"
    assert escape_data("a:b,c") == "a:b,c"  # data may contain `:` and `,`


def test_escape_property_also_escapes_colon_and_comma() -> None:
    assert escape_property("C:\\x,y%\n") == "C%3A\\x%2Cy%25%0A"


def test_annotation_properties_and_message_round_trip_through_the_runner(run: Run) -> None:
    run.runtime.error(NASTY, file="src/a,b:c.py", line=3, col=7, title=NASTY)

    (command,) = [c for c in run.commands() if c.name == "error"]
    assert command.data == NASTY
    assert command.properties == {"file": "src/a,b:c.py", "line": "3", "col": "7", "title": NASTY}


def test_annotation_is_one_line_whatever_the_message(run: Run) -> None:
    run.runtime.warning("first\nsecond\r\nthird")
    last = run.stdout.getvalue().splitlines()[-1]
    assert last == "::warning::first%0Asecond%0D%0Athird"


def test_unset_properties_are_left_out() -> None:
    assert format_command("notice", {"file": None, "line": 4}, "m") == "::notice line=4::m"
    assert format_command("notice", {"file": None}, "m") == "::notice::m"


@pytest.mark.parametrize("level", ["error", "warning", "notice"])
def test_each_level_writes_its_command(run: Run, level: str) -> None:
    getattr(run.runtime, level)("msg", file="f.py", line=1)
    assert run.commands()[-1] == Command(level, {"file": "f.py", "line": "1"}, "msg")


@given(st.text())
def test_any_text_round_trips_through_data_escaping(text: str) -> None:
    assert unescape_data(escape_data(text)) == text
    assert "\n" not in escape_data(text) and "\r" not in escape_data(text)


@given(st.text())
def test_any_text_round_trips_through_property_escaping(text: str) -> None:
    escaped = escape_property(text)
    assert unescape_property(escaped) == text
    assert not set(escaped) & set(",:\r\n")


@given(st.text(), st.text(), st.text())
def test_any_command_parses_back(message: str, file: str, title: str) -> None:
    line = format_command("error", {"file": file, "title": title}, message)
    props = {k: v for k, v in {"file": file, "title": title}.items() if v}
    parsed = parse_command(line)
    assert parsed is not None
    assert (parsed.data, {k: v for k, v in parsed.properties.items() if v}) == (message, props)


# -- debug, groups, plain echo --------------------------------------------------------------------


def test_debug_is_a_command(run: Run) -> None:
    run.runtime.debug("50%\nmore")
    assert run.commands()[-1] == Command("debug", {}, "50%\nmore")


def test_group_wraps_its_body(run: Run) -> None:
    with run.runtime.group("Planning: 3 ops"):
        run.runtime.notice("inside")
    assert [c.name for c in run.commands()[-3:]] == ["group", "notice", "endgroup"]
    assert run.commands()[-3].data == "Planning: 3 ops"


def test_group_closes_when_the_body_raises(run: Run) -> None:
    with pytest.raises(RuntimeError), run.runtime.group("apply"):
        raise RuntimeError("GitHub said no")
    assert run.stdout.getvalue().splitlines()[-1] == "::endgroup::"


def test_echo_stops_command_processing_around_user_text(run: Run) -> None:
    body = "looks harmless\n::add-mask::everything\n::error::fake"
    run.runtime.echo(body)
    lines = run.stdout.getvalue().splitlines()
    stop = lines.index(next(ln for ln in lines if ln.startswith("::stop-commands::")))
    token = lines[stop].removeprefix("::stop-commands::")
    assert len(token) >= 32
    assert lines[stop + 1 : stop + 4] == body.splitlines()
    assert lines[stop + 4] == f"::{token}::"


def test_echo_of_ordinary_text_is_just_printed(run: Run) -> None:
    run.runtime.echo("hello: world")
    assert run.stdout.getvalue().splitlines()[-1] == "hello: world"


# -- masking --------------------------------------------------------------------------------------


def test_token_is_masked_before_anything_else_is_written(run: Run) -> None:
    run.runtime.notice(f"using {TOKEN}")
    with run.runtime.group(TOKEN):
        run.runtime.error("x", title=TOKEN)
    lines = run.stdout.getvalue().splitlines()
    assert lines[0] == f"::add-mask::{TOKEN}"
    assert [ln for ln in lines if TOKEN in ln] == [lines[0]]


def test_masked_values_are_redacted_from_everything_written(run: Run) -> None:
    run.runtime.add_mask("hunter2")
    run.runtime.set_output("plan", "password hunter2")
    run.runtime.append_summary("pw: hunter2")
    run.runtime.echo("::x hunter2")
    assert run.outputs()["plan"] == "password ***"
    assert "hunter2" not in run.summary_file.read_text(encoding="utf-8")
    rest = run.stdout.getvalue().split("::add-mask::hunter2\n", 1)[1]
    assert "hunter2" not in rest


def test_multi_line_secret_is_masked_line_by_line(run: Run) -> None:
    run.runtime.add_mask("line one\nline two\n")
    masks = [c.data for c in run.commands() if c.name == "add-mask"]
    assert {"line one", "line two"} <= set(masks)


def test_blank_values_are_not_masked(run: Run) -> None:
    before = run.stdout.getvalue()
    run.runtime.add_mask("")
    run.runtime.add_mask("  \n")
    assert run.stdout.getvalue() == before


def test_repr_does_not_show_the_token(run: Run) -> None:
    assert TOKEN not in repr(run.runtime)


# -- outputs --------------------------------------------------------------------------------------


def test_outputs_parse_back_including_multi_line_values(run: Run) -> None:
    values = {
        "plain": "3 issues",
        "multi": "line 1\nline 2\n\nline 4",
        "trailing": "ends with newline\n",
        "empty": "",
        "tricky": "x=1\ny<<EOF\nEOF",
    }
    for name, value in values.items():
        run.runtime.set_output(name, value)
    assert run.outputs() == values


def test_output_file_uses_the_heredoc_form(run: Run) -> None:
    run.runtime.set_output("count", "3")
    first, value, last = run.output_file.read_bytes().decode("utf-8").splitlines()
    delimiter = first.removeprefix("count<<")
    assert delimiter.startswith("ghadelimiter_") and (value, last) == ("3", delimiter)


def test_delimiter_found_in_the_value_is_replaced(tmp_path: Path) -> None:
    output_file = tmp_path / "output"
    delimiters: Iterator[str] = iter(["ghadelimiter_1", "ghadelimiter_2"])
    runtime = ActionsRuntime(
        io.StringIO(),
        in_actions=True,
        output_path=output_file,
        delimiter_factory=lambda: next(delimiters),
    )
    sneaky = "a\nghadelimiter_1\nb<<x\nghadelimiter_1"
    runtime.set_output("body", sneaky)
    text = output_file.read_bytes().decode("utf-8")
    assert text.startswith("body<<ghadelimiter_2\n")
    assert parse_output_file(text) == {"body": sneaky}


@given(value=st.text(st.characters(blacklist_characters="\r", blacklist_categories=["Cs"])))
def test_any_value_round_trips_through_the_output_file(
    tmp_path_factory: pytest.TempPathFactory, value: str
) -> None:
    # "\r" is left out: the runner reads CRLF as one line break, so a lone trailing "\r" is
    # indistinguishable from a Windows line ending. Nothing the bot outputs contains one.
    output_file = tmp_path_factory.mktemp("output") / "output"
    runtime = ActionsRuntime(io.StringIO(), in_actions=True, output_path=output_file)
    runtime.set_output("value", value)
    assert parse_output_file(output_file.read_bytes().decode("utf-8")) == {"value": value}


def test_lone_surrogates_are_replaced_rather_than_crashing(run: Run) -> None:
    run.runtime.set_output("body", "bad \ud800 char")
    run.runtime.notice("bad \udfff char")
    assert run.outputs()["body"] == "bad ? char"
    assert run.commands()[-1].data == "bad ? char"


@pytest.mark.parametrize("name", ["", "a b", "x=y", "a<<b", "new\nline", "1st"])
def test_bad_output_names_are_refused(run: Run, name: str) -> None:
    with pytest.raises(ValueError, match="output name"):
        run.runtime.set_output(name, "v")


# -- outside Actions ------------------------------------------------------------------------------


def test_nothing_is_written_when_the_runner_variables_are_absent(tmp_path: Path) -> None:
    stdout = io.StringIO()
    runtime = ActionsRuntime.from_env({"GITHUB_TOKEN": TOKEN}, stdout)
    runtime.set_output("count", "3")
    runtime.append_summary("# hi")
    runtime.debug("invisible")
    with runtime.group("Plan"):
        pass
    assert not runtime.in_actions
    assert stdout.getvalue() == "Plan\n"
    assert list(tmp_path.iterdir()) == []


def test_annotations_print_plainly_and_redacted_outside_actions() -> None:
    stdout = io.StringIO()
    runtime = ActionsRuntime.from_env({"GITHUB_TOKEN": TOKEN}, stdout)
    runtime.error(f"bad token {TOKEN}", file=".github/rituals.yml", line=3, col=5, title="config")
    runtime.warning("just a warning")
    assert stdout.getvalue().splitlines() == [
        "error: .github/rituals.yml:3:5: config: bad token ***",
        "warning: just a warning",
    ]


def test_in_actions_needs_the_exact_value_true() -> None:
    assert ActionsRuntime.from_env({"GITHUB_ACTIONS": "true"}, io.StringIO()).in_actions
    assert not ActionsRuntime.from_env({"GITHUB_ACTIONS": "1"}, io.StringIO()).in_actions
