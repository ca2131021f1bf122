"""councilpack.markup: data values become text, never markup."""

from __future__ import annotations

import html as html_module
import re

import pytest
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from councilpack.markup import Markdown, bullets, escape, join, md, sanitise_html

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "**bold** _it_ `code` $x$ ~~s~~ | a | b |",
    "# heading",
    "line one\n\n- a list\n\n<b>",
    "{0} {name} \\ & &amp; &lt;",
    "1. numbered",
]


def _render(markdown: str) -> str:
    """Render Markdown the way nbconvert renders a notebook's Markdown output."""
    renderer = IPythonRenderer(escape=False, anchor_link_text="")
    return MarkdownWithMath(renderer=renderer).render(markdown)


def _text(html: str) -> str:
    """The text a reader sees in a rendered fragment (tags dropped, entities decoded)."""
    return html_module.unescape(re.sub(r"<[^>]+>", "", html)).strip()


@pytest.mark.parametrize("value", HOSTILE)
def test_escaped_value_renders_as_its_own_text(value: str) -> None:
    rendered = _render(escape(value))
    # One paragraph, no other element: nothing in the value became markup.
    assert rendered.startswith("<p>"), rendered
    assert rendered.count("<") == 2, rendered
    # Line breaks are folded to spaces; every other character reads as written.
    assert _text(rendered) == " ".join(value.split())


def test_md_escapes_values_but_keeps_its_template() -> None:
    text = md("**{name}** has {count:,} staff", name="<b>X</b> *Y*", count=12000)
    assert isinstance(text, Markdown)
    assert _render(text) == "<p><strong>&lt;b&gt;X&lt;/b&gt; *Y*</strong> has 12,000 staff</p>\n"


def test_markdown_values_are_inserted_as_built() -> None:
    inner = md("**{}**", "<i>")
    assert md("A {} B", inner) == "A **&lt;i&gt;** B"
    assert join(", ", [inner, "<i>"]) == "**&lt;i&gt;**, &lt;i&gt;"


def test_bullets_escape_plain_items() -> None:
    rendered = _render(bullets(["<img src=x onerror=alert(1)>", md("**{}**", "ok")]))
    assert "<img" not in rendered
    assert rendered.count("<li>") == 2
    assert "<strong>ok</strong>" in rendered


def test_a_plain_string_is_escaped_whole() -> None:
    assert escape("**a**") == "\\*\\*a\\*\\*"
    assert escape(Markdown("**a**")) == "**a**"


def test_sanitiser_drops_scripts_handlers_and_javascript_links() -> None:
    dirty = (
        '<h2 id="s">Summary</h2><p onclick="x()">Hi<img src=x onerror=alert(1)>'
        '<script>alert(2)</script><a href="javascript:alert(3)">j</a>'
        '<a href="https://www.gov.uk">g</a><style>p{}</style><iframe src="x"></iframe></p>'
        "<table class='cp-data'><tr><th scope='row' aria-label='r'>r</th></tr></table>"
    )
    assert sanitise_html(dirty) == (
        '<h2 id="s">Summary</h2><p>Hi<a>j</a><a href="https://www.gov.uk">g</a></p>'
        '<table class="cp-data"><tbody><tr><th scope="row" aria-label="r">r</th></tr></tbody>'
        "</table>"
    )
