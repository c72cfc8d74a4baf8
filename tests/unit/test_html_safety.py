"""The XSS checker itself: it must catch what a browser would run, and pass plain pages."""
from tests.security.html_safety import html_fields, page_text, payloads, problems


def test_the_checker_flags_each_way_script_gets_in():
    for html in ['<script>alert(1)</script>', '<p><img src=x onerror=alert(1)></p>',
                 '<a href=" jav&#x09;ascript:alert(1)">x</a>', '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
                 '<iframe srcdoc="x"></iframe>', '<a href="data:text/html,x">x</a>', '<div style="x">y</div>',
                 '<meta http-equiv="refresh" content="0;url=/">', '<form><button formaction="javascript:x">go']:
        assert problems(html, "test"), html


def test_the_checker_passes_escaped_payloads_and_the_apps_own_assets():
    html = ('<html><head><link rel="stylesheet" href="/static/css/app.css"><meta charset="utf-8"></head><body>'
            '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><a href="https://example.org" rel="nofollow">x</a>'
            '<script type="module" src="/static/js/document.js"></script></body></html>')
    assert problems(html, "test") == []
    assert "<script>alert(1)</script>" in page_text(html)


def test_the_corpus_has_at_least_100_payloads_of_every_kind():
    corpus = payloads()
    assert len(corpus) >= 100 and len(set(corpus)) == len(corpus)
    for marker in ["<script", " on", "javascript:", "data:", "<svg", "](", "&#", "⏎" not in "".join(corpus)]:
        assert any(marker in p for p in corpus) if isinstance(marker, str) else marker


def test_html_fields_finds_nested_html():
    assert list(html_fields({"a": [{"html": "<p>x</p>"}], "html": "y"})) == [("$.a[0].html", "<p>x</p>"), ("$.html", "y")]
