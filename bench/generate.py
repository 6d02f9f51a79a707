"""Deterministic benchmark data as NDJSON bundles, for the bulk path.

    python -m bench.generate --claims 100000 --out /tmp/bench-100k.ndjson

One line per bundle (``app/bundles/format.py``): first the actors (5,000 a
bundle) and the events, then one bundle per source document in publication
order, holding the source, the claims first reported there, their
attributions and a few claim relations. Every record's ``ref`` is a UUID, so
its id is that UUID (``record_id``) and later bundles refer to earlier
records by id: a relay chain runs across documents as it does in the news.
``onrecord import FILE`` (``app.bundles.importer``) loads the file: that is
the bulk import the benchmark times.

Shape, for C claims (the issue's 1M claims: 50k actors, 200k sources):

- C/20 actors (at least 200): up to 500 media (the publishers), 5% anonymous
  ("US diplomats", with English and French descriptions as aliases), the
  rest persons (a third with a spelling alias, some with an abbreviation and
  a Wikidata id), organisations, governments, groups (with a French name);
  speakers follow a skewed popularity;
- C/5 sources, 30% French, published over 14 months, with fuzzy dates;
- claims in the language of the source that first reports them: English text
  drawn from PolNeAR's annotated contents when ``../shared/polnear`` is there
  (read at generation time, never written to the repository), else made from
  word lists; some translated;
- about 3 attributions per claim (1 to 6), in relay chains of depth 1 to 4
  (a link relays the previous one, in the same document or a later one, its
  speaker the earlier document's publisher or the original speaker), some
  claims with several independent chains; about 5% of attributions have an
  anonymous speaker, a few are the source's own voice; fuzzy times at day,
  week, month and year precision, relative to the source, or unknown;
- C/100 events with participants and relations; claims about events; claim
  relations (contradicts, supports, refines, same_as, follows_from) for 2% of
  claims.

Everything comes from one ``random.Random(seed)`` consumed in a fixed order:
one (size, seed) always gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

import orjson

VERSION = 1
"""Bump when the output changes: cached files are named after it."""

SEED = 20261125
DEFAULT_POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "polnear"
FIRST_DAY = date(2015, 11, 1)
DAYS = 426  # to 2016-12-31

# Table tags inside the ids (the UUIDv7 "rand_a" field).
ACTOR, SOURCE, EVENT, CLAIM, ATTRIBUTION, RELATION = 1, 2, 3, 4, 5, 6
ACTORS_PER_BUNDLE = 5000


def uid(tag: int, n: int) -> str:
    """A UUIDv7-shaped id, a pure function of (tag, n): ordered by n like the
    app's creation-ordered ids."""
    h = f"{1735689600000 + n:012x}7{tag:03x}8{n:015x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class Plan:
    claims: int
    actors: int
    media: int
    anonymous: int
    sources: int
    events: int

    @classmethod
    def at(cls, claims: int) -> Plan:
        actors = max(200, claims // 20)
        return cls(
            claims=claims,
            actors=actors,
            media=min(500, max(10, actors // 100)),
            anonymous=max(5, actors // 20),
            sources=max(50, claims // 5),
            events=max(20, claims // 100),
        )


# Word lists written for this generator (not taken from any corpus).
SUBJECTS = {
    "en": ["The government", "The senator", "The campaign", "The ministry", "The president",
           "The committee", "The governor", "The army", "The coalition", "The agency"],
    "fr": ["Le gouvernement", "Le sénateur", "La campagne", "Le ministère", "Le président",
           "La commission", "Le gouverneur", "L'armée", "La coalition", "L'agence"],
}  # fmt: skip
VERBS = {
    "en": ["approved", "rejected", "backed", "delayed", "funded", "opposed", "negotiated",
           "announced", "cancelled", "investigated", "welcomed", "condemned"],
    "fr": ["a approuvé", "a rejeté", "a soutenu", "a retardé", "a financé", "s'est opposé à",
           "a négocié", "a annoncé", "a annulé", "a enquêté sur", "a salué", "a condamné"],
}  # fmt: skip
OBJECTS = {
    "en": ["the ceasefire plan", "the trade agreement", "the border wall", "the health bill",
           "the offensive on the capital", "the tax reform", "the sanctions",
           "the election audit", "the pipeline", "the peace talks", "the arms embargo",
           "the refugee quota", "the budget", "the nuclear deal"],
    "fr": ["le plan de cessez-le-feu", "l'accord commercial", "le mur frontalier",
           "la loi sur la santé", "l'offensive sur la capitale", "la réforme fiscale",
           "les sanctions", "l'audit électoral", "l'oléoduc", "les pourparlers de paix",
           "l'embargo sur les armes", "les quotas de réfugiés", "le budget",
           "l'accord nucléaire"],
}  # fmt: skip
WHEN = {
    "en": ["on Monday", "on Tuesday", "last week", "in March", "this year", "after the vote",
           "before the summit", "in a statement", "behind closed doors", "again"],
    "fr": ["lundi", "mardi", "la semaine dernière", "en mars", "cette année", "après le vote",
           "avant le sommet", "dans un communiqué", "à huis clos", "de nouveau"],
}  # fmt: skip
CUES = {
    "en": ["said", "says", "told", "according to", "wrote", "added", "reported", "noted",
           "claimed", "insisted", "warned", "confirmed"],
    "fr": ["a déclaré", "selon", "a affirmé", "ont confié", "a indiqué", "a estimé",
           "révèlent", "a assuré", "a ajouté", "a démenti"],
}  # fmt: skip
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}  # fmt: skip
FIRST_NAMES = ["Anna", "Karim", "John", "Marie", "Olga", "Peter", "Fatima", "Luis", "Mei",
               "Tom", "Ines", "Samuel", "Nadia", "Victor", "Julia", "Omar", "Chloé", "Hélène",
               "Jürgen", "Zoë", "Mohammed", "Aisha", "Li", "Pierre"]  # fmt: skip
LAST_NAMES = ["Martin", "Haddad", "Smith", "Dubois", "Ivanova", "Bode", "Rahman", "Garcia",
              "Chen", "Walker", "Moreau", "Okafor", "Nowak", "Rossi", "Khan", "Silva",
              "Lefèvre", "Müller", "el-Sisi", "Haftar", "Nguyen", "O'Brien"]  # fmt: skip
MEDIA_WORDS = ["Daily", "Herald", "Courier", "Post", "Tribune", "Gazette", "Wire", "Journal",
               "Le Monde", "Libération", "Dépêche", "Écho"]  # fmt: skip
ANONYMOUS_GROUPS = [
    ("US", "diplomats", "des diplomates américains"),
    ("FR", "officials", "des responsables français"),
    ("GB", "intelligence officials", "des sources du renseignement britannique"),
    ("US", "campaign aides", "des conseillers de campagne"),
    ("RU", "military sources", "des sources militaires russes"),
    ("LY", "people familiar with the talks", "des proches des négociations"),
    ("EG", "government advisers", "des conseillers du gouvernement égyptien"),
    ("DE", "party insiders", "des cadres du parti"),
]
EVENT_KINDS = ["meeting", "call", "statement", "offensive", "visit", "vote", "debate", "summit"]
SOURCE_KINDS = ["article"] * 14 + ["report", "statement", "press_release", "interview",
                                   "transcript", "broadcast"]  # fmt: skip
RELATION_KINDS = ["contradicts", "contradicts", "supports", "supports", "refines", "same_as",
                  "follows_from"]  # fmt: skip


def polnear_sentences(root: Path | None) -> list[str]:
    """English claim texts: the annotated contents of PolNeAR's attributions,
    deduplicated, in a fixed order; empty without the corpus."""
    if root is None or not root.is_dir():
        return []
    seen: set[str] = set()
    texts: list[str] = []
    for path in sorted(root.glob("*/attributions/*.ann")):
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) < 3 or not cells[1].startswith("Content "):
                continue
            text = re.sub(r"\s+", " ", cells[2]).strip().strip('"“”')
            if 20 <= len(text) <= 400 and text not in seen:
                seen.add(text)
                texts.append(text)
    return texts


def _day(offset: int) -> date:
    return FIRST_DAY + timedelta(days=min(DAYS, max(0, offset)))


def _iso(day: date) -> str:
    return day.isoformat()


class Generator:
    def __init__(self, claims: int, *, seed: int = SEED, polnear: Path | None = None) -> None:
        self.plan = Plan.at(claims)
        self.random = random.Random(seed)  # noqa: S311 -- data, not secrets
        self.sentences = polnear_sentences(polnear)
        self.shape = f"polnear ({len(self.sentences)} contents)" if self.sentences else "generated"
        plan = self.plan
        self.named_first = plan.media + plan.anonymous  # actor numbers: media, anonymous, named
        self.named = plan.actors - self.named_first
        self.counts: dict[str, int] = defaultdict(int)

    # -- picks -------------------------------------------------------------------

    def _pick(self, items: list[str]) -> str:
        return items[int(self.random.random() * len(items))]

    def _named_speaker(self) -> int:
        # Skewed popularity: a few speakers (candidates) say much of it.
        return self.named_first + int(self.random.random() ** 2.5 * self.named)

    def _anonymous_speaker(self) -> int:
        return self.plan.media + int(self.random.random() * self.plan.anonymous)

    def publisher_of(self, source: int) -> int:
        # A pure function of the source: no draw from the stream.
        return (source * 2654435761) % self.plan.media

    def source_day(self, source: int) -> date:
        return _day(source * DAYS // self.plan.sources)

    def source_language(self, source: int) -> str:
        return "fr" if (source * 40503) % 100 < 30 else "en"

    # -- actors and events -----------------------------------------------------------

    def _actor(self, n: int) -> dict[str, Any]:
        plan, r = self.plan, self.random
        names: list[dict[str, Any]] = []
        actor: dict[str, Any] = {"ref": uid(ACTOR, n)}
        if n < plan.media:
            word = MEDIA_WORDS[n % len(MEDIA_WORDS)]
            name = f"The {word} {n}" if not word[0].islower() else f"{word} {n}"
            actor |= {"kind": "media", "name": name}
            names.append({"name": f"{word[:3].upper()}{n}", "kind": "abbreviation"})
        elif n < self.named_first:
            nationality, role, french = ANONYMOUS_GROUPS[n % len(ANONYMOUS_GROUPS)]
            actor |= {
                "kind": "anonymous",
                "name": f"{nationality} {role} ({n})",
                "description": f"Unnamed {role}, known only by description",
                "nationality": nationality,
                "role_description": role,
            }
            names += [
                {"name": f"the same {role} ({n})", "language": "en", "kind": "description"},
                {"name": f"{french} ({n})", "language": "fr", "kind": "description"},
            ]
        else:
            u = r.random()
            kind = (
                "person"
                if u < 0.65
                else "organisation"
                if u < 0.82
                else "government"
                if u < 0.92
                else "group"
            )
            if kind == "person":
                first, last = self._pick(FIRST_NAMES), self._pick(LAST_NAMES)
                name = f"{first} {last} {n}"
                actor |= {"kind": kind, "name": name}
                if r.random() < 0.3:
                    spelled = name.replace("o", "oh").replace("a", "ah").replace("é", "e")
                    if spelled != name:
                        names.append({"name": spelled, "kind": "spelling"})
                if r.random() < 0.1:
                    names.append({"name": f"{first[0]}{last[0]}{n}", "kind": "abbreviation"})
                if r.random() < 0.2:
                    actor["wikidata_id"] = f"Q{1000 + n}"
            else:
                label = {"organisation": "Organisation", "government": "Government of",
                         "group": "Group"}[kind]  # fmt: skip
                french = {"organisation": "Organisation", "government": "Gouvernement de",
                          "group": "Groupe"}[kind]  # fmt: skip
                actor |= {"kind": kind, "name": f"{label} {n}"}
                names.append({"name": f"{french} {n}", "language": "fr", "kind": "alias"})
        if names:
            actor["names"] = names
        self.counts["actors"] += 1
        return actor

    def _event(self, e: int) -> dict[str, Any]:
        r = self.random
        kind = self._pick(EVENT_KINDS)
        day = _day(e * DAYS // self.plan.events - 3)
        u = r.random()
        event: dict[str, Any] = {"ref": uid(EVENT, e), "kind": kind, "title": f"{kind} {e}"}
        if u < 0.6:
            event["time"] = {"expression": _iso(day), "earliest": _iso(day), "latest": _iso(day),
                             "precision": "day"}  # fmt: skip
        elif u < 0.85:
            first = day.replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            event["time"] = {"expression": MONTHS["en"][day.month - 1], "earliest": _iso(first),
                             "latest": _iso(last), "precision": "month"}  # fmt: skip
        participants = {self._named_speaker() for _ in range(2 + int(r.random() * 3))}
        event["participants"] = [
            {"actor": uid(ACTOR, a), "role": "organiser" if i == 0 else "participant"}
            for i, a in enumerate(sorted(participants))
        ]
        if e > 0 and r.random() < 0.2:
            event["relations"] = [{"relation": "after", "event": uid(EVENT, e - 1),
                                   "offset_days": 6, "expression": "6 days after"}]  # fmt: skip
        self.counts["events"] += 1
        return event

    # -- documents -------------------------------------------------------------------

    def _claim_text(self, language: str, c: int) -> tuple[str, str | None]:
        """The claim's text, and its translation into the other language when
        it is made from the word lists (same picks, so it says the same)."""
        r = self.random
        if language == "en" and self.sentences and r.random() < 0.8:
            return self.sentences[int(r.random() * len(self.sentences))], None
        picks = [int(r.random() * len(words["en"])) for words in (SUBJECTS, VERBS, OBJECTS, WHEN)]

        def said(lang: str) -> str:
            subject, verb, thing, when = (
                words[lang][i]
                for words, i in zip((SUBJECTS, VERBS, OBJECTS, WHEN), picks, strict=True)
            )
            return f"{subject} {verb} {thing} {when} ({'dossier' if lang == 'fr' else 'file'} {c})"

        return said(language), said("fr" if language == "en" else "en")

    def _time(self, source: int, language: str) -> dict[str, Any]:
        r = self.random
        day = self.source_day(source)
        u = r.random()
        if u < 0.45:
            said = day - timedelta(days=int(r.random() * 4))
            return {"expression": WEEKDAYS[language][said.weekday()], "earliest": _iso(said),
                    "latest": _iso(said), "precision": "day"}  # fmt: skip
        if u < 0.55:
            said = day - timedelta(days=1)
            return {"expression": "hier" if language == "fr" else "yesterday",
                    "relative_to": "source", "anchor_source": uid(SOURCE, source),
                    "offset_days": -1, "earliest": _iso(said), "latest": _iso(said),
                    "precision": "day"}  # fmt: skip
        if u < 0.65:
            return {"expression": "la semaine dernière" if language == "fr" else "last week",
                    "earliest": _iso(day - timedelta(days=13)),
                    "latest": _iso(day - timedelta(days=7)), "precision": "week"}  # fmt: skip
        if u < 0.80:
            first = day.replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            return {"expression": MONTHS[language][day.month - 1], "earliest": _iso(first),
                    "latest": _iso(last), "precision": "month"}  # fmt: skip
        if u < 0.85:
            return {"expression": str(day.year), "earliest": f"{day.year}-01-01",
                    "latest": f"{day.year}-12-31", "precision": "year"}  # fmt: skip
        return {}

    def bundles(self) -> Iterator[dict[str, Any]]:
        """Every bundle, in load order."""
        plan, r = self.plan, self.random
        for start in range(0, plan.actors, ACTORS_PER_BUNDLE):
            actors = [self._actor(n) for n in range(start, min(plan.actors, start + 5000))]
            yield {"format": "onrecord-bundle", "version": 1, "id": f"bench-actors-{start}",
                   "actors": actors}  # fmt: skip
        yield {
            "format": "onrecord-bundle",
            "version": 1,
            "id": "bench-events",
            "events": [self._event(e) for e in range(plan.events)],
        }
        # Links waiting for the document that reports them: source number ->
        # [(claim, speaker or None, depth left, relayed attribution, is origin)].
        pending: dict[int, list[tuple[int, int | None, int, int | None]]] = defaultdict(list)
        claim_language: dict[int, str] = {}
        next_claim = 0
        next_attribution = 0
        for s in range(plan.sources):
            language = self.source_language(s)
            day = self.source_day(s)
            publisher = self.publisher_of(s)
            u = r.random()
            published: dict[str, Any] = {}
            if u < 0.93:
                published = {"expression": _iso(day), "earliest": _iso(day), "latest": _iso(day),
                             "precision": "day"}  # fmt: skip
            elif u < 0.98:
                first = day.replace(day=1)
                last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
                published = {"expression": f"{MONTHS[language][day.month - 1]} {day.year}",
                             "earliest": _iso(first), "latest": _iso(last),
                             "precision": "month"}  # fmt: skip
            source: dict[str, Any] = {
                "ref": uid(SOURCE, s),
                "kind": self._pick(SOURCE_KINDS),
                "title": f"{'Dépêche' if language == 'fr' else 'Report'} {s}: "
                f"{self._pick(OBJECTS[language])}",
                "publisher": uid(ACTOR, publisher),
                "url": f"https://news.example/{publisher}/{s}",
                "language": language,
                "published": published,
            }
            if r.random() < 0.5:
                source["authors"] = [uid(ACTOR, self._named_speaker())]
            claims: list[dict[str, Any]] = []
            relations: list[dict[str, Any]] = []
            # Claims first reported here: C/S per document, spread evenly.
            born_until = (s + 1) * plan.claims // plan.sources
            while next_claim < born_until:
                c = next_claim
                next_claim += 1
                wording, translated = self._claim_text(language, c)
                claim: dict[str, Any] = {
                    "ref": uid(CLAIM, c),
                    "text": wording,
                    "language": language,
                }
                claim_language[c] = language
                if translated and r.random() < (0.4 if language == "fr" else 0.1):
                    other = "en" if language == "fr" else "fr"
                    claim["translations"] = [{"language": other, "text": translated,
                                              "note": "generated translation"}]  # fmt: skip
                if r.random() < 0.03:
                    claim["events"] = [uid(EVENT, int(r.random() * plan.events))]
                claims.append(claim)
                if c > 10 and r.random() < 0.02:
                    other_claim = c - 1 - int(r.random() * min(c - 1, 5000))
                    relations.append({"ref": uid(RELATION, c), "kind": self._pick(RELATION_KINDS),
                                      "from_claim": uid(CLAIM, c),
                                      "to_claim": uid(CLAIM, other_claim)})  # fmt: skip
                    self.counts["claim_relations"] += 1
                # About 3 attributions (1 to 6) in chains of depth 1 to 4: the
                # first chain starts here, others in documents soon after.
                total = r.choices((1, 2, 3, 4, 5, 6), (20, 20, 25, 15, 12, 8))[0]
                first_chain = True
                while total > 0:
                    depth = min(total, r.choices((1, 2, 3, 4), (40, 30, 20, 10))[0])
                    total -= depth
                    at = s if first_chain else min(plan.sources - 1, s + int(r.random() * 30))
                    first_chain = False
                    v = r.random()
                    speaker = (
                        self._anonymous_speaker()
                        if v < 0.065
                        else None
                        if v < 0.105
                        else self._named_speaker()
                    )
                    pending[at].append((c, speaker, depth, None))
            self.counts["claims"] += len(claims)
            self.counts["sources"] += 1
            # This document's attributions: a queue, as a link relayed within
            # the same document (nested reporting) is appended to it.
            attributions: list[dict[str, Any]] = []
            queue = pending.pop(s, [])
            index = 0
            while index < len(queue):
                c, speaker, depth, relays = queue[index]
                index += 1
                a = next_attribution
                next_attribution += 1
                language_c = claim_language[c]
                mode = (
                    "own_voice"
                    if speaker is None
                    else "paraphrase"
                    if relays is not None
                    else r.choices(("direct_quote", "partial_quote", "paraphrase"), (35, 10, 55))[0]
                )
                anonymous = speaker is not None and plan.media <= speaker < self.named_first
                certainty = (
                    "alleged"
                    if anonymous and r.random() < 0.6
                    else r.choices(
                        ("asserted", "alleged", "denied", "hypothetical", "unknown"),
                        (65, 20, 5, 5, 5),
                    )[0]
                )
                attribution: dict[str, Any] = {
                    "ref": uid(ATTRIBUTION, a),
                    "claim": uid(CLAIM, c),
                    "source": uid(SOURCE, s),
                    "mode": mode,
                    "certainty": certainty,
                    "time": self._time(s, language),
                }
                if speaker is not None:
                    attribution["speaker"] = uid(ACTOR, speaker)
                    attribution["cue"] = self._pick(CUES[language])
                if relays is not None:
                    attribution["relayed_through"] = uid(ATTRIBUTION, relays)
                if r.random() < 0.02:
                    attribution["occasion_event"] = uid(EVENT, int(r.random() * plan.events))
                attributions.append(attribution)
                if language_c != language:
                    self.counts["cross_language_attributions"] += 1
                if anonymous:
                    self.counts["anonymous_speaker_attributions"] += 1
                if depth > 1:
                    # The next link: in this document (nested) or a later one;
                    # said by this document's publisher or the same speaker.
                    nested = r.random() < 0.15
                    at = s if nested else min(plan.sources - 1, s + 1 + int(r.random() * 150))
                    relayer = (
                        publisher if nested or speaker is None or r.random() < 0.5 else speaker
                    )
                    if at == s:
                        queue.append((c, relayer, depth - 1, a))
                    else:
                        pending[at].append((c, relayer, depth - 1, a))
                    self.counts["relayed_attributions"] += 1
            self.counts["attributions"] += len(attributions)
            bundle: dict[str, Any] = {
                "format": "onrecord-bundle",
                "version": 1,
                "id": f"bench-s{s}",
                "sources": [source],
            }
            if claims:
                bundle["claims"] = claims
            if attributions:
                bundle["attributions"] = attributions
            if relations:
                bundle["claim_relations"] = relations
            yield bundle
        assert not pending, "every link is placed in a document (the last ones at the end)"


def write(
    claims: int, out: IO[bytes], *, seed: int = SEED, polnear: Path | None = None
) -> dict[str, Any]:
    """Write the NDJSON; returns the counts and a digest of the bytes."""
    generator = Generator(claims, seed=seed, polnear=polnear)
    digest = hashlib.sha256()
    lines = 0
    for bundle in generator.bundles():
        line = orjson.dumps(bundle) + b"\n"
        digest.update(line)
        out.write(line)
        lines += 1
    return {
        "claims_requested": claims,
        "seed": seed,
        "generator_version": VERSION,
        "shape": generator.shape,
        "bundles": lines,
        "counts": dict(generator.counts),
        "sha256": digest.hexdigest(),
    }


def cached(
    claims: int, directory: Path, *, seed: int = SEED, polnear: Path | None = None
) -> tuple[Path, dict[str, Any]]:
    """The NDJSON file for (claims, seed), written once into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    tag = "polnear" if polnear_sentences_exist(polnear) else "generated"
    path = directory / f"bench-v{VERSION}-{claims}-{seed}-{tag}.ndjson"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return path, orjson.loads(meta.read_bytes())
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        summary = write(claims, out, seed=seed, polnear=polnear)
    partial.rename(path)
    meta.write_bytes(orjson.dumps(summary))
    return path, summary


def polnear_sentences_exist(root: Path | None) -> bool:
    return root is not None and any(root.glob("*/attributions/*.ann"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    parser.add_argument("--out", type=Path, help="NDJSON file (default: standard output).")
    args = parser.parse_args()
    if args.out is None:
        summary = write(args.claims, sys.stdout.buffer, seed=args.seed, polnear=args.polnear)
    else:
        with args.out.open("wb") as out:
            summary = write(args.claims, out, seed=args.seed, polnear=args.polnear)
    print(orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode(), file=sys.stderr)


if __name__ == "__main__":
    main()
