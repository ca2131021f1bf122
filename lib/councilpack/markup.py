r"""Text from input files reaches a report as data, never as markup.

Council names, codebook titles, statement wording, group labels and HR
periods come from files a council (or anyone) can edit. Put into Markdown
as they are, ``<img src=x onerror=...>`` runs in the reader's browser and
``**`` or ``[link](...)`` changes the page. Two layers stop that:

1. **Escaping by construction.** Narrative Markdown is built with :func:`md`,
   whose template is trusted (written in this package) and whose substituted
   values are escaped; the result is a :class:`Markdown` string. :func:`show`
   displays a :class:`Markdown` as it is and escapes any other string
   entirely, so text that was not built from escaped parts is shown as text.
2. **Sanitising the output.** The HTML export passes every Markdown and HTML
   output of a report through :func:`sanitise_html`, an allow-list sanitiser
   (``nh3``): no script, event handler, style, image or ``javascript:`` link
   survives, whatever a library function forgot to escape.

Examples
--------
>>> md("**{name}** spends {amount}", name="<img src=x onerror=alert(1)>", amount="£2.2m")
'**&lt;img src=x onerror=alert\\(1\\)&gt;** spends £2\\.2m'
>>> bullets(["A *fine* council", md("**{x}**", x="bold")])
'- A \\*fine\\* council\n- **bold**'
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from typing import Any

import nh3

__all__ = ["Markdown", "bullets", "css_string", "escape", "join", "md", "sanitise_html", "show"]

# Every ASCII punctuation character Markdown (CommonMark, GFM, nbconvert's mistune with
# maths) gives a meaning to, escaped with a backslash. "&", "<" and ">" become entities
# instead: a backslash before "&" would stop "&lt;" from being read as an entity.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")
_WHITESPACE = re.compile(r"\s+")
# Characters a CSS string may hold as they are; every other one is written as an escape.
_CSS_PLAIN = re.compile(r"[^A-Za-z0-9 ]")


class Markdown(str):
    """Markdown whose data values were all escaped (built by :func:`md`, :func:`escape` ...)."""

    __slots__ = ()


def escape(value: object) -> Markdown:
    r"""Return a value as Markdown that reads as the value's text, with no markup.

    HTML special characters become entities, Markdown punctuation is
    backslash-escaped, and line breaks become spaces (a new line could start a
    heading or end a list).

    Parameters
    ----------
    value
        Any value; ``str(value)`` is escaped. A :class:`Markdown` is returned as is.

    Returns
    -------
    Markdown
        The escaped text.

    Examples
    --------
    >>> escape("Tees & <b>Wear</b> [c]")
    'Tees &amp; &lt;b&gt;Wear&lt;/b&gt; \\[c\\]'
    """
    if isinstance(value, Markdown):
        return value
    text = _WHITESPACE.sub(" ", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markdown(_MARKDOWN_SPECIAL.sub(r"\\\1", text))


class _EscapingFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Markdown) and not format_spec:
            return value
        return escape(format(value, format_spec))


_FORMATTER = _EscapingFormatter()


def md(template: str, /, *args: object, **values: object) -> Markdown:
    """Fill a trusted Markdown template with escaped values.

    Parameters
    ----------
    template
        Markdown written in this package (``str.format`` syntax); never text
        read from a file.
    *args, **values
        The values; each is formatted (format specs apply) and escaped, except
        a :class:`Markdown` value, which is inserted as it is.

    Returns
    -------
    Markdown
        The filled template.
    """
    return Markdown(_FORMATTER.vformat(template, args, values))


def join(separator: str, parts: Iterable[object]) -> Markdown:
    """Join parts (plain text is escaped, :class:`Markdown` kept) with a trusted separator."""
    return Markdown(separator.join(escape(part) for part in parts))


def bullets(items: Iterable[object]) -> Markdown:
    """Return a bulleted list; plain-text items are escaped, :class:`Markdown` kept."""
    return Markdown("\n".join(md("- {}", item) for item in items))


def show(content: object) -> None:
    """Display Markdown in the notebook: a :class:`Markdown` as is, anything else as text.

    Parameters
    ----------
    content
        A :class:`Markdown` (from :func:`md`, :func:`bullets` ...) or plain
        text, which is escaped entirely.
    """
    from IPython.display import Markdown as MarkdownDisplay
    from IPython.display import display

    display(MarkdownDisplay(escape(content)))


#: Tags a report's Markdown and HTML outputs may contain (tables, lists, emphasis, figures).
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details",
        "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li",
        "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
#: Attributes kept; ``href`` only with the schemes in :data:`ALLOWED_URL_SCHEMES`.
ALLOWED_ATTRIBUTES: Mapping[str, set[str]] = {
    "*": {"class", "id", "title", "lang", "role"},
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "details": {"open"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise_html(fragment: str) -> str:
    """Remove everything but an allow-list of harmless tags and attributes.

    Scripts, styles and their content are dropped; event handlers, ``style``,
    ``src`` and links with schemes other than http, https and mailto are
    removed; ``aria-*`` and ``data-*`` attributes are kept.

    Parameters
    ----------
    fragment
        An HTML fragment (a rendered Markdown or HTML output).

    Returns
    -------
    str
        The sanitised fragment.

    Examples
    --------
    >>> sanitise_html('<p>Hi<img src=x onerror=alert(1)><script>alert(2)</script></p>')
    '<p>Hi</p>'
    >>> sanitise_html('<a href="javascript:alert(1)" onclick="x()">link</a>')
    '<a>link</a>'
    """
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        generic_attribute_prefixes={"aria-", "data-"},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=None,
    )


def css_string(value: object) -> str:
    r"""Return ``value`` as a quoted CSS string whose every character is inert.

    Text from input files (a council name, a data period) reaches a stylesheet
    only through this, e.g. the running line a printed page carries in its
    margin (``@page { @bottom-left { content: ... } }``). Every character but
    ASCII letters, digits and space becomes a six-digit CSS escape followed by
    one space (which the escape consumes), so no quote, backslash, newline,
    ``<``, ``</style>`` or ``&`` can end the string, the rule or the element.

    Examples
    --------
    >>> css_string("St Helens")
    '"St Helens"'
    >>> css_string('a"b')
    '"a\\000022 b"'
    >>> print(css_string("</style>"))
    "\00003C \00002F style\00003E "
    """
    escaped = _CSS_PLAIN.sub(lambda match: f"\\{ord(match.group()):06X} ", str(value))
    return f'"{escaped}"'
