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
    if i == 0 and ws and _UNLISTED_NOUN.match(ws[0][2]) and ws[0][2] not in _STOP | _ELLIPSIS:
        return textmod.match_form(ws[0][2]), ws[0][1]  # a plural noun not in the lexicon counts itself ('40 boats')
    return None, 0
