"""French relays: an attribution whose content holds another's cue passes it
on ("... en déclarant ... « une ligne rouge », affirment ces sources"); an
attribution given to an outlet ("ont confié ... au média Bloomberg", "a
déclaré à l'AFP") or made in a document ("Dans une déclaration, publiée le
7 avril, ...") relays an attribution recorded in a proposed source (no
spans there; its speaker is the relaying attribution's). A document the text
names with its publisher or date ("la déclaration publiée par la
Maison-Blanche, vendredi dernier") is proposed as a source too."""

import re
from dataclasses import replace
from datetime import date
from typing import Any

from app.extraction.french_lexicon import gives_to_outlet
from app.extraction.french_syntax import cue_tokens, noun_phrase, tokens_span
from app.extraction.proposals import Fragment, Proposal, ProposedSource, SourceKind
from app.extraction.spans import mode_of, trimmed
from app.extraction.time_expressions import find_times, parse_time

OUTLETS = (
    "AFP|Reuters|Bloomberg|Associated Press|AP|Le Monde|Libération|Le Figaro|Le Parisien|"
    "Les Echos|La Croix|L'Obs|L’Obs|Le Point|L'Express|L’Express|Mediapart|Jeune Afrique|"
    "France 24|France Inter|franceinfo|France Info|RFI|BFMTV|LCI|TF1|France 2|Europe 1|RTL|"
    "Ouest-France|CNN|BBC|Al Jazeera|New York Times|Washington Post|Wall Street Journal|"
    "Financial Times|Guardian|Politico|Axios|Der Spiegel|El País"
)
_MEDIA_NOUN = (
    r"(?:média|journal|quotidien|magazine|hebdomadaire|agence|chaîne|radio|site|télévision)"
)
_NAMED = (
    r"(?:[«\"“]\s*(?P<quoted>[^»\"”]{1,60}?)\s*[»\"”]"
    r"|(?P<capital>[A-Z][\w'’\-]*(?:\s+[A-Z0-9][\w'’\-]*){0,3}))"
)
OUTLET_AFTER_CUE = re.compile(
    rf"\b(?:à|au|aux)\s+(?:l['’]\s*|la\s+|le\s+)?(?:(?P<noun>{_MEDIA_NOUN})\s+(?:de\s+)?)?"
    rf"(?:(?P<known>{OUTLETS})\b|{_NAMED})"
)
DOCUMENT_KINDS: dict[str, SourceKind] = {
    "déclaration": "statement",
    "communiqué": "press_release",
    "entretien": "interview",
    "interview": "interview",
    "tweet": "social_post",
    "message": "social_post",
    "lettre": "document",
    "rapport": "report",
    "discours": "transcript",
    "tribune": "article",
}
DOCUMENT = re.compile(
    rf"\b(?P<opening>[Dd]ans\s+)?(?:un|une|le|la|son|sa|leur|l['’])\s*(?P<kind>{'|'.join(DOCUMENT_KINDS)})"
    r"(?P<rest>(?:\s*,)?\s+(?:publiée?s?|diffusée?s?|accordée?s?|rendue?s?\s+publique?s?)"
    r"[^.;,]{0,60}(?:,\s*[^.;,]{0,25})?)?"
)
PUBLISHER_IN = re.compile(
    rf"\b(?:par|à|au)\s+(?:l['’]\s*|la\s+|le\s+)?(?:{_MEDIA_NOUN}\s+)?"
    r"(?P<name>(?:la\s+|le\s+|l['’]\s*)?[A-Z][\w'’\-]*(?:[\s\-][A-Z][\w'’\-]*){0,3})"
)
QUESTIONED_BY = re.compile(
    r"\b(?:[Ii]nterrogée?s?|[Cc]itée?s?|[Ii]nterviewée?s?|[Jj]ointe?s?|[Ss]ollicitée?s?)"
    rf"\s+par\s+(?:l['’]\s*|la\s+|le\s+)?(?:{_MEDIA_NOUN}\s+)?"
    rf"(?:(?P<known>{OUTLETS})\b|{_NAMED})"
)


def _sentence_of(doc: Any, position: int) -> tuple[int, int]:
    for sentence in doc.sents:
        if sentence.start_char <= position < sentence.end_char:
            return sentence.start_char, sentence.end_char
    return 0, len(doc.text)


def _inside(fragment: Fragment, spans: list[Fragment]) -> bool:
    return any(s.start <= fragment.start and fragment.end <= s.end for s in spans)


def _clean_name(name: str) -> str:
    return re.sub(r"^(?:la|le|l['’])\s*", "", name.strip(' "«»“”'), flags=re.IGNORECASE)


class _Relays:
    def __init__(self, text: str, doc: Any, proposals: list[Proposal], published: date | None):
        self.text = text
        self.doc = doc
        self.proposals = list(proposals)
        self.sources: list[ProposedSource] = []
        self.published = published

    def through_source(self, index: int, source: ProposedSource) -> None:
        """The attribution at ``index`` relays one recorded in ``source``."""
        self.sources.append(source)
        relaying = self.proposals[index]
        self.proposals.append(
            Proposal(
                speaker=[],
                cue=[],
                content=[],
                mode="paraphrase",
                certainty="unknown",
                certainty_cue=None,
                confidence=relaying.confidence,
                in_source=len(self.sources) - 1,
                time=source.time,
            )
        )
        self.proposals[index] = replace(relaying, relayed_through=len(self.proposals) - 1)

    def nested(self) -> None:
        originals = list(self.proposals)
        for index, outer in enumerate(originals):
            for inner_index, inner in enumerate(originals):
                if inner_index != index and inner.cue and _inside(inner.cue[0], outer.content):
                    self.proposals[index] = replace(outer, relayed_through=inner_index)
                    break

    def outlets(self) -> None:
        for index, proposal in enumerate(list(self.proposals)):
            if not proposal.cue or proposal.relayed_through is not None:
                continue
            cue = proposal.cue[-1]
            if not gives_to_outlet(self.text[cue.start : cue.end].split()[-1]):
                continue
            _, sentence_end = _sentence_of(self.doc, cue.start)
            window = self.text[cue.end : sentence_end]
            match = OUTLET_AFTER_CUE.search(window)
            contracted = match is not None and match.group(0).lower().startswith(("au ", "aux "))
            if match is None or not (
                match.group("noun") or match.group("known") or match.group("quoted") or contracted
            ):
                continue
            name = match.group("known") or match.group("quoted") or match.group("capital")
            group = (
                "known"
                if match.group("known")
                else "quoted"
                if match.group("quoted")
                else "capital"
            )
            mention = Fragment(cue.end + match.start(group), cue.end + match.end(group))
            self.through_source(
                index, ProposedSource(publisher=_clean_name(name), kind="report", mention=mention)
            )

    def questioned(self) -> None:
        """ "Interrogé par France Bleu, un délégué a expliqué ...", "des
        responsables cités par l'agence Reuters": the attribution of that
        sentence was given to the outlet."""
        for match in QUESTIONED_BY.finditer(self.text):
            start, end = _sentence_of(self.doc, match.start())
            for index, proposal in enumerate(list(self.proposals)):
                anchor = (proposal.cue or proposal.content)[:1]
                if not anchor or not start <= anchor[0].start < end:
                    continue
                if proposal.relayed_through is None and proposal.in_source is None:
                    group = next(g for g in ("known", "quoted", "capital") if match.group(g))
                    mention = Fragment(match.start(group), match.end(group))
                    publisher = _clean_name(match.group(group))
                    self.through_source(
                        index, ProposedSource(publisher=publisher, kind="report", mention=mention)
                    )
                break

    def documents(self) -> None:
        for match in DOCUMENT.finditer(self.text):
            rest = match.group("rest") or ""
            start_rest = match.end("kind")
            publisher_match = PUBLISHER_IN.search(rest)
            publisher = _clean_name(publisher_match.group("name")) if publisher_match else None
            times = find_times(rest)
            time = None
            if times:
                first = times[0]
                expression = rest[first.start : first.end]
                time = replace(
                    parse_time(expression, language="fr", anchor=self.published),
                    fragment=Fragment(start_rest + first.start, start_rest + first.end),
                )
            if not match.group("opening") and publisher is None and time is None:
                continue
            source = ProposedSource(
                publisher=publisher,
                kind=DOCUMENT_KINDS[match.group("kind").lower()],
                time=time,
                mention=Fragment(match.start("kind"), match.end("kind")),
            )
            if match.group("opening"):
                self.speaking_in(match, source)
            else:
                self.sources.append(source)

    def speaking_in(self, match: re.Match[str], source: ProposedSource) -> None:
        """ "Dans une déclaration, ..., <subject> <verb> ...": the sentence's
        attribution relays one in the document; the sentence is one when no
        reporting verb made it one already."""
        start, end = _sentence_of(self.doc, match.start())
        for index, proposal in enumerate(self.proposals):
            if proposal.cue and start <= proposal.cue[0].start < end and proposal.in_source is None:
                if proposal.relayed_through is None:
                    self.through_source(index, source)
                return
        span = self.doc.char_span(start, end, alignment_mode="expand")
        roots = [t for t in span if t.dep_ == "ROOT" and t.idx > match.end("kind")]
        if not roots:
            self.sources.append(source)
            return
        root = roots[0]
        subjects = [c for c in root.children if c.dep_.startswith("nsubj")]
        if not subjects:
            self.sources.append(source)
            return
        speaker = tokens_span(self.text, noun_phrase(subjects[0]))
        cue = tokens_span(self.text, cue_tokens(root))
        content_start = min(speaker[0].start, cue[0].start) if speaker and cue else root.idx
        content = trimmed(self.text, content_start, end)
        if content is None or not cue:
            self.sources.append(source)
            return
        self.proposals.append(
            Proposal(
                speaker=speaker,
                cue=cue,
                content=[content],
                mode=mode_of(self.text, [content]),
                certainty="asserted",
                certainty_cue=None,
                confidence=0.6,
                time=source.time,
            )
        )
        self.through_source(len(self.proposals) - 1, source)


def relay(
    text: str, doc: Any, proposals: list[Proposal], published: date | None
) -> tuple[list[Proposal], list[ProposedSource]]:
    relays = _Relays(text, doc, proposals, published)
    relays.nested()
    relays.outlets()
    relays.questioned()
    relays.documents()
    return relays.proposals, relays.sources
