"""Learners' markdown as HTML that can run nothing on the trainer's pages: nbconvert's renderer, then bleach.

A written answer is shown to the trainer in formgrader (inside the trainer's Jupyter session) and in
the feedback pages. What a learner may write there is what a business answer needs, and nothing
that acts on the page:

- text structure: paragraphs, headings, lists, tables (cell alignment is the only style kept),
  emphasis, quotes, code (the code highlighter's own classes are the only classes kept);
- links to ``http``, ``https`` or ``mailto`` addresses and to anchors of the page only: a relative
  link would open the trainer's own Jupyter server (where a learner's file can be served);
- images only embedded in the answer as PNG, JPEG or GIF data (what JupyterLab makes of an image
  pasted into a cell): a relative address would make the trainer's browser request a page of the
  trainer's own Jupyter server, an ``http`` one would tell the learner's server when the trainer
  reads the answer;
- no script, event handler, ``style`` attribute (an overlay needs one), ``id`` or ``name`` (they
  would shadow formgrader's own fields), ``data-*`` attribute (Bootstrap acts on them), iframe,
  object, embed, form, meta, base, svg or math element: they are removed, their text kept as text.

bleach is the sanitizer nbconvert itself uses (``nbconvert.filters.clean_html``); its allow-list
is too short for rendered markdown (it escapes ``<p>`` and headings), hence this one.
"""
from __future__ import annotations

import re

import bleach
from bleach.css_sanitizer import CSSSanitizer
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import IPythonRenderer, InvalidNotebook, MarkdownWithMath
from pygments.token import STANDARD_TYPES

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div", "span",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small", "abbr", "cite", "q",
    "code", "pre", "kbd", "samp", "var", "a", "img",
})
#: the classes of nbconvert's code highlighting (Pygments' short token names); no other class
#: reaches the page, so no learner element can take the look (or the position) of the page's own
ALLOWED_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name) | {"highlight", "hll"}
LANGUAGE_CLASS = re.compile(r"language-[a-z0-9_+-]{1,30}")
SIZE = re.compile(r"\d{1,4}%?")
LINK = re.compile(r"(https?://|mailto:|#)")
IMAGE = re.compile(r"data:image/(png|jpeg|gif);base64,[a-z0-9+/=]+")
#: what browsers ignore inside an address (« java&#9;script: » is « javascript: »)
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\xa0\s`]+")
#: table cells keep their alignment (markdown's « |:--| »); no other style, so nothing can overlay the page
CSS = CSSSanitizer(allowed_css_properties=["text-align"])


def _normalized(url: str) -> str:
    return URL_NOISE.sub("", url).lower()


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """The attribute allow-list: one rule per attribute name (bleach asks for each attribute of each tag)."""
    if name == "href":
        return tag == "a" and bool(LINK.match(_normalized(value)))
    if name == "src":
        return tag == "img" and bool(IMAGE.fullmatch(_normalized(value)))
    if name == "class":
        return all(c in ALLOWED_CLASSES or LANGUAGE_CLASS.fullmatch(c) for c in value.split())
    if name in ("width", "height"):
        return tag == "img" and bool(SIZE.fullmatch(value.strip()))
    if name == "style":
        return tag in ("th", "td")
    return (name, tag) in {("title", "a"), ("title", "abbr"), ("title", "img"), ("alt", "img"),
                           ("colspan", "th"), ("colspan", "td"), ("rowspan", "th"), ("rowspan", "td"),
                           ("start", "ol")}


#: elements removed with their content (bleach keeps the text of a tag it removes: a script's code or
#: a style sheet, such as the one of every pandas table, would show as text)
INERT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"})


def _cleaner(tags: frozenset) -> bleach.Cleaner:
    return bleach.Cleaner(tags=tags, attributes=_allowed_attribute, protocols={"http", "https", "mailto", "data"},
                          strip=True, strip_comments=True, css_sanitizer=CSS)


CLEANER = _cleaner(ALLOWED_TAGS)
#: the same, keeping the elements to remove: parsed as browsers parse them (bleach's html5lib), every
#: one of them closed, so removing them takes nothing that follows them
BALANCER = _cleaner(ALLOWED_TAGS | INERT)


def clean_html(html: str) -> str:
    """HTML reduced to the allow-list above (a Jinja filter of the formgrader and feedback pages).

    bleach decides what is safe (its last pass sees everything); the first passes only drop inert
    elements with their content, and images whose address was refused (their text stays)."""
    soup = BeautifulSoup(BALANCER.clean(str(html)), "html.parser")
    for element in soup.find_all(INERT):
        element.decompose()
    for image in soup.find_all("img", src=False):  # its address was refused: its description, as text
        image.replace_with(str(image.get("alt", "")))
    return CLEANER.clean(str(soup))


class _AnswerRenderer(IPythonRenderer):
    """nbconvert's markdown renderer; an image pointing at a missing attachment keeps its text only
    (nbconvert raises, which would stop the page of the whole notebook)."""

    def image(self, text: str, url: str, title: str | None = None) -> str:
        try:
            return super().image(text, url, title)
        except InvalidNotebook:
            return self.text(text)


def markdown_html(source: str, attachments: dict | None = None) -> str:
    """A markdown cell as safe HTML: rendered as nbconvert renders it (attachments embedded), then cleaned."""
    renderer = _AnswerRenderer(escape=False, attachments=attachments or {}, exclude_anchor_links=True)
    return clean_html(MarkdownWithMath(renderer=renderer).render(source))


def as_markdown(html: str) -> str:
    """Safe HTML as a markdown cell's source that every markdown renderer passes through unchanged.

    One line inside a ``<div>``: CommonMark (JupyterLab, nbconvert) takes a line that starts with
    ``<div`` as raw HTML up to the next blank line, so none of it is read as markdown again (a
    learner's text cannot turn into a link or an image on the second reading). Newlines become
    ``&#10;``, the same character for the browser (line breaks of code are kept)."""
    return "<div>" + html.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "&#10;") + "</div>"
