"""The French rules over one parsed sentence: from a cue (a reporting verb,
"selon", "d'après") to its speaker mention and its content, with certainty."""

from dataclasses import dataclass
from typing import Any

from app.extraction.french_lexicon import (
    RELATIVE_PRONOUNS,
    is_cue_form,
    is_denial,
    is_finite_form,
)
from app.extraction.french_syntax import (
    conditional,
    cue_tokens,
    is_incise,
    noun_phrase,
    span,
    tokens_in,
    tokens_span,
)
from app.extraction.proposals import Certainty, Fragment
from app.extraction.quotes import QuoteRegions
from app.extraction.tokens import words

INVERTED_PRONOUNS = words("-il -elle -ils -elles -on")
SUBJECT_CLITICS = words("je j' j’ tu il elle on nous vous ils elles qu'il qu'elle")
SPEAKER_STOPS = words(
    ", . ; : ! ? ( à au aux dans lors sur selon en devant auprès pour après avant depuis "
    "qui que qu' qu’ lundi mardi mercredi jeudi vendredi samedi dimanche hier"
)
QUOTE_MARKS = words('« » " “ ”')
OPENING_SKIP = words("lundi mardi mercredi jeudi vendredi samedi dimanche hier aussitôt")
OBJECT_CONTENT_STEMS = (  # verbs whose object is what was said: "a démenti toute implication"
    "annon", "dément", "démenti", "confirm", "révél", "révèl", "promi", "promet", "nie", "nié",
    "rejet", "contest", "dénon", "avou", "jug", "qualifi", "fustig", "salu", "déplor", "évoqu",
)  # fmt: skip
ALLEGED_WORDS = words("présumé présumée présumés présumées prétendument supposément")
COMPLEMENTIZERS = words("que qu' qu’")
NOT_BEFORE_QUE = words(
    "ainsi ne n' n’ plus moins autant tant même alors avant après parce bien dès"
)
NEGATIONS = words("ne n' n’")
DE = words("de d' d’")


@dataclass
class Found:
    """One attribution in a sentence, before it becomes a Proposal."""

    speaker: list[Fragment]
    cue: list[Fragment]
    content: list[Fragment]
    certainty: Certainty
    certainty_cue: str | None
    confidence: float
    sentence: tuple[int, int]  # code points of its sentence


class Sentence:
    def __init__(self, text: str, sentence: Any, quotes: QuoteRegions) -> None:
        self.text = text
        self.sentence = sentence
        self.doc = sentence.doc
        self.quotes = quotes
        self.start: int = sentence.start_char
        self.end: int = sentence.end_char

    def quoted_after(self, token: Any) -> tuple[int, int] | None:
        """A quotation opening right after the token (", :" allowed between)."""
        position = token.idx + len(token.text)
        while position < len(self.text) and self.text[position] in " :,\u00a0\u202f":
            position += 1
        return self.quotes.opening_at(position)

    def first_after(self, verb: Any, stop: int) -> Any | None:
        """The first token after the verb group, past adverbs and days ("a
        promis jeudi de", "a indiqué lundi la direction"); not past a negation."""
        for token in self.doc[verb.i + 1 : stop]:
            negation = token.lower_ in NEGATIONS
            if (token.pos_ == "ADV" and not negation) or token.lower_ in OPENING_SKIP:
                continue
            return token
        return None

    def clause_end(self, start: int, stop: int) -> int:
        """A reported clause runs to the next cue or the end of the sentence."""
        last = self.doc[max(start, stop - 1)]
        end: int = last.idx + len(last.text)
        return min(self.end, end)

    def que_content(self, verb: Any, stop: int) -> tuple[int, int] | None:
        """ "a déclaré (à l'AFP) que ...": the "que" of the verb's clause, met
        before any object (after "cette offre", a "que" is a relative pronoun)."""
        previous = verb
        for token in self.doc[verb.i + 1 : stop]:
            if token.text in {".", ";"}:
                break
            if token.lower_ in COMPLEMENTIZERS and previous.lower_ not in NOT_BEFORE_QUE:
                return token.idx + len(token.text), self.clause_end(token.i, stop)
            if token.pos_ == "DET" and previous.pos_ != "ADP" and previous.lower_ not in DE:
                return None
            previous = token
        return None

    def infinitive_content(self, verb: Any, stop: int) -> tuple[int, int] | None:
        """ "a promis de rester", "nie avoir menti", "affirme n'avoir été prévenu"."""
        first = self.first_after(verb, stop)
        if first is None:
            return None
        if first.lower_ in DE:
            quoted = self.quoted_after(first)
            if quoted:
                return quoted
            following = first.nbor(1) if first.i + 1 < len(self.doc) else None
            if following is None or following.morph.get("VerbForm") != ["Inf"]:
                return None
            return following.idx, self.object_end(following, stop)
        if first.morph.get("VerbForm") == ["Inf"] or (
            first.lower_ in {"n'", "n’", "ne"} and first.nbor(1).morph.get("VerbForm") == ["Inf"]
        ):
            return first.idx, self.object_end(first, stop)
        return None

    def object_end(self, first: Any, stop: int) -> int:
        """Where an object or infinitive clause ends: before a comma followed by
        a relative pronoun, or before "et" starting another verb ("contestent
        ces chiffres et estiment"), else at the next cue or the sentence's end."""
        for token in self.doc[first.i : stop]:
            following = self.doc[token.i + 1] if token.i + 1 < len(self.doc) else None
            if following is None:
                break
            relative = token.text == "," and (
                following.lower_ in RELATIVE_PRONOUNS or following.lower_ in COMPLEMENTIZERS
            )
            another_verb = token.pos_ == "CCONJ" and (
                following.pos_ in {"VERB", "AUX"} or is_cue_form(following.text)
            )
            if relative or another_verb:
                position: int = token.idx
                return position
        return self.clause_end(first.i, stop)

    def object_content(self, verb: Any, stop: int) -> tuple[int, int] | None:
        if not verb.lower_.startswith(OBJECT_CONTENT_STEMS):
            return None
        first = self.first_after(verb, stop)
        if first is None or first.text in {".", ",", ";"}:
            return None
        quoted = self.quotes.opening_at(first.idx)
        return quoted or (first.idx, self.object_end(first, stop))

    def content_before(self, cue_start: Any) -> tuple[int, int]:
        """What an incise reports: the quotation right before it when the
        sentence opens with it (or it began in an earlier sentence), else the
        sentence up to the comma."""
        comma = self.doc[cue_start.i - 1]
        region = self.quotes.closing_before(cue_start.idx)
        if region and not self.text[self.start : region[0] - 1].strip(" -—–:"):
            return region
        return self.start, comma.idx


def certainty(
    cue_words: list[Any], content_tokens: list[Any], *, quoted: bool, concordance: bool
) -> tuple[Certainty, str | None]:
    """Denied by a denial verb; a conditional is the reporter's distance
    (alleged), except in a quotation (the speaker's own hypothesis) and in a
    "que" clause under a past cue ("a annoncé que le projet serait présenté":
    the future in the past); else asserted."""
    verb = cue_words[-1] if cue_words else None
    if verb is not None and is_denial(verb.text):
        return "denied", verb.text
    mood = conditional(cue_words)
    if mood is None and not concordance:
        mood = conditional(content_tokens)
        if mood is not None and quoted:
            return "hypothetical", mood.text
    if mood is not None:
        if any(t.lower_ in {"si", "s'"} and t.dep_ == "mark" for t in content_tokens):
            return "hypothetical", "si"
        return "alleged", mood.text
    for word in content_tokens:
        if word.lower_ in ALLEGED_WORDS:
            return "alleged", word.text
    return "asserted", None


def _is_past(cue_words: list[Any]) -> bool:
    verb = cue_words[-1]
    if any(t.pos_ == "AUX" for t in cue_words[:-1]):
        return True
    return bool({"Past", "Imp"} & set(verb.morph.get("Tense")))


def _speaker(where: Sentence, verb: Any, cue_words: list[Any], incise: bool) -> list[Any]:
    inverted = [t for t in cue_words if t.lower_ in INVERTED_PRONOUNS]
    if inverted:
        return inverted
    if incise:
        after: list[Any] = []
        for token in where.doc[verb.i + 1 : where.sentence.end]:
            if not after and (token.pos_ == "ADV" or token.lower_ in OPENING_SKIP):
                continue
            if token.lower_ in SPEAKER_STOPS or token.text in QUOTE_MARKS:
                break
            after.append(token)
        return after
    holder = verb
    gerund = cue_words[0].lower_ == "en"
    for _ in range(3 if gerund else 2):
        subjects = [c for c in holder.children if c.dep_.startswith("nsubj")]
        if subjects:
            return noun_phrase(subjects[0])
        if not gerund and holder.dep_ != "conj":
            break  # "contestent ... et estiment": a conjunct shares its head's subject
        holder = holder.head
    # The parser lost the subject ("qui affirme", "Son adversaire, Hélène Roux, juge"):
    # the pronoun right before the cue, or a sentence that opens with a bare noun phrase.
    before = where.doc[cue_words[0].i - 1] if cue_words[0].i > where.sentence.start else None
    if before is not None and (before.lower_ in SUBJECT_CLITICS or before.lower_ == "qui"):
        return [before]
    opening = list(where.doc[where.sentence.start : cue_words[0].i])
    finite = [
        t for t in opening if t.pos_ in {"VERB", "AUX"} and t.morph.get("VerbForm") != ["Part"]
    ]
    if opening and not finite and opening[0].pos_ in {"DET", "PROPN", "NOUN", "PRON"}:
        commas = [i for i, t in enumerate(opening) if t.text == ","]
        return opening[: commas[0]] if commas else opening
    return []


def verb_attribution(text: str, where: Sentence, verb: Any, stop: int) -> Found | None:
    cue_words = cue_tokens(verb)
    gerund = cue_words[0].lower_ == "en" and verb.morph.get("VerbForm") == ["Part"]
    incise = (
        not gerund
        and is_incise(cue_words, where.sentence)
        and not any(c.dep_.startswith("nsubj") and c.i < cue_words[0].i for c in verb.children)
    )
    speaker_tokens = _speaker(where, verb, cue_words, incise)
    content = where.quoted_after(verb)
    quoted = content is not None
    second: tuple[int, int] | None = None
    concordance = False
    confidence = 0.85
    if content is None and incise:
        content = where.content_before(cue_words[0])
        quoted = where.quotes.closing_before(cue_words[0].idx) == content
        last = speaker_tokens[-1] if speaker_tokens else verb
        second = where.quoted_after(last) if quoted else None
    if content is None:
        content = where.infinitive_content(verb, stop)
    if content is None:
        content = where.que_content(verb, stop)
        concordance = content is not None and _is_past(cue_words)
    if content is None:
        content = where.object_content(verb, stop)
        confidence = 0.6
    if content is None:
        return None
    fragments = span(text, *content) + (span(text, *second) if second else [])
    if not fragments:
        return None
    if not speaker_tokens:
        confidence -= 0.25
    return _found(
        text, where, speaker_tokens, cue_words, fragments, confidence, quoted, concordance
    )


def _found(
    text: str,
    where: Sentence,
    speaker: list[Any],
    cue: list[Any],
    content: list[Fragment],
    confidence: float,
    quoted: bool = False,
    concordance: bool = False,
) -> Found:
    content_tokens = [t for f in content for t in tokens_in(where.doc, f.start, f.end)]
    certain, certainty_cue = certainty(
        [] if _is_preposition(cue) else cue, content_tokens, quoted=quoted, concordance=concordance
    )
    return Found(
        speaker=tokens_span(text, speaker),
        cue=tokens_span(text, cue),
        content=content,
        certainty=certain,
        certainty_cue=certainty_cue,
        confidence=confidence,
        sentence=(where.start, where.end),
    )


def _is_preposition(cue: list[Any]) -> bool:
    return bool(cue) and cue[0].lower_ in {"selon", "d'", "d’"}


def preposition_attribution(text: str, where: Sentence, cue: list[Any]) -> Found | None:
    """ "Selon les mêmes sources, ...", "..., d'après le ministère."."""
    noun = cue[0].head
    if noun.lower_ in RELATIVE_PRONOUNS or noun.i <= cue[-1].i:
        return None
    speaker = [t for t in noun_phrase(noun) if t.i > cue[-1].i]
    if not speaker:
        return None
    doc = where.doc
    sentence = where.sentence
    comma_after = next(
        (t for t in doc[speaker[-1].i + 1 : sentence.end] if t.text in {",", ".", ";"}), None
    )
    if cue[0].i > sentence.start and doc[cue[0].i - 1].text == ",":
        content = (where.start, doc[cue[0].i - 1].idx)
    elif comma_after is not None and comma_after.text == ",":
        content = (comma_after.idx + 1, where.end)
    else:
        content = (where.start, cue[0].idx)
    fragments = span(text, *content)
    if not fragments:
        return None
    return _found(text, where, speaker, cue, fragments, 0.8)


def is_verb_cue(token: Any) -> bool:
    if not is_cue_form(token.text):
        return False
    doc = token.doc
    previous = doc[token.i - 1] if token.i > 0 else None
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if token.pos_ not in {"VERB", "AUX"}:
        # The tagger took a finite form for a noun or adjective ("juge ce projet",
        # "Nature suggère que"): trust the form when nothing nominal surrounds it.
        if previous is not None and previous.lower_ in SUBJECT_CLITICS:
            return True
        nominal_before = previous is not None and previous.pos_ in {"DET", "ADP", "ADJ"}
        verbal_after = following is not None and (
            following.pos_ in {"DET", "PRON", "SCONJ"} or following.text in QUOTE_MARKS
        )
        return is_finite_form(token.text) and not nominal_before and verbal_after
    form = token.morph.get("VerbForm")
    if form == ["Inf"]:
        return False
    helpers = [c for c in token.children if c.dep_.startswith("aux")]
    if any(h.morph.get("VerbForm") == ["Inf"] for h in helpers):
        return False  # "n'avoir été prévenu": an infinitive clause, not a report
    gerund = previous is not None and previous.lower_ == "en"
    return form != ["Part"] or bool(helpers) or gerund
