"""The people a document names anywhere in its text, speakers or not: whom
a surname alone stands for, and who a "he" or "she" may refer to."""

import re
from collections.abc import Iterator, Sequence

from app.identity.genders import Gender, gender_of_name, honorific_genders, noun_gender
from app.identity.names import PersonName, name_key, person_name, unaccented, words
from app.identity.readings import PERSON_NOUNS

ABBREVIATIONS = {
    "gov": "governor",
    "sen": "senator",
    "rep": "representative",
    "sec": "secretary",
    "pres": "president",
    "gen": "general",
    "adm": "admiral",
    "atty": "attorney",
    "dem": "democrat",
    "democratic": "democrat",
    "republican": "republican",
    "gop": "republican",
    "justice": "judge",
    "chairman": "chair",  # one office, whoever holds it
    "chairwoman": "chair",
    "chairperson": "chair",
}
ROLE_STOPWORDS = words(
    "the a an of for from by with to in on at and its his her their this that who which former "
    "le la les l de du des d un une"
)


COMPOUND_ROLES = re.compile(
    r"\b(vice|first|attorney|secretary|lieutenant|lt\.?|deputy|former|ex)[\s-]+"
    r"(presidential|president|lady|general|governor|of state|secretary|director)\b"
)


def role_words(text: str) -> set[str]:
    """The words of a role, folded ("Indiana Gov." → indiana, governor; "Vice
    President" is one role, not a president)."""
    return set(_role_sequence(text))


def other_office(wanted: set[str], roles: set[str]) -> bool:
    """ "The presidential nominee" and a "vice-presidential nominee"."""
    return any(f"vice-{word}" in roles and word not in roles for word in wanted) or any(
        f"vice-{word}" in wanted and word in roles and f"vice-{word}" not in roles for word in roles
    )


def _role_sequence(text: str) -> list[str]:
    found = []
    folded = COMPOUND_ROLES.sub(
        lambda m: m.group(1).rstrip(".") + "-" + m.group(2).replace(" ", "-"),
        unaccented(text.casefold()),
    )
    # "the president's former chief speechwriter": the president is another
    folded = re.sub(r"[^\W\d_][\w-]*(?:'s|’s|s')(?!\w)", " ", folded)
    for word in re.findall(r"[^\W\d_][\w-]*", folded):
        word = ABBREVIATIONS.get(word, word)
        if word not in ROLE_STOPWORDS:
            found.append(word)
    return found


# Runs of capitalised words ("Hillary Rodham Clinton", "Donald J. Trump").
_NAME_RUN = re.compile(
    r"\b[A-ZÀ-Ý][\w'’\-]+(?:\s+(?:[A-Z]\.\s*){0,3}(?:(?:de|van|von|bin|al|el|le)\s+)?"
    r"[A-ZÀ-Ý][\w'’\-]+)+"
)
DOMINANCE = 3
"""A surname two people of the document share goes to the one named this
many times as often as the other."""
INTRODUCED_APART = 200
# Else to the one the document introduced first (by more than this many code
# points: "Jane Smith and John Smith disagreed" makes no one first): news style names the
# principal person of a surname by it alone after the first reference, and
# family members who share it by their first names (Ivanka, Melania).
OUT_OF_SCOPE = 1500
"""Unless the other was named last this far before the one named last: a
live blog's items ("Gary Johnson" at 5:45 p.m., "Jeh Johnson … Johnson" at
8:05 a.m.)."""


class PeopleInText:
    def __init__(self, text: str, speaker_names: Sequence[PersonName]) -> None:
        self.text = text
        speaker_surnames = {n.surname for n in speaker_names}
        self.full: dict[str, PersonName] = {}
        self.counts: dict[str, int] = {}
        self.first_seen: dict[str, int] = {}
        self.roles: dict[str, set[str]] = {}
        """Words the text puts before or after a person's name ("Indiana Gov.
        Mike Pence", "Mike Pence, the Indiana governor,"): what a description
        of them may say."""
        self.positions: list[tuple[str, int, int]] = []
        for name in speaker_names:
            if len(name.tokens) >= 2:
                self.full.setdefault(name.short_key, name)
        longer = [n for n in speaker_names if len(n.tokens) >= 3]
        for name, start, end in _names_in(text, speaker_surnames):
            # "Drobnic Holan", the end of a speaker's "Angie Drobnic Holan": her
            if gender_of_name(name.tokens[0]) is None:
                name = next(
                    (n for n in longer if n.tokens[-len(name.tokens) :] == name.tokens), name
                )
            self.full.setdefault(name.short_key, name)
            self.counts[name.short_key] = self.counts.get(name.short_key, 0) + 1
            self.first_seen.setdefault(name.short_key, start)
            self.roles.setdefault(name.short_key, set()).update(
                role_words(_clause_before(text, start)) | role_words(_apposition(text, end))
            )
            self.positions.append((name.short_key, start, end))
        self._headline_capitals({n.short_key for n in speaker_names} | speaker_surnames)
        self._suffixed()

    def _headline_capitals(self, speakers: set[str]) -> None:
        """ "Hillary Just Vowed To …": a headline's capitals, no one's name (no
        speaker's, and its last word is nowhere else in the text)."""
        line = self.text.find("\n")
        for key, name in list(self.full.items()) if line > 0 else []:
            starts = [s for k, s, _ in self.positions if k == key]
            last = re.escape(name.tokens[-1])
            if key in speakers or name.surname in speakers or not starts or max(starts) > line:
                continue
            if len(re.findall(rf"\b{last}\b", self.text)) == 1:
                for known in (self.full, self.roles, self.counts, self.first_seen):
                    known.pop(key, None)
                self.positions = [p for p in self.positions if p[0] != key]

    def add(self, name: PersonName, start: int, end: int) -> None:
        """A person the text names another way ("President Obama" in 2016,
        ``app.identity.offices``)."""
        key = name.short_key
        self.full.setdefault(key, name)
        self.counts[key] = self.counts.get(key, 0) + 1
        self.first_seen[key] = min(start, self.first_seen.get(key, start))
        self.positions.append((key, start, end))

    def _suffixed(self) -> None:
        """ "Joseph R. Biden Jr." and the text's "Joseph R. Biden": one
        person, unless the text names two of that name ("Jr." and "Sr.")."""
        suffixed: dict[str, list[PersonName]] = {}
        for name in self.full.values():
            if name.suffix:
                suffixed.setdefault(name_key(f"{name.tokens[0]} {name.tokens[-1]}"), []).append(
                    name
                )
        for key, name in list(self.full.items()):
            found = suffixed.get(name.short_key, []) if name.suffix is None else []
            if len(found) == 1 and (not name.middle or found[0].middle in {"", name.middle}):
                self.full[key] = found[0]

    def _holders(self, surname: str, gender: Gender | None) -> list[PersonName]:
        holders = list(
            {n.short_key: n for n in self.full.values() if n.surname == surname}.values()
        )
        if gender is not None:
            holders = [n for n in holders if self.gender(n) in {gender, None}]
        return holders

    def holder(
        self, name: PersonName, *, gender: Gender | None = None, at: int | None = None
    ) -> PersonName | None:
        """The full name a surname alone stands for in this document (at
        ``at``, when given), if the document makes it clear: one person of
        that surname; the one it already called by the surname alone before
        it named another ("Donald Trump … Trump … Ivanka Trump … Trump");
        one named ``DOMINANCE`` times as often as any other; else the one
        named in full last before ``at`` ("Gary Johnson … Jeh Johnson …
        Johnson", a live blog's items)."""
        if len(name.tokens) >= 2:
            return self.full.get(name.short_key, name)
        holders = self._holders(name.surname, gender)
        if not holders:
            return None
        if len(holders) == 1:
            return holders[0]
        established = self._established(name.tokens[-1], holders)
        if established is not None:
            return established
        ranked = sorted(holders, key=lambda n: -self.counts.get(n.short_key, 0))
        first, second = (self.counts.get(n.short_key, 0) for n in ranked[:2])
        if first >= DOMINANCE * max(second, 1):
            return ranked[0]
        if at is not None:
            last = self._named_last(holders, at)
            if last is not None:
                return last
        introduced = sorted(holders, key=lambda n: self.first_seen.get(n.short_key, len(self.text)))
        first, second = (self.first_seen.get(n.short_key, len(self.text)) for n in introduced[:2])
        return introduced[0] if second - first > INTRODUCED_APART else None

    def _established(self, surname: str, holders: Sequence[PersonName]) -> PersonName | None:
        """The holder the text called by ``surname`` alone while no other
        holder had been named yet."""
        introduced = sorted(holders, key=lambda n: self.first_seen.get(n.short_key, len(self.text)))
        first = self.first_seen.get(introduced[0].short_key)
        if first is None:
            return None
        until = self.first_seen.get(introduced[1].short_key, len(self.text))
        spans = [(s, e) for _, s, e in self.positions]
        for match in re.finditer(r"\b" + re.escape(surname) + r"\b", self.text[:until]):
            if match.start() > first and not any(s <= match.start() < e for s, e in spans):
                return introduced[0]
        return None

    def _named_last(self, holders: Sequence[PersonName], at: int) -> PersonName | None:
        keys = {n.short_key for n in holders}
        last: dict[str, int] = {}
        for key, start, _ in self.positions:
            if key in keys and start < at:
                last[key] = max(start, last.get(key, start))
        ranked = sorted(last.items(), key=lambda item: -item[1])
        if len(ranked) < 2 or ranked[0][1] - ranked[1][1] <= OUT_OF_SCOPE:
            return None
        return self.full[ranked[0][0]]

    def described(self, description: str, at: int = 0) -> PersonName | None:
        """The person a description fits ("the Indiana governor": Mike Pence):
        the one whose role words (around their name in the text) hold the
        most of its words, at least half, its noun among them ("the judge"
        is no "Manhattan Supreme Court" clerk), with no other party or office
        ("the Democratic presidential nominee" is not the vice-presidential
        one); None on a tie."""
        wanted = role_words(description)
        if not wanted:
            return None
        nouns = [w for w in _role_sequence(description) if w in _PERSON_NOUNS]
        gender = noun_gender(description)
        scored: list[tuple[float, str]] = []
        for key, roles in self.roles.items():
            if other_party(wanted, roles) or other_office(wanted, roles):
                continue
            if gender is not None and self.gender(self.full[key]) not in {gender, None}:
                continue  # "the chairman" is no chairwoman
            if nouns and nouns[-1] not in roles:
                continue
            share = len(wanted & roles) / len(wanted)
            if share >= 0.5:
                scored.append((share, key))
        scored.sort(reverse=True)
        if not scored:
            return None
        tied = {key for share, key in scored if share == scored[0][0]}
        if len(tied) > 1:
            # "Sen. Ted Cruz … Sen. Mike Lee"; "Ted Cruz endorses Trump. Senator
            # from Texas says": the one of them named just before, if any
            before = [(s, key) for key, s, _ in self.positions if key in tied and at - 300 < s < at]
            return self.full[max(before)[1]] if before else None
        return self.full[scored[0][1]]

    def may_be(self, person: PersonName | None, description: str, *, titled: bool = False) -> bool:
        """Nothing the text says of ``person`` contradicts ``description``:
        a gender ("the businessman"), a party, an office ("the governor" is no
        one the text calls "judge" and nothing else); ``titled``: the text
        gives them the description's office, or none."""
        if person is None:
            return False  # an organisation is no person described
        wanted = role_words(description)
        roles = self.roles.get(person.short_key, set())
        if other_party(wanted, roles) or other_office(wanted, roles):
            return False
        gender = noun_gender(description)
        if gender is not None and self.gender(person) not in {gender, None}:
            return False
        titles = roles & _PERSON_NOUNS
        nouns = [w for w in _role_sequence(description) if w in _PERSON_NOUNS]
        if titled and nouns and nouns[-1] not in roles and roles - {"former"}:
            return False
        return not (titles and nouns and nouns[-1] not in titles)

    def has_title(self, person: PersonName | None, description: str) -> bool:
        """The text gives ``person`` the office a description names ("the
        attorney general" and "Attorney General Eric Schneiderman")."""
        nouns = [w for w in _role_sequence(description) if w in _PERSON_NOUNS]
        roles = self.roles.get(person.short_key, set()) if person is not None else set()
        return bool(nouns) and nouns[-1] in roles

    def ambiguous(self, name: PersonName, *, at: int | None = None) -> bool:
        """A surname the document gives to several people, none dominant."""
        return len(self._holders(name.surname, None)) > 1 and self.holder(name, at=at) is None

    def gender(self, name: PersonName) -> Gender | None:
        known = gender_of_name(name.first)
        if known is not None:
            return known
        honorifics = honorific_genders(self.text, name.tokens[-1])
        return next(iter(honorifics)) if len(honorifics) == 1 else None

    def occurrences(self) -> Iterator[tuple[PersonName, int, int]]:
        """Each place the text names a person: a full name, or a surname its
        document gives to one person only."""
        for key, start, end in self.positions:
            yield self.full[key], start, end
        surnames = {name.tokens[-1] for name in self.full.values()}
        spans = [(s, e) for _, s, e in self.positions]
        for surname in surnames:
            for match in re.finditer(r"\b" + re.escape(surname) + r"\b", self.text):
                if any(s <= match.start() < e for s, e in spans):
                    continue  # "Ivanka Trump" is a full name, yielded above
                holder = self.holder(PersonName((surname,)), at=match.start())
                if holder is not None:
                    yield holder, match.start(), match.end()


def _apposition(text: str, after: int) -> str:
    """ "Mike Pence, the Indiana governor, said": what follows a name between commas."""
    match = re.match(
        r",\s*((?:the|a|an|le|la|l'|un|une)\s[^,.;]{1,80})[,.;]", text[after : after + 100]
    )
    return match.group(1) if match else ""


# Capitalised words that start sentences and clauses, not names ("When
# Clinton", "But Hillary Clinton").
_NOT_NAMES = words(
    "when but if and as after while in on at the a an for with from by to of or so then "
    "though although because since until before during meanwhile however yet still also "
    "mr mrs ms dr "
    # a headline's question or a sentence's first word: "Why Sanders Lags", "How Trump Won"
    "why how what where who whose which whether do does did is are was were has have had "
    "can could should would not no this that these those there here every each some many "
    "most all only even just now today against about like than over under via without "
    "toward towards between among into upon versus vs later earlier instead yesterday "
    "tomorrow tonight again finally"
)
_TOKEN = re.compile(r"[A-ZÀ-Ý][\w'’\-]*\.?|[A-Z]\.")


def _names_in(text: str, speaker_surnames: set[str]) -> Iterator[tuple[PersonName, int, int]]:
    """Each person's full name the text spells out: a known first name, any
    initials or middle name, then a surname; or two capitalised words ending
    in the surname of a speaker. "Chris Christie Calls Hillary Clinton" holds
    two names; "New York" none."""
    for run in _NAME_RUN.finditer(text):
        tokens = [
            (m.group(0), run.start() + m.start(), run.start() + m.end())
            for m in _TOKEN.finditer(run.group(0))
        ]
        i, named_to = 0, -1
        while i < len(tokens) - 1:
            word = tokens[i][0].rstrip(".")
            if word.casefold() in _NOT_NAMES or gender_of_name(word) is None:
                i += 1
                continue
            j = i + 1
            while j < len(tokens) - 1 and re.fullmatch(r"(?:[A-Z]\.)+", tokens[j][0]):
                j += 1  # initials
            # a middle name only when the word after it is a speaker's surname
            if (
                j + 1 < len(tokens)
                and _key(tokens[j + 1][0]) in speaker_surnames
                and gender_of_name(tokens[j][0]) is None
            ):
                j += 1
            name = person_name(" ".join(t for t, _, _ in tokens[i : j + 1]))
            if name is not None and len(name.tokens) >= 2:
                yield name, tokens[i][1], tokens[j][2]
                named_to = tokens[j][2]
            i = j + 1
        # no known first name: "Tim Kaine" when the document quotes "Kaine", or
        # "Guadalupe Potocacetpl, 35,": a name an age follows
        last = tokens[-1]
        aged = _AGED.match(text, run.end()) is not None and len(tokens) == 2
        if named_to >= last[2]:
            continue  # "Hillary Rodham Clinton": no "Rodham Clinton" besides
        if len(tokens) >= 2 and (_key(last[0]) in speaker_surnames or aged):
            first = tokens[-2]
            word = unaccented(first[0].rstrip(".").casefold())
            if (
                gender_of_name(first[0]) is None
                and word not in _NOT_NAMES
                and not _title(first[0])
                and not re.search(r"-[a-z]", first[0])  # "Oscar-winner Sarandon"
            ):
                name = person_name(f"{first[0]} {last[0]}")
                if name is not None and len(name.tokens) == 2:
                    yield name, first[1], last[2]


_AGED = re.compile(r",\s+\d{1,3},")


def _title(token: str) -> bool:
    """ "AG Lynch", "Sen. Warren", "Gov. Pence": a title's word or letters, no first name."""
    word = unaccented(token.rstrip(".").casefold())
    return (
        word in ABBREVIATIONS
        or word in TITLE_WORDS
        or re.fullmatch(r"[A-Z]{2,3}", token) is not None
    )


def _key(token: str) -> str:
    name = person_name(token)
    return name.surname if name is not None else ""


SALIENT_ROLES = words(
    "nominee candidate businessman billionaire mogul president senator candidat président"
)
"""Roles a description may give the document's main person by salience alone."""
CANDIDATE_NOUNS = words("nominee candidate businessman businesswoman billionaire mogul")
"""Roles only the main people of an election story are given without a name."""
PARTIES = frozenset({"republican", "democrat", "libertarian", "green", "independent"})


def other_party(wanted: set[str], words: set[str]) -> bool:
    """The description names a party the person's roles name another of."""
    said, theirs = wanted & PARTIES, words & PARTIES
    return bool(said and theirs and not said & theirs)


def _clause_before(text: str, start: int) -> str:
    """The title right before a name: the capitalised words and role words
    that run up to it ("Manhattan Supreme Court Justice", "Democratic vice
    presidential nominee", "his wife"), not the rest of its sentence ("Judge
    rejects bid to unseal Donald, Ivana Trump" gives Ivana Trump no title)."""
    tokens = re.findall(r"[\w.'’-]+|[^\w\s]", text[max(0, start - 80) : start])
    taken: list[str] = []
    for token in reversed(tokens):
        word = unaccented(token.casefold())
        if not token[:1].isalnum() or word in _CONNECTORS:
            break
        if token.endswith(("'s", "’s")):
            break  # "the nominee's daughter Ivanka Trump": the nominee is another
        if token.endswith(".") and len(token) > 5:
            break  # the end of the sentence before, not "Gov." or "Sen."
        if not token[:1].isupper() and word not in TITLE_WORDS:
            break
        taken.append(token)
    return " ".join(reversed(taken))


_PERSON_NOUNS = frozenset(ABBREVIATIONS.get(n, n) for n in PERSON_NOUNS) - {"democrat"}
_CONNECTORS = words(
    "when but if and as after while in on at for with from by to or so then though although "
    "because since until before during meanwhile however yet still also both said says"
)
TITLE_WORDS = frozenset(unaccented(noun) for noun in PERSON_NOUNS) | words(
    "the of presidential vice first lady former state general elect acting deputy assistant "
    "press chief national security homeland interim senior top wife husband daughter son "
    "ex-wife widow running mate de du la le"
)
