"""Who is named in a text: speaker mentions found in the text itself, resolved within an article.

No hand table is needed. :class:`SpeakerFinder` reads three kinds of mention (on the folded text,
so offsets are clean-text offsets):

- **names**: runs of capitalised words (``Hulusi Akar``, ``the Syrian Observatory for Human
  Rights``, ``U.N.``). Leading title words and nationality adjectives are cut off and kept as the
  mention's role (``Russian Foreign Minister Sergei Lavrov`` is ``Sergei Lavrov``, role
  ``Russian Foreign Minister``). A possessive (``Putin's spokesman``) is not a subject and is
  skipped; a sentence's first word counts only when the text never prints it in lower case.
- **titled descriptions**: ``a Turkish official``, ``the Russian defence ministry``, ``The UK-based
  war monitor``: a title word (:data:`TITLE_WORDS`) with a capitalised qualifier is a speaker in
  its own right; a bare one (``the minister``, ``the ministry``, ``the official``) is an anaphor.
- **pronouns** ``he`` and ``she``, and unnamed groups (``experts``, ``analysts``).
- **bodies speaking through someone**: ``a spokesman for Airbus`` and ``an official of Boeing
  Co`` are named as the body (a person for a later ``he``); ``a company spokesman`` and
  ``a company statement`` are the company named last; ``the report``, ``the statement`` and
  ``it said`` are the body last named with a document (``the Tower Commission report``,
  ``the statement by the Iranian High Command``), else the body named last.

Wire conventions: a name followed by ``of`` and a body (``Julius Maldutis of Salomon Brothers
Inc``) is a person and a body; company forms (``Co``, ``Inc``, ``Corp``), regions (``Western
Europe``) and places starting ``New`` are never persons; a bracketed gloss (``(General
Agreement on Tariffs and Trade)``, ``(UAW)``) and a run of words in capitals (a headline or
subhead, ``TRUMP WANTS``) are never names; ``the Kansas Republican`` is the person named before
and ``the UAW president`` the person last named with that title (else a speaker in its own
right); a description set off as an appositive (``Karl Mesner, a spokesman for X,``) is the role
of the name before it, not a mention.

:meth:`SpeakerFinder.resolve` turns each mention into a speaker name: a surname or a single word
of an earlier name (``Akar``, ``the Observatory``) becomes the last full name printed before it
that ends with (or holds) that word; a title or pronoun becomes the last speaker before it whose
kind and role fit. With no fitting antecedent the speaker is :data:`UNKNOWN`.

The hand table (``<corpus root>/speakers/speakers.csv``) is optional enrichment: when a corpus
has one, its aliases are recognised first and mapped to canonical names, and it adds side, role
and country (:meth:`SpeakerFinder.info`). Without it, a speaker's name is its fullest printed
form.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import text as textlib
from analysis.text import AnalysisError, read_table

UNKNOWN = "unknown"
SPEAKER_COLUMNS = ("name", "aliases", "kind", "role", "role_source", "institution",
                   "institution_source", "country", "country_source", "side")
SPEAKERS_FILE = Path("speakers") / "speakers.csv"

# Words that make a role. A capitalised run is cut after its last title word; a lower-case
# description ending in one ("a Turkish official") is a mention.
PERSON_TITLES = frozenset({
    "minister", "president", "spokesman", "spokeswoman", "spokesperson", "official", "secretary",
    "chancellor", "envoy", "director", "leader", "chief", "ambassador", "mayor", "governor",
    "premier", "prime", "king", "queen", "general", "commander", "head", "lawmaker", "senator",
    "deputy", "adviser", "advisor", "diplomat", "correspondent", "analyst", "expert",
})
BODY_TITLES = frozenset({"ministry", "government", "office", "agency", "monitor", "department",
                         "council", "authority", "police", "army", "military", "service",
                         "directorate", "embassy", "observatory", "committee", "commission"})
TITLE_WORDS = PERSON_TITLES | BODY_TITLES | frozenset({
    "foreign", "defence", "defense", "interior", "state", "health", "communications",
    "presidential", "deputy", "acting", "former", "special", "national", "regional"})
GROUP_WORDS = ("experts", "analysts", "officials", "diplomats", "witnesses", "residents",
               "activists", "observers", "sources")
# Pronouns and bare titles resolved to an earlier speaker: required kind, a word the role holds.
DESCRIPTORS = {
    "he": ("person", None), "she": ("person", None),
    "the minister": ("person", "minister"), "the president": ("person", "president"),
    "the spokesman": ("person", "spokesman"), "the spokeswoman": ("person", "spokeswoman"),
    "the official": ("person", "official"), "the mayor": ("person", "mayor"),
    "the ministry": ("ministry", None), "the defence ministry": ("ministry", None),
    "the defense ministry": ("ministry", None),
}
_NOT_NAMES = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "i", "the", "a", "an", "but", "and", "or", "in", "on", "at", "it",
    "he", "she", "they", "we", "this", "that", "there", "these", "those", "however", "his",
    "her", "their", "its", "our", "meanwhile", "amid", "despite", "earlier", "after", "before",
    "then", "also", "still", "now", "when", "while", "as", "if", "so", "yet", "later", "next",
    "first", "last", "some", "many", "several", "one", "two", "three", "other", "another",
})
_ORG_WORDS = frozenset({"ministry", "observatory", "house", "nations", "council", "office",
                        "agency", "authority", "department", "government", "union", "party",
                        "army", "forces", "police", "service", "eye", "news", "press", "group",
                        # company forms and bodies: "Boeing Commercial Airplane Co" is no person
                        "co", "corp", "inc", "ltd", "plc", "company", "corporation", "bank",
                        "brothers", "industrie", "industries", "association", "commission",
                        "committee", "exchange", "board", "institute", "bureau", "embassy",
                        "administration", "congress", "senate", "fund", "workers", "corps",
                        "community"})
_GEO_WORDS = frozenset({"states", "nations", "kingdom", "republic", "emirates", "sea", "river",
                        "ocean", "gulf", "lake", "valley", "mountains", "province", "region",
                        "city", "street", "square", "bridge", "port", "west", "western", "east",
                        "eastern", "north", "northern", "south", "southern", "central", "europe",
                        "america", "asia", "africa", "new", "san", "los", "saint"})
PARTY_MEMBERS = frozenset({"Republican", "Democrat", "Conservative", "Socialist", "Liberal",
                           "Communist"})
COMPANY_WORDS = frozenset({"co", "corp", "inc", "ltd", "plc", "company", "corporation"})
# Words naming a document that speaks for the body that issued it ("the report said").
DOCUMENT_WORDS = ("report", "statement", "communique", "study")
# Titles of people who speak for a body: "a spokesman for Airbus", "a company spokesman".
SPOKES_TITLES = frozenset({"spokesman", "spokeswoman", "spokesperson"})
_GENTILIC = ("ish", "ian", "ese", "-backed", "-based", "-led")
_CONNECTORS = ("of", "for", "and the", "of the", "for the")
_TOKEN = r"(?:[A-Z](?:\.[A-Z])+\.?|(?:al-|el-)?[A-Z][\w]*(?:-[A-Za-z]\w*)*(?:'s)?)"
_RUN = re.compile(rf"(?<![\w.-]){_TOKEN}(?:(?: | (?:of|for|of the|for the) ){_TOKEN})*")
_DESC = re.compile(
    r"(?<![\w-])(?:[Tt]he|[Aa]n?|[Aa]nother|[Oo]ne)\s+((?:[\w.-]+\s+){0,2}?)(" + "|".join(
        sorted(PERSON_TITLES | BODY_TITLES, key=len, reverse=True)) + r")(?![\w-])(?!\s+(?:"
    + "|".join(sorted(PERSON_TITLES | BODY_TITLES)) + r")\b)")
_DOC = re.compile(r"(?<![\w-])(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]his|[Tt]hat)\s+"
                  r"((?:[a-z][\w-]*\s+){0,2}?)(?:"
                  + "|".join(DOCUMENT_WORDS) + r")(?![\w-])(?:\s+(?:issued\s+)?by\s+(?:the\s+)?"
                  r"(?=[A-Z]))?")
# "a spokesman for Airbus": the body a spokesman speaks for, after the title.
_FOR_BODY = re.compile(r"\s+(?:for|of|at)\s+(?:the\s+)?(?=[A-Z])")
_ALL_CAPS = re.compile(r"[A-Z][A-Z'&.-]+")
_PRONOUN = re.compile(r"(?<![\w-])(?:[Hh]e|[Ss]he)(?![\w'-])")
_IT_SAID = re.compile(r"(?<![\w-])[Ii]t(?=\s+(?:also\s+)?(?:said|says|claimed|claims|added|"
                      r"adds|stated|states|noted|notes|warned|warns)\b)")
_GROUP = re.compile(r"(?<![\w-])(?:" + "|".join(GROUP_WORDS) + r")(?![\w-])")


class SpeakersError(AnalysisError):
    """A speakers table that does not fit its documented form."""


@dataclass(frozen=True)
class Mention:
    """A speaker named in the text: offsets, as printed, and what kind of mention it is.

    ``name`` is the printed name without titles (or the anaphor key for pronouns and bare
    titles); ``kind`` is person, ministry, body, place, group or anaphor; ``role`` the title
    words printed with it.
    """

    start: int
    end: int
    surface: str
    name: str
    kind: str
    role: str = ""

    @property
    def descriptor(self) -> bool:
        return self.kind == "anaphor"


# --------------------------------------------------------------------------------- the table

def speakers_path(root: Path | str) -> Path | None:
    """``<root>/speakers/speakers.csv`` when the corpus folder has one, else ``None``."""
    path = Path(root) / SPEAKERS_FILE
    return path if path.is_file() else None


def split_aliases(field: str) -> list[str]:
    return [a.strip() for a in field.split(";") if a.strip()]


def alias_key(alias: str) -> str:
    """Names compare folded, case-free, without a leading article (``The Kremlin`` = ``Kremlin``)."""
    key = textlib.fold_chars(alias).strip().lower()
    return re.sub(r"^(?:the|a|an|another)\s+", "", key)


def load_speakers(path: Path | str) -> pd.DataFrame:
    """A speakers table, checked: columns, required fields, unique names and aliases.

    Errors are :class:`SpeakersError` naming file, row and field.
    """
    path = Path(path)
    table = read_table(path, SPEAKER_COLUMNS, required=("name", "aliases", "kind", "side"),
                       error=SpeakersError)
    seen_names: dict[str, int] = {}
    seen: dict[str, str] = {}
    for row in table.to_dict("records"):
        name, line = row["name"], row["_row"]
        if name in seen_names:
            raise SpeakersError(f"duplicate speaker name {name!r} (first on row "
                                f"{seen_names[name]})", file=path, row=line, field="name")
        seen_names[name] = line
        for alias in split_aliases(row["aliases"]):
            key = alias_key(alias)
            if key in seen and seen[key] != name:
                raise SpeakersError(f"alias {alias!r} names both {seen[key]!r} and {name!r}",
                                    file=path, row=line, field="aliases")
            if textlib.fold_chars(alias).lower() in DESCRIPTORS or key in ("he", "she"):
                raise SpeakersError(f"{alias!r} is a pronoun or title, resolved in code; it "
                                    "cannot be an alias", file=path, row=line, field="aliases")
            seen[key] = name
    return table


# --------------------------------------------------------------------------------- finding

def _lower_words(text: str) -> frozenset[str]:
    return frozenset(w for w in textlib.words(text) if w[:1].islower())


def _split_run(run: str) -> tuple[str, str]:
    """(role, name) of a capitalised run: the name follows its last title word."""
    tokens = run.split(" ")
    last_title = max((i for i, t in enumerate(tokens) if t.lower() in PERSON_TITLES),
                     default=-1)
    if last_title < 0 or last_title == len(tokens) - 1:
        return "", run
    rest = tokens[last_title + 1:]
    if {t.lower() for t in rest} & _ORG_WORDS:
        return "", run  # "Harbour Board President Lena Varga" is a person; "General Motors
        # Corp" is not
    while rest and rest[0] in ("of", "for", "the") or (rest and rest[0].lower() in TITLE_WORDS):
        rest = rest[1:]
    if not rest:
        return "", run
    return " ".join(tokens[:len(tokens) - len(rest)]), " ".join(rest)


def _kind_of_name(name: str, role: str) -> str:
    words = [w.lower() for w in name.split()]
    if words[-1] == "ministry":
        return "ministry"
    if set(words) & _ORG_WORDS or name.isupper() or name.startswith("Kremlin"):
        return "body"
    if set(role.lower().split()) & PERSON_TITLES:
        return "person"
    if 2 <= len(words) <= 4 and not set(words) & _GEO_WORDS and all(
            re.fullmatch(r"(?:al-|el-)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?", w) and not
            w.endswith(_GENTILIC) for w in name.split()):
        return "person"
    return "place"


class SpeakerFinder:
    """Finds and resolves speaker mentions; ``table`` (optional) adds aliases and facts."""

    def __init__(self, table: pd.DataFrame | None = None):
        self.table = table.set_index("name", drop=False) if table is not None else None
        self.alias_to_name: dict[str, str] = {}
        self.alias_pattern = None
        if table is not None:
            self.alias_to_name = {alias_key(a): n for n, f in zip(table["name"], table["aliases"])
                                  for a in split_aliases(f)}
            forms = sorted({textlib.fold_chars(a) for f in table["aliases"]
                            for a in split_aliases(f)}, key=lambda k: (-len(k), k))
            self.alias_pattern = re.compile(
                r"(?<![\w-])(?:" + "|".join(f"[{re.escape(k[0].lower())}{re.escape(k[0].upper())}]"
                                           f"{re.escape(k[1:])}" for k in forms)
                + r")(?![\w-])")

    # -- mentions
    def mentions(self, folded: str, skip: list[tuple[int, int]]) -> list[Mention]:
        """Unresolved mentions in ``folded`` (quotes folded), outside the ``skip`` spans."""
        taken = _Taken(skip)
        found: list[Mention] = []
        free = taken.free

        def add(m: Mention) -> None:
            found.append(m)
            taken.add(m.start, m.end)

        if self.alias_pattern is not None:
            for m in self.alias_pattern.finditer(folded):
                if free(m.start(), m.end()) and not folded[m.end():m.end() + 2] == "'s":
                    key = alias_key(m.group())
                    if key in self.alias_to_name:
                        name = self.alias_to_name[key]
                        add(Mention(m.start(), m.end(), m.group(), name, self._table_kind(name),
                                    self.table.loc[name, "role"]))
        for m in _DESC.finditer(folded):
            qualifier, title = m.group(1).strip(), m.group(2)
            if title[:1].isupper() or not free(m.start(), m.end()):
                continue  # a capitalised title is part of a name: the name runs handle it
            if re.match(r" [A-Z]", folded[m.end():m.end() + 2]):
                continue  # the role of a name that follows ("the minister Akar")
            key = textlib.fold_chars(m.group()).lower()
            if not key.startswith("the ") and re.search(
                    r"[A-Z][\w.-]*\s*,\s*$", folded[max(0, m.start() - 80):m.start()]) \
                    and re.match(r"[^,.;:!?\"“”]{0,80},", folded[m.end():]):
                continue  # "Karl Mesner, a spokesman for ...,": the role of the name before
            if title.lower() in SPOKES_TITLES or (title.lower() in PERSON_TITLES
                                                   and not key.startswith("the ")):
                body = _FOR_BODY.match(folded, m.end())
                run = _RUN.match(folded, body.end()) if body else None
                if run and not run.group().endswith("'s") and free(m.start(), run.end()):
                    # "a spokesman for Airbus" speaks for Airbus: a person (for "he said")
                    # named as the body.
                    add(Mention(m.start(), run.end(), folded[m.start():run.end()], run.group(),
                                "person", title.lower()))
                    continue
                if qualifier.lower() == "company" and title.lower() in SPOKES_TITLES:
                    add(Mention(m.start(), m.end(), m.group(), "the company spokesman",
                                "anaphor", title.lower()))
                    continue
            kind = "ministry" if title.lower() == "ministry" else (
                "person" if title.lower() in PERSON_TITLES else "body")
            definite = key.startswith("the ")
            if key in DESCRIPTORS or (definite and not any(w[:1].isupper()
                                                           for w in qualifier.split())):
                add(Mention(m.start(), m.end(), m.group(), _anaphor_key(key, title), "anaphor",
                            title.lower()))
                continue
            name = re.sub(r"^(?:[Tt]he|[Aa]n?|[Aa]nother|[Oo]ne)\s+", "", m.group())
            if definite and kind == "person":
                # "the Turkish president": the person last named with that title, if any.
                add(Mention(m.start(), m.end(), m.group(), name, kind, f"the {title.lower()}"))
                continue
            add(Mention(m.start(), m.end(), m.group(), name, kind, name))
        for m in _DOC.finditer(folded):
            if not free(m.start(), m.end()):
                continue
            if m.group().rstrip().endswith(("by", "the")) or folded[m.end():m.end() + 1].isupper():
                owner = _RUN.match(folded, m.end())
                if owner and free(owner.start(), owner.end()):
                    # "the statement by the Iranian High Command": the body speaks.
                    add(Mention(m.start(), owner.end(), folded[m.start():owner.end()],
                                owner.group(), "body", "document"))
                    continue
            add(Mention(m.start(), m.end(), m.group().rstrip(), "the document", "anaphor",
                        "document"))
        lower = _lower_words(folded)
        for m in _RUN.finditer(folded):
            s, run = m.start(), m.group()
            if run.endswith("'s"):
                continue  # a possessive is not a subject
            if folded[s - 1:s] == "(":
                continue  # a bracketed name or acronym glosses the words before it
            caps = run.split(" ")
            if len(caps) >= 2 and all(_ALL_CAPS.fullmatch(w) for w in caps):
                continue  # a headline or subhead in capitals ("TRUMP WANTS") is no name
            if " of " in run:
                # "Julius Maldutis of Salomon Brothers Inc": a person of a body; the person is
                # the mention ("Bank of England" has no person before "of").
                left, _, body = run.partition(" of ")
                role, name = _split_run(left)
                if " " in name and _kind_of_name(name, role) == "person":
                    run = left
                    b = s + len(left) + 4
                    if free(b, b + len(body)):
                        add(Mention(b, b + len(body), body, body, _kind_of_name(body, ""), ""))
            first, _, rest = run.partition(" ")
            at_sentence_start = s == 0 or bool(re.search(r"(?:[.!?\n]|^)\s*[\"(]?$",
                                                         folded[max(0, s - 4):s]))
            if first.lower() in _NOT_NAMES or (at_sentence_start and first.lower() in lower):
                if not rest:
                    continue
                s, run = s + len(first) + 1, rest
            if run.lower() in _NOT_NAMES or len(run) < 2 or not free(s, s + len(run)):
                continue
            if "'s " in run:  # "Turkey's Recep Tayyip Erdogan": the possessive is a role
                owner, _, after = run.rpartition("'s ")
                if not (set(after.lower().split()) & _ORG_WORDS):
                    s, run = s + len(owner) + 3, after
            if run.split(" ")[-1] in PARTY_MEMBERS and folded[max(0, s - 4):s].lower() == "the ":
                # "the Kansas Republican": a person named before, by party
                add(Mention(s - 4, s + len(run), folded[s - 4:s + len(run)], "the party member",
                            "anaphor"))
                continue
            role, name = _split_run(run)
            if name.lower() in PERSON_TITLES or (" " not in name and name.endswith(_GENTILIC)):
                continue
            before = folded[max(0, s - 40):s].split()
            titles = []
            for w in reversed(before):
                if w.lower() not in TITLE_WORDS:
                    break
                titles.insert(0, w)
            role = " ".join([*titles, role]).strip()
            if re.match(r"\s+(?:" + "|".join(DOCUMENT_WORDS) + r")\b", folded[s + len(run):]):
                role = (role + " document").strip()  # "the Tower Commission report"
            add(Mention(s, s + len(run), run, name, _kind_of_name(name, role), role))
        for m in _PRONOUN.finditer(folded):
            if free(m.start(), m.end()):
                add(Mention(m.start(), m.end(), m.group(), m.group().lower(), "anaphor"))
        for m in _IT_SAID.finditer(folded):
            if free(m.start(), m.end()):
                # "It said" / "it claimed": the document or body last named speaks again
                add(Mention(m.start(), m.end(), m.group(), "it", "anaphor", "document"))
        for m in _GROUP.finditer(folded):
            if free(m.start(), m.end()):
                name = self.alias_to_name.get(m.group(), m.group())
                add(Mention(m.start(), m.end(), m.group(), name, "group"))
        return sorted(found, key=lambda x: x.start)

    def _table_kind(self, name: str) -> str:
        kind = self.table.loc[name, "kind"]
        return {"institution": "body"}.get(kind, kind)

    # -- resolution
    def resolve_all(self, mentions: list[Mention]) -> list[str]:
        """The speaker each mention names, in order; pronouns and titles to the last fit."""
        history = _History()  # name, kind, role of each resolved mention so far
        out = []
        for m in mentions:
            name = self.resolve(m, history)
            out.append(name)
            if name == UNKNOWN:
                continue
            kind, role = self.kind_role(name, m)
            earlier = history.last_of(name)
            if (m.kind == "anaphor" or name != m.name) and earlier is not None:
                kind, role = earlier[1], earlier[2]  # "Akar", "he": the antecedent's kind
            if m.role in SPOKES_TITLES:
                kind, role = "person", m.role  # "he" after "a company spokesman" is him
            elif m.role == "document" and m.kind == "anaphor":
                continue  # "the report" names its body again, but is no new antecedent
            history.append((name, kind, role))
        return out

    def resolve(self, m: Mention, history: list[tuple[str, str, str]]) -> str:
        """The speaker ``m`` names, given the resolved (name, kind, role) mentions before it."""
        if not isinstance(history, _History):
            history = _History(history)
        if m.kind == "anaphor":
            return self._antecedent(m, history)
        if m.kind == "person" and m.role.startswith("the "):
            title = m.role[4:]
            fit = history.last_match(("titled", title), lambda _, pkind, prole: pkind == "person"
                                     and title in prole.lower().split())
            return fit[0] if fit is not None else m.name
        if m.name in (self.table.index if self.table is not None else ()):
            return m.name
        key = alias_key(m.name)
        if key in self.alias_to_name:
            return self.alias_to_name[key]
        words = m.name.split()
        if len(words) <= 2 and m.kind in ("place", "person", "body"):
            # The last earlier name, longer than this one, that ends with its last word (a
            # person's surname) or holds it (a word of a body's name).
            earlier = history.last_longer_name(_bare(words[-1]), len(words))
            if earlier is not None:
                return earlier
        return m.name

    def _antecedent(self, m: Mention, history: _History) -> str:
        if m.role == "document" or m.name == "the company spokesman":
            # A document or a company spokesman speaks for a body: the one last named with a
            # document ("the Tower Commission report"), else the last body named.
            fit = None
            if m.role == "document":
                fit = history.last_match("document", lambda _, __, prole: "document" in prole)
            if fit is None and "company" in m.surface.lower():
                fit = history.last_match("company", lambda name, pkind, __: pkind == "body"
                                         and bool(set(name.lower().split()) & COMPANY_WORDS))
            fit = fit or history.last_match("body", lambda _, pkind, __: pkind in (
                "body", "ministry"))
            return fit[0] if fit is not None else UNKNOWN
        kind, role_word = DESCRIPTORS.get(m.name, ("person", m.role or None))
        fit = history.last_match((kind, role_word), lambda _, pkind, prole: pkind == kind and (
            role_word is None or role_word in prole.lower()))
        if fit is not None:
            return fit[0]
        if kind == "ministry" and self.table is not None:
            # A ministry named before any ministry: the one of the country named last (the last
            # speaker in the table with a country that has exactly one ministry in the table).
            ministries = self._country_ministry()
            named = history.last_match(("country with a ministry", id(self)),
                                       lambda name, _, __: name in ministries)
            if named is not None:
                return ministries[named[0]]
        return UNKNOWN

    def _country_ministry(self) -> dict[str, str]:
        """Speaker in the table -> the one ministry of its country (speakers whose country has
        no ministry or several in the table are left out)."""
        if getattr(self, "_ministry_of", None) is None:
            t = self.table
            out = {}
            for name in t.index:
                country = t.loc[name, "country"]
                if country:
                    match = t[(t["kind"] == "ministry") & (t["country"] == country)]
                    if len(match) == 1:
                        out[name] = match.index[0]
            self._ministry_of = out
        return self._ministry_of

    def kind_role(self, name: str, mention: Mention) -> tuple[str, str]:
        """Kind and role of a resolved speaker: from the table when it lists them."""
        if self.table is not None and name in self.table.index:
            return self._table_kind(name), self.table.loc[name, "role"]
        return mention.kind, mention.role

    def info(self, name: str) -> dict[str, str]:
        """Side, role and country of a speaker from the table (empty strings when unknown)."""
        if self.table is None or name not in self.table.index:
            return {"side": "", "role": "", "country": ""}
        row = self.table.loc[name]
        return {"side": row["side"], "role": row["role"], "country": row["country"]}


def _bare(word: str) -> str:
    return re.sub(r"^(?:al|el)-", "", word.lower())


class _Taken:
    """Spans already taken while mentions are found: "does this span overlap a taken one?" in
    log time. The spans to skip (quotations) are merged into disjoint ones, which overlap a span
    exactly where the originals do; a mention is added only where nothing is taken, so the spans
    stay disjoint and sorted, and only the last one starting before a span's end can overlap it.
    """

    def __init__(self, skip: list[tuple[int, int]]):
        spans = sorted((a, b) for a, b in skip if a < b)
        self.points = sorted(a for a, b in skip if a == b)  # empty spans overlap what holds them
        self.slow = [(a, b) for a, b in skip if a > b]  # reversed spans: checked one by one
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in spans:
            if self.ends and a <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], b)
            else:
                self.starts.append(a)
                self.ends.append(b)

    def free(self, s: int, e: int) -> bool:
        """True when the span ``s:e`` (not empty) overlaps nothing taken."""
        i = bisect_left(self.starts, e) - 1
        if i >= 0 and self.ends[i] > s:
            return False
        if bisect_left(self.points, e) > bisect_right(self.points, s):
            return False  # an empty skip span strictly inside
        return not any(a < e and s < b for a, b in self.slow)

    def add(self, s: int, e: int) -> None:
        """Take ``s:e`` (free, so it overlaps nothing taken)."""
        if s > e:
            self.slow.append((s, e))
        elif s == e:
            insort(self.points, s)
        else:
            i = bisect_left(self.starts, s)
            self.starts.insert(i, s)
            self.ends.insert(i, e)


class _History(list):
    """Resolved mentions so far, ``(name, kind, role)`` in text order, with what
    :meth:`SpeakerFinder.resolve` looks back for kept up to date as entries are appended, so a
    look-back does not scan every earlier mention: the last entry of a name, the last longer
    name a surname or a word of a body's name points to, and the last entry passing a test
    (scanned once per test, from where it was last asked). Entries are only ever appended."""

    def __init__(self, entries=()):
        super().__init__()
        self._last: dict[str, tuple[str, str, str]] = {}
        self._longer: dict[tuple[str, int], int] = {}  # (word, name length) -> last index
        self._matches: dict[object, list] = {}  # test key -> [entries scanned, last match]
        for entry in entries:
            self.append(entry)

    def append(self, entry: tuple[str, str, str]) -> None:
        super().append(entry)
        i = len(self) - 1
        name, kind, _ = entry
        self._last[name] = entry
        words = [_bare(w) for w in name.split()]
        if kind == "person":
            keys = words[-1:]
        elif kind in ("body", "ministry"):
            keys = set(words)
        else:
            return
        for length in (1, 2):  # resolve looks back only for names of one or two words
            if len(words) > length:
                for word in keys:
                    self._longer[(word, length)] = i

    def last_of(self, name: str) -> tuple[str, str, str] | None:
        return self._last.get(name)

    def last_longer_name(self, word: str, length: int) -> str | None:
        """The last name of more than ``length`` words that is a person's ending with ``word``
        or a body's (or ministry's) holding it."""
        i = self._longer.get((word, length))
        return None if i is None else self[i][0]

    def last_match(self, key: object, test) -> tuple[str, str, str] | None:
        """The last entry for which ``test(name, kind, role)`` holds; ``key`` names the test."""
        seen = self._matches.setdefault(key, [0, None])
        for i in range(seen[0], len(self)):
            if test(*self[i]):
                seen[1] = self[i]
        seen[0] = len(self)
        return seen[1]


def _anaphor_key(key: str, title: str) -> str:
    if key in DESCRIPTORS:
        return key
    return "the ministry" if title.lower() == "ministry" else f"the {title.lower()}"


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper())


def same_speaker(a: str, b: str) -> bool:
    """True when two resolved names are one speaker: equal, or one the initials of the other
    (``US`` and ``United States``, ``U.N.`` and ``United Nations``)."""
    if a == UNKNOWN or b == UNKNOWN:
        return False
    if alias_key(a) == alias_key(b):
        return True
    for short, long in ((a, b), (b, a)):
        letters = short.replace(".", "")
        if letters.isupper() and len(letters) >= 2 and " " in long and _initials(long) == letters:
            return True
    return False


def finder(root: Path | str | None = None, *, use_table: bool = True) -> SpeakerFinder:
    """A finder for a corpus folder: with its speakers table when it has one and ``use_table``."""
    path = speakers_path(root) if (root is not None and use_table) else None
    return SpeakerFinder(load_speakers(path) if path is not None else None)
