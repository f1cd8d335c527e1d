"""Issue text shown as github.com shows it: GFM rendered, hostile HTML made harmless."""

from __future__ import annotations

from ritual_bot.markdown import MENTION_BREAKER
from ritual_bot.sandbox.gfm import render


def test_tables_task_lists_strikethrough_details_and_hidden_comments() -> None:
    html = render(
        "<!-- ritual-bot:checkin {} -->\n<details open><summary>More</summary>\n\n"
        "| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\n</details>\n\n- [ ] todo\n- [x] done\n"
    )
    assert "ritual-bot:checkin" not in html
    assert "<details open><summary>More</summary>" in html
    assert "<td><s>2</s></td>" in html
    assert (
        '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox"> todo' in html
    )
    assert 'checked="checked" disabled="disabled" type="checkbox"> done' in html


def test_mentions_emoji_and_line_breaks() -> None:
    html = render(f"hi @alice :tada: :+1:\nmail a@b.io, `@bob`, @{MENTION_BREAKER}carol")
    assert '<a class="user-mention" href="/alice">@alice</a> 🎉 👍<br />' in html
    assert "a@b.io" in html and "<code>@bob</code>" in html
    assert 'href="/carol"' not in html  # a broken mention stays text, as on GitHub
    assert render("a\nb", breaks=False) == "<p>a\nb</p>\n"  # a file's text: no hard break
    assert render(":fire: :no_such_emoji: 12:30:45") == "<p>🔥 :no_such_emoji: 12:30:45</p>\n"


def test_mermaid_blocks_keep_their_source_escaped_for_the_script() -> None:
    html = render('```mermaid\nxychart-beta\n  title "<b>&"\n```\n')
    assert html == '<pre class="mermaid">xychart-beta\n  title &quot;&lt;b&gt;&amp;&quot;\n</pre>\n'


def test_no_markup_a_post_writes_can_run() -> None:
    hostile = (
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        '<details ontoggle="alert(1)" open><summary onclick=alert(1)>x</summary></details>\n\n'
        "[link](javascript:alert(1)) <a href='javascript:alert(1)'>a</a> "
        '<input class="task-list-item-checkbox" onclick="alert(1)">\n\n<style>*{}</style>'
    )
    html = render(hostile)
    for bad in ("<script", "<img", "<a href='javascript", 'onclick="', "<style", "ontoggle="):
        assert bad not in html, bad
    assert 'href="javascript' not in html
    assert "<details open><summary>x</summary></details>" in html
