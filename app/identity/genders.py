"""Whether "he" or "she" can refer to a person, from what a text says of
them: an honorific ("Mr. Trump", "Mrs. Clinton", "M.", "Mme") or a common
first name. Unknown is compatible with both; a wrong "known" would let a
pronoun pass to the wrong person, so the lists hold only names that are
(almost) always one or the other."""

import re
from typing import Literal

from app.identity.names import unaccented, words

Gender = Literal["male", "female"]

MALE_TITLES = words("mr mr. m. monsieur sir lord king prince father brother")
FEMALE_TITLES = words("mrs mrs. ms ms. miss mme mme. madame mlle dame lady queen princess")

MALE_NAMES = words(
    "aaron adam alan albert alex alexander andrew anthony antonio arnold barack ben benjamin "
    "bernie bill billy bob bobby brad bradley brian bruce carl carlos charles charlie chris "
    "christopher chuck colin craig dan daniel darrell dave david denis dennis dick don donald doug "
    "douglas ed eddie edward elijah eric frank fred gary george gerald greg gregory harry "
    "henry howard hugh ian jack jacob jake james jared jason jeb jeff jeffrey jeh jerry jim "
    "jimmy joe joel john johnny jon jonathan jorge jose joseph josh joshua juan justin keith "
    "ken kenneth kevin larry lawrence len leon louis luis marco mark martin matt matthew "
    "michael mick mike mitch mitt neil newt nicholas nick norman patrick paul peter "
    "phil philip ralph randy ray raymond reince richard rick rob robert roger ron ronald roy "
    "rudy russell ryan sam samuel scott sean sergey stephen steve steven ted terry thomas tim "
    "timothy todd tom tony vladimir walter wayne william willie xi bashar benoit francois "
    "emmanuel jean-marc jean-yves jacques pierre nicolas michel vladimir recep angelo matteo "
    "boris khalifa mohammed mohamed ahmed ali omar abdel abdelfattah fayez ghassan "
    # more common first names, none given to women in any number
    "adrian alfred allen andy arthur barry bernard bret brett bryan calvin carlton chad "
    "chester clarence clark clifford clint cody curtis dale darren dean derek dominic "
    "donnie duane dustin dwight earl edwin elliot elliott eugene evan everett felix floyd "
    "franklin gabriel gavin gene gilbert glenn gordon grant harold harvey herbert homer "
    "ira isaac ivan jay jeremy jesse jimmie julian karl kirk kurt kyle lamar lance leonard "
    "leroy lester lewis lloyd lonnie lou lucas luke lyndon manuel marcus mario marvin "
    "maurice max melvin micah miguel miles milton mitchell nathan nathaniel ned nelson noah "
    "oliver orrin oscar otis owen pedro perry preston quentin rafael rahm rand randall reed "
    "reggie reginald rex ricardo rodney roland ross rupert salvador saul sebastian seth "
    "shane shawn sheldon sherrod simon spencer stanley stuart theodore trey troy tyler "
    "vernon victor vince vincent wade wallace warren wesley wilbur winston zachary sergei "
    "hassan hamid mahmoud ibrahim yusuf moshe shinzo narendra enrique andres alejandro "
    "fernando javier raul ramon hector roberto eduardo francisco ernesto"
)
FEMALE_NAMES = words(
    "abby alice alicia amanda amy andrea angela ann anna anne barbara betty beverly brenda "
    "carly carol caroline catherine cheryl chelsea christine claire cynthia debbie deborah "
    "denise diana diane donna doris dorothy elaine elizabeth ellen emily emma evelyn frances "
    "gloria hannah heather helen hillary hope huma ivana ivanka jane janet jean jennifer "
    "jessica jill joan joyce judy julia julie karen katherine kathleen kathy kay kayleigh "
    "kellyanne kim kimberly laura lauren linda lisa liz lori lynn madeleine margaret "
    "maria marie marilyn martha mary megan megyn melania melissa michelle nancy natalie "
    "nicole nikki pam pamela patricia patty paula rachel rebecca rose ruth sally samantha "
    "sandra sara sarah sharon shirley stephanie susan teresa theresa tiffany tulsi valerie "
    "virginia wendy marine segolene anne-marie nathalie christiane federica theresa "
    # more common first names, none given to men in any number
    "loretta nina olivia sophia ashley jasmine kate katie kristen courtney danielle erin "
    "grace irene jacqueline janice joanne josephine judith katharine kristin lucy marcia "
    "maureen meredith molly monica nora olga penny peggy rita roberta sheila stacey suzanne "
    "susanne sylvia tina vanessa victoria yvonne zoe elise connie hilary kirsten maxine "
    "tammy alexandra carolyn charlotte christina cindy claudia colleen dianne eileen ella "
    "elena eva gina gretchen jenna jenny joanna jodi kara katrina laurie lillian lois lydia "
    "mariah marsha michele mildred naomi paige priscilla rosa roxanne sabrina sonia stacy "
    "sue susie tanya tara vicki wanda yolanda agnes alison allison amelia audrey beatrice "
    "bonnie carmen cecilia clara cristina darlene dolores edith eleanor elaine eliza ellie "
    "esther florence gabrielle georgia gwen harriet hazel ingrid iris isabel isabella "
    "jeanne jeanette joy juanita june kathryn krista lena leah lorraine louise lucia mabel "
    "madison marjorie marlene melinda miriam myrtle nadia nellie norma patti pauline "
    "phyllis rhonda rosemary sadie selena sherry silvia sofia terri ursula vera viola "
    "wilma condoleezza"
)


def gender_of_name(first: str | None) -> Gender | None:
    if first is None:
        return None
    key = unaccented(first.casefold())
    if key in MALE_NAMES:
        return "male"
    if key in FEMALE_NAMES:
        return "female"
    return None


def honorific_genders(text: str, surname: str) -> set[Gender]:
    """The genders the honorifics before ``surname`` in ``text`` give it."""
    found: set[Gender] = set()
    pattern = re.compile(
        r"\b(Mr|Mrs|Ms|Miss|Mme|Mlle|M|Madame|Monsieur)\.?\s+" + re.escape(surname)
    )
    for match in pattern.finditer(text):
        title = match.group(1).casefold()
        found.add("male" if title in {"mr", "m", "monsieur"} else "female")
    return found


PRONOUN_GENDERS: dict[str, Gender] = {
    **dict.fromkeys(words("he him his himself il lui"), "male"),
    **dict.fromkeys(words("she her hers herself elle"), "female"),
}


_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mme|Mlle|M|Madame|Monsieur)\.?\s+[A-Z]")


def honorific_gender(mention: str) -> Gender | None:
    """The gender an honorific in the mention itself gives ("Mrs. Clinton")."""
    match = _HONORIFIC.search(mention)
    if match is None:
        return None
    return "male" if match.group(1).casefold() in {"mr", "m", "monsieur"} else "female"


NOUN_GENDERS: dict[str, Gender] = {
    **dict.fromkeys(
        words(
            "businessman congressman spokesman chairman husband father son brother dad grandfather "
            "man boy widower"
        ),
        "male",
    ),
    **dict.fromkeys(
        words(
            "businesswoman congresswoman spokeswoman chairwoman wife mother daughter sister "
            "lady widow mom grandmother woman girl"
        ),
        "female",
    ),
}


def noun_gender(description: str) -> Gender | None:
    """The gender the nouns of a description give ("the New York businessman")."""
    found = {
        NOUN_GENDERS[w] for w in re.findall(r"[a-z]+", description.casefold()) if w in NOUN_GENDERS
    }
    return next(iter(found)) if len(found) == 1 else None
