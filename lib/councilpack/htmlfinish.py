"""nbconvert's last step of an HTML export, without BeautifulSoup, for well-formed pages.

nbconvert's ``HTMLExporter.from_notebook_node`` renders the template, then parses
the whole page with BeautifulSoup (Python's ``html.parser``) to give every
``.jp-Notebook div.jp-Cell-inputWrapper`` and ``div.jp-OutputArea-output``
``tabindex="0"`` and every ``<img>`` without ``alt`` a stock one, and returns
``str(soup)``. Re-serialising changes more than those attributes: attributes come
out sorted and escaped, void elements as ``<meta .../>``, ``<a .../>`` as
``<a ...></a>``, named and numeric character references as the characters
themselves, whitespace-only text as one newline or space, class lists
single-spaced, and a new line after the doctype. On a report page that pass
costs about 0.2 CPU-s, a tenth of the whole report.

:func:`finish` produces exactly the same string in one scan with regular
expressions, for the markup our template, nbconvert's lab template and our
outputs produce: every element closed in order, lower-case names, quoted or
plain attribute values, known entities. It reads bs4's own tables (void
elements, multi-valued attributes, entities, whitespace-preserving elements), so
it follows the installed bs4. Anything outside that subset (an image, a stray
``<`` or ``&``, an unclosed or mis-nested element, a processing instruction,
CDATA, upper-case names, ...) makes it return None, and the caller runs
nbconvert's own code instead. ``tests/unit/test_htmlfinish.py`` checks that the
result equals BeautifulSoup's on report pages and on each construct, and that
each construct outside the subset returns None.
"""

from __future__ import annotations

import functools
import re
from html import unescape
from html.parser import HTMLParser

from bs4.builder import builder_registry
from bs4.dammit import EntitySubstitution, UnicodeDammit

#: The elements nbconvert makes focusable (``.jp-Notebook div.<class>``).
FOCUSABLE = frozenset({"jp-Cell-inputWrapper", "jp-OutputArea-output"})
#: Class of the ancestor those must be inside.
NOTEBOOK = "jp-Notebook"
_CLASSES = frozenset({*FOCUSABLE, NOTEBOOK})
_CLASSES_LOWER = frozenset(name.lower() for name in _CLASSES)

#: The tree builder ``BeautifulSoup(page, features="html.parser")`` uses (nbconvert's choice).
_BUILDER_CLASS = builder_registry.lookup("html.parser")
if _BUILDER_CLASS is None:  # bs4 always registers it; this keeps the type checker informed
    raise ImportError("bs4 has no html.parser tree builder")
_BUILDER = _BUILDER_CLASS()
_VOID = frozenset(_BUILDER.empty_element_tags or ())
_LIST_ATTRIBUTES = {tag: frozenset(names) for tag, names in _BUILDER.cdata_list_attributes.items()}
_ANY_TAG_LIST_ATTRIBUTES = _LIST_ATTRIBUTES.get("*", frozenset())
_PRESERVE_WHITESPACE = frozenset(_BUILDER.preserve_whitespace_tags or ())
_ENTITIES = EntitySubstitution.HTML_ENTITY_TO_CHARACTER
#: The raw-text elements this module models; another Python's parser may differ.
_RAW_TEXT = ("script", "style")
#: True when the standard library's parser treats raw text as modelled here
#: (newer versions add RCDATA elements such as ``title``): otherwise, never the fast path.
SUPPORTED = tuple(HTMLParser.CDATA_CONTENT_ELEMENTS) == _RAW_TEXT and not getattr(
    HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()
)
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"

_NAME = r"[a-z][a-z0-9-]*"
_ATTRIBUTE = re.compile(
    r"[ \t\n]+([a-z_:][-a-z0-9_:.]*)"
    r"(?:[ \t\n]*=[ \t\n]*(?:\"([^\"<>]*)\"|'([^'<>]*)'|([-a-zA-Z0-9_.:#]+)(?=[ \t\n>])))?"
)
_START_TAG = re.compile(
    rf"<({_NAME})((?:[ \t\n]+[a-z_:][-a-z0-9_:.]*"
    r"(?:[ \t\n]*=[ \t\n]*(?:\"[^\"<>]*\"|'[^'<>]*'|[-a-zA-Z0-9_.:#]+(?=[ \t\n>])))?)*)[ \t\n]*(/?)>"
)
_END_TAG = re.compile(rf"</({_NAME})>")
_COMMENT = re.compile(r"<!--((?:(?!--)[^>])(?:(?!--).)*?|)-->", re.DOTALL)
_DOCTYPE = re.compile(r"<!DOCTYPE ([^<>]*)>")
_REFERENCE = re.compile(r"&(?:([a-zA-Z][a-zA-Z0-9]*)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_SPECIAL = re.compile(r"[&<]")
_RAW_END = {
    name: re.compile(rf"</[ \t\n\r\f]*{name}[ \t\n\r\f]*>", re.IGNORECASE) for name in _RAW_TEXT
}
_WORDS = re.compile(r"\S+")


class _Unsupported(Exception):
    """The page has a construct outside the modelled subset."""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quoted(value: str) -> str:
    value = _escape(value)
    if '"' in value:
        if "'" in value:
            return '"' + value.replace('"', "&quot;") + '"'
        return "'" + value + "'"
    return '"' + value + '"'


def _text(pieces: list[str], preserve: int, out: list[str]) -> None:
    """Append one text node as bs4 writes it (``endData`` then minimal formatting)."""
    text = "".join(pieces)
    pieces.clear()
    if not text:
        return
    if not preserve and not text.strip(_ASCII_SPACES):
        text = "\n" if "\n" in text else " "
    out.append(_escape(text))


def _reference(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name is not None:
        character = _ENTITIES.get(name)
        if character is None:
            raise _Unsupported(f"unknown entity &{name};")
        return character
    code = int(decimal, 10) if decimal is not None else int(hexadecimal, 16)
    character, replaced = UnicodeDammit.numeric_character_reference(code)
    if replaced or not character:
        raise _Unsupported(f"character reference &#{code};")
    return character


@functools.lru_cache(maxsize=4096)
def _start_tag(name: str, attributes: str, inside_notebook: bool) -> tuple[str, bool]:
    """Return the tag as bs4 writes it, and whether it has the notebook's class.

    A pure function of its arguments, cached: most tags of a page repeat (``<td>``,
    nbconvert's wrappers), and so do they from one report to the next.
    """
    values: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(attributes):
        key, double, single, plain = match.groups()
        value = double if double is not None else single if single is not None else plain
        values[key] = unescape(value) if value else ""
    listed = _LIST_ATTRIBUTES.get(name)
    for key, value in values.items():
        if key in _ANY_TAG_LIST_ATTRIBUTES or (listed is not None and key in listed):
            values[key] = " ".join(_WORDS.findall(value))
    classes = set(values["class"].split(" ")) if "class" in values else set()
    if any(word.lower() in _CLASSES_LOWER and word not in _CLASSES for word in classes):
        raise _Unsupported("a notebook class in another letter case")
    if name == "img":
        raise _Unsupported("an image (nbconvert may add alternative text)")
    if name == "meta" and "charset" in values:
        if "http-equiv" in values:
            raise _Unsupported("a meta element with both charset and http-equiv")
        values["charset"] = "utf-8"  # bs4 writes the output encoding
    elif name == "meta" and "http-equiv" in values:
        raise _Unsupported("a meta http-equiv element")
    if name == "div" and inside_notebook and classes & FOCUSABLE:
        values["tabindex"] = "0"
    parts = [f"<{name}"]
    for key in sorted(values):
        parts.append(f" {key}={_quoted(values[key])}")
    return "".join(parts), NOTEBOOK in classes


def finish(page: str) -> str | None:
    """Return ``page`` as nbconvert's HTML exporter finishes it, or None if unsure.

    None means the page has something this module does not model; the caller
    then uses nbconvert (BeautifulSoup) itself.
    """
    if not SUPPORTED:
        return None
    try:
        return _finish(page)
    except _Unsupported:
        return None


def _finish(page: str) -> str:
    out: list[str] = []
    text: list[str] = []
    #: Open elements: (name, has the notebook class).
    stack: list[tuple[str, bool]] = []
    notebooks = 0  # open elements with the notebook class
    preserve = 0  # open whitespace-preserving elements
    position = 0
    end = len(page)
    while position < end:
        special = _SPECIAL.search(page, position)
        stop = end if special is None else special.start()
        if stop > position:
            text.append(page[position:stop])
        if special is None:
            break
        position = stop
        if page.startswith("&", position):
            match = _REFERENCE.match(page, position)
            if match is None:
                raise _Unsupported(f"a bare ampersand at {position}")
            text.append(_reference(match))
            position = match.end()
            continue
        if page.startswith("</", position):
            match = _END_TAG.match(page, position)
            if match is None:
                raise _Unsupported(f"an end tag bs4 may read otherwise at {position}")
            name = match.group(1)
            if not stack or stack[-1][0] != name:
                raise _Unsupported(f"</{name}> does not close the open element")
            _text(text, preserve, out)
            _, is_notebook = stack.pop()
            notebooks -= is_notebook
            preserve -= name in _PRESERVE_WHITESPACE
            out.append(f"</{name}>")
            position = match.end()
            continue
        if page.startswith("<!--", position):
            match = _COMMENT.match(page, position)
            if match is None:
                raise _Unsupported(f"a comment bs4 may read otherwise at {position}")
            _text(text, preserve, out)
            out.append(f"<!--{match.group(1)}-->")
            position = match.end()
            continue
        if page.startswith("<!DOCTYPE ", position):
            match = _DOCTYPE.match(page, position)
            if match is None:
                raise _Unsupported(f"a doctype bs4 may read otherwise at {position}")
            _text(text, preserve, out)
            out.append(f"<!DOCTYPE {match.group(1)}>\n")
            position = match.end()
            continue
        match = _START_TAG.match(page, position)
        if match is None:
            raise _Unsupported(f"markup bs4 may read otherwise at {position}")
        name, attributes, closed = match.groups()
        _text(text, preserve, out)
        tag, is_notebook = _start_tag(name, attributes, notebooks > 0)
        position = match.end()
        if name in _VOID:
            out.append(tag + "/>")
        elif closed:
            if name in _RAW_TEXT:
                raise _Unsupported(f"a self-closed <{name}/>")
            out.append(f"{tag}></{name}>")
        elif name in _RAW_TEXT:
            close = _RAW_END[name].search(page, position)
            if close is None:
                raise _Unsupported(f"an unclosed <{name}>")
            out.append(tag + ">")
            raw = page[position : close.start()]
            if raw:
                if not raw.strip(_ASCII_SPACES) and not preserve:
                    raw = "\n" if "\n" in raw else " "
                out.append(raw)
            out.append(f"</{name}>")
            position = close.end()
        else:
            out.append(tag + ">")
            stack.append((name, is_notebook))
            notebooks += is_notebook
            preserve += name in _PRESERVE_WHITESPACE
    if stack:
        raise _Unsupported(f"<{stack[-1][0]}> is never closed")
    _text(text, preserve, out)
    return "".join(out)
