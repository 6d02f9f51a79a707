"""The English tagger's token features: word, shape, a hand-written lexicon of
reporting cues, quotation state, and where the token sits in its sentence
relative to the nearest cue word. Features are single words or categories,
never longer stretches of text, so the trained model holds no article text."""

import re

from app.extraction.tokens import Paragraph, Token, quote_roles, words

REPORTING_VERBS = words("""
    say says said saying tell tells told telling add adds added adding note notes noted
    noting claim claims claimed claiming argue argues argued arguing report reports reported
    reporting write writes wrote written writing state states stated stating announce
    announces announced explain explains explained explaining insist insists insisted
    suggest suggests suggested warn warns warned continue continued ask asks asked asking
    believe believes believed think thinks thought agree agrees agreed acknowledge
    acknowledges acknowledged admit admits admitted deny denies denied denying confirm
    confirms confirmed confirming reveal reveals revealed declare declares declared assert
    asserts asserted allege alleges alleged maintain maintains maintained predict predicts
    predicted promise promises promised vow vows vowed pledge pledged urge urges urged
    tweet tweets tweeted tweeting post posts posted respond responds responded reply
    replies replied criticize criticized blame blames blamed accuse accuses accused charge
    charged contend contends contended point pointed describe describes described call calls
    called concede conceded emphasize emphasized stress stressed recall recalled remark
    remarked joke joked complain complained question questioned estimate estimates
    estimated show shows showed shown find finds found indicate indicates indicated
    suggest learn learned learns according quipped quip observed observes mention mentioned
    recount recounted testify testified boast boasted brag bragged hint hinted speculate
    speculated concluded conclude conclude insisted dismissed dismiss rejected reject
    disputed dispute countered counter acknowledged feared fears worry worried hope hoped
    want wants wanted expect expects expected view views viewed consider considered
    """)
REPORTING_NOUNS = words("""
    statement statements interview interviews report reports remarks comments comment
    speech tweet tweets letter memo email emails poll survey study analysis testimony
    announcement press release op-ed column editorial
    """)
PRONOUNS = words("he she they i we it you who which his her their")
HEDGES = words("reportedly allegedly purportedly apparently supposedly")
_DIGIT = re.compile(r"\d")


def shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if word.isupper() and len(word) > 1:
        return "XX"
    if word[:1].isupper():
        return "Xx"
    if word.isalpha():
        return "x"
    if _DIGIT.search(word):
        return "dx"
    if word in {'"', "“", "”", "‘", "’", "«", "»"}:
        return "q"
    return "p"


def _bucket(distance: int) -> str:
    if distance == 0:
        return "0"
    sign = "+" if distance > 0 else "-"
    size = abs(distance)
    if size <= 2:
        return f"{sign}{size}"
    if size <= 5:
        return f"{sign}3-5"
    if size <= 12:
        return f"{sign}6-12"
    return f"{sign}13+"


def is_cue_word(word: str) -> bool:
    return word.lower() in REPORTING_VERBS


def _inside_quotes(tokens: list[Token]) -> tuple[list[bool], list[str]]:
    roles = quote_roles(tokens)
    inside: list[bool] = []
    state = False
    for role in roles:
        if role == "open":
            state = True
            inside.append(True)
        elif role == "close":
            inside.append(True)
            state = False
        else:
            inside.append(state)
    return inside, roles


def paragraph_features(paragraph: Paragraph) -> list[list[str]]:
    """One list of feature strings per token (crfsuite's binary features)."""
    tokens = paragraph.tokens
    texts = [t.text for t in tokens]
    lower = [w.lower() for w in texts]
    inside, roles = _inside_quotes(tokens)
    cues = [is_cue_word(w) for w in texts]
    sentence = paragraph.sentence
    bounds: dict[int, tuple[int, int]] = {}
    for index, sid in enumerate(sentence):
        first, _ = bounds.get(sid, (index, index))
        bounds[sid] = (first, index)
    sentence_cues: dict[int, list[int]] = {}
    for index, is_cue in enumerate(cues):
        if is_cue:
            sentence_cues.setdefault(sentence[index], []).append(index)
    hedged = {sentence[i] for i, w in enumerate(lower) if w in HEDGES}
    features: list[list[str]] = []
    count = len(tokens)
    for index, word in enumerate(texts):
        low = lower[index]
        sid = sentence[index]
        first, last = bounds[sid]
        length = last - first + 1
        relative = (index - first) * 5 // max(length, 1)
        row = [
            "bias",
            f"w={low}",
            f"suf3={low[-3:]}",
            f"shape={shape(word)}",
            f"quote={roles[index] or ('in' if inside[index] else 'out')}",
            f"sentpos={relative}",
            f"sentidx={min(sid, 3)}",
        ]
        if index == first:
            row.append("sent_first")
        if index == last:
            row.append("sent_last")
        if cues[index]:
            row.append("cue_word")
        if low in REPORTING_NOUNS:
            row.append("cue_noun")
        if low in PRONOUNS:
            row.append("pronoun")
        if sid in hedged:
            row.append("sent_hedged")
        for offset in (-2, -1, 1, 2):
            other = index + offset
            if 0 <= other < count:
                row.append(f"w[{offset}]={lower[other]}")
                row.append(f"shape[{offset}]={shape(texts[other])}")
                if cues[other]:
                    row.append(f"cue[{offset}]")
                if roles[other]:
                    row.append(f"quote[{offset}]={roles[other]}")
            else:
                row.append(f"edge[{offset}]")
        in_sentence = sentence_cues.get(sid, [])
        if in_sentence:
            nearest = min(in_sentence, key=lambda c: abs(c - index))
            row.append(f"cuedist={_bucket(index - nearest)}")
            row.append(f"cueword={lower[nearest]}")
            row.append("before_cues" if index < in_sentence[0] else "after_first_cue")
        else:
            row.append("no_cue_in_sentence")
        if inside[index] and sid in sentence_cues:
            row.append("quoted_with_cue")
        features.append(row)
    return features
