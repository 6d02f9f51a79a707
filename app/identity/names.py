"""How a name is normalised: the key that says two mentions are the same
name, a person's name read out of a mention ("Republican nominee Donald J.
Trump's" → Donald Trump), the name shown for it, and the digest that keeps
refs distinct. Every importer and the database's name keys use these, so a
name is compared one way everywhere."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

MAX_NAME = 500  # app.fields.Name

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def mention_key(text: str) -> str:
    """Normalised mention: NFC, whitespace collapsed, case folded, curly apostrophes straight."""
    return " ".join(unicodedata.normalize("NFC", text).translate(APOSTROPHES).split()).casefold()


def bare_mention(mention: str) -> str:
    """A mention normalised, without the punctuation around it."""
    return mention_key(mention).strip(" .,:;\"'“”‘«»")


def unaccented(text: str) -> str:
    """``text`` without its diacritics: "Président" and "President" are one key."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def display_name(value: str) -> str:
    """A mention as an actor name or cue: whitespace collapsed, at most 500 characters."""
    flat = " ".join(unicodedata.normalize("NFC", value).split())
    return flat if len(flat) <= MAX_NAME else flat[: MAX_NAME - 1] + "…"


def digest(value: str, length: int = 10) -> str:
    """A short stable digest of ``value``: part of a ref that must stay distinct."""
    return hashlib.sha1(value.encode("utf-8"), usedforsecurity=False).hexdigest()[:length]


def name_key(text: str) -> str:
    """The key of an organisation's or outlet's name: folded, unaccented,
    possessives and punctuation gone, a leading article dropped ("The
    Clinton campaign's" and "Clinton campaign" are one key)."""
    flat = unaccented(mention_key(text))
    flat = re.sub(r"'s\b|s'(?=\s|$)", lambda m: "" if m.group(0) == "'s" else "s", flat)
    # "the F.B.I." and "the FBI", "U.N." and "UN": one key (an article never: "un")
    tokens = re.findall(r"(?<!\w)[^\W\d_](?:\.[^\W\d_])+\.?|[\w&]+(?:[-'][\w&]+)*", flat)
    while tokens and tokens[0] in LEADING_ARTICLES:
        tokens = tokens[1:]
    return " ".join(token.replace(".", "") for token in tokens)


def spelled_out_key(text: str) -> str:
    """``name_key`` as actors stored before acronyms were one word kept it
    ("the F.B.I." → "f b i"): looked up too, so that they are still found."""
    return " ".join(name_key(re.sub(r"(?<=\w)\.(?=\w)", ". ", text)).split())


LEADING_ARTICLES = words("the a an le la les l' un une des du de")

# Words before a name that are not part of it: honorifics, offices and
# qualifiers, English and French ("Secretary of State John Kerry", "M.
# Pompeo", "le président Trump", "GOP nominee Donald Trump").
TITLES = words(
    "mr mrs ms miss mx dr prof sir dame lord lady rev reverend fr pastor rabbi imam sheikh "
    "president vice pres sen senator rep representative congressman congresswoman gov governor "
    "lt col gen general adm admiral maj sgt capt captain cmdr secretary sec state attorney "
    "judge justice chief chairman chairwoman chair speaker leader mayor minister premier "
    "ambassador commissioner director candidate nominee former ex presidential democratic "
    "republican gop democrat independent u.s us american first lady king queen prince princess "
    "pope saint st m mme mlle me président présidente ministre sénateur sénatrice général "
    "secrétaire chef député députée maire juge ancien ancienne candidat candidate "
    "elect acting deputy assistant press spokesman spokeswoman spokesperson house senate white "
    "defense foreign treasury homeland security national department of rival challenger "
    "incumbent businessman billionaire sens reps govs"
)
# Capitalised words that begin a sentence or a noun phrase but name nobody.
NOT_NAMES = words(
    "one two three each all both some many most several any another other others every "
    "everyone everybody nobody someone somebody no none this that these those it its "
    "he she they we i you his her their our my your hundreds thousands dozens millions scores"
)
# Short first names that stand for one formal name only ("Len Burman" is
# Leonard Burman); ambiguous ones (Steve, Alex, Pat, Ted, Jerry) are left out.
NICKNAMES = {
    **dict.fromkeys(("len", "lenny"), "leonard"),
    **dict.fromkeys(("bill", "billy", "will"), "william"),
    **dict.fromkeys(("bob", "bobby", "rob", "robbie"), "robert"),
    **dict.fromkeys(("mike", "mikey"), "michael"),
    **dict.fromkeys(("jim", "jimmy"), "james"),
    **dict.fromkeys(("tom", "tommy"), "thomas"),
    **dict.fromkeys(("dick", "rick", "ricky"), "richard"),
    **dict.fromkeys(("dan", "danny"), "daniel"),
    **dict.fromkeys(("chuck", "charlie"), "charles"),
    **dict.fromkeys(("liz", "beth"), "elizabeth"),
    **dict.fromkeys(("kathy", "kate"), "katherine"),
    **dict.fromkeys(("jen", "jenny"), "jennifer"),
    **dict.fromkeys(("ed", "eddie"), "edward"),
    "joe": "joseph",
    "chris": "christopher",
    "dave": "david",
    "tony": "anthony",
    "sam": "samuel",
    "ben": "benjamin",
    "nick": "nicholas",
    "matt": "matthew",
    "greg": "gregory",
    "jeff": "jeffrey",
    "larry": "lawrence",
    "andy": "andrew",
    "don": "donald",
    "ron": "ronald",
    "doug": "douglas",
    "ken": "kenneth",
    "tim": "timothy",
    "phil": "philip",
}
SUFFIXES = words("jr jr. sr sr. ii iii iv")
HONORIFICS = words("mr mrs ms miss mx dr m mme mlle sir dame")
NAME_TOKEN = re.compile(r"[^\W\d_][\w'\-.]*", re.UNICODE)
# Where a mention's head ends: "Bruce Haynes, a GOP strategist", "Robert Gordon
# of Northwestern University", "officials with knowledge of the meeting",
# "Kall -- co-editor of …": an apposition between dashes.
HEAD_END = re.compile(r",|\(| (?:of|for|at|from|with|who|which|that|in|on|to) |\s(?:--|—|–)\s")


@dataclass(frozen=True)
class PersonName:
    """A person's name read out of a mention: its tokens as written,
    without titles, initials or possessive."""

    tokens: tuple[str, ...]
    suffix: str | None = None
    middle: str = ""
    """The initials between first and last name, folded ("George H. W. Bush":
    "hw"; "Hillary Rodham Clinton": "r"): two names whose middles differ are
    two people (the two presidents Bush), a name without one matches either."""

    def compatible(self, other: "PersonName") -> bool:
        """Could be the same person: same first and last name (``formal_key``:
        "Len" and "Leonard" are one first name) and no middle initials that differ."""
        return self.formal_key == other.formal_key and (
            not self.middle or not other.middle or self.middle == other.middle
        )

    @cached_property
    def key(self) -> str:
        """Every token, folded: "hillary rodham clinton"."""
        return name_key(" ".join((*self.tokens, *([self.suffix] if self.suffix else []))))

    @cached_property
    def short_key(self) -> str:
        """First and last token: "hillary clinton" (the key most mentions share)."""
        if len(self.tokens) < 3:
            return self.key
        return name_key(" ".join((self.tokens[0], self.tokens[-1], *filter(None, [self.suffix]))))

    @cached_property
    def formal_key(self) -> str:
        """``short_key`` with the formal first name of a short one ("len
        burman" → "leonard burman"): the key two spellings of a person share."""
        first, *rest = self.short_key.split(" ", 1)
        return " ".join((NICKNAMES.get(first, first), *rest)) if self.first else self.short_key

    @cached_property
    def surname(self) -> str:
        return name_key(self.tokens[-1])

    @property
    def first(self) -> str | None:
        return name_key(self.tokens[0]) if len(self.tokens) > 1 else None

    @property
    def display(self) -> str:
        return " ".join((*self.tokens, *([self.suffix] if self.suffix else [])))


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _strip_possessive(token: str) -> str:
    return re.sub(r"(?:'s|')$", "", token.translate(APOSTROPHES))


def person_name(mention: str) -> PersonName | None:
    found = _person_name(HEAD_END.split(unicodedata.normalize("NFC", mention), maxsplit=1)[0])
    if found is None:  # "Secretary of State John Kerry": the name is after the "of"
        found = _person_name(re.split(r",|\(", unicodedata.normalize("NFC", mention))[0])
        if found is not None and len(found.tokens) < 2:
            return None  # "Senator from Texas": a place, not a name
    return found


def _person_name(head: str) -> PersonName | None:
    """The name in a person mention: its last run of capitalised words,
    without the titles before it, initials ("Donald J. Trump") and a
    possessive; None when the mention names nobody ("the senator", "he").
    "Mr. Trump" is ``Trump``, "le président Trump" ``Trump``, "Sen. Tim
    Kaine" ``Tim Kaine``."""
    if re.search(r"\s(?:and|et|&)\s|—|–", head):
        return None  # "Obama and Clinton": two people, not one name
    written = NAME_TOKEN.findall(head.translate(APOSTROPHES))
    runs: list[list[str]] = [[]]
    for token in written:
        owner = _strip_possessive(token) != token
        token = _strip_possessive(token)
        if _is_capitalised(token) or (
            runs[-1] and token.casefold() in {"de", "van", "von", "bin", "al"}
        ):
            runs[-1].append(token)
            if owner:  # "Media Research Center's Bozell": the name starts after it
                runs.append([])
        elif runs[-1]:
            runs.append([])
    # the last run of capitalised words: "a Donald Trump tweet" is Donald Trump's
    found = [r for r in runs if r]
    run = found[-1] if found else []
    if len(found) > 1 and all(t.isupper() and len(t) <= 4 for t in run):
        # "President Barack Obama's DOJ": the DOJ is no one's name, Obama is the owner;
        # "Trump's potential VP" names no one
        owned = re.search(r"'s\s+" + re.escape(run[0]) + r"\b", head.translate(APOSTROPHES))
        run = found[-2] if owned else run

    # without the titles before the name, wherever they stop ("Former
    # Pennsylvania Gov. Ed Rendell"), unless nothing would be left ("Larry King")
    titles = [i for i, token in enumerate(run) if _is_title(token)]
    if titles and titles[-1] < len(run) - 1:
        run = run[titles[-1] + 1 :]
    honorific = False
    while run and (_is_title(run[0]) or run[0].casefold() in LEADING_ARTICLES):
        if len(run) == 1 and honorific:
            break  # "Mr. King": a surname that is also a title
        honorific = unaccented(run[0].casefold()).rstrip(".") in HONORIFICS
        run = run[1:]
    suffix = None
    if run and run[-1].casefold() in SUFFIXES:
        bare = run[-1].rstrip(".")
        suffix = bare.upper() if bare.casefold() in {"ii", "iii", "iv"} else bare.capitalize() + "."
        run = run[:-1]
    # initials ("J.", "H.W."), and a title that slipped in between ("Donald J. Trump")
    middle = "".join(
        _initials(token) if _is_initials(token) else token[:1] for token in run[1:-1]
    ).casefold()
    run = [t.rstrip(".") for t in run if not _is_initials(t)]
    run = [t for t in run if t]
    if not run or all(t.isupper() and len(t) <= 4 for t in run):
        return None  # "GOP", "FBI": an organisation's letters, not a person's name
    if run[0].casefold() in NOT_NAMES:
        return None  # "One of the two major candidates"
    if len(run) == 2 and run[0].casefold() in SURNAME_PARTICLES:
        run = run[1:]  # "Bin Laden" opening a sentence: the surname of Osama bin Laden
    return PersonName(tuple(run), suffix, unaccented(middle) if len(run) > 1 else "")


SURNAME_PARTICLES = frozenset({"bin", "ibn", "de", "du", "da", "von", "della", "dos", "das"})
"""Words a surname keeps ("Osama bin Laden", "Bill de Blasio") that are no
first name ("Al", "Van" and "Del" are: Al Gore, Van Jones)."""


def _is_title(token: str) -> bool:
    return unaccented(token.casefold()).rstrip(".") in _TITLE_KEYS


def _is_initials(token: str) -> bool:
    return re.fullmatch(r"[^\W\d_]\.?|(?:[^\W\d_]\.){2,3}", token) is not None


def _initials(token: str) -> str:
    return token.replace(".", "")


_TITLE_KEYS = frozenset(unaccented(t).rstrip(".") for t in TITLES)


def misspelt(name: PersonName, known: Iterable[PersonName]) -> PersonName | None:
    """The one person of ``known`` whose surname a lone surname misspells by
    one letter ("Mr. Obam" in an article about Mr. Obama), if only one is."""
    surname = name.surname
    if len(name.tokens) != 1 or len(surname) < 4:
        return None
    near = {
        person.short_key: person
        for person in known
        if person.surname != surname
        and person.surname[:1] == surname[:1]
        and _one_edit_apart(person.surname, surname)
    }
    return next(iter(near.values())) if len(near) == 1 else None


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
