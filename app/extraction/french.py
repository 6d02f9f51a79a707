"""French: spaCy's ``fr_core_news_md`` (tokens, morphology, dependencies; its
lemmatizer left out to save memory) and rules: reporting verbs (every form,
french_lexicon), "selon" / "d'après", incises ("a-t-il ajouté", "ont confié
des diplomates"), "que" clauses, quotations « » “ ” ", the conditional
(alleged) and denial verbs (denied)."""

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.extraction.french_lexicon import (
    PREPOSITION_CUES,
    RELATIVE_PRONOUNS,
    is_cue_form,
    is_denial,
)
from app.extraction.french_relays import relay
from app.extraction.french_syntax import (
    conditional,
    cue_tokens,
    is_incise,
    noun_phrase,
    span,
    tokens_in,
    tokens_span,
)
from app.extraction.proposals import Certainty, Fragment, ModelInfo, Proposal, ProposedSource
from app.extraction.quotes import QuoteRegions
from app.extraction.spans import mode_of
from app.extraction.time_expressions import time_near

PIPELINE = "fr_core_news_md"
MODEL = ModelInfo(name="onrecord-fr-rules+fr_core_news_md", version="1")
INVERTED_PRONOUNS = {"-il", "-elle", "-ils", "-elles", "-on"}
SPEAKER_STOPS = frozenset(
    [
        ",",
        ".",
        ";",
        ":",
        "!",
        "?",
        "(",
        "à",
        "au",
        "aux",
        "dans",
        "lors",
        "sur",
        "selon",
        "en",
        "devant",
        "auprès",
        "pour",
        "après",
        "avant",
        "depuis",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "hier",
        "mercredi",
        "cette",
        "ce",
    ]
)
OBJECT_CONTENT_STEMS = (  # verbs whose object is what was said: "a démenti toute implication"
    "annon", "dément", "démenti", "confirm", "révél", "révèl", "promi", "promet", "nie", "nié",
    "rejet", "contest", "dénon", "avou",
)  # fmt: skip
ALLEGED_WORDS = ("présumé", "présumée", "présumés", "présumées", "prétendument", "supposément")

_lock = threading.Lock()
_nlp: Any = None


def pipeline() -> Any:
    """The spaCy pipeline, loaded on first use and kept for the process."""
    global _nlp
    with _lock:
        if _nlp is None:
            import spacy  # a worker's import: the API process never loads spaCy

            from spacy.language import Language

            loaded = spacy.load(PIPELINE, exclude=["lemmatizer"])
            if not Language.has_factory("onrecord_sentences"):
                Language.component("onrecord_sentences", func=set_sentences)
            loaded.add_pipe("onrecord_sentences", before="parser")
            _nlp = loaded
        return _nlp


ABBREVIATIONS = frozenset({"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "gal"})
SENTENCE_ENDS = frozenset({".", "!", "?", "…"})
CLOSING = frozenset({"»", "”", '"', ")"})


def set_sentences(doc: Any) -> Any:
    """Sentence starts fixed before parsing (the parser's own cut "Mohammed
    Bin Zayed Al Nahyan," off as a sentence): after . ! ? … (and closing
    quotes) when a capital, a digit or an opening quote follows, and at line
    breaks; nowhere else."""
    ending = False
    for index, token in enumerate(doc):
        if index == 0:
            token.is_sent_start = True
            continue
        previous = doc[index - 1]
        if "\n" in previous.text or (previous.whitespace_ == "" and "\n" in token.text[:1]):
            token.is_sent_start = True
            ending = False
            continue
        if ending and token.text not in CLOSING:
            first = token.text[:1]
            token.is_sent_start = first.isupper() or first.isdigit() or first in "«“\"-—"
            ending = False
        else:
            token.is_sent_start = False
        if token.text in SENTENCE_ENDS:
            before = doc[index - 1].lower_ if index else ""
            ending = before not in ABBREVIATIONS and not (len(before) == 1 and before.isalpha())
        elif token.text in CLOSING and ending:
            continue
    return doc


@dataclass
class Found:
    """One attribution found in the text, in token terms before it becomes a Proposal."""

    speaker: list[Fragment]
    cue: list[Fragment]
    content: list[Fragment]
    certainty: Certainty
    certainty_cue: str | None
    confidence: float
    sentence: tuple[int, int]  # code points of its sentence


class _Sentence:
    def __init__(self, text: str, sentence: Any, quotes: QuoteRegions) -> None:
        self.text = text
        self.sentence = sentence
        self.quotes = quotes
        self.start = sentence.start_char
        self.end = sentence.end_char

    def quoted_after(self, token: Any) -> tuple[int, int] | None:
        """A quotation opening right after the token (", :" allowed between)."""
        position = token.idx + len(token.text)
        while position < len(self.text) and self.text[position] in " :,\u00a0\u202f":
            position += 1
        return self.quotes.opening_at(position)

    def que_content(self, verb: Any, stop: int) -> tuple[int, int] | None:
        for token in verb.doc[verb.i + 1 : stop]:
            if token.lower_ in {"que", "qu'", "qu’"} and token.pos_ in {"SCONJ", "PRON"}:
                clause = token.head if token.head.i > token.i else None
                end = clause.right_edge.idx + len(clause.right_edge.text) if clause else self.end
                last = verb.doc[stop - 1]
                end = max(end, last.idx + len(last.text)) if stop < self.sentence.end else end
                return token.idx + len(token.text), end
        return None

    def content_before(self, cue_start: Any) -> tuple[int, int]:
        """What an incise reports: the quotation right before it when the
        sentence opens with it (or it began in an earlier sentence), else the
        sentence up to the comma."""
        comma = cue_start.doc[cue_start.i - 1]
        region = self.quotes.closing_before(cue_start.idx)
        if region and not self.text[self.start : region[0] - 1].strip(" -—–:"):
            return region
        return self.start, comma.idx


def _certainty(
    text: str, cue_words: list[Any], content_tokens: list[Any], content: list[Fragment]
) -> tuple[Certainty, str | None]:
    verb = cue_words[-1] if cue_words else None
    if verb is not None and is_denial(verb.text):
        return "denied", verb.text
    mood = conditional(cue_words + content_tokens)
    if mood is not None:
        if any(t.lower_ in {"si", "s'"} and t.dep_ == "mark" for t in content_tokens):
            return "hypothetical", "si"
        return "alleged", mood.text
    for word in content_tokens:
        if word.lower_ in ALLEGED_WORDS:
            return "alleged", word.text
    del text, content
    return "asserted", None


def _verb_attribution(text: str, where: _Sentence, verb: Any, next_cue: int) -> Found | None:
    sentence = where.sentence
    cue_words = cue_tokens(verb)
    speaker_tokens: list[Any] = []
    inverted = [t for t in cue_words if t.lower_ in INVERTED_PRONOUNS]
    is_gerund = cue_words[0].lower_ == "en" and verb.morph.get("VerbForm") == ["Part"]
    incise = (
        not is_gerund
        and is_incise(cue_words, sentence)
        and not any(c.dep_.startswith("nsubj") and c.i < cue_words[0].i for c in verb.children)
    )
    if inverted:
        speaker_tokens = inverted
    elif incise:
        after = []
        for token in verb.doc[verb.i + 1 : sentence.end]:
            if token.lower_ in SPEAKER_STOPS or token.text in {"«", "»", '"', "“", "”"}:
                break
            after.append(token)
        speaker_tokens = after
    else:
        holder = verb
        for _ in range(3 if is_gerund else 1):
            subjects = [c for c in holder.children if c.dep_.startswith("nsubj")]
            if subjects:
                speaker_tokens = noun_phrase(subjects[0])
                break
            holder = holder.head
    content: tuple[int, int] | None = where.quoted_after(verb)
    second: tuple[int, int] | None = None
    confidence = 0.85
    if content is None and incise:
        content = where.content_before(cue_words[0])
        last = speaker_tokens[-1] if speaker_tokens else verb
        second = where.quoted_after(last) if where.quotes.closing_before(cue_words[0].idx) else None
    if content is None:
        content = where.que_content(verb, next_cue)
    if content is None and verb.lower_.startswith(OBJECT_CONTENT_STEMS):
        objects = [c for c in verb.children if c.dep_ in {"obj", "xcomp", "ccomp"} and c.i > verb.i]
        if objects:
            tokens = [t for t in objects[0].subtree if t.i > verb.i]
            if tokens and tokens[0].lower_ in {"de", "d'", "d’"}:
                tokens = tokens[1:]
            content = (tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)) if tokens else None
            confidence = 0.6
    if content is None:
        return None
    fragments = span(text, *content) + (span(text, *second) if second else [])
    if not fragments:
        return None
    if not speaker_tokens:
        confidence -= 0.25
    content_tokens = [t for f in fragments for t in tokens_in(sentence.doc, f.start, f.end)]
    certainty, certainty_cue = _certainty(text, cue_words, content_tokens, fragments)
    return Found(
        speaker=tokens_span(text, speaker_tokens),
        cue=tokens_span(text, cue_words),
        content=fragments,
        certainty=certainty,
        certainty_cue=certainty_cue,
        confidence=confidence,
        sentence=(where.start, where.end),
    )


def _preposition_attribution(text: str, where: _Sentence, cue: list[Any]) -> Found | None:
    noun = cue[0].head
    if noun.lower_ in RELATIVE_PRONOUNS or noun.i < cue[-1].i:
        return None
    speaker = [t for t in noun_phrase(noun) if t.i > cue[-1].i]
    sentence = where.sentence
    after = speaker[-1].i + 1 if speaker else cue[-1].i + 1
    doc = sentence.doc
    at_start = cue[0].i - sentence.start <= 1
    if at_start and after < sentence.end and doc[after].text == ",":
        content = (doc[after].idx + 1, where.end)
    elif cue[0].i > sentence.start and doc[cue[0].i - 1].text == ",":
        content = (where.start, doc[cue[0].i - 1].idx)
    else:
        content = (doc[after].idx if after < sentence.end else where.end, where.end)
    fragments = span(text, *content)
    if not fragments or not speaker:
        return None
    content_tokens = tokens_in(doc, fragments[0].start, fragments[0].end)
    certainty, certainty_cue = _certainty(text, [], content_tokens, fragments)
    return Found(
        speaker=tokens_span(text, speaker),
        cue=tokens_span(text, cue),
        content=fragments,
        certainty=certainty,
        certainty_cue=certainty_cue,
        confidence=0.8,
        sentence=(where.start, where.end),
    )


def _is_verb_cue(token: Any) -> bool:
    if not is_cue_form(token.text) or token.pos_ not in {"VERB", "AUX", "ADJ"}:
        return False
    form = token.morph.get("VerbForm")
    if form == ["Inf"]:
        return False
    has_helper = any(c.dep_.startswith("aux") for c in token.children)
    gerund = token.i > 0 and token.doc[token.i - 1].lower_ == "en"
    if form == ["Part"] and not has_helper and not gerund:
        return False
    return token.pos_ != "ADJ" or has_helper


def find_attributions(text: str, doc: Any) -> list[Found]:
    quotes = QuoteRegions(text)
    found: list[Found] = []
    for sentence in doc.sents:
        where = _Sentence(text, sentence, quotes)
        cues: list[tuple[str, list[Any]]] = []
        for token in sentence:
            if token.lower_ in PREPOSITION_CUES:
                cues.append(("preposition", [token]))
            elif (
                token.lower_ in {"d'", "d’"} and token.nbor(1).lower_ == "après"
                if token.i + 1 < len(doc)
                else False
            ):
                cues.append(("preposition", [token, token.nbor(1)]))
            elif _is_verb_cue(token):
                cues.append(("verb", [token]))
        for position, (kind, words) in enumerate(cues):
            next_cue = sentence.end
            if position + 1 < len(cues):
                following = cues[position + 1][1][0]
                next_cue = (
                    cue_tokens(following)[0].i if cues[position + 1][0] == "verb" else following.i
                )
            result = (
                _preposition_attribution(text, where, words)
                if kind == "preposition"
                else _verb_attribution(text, where, words[0], max(next_cue, words[0].i + 1))
            )
            if result is not None:
                found.append(result)
    return found


def extract_french(
    text: str, published: date | None
) -> tuple[list[Proposal], list[ProposedSource]]:
    doc = pipeline()(text)
    found = find_attributions(text, doc)
    proposals = [
        Proposal(
            speaker=f.speaker,
            cue=f.cue,
            content=f.content,
            mode=mode_of(text, f.content),
            certainty=f.certainty,
            certainty_cue=f.certainty_cue,
            confidence=round(f.confidence, 3),
            time=time_near(text, *f.sentence, language="fr", anchor=published),
        )
        for f in found
    ]
    return relay(text, doc, proposals, published)
