"""Markdown to sanitised HTML: the only road from user text to `|safe` in a template."""
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


def render_markdown(text, inline=False):
    """Render user Markdown to HTML that is safe to place in a page."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
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
