"""Descriptions that name someone through another: a spouse ("Keith
Scott's wife", "la femme de Keith Scott")."""

from app.identity.mentions import SPOUSE, SPOUSE_NOUNS
from app.identity.names import PersonName, person_name
from app.identity.people import PeopleInText


def spouse(description: str, people: PeopleInText) -> PersonName | None:
    """ "Keith Lamont Scott's wife", "the widow of John Smith", "l'épouse de
    Keith Scott": the one other person the document names with that
    person's surname, if the noun's gender does not rule them out (two
    such people, or none: no one)."""
    match = SPOUSE.match(" ".join(description.split()).strip(" ,.;:"))
    if match is None:
        return None
    owner = person_name(match["owner"] or match["owner2"] or "")
    if owner is None or len(owner.tokens) < 2:
        return None
    gender = SPOUSE_NOUNS[(match["noun"] or match["noun2"]).casefold()]
    names = set(owner.tokens) | set(people.full.get(owner.short_key, owner).tokens)
    others = {
        n.short_key: n
        for n in people.full.values()
        if n.surname == owner.surname
        and n.tokens[0] not in names  # not "Lamont Scott" of "Keith Lamont Scott"
        and people.gender(n) in {gender, None}
    }
    return next(iter(others.values())) if len(others) == 1 else None
