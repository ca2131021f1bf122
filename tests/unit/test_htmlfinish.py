"""htmlfinish.finish gives exactly the string nbconvert's BeautifulSoup pass gives, or None."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from councilpack import htmlfinish


def nbconvert_soup_pass(page: str) -> str:
    """What ``HTMLExporter.from_notebook_node`` (nbconvert 7) does after rendering, verbatim."""
    soup = BeautifulSoup(page, features="html.parser")
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = "No description has been provided for this image"
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)


def page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n{head}\n<title>A &amp; B</title>\n'
        f'</head>\n<body class="jp-Notebook cp-report" data-jp-theme-light="true">\n{body}\n'
        "</body>\n</html>\n"
    )


MODELLED = {
    "attributes sorted, escaped and re-quoted": (
        '<div id="x" class="b  a " data-a="1 &lt; 2 &amp; 3" title=\'say "hi"\' '
        'data-b="it\'s" data-c=\'both "a" and &#39;b&#39;\'>x</div>'
    ),
    "duplicate attribute: the last wins": '<span title="one" id="s" title="two">x</span>',
    "plain and boolean attribute values": '<input type=checkbox checked disabled="">',
    "void elements with and without a slash": '<p>a<br>b<br/>c<br />d<hr class="x"></p>',
    "a self-closed ordinary element": '<h2 id="S">S<a class="anchor-link" href="#S" /></h2>',
    "entities and character references in text": (
        "<p>&middot; &nbsp;&amp;&lt;&gt;&quot;&#39;&#x27;&#8212;&copy; > plain</p>"
    ),
    "whitespace-only text, with and without a new line": "<div>\n\n  <p> </p>\t<p>\n </p></div>",
    "whitespace kept in pre": "<pre>\n\n   </pre><pre>  a  &amp;\n  b </pre>",
    "script and style kept verbatim": (
        '<script type="application/json" class="cp-chart-spec">{"a":"<b>&amp;"}</script>'
        "<script>\n  if (a < b && c) { x = '</div>'; }\n</script><script>\n\n</script>"
        "<style>a > b { content: '&'; }</style>"
    ),
    "comments": "<!--cp-toc--><ol><!-- a > b --></ol>",
    "focusable only inside the notebook": (
        '<div class="jp-Cell-inputWrapper" tabindex="-1">in</div>'
        '<div class="jp-OutputArea-output  extra">out</div>'
        '<span class="jp-OutputArea-output">not a div</span>'
    ),
    "multi-valued attributes of particular elements": (
        '<table><tr><td headers=" a  b ">1</td></tr></table><a rel=" x  y " href="/">l</a>'
    ),
    "a windows-1252 character reference, as bs4 reads it": "<p>&#150; &#x96;</p>",
    "non-ASCII text and attributes": '<p title="café · 10 %">£1.2bn – “quoted”</p>',
}


@pytest.mark.parametrize("body", MODELLED.values(), ids=MODELLED.keys())
def test_finish_equals_nbconvert_on_what_it_models(body: str) -> None:
    markup = page(body)
    assert htmlfinish.finish(markup) == nbconvert_soup_pass(markup)


def test_tabindex_needs_a_notebook_ancestor() -> None:
    markup = (
        '<!DOCTYPE html>\n<html><body><div class="jp-OutputArea-output">a</div>'
        '<main class="jp-Notebook"><div class="jp-OutputArea-output">b</div></main></body></html>'
    )
    finished = htmlfinish.finish(markup)
    assert finished == nbconvert_soup_pass(markup)
    assert finished is not None
    assert finished.count('tabindex="0"') == 1


def test_charset_is_written_as_the_output_encoding() -> None:
    markup = page("<p>x</p>", head='<meta charset="ISO-8859-1">')
    assert htmlfinish.finish(markup) == nbconvert_soup_pass(markup)
    assert '<meta charset="utf-8"/>' in (htmlfinish.finish(markup) or "")


UNMODELLED = {
    "an image": '<img src="a.png">',
    "a stray less-than sign": "<p>1 < 2</p>",
    "a bare ampersand": "<p>fish & chips</p>",
    "an unknown entity": "<p>&notanentity;</p>",
    "an entity without a semicolon": "<p>&amp chips</p>",
    "a mis-nested element": "<p><b>x</p></b>",
    "an unclosed element": "<div><p>x</div>",
    "an end tag of a void element": "<p>a<br></br></p>",
    "a processing instruction": '<?xml version="1.0"?>',
    "a CDATA section": "<![CDATA[x]]>",
    "an upper-case element": "<P>x</P>",
    "an upper-case attribute": '<svg viewBox="0 0 1 1"></svg>',
    "an end tag with a space": "<p>x</p >",
    "a self-closed script": "<script/>",
    "a plain value ending in a slash": "<a href=x/>y</a>",
    "a meta http-equiv": '<meta http-equiv="content-type" content="text/html; charset=latin-1">',
    "a notebook class in another case": '<div class="JP-OUTPUTAREA-OUTPUT">x</div>',
    "an unclosed script": "<script>x",
    "a comment with two dashes": "<!-- a -- b -->",
}


@pytest.mark.parametrize("body", UNMODELLED.values(), ids=UNMODELLED.keys())
def test_finish_declines_what_it_does_not_model(body: str) -> None:
    assert htmlfinish.finish(page(body)) is None


def test_an_unclosed_page_is_declined() -> None:
    assert htmlfinish.finish("<!DOCTYPE html>\n<html><body><p>x</p>") is None
