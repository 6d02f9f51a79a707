"""French: spaCy's ``fr_core_news_md`` (tokens, morphology, dependencies; its
lemmatizer left out to save memory) and rules: reporting verbs (every form,
french_lexicon), "selon" / "d'après", incises ("a-t-il ajouté", "ont confié
des diplomates"), "que" clauses, quotations « » “ ” ", the conditional
(alleged) and denial verbs (denied)."""

import threading
from datetime import date
from typing import Any

from app.extraction.french_lexicon import PREPOSITION_CUES
from app.extraction.french_relays import relay
from app.extraction.french_rules import (
    Found,
    Sentence,
    is_verb_cue,
    preposition_attribution,
    verb_attribution,
)
from app.extraction.french_syntax import cue_tokens
from app.extraction.proposals import ModelInfo, Proposal, ProposedSource
from app.extraction.quotes import QuoteRegions
from app.extraction.spans import mode_of
from app.extraction.time_expressions import time_near

PIPELINE = "fr_core_news_md"
MODEL = ModelInfo(name="onrecord-fr-rules+fr_core_news_md", version="1")
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
            token.is_sent_start = first.isupper() or first.isdigit() or first in '«“"-—'
            ending = False
        else:
            token.is_sent_start = False
        if token.text in SENTENCE_ENDS:
            before = doc[index - 1].lower_ if index else ""
            ending = before not in ABBREVIATIONS and not (len(before) == 1 and before.isalpha())
        elif token.text in CLOSING and ending:
            continue
    return doc


def find_attributions(text: str, doc: Any) -> list[Found]:
    quotes = QuoteRegions(text)
    found: list[Found] = []
    for sentence in doc.sents:
        where = Sentence(text, sentence, quotes)
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
            elif is_verb_cue(token):
                cues.append(("verb", [token]))
        for position, (kind, words) in enumerate(cues):
            next_cue = sentence.end
            if position + 1 < len(cues):
                following = cues[position + 1][1][0]
                next_cue = (
                    cue_tokens(following)[0].i if cues[position + 1][0] == "verb" else following.i
                )
            result = (
                preposition_attribution(text, where, words)
                if kind == "preposition"
                else verb_attribution(text, where, words[0], max(next_cue, words[0].i + 1))
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
