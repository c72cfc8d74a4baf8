import pytest

from drafting.domain.rendering import plain_text, render_markdown


def test_markdown_emphasis_and_lists_render():
    html = render_markdown("*Recognizing* the **role** of cities\n\n- one\n- two")
    assert "<em>Recognizing</em>" in html and "<strong>role</strong>" in html and "<li>one</li>" in html


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "<iframe src=//evil></iframe>",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
])
def test_nothing_executable_survives(payload):
    html = render_markdown(payload).lower()
    for bad in ("<script", "onerror", "javascript:", "<svg", "<iframe", "onload", "style=", "data:text"):
        assert bad not in html


def test_links_are_kept_with_a_safe_rel():
    html = render_markdown("[ITU](https://www.itu.int)")
    assert 'href="https://www.itu.int"' in html and "noopener" in html


def test_inline_rendering_drops_the_single_paragraph_wrapper():
    assert render_markdown("Recalling *Goal 11*,", inline=True) == "Recalling <em>Goal 11</em>,"


def test_plain_text_has_no_markup():
    assert plain_text("*Recalling* the <b>agenda</b>") == "Recalling the agenda"
