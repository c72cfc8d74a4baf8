"""Drafting checks by UN editorial conventions: advice shown as one types, never a refusal.

A preambular paragraph opens with a participle or an adjective ("Recognizing", "Aware") and
ends with a comma; an operative paragraph opens with a verb in the present tense
("Recommends", "Calls upon") and ends with a semicolon, the last one of the document with a
full stop. Brackets balance; the SDG targets and New Urban Agenda paragraphs a text refers to
exist; a meeting's terminology list says which term it prefers to which variants.
"""
import re
from dataclasses import dataclass

# How many numbered and lettered targets each Sustainable Development Goal has (169 in all).
SDG_TARGETS = {1: (5, 2), 2: (5, 3), 3: (9, 4), 4: (7, 3), 5: (6, 3), 6: (6, 2), 7: (3, 2), 8: (10, 2),
               9: (5, 3), 10: (7, 3), 11: (7, 3), 12: (8, 3), 13: (3, 2), 14: (7, 3), 15: (9, 3),
               16: (10, 2), 17: (19, 0)}
NEW_URBAN_AGENDA_PARAGRAPHS = 175

# Words that may stand before the participle or verb: "Further recalling", "Also encourages".
_ADVERBS = {"also", "further", "furthermore", "again", "once", "deeply", "fully", "gravely", "firmly",
            "strongly", "seriously", "emphatically", "hereby", "moreover", "equally", "likewise"}
# Adjectives that open preambular paragraphs by custom.
_PREAMBULAR_ADJECTIVES = {"aware", "conscious", "mindful", "cognizant", "cognisant", "desirous", "keen",
                          "alarmed", "concerned", "confident", "convinced", "determined", "committed",
                          "eager", "anxious", "bearing", "guided", "inspired", "having", "taking"}
# The verbs operative paragraphs open with; others are recognised by their ending.
_OPERATIVE_VERBS = {
    "accepts", "acknowledges", "adopts", "advises", "affirms", "agrees", "appeals", "applauds", "appreciates",
    "approves", "asks", "authorizes", "calls", "commends", "commits", "concludes", "condemns", "confirms",
    "considers", "decides", "declares", "demands", "deplores", "designates", "determines", "directs",
    "emphasizes", "encourages", "endorses", "expresses", "highlights", "insists", "instructs", "invites",
    "looks", "notes", "observes", "pledges", "proclaims", "promotes", "proposes", "reaffirms", "recalls",
    "recognizes", "recommends", "regrets", "reiterates", "reminds", "renews", "requests", "resolves",
    "stresses", "suggests", "supports", "takes", "transmits", "trusts", "underlines", "underscores",
    "undertakes", "urges", "welcomes",
}
_VERB_ENDINGS = ("izes", "ises", "ates", "ifies")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_MARKUP = re.compile(r"[*_`>#]+")
_FOOTNOTE_DEFINITION = re.compile(r"^\[\^\w+\]:.*$", re.MULTILINE)
_FOOTNOTE_MARKER = re.compile(r"\[\^\w+\]")
_SDG = re.compile(r"\b(?:SDGs?|[Tt]argets?|[Gg]oals?|Sustainable Development Goals?)\s+(\d{1,2})(?:\.(\d{1,2}|[a-z]))?\b")
_NUA = re.compile(r"\b(?:paragraphs?|paras?\.?)\s+(\d{1,4})(?:\s*(?:-|–|to|and)\s*(\d{1,4}))?\s+of\s+the\s+New\s+Urban\s+Agenda"
                  r"|\bNew\s+Urban\s+Agenda,?\s+(?:paragraphs?|paras?\.?)\s+(\d{1,4})(?:\s*(?:-|–|to|and)\s*(\d{1,4}))?")
_PAIRS = {")": "(", "]": "["}


@dataclass(frozen=True)
class Finding:
    """One piece of advice about a text: what, where (character offsets), and what to do."""

    code: str
    message: str
    start: int = 0
    end: int = 0

    def as_dict(self):
        return {"code": self.code, "message": self.message, "start": self.start, "end": self.end}


def _body(text):
    """The paragraph without its footnote texts, and where it ends with its last visible character."""
    body = _FOOTNOTE_DEFINITION.sub("", text).rstrip()
    return _FOOTNOTE_MARKER.sub(lambda m: " " * len(m.group()), body).rstrip()


def _opening(text):
    """The first word that is not an adverb, with its offsets, ignoring emphasis markers."""
    for match in _WORD.finditer(text):
        word = match.group()
        if word.lower() in _ADVERBS:
            continue
        return word, match.start(), match.end()
    return None


def _is_participle_or_adjective(word):
    lower = word.lower()
    return lower.endswith(("ing", "ed")) or lower in _PREAMBULAR_ADJECTIVES


def _is_present_tense_verb(word, following):
    lower = word.lower()
    if lower == "we":  # a declaration: "We recommend", "We commit ourselves"
        return bool(following) and not following.lower().endswith(("ing", "ed"))
    return lower in _OPERATIVE_VERBS or lower.endswith(_VERB_ENDINGS)


def check_opening(text, kind):
    opening = _opening(_MARKUP.sub(lambda m: " " * len(m.group()), text))
    if opening is None:
        return []
    word, start, end = opening
    if kind == "PP" and not _is_participle_or_adjective(word):
        return [Finding("pp_opening", f"A preambular paragraph opens with a participle or an adjective "
                                      f"(“Recognizing”, “Aware”), not “{word}”.", start, end)]
    if kind == "OP":
        rest = _WORD.search(text, end)
        if not _is_present_tense_verb(word, rest.group() if rest else ""):
            return [Finding("op_opening", f"An operative paragraph opens with a verb in the present tense "
                                          f"(“Recommends”, “Calls upon”), not “{word}”.", start, end)]
    return []


def check_ending(text, kind, last=False):
    body = _body(text)
    if not body:
        return []
    end = len(body)
    mark = body[-1]
    if kind == "PP" and mark != ",":
        return [Finding("pp_ending", "A preambular paragraph ends with a comma.", end - 1, end)]
    if kind == "OP":
        wanted, name = (".", "a full stop") if last else (";", "a semicolon")
        if mark != wanted:
            which = "The last operative paragraph" if last else "An operative paragraph"
            return [Finding("op_ending", f"{which} ends with {name}.", end - 1, end)]
    return []


def check_brackets(text):
    """Every ( and [ closed in order; the first that is not is shown."""
    stack = []
    for at, char in enumerate(text):
        if char in "([":
            stack.append((char, at))
        elif char in ")]":
            if not stack or stack[-1][0] != _PAIRS[char]:
                return [Finding("brackets", f"This “{char}” closes no bracket.", at, at + 1)]
            stack.pop()
    if stack:
        char, at = stack[0]
        closing = ")" if char == "(" else "]"
        return [Finding("brackets", f"This “{char}” is not closed: add “{closing}”.", at, at + 1)]
    return []


def sdg_target_exists(goal, target=None):
    if goal not in SDG_TARGETS:
        return False
    if target is None:
        return True
    numbered, lettered = SDG_TARGETS[goal]
    if target.isdigit():
        return 1 <= int(target) <= numbered
    return "a" <= target < chr(ord("a") + lettered)


def check_references(text):
    findings = []
    for match in _SDG.finditer(text):
        goal, target = int(match.group(1)), match.group(2)
        if not sdg_target_exists(goal, target):
            name = f"SDG target {goal}.{target}" if target else f"Sustainable Development Goal {goal}"
            findings.append(Finding("sdg", f"{name} does not exist.", match.start(), match.end()))
    for match in _NUA.finditer(text):
        numbers = [int(n) for n in match.groups() if n]
        if any(not 1 <= n <= NEW_URBAN_AGENDA_PARAGRAPHS for n in numbers):
            findings.append(Finding("nua", f"The New Urban Agenda has paragraphs 1 to {NEW_URBAN_AGENDA_PARAGRAPHS}.",
                                    match.start(), match.end()))
    return findings


def parse_terminology(lines):
    """A terminology list as typed, one line each: "preferred term = variant, variant"."""
    terms = {}
    for line in (lines or "").splitlines():
        preferred, _, variants = line.partition("=")
        preferred = preferred.strip()
        found = [v.strip() for v in variants.split(",") if v.strip() and v.strip() != preferred]
        if preferred and found:
            terms[preferred] = found
    return terms


def check_terminology(text, terminology):
    findings = []
    for preferred, variants in (terminology or {}).items():
        for variant in variants:
            for match in re.finditer(rf"(?<!\w){re.escape(variant)}(?!\w)", text):
                findings.append(Finding("term", f"The meeting writes “{preferred}”, not “{match.group()}”.",
                                        match.start(), match.end()))
    return findings


def check_paragraph(text, kind, last=False, terminology=None):
    """Every piece of advice about one paragraph, in the order it appears in the text."""
    findings = (check_opening(text, kind) + check_ending(text, kind, last) + check_brackets(text)
                + check_references(text) + check_terminology(text, terminology))
    return sorted(findings, key=lambda finding: (finding.start, finding.code))


def last_operative(paragraphs):
    """The key of the document's last operative paragraph: (key, kind) pairs in document order."""
    last = None
    for key, kind in paragraphs:
        if kind == "OP":
            last = key
    return last
