"""A Word file as the lines of a UN text: paragraphs, Word numbering, italics, footnotes, headings.

Read straight from the file's parts with lxml (python-docx has no reader for footnotes or numbering).
The file is checked before any part is parsed: a zip within the limits (size, number of parts,
unpacked size, compression ratio: a zip bomb is refused unread), with a word/document.xml, and XML
that parses (no entities resolved, no network). Each refusal is a 4xx that says what is wrong.
"""
import re
import zipfile
from io import BytesIO

from lxml import etree

from drafting.domain.errors import TooLarge, ValidationError
from drafting.exports.reading import Line, stands_alone

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 60 * 1024 * 1024
MAX_PARTS = 2000
MAX_RATIO = 150
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def is_docx(data):
    return data[:4] == b"PK\x03\x04"


def _check_zip(data):
    if len(data) > MAX_BYTES:
        raise TooLarge(f"The Word file is {len(data):,} bytes; the limit is {MAX_BYTES:,}.", field="file")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ValidationError(f"The file is not a Word document (the zip cannot be read: {error}).", field="file")
    if len(infos) > MAX_PARTS:
        raise ValidationError(f"The Word file has {len(infos):,} parts; a document has a few dozen.", field="file")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        raise TooLarge(f"The Word file unpacks to {unpacked:,} bytes; the limit is {MAX_UNPACKED:,}.", field="file")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ValidationError(f"The part {info.filename} of the Word file unpacks {info.file_size // max(info.compress_size, 1)} "
                                  "times its size: refused as a zip bomb.", field="file")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise ValidationError("The file is a zip but not a Word document (it has no word/document.xml).", field="file")
    return archive, names


def _xml(archive, name):
    try:
        return etree.fromstring(archive.read(name), SAFE)
    except etree.XMLSyntaxError as error:
        raise ValidationError(f"The Word file's {name} is not well-formed XML ({error}).", field="file")


def lines_of_docx(data):
    """The Word file's body as Lines; footnotes follow as `[^id]: text` lines."""
    archive, names = _check_zip(data)
    body = _xml(archive, "word/document.xml")
    footnotes = _footnotes(archive) if "word/footnotes.xml" in names else {}
    numbering = _numbering(archive) if "word/numbering.xml" in names else {}
    styles = _styles(archive) if "word/styles.xml" in names else {}
    counters = {}
    lines = []
    for index, paragraph in enumerate(body.iter(W + "p"), 1):
        if paragraph.getparent() is not None and paragraph.getparent().tag == W + "tc":
            pass  # table cells are read as lines too: a table of paragraphs is still text
        style_id = _val(paragraph.find(f"{W}pPr/{W}pStyle"))
        style = styles.get(style_id, style_id or "")
        text = _runs(paragraph)
        if not text.strip():
            continue
        label = _label(paragraph, numbering, counters, styles.get("__num__", {}).get(style_id))
        if style.lower().startswith("un masthead") or style.lower() == "un closing":
            # The masthead sets several facts on one line, apart by tabs and line breaks.
            for piece in re.split(r"[\t\n]+", text):
                if piece.strip():
                    lines.append(Line(number=index, text=piece.strip()))
            continue
        text = re.sub(r"[ \t]+", " ", text).strip()
        pieces = [piece.strip().strip("*").strip() for piece in text.split("\n")]
        if len(pieces) > 1 and all(stands_alone(piece) for piece in pieces if piece):
            lines.extend(Line(number=index, text=piece) for piece in pieces if piece)
            continue
        if style.lower().startswith("un provenance"):
            break  # the provenance annex is the record of this server, not text to import
        lines.append(Line(number=index, text=text, heading=_heading_level(style), label=label))
    for fid, text in footnotes.items():
        lines.append(Line(number=0, text=f"[^{fid}]: {text}"))
    return lines


def _val(element):
    return element.get(W + "val") if element is not None else None


def _heading_level(style):
    lowered = (style or "").lower()
    if lowered in ("title", "un title"):
        return 1
    match = re.match(r"^(?:un )?heading ?(\d)$", lowered)
    return int(match.group(1)) + 1 if match else None


def _runs(paragraph):
    """The paragraph's text, italic runs as *…*, footnote references as [^id]."""
    pieces = []  # (italic, text)
    for run in paragraph.iter(W + "r"):
        if run.getparent().tag not in (W + "p", W + "hyperlink", W + "ins", W + "smartTag"):
            continue
        props = run.find(W + "rPr")
        italic = props is not None and props.find(W + "i") is not None and _val(props.find(W + "i")) not in ("0", "false")
        for child in run:
            if child.tag == W + "t":
                pieces.append((italic, child.text or ""))
            elif child.tag == W + "tab":
                pieces.append((False, "\t"))
            elif child.tag in (W + "br", W + "cr"):
                pieces.append((False, "\n"))
            elif child.tag == W + "footnoteReference":
                pieces.append((False, f"[^{child.get(W + 'id')}]"))
    merged = []
    for italic, text in pieces:
        if merged and merged[-1][0] == italic:
            merged[-1] = (italic, merged[-1][1] + text)
        else:
            merged.append((italic, text))
    out = ""
    for italic, text in merged:
        if italic and text.strip():
            lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.DOTALL).groups()
            out += f"{lead}*{core}*{trail}"
        else:
            out += text
    return out


def _footnotes(archive):
    notes = {}
    for note in _xml(archive, "word/footnotes.xml").iter(W + "footnote"):
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join(_runs(p).strip() for p in note.iter(W + "p")).strip()
        if text:
            notes[note.get(W + "id")] = text
    return notes


def _styles(archive):
    """Style id -> name; and under "__num__" the numbering a style carries (style id -> (numId, ilvl))."""
    names, numbered = {}, {}
    for style in _xml(archive, "word/styles.xml").iter(W + "style"):
        sid = style.get(W + "styleId")
        names[sid] = _val(style.find(W + "name")) or sid
        num = style.find(f"{W}pPr/{W}numPr")
        if num is not None:
            numbered[sid] = (_val(num.find(W + "numId")), _val(num.find(W + "ilvl")) or "0")
    names["__num__"] = numbered
    return names


def _numbering(archive):
    """numId -> {ilvl: (format, level text, start)}."""
    root = _xml(archive, "word/numbering.xml")
    abstract = {}
    for a in root.iter(W + "abstractNum"):
        levels = {}
        for lvl in a.iter(W + "lvl"):
            levels[lvl.get(W + "ilvl")] = (_val(lvl.find(W + "numFmt")) or "decimal",
                                          _val(lvl.find(W + "lvlText")) or "%1.",
                                          int(_val(lvl.find(W + "start")) or 1))
        abstract[a.get(W + "abstractNumId")] = levels
    return {n.get(W + "numId"): abstract.get(_val(n.find(W + "abstractNumId")), {}) for n in root.iter(W + "num")}


def _label(paragraph, numbering, counters, style_num):
    num = paragraph.find(f"{W}pPr/{W}numPr")
    num_id, ilvl = (_val(num.find(W + "numId")), _val(num.find(W + "ilvl")) or "0") if num is not None \
        else (style_num or (None, None))
    if not num_id or num_id == "0" or num_id not in numbering:
        return ""
    fmt, text, start = numbering[num_id].get(ilvl, ("decimal", "%1.", 1))
    key = (num_id, ilvl)
    counters[key] = counters.get(key, start - 1) + 1
    for deeper in [k for k in counters if k[0] == num_id and k[1] > ilvl]:
        del counters[deeper]
    value = _format(counters[key], fmt)
    if value is None:
        return ""
    return re.sub(r"%\d", value, text).strip()


def _format(n, fmt):
    if fmt == "decimal":
        return str(n)
    if fmt == "lowerLetter":
        return "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] * ((n - 1) // 26 + 1)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "upperLetter":
        return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26]
    return None  # bullets and the like carry no number


def _roman(n):
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out
