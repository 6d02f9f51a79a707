"""A document's entities as the resolver finds them: one per person,
organisation, campaign or group, looked up by key so that every mention of
one lands on one entity."""

import re
from collections.abc import Callable, Sequence

from app.identity.entities import Entity, Mention, Occurrence, Resolution, nearest
from app.identity.names import PersonName, name_key
from app.identity.people import PeopleInText
from app.identity.publications import introduced, may_name
from app.identity.readings import MEDIA_NOUNS, Reading, fits_noun

CAMPAIGN_REACH = 1000
""""The campaign": the campaign of a person named this close."""


class Registry:
    def __init__(
        self,
        mentions: Sequence[Mention],
        readings: Sequence[Reading],
        people: PeopleInText,
        media: Sequence[str],
    ) -> None:
        self.mentions = mentions
        self.readings = readings
        self.people = people
        self.media = [name_key(name) for name in media if name]
        # the fullest name known for an organisation's key ("the Times" of a
        # document from The New York Times is shown, and found, as that)
        self.shown = {name_key(name): name for name in media if name}
        self.shown.update({r.key: r.display for r in readings if r.what == "organisation"})
        # "the Security Council" after "The United Nations Security Council":
        # a name the document also gives in full is that organisation.
        names = {r.key for r in readings if r.what == "organisation" and r.key}
        self.longer: dict[str, str] = {}
        for key in names:
            fuller = [n for n in names if n.endswith(" " + key)]
            if len(key.split()) >= 2 and len(fuller) == 1:
                self.longer[key] = fuller[0]
            # "CNS" after "Christian News Service": the initials of one name it gives
            spelt = [
                n
                for n in names | set(self.media)  # "NYT" in The New York Times
                if len(key) >= 2 and " " not in key and _initials(n) == key
            ]
            if len(spelt) == 1:
                self.longer[key] = spelt[0]
        self.entities: list[Entity] = []
        self.by_key: dict[str, int] = {}
        self.resolutions: dict[int, Resolution] = {}
        self.occurrences: list[Occurrence] = []
        # Whether the text calls an outlet by a noun: asked for every outlet at
        # every "the network", each time a read of the whole text.
        self.called: dict[tuple[str, str], bool] = {}

    def entity(self, key: str, make: Callable[[], Entity]) -> int:
        index = self.by_key.get(key)
        if index is None:
            index = len(self.entities)
            self.entities.append(make())
            self.by_key[key] = index
        return index

    def resolve(
        self, index: int, entity: int, method: str, confidence: float, through: int | None = None
    ) -> None:
        self.resolutions[index] = Resolution(entity, method, confidence, through)
        self.entities[entity].mentions.append(index)
        mention = self.mentions[index]
        self.occurrences.append(Occurrence(mention.start, mention.end, entity, index))

    def person_entity(self, name: PersonName, *, scope: str = "global") -> int:
        fuller = self.people.full.get(name.short_key, name)
        if fuller.suffix and not name.suffix and fuller.middle in {"", name.middle}:
            name = fuller  # "Joseph R. Biden": the text's "Joseph R. Biden Jr."
        key = f"person:{name.formal_key}"
        known = self.by_key.get(key)
        if known is not None:
            theirs = self.entities[known].person
            if theirs is not None and not theirs.compatible(name):
                key = f"person:{name.short_key}|{name.middle}"  # George W. and H. W. Bush
        return self.entity(
            key,
            lambda: Entity(
                kind="person",
                name=name.display,
                key=name.short_key,
                scope=scope,
                person=name,
                gender=self.people.gender(name),
            ),
        )

    def outlets(self) -> set[str]:
        return set(self.media) | {e.key for e in self.entities if e.kind == "media"}

    def organisation_entity(self, reading: Reading, key: str) -> int:
        key = self.longer.get(key, key)
        return self.entity(
            f"organisation:{key}",
            lambda: Entity(
                kind=reading.kind,
                name=self.shown.get(key, reading.display),
                key=key,
                scope="global",
            ),
        )

    def campaign_entity(self, person_key: str, person_name: str, year: str = "") -> int:
        """The campaign of a person (global: "the Clinton campaign" is one);
        of a ``year`` when the text gives one ("a Hillary Clinton ad in 2008")."""
        key = " ".join(filter(None, (person_key, year, "campaign")))
        name = " ".join(filter(None, (person_name, year, "campaign")))
        return self.entity(
            f"organisation:{key}",
            lambda: Entity(kind="organisation", name=name, key=key, scope="global"),
        )

    def own_entity(self, index: int, kind: str, *, key: str = "", name: str = "") -> int:
        """An entity of this document known from ``index`` alone, or the
        document's entity of that ``key`` (a group named twice)."""
        shown = name or " ".join(self.mentions[index].text.split())

        def make() -> Entity:
            return Entity(
                kind=kind, name=shown, key=key or shown, scope="document", placed=bool(key)
            )

        if key:
            return self.entity(f"{kind}:{key}", make)
        self.entities.append(make())
        return len(self.entities) - 1

    def publisher(
        self, text: str, start: int, noun: str, owner: str | None = None
    ) -> Occurrence | None:
        """Who put out the thing a description at ``start`` repeats ("Hillary
        Clinton has a new campaign ad … The 30-second spot": her campaign);
        with an ``owner`` ("The GOP's complaint"), only an organisation that
        ``owner`` may name."""
        found = introduced(text, start, noun, self.occurrences)
        if found is None:
            return None
        entity = self.entities[found.by.entity]
        index = found.by.entity
        if owner is not None and (
            entity.kind not in {"organisation", "government", "media"}
            or not may_name(owner, entity.name)
        ):
            return None
        if found.campaign and entity.kind == "person":
            index = self.campaign_entity(entity.key, entity.name)
        return Occurrence(found.by.start, found.by.end, index, found.by.mention)

    def team_candidate(
        self, start: int, description: str, main: set[int], reach: int
    ) -> Occurrence | None:
        """ "The Trump team has said … The GOP candidate proposes": the
        candidate of the campaign that spoke last (within ``reach``), one of
        the document's ``main`` people, if the description fits them and
        the other main person is not named in between."""
        teams: dict[int, int] = {}
        for person in main:
            team = self.by_key.get(f"organisation:{self.entities[person].key} campaign")
            if team is not None:
                teams[team] = person
        spoke = nearest(
            self.occurrences,
            lambda o: o.entity in teams,
            start,
            reach=reach,
            speakers=True,
            by_end=True,
        )
        if spoke is None:
            return None
        person = teams[spoke.entity]
        if not self.people.may_be(self.entities[person].person, description):
            return None
        if any(
            o.entity in main - {person} and spoke.end <= o.start < start for o in self.occurrences
        ):
            return None  # "The Clinton campaign said Trump … The GOP candidate": not hers
        return Occurrence(spoke.start, spoke.end, person, spoke.mention)

    def called_so(self, text: str, name: str, noun: str) -> bool:
        if (name, noun) not in self.called:
            self.called[name, noun] = called_so(text, name, noun)
        return self.called[name, noun]

    def described_thing(self, text: str, start: int, word: str) -> Occurrence | None:
        """ "the commission", "the newspaper", "the ad": the nearest
        organisation speaker the noun fits (``fits_noun``), or who the text
        just said put out the thing; "the campaign": the campaign of the
        person named last, not the campaign that spoke last."""
        fits = [i for i, e in enumerate(self.entities) if fits_noun(e.kind, e.key, word, e.name)]
        if word in MEDIA_NOUNS:
            # "the RT America television network … The network": not The Times
            called = [
                i
                for i, e in enumerate(self.entities)
                if e.kind in {"media", "organisation"} and self.called_so(text, e.name, word)
            ]
            fits = called or fits
        found = nearest(self.occurrences, lambda o: o.entity in fits, start, speakers=True)
        # "Hillary Clinton has a new campaign ad … The 30-second spot": hers
        by = self.publisher(text, start, word)
        if by is not None and (found is None or by.start > found.start):
            found = by
        if word in {"campaign", "team", "camp"}:
            # "Hillary Clinton plans … The campaign says": hers
            has = {k.removeprefix("organisation:") for k in self.by_key}
            o = nearest(
                self.occurrences,
                lambda o: f"{self.entities[o.entity].key} campaign" in has,
                start,
                reach=CAMPAIGN_REACH,
            )
            if o is not None and (found is None or o.start > found.end):
                campaign = self.by_key[f"organisation:{self.entities[o.entity].key} campaign"]
                found = Occurrence(o.start, o.end, campaign, o.mention)
        return found


def called_so(text: str, name: str, noun: str) -> bool:
    """The text calls the outlet ``name`` a ``noun``: "the RT America
    television network", "Russia Today, the global satellite network"."""
    bare = re.escape(re.sub(r"^(?:the|The)\s+", "", name.strip()))
    return (
        re.search(
            r"\b" + bare + r"(?:\s+[\w-]+){0,3}\s+" + noun + r"\b"
            r"|\b" + bare + r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,4}" + noun + r"\b",
            text,
        )
        is not None
    )


def _initials(key: str) -> str:
    """ "christian news service": "cns"; "federal bureau of investigation": "fbi"."""
    spelt = [w for w in key.split() if w not in {"the", "of", "for", "and", "on", "in"}]
    return "".join(w[0] for w in spelt) if len(spelt) >= 2 else ""
