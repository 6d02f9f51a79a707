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


def test_a_surname_the_text_already_used_alone_stays_with_that_person():
    # Ivanka is named in full more often than Donald, but "Trump" was his
    # before she was named at all.
    text = (
        "Donald Trump unveiled a leave plan on Tuesday. Trump said it would help parents. "
        "Ivanka Trump wrote the plan, and Ivanka Trump praised it. Critics asked Ivanka "
        "Trump about single mothers. Trump says he would pay for it by cutting fraud."
    )
    last = text.rindex("Trump")
    speakers = resolve_document(
        text, [*mentions_of(text, "Donald Trump", "Ivanka Trump"), Mention(last, last + 5, "Trump")]
    )
    donald, ivanka, lone = (r.entity for r in speakers.resolutions)
    assert lone == donald != ivanka
    assert speakers.resolutions[2].method == "surname"


def test_a_surname_is_the_holder_named_last_when_the_other_is_far_back():
    filler = "The campaign went on through the night in several states. " * 30
    text = (
        "Gary Johnson released a letter from his doctor on Friday. "
        + filler
        + "Homeland Security Secretary Jeh Johnson says hackers are active. "
        "Johnson tells a radio host that states should ask for help."
    )
    last = text.rindex("Johnson")
    speakers = resolve_document(
        text,
        [
            *mentions_of(text, "Gary Johnson", "Homeland Security Secretary Jeh Johnson"),
            Mention(last, last + 7, "Johnson"),
        ],
    )
    gary, jeh, lone = (r.entity for r in speakers.resolutions)
    assert lone == jeh != gary
    assert speakers.entities[lone].name == "Jeh Johnson"


def test_a_person_a_she_referred_to_is_no_antecedent_for_he():
    text = "Robin Lee criticised the plan. “It is vague,” she said. “I disagree,” he said."
    entities, methods, _ = groups(text, "Robin Lee", "she", "he")
    assert entities[1] == entities[0]
    assert entities[2] != entities[0]
    assert methods[2] == "new"


def test_a_description_needs_the_role_the_text_gave_that_person():
    text = (
        "Judge rejects bid to unseal Donald, Ivana Trump divorce files. "
        "Manhattan Supreme Court Justice Frank Nervo rejected the request on Thursday. "
        "Ivana Trump's lawyer said she deserved privacy. "
        "The judge agreed with Ivana Trump that there was no reason to intrude."
    )
    entities, methods, names = groups(
        text, "Manhattan Supreme Court Justice Frank Nervo", "Ivana Trump's lawyer", "The judge"
    )
    assert entities[2] == entities[0]
    assert names[entities[2]] == "Frank Nervo/global"
    assert methods[2] == "description"


def test_the_presidential_nominee_is_not_the_vice_presidential_one():
    text = (
        "Democratic vice presidential nominee Tim Kaine spoke in Ohio. "
        "Hillary Clinton says she is thrilled by an endorsement. "
        "The Democratic presidential nominee says they share a belief."
    )
    entities, _, names = groups(
        text,
        "Democratic vice presidential nominee Tim Kaine",
        "Hillary Clinton",
        "The Democratic presidential nominee",
    )
    assert entities[2] != entities[0]
    assert names[entities[2]] != "Tim Kaine/global"


def test_he_is_the_person_a_later_sentence_is_about_not_the_last_speaker():
    text = (
        "“He has never raised money,” said Quentin Lee, a professor. "
        "Bobby Scott bristles at the suggestion. “I have raised enough,” he said. "
        "“We need people of substance,” said Paul Hart. Scott, he said, is one."
    )
    he_scott = text.index("he said")
    he_hart = text.rindex("he said")
    speakers = resolve_document(
        text,
        [
            *mentions_of(text, "Quentin Lee", "Paul Hart"),
            Mention(he_scott, he_scott + 2, "he"),
            Mention(he_hart, he_hart + 2, "he"),
        ],
    )
    lee, hart, first_he, second_he = (r.entity for r in speakers.resolutions)
    assert speakers.entities[first_he].name == "Bobby Scott"
    assert first_he != lee
    # "Scott, he said, is one": Scott is what Hart says, not who says it
    assert second_he == hart


def test_the_campaign_is_that_of_the_person_named_last():
    filler = "Voters in several states went to the polls early this year. " * 25
    text = (
        "A new ad from Donald Trump's campaign attacks his rival. The ad airs on Friday. "
        + filler
        + "Hillary Clinton plans to call on young people to serve. "
        "The campaign says she will announce the plan on Friday. "
        "Later, Clinton's campaign said the plan would cost little."
    )
    entities, methods, names = groups(
        text, "A new ad from Donald Trump's campaign", "The campaign", "Clinton's campaign"
    )
    trump_campaign, the_campaign, clinton_campaign = entities
    assert the_campaign == clinton_campaign != trump_campaign
    assert names[the_campaign] == "Hillary Clinton campaign/global"
    assert methods[1] == "description"


def test_that_campaign_is_no_campaign_of_someone_called_that():
    entities, methods, names = groups(
        "Jane Roe ran for mayor. That campaign said it had won.", "That campaign"
    )
    assert names[entities[0]] == "That campaign/document"
    assert methods == ["new"]


def test_a_surname_misspelt_by_one_letter_is_the_person_the_text_names():
    text = (
        "Barack Obama spoke on Saturday. “It is a good day,” Mr. Obama said. "
        "Mr. Obam added that the museum was long overdue. Ms. Oban, a visitor, agreed."
    )
    entities, methods, _ = groups(text, "Barack Obama", "Mr. Obama", "Mr. Obam")
    assert entities[0] == entities[1] == entities[2]
    assert methods[2] == "name_variant"
    # two letters apart, or two people one letter apart: no guess
    entities, _, _ = groups(text, "Barack Obama", "Ms. Oban")
    assert entities[0] != entities[1]


def test_a_candidate_described_by_place_or_party_is_the_main_person_who_just_spoke():
    text = (
        "Donald Trump attacked Hillary Clinton on trade. Trump said she lied. "
        "Clinton said Trump was unfit, and Clinton said it again. Trump said more. "
        "Trump charges that donors paid for access. "
        "The New York businessman says the deal was bad. "
        "Hillary Clinton answered him. The New York businessman did not reply."
    )

    def spoken(phrase: str, words: int) -> Mention:
        start = text.index(phrase)
        said = " ".join(phrase.split()[:words])
        return Mention(start, start + len(said), said)

    speakers = resolve_document(
        text,
        [
            spoken("Trump charges", 1),
            spoken("The New York businessman says", 4),
            spoken("Hillary Clinton answered", 2),
            spoken("The New York businessman did", 4),
        ],
    )
    entities = [r.entity for r in speakers.resolutions]
    methods = [r.method for r in speakers.resolutions]
    assert entities[1] == entities[0]
    assert methods[1] == "description"
    # a businessman is no woman, even the last to speak: the man before her
    assert entities[3] == entities[0] != entities[2]


def test_one_person_with_two_roles_is_not_a_group():
    text = (
        "Clinton, the former secretary of state, stressed her support of the raid. "
        "The former first lady and U.S. senator said it was a mistake."
    )
    entities, methods, names = groups(
        text, "Clinton, the former secretary of state,", "The former first lady and U.S. senator"
    )
    assert entities[1] == entities[0]
    assert methods[1] == "description"
    entities, _, names = groups(
        "The senator and the governor said they disagreed.", "The senator and the governor"
    )
    assert names[entities[0]].endswith("/document")


def test_a_description_before_anyone_is_named_is_the_person_quoted_most():
    text = (
        "A New York judge has rejected a request to unseal a divorce file. "
        "Manhattan Supreme Court Justice Frank Nervo ruled on Thursday. "
        "“The court will not intrude,” Nervo wrote. Lawyer Ann Lee said she would appeal. "
        "“It is settled,” Nervo wrote. “It is final,” Nervo added."
    )
    entities, methods, names = groups(
        text, "A New York judge", "Manhattan Supreme Court Justice Frank Nervo", "Nervo", "Nervo"
    )
    assert names[entities[0]] == "Frank Nervo/global"
    assert entities[0] == entities[1] == entities[2]
    assert methods[0] == "description"
    # a judge is not someone the text gives another office
    other = text.replace("Manhattan Supreme Court Justice", "Senator")
    entities, _, _ = groups(other, "A New York judge", "Senator Frank Nervo", "Nervo", "Nervo")
    assert entities[0] != entities[1]


def test_two_people_of_one_office_the_description_is_the_one_named_just_before():
    text = (
        "Sen. Mike Lee stayed silent on Friday. Mike Lee left. Mike Lee flew home. "
        + "Others weighed in. " * 20
        + "Ted Cruz "
        "endorses Trump. Senator from Texas says he cannot allow Clinton to win. "
        "Sen. Ted Cruz spoke later."
    )
    entities, methods, names = groups(text, "Ted Cruz", "Senator from Texas")
    assert entities[1] == entities[0]
    assert names[entities[1]] == "Ted Cruz/global"
    assert methods[1] == "description"
