"""What "no payload survives" means for a page: checks on the DOM a browser would build from it."""
from pathlib import Path

import tinyhtml5

PAYLOADS_FILE = Path(__file__).with_name("xss_payloads.txt")

# Attributes a browser follows as a URL (or, for srcdoc, loads as a document).
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster", "srcset",
                  "cite", "longdesc", "lowsrc", "dynsrc", "to", "from", "values", "srcdoc"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "portal"}


def payloads():
    """The corpus: one payload a line, "⏎" for a line break, "# " lines are comments."""
    lines = PAYLOADS_FILE.read_text(encoding="utf-8").splitlines()
    return [line.replace("⏎", "\n") for line in lines if line.strip() and not line.startswith("# ")]


def _local(name):
    return name.rsplit("}", 1)[-1].lower()


def _squeezed(value):
    """A URL as a browser reads its scheme: without whitespace and control characters."""
    return "".join(ch for ch in value if ord(ch) > 0x20).lower()


def problems(html, where):
    """Everything in `html` that could run script: script elements, on* attributes, bad URLs."""
    found = []
    document = tinyhtml5.parse(html)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        if tag == "script" and (not element.get("src", "").startswith("/static/") or (element.text or "").strip()):
            found.append(f"{where}: <script> {element.attrib} {(element.text or '')[:60]!r}")
        if tag in NEVER:
            found.append(f"{where}: <{tag}> {element.attrib}")
        if tag == "meta" and any(_local(k) == "http-equiv" for k in element.attrib):
            found.append(f"{where}: <meta http-equiv> {element.attrib}")
        if tag == "link" and not element.get("href", "").startswith("/static/"):
            found.append(f"{where}: <link> {element.attrib}")
        for key, value in element.attrib.items():
            name = _local(key)
            if name.startswith("on"):
                found.append(f"{where}: <{tag} {name}={value[:60]!r}>")
            elif name == "style":
                found.append(f"{where}: <{tag} style={value[:60]!r}> (inline style is forbidden by the CSP)")
            elif name in URL_ATTRIBUTES and any(s in _squeezed(value) for s in BAD_SCHEMES):
                found.append(f"{where}: <{tag} {name}={value[:80]!r}>")
    return found


def page_text(html):
    """The text a reader sees (and a screen reader reads), entities decoded."""
    return "".join(tinyhtml5.parse(html).itertext())


def html_fields(value, path="$"):
    """Every ("path", html) under keys named html in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "html" and isinstance(item, str):
                yield f"{path}.html", item
            else:
                yield from html_fields(item, f"{path}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from html_fields(item, f"{path}[{n}]")
