"""Markdown to sanitised HTML: the only road from user text to `|safe` in a template."""
import threading

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "sup", "sub", "del", "ins", "table",
    "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


# Building a Markdown converter costs more than converting a paragraph with it: one is reused,
# reset before each text as Python-Markdown asks, by one caller at a time (it is not thread-safe).
_converter = None
_converting = threading.Lock()


def _to_html(text):
    global _converter
    with _converting:
        if _converter is None:
            _converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        return _converter.reset().convert(text)


def render_markdown(text, inline=False):
    """Render user Markdown to HTML that is safe to place in a page."""
    html = _to_html(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    if inline and clean.startswith("<p>") and clean.endswith("</p>") and clean.count("<p>") == 1:
        clean = clean[3:-4]
    return Markup(clean)


def plain_text(text):
    """User text as plain text with Markdown emphasis markers removed (for exports)."""
    return nh3.clean(markdown.markdown(text or ""), tags=set()).strip()
