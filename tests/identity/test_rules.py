"""Rules of the document resolver added after the first held-out score:
qualified organisation names, descriptions named after them, cataphoric
pronouns. Texts written here."""

from app.identity.readings import read_mention
from tests.identity.test_document import groups


def test_a_qualifier_before_an_organisation_name_does_not_split_it():
    text = (
        "The deficit would grow, the nonpartisan Congressional Budget Office said. "
        "The conservative-leaning Tax Foundation disagreed. "
        "The Congressional Budget Office later revised its figure, and the Tax Foundation "
        "said nothing."
    )
    entities, methods, names = groups(
        text,
        "the nonpartisan Congressional Budget Office",
        "The conservative-leaning Tax Foundation",
        "The Congressional Budget Office",
        "the Tax Foundation",
    )
    assert entities[0] == entities[2]
    assert entities[1] == entities[3]
    assert entities[0] != entities[1]
    assert names[entities[0]] == "The Congressional Budget Office/global"


def test_a_lowercase_word_inside_a_name_is_no_qualifier():
    # "the state Department": one capitalised word left, the mention keeps its words
    assert read_mention("the state Department").key == "state department"
