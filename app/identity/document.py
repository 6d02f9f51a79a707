"""Who the speakers of one document are: its speaker mentions grouped into
entities, in memory, with how each mention was resolved.

A careful reader's rules (../shared/design/speaker-identity.md), in order:

1. named mentions: one entity per person name ("Donald J. Trump", "Mr.
   Trump's" and "Trump" are Donald Trump when the document names only one
   Trump; a surname two people of the document share stays apart, unless
   one of them is named far more often), per organisation or outlet name
   ("the Post" is the document's one outlet called "... Post"), per
   anonymous group as written;
2. pronouns, descriptions and "the same sources", in document order: the
   nearest earlier compatible entity (gender from honorifics and first
   names, number, kind), when there is one close enough; else unresolved.

Precision first: a mention this cannot place stays an entity of its own.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.identity.genders import (
    PRONOUN_GENDERS,
    Gender,
    gender_of_name,
    honorific_genders,
)
from app.identity.mentions import (
    PRONOUNS,
    SpeakerClass,
    classify_speaker,
    is_description,
    is_same_sources,
)
from app.identity.names import (
    PersonName,
    bare_mention,
    display_name,
    mention_key,
    name_key,
    person_name,
)

Method = str  # app.attributions.schemas.ResolutionMethod
PERSON_PRONOUN_REACH = 1200  # code points back to look for a "he"'s antecedent
GROUP_PRONOUN_REACH = 500
RELATIVE_REACH = 40  # "Trump, who said": the antecedent is right before
DESCRIPTION_REACH = 400
DOMINANCE = 3  # a shared surname goes to the full name named 3 times as often


@dataclass
class Mention:
    """A speaker mention: where it is (first code point, for the order) and what it says."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """One speaker of the document."""

    kind: str  # an actor kind
    name: str
    key: str
    """Identifies the entity in the document; for ``scope == "global"``
    also what is matched against the database's names."""
    scope: str  # "global": one actor database-wide; "document": this document only
    person: PersonName | None = None
    gender: Gender | None = None
    lone_surname: bool = False
    """A person the document names by surname only ("Trump")."""
    mentions: list[int] = field(default_factory=list)


@dataclass
class Resolution:
    entity: int
    method: Method
    confidence: float
    through: int | None = None
    """For pronouns, descriptions and "the same sources": the index of the
    mention it was resolved through (None when that was no speaker mention)."""


@dataclass
class DocumentSpeakers:
    entities: list[Entity]
    resolutions: list[Resolution]
    """One per mention, in the order the mentions were given."""


_NAME_RUN = re.compile(r"\b[A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][\w'’\-]+)+")


@dataclass
class _Occurrence:
    start: int
    entity: int
    mention: int | None  # the speaker mention, when it is one


class _Resolver:
    def __init__(self, text: str, mentions: Sequence[Mention], media: Sequence[str]) -> None:
        self.text = text
        self.mentions = mentions
        self.entities: list[Entity] = []
        self.by_key: dict[str, int] = {}
        self.resolutions: dict[int, Resolution] = {}
        self.occurrences: list[_Occurrence] = []
        self.media = [name for name in media if name]
        # Every person the text names in full, speaker or not: who a surname
        # may stand for, and who a "he" may refer to.
        self.full_names: dict[str, PersonName] = {}
        self.full_name_counts: dict[str, int] = {}
        for match in _NAME_RUN.finditer(text):
            name = person_name(match.group(0))
            if name is None or len(name.tokens) < 2:
                continue
            if gender_of_name(name.first) is None and not self._speaker_surname(name.surname):
                continue
            self.full_names.setdefault(name.short_key, name)
            self.full_name_counts[name.short_key] = self.full_name_counts.get(name.short_key, 0) + 1

    def _speaker_surname(self, surname: str) -> bool:
        return any(
            (name := person_name(m.text)) is not None and name.surname == surname
            for m in self.mentions
        )

    # -- entities ---------------------------------------------------------------------

    def entity(self, key: str, make: Entity) -> int:
        index = self.by_key.get(key)
        if index is None:
            index = len(self.entities)
            self.entities.append(make)
            self.by_key[key] = index
        return index

    def resolve(
        self, index: int, entity: int, method: Method, confidence: float, **kw: int | None
    ) -> None:
        self.resolutions[index] = Resolution(entity, method, confidence, kw.get("through"))
        self.entities[entity].mentions.append(index)
        self.occurrences.append(_Occurrence(self.mentions[index].start, entity, index))

    def person_entity(self, name: PersonName) -> int:
        key = "person:" + name.short_key
        gender = gender_of_name(name.first)
        honorifics = honorific_genders(self.text, name.tokens[-1])
        if gender is None and len(honorifics) == 1:
            gender = next(iter(honorifics))
        return self.entity(
            key,
            Entity(
                kind="person",
                name=name.display,
                key=name.short_key,
                scope="global",
                person=name,
                gender=gender,
            ),
        )

    def surname_holder(self, name: PersonName) -> PersonName | None:
        """The full name a surname alone stands for in this document, if one."""
        holders = [n for n in self.full_names.values() if n.surname == name.surname]
        honorifics = honorific_genders(self.text, name.tokens[-1])
        if len(honorifics) == 1:
            (gender,) = honorifics
            holders = [n for n in holders if gender_of_name(n.first) in {gender, None}]
        if len(holders) == 1:
            return holders[0]
        if len(holders) > 1:
            counts = sorted(
                ((self.full_name_counts[n.short_key], n) for n in holders),
                key=lambda pair: -pair[0],
            )
            if counts[0][0] >= DOMINANCE * counts[1][0]:
                return counts[0][1]
        return None

    # -- the passes -------------------------------------------------------------------

    def named(self, index: int, kind: SpeakerClass) -> bool:
        mention = self.mentions[index]
        if kind == "person":
            name = person_name(mention.text)
            if name is None:
                return False
            if len(name.tokens) >= 2:
                self.full_names.setdefault(name.short_key, name)
                exact = mention_key(mention.text) == mention_key(name.display)
                self.resolve(
                    index, self.person_entity(name), "exact" if exact else "name_variant", 1.0
                )
                return True
            holder = self.surname_holder(name)
            if holder is not None:
                self.resolve(index, self.person_entity(holder), "name_variant", 0.9)
                return True
            entity = self.person_entity(name)
            self.entities[entity].lone_surname = True
            self.resolve(index, entity, "exact", 0.8)
            return True
        if kind in {"organisation", "media"}:
            key = self.organisation_key(mention.text, kind)
            entity = self.entity(
                f"{kind}:{key}",
                Entity(
                    kind=kind,
                    name=display_name(mention.text.strip(" ,.;:")),
                    key=key,
                    scope="global",
                ),
            )
            self.resolve(index, entity, "exact", 1.0)
            return True
        if kind in {"anonymous", "group"}:
            if is_same_sources(mention.text):
                return False
            key = mention_key(mention.text)
            entity = self.entity(
                f"{kind}:{key}",
                Entity(kind=kind, name=display_name(mention.text), key=key, scope="document"),
            )
            self.resolve(index, entity, "exact", 1.0)
            return True
        return False

    def organisation_key(self, text: str, kind: str) -> str:
        key = name_key(text)
        words = key.split()
        if kind == "media" and len(words) == 1:
            # "the Post", "the Times": the document's one outlet of that name
            outlets = {name_key(m) for m in self.media} | {
                e.key for e in self.entities if e.kind == "media"
            }
            matches = [o for o in outlets if o.split()[-1:] == words and o != key]
            if len(matches) == 1:
                return matches[0]
        if len(words) >= 2 and words[-1] in {"campaign", "camp"}:
            # "the Clinton campaign" / "Hillary Clinton's campaign": one campaign
            name = person_name(" ".join(w.capitalize() for w in words[:-1]))
            if name is not None:
                holder = name if len(name.tokens) >= 2 else self.surname_holder(name)
                if holder is not None:
                    return f"{holder.short_key} campaign"
        return key

    def referring(self, index: int, kind: SpeakerClass) -> None:
        """A pronoun, a description or "the same sources", in document order."""
        mention = self.mentions[index]
        word = bare_mention(mention.text)
        found: tuple[_Occurrence, str, float] | None = None
        if is_same_sources(mention.text):
            found = self.nearest(
                mention.start,
                lambda e: e.kind in {"anonymous", "group"},
                reach=None,
                speakers_only=True,
                method="same_sources",
                confidence=0.85,
            )
        elif kind == "pronoun" and word in PRONOUN_GENDERS:
            gender = PRONOUN_GENDERS[word]
            found = self.nearest(
                mention.start,
                lambda e: e.kind == "person" and e.gender in {gender, None},
                reach=PERSON_PRONOUN_REACH,
                method="pronoun",
                confidence=0.8,
            )
        elif kind == "pronoun" and word in {"who", "whom", "whose", "qui"}:
            found = self.nearest(
                mention.start,
                lambda e: e.kind == "person",
                reach=RELATIVE_REACH,
                method="pronoun",
                confidence=0.9,
            )
        elif kind == "pronoun" and word in {"they", "them", "their", "ils", "elles"}:
            found = self.nearest(
                mention.start,
                lambda e: e.kind in {"anonymous", "group"} and e.key.endswith("s"),
                reach=GROUP_PRONOUN_REACH,
                speakers_only=True,
                method="pronoun",
                confidence=0.6,
            )
        elif kind == "pronoun" and word in {"it", "its", "which"}:
            found = self.nearest(
                mention.start,
                lambda e: e.kind in {"organisation", "media", "government"},
                reach=GROUP_PRONOUN_REACH,
                speakers_only=True,
                method="pronoun",
                confidence=0.6,
            )
        elif (
            kind == "person"
            and is_description(mention.text)
            and word.startswith(("the ", "le ", "la "))
        ):
            found = self.nearest(
                mention.start,
                lambda e: e.kind == "person",
                reach=DESCRIPTION_REACH,
                speakers_only=True,
                method="description",
                confidence=0.6,
            )
        if found is not None:
            occurrence, method, confidence = found
            self.resolve(index, occurrence.entity, method, confidence, through=occurrence.mention)
            return
        # Unresolved: an entity of its own, known only from this mention.
        actor_kind = PRONOUNS.get(word, "anonymous" if is_same_sources(mention.text) else kind)
        if actor_kind == "pronoun":
            actor_kind = "person"
        entity = len(self.entities)
        self.entities.append(
            Entity(
                kind=actor_kind,
                name=display_name(mention.text),
                key=f"unresolved:{index}",
                scope="document",
            )
        )
        self.resolve(index, entity, "new", 0.3 if kind == "pronoun" else 0.5)

    def nearest(
        self,
        before: int,
        compatible: Callable[[Entity], bool],
        *,
        reach: int | None,
        method: str,
        confidence: float,
        speakers_only: bool = False,
    ) -> tuple[_Occurrence, str, float] | None:
        best: _Occurrence | None = None
        for occurrence in self.occurrences:
            if occurrence.start >= before or (speakers_only and occurrence.mention is None):
                continue
            if reach is not None and before - occurrence.start > reach:
                continue
            if not compatible(self.entities[occurrence.entity]):
                continue
            if best is None or occurrence.start > best.start:
                best = occurrence
        if best is None:
            return None
        return best, method, confidence

    def text_occurrences(self) -> None:
        """Where the text names each person entity (by surname or full name),
        beyond the speaker mentions: antecedents for "he" and "she"."""
        by_surname: dict[str, set[int]] = {}
        for index, entity in enumerate(self.entities):
            if entity.person is not None:
                by_surname.setdefault(entity.person.tokens[-1], set()).add(index)
        for full in self.full_names.values():
            if f"person:{full.short_key}" not in self.by_key:
                holders = by_surname.get(full.tokens[-1], set())
                if not holders or all(self.entities[h].lone_surname for h in holders):
                    # a person named in the text who is no speaker yet: a possible antecedent
                    by_surname.setdefault(full.tokens[-1], set()).add(self.person_entity(full))
        for surname, holders in by_surname.items():
            named = [h for h in holders if not self.entities[h].lone_surname]
            owners = named or list(holders)
            if len(owners) != 1:
                continue  # "Clinton" where Bill and Hillary are both named: nobody's
            for match in re.finditer(r"\b" + re.escape(surname) + r"\b", self.text):
                self.occurrences.append(_Occurrence(match.start(), owners[0], None))

    def run(self) -> DocumentSpeakers:
        order = sorted(range(len(self.mentions)), key=lambda i: self.mentions[i].start)
        kinds = {i: classify_speaker(self.mentions[i].text) for i in order}
        later = [i for i in order if not self.named(i, kinds[i])]
        self.text_occurrences()
        for index in later:
            self.referring(index, kinds[index])
        for entity in self.entities:
            if entity.lone_surname and entity.person is not None:
                holder = self.surname_holder(entity.person)
                if holder is not None and entity.person.key != holder.short_key:
                    entity.lone_surname = False
        return DocumentSpeakers(
            entities=self.entities,
            resolutions=[self.resolutions[i] for i in range(len(self.mentions))],
        )


def resolve_document(
    text: str, mentions: Sequence[Mention], *, media: Sequence[str] = ()
) -> DocumentSpeakers:
    """The speakers of one document. ``media``: outlets the document is known
    to come from (its publisher), so that "the Post" finds "The Washington Post"."""
    return _Resolver(text, mentions, media).run()
