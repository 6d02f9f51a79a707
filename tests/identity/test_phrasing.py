"""Rules added for the third train sample (polnear-train-tuning-3): two
people joined by "and", a full name after a title and a role, a possessive
inside a run of capitals, a text's shorter spelling of a speaker's name, a
role the text gives someone else ("the president's speechwriter"), a
share of what someone said, a capitalised common noun, an editorial board.
Texts written here; the last test goes through the API."""

import re
from datetime import date

import httpx

from app.identity.document import Mention, resolve_document
from app.identity.names import person_name
from app.identity.wording import reading_of
from tests.identity.test_speakers import by_name


def groups(
    text: str, *phrases: str, published: date | None = None
) -> tuple[list[int], list[str], list[str]]:
    """Per mention (each phrase's next occurrence, in order): its entity, its
    method, and each entity's name and scope."""
    found, at = [], 0
    for phrase in phrases:
        match = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)").search(text, at)
        assert match is not None, phrase
        found.append(Mention(match.start(), match.end(), phrase))
        at = match.start() + 1
    speakers = resolve_document(text, found, published=published)
    return (
        [r.entity for r in speakers.resolutions],
        [r.method for r in speakers.resolutions],
        [f"{e.name}/{e.scope}" for e in speakers.entities],
    )


def test_two_people_joined_by_and_are_a_group_not_the_first_of_them():
    text = (
        "Sen. Bernie Sanders (Vt.) and former Maryland governor Martin O'Malley said Clinton "
        "was too hawkish. Later Sanders spoke alone. Trump's leading rivals, Sens. Ted Cruz of "
        "Texas and Marco Rubio of Florida, disagreed. Cruz said more."
    )
    pair = "Sen. Bernie Sanders (Vt.) and former Maryland governor Martin O'Malley"
    rivals = "Trump's leading rivals, Sens. Ted Cruz of Texas and Marco Rubio of Florida"
    entities, _, names = groups(text, pair, "Sanders", rivals, "Cruz")
    assert len(set(entities)) == 4
    assert names[entities[0]].endswith("/document")
    assert names[entities[1]] == "Bernie Sanders/global"
    assert names[entities[3]] == "Ted Cruz/global"
    # one name with "and" in its office, and one person with two roles, stay one person
    assert reading_of("Secretary of Health and Human Services Alex Azar").key == "alex azar"
    assert reading_of("Conservative columnist and Fox News contributor George Will").what == (
        "person"
    )


def test_a_full_name_after_a_title_and_a_role_is_that_person():
    text = (
        "Former Secretary of State and Democratic presidential frontrunner Hillary Clinton "
        "spoke on Thursday. Clinton said more. Later former secretary of state Hillary "
        "Clinton, who praised George W. Bush, said she would go on. The ex-wife of Alan "
        "Grayson said nothing, and Grayson declined to comment."
    )
    entities, _, names = groups(
        text,
        "Former Secretary of State and Democratic presidential frontrunner Hillary Clinton",
        "Clinton",
        "former secretary of state Hillary Clinton, who praised George W. Bush",
        "The ex-wife of Alan Grayson",
        "Grayson",
    )
    assert entities[0] == entities[1] == entities[2]
    assert names[entities[0]] == "Hillary Clinton/global"
    assert entities[3] != entities[4]  # related to Grayson, not Grayson


def test_a_name_starts_after_a_possessive_and_keeps_a_roman_numeral():
    assert person_name("Media Research Center's Bozell") == person_name("Bozell")
    assert person_name("Breitbart's Joel Pollak") == person_name("Joel Pollak")
    bozell = person_name("Brent Bozell III, founder of the Media Research Center,")
    assert bozell is not None
    assert bozell.display == "Brent Bozell III"
    # an organisation's letters right after a person's possessive are still theirs
    assert person_name("President Barack Obama's DOJ") == person_name("Barack Obama")
    assert reading_of("Trump’s potential VP").what != "person"  # Pence, not Trump


def test_the_end_of_a_speakers_name_in_the_text_is_that_speaker():
    text = (
        "Misinformation spreads fast, said Angie Drobnic Holan, Politifact's editor. "
        "It is everywhere, she said. “People believe it,” Holan said."
    )
    entities, _, names = groups(text, "Angie Drobnic Holan, Politifact's editor", "she", "Holan")
    assert entities[0] == entities[1] == entities[2]
    assert names[entities[0]] == "Angie Drobnic Holan/global"


def test_a_role_the_text_gives_through_a_possessive_belongs_to_someone_else():
    text = (
        "The country described by the president on Tuesday is on the rise. “It was a morning "
        "in America,” said Jon Favreau, the president's former chief speechwriter."
    )
    entities, _, names = groups(
        text,
        "the president",
        "Jon Favreau, the president's former chief speechwriter",
        published=date(2016, 1, 14),
    )
    assert names[entities[0]] == "Barack Obama/global"  # in 2016, no one else so called
    assert names[entities[1]] == "Jon Favreau/global"


def test_a_name_after_a_preposition_in_capitals_is_no_person():
    text = (
        "Donald Trump will come to Cleveland. Bikers for Trump and the Coalition Against Trump "
        "want permits. Trump, the longtime owner of the Miss Universe pageant, said he wants "
        "a show."
    )
    entities, _, names = groups(
        text, "Donald Trump", "Trump, the longtime owner of the Miss Universe pageant", "he"
    )
    assert entities[0] == entities[1] == entities[2]
    assert names[entities[0]] == "Donald Trump/global"


def test_much_of_a_persons_ire_is_that_person_and_a_capitalised_noun_names_no_one():
    text = (
        "Glenn Beck says Trump is a threat. Much of Beck's ire was directed at Bannon. "
        "The pro-Christie Union Leader, New Hampshire's largest newspaper, ran an editorial. "
        "“He folded,” the editorial board wrote."
    )
    entities, _, names = groups(
        text,
        "Glenn Beck",
        "Much of Beck's ire",
        "The pro-Christie Union Leader, New Hampshire's largest newspaper,",
        "the editorial board",
    )
    assert entities[0] == entities[1]
    assert entities[2] == entities[3]
    assert names[entities[2]] == "The Union Leader/global"
    assert reading_of("Woman").what == "person_description"
    assert reading_of("By Police").key == "police"


async def test_titles_possessives_and_plural_titles_do_not_split_a_speaker_given_by_name(
    client: httpx.AsyncClient,
) -> None:
    kirk = await by_name(client, "Mark Kirk")
    titled = await by_name(client, "Sens. Mark Kirk")
    assert titled["speaker_id"] == kirk["speaker_id"]
    assert titled["speaker_resolution"]["method"] == "name_variant"
    bozell = await by_name(client, "Brent Bozell")
    owned = await by_name(client, "Media Research Center's Brent Bozell")
    assert owned["speaker_id"] == bozell["speaker_id"]


def test_who_after_where_someone_is_from_or_their_age_is_that_person():
    text = (
        "One naysayer remained: Senator Bernie Sanders of Vermont, who had opposed the bill. "
        "“We are friends,” Jim Bennett, 57, who carried a sign, told a voter."
    )
    entities, methods, _ = groups(text, "Bernie Sanders of Vermont", "who", "Jim Bennett", "who")
    assert entities[0] == entities[1]
    assert entities[2] == entities[3]
    assert entities[0] != entities[2]
    assert methods[1] == "pronoun"


def test_his_response_is_his():
    text = (
        "Khizr Khan spoke at the convention. When Donald Trump was asked about it, his "
        "response focused on Khan's wife."
    )
    entities, _, names = groups(text, "Khizr Khan", "Donald Trump", "his response")
    assert entities[2] == entities[1]
    assert names[entities[1]] == "Donald Trump/global"


def test_a_headlines_capitals_are_no_name_and_its_first_name_is_the_person():
    text = (
        "Hillary Just Vowed To Never Utter These Words\n"
        "Hillary Clinton promised on Tuesday to stop using the phrase. Clinton said more."
    )
    entities, methods, names = groups(text, "Hillary", "Hillary Clinton", "Clinton")
    assert entities[0] == entities[1] == entities[2]
    assert names[entities[0]] == "Hillary Clinton/global"
    assert methods[0] == "name_variant"


def test_the_admiral_is_the_one_person_the_text_calls_so():
    text = (
        "Adm. Harry B. Harris Jr. spoke in Beijing on Monday. His hosts were not pleased. "
        "Later, the admiral said the patrols would go on."
    )
    entities, methods, _ = groups(text, "Harry B. Harris Jr.", "the admiral")
    assert entities[0] == entities[1]
    assert methods[1] == "description"


def test_a_persons_form_with_words_before_its_noun_is_theirs():
    assert reading_of("Trump’s new PFD form").key == "trump"
    assert reading_of("Ivana Trump's brief").key == "ivana trump"


def test_a_headlines_unnamed_newspaper_is_the_one_outlet_named_next():
    text = (
        "Newspaper: Defense secretary used personal email\n"
        "A news report published Wednesday said the secretary used a personal account. "
        "The New York Times reported it obtained 72 emails. His press secretary told the "
        "Times that it was a mistake, the Times said."
    )
    entities, methods, names = groups(text, "Newspaper", "A news report", "the Times")
    assert entities[0] == entities[1] == entities[2]
    assert names[entities[0]].endswith("/global")
    assert methods[0] == "description"


def test_a_line_ends_a_sentence_even_after_an_acronym():
    text = (
        "Khizr Khan, the father of a slain soldier, decried the ban during a speech at the DNC.\n"
        "Hollande denounced the remarks as humiliating.\n"
        "“That will have consequences,” he said."
    )
    entities, _, _ = groups(text, "Khizr Khan", "Hollande", "he")
    assert entities[2] == entities[1]
    assert entities[0] != entities[1]


def test_a_he_opening_a_new_paragraph_is_the_person_that_paragraph_named_before_it():
    text = (
        "Bernie Sanders has long worked the side door. Sanders passed more amendments than "
        "anyone.\n“It has been a successful strategy,” said Warren Gunnels, an adviser.\n"
        "But when it comes to Mr. Sanders's proudest moments, it is the losses that stand "
        "out. He was among 25 senators to vote against the bailout.\n"
        "“We will go on,” said Gunnels.\nAsked about Mr. Sanders's votes, he said nothing."
    )
    entities, _, names = groups(text, "Bernie Sanders", "Warren Gunnels", "He", "Gunnels", "he")
    assert entities[2] == entities[0]
    assert entities[4] == entities[1]  # in the sentence that names him: the last speaker
    assert names[entities[0]] == "Bernie Sanders/global"


def test_a_headlines_woman_is_the_woman_the_article_quotes_most():
    text = (
        "Woman Reveals What Trump Did For Her Family\n"
        "Betsy Sharp of Burke County knows Donald Trump well. “He saved our farm,” Sharp said. "
        "“He is kind,” she said. Trump recalled the story. “I paid it off,” Trump said. "
        "“It was a mean banker,” Trump said."
    )
    entities, _, names = groups(
        text, "Woman", "Betsy Sharp of Burke County", "Sharp", "she", "Trump", "Trump", "Trump"
    )
    assert entities[0] == entities[1]
    assert entities[4] != entities[0]  # quoted more, but no woman
    assert names[entities[0]] == "Betsy Sharp/global"


def test_a_name_ending_in_a_bodys_or_places_noun_is_no_persons():
    assert reading_of("Islamic State").what == "organisation"
    assert reading_of("New York’s 19th District").what == "organisation"


def test_a_description_is_no_one_the_text_first_names_far_after_it():
    text = (
        "The president spoke on Tuesday night. "
        * 10
        + "Iran detained ten sailors, timely ammunition for the Republican case that the "
        "diplomacy was misplaced. " + "The economy grew again last year. " * 40 + "“Voters are "
        "anxious,” said Sara Fagen, a Republican strategist."
    )
    entities, _, names = groups(text, "the Republican", "Sara Fagen, a Republican strategist")
    assert entities[0] != entities[1]
    assert names[entities[1]] == "Sara Fagen/global"


def test_a_pronoun_after_someone_unnamed_opens_a_clause_is_not_the_last_named():
    text = (
        "Hillary Clinton spoke in Ohio on Monday. At a forum in Palo Alto, Bernie Sanders "
        "talked about jobs. But that changed when one voter brought up immigration. She asked "
        "about deportations. “We are friends,” Jim Bennett told a voter passing by. “Like "
        "Ebony and Ivory,” he explained."
    )
    entities, methods, _ = groups(text, "Hillary Clinton", "She", "Jim Bennett", "he")
    assert entities[1] != entities[0]
    assert methods[1] == "new"
    assert entities[3] == entities[2]  # "told a voter": the voter is no clause's subject


def test_his_campaign_in_lowercase_is_his_campaign():
    text = (
        "Bernie Sanders has not ignored television. Months before the primary, his campaign "
        "paid for a film, and His campaign said more."
    )
    entities, _, names = groups(text, "Bernie Sanders", "his campaign", "His campaign")
    assert entities[1] == entities[2]
    assert entities[1] != entities[0]
    assert names[entities[1]].startswith("Bernie Sanders")


def test_an_unplaced_phrase_said_again_is_the_same_speaker_but_a_share_is_not():
    text = (
        "The old lions of the conservative movement—leaders with ties to the 1960s—back "
        "Cruz. One in five voters agree. Later, one in five voters said no. The old lions of "
        "the conservative movement are tired."
    )
    entities, _, _ = groups(
        text,
        "The old lions of the conservative movement—leaders with ties to the 1960s",
        "One in five voters",
        "one in five voters",
        "The old lions of the conservative movement",
    )
    assert entities[0] == entities[3]
    assert entities[1] != entities[2]


def test_an_outlets_name_or_apposition_makes_it_media_not_a_person():
    western = reading_of("Western Journalism")
    assert (western.what, western.kind) == ("organisation", "media")
    xinhua = reading_of("Xinhua, the official Chinese news agency")
    assert (xinhua.what, xinhua.kind, xinhua.key) == ("organisation", "media", "xinhua")


def test_the_investor_is_the_one_person_a_story_is_about():
    text = (
        "Billionaire Mark Cuban said Trump is a risk. “He is unpredictable,” Cuban said. "
        "Cuban added more. Cuban said he would not vote for him. Cuban laughed. Later, the "
        "investor said the markets would fall."
    )
    entities, _, names = groups(text, "Billionaire Mark Cuban", "Cuban", "Cuban", "the investor")
    assert entities[3] == entities[0]
    assert names[entities[0]] == "Mark Cuban/global"


def test_he_and_a_titled_name_or_an_owners_group_is_no_one_person_and_no_pair():
    goodlatte = reading_of("He and House Judiciary Committee Chairman Bob Goodlatte")
    assert goodlatte.what == "conjunction"
    groups_ = reading_of(
        "groups such as Emily's List and former New York mayor Michael R. Bloomberg's super PAC"
    )
    assert " & " not in groups_.key  # not two people "Both women" could be
    assert reading_of("Actress Amandla Stenberg").key == "amandla stenberg"


def test_the_owner_of_a_named_thing_is_no_antecedent_after_a_speaker_it_cannot_be():
    text = (
        "Senator Bernie Sanders advocates tax increases; Mrs. Clinton seeks less. He calls for "
        "Medicare for all; Mrs. Clinton aims to build on President Obama's Affordable Care "
        "Act.\nHe proposes breaking up the banks; she backs tougher rules."
    )
    entities, _, names = groups(text, "Bernie Sanders", "Mrs. Clinton", "He", "Mrs. Clinton", "He")
    assert entities[2] == entities[0] == entities[4]
    assert names[entities[0]] == "Bernie Sanders/global"


def test_someone_unnamed_inside_a_quotation_or_a_possessive_leaves_the_pronoun_alone():
    text = (
        "U.S. District Judge Michael W. Mosman spoke on Friday. “When he says he will die a free "
        "man, I don't take that as a man who is joking about it,” he said. Hundreds cast their "
        "votes, and his campaign said more."
    )
    entities, _, names = groups(text, "Michael W. Mosman", "he", "he", "he", "his campaign")
    assert entities[3] == entities[0]
    assert names[entities[4]].startswith("Michael Mosman")  # "Hundreds" is no one
