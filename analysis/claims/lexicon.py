"""The method's lexicons: counted things, events, sides and speakers (lower-case patterns).

They were written for English wire reports on armed conflict; a corpus on another subject needs
its own entries. :func:`counted_after` reads the counted noun that follows a number.
"""

from __future__ import annotations

import re

from analysis import text as textmod


# Counted things: a phrase of one or more words (lower case) -> category. Longest match wins.
COUNTED = {
    "soldiers": "soldier soldiers troop troops personnel servicemen turks element elements",
    "fighters": "fighter fighters rebel rebels militant militants jihadist jihadists",
    "civilians": "civilian civilians",
    "children": "child children",
    "people": "people persons person dead syrians residents inhabitants individuals",
    "refugees": "refugee refugees migrants",
    "tanks": "tank tanks",
    "armoured vehicles": "armoured_personnel_carriers armored_personnel_carriers "
                         "armoured_personnel_carrier armored_personnel_carrier personnel_carriers "
                         "armoured_vehicles armored_vehicles armoured_vehicle armored_vehicle",
    "pickups": "pickup pickups",
    "howitzers": "howitzer howitzers",
    "helicopters": "helicopter helicopters chopper choppers",
    "ammunition trucks": "ammunition_truck ammunition_trucks",
    "depots": "depot depots",
    "headquarters": "headquarters",
    "warships": "warship warships ship ships",
    "aircraft": "aircraft jets planes warplanes drones",
    "observation posts": "observation_post observation_posts post posts",
    "missile batteries": "battery batteries",
    "talks": "round rounds talks",
    "incidents": "incident incidents",
}
_COUNTED_PHRASES: dict[tuple[str, ...], str] = {
    tuple(p.split("_")): cat for cat, phrases in COUNTED.items() for p in phrases.split()}
_MAX_PHRASE = max(len(p) for p in _COUNTED_PHRASES)
_SKIP = {"its", "their", "the", "these", "those", "his", "her", "our", "them", "of"}
_ELLIPSIS = {"more", "others", "other", "them"}
_STOP = {"in", "on", "at", "to", "from", "by", "with", "were", "was", "have", "has", "had", "are",
         "is", "and", "or", "but", "that", "which", "who", "since", "after", "before", "for",
         "into", "as", "a", "an", "be", "been", "will", "would"}
_UNLISTED_NOUN = re.compile(r"^[a-z]{3,}s$")
PERSON_KINDS = {"soldiers", "fighters", "civilians", "children", "people", "refugees"}
NO_SIDE = {"civilians", "children", "people", "refugees", "talks", "incidents"}
EVENT_BY_COUNTED = {"observation posts": "stationed", "talks": "held", "incidents": "occurred"}

EVENTS = {
    "killed": r"killed|killing|kill|deaths?|died|dead|death toll|lack of life|lost their lives",
    "wounded": r"wounded|wounding|injured|injuring|injuries",
    "displaced": r"flee|fled|fleeing|flight|displaced|displacement|uprooted|evacuated|"
                 r"evacuation|from their homes",
    "destroyed": r"destroyed|destroying|destruction",
    "hosted": r"home to|hosts|hosting|hosted",
    "requested": r"asked|requested|request|sought",
    "deployed": r"deployed|sent|pass through|passed through|en route|reinforce",
}
_EVENT_RE = [(name, re.compile(rf"\b(?:{pat})\b", re.I)) for name, pat in EVENTS.items()]

# Side mentions; at one position the first alternative wins ('pro-Turkey' before 'Turkey').
_SIDES = [
    ("rebels", r"pro-turkey|turkey-backed|ankara-backed|turkish-backed|rebels?|opposition"),
    ("syrian-government", r"pro-regime|regime|syrian (?:army|forces|units|government|troops)"
                          r"|damascus|government forces|assad"),
    ("turkey", r"turkish|turks?\b|turkey|ankara"),
    ("russia", r"russian|russia|moscow|kremlin"),
]
_SIDE_RE = re.compile("|".join(f"(?P<{n.replace('-', '_')}>\\b(?:{p}))" for n, p in _SIDES),
                      re.I)

# Attribution: a speech verb, and who stands next to it.
_SPEECH = re.compile(r"\b(?:said|says|saying|told|tweeted|announced|urged|warned|blamed|"
                     r"according to|denied|denies|deny|denying|rejected|rejects|dismissed|"
                     r"dismisses|refuted|refutes)\b", re.I)
# Speech verbs that deny what follows them: a figure in their complement is contested.
DENIALS = frozenset("denied denies deny denying rejected rejects dismissed dismisses refuted "
                    "refutes".split())
SOURCES = [
    ("monitor", r"observatory|monitor"),
    ("un", r"\bu\.?n\.?(?=\W)|united nations"),
    ("german-government", r"germany|german|berlin|merkel"),
    ("russian-government", r"russia|russian|kremlin|moscow|lavrov|peskov|putin"),
    ("turkish-government", r"turkey|turkish|ankara|akar|erdogan|altun|cavusoglu"),
]


def words(s: str) -> list[tuple[int, int, str]]:
    return [(a, b, s[a:b].lower()) for a, b in textmod.word_spans(s)]


def counted_after(after: str) -> tuple[str | None, int]:
    """Counted category of the words following a number, and where that phrase ends.

    Skips ``of its``/``of Russia's`` and up to three modifiers (``Syrian regime``); stops at a
    verb or preposition. ``(None, 0)`` when no counted noun follows.
    """
    ws = words(after.split(".")[0][:80])
    i = 0
    while i < len(ws) and i < 6:
        w = ws[i][2]
        if w in _SKIP or w.endswith("'s"):
            i += 1
            continue
        break
    for j in range(i, min(i + 4, len(ws))):
        if ws[j][2] in _STOP or ws[j][2] in _ELLIPSIS:
            break
        for n in range(_MAX_PHRASE, 0, -1):
            phrase = tuple(w for _, _, w in ws[j:j + n])
            if len(phrase) == n and phrase in _COUNTED_PHRASES:
                return _COUNTED_PHRASES[phrase], ws[j + n - 1][1]
    if i == 0 and ws and _UNLISTED_NOUN.match(ws[0][2]) and ws[0][2] not in _STOP | _ELLIPSIS \
            and ws[0][2] not in UNIT_WORDS and ws[0][2] not in ("mln", "bln") \
            and ws[0][2] not in _NP_STOP:
        return textmod.match_form(ws[0][2]), ws[0][1]  # a plural noun not in the lexicon counts itself ('40 boats')
    return None, 0


# --------------------------------------------------------------------------------------------
# Measured things in business and wire copy: '1.56 mln tonnes of crude palm oil', 'net profit
# of 67.7 mln dlrs', 'the consumer price index fell 0.4 pct', 'a 20 pct improvement'.
# --------------------------------------------------------------------------------------------

# Unit words after a figure (longest first), and the unit they name.
UNIT_WORDS = {
    "pct": "pct", "per cent": "pct", "percent": "pct", "%": "pct", "percentage points": "points",
    "points": "points", "point": "points", "basis points": "basis points",
    "dlrs": "dlrs", "dlr": "dlrs", "dollars": "dlrs", "dollar": "dlrs", "cts": "cts",
    "cents": "cts", "stg": "stg", "pounds sterling": "stg", "yen": "yen", "francs": "francs",
    "marks": "marks", "lire": "lire", "guilders": "guilders", "pesos": "pesos",
    "roubles": "roubles", "rupees": "rupees", "crowns": "crowns", "franc": "francs",
    "crown": "crowns", "guilder": "guilders", "peso": "pesos", "rupee": "rupees",
    "tonnes": "tonnes", "tonne": "tonnes", "tons": "tons", "long tons": "long tons",
    "short tons": "short tons", "barrels": "barrels", "bpd": "barrels per day",
    "ounces": "ounces", "bushels": "bushels", "bales": "bales", "bags": "bags",
    "kms": "kms", "km": "kms", "kilometres": "kms", "kilometers": "kms", "miles": "miles",
    "pounds": "pounds", "lbs": "pounds", "kg": "kg", "kilos": "kg", "hectares": "hectares",
    "acres": "acres", "square kilometers": "square kilometers", "cc": "cc", "feet": "feet",
    "years": "years", "year": "years", "months": "months", "month": "months",
    "weeks": "weeks", "week": "weeks", "days": "days", "day": "days", "hours": "hours",
    "minutes": "minutes", "shares": "shares", "votes": "votes",
}
_CURRENCY_ADJ = r"(?:u\.s\.|us|australian|canadian|n\.z\.|new zealand|hong kong|singapore|" \
                r"taiwan|french|swiss|belgian|west german)"
_UNIT_RE = re.compile(
    r"^\s*(?:(" + _CURRENCY_ADJ + r")\s+)?("
    + "|".join(sorted((re.escape(u).replace(r"\ ", r"\s+") for u in UNIT_WORDS),
                      key=len, reverse=True))
    + r")(?![\w])(?:\s+(?:a|per)\s+(share|tonne|ton|barrel|day|year|ounce|pound|bushel|"
      r"dollar|head)(?![\s-]+(?:earlier|ago|before|later)\b))?", re.I)
# Verbs and prepositions that tie a figure to the thing named before it.
_LINK = (r"rose|rise|rises|risen|rising|fell|fall|falls|fallen|falling|was|were|is|are|be|been|"
         r"being|of|at|totalled|totaled|totalling|totaling|total|totals|reached|reach|reaches|"
         r"exceed|exceeds|exceeded|increased|increase|increases|decreased|decrease|declined|"
         r"decline|declines|dropped|drop|drops|gained|gain|gains|climbed|climb|jumped|jump|"
         r"grew|grow|grows|growth|slipped|eased|ease|posted|showed|show|shows|earned|lost|"
         r"amounted|amount|stood|stand|stands|came|put|estimated|forecast|projected|"
         r"expected|set|fixed|valued|worth|cost|costs|raised|cut|cuts|reduced|lowered|"
         r"slumped|soared|surged|plunged|advanced|improved|widened|narrowed|shrank|"
         r"contracted|expanded|up|down|by|to|around|about|some|nearly|almost|over|under|"
         r"than|only|just|slightly|sharply|an|a|the|estimated|another|additional|further|"
         r"record|some|would|will|should|could|may|might|must|has|have|had|can|also|"
         r"probably|still|now|then|already|in|on|for|with|from|against|compared|"
         r"respectively|more|less|around|roughly|approximately|least|most|as|much|many|"
         r"compares|compared|indicates|indicate|implies|imply|range|level|levels|rate|"
         r"showed|shows|hit|hits|topped|year|years|month|months|earlier|ago|last|mid|"
         r"january|february|march|april|may|june|july|august|september|october|november|"
         r"december|quarter|week|full|first|second|third|fourth|half)")
_LINK_WORDS = frozenset(_LINK.split("|"))
# Between two figures, words that make the second one a figure of the same thing ('fell to
# 101.9 mln dlrs from 199.0 mln', 'rose 5.7 pct to 19.7 mln', '40 vs 36').
_MONTH_WORDS = frozenset("january february march april may june july august september "
                         "october november december".split())
_PREVIOUS_FIGURE = frozenset("and to from up down against compared with versus vs or a an year "
                             "earlier ago the previous prior last respectively in".split())


def same_thing_between(between: str) -> bool:
    """True when only the words of :data:`_PREVIOUS_FIGURE` and commas stand between two
    figures, so the second one measures what the first does."""
    if len(between) > 40 or re.search(r"[;:()\"]", between):
        return False
    ws = [w.lower() for w in re.findall(r"[A-Za-z]+", between)]
    return bool(ws) and all(w in _PREVIOUS_FIGURE or w in _MONTH_WORDS or w in UNIT_WORDS
                            or w in ("mln", "bln", "billion", "million", "mid") for w in ws) \
        and any(w in _PREVIOUS_FIGURE for w in ws)

_NP_STOP = frozenset("""a an the of in on at to from by with for and or but that which who
    whose said says say told this these those its their his her our it they he she we i you
    was were is are be been has have had will would should could may might must not no than
    as per each every some any all both said while when if since after before about over
    under up down also only just there here what where how why reuter reuters it's year's
    because between during due among including despite through via toward towards until
    others other more another
    """.split())
_VERBS = frozenset("""reported reports report posted posts expects expected expect sees see
    forecast predicted said told announced estimated estimates showed shows had has have paid
    pay pays fined fine agreed voted won made make makes take takes took gave give gives
    """.split())
_VERB_FORM = re.compile(r"^[a-z]{3,}(?<!e)ed$|^[a-z]{2,}ied$|^[a-z]{3,}[^e]ed$")
_NOUNISH = re.compile(r"^[a-z][a-z-]*[a-z]$")


def measured_unit(after: str) -> tuple[str, int]:
    """The unit written right after a figure (``dlrs``, ``pct``, ``Australian dlrs``,
    ``dlrs per tonne``) and where it ends; ``('', 0)`` when none."""
    m = _UNIT_RE.match(after)
    if not m:
        return "", 0
    unit = UNIT_WORDS[re.sub(r"\s+", " ", m.group(2).lower())]
    if m.group(1):
        unit = f"{m.group(1)} {unit}"
    if m.group(3):
        unit = f"{unit} per {m.group(3).lower()}"
    return unit, m.end()


def _np_words(text: str) -> list[tuple[int, int, str]]:
    return [(a, b, text[a:b]) for a, b in textmod.word_spans(text)]


def phrase_after(after: str) -> tuple[str, int]:
    """A noun phrase right after a figure or its unit: ``of crude palm oil`` -> ``crude palm
    oil``; ``Asian countries`` -> ``Asian countries``; up to four words, stopping at a function
    word, a verb of linking or punctuation. ``('', 0)`` when none."""
    m = re.match(r"^\s*(?:of\s+(?:the\s+|those\s+|its\s+|their\s+)?)?", after)
    pos = m.end()
    if re.match(r"[,.;:()\"]", after[pos:pos + 1] or "."):
        return "", 0
    out, end = [], 0
    for a, b, w in _np_words(after[pos:pos + 60]):
        gap = after[pos + (out and end or 0):pos + a] if out else after[pos:pos + a]
        if out and re.search(r"[,.;:()\"]", gap):
            break
        lw = w.lower()
        if lw in _NP_STOP or lw in _LINK_WORDS or not _NOUNISH.match(lw) \
                or lw.endswith("'s") or len(out) >= 4 or _VERB_FORM.match(lw):
            break
        out.append(w)
        end = b
    if not out:
        return "", 0
    return " ".join(out), pos + end


def phrase_before(before: str) -> str:
    """The noun phrase a figure is tied to by a verb or preposition on its left
    (``Ford Canada's consolidated net income fell to``, ``earnings of``): skip the linking
    words, then take up to four words back to a function word, possessive or punctuation."""
    ws = _np_words(before[-160:])
    i = len(ws) - 1
    clause_tail = before[-160:]
    skipped = 0
    while i >= 0 and (ws[i][2].lower() in _LINK_WORDS or _VERB_FORM.match(ws[i][2].lower())
                      or re.fullmatch(r"[a-z]{3,}ly", ws[i][2].lower())) and skipped < 6:
        if re.search(r"[,;:()\"]", clause_tail[ws[i][1]:]):
            return ""
        i -= 1
        skipped += 1
    if i < 0 or re.search(r"[,;:()\"]", clause_tail[ws[i][1]:]):
        return ""
    out = []
    while i >= 0 and len(out) < 4:
        w = ws[i][2]
        lw = w.lower()
        if lw in _NP_STOP or lw in _VERBS or lw.endswith("'s") or lw.endswith("'") \
                or not re.match(r"^[A-Za-z][A-Za-z-]*$", w) or lw in _LINK_WORDS \
                or lw in UNIT_WORDS or lw in ("mln", "bln", "billion", "million") \
                or (len(w) < 3 and not w.isupper()):
            break
        if out and re.search(r"[,;:()\"]", clause_tail[ws[i][1]:ws[i + 1][0]]):
            break
        out.insert(0, w)
        i -= 1
    return " ".join(out).lower() if out else ""
