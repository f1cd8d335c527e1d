"""The web page: html_urls open it, user text is escaped, anyone can comment as any user."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

from ritual_bot.sandbox import Sandbox


def _fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode()


def test_index_lists_repos_and_issues(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="Weekly HPFO", user="alice")
    status, _, page = _fetch(url + "/")
    assert status == 200 and "acme/team" in page
    status, _, listing = _fetch(url + "/acme/team/issues")
    assert status == 200 and "Weekly HPFO</a>" in listing and "#1 opened" in listing


def test_html_url_opens_the_issue_page_with_escaped_text(sandbox: Sandbox, url: str) -> None:
    issue = sandbox.create_issue(
        "acme/team", title="<script>alert(1)</script>", body="a & <b>b</b>", user="alice"
    )
    comment = sandbox.create_comment(
        "acme/team", 1, body="<img src=x onerror=alert(1)>", user="bob"
    )
    status, _, page = _fetch(issue["html_url"])
    assert status == 200
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "a &amp; <b>b</b>" in page  # GitHub keeps <b>, rebuilt bare
    assert "onerror=alert(1)>" not in page
    assert f"id='issuecomment-{comment['id']}'" in page


def test_comment_form_posts_as_the_chosen_user(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    form = urlencode({"repo": "acme/team", "number": "1", "user": "carol", "body": "P: <done>"})
    status, landed, page = _fetch(url + "/_sandbox/comment", form.encode())
    assert status == 200 and "/acme/team/issues/1" in landed
    assert "P: &lt;done&gt;" in page
    [comment] = sandbox.comments("acme/team", 1)
    assert comment["user"]["login"] == "carol" and comment["body"] == "P: <done>"
    assert sandbox.requests == []  # the web page is not API traffic


def test_cross_site_posts_are_refused(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    form = urlencode({"repo": "acme/team", "number": "1", "user": "bob", "body": "x"})
    status, _, _ = _fetch(
        url + "/_sandbox/comment", form.encode(), {"Origin": "http://evil.example"}
    )
    assert status == 403
    assert sandbox.comments("acme/team", 1) == []


def test_unknown_pages_and_raw_files(sandbox: Sandbox, url: str) -> None:
    assert _fetch(url + "/acme/team/issues/9")[0] == 404
    sandbox.put_file("acme/team", "docs/a.md", "# A\n", user="alice")
    token = sandbox.actions_token("acme/team")
    request = urllib.request.Request(
        url + "/repos/acme/team/contents/docs/a.md", headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        download = json.loads(response.read())["download_url"]
    assert _fetch(download)[2] == "# A\n"


def _act(url: str, fields: dict[str, str], cookie: str = "") -> tuple[int, str, str]:
    headers = {"Cookie": cookie} if cookie else {}
    result: tuple[int, str, str] = _fetch(
        url + "/_sandbox/act", urlencode(fields).encode(), headers
    )
    return result


def test_the_list_filters_by_state_and_label(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="Open one", user="alice", labels=["bug"])
    sandbox.create_issue("acme/team", title="Other", user="alice")
    sandbox.create_issue("acme/team", title="Closed one", user="alice", labels=["bug"])
    sandbox.set_issue_state("acme/team", 3, "closed", state_reason="completed")
    page = _fetch(url + "/acme/team/issues?label=bug")[2]
    assert "Open one" in page and "Other" not in page and "Closed one" not in page
    page = _fetch(url + "/acme/team/issues?" + urlencode({"label": "BUG", "state": "all"}))[2]
    assert "Open one" in page and "Closed one" in page and "Other" not in page


def test_a_chart_block_is_served_for_the_vendored_mermaid_to_draw(
    sandbox: Sandbox, url: str
) -> None:
    sandbox.create_issue("acme/team", title="d", body="```mermaid\npie\n```", user="alice")
    page = _fetch(url + "/acme/team/issues/1")[2]
    assert '<pre class="mermaid">pie\n</pre>' in page
    assert "src='/_sandbox/static/mermaid.tiny.js'" in page
    status, _, script = _fetch(url + "/_sandbox/static/mermaid.tiny.js")
    assert status == 200 and len(script) > 1_000_000
    assert _fetch(url + "/_sandbox/static/../core.py")[0] == 404


def test_actions_need_the_role_github_asks_for(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    sandbox.set_permission("acme/team", "mallory", "read")
    base = {"repo": "acme/team", "number": "1", "back": "/acme/team/issues/1"}
    status, _, page = _act(url, {**base, "do": "label", "label": "bug", "user": "mallory"})
    assert status == 422 and "it takes the triage role" in page
    status, _, _ = _act(url, {**base, "do": "close", "reason": "completed", "user": "mallory"})
    assert status == 422 and sandbox.issue("acme/team", 1)["state"] == "open"
    assert _act(url, {**base, "do": "label", "label": "bug", "user": "bob"})[0] == 200
    assert [lb["name"] for lb in sandbox.issue("acme/team", 1)["labels"]] == ["bug"]
    assert _act(url, {**base, "do": "close", "reason": "not_planned", "user": "alice"})[0] == 200
    assert sandbox.issue("acme/team", 1)["state_reason"] == "not_planned"


def test_edit_and_delete_as_the_author_only(sandbox: Sandbox, url: str) -> None:
    sandbox.add_repo("acme/public", private=False)  # where people with no role still comment
    sandbox.create_issue("acme/public", title="t", user="alice")
    sandbox.add_user("mallory")
    comment = sandbox.create_comment("acme/public", 1, body="first", user="mallory")
    base = {"repo": "acme/public", "comment": str(comment["id"]), "back": "/acme/public/issues/1"}
    assert _act(url, {**base, "do": "edit", "body": "second", "user": "mallory"})[0] == 200
    assert sandbox.comments("acme/public", 1)[0]["body"] == "second"
    sandbox.add_user("eve")
    assert _act(url, {**base, "do": "delete", "user": "eve"})[0] == 422
    assert _act(url, {**base, "do": "delete", "user": "mallory"})[0] == 200
    assert sandbox.comments("acme/public", 1) == []
    # In a private repository, no role means not even seeing it.
    sandbox.create_issue("acme/team", title="t", user="alice")
    fields = {"repo": "acme/team", "number": "1", "do": "comment", "body": "x", "user": "eve"}
    status, _, page = _act(url, fields)
    assert status == 422 and "cannot see the private repository" in page


def test_the_chosen_identity_is_a_same_site_cookie(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    request = urllib.request.Request(
        url + "/_sandbox/act",
        data=urlencode({"repo": "acme/team", "do": "as", "user": "carol", "back": "/"}).encode(),
    )

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    try:
        urllib.request.build_opener(Keep).open(request, timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 303
        cookie = error.headers["Set-Cookie"]
    assert cookie.startswith("ritual_bot_as=carol;") and "SameSite=Strict" in cookie
    fields = {"repo": "acme/team", "number": "1", "do": "comment", "body": "hi"}
    assert _act(url, fields, "ritual_bot_as=carol")[0] == 200
    assert sandbox.comments("acme/team", 1)[0]["user"]["login"] == "carol"


def test_a_long_thread_hides_its_middle_until_asked(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    for n in range(45):
        sandbox.create_comment("acme/team", 1, body=f"comment number {n}.", user="bob")
    page = _fetch(url + "/acme/team/issues/1")[2]
    shown = [n for n in range(45) if f"comment number {n}." in page]
    assert shown == [*range(20), *range(25, 45)]
    assert "5 hidden comments" in page and "href='/acme/team/issues/1?all=1'" in page
    every = _fetch(url + "/acme/team/issues/1?all=1")[2]
    assert all(f"comment number {n}." in every for n in range(45))


def test_back_is_only_ever_a_path_on_this_site(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    for back in ("//evil.example/x", "/\\evil.example", "https://evil.example/", "/a\r\nX: y"):
        fields = {"repo": "acme/team", "number": "1", "do": "as", "user": "bob", "back": back}
        status, landed, _ = _act(url, fields)
        assert status == 200 and landed == f"{url}/acme/team/issues", back


class _Controls(HTMLParser):
    """Every form control a person fills or picks, and the names labels give them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, str | None]] = []  # (tag, id), None when wrapped in a label
        self.labelled: set[str] = set()
        self._open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label":
            self._open_labels += 1
            if found.get("for"):
                self.labelled.add(str(found["for"]))
        elif tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.controls.append((tag, None if self._open_labels else found.get("id")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._open_labels -= 1


def test_every_control_has_a_label_for_screen_readers(sandbox: Sandbox, url: str) -> None:
    sandbox.create_issue("acme/team", title="t", user="alice")
    sandbox.create_comment("acme/team", 1, body="c", user="bob")
    sandbox.put_file("acme/team", ".github/ISSUE_TEMPLATE/f.yml", FORM, user="alice")
    for path in (
        "/acme/team/issues",
        "/acme/team/issues/1",
        "/acme/team/issues/new",
        "/acme/team/issues/new?template=f.yml",
    ):
        parser = _Controls()
        parser.feed(_fetch(url + path)[2])
        assert parser.controls, path
        unlabelled = [
            c for c in parser.controls if c[1] is not None and c[1] not in parser.labelled
        ]
        assert unlabelled == [], path


FORM = """\
name: F
body:
  - type: input
    id: who
    attributes: {label: Who, placeholder: "@a"}
  - type: textarea
    id: why
    attributes: {label: Why}
"""
