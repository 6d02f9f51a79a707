"""A proposal as a bundle for ``POST /v1/bundles``: the same records, refs
included. Its id is derived from the text, the model and what was asked, so
storing the same proposal twice creates nothing new; every attribution keeps
the model that proposed it (``extraction``) and is not reviewed yet."""

import hashlib
from datetime import date
from typing import Any

from app.extractions.proposal import JSON, Article, Proposal

MAX_CUE = 500  # app.fields.Name


def bundle_id(article: Article, proposal: Proposal, published: date | None) -> str:
    digest = hashlib.sha256()
    for part in (
        proposal.model["name"],
        proposal.model["version"],
        str(article.id or ""),
        str(published or ""),
        article.text,
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return f"extraction-{digest.hexdigest()[:24]}"


def _time(time: JSON | None, *, article_ref: str) -> JSON | None:
    if time is None:
        return None
    shaped = {key: value for key, value in time.items() if value is not None}
    for key in ("earliest", "latest"):
        if key in shaped:
            shaped[key] = str(shaped[key])
    if shaped.get("relative_to") == "source":
        shaped["anchor_source"] = article_ref  # the submitted text's publication day
    elif shaped.get("relative_to") == "event":
        # "6 jours après" an event the text names but no record is proposed for:
        # the words are kept, the anchor is for a person to give.
        shaped = {k: v for k, v in shaped.items() if k in {"expression", "earliest", "latest"}}
        if "earliest" in shaped or "latest" in shaped:
            shaped["precision"] = "range"
    if shaped.get("precision") == "unknown":
        shaped.pop("precision")
    return shaped


def as_bundle(article: Article, proposal: Proposal, *, published: date | None) -> JSON:
    stored = {a["ref"]: str(a["actor_id"]) for a in proposal.actors if a["actor_id"]}

    def actor(ref: str | None) -> str | None:
        return None if ref is None else stored.get(ref, ref)

    article_ref = str(article.id) if article.id else "S0"
    sources: list[JSON] = []
    if article.id is None:
        record: JSON = {
            "ref": "S0",
            "kind": article.kind,
            "title": proposal.sources[0]["title"],
            "language": proposal.language,
            "full_text": article.text,
            "cites_sources": [s["ref"] for s in proposal.sources[1:]],
        }
        if article.url:
            record["url"] = article.url
        if article.publisher:
            record["publisher"] = actor(_publisher_ref(proposal, article.publisher))
        if published is not None:
            day = published.isoformat()
            record["published"] = {"earliest": day, "latest": day, "precision": "day"}
        sources.append(record)
    for source in proposal.sources[1:]:
        record = {"ref": source["ref"], "kind": source["kind"], "title": source["title"]}
        if source["publisher"]:
            record["publisher"] = actor(_publisher_ref(proposal, source["publisher"]))
        time = _time(source["published"], article_ref=article_ref)
        if time:
            record["published"] = time
        sources.append(record)

    claims: list[JSON] = []
    claim_of: dict[int, str] = {}
    attributions: list[JSON] = []
    texts = proposal.attributions
    for index, attribution in enumerate(texts):
        content = [s for s in attribution["spans"] if s["role"] == "content"]
        if content:
            claim_of[index] = f"C{index}"
            claims.append(
                {
                    "ref": f"C{index}",
                    "text": " ".join(s["text"] for s in content),
                    "language": proposal.language,
                }
            )
    for index, attribution in enumerate(texts):
        # An attribution in a relayed source says the claim of the one that relays it.
        relaying = next(
            (i for i, a in enumerate(texts) if a["relayed_through"] == index and i in claim_of),
            None,
        )
        claim = claim_of.get(index) or (claim_of.get(relaying) if relaying is not None else None)
        if claim is None:
            continue  # a cue with nothing said: nothing to store
        attributions.append(_attribution(attribution, index, claim, actor, proposal, article_ref))
    kept = {a["ref"] for a in attributions}
    for record in attributions:  # no reference to an attribution left out
        if record.get("relayed_through") not in kept:
            record.pop("relayed_through", None)
        resolution = record.get("speaker_resolution", {})
        if resolution.get("through_attribution") not in kept:
            resolution.pop("through_attribution", None)
    return {
        "format": "onrecord-bundle",
        "version": 1,
        "id": bundle_id(article, proposal, published),
        "title": f"Extraction: {proposal.sources[0]['title']}"[:500],
        "description": f"Proposed by {proposal.model['name']} {proposal.model['version']}.",
        "actors": [dict(r) for r in proposal.records],
        "sources": sources,
        "claims": claims,
        "attributions": attributions,
    }


def _publisher_ref(proposal: Proposal, name: str) -> str:
    ref: str = next(a["ref"] for a in proposal.actors if a["kind"] == "media" and a["name"] == name)
    return ref


def _attribution(
    attribution: JSON,
    index: int,
    claim: str,
    actor: Any,
    proposal: Proposal,
    article_ref: str,
) -> JSON:
    cue = " ".join(s["text"] for s in attribution["spans"] if s["role"] == "cue")
    source = attribution["source"]
    record: JSON = {
        "ref": f"A{index}",
        "claim": claim,
        "source": article_ref if source == "S0" else source,
        "mode": attribution["mode"],
        "certainty": attribution["certainty"],
        "spans": [
            {k: s[k] for k in ("role", "start", "end", "text")} for s in attribution["spans"]
        ],
        "extraction": {
            "model": proposal.model["name"],
            "version": proposal.model["version"],
            "confidence": attribution["confidence"],
        },
    }
    if attribution["speaker"] is not None:
        record["speaker"] = actor(attribution["speaker"])
    if cue.strip():
        record["cue"] = cue[:MAX_CUE]
    content = [s for s in attribution["spans"] if s["role"] == "content"]
    if len(content) == 1:
        record["span"] = {k: content[0][k] for k in ("start", "end", "text")}
    if attribution["relayed_through"] is not None:
        record["relayed_through"] = f"A{attribution['relayed_through']}"
    resolution = attribution["speaker_resolution"]
    if resolution is not None and attribution["speaker"] is not None:
        shaped = {k: resolution[k] for k in ("mention", "method", "confidence") if resolution[k]}
        if resolution["through"] is not None:
            shaped["through_attribution"] = f"A{resolution['through']}"
        record["speaker_resolution"] = shaped
    time = _time(attribution["time"], article_ref=article_ref)
    if time:
        record["time"] = time
    return record
