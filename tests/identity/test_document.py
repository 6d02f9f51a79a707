"""One document's speakers: name variants, pronouns, descriptions and "the
same sources", in English and French, on texts written here."""

from app.identity.document import Mention, resolve_document


def mentions_of(text: str, *phrases: str) -> list[Mention]:
    """Each phrase's next occurrence in ``text``, in order."""
    found, at = [], 0
    for phrase in phrases:
        start = text.index(phrase, at)
        found.append(Mention(start, start + len(phrase), phrase))
        at = start + 1
    return found


def groups(text: str, *phrases: str) -> tuple[list[int], list[str], list[str]]:
    """Per mention: its entity, its method, and each entity's name and scope."""
    speakers = resolve_document(text, mentions_of(text, *phrases))
    entities = [r.entity for r in speakers.resolutions]
    methods = [r.method for r in speakers.resolutions]
    names = [f"{e.name}/{e.scope}" for e in speakers.entities]
    return entities, methods, names


ENGLISH = (
    "Republican nominee Donald J. Trump attacked Hillary Clinton on Monday. "
    "“She is a disaster,” Mr. Trump said. Trump's campaign later said he meant it. "
    "Clinton, speaking in Ohio, said she would not respond. "
    "Senior officials said the plan was dead. The same officials said more. "
    "Bill Clinton declined to comment."
)


def test_name_variants_titles_and_possessives_are_one_person():
    entities, methods, names = groups(
        ENGLISH, "Donald J. Trump", "Mr. Trump", "Trump's campaign", "he", "Clinton", "she"
    )
    trump, _, campaign, he, clinton, she = entities
    assert entities[1] == trump
    assert he == trump
    assert campaign != trump  # a person and their campaign are different actors
    assert names[trump] == "Donald Trump/global"
    # "Clinton" where Hillary is introduced first and Bill later: Hillary.
    assert names[clinton] == "Hillary Clinton/global"
    assert she == clinton
    assert methods[1] == "surname"
    assert methods[3] == "pronoun"
    assert methods[5] == "pronoun"


def test_the_same_sources_are_the_earlier_anonymous_group():
    entities, methods, names = groups(ENGLISH, "Senior officials", "The same officials")
    assert entities[0] == entities[1]
    assert methods == ["exact", "same_sources"]
    assert names[entities[0]].endswith("/document")  # anonymous: this document only


def test_a_pronoun_with_no_compatible_antecedent_stays_unresolved():
    text = "Officials said the plan was dead. “We will win,” she said."
    entities, methods, names = groups(text, "Officials", "she")
    assert entities[0] != entities[1]
    assert methods[1] == "new"
    assert names[entities[1]] == "she/document"


def test_two_people_of_one_surname_named_alike_are_not_merged():
    text = (
        "George W. Bush spoke on Monday. George H. W. Bush spoke on Tuesday. "
        "Jane Smith and John Smith disagreed. Smith said no."
    )
    smith = text.rindex("Smith")
    speakers = resolve_document(
        text,
        [
            *mentions_of(text, "George W. Bush", "George H. W. Bush"),
            Mention(smith, smith + 5, "Smith"),
        ],
    )
    bush_w, bush_hw, lone = (r.entity for r in speakers.resolutions)
    assert bush_w != bush_hw
    # "Smith" where Jane and John are named equally often: this document's own "Smith".
    assert (speakers.entities[lone].name, speakers.entities[lone].scope) == ("Smith", "document")


FRENCH = (
    "Le président Donald Trump aurait donné son feu vert, ont confié des diplomates "
    "américains. Selon les mêmes sources, M. Trump a appelé le maréchal. Le chef de la "
    "diplomatie américaine, Mike Pompeo, a exigé l'arrêt des combats, a-t-il déclaré. "
    "Pompeo l'a répété jeudi."
)


def test_french_variants_pronouns_and_the_same_sources():
    entities, methods, names = groups(
        FRENCH,
        "Le président Donald Trump",
        "des diplomates américains",
        "les mêmes sources",
        "M. Trump",
        "Mike Pompeo",
        "il",
        "Pompeo",
    )
    trump, diplomats, same, mr_trump, pompeo, il, pompeo_again = entities
    assert mr_trump == trump
    assert names[trump] == "Donald Trump/global"
    assert same == diplomats
    assert methods[2] == "same_sources"
    assert il == pompeo == pompeo_again


def test_the_founding_articles_speakers():
    """Its speaker mentions (seed-facts.md): the diplomats, "les mêmes sources"
    twice and "ces sources diplomatiques" are one anonymous group of this
    article; "le secrétaire d'Etat, Mike Pompeo" and "le chef de la diplomatie
    américaine" are Pompeo; Peter Bode is himself."""
    from app.demo import demo_bundle

    text = next(s for s in demo_bundle()["sources"] if s["ref"] == "S0")["full_text"]
    phrases = [
        "des diplomates américains",
        "les mêmes sources",
        "les mêmes sources",
        "le secrétaire d'Etat, Mike Pompeo",
        "le chef de la diplomatie américaine",
        "Peter Bode",
        "ces sources diplomatiques",
    ]
    speakers = resolve_document(text, mentions_of(text, *phrases))
    diplomats, same, same_again, pompeo, chief, bode, these = (
        r.entity for r in speakers.resolutions
    )
    assert diplomats == same == same_again == these
    assert speakers.entities[diplomats].scope == "document"
    assert [r.method for r in speakers.resolutions][1:3] == ["same_sources", "same_sources"]
    assert speakers.resolutions[6].method == "same_sources"
    assert pompeo == chief
    assert speakers.entities[pompeo].name == "Mike Pompeo"
    assert speakers.resolutions[4].method == "description"
    assert bode not in {diplomats, pompeo}
