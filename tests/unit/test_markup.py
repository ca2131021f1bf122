"""councilpack.markup: data values become text, never markup."""

from __future__ import annotations

import html as html_module
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from councilpack.markup import Markdown, bullets, css_string, escape, join, md, sanitise_html

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


# A CSS escape as CSS Syntax Level 3 reads it (section 4.3.7): a backslash, one to six hex
# digits and at most one whitespace character, which the escape consumes.
_CSS_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{1,6})[ \t\n]?")


def _read_css_string(token: str) -> str:
    """Decode a double-quoted CSS string made only of plain characters and hex escapes."""
    assert token.startswith('"'), token
    assert token.endswith('"'), token
    return _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), token[1:-1])


HOSTILE_CSS = [
    'Saint "Quote" \\ Backslash',
    "</style><script>alert(1)</script>",
    "line one\nline two\r\f\ttab",
    "Tom & Jerry &amp; &lt;b&gt;",
    "a; } body { display: none } @page { @bottom-left { content: 'x' } }",
    "/* comment */ url(javascript:alert(1)) expression(alert(1))",
    "St Helens \u00b7 Ynys M\u00f4n \u2014 \u00a3 \U0001f600",
    "\\\n\\",
    "",
]


@pytest.mark.parametrize("text", HOSTILE_CSS)
def test_css_string_leaves_only_letters_digits_spaces_and_escapes(text: str) -> None:
    token = css_string(text)
    # Nothing that could end the string, the declaration, the rule or the <style> element.
    assert re.fullmatch(r'"(?:[A-Za-z0-9 ]|\\[0-9A-F]{6} )*"', token), token
    assert _read_css_string(token) == text


def test_css_string_escapes_a_space_after_an_escape_on_its_own() -> None:
    # The escape consumes one following space; the text's own space must survive it.
    assert css_string("a: b") == '"a\\00003A  b"'
    assert _read_css_string(css_string("a: b")) == "a: b"


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_css_string_reads_back_as_the_same_text(text: str) -> None:
    assert _read_css_string(css_string(text)) == text
