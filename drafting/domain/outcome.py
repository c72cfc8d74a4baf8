"""How a paragraph reads in the outcome document: italic lead words and square brackets."""
import re

# Words that may open a paragraph before its participle or verb ("Further recalling", "Also notes").
LEAD_ADVERBS = {"also", "further", "deeply", "fully", "strongly", "firmly", "gravely", "seriously",
                "profoundly", "emphatically", "once", "again"}
# Words that belong to the lead after it ("Noting with appreciation", "Bearing in mind").
LEAD_TAILS = ["with deep appreciation", "with appreciation", "with deep concern", "with concern",
              "with satisfaction", "with interest", "with gratitude", "in mind", "into account",
              "note of", "note", "upon", "forward", "also", "further", "again"]
WORD = re.compile(r"[A-Za-z][a-z\-]*")
AGREED = ("agreed", "agreed_ad_ref")


def split_lead(text):
    """(lead, rest) with lead + rest == text: the opening participle or verb, to set in italics."""
    position = 0
    lead_end = 0
    words = 0
    while True:
        match = WORD.match(text, position)
        if match is None:
            break
        word = match.group(0)
        if words == 0 and not word[0].isupper():
            return "", text
        position = match.end()
        lead_end = position
        words += 1
        if word.lower() not in LEAD_ADVERBS or words > 3:
            break
        position = _skip_space(text, position)
    if lead_end == 0:
        return "", text
    while True:
        after = _skip_space(text, lead_end)
        tail = next((t for t in LEAD_TAILS if text[after:].lower().startswith(t)
                     and not text[after + len(t):after + len(t) + 1].isalpha()), None)
        if tail is None or after == lead_end:
            break
        lead_end = after + len(tail)
    return text[:lead_end], text[lead_end:]


def _skip_space(text, position):
    while position < len(text) and text[position] == " ":
        position += 1
    return position


def wraps_whole(text):
    """True when the text is one bracketed span from its first character to its last."""
    text = text.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += char == "["
        depth -= char == "]"
        if depth == 0 and index < len(text) - 1:
            return False
    return depth == 0


def needs_brackets(status, text):
    """Text not agreed appears in square brackets, unless it already is one bracketed span."""
    return status not in AGREED and not wraps_whole(text)


def paragraph_label(number, alt):
    """The label printed before a paragraph: "7.", "7 bis.", "7 Alt 2.", "Alt 1." or ""."""
    parts = [p for p in (number, f"Alt {alt}" if alt else "") if p]
    return " ".join(parts) + "." if parts else ""
