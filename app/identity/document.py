"""Who the speakers of one document are: its speaker mentions grouped into
entities, in memory, with how each mention was resolved.

A careful reader's rules (../shared/design/speaker-identity.md), in two passes:

1. mentions that name someone (``app.identity.readings``), in text order:
   one entity per person ("Donald J. Trump", "Mr. Trump's", "Trump" and a
   misspelt "Mr. Trum"; a surname two people share: ``PeopleInText.holder``),
   per organisation or outlet, per campaign of a person, per anonymous group
   or collective as written;
2. mentions that point back, in text order: a pronoun to the nearest earlier
   compatible entity (gender from honorifics, first names and earlier
   pronouns; the latest speaker, unless a later sentence is about someone
   else), "the same sources" to the nearest earlier anonymous group, "the
   candidate" to the nearest earlier person who speaks, "the commission" to
   the nearest earlier organisation whose name ends in that word, "the
   campaign" to that of the person named last.

Precision first: what cannot be placed stays an entity of its own.
"""

from collections.abc import Sequence
from datetime import date

from app.identity import cataphora, context, offices, phrasing, relations, variants
from app.identity.antecedents import Antecedents
from app.identity.entities import DocumentSpeakers, Entity, Mention, Occurrence, Resolution
from app.identity.genders import noun_gender
from app.identity.names import misspelt, name_key, person_name
from app.identity.people import CANDIDATE_NOUNS, PeopleInText, role_words
from app.identity.publications import possessed
from app.identity.readings import Reading, outlet_key, read_mention, specific
from app.identity.salience import introduced_later, most_named, salient_person
from app.identity.wording import reading_of

DESCRIPTION_REACH = 300
LEDE = 300  # a headline and first sentence: "A New York judge has rejected …"
NAMED_AFTER = 1000  # "the judge read his decision … U.S. District Judge Michael W. Mosman"
PAIR_REACH = 2000  # "the candidates": the two people named together this close
GROUP_REACH = 1500  # "Cruz's lawyers … The lawyers"


class _Resolver(Antecedents):
    def __init__(
        self,
        text: str,
        mentions: Sequence[Mention],
        media: Sequence[str],
        published: date | None = None,
    ) -> None:
        self.text = text
        self.published = published
        readings = [reading_of(m.text) for m in mentions]
        media = [*media, *context.outlets_in_text(text, readings)]  # "the Times"
        people = PeopleInText(text, [r.person for r in readings if r.person is not None])
        for name, start, end in offices.titled_in_text(text, published):
            people.add(name, start, end)  # "President Obama" in 2016: Barack Obama
        super().__init__(mentions, readings, people, media)

    # -- pass 1: mentions that name someone ---------------------------------------------

    def named(self, index: int) -> bool:
        reading = self.readings[index]
        outlet = variants.outlet_called(self.mentions[index].text)
        if outlet and reading.what in {"unplaced", "organisation"}:
            # "the nationalist Global Times tabloid": the Global Times
            media = Reading("organisation", kind="media", key=name_key(outlet), display=outlet)
            entity = self.organisation_entity(media, outlet_key(media, self.outlets()))
            self.resolve(index, entity, "name_variant", 0.9)
            return True
        kin = context.kin_named(self.mentions[index].text)
        if kin:  # "Her father, Brad, 39,": one person of this document
            entity = self.own_entity(index, "person", key=f"kin:{kin[0]}", name=kin[0])
            self.entities[entity].gender = kin[1]
            self.resolve(index, entity, "exact", 0.8)
            return True
        country = context.country_surname(self.text, reading, self.people, self.mentions)
        if country is not None:  # "Israel said", of Rep. Steve Israel
            self.resolve(index, self.person_entity(country), "surname", 0.8)
            return True
        titled = reading.what == "person_description" and variants.trailing_name(
            self.mentions[index].text
        )
        if titled:  # "former secretary of state Hillary Clinton"
            self.resolve(index, self.person_entity(titled), "name_variant", 1.0)
            return True
        example = reading.what == "person" and variants.example_group(self.mentions[index].text)
        if example:  # "Defenders of free trade, like Gary Hufbauer": a group
            group = self.own_entity(index, "group", key=name_key(example), name=example)
            self.resolve(index, group, "exact", 1.0)
            if reading.person is not None:  # whom a "he" next may be
                m = self.mentions[index]
                person = self.person_entity(reading.person)
                self.occurrences.append(Occurrence(m.start, m.end, person, index))
            return True
        if variants.name_list(self.mentions[index].text):  # "Trump, Huckabee and Christie"
            key = name_key(self.mentions[index].text)
            self.resolve(index, self.own_entity(index, "group", key=key), "exact", 1.0)
            return True
        if reading.what == "person":
            return self.named_person(index, reading)
        if reading.what == "organisation":
            owned = possessed(self.mentions[index].text)  # "The GOP's complaint"
            at = self.mentions[index].start
            by = owned and self.publisher(self.text, at, owned[1], owner=owned[0])
            if by:
                self.resolve(index, by.entity, "description", 0.7, by.mention)
                return True
            if variants.is_poll(reading.display):  # "A new Quinnipiac poll": this document's
                entity = self.own_entity(index, "organisation", key=reading.key)
            else:
                entity = self.organisation_entity(reading, outlet_key(reading, self.outlets()))
            self.resolve(index, entity, "exact", 1.0)
            return True
        if reading.what == "campaign" and reading.owner is not None:
            owner = person_name(reading.owner)
            at = self.mentions[index].start
            holder = self.people.holder(owner, at=at) if owner is not None else None
            if holder is None:
                return False
            # "Clinton's team": her campaign
            entity = self.campaign_entity(holder.short_key, holder.display, reading.key)
            self.resolve(index, entity, "name_variant", 0.9)
            return True
        at = self.mentions[index].start
        again = reading.what == "anonymous" and variants.repeated_anonymous(
            self.mentions[index].text, at, self.occurrences, self.entities
        )
        if again:  # "a White House official … The aide declined": the same one
            self.resolve(index, again.entity, "description", 0.6, again.mention)
            return True
        surnamed = reading.what == "group" and variants.people_word_surname(
            self.mentions[index].text, self.people, at
        )
        if surnamed:  # "Cuban", where the text names Mark Cuban
            self.resolve(index, self.person_entity(surnamed), "surname", 0.8)
            return True
        if reading.what == "anonymous" and relations.SPOKESPERSON.match(reading.display):
            return False  # "A spokeswoman for Hillary Clinton": maybe named next
        if reading.what == "group" and variants.definite_plural(self.mentions[index].text):
            return False  # "These voters": maybe a group a "who" names (pass 2)
        if reading.what in {"anonymous", "group", "conjunction"}:
            entity = self.own_entity(index, reading.kind, key=reading.key, name=reading.display)
            self.resolve(index, entity, "exact", 1.0)
            return True
        return False

    def named_person(self, index: int, reading: Reading) -> bool:
        assert reading.person is not None
        name = variants.from_first_name(reading.person)  # "Benghazi Widow Dorothy Woods"
        letters = variants.possessed_letters(self.mentions[index].text)
        body = letters and self.organisation_at(letters, self.mentions[index].start)
        if body:  # "President Barack Obama's DOJ": the DOJ
            self.resolve(index, body.entity, "name_variant", 0.8)
            return True
        if len(name.tokens) >= 2:
            name = variants.fuller_name(name, self.people)  # "Peña Nieto": Enrique Peña Nieto
            method = "exact" if name_key(self.mentions[index].text) == name.key else "name_variant"
            self.resolve(index, self.person_entity(name), method, 1.0)
            return True
        at = self.mentions[index].start
        office = offices.by_surname(self.mentions[index].text, name, self.published)
        if office is not None and office[1]:
            # "President Obama" in 2016: Barack Obama, whoever else the text names
            self.resolve(index, self.person_entity(office[0]), "alias", 0.9)
            return True
        holder = self.people.holder(name, gender=reading.gender, at=at)
        if holder is not None:
            entity = self.person_entity(holder)
            self.entities[entity].surnames.add(name.display)
            self.resolve(index, entity, "surname", 0.9)
            return True
        if self.people.ambiguous(name, at=at):
            # "Clinton" where Bill and Hillary are both named: this document's "Clinton".
            entity = self.own_entity(
                index, "person", key=f"surname:{name.surname}", name=name.display
            )
            self.resolve(index, entity, "exact", 0.6)
            return True
        first = variants.by_first_name(name, self.people) or variants.inner_surname(
            name, self.people
        )
        if first is not None:  # "Melanie" after "Melanie Gedrich"; "Guajardo" after
            # "Ildefonso Guajardo Villarreal"
            self.resolve(index, self.person_entity(first), "name_variant", 0.7)
            return True
        if variants.called_organisation(name.tokens[0], self.text):  # "Tinder, the app,"
            key = name_key(name.tokens[0])
            org = Reading("organisation", kind="organisation", key=key, display=name.tokens[0])
            self.resolve(index, self.organisation_entity(org, key), "exact", 0.8)
            return True
        if office is not None:  # "Obama" in 2016, where no other Obama is named
            self.resolve(index, self.person_entity(office[0]), "alias", 0.8)
            return True
        known = [e.person for e in self.entities if e.person is not None and e.scope == "global"]
        near = misspelt(name, known)
        if near is not None:
            self.resolve(index, self.person_entity(near), "name_variant", 0.6)
        else:
            self.resolve(index, self.person_entity(name), "exact", 0.8)
        return True

    # -- pass 2: mentions that point back -----------------------------------------------

    def referring(self, index: int) -> None:
        reading = self.readings[index]
        start = self.mentions[index].start
        found: Occurrence | None = None
        method, confidence = "pronoun", 0.8
        if reading.what == "group":  # "angry blue-collar voters who … These voters"
            earlier = self.group_named(variants.definite_plural(reading.display) or "", start)
            if earlier is not None:
                self.resolve(index, earlier.entity, "description", 0.5, earlier.mention)
            else:
                entity = self.own_entity(index, "group", key=reading.key, name=reading.display)
                self.resolve(index, entity, "exact", 1.0)
            return
        held = reading.what in {"person_description", "unplaced"} and (
            offices.holder_described(self.mentions[index].text, self.published, self.people.roles)
            or offices.former_holder(
                self.mentions[index].text, self.published, self.people.full.values()
            )
        )
        if held:  # "the president" in 2016, where no one else is given that title
            self.resolve(index, self.person_entity(held), "description", 0.7)
            return
        if reading.what == "anonymous":
            found = relations.spokesperson_named_next(
                self.text,
                reading.display,
                self.mentions[index].end,
                self.occurrences,
                self.may_speak,
            )
            entity = self.own_entity(index, reading.kind, key=reading.key, name=reading.display)
            if found is None:
                self.resolve(index, entity, "exact", 1.0)
            else:
                self.resolve(index, found.entity, "description", 0.6)
            return
        if reading.what == "same_sources":
            method, confidence = "same_sources", 0.85
            found = self.nearest(start, lambda e: e.kind == "anonymous", speakers=True)
        if cataphora.PAIR.match(self.mentions[index].text):
            # "Donald Trump and Hillary Clinton vied …, each touting": the pair
            pair = self.nearest(start, lambda e: " & " in e.key, reach=PAIR_REACH, speakers=True)
            if pair is not None:
                self.resolve(index, pair.entity, "description", 0.6, pair.mention)
                return
        kin = cataphora.WRITERS_KIN.match(self.mentions[index].text)
        if kin and not cataphora.in_quotation(self.text, start):
            # "my father", each time: the writer's, one person (a "he" may be him)
            noun = kin["noun"].casefold()
            entity = self.own_entity(index, "person", key=f"kin:{noun}", name=kin.group(0))
            self.entities[entity].gender = noun_gender(noun)
            self.resolve(index, entity, "description", 0.6)
            return
        if reading.what == "pronoun" and reading.word in cataphora.FIRST_PERSON:
            if not cataphora.in_quotation(self.text, start):
                # an op-ed's or a letter's "I" and "my": its writer, throughout
                key = cataphora.writer_key(self.text, start)
                entity = self.own_entity(index, "person", key=key, name=self.mentions[index].text)
                self.entities[entity].placed = False  # no "he" or "she"
                self.resolve(index, entity, "pronoun", 0.7)
            else:
                self.in_quotes.append(index)  # once every speaker around is known
            return
        elif reading.what == "pronoun":
            found, confidence = self.antecedent(index, reading)
        elif reading.what == "person_description":
            # "Keith Scott's wife": the one other Scott of the document
            text = self.mentions[index].text
            if start >= LEDE and context.introduces(self.text, start, text):  # "by a reporter"
                return self.unresolved(index, reading)
            apposed = context.apposed(self.text, start, text, self.occurrences, self.entities)
            if apposed is not None:  # "Clinton, the 68-year-old former secretary of state"
                self.resolve(index, apposed.entity, "description", 0.8, apposed.mention)
                return
            described = relations.spouse(self.mentions[index].text, self.people)
            roles = None if described else self.people.described(self.mentions[index].text, start)
            if (
                roles is not None
                and self.people.first_seen.get(roles.short_key, 0) < start + NAMED_AFTER
            ):
                described = roles  # not "the Republican case" for a strategist named pages on
            if described is not None:
                self.resolve(index, self.person_entity(described), "description", 0.7)
                return
            salient = salient_person(
                self.mentions[index].text, self.entities, self.occurrences, self.people.roles
            )
            if salient is not None:
                self.resolve(index, salient, "description", 0.5)
                return
            # "… Mike Pompeo. Dans une déclaration, le chef de la diplomatie …": who
            # just spoke; not "the Indiana governor" (the text's roles, or nothing)
            # "The GOP candidate", "the New York businessman": one of the
            # document's two main people, if the one who just spoke
            method, confidence, text = "description", 0.5, self.mentions[index].text
            main = (
                most_named(self.entities, self.occurrences, 2)
                if role_words(text) & CANDIDATE_NOUNS
                else None
            )
            if not specific(text) or main:
                found = self.nearest(
                    start,
                    lambda e: e.person is not None and self.people.may_be(e.person, text),
                    reach=DESCRIPTION_REACH,
                    speakers=True,
                    by_end=True,
                    where=None if main is None else lambda o: o.entity in main,
                )
            team = main and self.team_candidate(start, text, main, DESCRIPTION_REACH)
            if team and (found is None or team.start > found.start):
                found = team  # "The Trump team has said … The GOP candidate": Trump
            if found is None and specific(text) and not main:
                # "Mike Pence says … The Indiana governor said": who just spoke,
                # if the text gives them that office or none, in the same item
                found = self.nearest(
                    start,
                    lambda e: self.people.may_be(e.person, text, titled=True),
                    reach=DESCRIPTION_REACH,
                    speakers=True,
                    by_end=True,
                    where=lambda o: not cataphora.new_item(self.text, o.end, start),
                )
            if found is None and start < LEDE:
                found = introduced_later(
                    start, text, self.entities, self.occurrences, self.resolutions, self.people
                )
            if found is None:
                found = cataphora.described_after(
                    self.text,
                    self.mentions[index].end,
                    self.occurrences,
                    titled=lambda e: self.people.has_title(self.entities[e].person, text),
                    fits=lambda e: self.people.may_be(self.entities[e].person, text, titled=True),
                )
        elif reading.what == "thing_description":
            method, confidence = "description", 0.6
            found = self.described_thing(self.text, start, reading.word)
            body = offices.administration(self.mentions[index].text, self.published)
            if found is None and body is not None:  # 2016: "the Obama administration"
                found = self.organisation_at(body, start)
            if found is None and start < LEDE and reading.kind == "media":
                found = phrasing.outlet_named_next(self.text, start, self.entities)
        elif reading.what == "campaign" and reading.owner is not None:
            owner = read_mention(reading.owner)
            if owner.what == "pronoun":
                person, _ = self.antecedent(index, owner)
                if person is not None:
                    holder = self.entities[person.entity]
                    entity = self.campaign_entity(holder.key, holder.name)
                    self.resolve(index, entity, "pronoun", 0.7, person.mention)
                    return
        if found is not None:
            self.resolve(index, found.entity, method, confidence, found.mention)
            return
        self.unresolved(index, reading)

    def may_speak(self, entity: int, gender: str | None) -> bool:
        """A person of ``gender`` (when given) may be an unnamed spokesperson."""
        person = self.entities[entity]
        return person.kind == "person" and person.gender in {gender, None}

    def unresolved(self, index: int, reading: Reading) -> None:
        kind = {"pronoun": "person", "same_sources": "anonymous"}.get(reading.what, reading.kind)
        if reading.what == "pronoun" and reading.gender is None:
            kind = "group"
        mention = self.mentions[index]
        again = variants.said_again(mention.text, reading.what)  # "the researchers", twice
        if again and (earlier := self.group_named(again, mention.start)):
            self.resolve(index, earlier.entity, "description", 0.5, earlier.mention)
            return  # "Cruz's lawyers … The lawyers"
        # "users in an area affected by a crisis", word for word again: the same ones
        phrase = None if again or reading.what == "pronoun" else phrasing.said_twice(mention.text)
        entity = self.own_entity(index, kind, key=again or phrase or "")
        if phrase:
            self.entities[entity].placed = False  # no antecedent for a "he" or "they"
        said = bool(self.entities[entity].mentions)  # the second time: the same ones
        self.entities[entity].unresolved = reading.what
        self.resolve(index, entity, "description" if said else "new", 0.3)

    def group_named(self, again: str, start: int) -> Occurrence | None:
        """The nearest group of this document the text named with that plural."""
        noun = again.split()[-1]
        return self.nearest(
            start,
            lambda e: e.scope == "document" and e.name.casefold().split()[-1:] == [noun],
            reach=GROUP_REACH,
            speakers=True,
        )

    def quoted(self, index: int) -> None:
        """ "“I am the law and order candidate,” Trump said": the quotation's speaker."""
        mention = self.mentions[index]
        speakers = [
            o
            for o in self.occurrences
            if o.mention is not None and self.entities[o.entity].kind == "person"
        ]
        found = cataphora.quote_speaker(self.text, mention.start, mention.end, speakers)
        if found is None:
            self.unresolved(index, self.readings[index])
        else:
            self.resolve(index, found.entity, "pronoun", 0.7, found.mention)

    def run(self) -> DocumentSpeakers:
        order = sorted(range(len(self.mentions)), key=lambda i: self.mentions[i].start)
        later = [i for i in order if not self.named(i)]
        self.text_occurrences()
        self.in_quotes: list[int] = []
        for index in later:
            self.referring(index)
        for index in self.in_quotes:
            self.quoted(index)
        used = sorted({r.entity for r in self.resolutions.values()})
        renumber = {old: new for new, old in enumerate(used)}
        entities = [self.entities[old] for old in used]
        resolutions = [
            Resolution(renumber[r.entity], r.method, r.confidence, r.through)
            for r in (self.resolutions[i] for i in range(len(self.mentions)))
        ]
        return DocumentSpeakers(entities=entities, resolutions=resolutions)


def resolve_document(
    text: str,
    mentions: Sequence[Mention],
    *,
    media: Sequence[str] = (),
    published: date | None = None,
) -> DocumentSpeakers:
    """The speakers of one document. ``media``: outlets the document is known
    to come from (its publisher), so that "the Post" finds "The Washington
    Post"; ``published``: its date, when known ("the president" then is who
    held the office, ``app.identity.offices``)."""
    return _Resolver(text, mentions, media, published).run()


__all__ = ["DocumentSpeakers", "Entity", "Mention", "Resolution", "resolve_document"]
