"""What a pronoun refers to, read back from where it stands: "he" and
"she" to the latest compatible speaker (or the person a later sentence
opens with, or who a preposed clause's subject is), "who" to what ends
right before it, "they" to the nearest group, "it" to the nearest
organisation. ``app.identity.document`` places them; this is how."""

import re
from collections.abc import Callable

from app.identity import cataphora, context, variants
from app.identity.entities import Entity, Occurrence
from app.identity.entities import nearest as nearest_occurrence
from app.identity.names import name_key
from app.identity.readings import Reading, read_mention
from app.identity.registry import Registry
from app.identity.subjects import opens_sentence, said_after
from app.identity.wording import reading_of

PERSON_PRONOUN_REACH = 1500  # code points back to look for a "he"'s antecedent
SPEAKER_REACH = 1000  # ... among the speakers first, unless a sentence names one after
GROUP_PRONOUN_REACH = 600
RELATIVE_REACH = 3  # "Trump, who said": the antecedent ends right before
QUALIFIED_REACH = 60
QUALIFIER = re.compile(
    r"(?:\s+of\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}|\s*\([^()]{1,30}\)|,\s*\d{1,3})"
    r",?\s*"
)
"""What may stand between a person's name and its "who": where they are
from, a party and state in parentheses, an age."""


class Antecedents(Registry):
    text: str

    def antecedent(self, index: int, reading: Reading) -> tuple[Occurrence | None, float]:
        mention = self.mentions[index]
        word = reading.word
        if reading.gender is not None:
            gender = reading.gender

            def fits(e: Entity) -> bool:
                return e.kind == "person" and e.gender in {gender, None} and e.placed

            def agent(o: Occurrence) -> bool:  # "When pressed by Holt …, his"
                # "a possible Trump administration": a name as a noun's modifier
                return cataphora.passive_agent(
                    self.text, o.start, mention.start
                ) or context.attributive(self.text, o)

            def fitting(entity: int) -> bool:
                return fits(self.entities[entity])

            # "When he took office, Obama said": the subject after the clause
            preposed = cataphora.preposed_subject(
                self.text, mention.start, mention.end, self.occurrences, fitting
            )
            # "… blasted Clinton, Christie said. “She's a disgrace,” he said":
            # the latest speaker first, then anyone the text named.
            # "… prompted Mr. Obama to abandon his reluctance": the one person
            # its sentence names
            bound = (
                preposed
                or context.bound_in_sentence(
                    self.text, mention.start, self.occurrences, self.entities, fitting, agent
                )
                or context.named_since_speaker(
                    mention.start,
                    self.occurrences,
                    self.entities,
                    fitting,
                    lambda o: context.owns_named(self.text, o),
                )
            )
            found = bound or self.nearest(
                mention.start,
                fits,
                reach=SPEAKER_REACH,
                speakers=True,
                where=lambda o: not agent(o),
            )
            # "… said Quentin Kidd. Scott bristles at the suggestion. “…,” he said": Scott
            subject = self.nearest(
                mention.start,
                fits,
                reach=PERSON_PRONOUN_REACH,
                where=lambda o: (
                    o.mention is None
                    and opens_sentence(self.text, o.start)
                    and not self.text.startswith(("'s", "’s"), o.end)  # "Lopez's anthem"
                    and not said_after(self.text, o.end, mention.start)
                ),
            )
            if bound is None and subject is not None and found and subject.start > found.end:
                found = subject
            opener = (
                None
                if bound or found is None
                else context.sentence_subject_instead(self.text, found, self.occurrences, fitting)
                or context.named_in_paragraph(
                    self.text, mention.start, found, self.occurrences, fitting
                )
            )
            found = opener or found
            if found is None:
                found = self.nearest(
                    mention.start, fits, reach=PERSON_PRONOUN_REACH, where=lambda o: not agent(o)
                )
            if found is None:
                found = cataphora.in_sentence_after(
                    self.text, mention.end, self.occurrences, fitting
                )
            if found is not None and context.someone_since(self.text, found, mention.start):
                found = None
            if found is not None and self.entities[found.entity].gender is None:
                # "Aparna Mathur … she said … He also wants": once a "she", never a "he"
                self.entities[found.entity].gender = gender
            return found, 0.8
        if word in {"who", "whom", "whose", "qui", "which", "that"}:
            again = context.coordinate_relative(
                self.text, mention.start, self.occurrences, self.mentions
            )
            if again is not None:  # "People in his audience who …, and who believe"
                return again, 0.8
            found = self.nearest(mention.start, lambda e: True, reach=RELATIVE_REACH, by_end=True)
            if found is None and word in {"who", "whom", "whose"}:
                # "Senator Bernie Sanders of Vermont, who", "Jim Bennett, 57, who"
                found = self.nearest(
                    mention.start,
                    lambda e: e.kind == "person",
                    reach=QUALIFIED_REACH,
                    by_end=True,
                    where=lambda o: (
                        QUALIFIER.fullmatch(self.text, o.end, mention.start) is not None
                    ),
                )
            if found is not None and variants.second_of_pair(self.text, found.start):
                return None, 0.0  # "Bernie Sanders and Martin O’Malley, who both"
            plural = word in {"who", "whom"} and variants.plural_before(self.text, mention.start)
            if found is None and plural:  # "Republican partisans who prefer": that group
                said = read_mention(plural)  # the key it has as a speaker ("African-Americans")
                key = said.key if said.what == "group" else name_key(plural)
                group = self.own_entity(index, "group", key=key, name=plural)
                return Occurrence(mention.start, mention.start, group, None), 0.6
            if found is None:
                found = self.organisation_at(
                    cataphora.named_before(self.text, mention.start), mention.start
                )
            if found is not None or word not in {"which", "that"}:
                return found, 0.9
        if word in {"they", "them", "their"}:
            pair = context.pair_in_sentence(
                self.text, mention.start, self.occurrences, self.entities
            )
            if pair is not None:  # "As Johnson and Weld stumped …, they": the two
                key = reading_of(pair).key
                group = self.own_entity(index, "group", key=key, name=pair)
                return Occurrence(mention.start, mention.start, group, None), 0.6
        if word in {"they", "them", "their", "ils", "elles"}:
            found = self.nearest(
                mention.start,
                lambda e: (
                    e.placed  # not an earlier "they" that found no one
                    and e.kind in {"anonymous", "group", "organisation", "government", "media"}
                ),
                reach=GROUP_PRONOUN_REACH,
                speakers=True,
            )
            if found is not None and cataphora.thing_between(
                self.text, found.end, mention.start, plural=True
            ):
                found = None  # "released his returns, even though they exposed"
            return found, 0.6
        if word in {"it", "its", "which"}:
            found = self.nearest(
                mention.start,
                lambda e: e.kind in {"organisation", "government", "media"},
                reach=GROUP_PRONOUN_REACH,
                speakers=True,
            )
            if found is None and word in {"it", "its"}:
                found = self.organisation_at(
                    cataphora.sentence_subject(self.text, mention.start), mention.start
                )
            if found is not None and cataphora.thing_between(self.text, found.end, mention.start):
                found = None  # "NBC News published the video … It shows": the video's
            return found, 0.6
        return None, 0.0

    def text_occurrences(self) -> None:
        """Where the text names each person (full name or surname) beyond the
        speaker mentions: antecedents for "he" and "she". A person named in
        the text who is no speaker becomes an entity when a pronoun needs it."""
        for name, start, end in self.people.occurrences():
            entity = self.person_entity(name)
            self.occurrences.append(Occurrence(start, end, entity, None))
        named = {name.tokens[-1] for name in self.people.full.values()}
        for index, known in enumerate(list(self.entities)):
            person = known.person
            if person is None or len(person.tokens) != 1 or person.tokens[0] in named:
                continue
            # a person the document names by surname only ("Mr. Obama")
            for match in re.finditer(r"\b" + re.escape(person.tokens[0]) + r"\b", self.text):
                self.occurrences.append(Occurrence(match.start(), match.end(), index, None))

    def organisation_at(self, phrase: str | None, start: int) -> Occurrence | None:
        """ "the Chicago Police Department which reported", "The FBI needs to
        stay out … unless it wants": an organisation the text names (no
        speaker; a person so named is one of ``self.occurrences`` already,
        or no one a "he" should find)."""
        reading = read_mention(phrase) if phrase else Reading("unplaced")
        if reading.what != "organisation" or reading.kind == "group":
            return None
        entity = self.organisation_entity(reading, reading.key)
        return Occurrence(start, start, entity, None)

    def nearest(
        self,
        before: int,
        compatible: Callable[[Entity], bool],
        *,
        reach: int | None = None,
        speakers: bool = False,
        by_end: bool = False,
        where: Callable[[Occurrence], bool] | None = None,
    ) -> Occurrence | None:
        """The latest occurrence before ``before`` of a compatible entity
        (``app.identity.entities.nearest``)."""
        return nearest_occurrence(
            self.occurrences,
            lambda o: compatible(self.entities[o.entity]) and (where is None or where(o)),
            before,
            reach=reach,
            speakers=speakers,
            by_end=by_end,
        )
