"""French reporting cues: the verbs (every inflected form, generated here, so
the pipeline needs no lemmatizer: spaCy's French lemmatizer alone costs about
140 MB of memory) and what each means for certainty."""

from app.extraction.tokens import words

REGULAR_ER = words(
    """
déclarer affirmer confier indiquer ajouter expliquer préciser estimer assurer souligner
annoncer raconter confirmer nier contester réfuter insister noter observer juger
considérer déplorer dénoncer regretter avouer signaler témoigner certifier répliquer
rétorquer mentionner commenter accuser clamer proclamer dévoiler rapporter avancer
arguer penser démontrer reprocher marteler révéler rappeler rejeter relever tweeter
lancer prévoir menacer qualifier redouter concéder objecter protester indigner
interroger étonner ironiser plaider fustiger saluer féliciter nuancer résumer détailler
glisser lâcher murmurer exclamer alarmer inquiéter tonner trancher raconter rapporter
évoquer
"""
)
# First-group verbs whose stem changes before a mute e, and -cer / -ger spellings.
EXTRA_FORMS = words(
    """
révèle révèlent rappelle rappellent rejette rejettent relève relèvent martèle martèlent
lança lançait lançaient lançant annonça annonçait annonçaient annonçant prévoit
prévoient prévu prévoyait menaça menaçait suggère suggèrent suggéré suggérait suggérant
suggéraient répète répètent répété répétait répétant juge jugent jugé jugeait jugeant
jugeaient assène assènent asséné
"""
)
IRREGULAR = words(
    """
dire dit dis disent disait disaient dira diront dirait diraient disant dite dits dites
écrire écrit écrivent écrivait écrivaient écrira écrirait écrivant écrite écrits
répondre répond répondent répondait répondaient répondu répondra répondrait répondant
répondit admettre admet admettent admis admettait admettra admettrait admettant admit
reconnaître reconnaît reconnait reconnaissent reconnu reconnue reconnaissait reconnaîtra
reconnaîtrait reconnaissant reconnut soutenir soutient soutiennent soutenu soutenait
soutenaient soutiendra soutiendrait soutenant soutint maintenir maintient maintiennent
maintenu maintenait maintiendra maintiendrait maintenant prévenir prévient préviennent
prévenu prévenait prévenant prévint démentir dément démentent démenti démentait
démentira démentirait démentant démentit promettre promet promettent promis promettait
promettra promettrait promettant promit conclure conclut concluent conclu concluait
conclura conclurait concluant poursuivre poursuit poursuivent poursuivi poursuivait
poursuivra poursuivant prétendre prétend prétendent prétendu prétendait prétendra
prétendrait prétendant prétendit avertir avertit avertissent averti avertissait avertira
avertirait avertissant croire croit croient cru croyait croyaient croira croirait
croyant réagir réagit réagissent réagi réagissait réagira réagirait réagissant craindre
craint craignent craignait craindrait craignant
"""
)
# "maintenant" is far more often the adverb "now".
NOT_CUES = frozenset({"maintenant", "croyant", "prévu"})

ER_ENDINGS = words(
    """
er e es ons ez ent ais ait ions iez aient a as âmes èrent era eront erait eraient é ée
és ées ant
"""
)

DENIAL_STEMS = ("nie", "nié", "dément", "démenti", "rejet", "contest", "réfut", "nier")
"""Cue forms that make an attribution denied ("a démenti", "rejette", "nie")."""

RELAY_VERBS = frozenset(
    {"confi", "déclar", "dit", "dis", "affirm", "indiqu", "expliqu", "racont", "révél",
     "révèl", "précis", "assur", "annon", "confirm", "rapport"}
)  # fmt: skip
"""Stems of verbs whose "à <outlet>" names the medium the words were given to."""

PREPOSITION_CUES = ("selon", "d'après", "d’après")
RELATIVE_PRONOUNS = frozenset({"laquelle", "lequel", "lesquels", "lesquelles", "qui", "quoi"})


def _forms() -> frozenset[str]:
    forms: set[str] = set(EXTRA_FORMS | IRREGULAR)
    for verb in REGULAR_ER:
        stem = verb[:-2]
        forms.update(stem + ending for ending in ER_ENDINGS)
    return frozenset(forms - NOT_CUES)


CUE_FORMS = _forms()


NON_FINITE_ENDINGS = ("er", "é", "ée", "és", "ées", "ant", "i", "is", "u", "ue", "us")
INFINITIVES = words(
    "dire écrire répondre admettre reconnaître soutenir maintenir prévenir démentir promettre "
    "conclure poursuivre prétendre avertir croire réagir craindre"
)


def is_finite_form(word: str) -> bool:
    """A cue form that is no participle or infinitive ("suggère", "juge")."""
    lower = word.lower()
    return (
        lower in CUE_FORMS and lower not in INFINITIVES and not lower.endswith(NON_FINITE_ENDINGS)
    )


def is_cue_form(word: str) -> bool:
    return word.lower() in CUE_FORMS


def is_denial(word: str) -> bool:
    return word.lower().startswith(DENIAL_STEMS)


def gives_to_outlet(word: str) -> bool:
    return word.lower().startswith(tuple(RELAY_VERBS))
