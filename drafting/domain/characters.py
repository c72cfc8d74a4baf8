"""Which characters text may hold: the XML-safe rule, display names, passwords.

One rule each, used on input (so such text is never stored) and by the exporters (so text stored
before the rule, or characters that Markdown entities produce, cannot break a download).
"""
import re
import unicodedata

# What XML 1.0 cannot carry (and Word refuses): C0 controls other than tab, newline and carriage
# return, lone surrogates, U+FFFE and U+FFFF; also the other noncharacters, which no text needs.
_XML_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)
# A numeric character reference to one of them (`&#x1F;`, `&#65534;`): Markdown would turn it into
# the character itself.
_UNSAFE_REFERENCE = re.compile(r"&#(?:[xX](?P<hex>[0-9a-fA-F]{1,8})|(?P<dec>[0-9]{1,10}));")
# Characters that change how the text around them is displayed without being seen: bidi embeddings,
# overrides and isolates, marks, zero-width characters and the byte-order mark.
_INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_WHITESPACE_ONLY_LINE = re.compile(r"(?m)^[ \t\f\v]+$")


def _referenced(match):
    number = int(match.group("hex"), 16) if match.group("hex") else int(match.group("dec"))
    return chr(number) if number <= 0x10FFFF else "\ufffd"


def xml_unsafe(value):
    """The first character of `value` (or of a character reference in it) that XML cannot hold, or None."""
    found = _XML_UNSAFE.search(value)
    if found:
        return found.group()
    for reference in _UNSAFE_REFERENCE.finditer(value):
        character = _referenced(reference)
        if character == "\ufffd" or _XML_UNSAFE.fullmatch(character) or character == "\x00":
            return reference.group()
    return None


def xml_safe(value):
    """`value` without the characters XML cannot hold: what the exporters write."""
    return _XML_UNSAFE.sub("", value)


def describe(character):
    if len(character) > 1:
        return character
    return f"U+{ord(character):04X}"


def tidy_lines(value):
    """Lines of spaces only become empty lines: a blank line means the same to every reader of the text
    (the Markdown export and its re-import among them)."""
    return _WHITESPACE_ONLY_LINE.sub("", value)


# A line that Markdown reads as a heading (or a heading's underline): in a paragraph's text it would
# come back from the Markdown export as a section of the document.
_HEADING_LINE = re.compile(r"(?m)^[ \t]*(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-{2,}[ \t]*$)")


def paragraph_text_problem(text):
    """Why `text` cannot be a paragraph's text, or None: it may not hold a heading."""
    if _HEADING_LINE.search(text):
        return "contains a heading line (“# …”, “===” or “---”): a paragraph holds no headings; add a section instead."
    return None


def escape_heading_lines(text):
    """Heading lines of text stored before the rule, made plain text for Markdown (`\\## …`)."""
    return re.sub(r"(?m)^([ \t]*)(?=#{1,6}(?:[ \t]|$)|=+[ \t]*$|-{2,}[ \t]*$)", r"\1\\", text)


def display_name_problem(name):
    """Why `name` cannot be shown as a person's name, or None."""
    if _INVISIBLE.search(name):
        return "Name may not contain invisible or direction-changing characters."
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn") for ch in name):
        return "Name may not contain control or format characters."
    if not any(ch.isalnum() for ch in name):
        return "Name must contain a letter."
    return None


def display_name(name):
    """A name as it is kept: NFC, runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name):
    """What two names that read alike have in common: compatibility-normalised and case-folded."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


PASSWORD_MIN = 10
# The most used passwords that are ten characters or longer (lower-cased); shorter ones fail on length.
COMMON_PASSWORDS = frozenset("""
1234567890 0123456789 0987654321 1111111111 0000000000 1q2w3e4r5t qwertyuiop 1qaz2wsx3edc
password12 password123 password1234 passw0rd123 qwerty1234 qwerty12345 qwerty123456
iloveyou123 abcdefghij abcd123456 abc1234567 a123456789 123456789a 1234567890a
1234qwerty qwertyuiop123 asdfghjkl1 zxcvbnm123 letmein123 welcome123 welcome1234
administrator admin12345 admin123456 changeme123 trustno1234 football123 baseball123
superman123 sunshine123 princess123 dragon1234 monkey1234 starwars123 whatever123
qazwsxedc123 1q2w3e4r5t6y aaaaaaaaaa 123123123123 1234512345 5555555555 9999999999
passwordpassword drafting-room draftingroom drafting123 unitednations
""".split())  # easier to read as words


def password_problem(password, email=""):
    """Why `password` is too easy to guess, or None."""
    visible = "".join(ch for ch in password if not ch.isspace() and not _INVISIBLE.match(ch)
                      and unicodedata.category(ch) not in ("Cc", "Cf"))
    if len(password) < PASSWORD_MIN:
        return f"Password must have at least {PASSWORD_MIN} characters."
    if len(visible) < PASSWORD_MIN // 2:
        return "Password must be mostly visible characters, not spaces or invisible ones."
    lowered = password.strip().lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2:
        return "That password is among the first any attacker tries: choose another."
    if email and lowered in (email.lower(), email.lower().split("@")[0]):
        return "Password must not be your email address."
    return None


def download_name(stem, extension, fallback="outcome"):
    """(name, ascii_name) for a download: the title's letters and digits in any script joined by
    hyphens, and an ASCII stand-in for clients that read only the plain `filename` parameter."""
    words = "".join(ch if ch.isalnum() else "-" for ch in unicodedata.normalize("NFC", stem or ""))
    name = "-".join(part for part in words.split("-") if part)[:80] or fallback
    ascii_words = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = "-".join(part for part in "".join(ch if ch.isalnum() else "-" for ch in ascii_words).split("-")
                          if part)[:80] or fallback
    return f"{name}.{extension}", f"{ascii_name}.{extension}"
