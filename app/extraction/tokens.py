"""A regex tokenizer with code-point offsets, and the sentences and paragraphs
the English tagger reads (no English spaCy pipeline is official on PyPI)."""

import re
from dataclasses import dataclass

# Words keep inner apostrophes, hyphens and dots ("O'Malley", "ex-aide", "U.S");
# every other visible character is a token of its own.
_TOKEN = re.compile(r"\w+(?:[’'\-.]\w+)*|\S", re.UNICODE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*")


def words(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list."""
    return frozenset(text.split())


ABBREVIATIONS = words(
    "mr mrs ms dr st sen rep gov gen lt col sgt jr sr no vs inc corp co ltd jan feb mar "
    "apr jun jul aug sep sept oct nov dec u.s u.k d.c a.m p.m e.g i.e prof rev gop"
)
OPENING_QUOTES = frozenset("“‘«")
CLOSING_QUOTES = frozenset("”’»")
QUOTES = OPENING_QUOTES | CLOSING_QUOTES | {'"'}


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One tagging sequence: its tokens, and the sentence index of each."""

    tokens: list[Token]
    sentence: list[int]


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def paragraphs(text: str) -> list[Paragraph]:
    """Tokens grouped by line (news paragraphs), each split into sentences."""
    result: list[Paragraph] = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        tokens = [
            Token(t.start + position, t.end + position, t.text)
            for t in tokenize(text[position:end])
        ]
        if tokens:
            result.append(Paragraph(tokens, sentence_ids(tokens)))
        if match:
            position = match.end()
    return result


def quote_roles(tokens: list[Token]) -> list[str]:
    """Per token: "open", "close" or "" ; a straight quote opens or closes by
    parity within the paragraph."""
    roles: list[str] = []
    inside = False
    for token in tokens:
        if token.text == '"':
            roles.append("close" if inside else "open")
            inside = not inside
        elif token.text in OPENING_QUOTES and token.text != "‘":
            roles.append("open")
            inside = True
        elif token.text in CLOSING_QUOTES and token.text != "’":
            roles.append("close")
            inside = False
        else:
            roles.append("")
    return roles


def sentence_ids(tokens: list[Token]) -> list[int]:
    """A sentence ends at . ! ? (and the closing quotes after it) when the next
    token starts with a capital, an opening quote or a digit; not after an
    abbreviation or a lone initial."""
    roles = quote_roles(tokens)
    ids: list[int] = []
    current = 0
    ending = False
    for index, token in enumerate(tokens):
        if ending and roles[index] != "close" and token.text != "’":
            starts = token.text[:1]
            if starts.isupper() or starts.isdigit() or roles[index] == "open":
                current += 1
            ending = False
        ids.append(current)
        if token.text in {".", "!", "?"}:
            previous = tokens[index - 1].text.lower() if index else ""
            initial = len(previous) == 1 and previous.isalpha()
            ending = previous not in ABBREVIATIONS and not initial
    return ids
