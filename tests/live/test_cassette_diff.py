"""The structural cassette diff: what it reports, and its exit status."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.gateway import recording
from tests.live.diff_cassettes import compare_dirs, main, shape


def _copy_sandbox(tmp_path: Path) -> Path:
    live = tmp_path / "live"
    shutil.copytree(recording.SANDBOX_CASSETTES, live)
    return live


def test_shape_reads_lists_as_the_union_of_their_items() -> None:
    found = shape({"labels": [{"name": "a"}, {"name": None, "color": "fff"}], "n": 1})
    assert found == {
        "$": {"object"},
        "$.labels": {"array"},
        "$.labels[]": {"object"},
        "$.labels[].name": {"str", "null"},
        "$.labels[].color": {"str"},
        "$.n": {"number"},
    }


def test_values_do_not_count_but_structure_does(tmp_path: Path) -> None:
    live = _copy_sandbox(tmp_path)
    path = live / "open_and_list.yaml"
    data = recording.ReadableYaml.deserialize(path.read_text(encoding="utf-8"))
    created = data["interactions"][0]
    body = json.loads(created["response"]["body"]["string"])
    body["number"] = 4711  # a value: not reported
    body["title"] = "Another title"  # a value: not reported
    del body["locked"]
    body["active_lock_reason"] = "spam"  # null in the sandbox
    body["performed_via_github_app"] = {"slug": "x"}
    created["response"]["body"]["string"] = json.dumps(body)
    created["response"]["status"]["code"] = 200
    created["response"]["headers"]["x-github-request-id"] = ["AB:CD"]
    created["response"]["headers"]["content-type"] = ["text/html"]
    path.write_text(recording.ReadableYaml.serialize(data), encoding="utf-8")
    (live / "bad_token.yaml").unlink()

    report = compare_dirs(recording.SANDBOX_CASSETTES, live)

    assert report["bad_token.yaml"] == ["no live cassette"]
    where = "#1 POST /repos/acme/team/issues: "
    assert report["open_and_list.yaml"] == [
        where + "status: sandbox 201, live 200",
        where + "header x-github-request-id: only in live",
        where + "header content-type: sandbox 'application/json; charset=utf-8', live 'text/html'",
        where + "response body $.active_lock_reason: sandbox null, live str",
        where + "response body $.locked: only in sandbox (bool)",
        where + "response body $.performed_via_github_app: sandbox null, live object",
        where + "response body $.performed_via_github_app.slug: only in live (str)",
    ]
    assert set(report) == {"bad_token.yaml", "open_and_list.yaml"}


def test_exit_status_says_same_different_or_nothing_to_compare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = ["--sandbox", str(recording.SANDBOX_CASSETTES)]
    (tmp_path / "empty").mkdir()
    assert main([*sandbox, "--live", str(tmp_path / "empty")]) == 2
    assert "record them first" in capsys.readouterr().err

    live = _copy_sandbox(tmp_path)
    assert main([*sandbox, "--live", str(live)]) == 0
    assert "same structure" in capsys.readouterr().out

    (live / "missing_repo.yaml").unlink()
    assert main([*sandbox, "--live", str(live)]) == 1
    assert capsys.readouterr().out == "missing_repo.yaml\n  no live cassette\n"
