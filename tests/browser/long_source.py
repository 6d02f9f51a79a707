"""A generated long source: 100,000 code points with hundreds of attributions,
each marking its speaker, cue and content, some nested and some crossing.

The text is made up here (no third-party text): numbered sentences in French
with accents, and an emoji outside the Basic Multilingual Plane in every
quote, so an offset counted in UTF-16 units instead of code points would
shift every span after the first and the page would show the wrong words.
"""

from typing import Any

LENGTH = 100_000
SPEAKERS = 12
FILLER = (
    "Le comité s'est réuni à huis clos pendant des heures, sans qu'aucun "
    "document ne soit publié à l'issue de la séance. "
)


def long_bundle(*, every: int = 4) -> tuple[dict[str, Any], dict[str, int]]:
    """The bundle, and how many spans of each role it holds. One sentence in
    ``every`` is attributed (speaker said "content"), the others are filler;
    every tenth attributed sentence is reported by a second speaker whose
    content encloses the first's (nesting), and every seventh has its cue
    crossing into the content (a span that cannot nest)."""
    text = ""
    actors = [
        {"ref": f"speaker-{k}", "kind": "person", "name": f"Porte-parole n° {k}"}
        for k in range(SPEAKERS)
    ]
    claims: list[dict[str, Any]] = []
    attributions: list[dict[str, Any]] = []
    counts = {"speaker": 0, "cue": 0, "content": 0}

    def span(role: str, start: int, end: int) -> dict[str, Any]:
        counts[role] += 1
        return {"role": role, "start": start, "end": end, "text": text[start:end]}

    number = 0
    while True:
        number += 1
        if number % every:
            sentence = FILLER
            if len(text) + len(sentence) > LENGTH:
                break
            text += sentence
            continue
        speaker = f"Porte-parole n° {number % SPEAKERS}"
        quote = f"la proposition {number} est équitable 🙂 et doit être adoptée"
        cue = "a déclaré"
        sentence = f"{speaker} {cue} que « {quote} ». "
        outer = f"Selon l'agence, {sentence}" if number % 10 == 0 else sentence
        if len(text) + len(outer) + 1 > LENGTH:
            break
        start = len(text)
        text += outer
        base = start + (len(outer) - len(sentence))
        speaker_at = base
        cue_at = speaker_at + len(speaker) + 1
        quote_at = text.index(quote, cue_at)
        claim_ref = f"C{number}"
        claims.append({"ref": claim_ref, "text": quote, "language": "fr"})
        cue_end = cue_at + len(cue)
        if number % 7 == 0:
            # The cue runs into the quotation: neither span holds the other.
            cue_end = quote_at + 3
        attributions.append(
            {
                "ref": f"A{number}",
                "claim": claim_ref,
                "speaker": f"speaker-{number % SPEAKERS}",
                "source": "long",
                "mode": "direct_quote",
                "cue": text[cue_at:cue_end],
                "certainty": "asserted",
                "spans": [
                    span("content", quote_at, quote_at + len(quote)),
                    span("cue", cue_at, cue_end),
                    span("speaker", speaker_at, speaker_at + len(speaker)),
                ],
            }
        )
        if number % 10 == 0:
            # "Selon l'agence, X a déclaré que « ... »": the agency reports the
            # whole sentence, which encloses the inner speaker's spans.
            outer_claim = f"C{number}-agency"
            claims.append({"ref": outer_claim, "text": sentence.strip(), "language": "fr"})
            attributions.append(
                {
                    "ref": f"A{number}-agency",
                    "claim": outer_claim,
                    "speaker": "agency",
                    "source": "long",
                    "mode": "paraphrase",
                    "cue": "Selon",
                    "certainty": "asserted",
                    "spans": [
                        span("content", base, base + len(sentence) - 1),
                        span("cue", start, start + len("Selon")),
                        span("speaker", start + len("Selon "), start + len("Selon l'agence")),
                    ],
                }
            )
    text += " " * (LENGTH - len(text))  # exactly LENGTH code points
    actors.append({"ref": "agency", "kind": "media", "name": "L'agence"})
    bundle = {
        "format": "onrecord-bundle",
        "version": 1,
        "id": "browser-long-source",
        "title": "a generated long source",
        "actors": actors,
        "sources": [
            {
                "ref": "long",
                "kind": "transcript",
                "title": "Procès-verbal généré (100 000 caractères)",
                "language": "fr",
                "published": {"earliest": "2020-01-15", "latest": "2020-01-15", "precision": "day"},
                "full_text": text,
            }
        ],
        "claims": claims,
        "attributions": attributions,
    }
    return bundle, counts
