"""analysis.quotes: quote pairing, kinds, attribution, scoring, and the real texts."""

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import quotes, speakers
from analysis import text as textlib
from analysis.corpus import load_corpus
from shared import BOOK

BOOK_TABLE = speakers.finder(BOOK)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(BOOK)


def spans(text):
    return [(text[q.start:q.end], q.repair) for q in quotes.quote_spans(text)]


# ----------------------------------------------------------------- pairing marks

def test_curly_and_straight_quotes():
    assert spans('He called it “brazen” and "absurd", then left.') == [("brazen", ""),
                                                                       ("absurd", "")]


def test_final_comma_is_cut_but_full_stop_kept():
    text = '“We will act,” he said. "No one should doubt this."'
    assert [t for t, _ in spans(text)] == ["We will act", "No one should doubt this."]


def test_opening_mark_printed_as_closing_mark():
    found = spans("”The two leaders will meet,” said Altun.")
    assert found == [("The two leaders will meet", "opening mark printed as ”")]


def test_quote_in_run_together_paragraph():
    assert [t for t, _ in spans("at the border.“We will act,” Akar said.")] == ["We will act"]


def test_quote_spanning_a_paragraph_break():
    text = "“First part of it.\n\n“Second part,” he said."
    (found,) = quotes.quote_spans(text)
    assert text[found.start:found.end] == "First part of it.\n\n“Second part"


def test_unclosed_quote_ends_at_its_paragraph():
    text = "“Unclosed words here\n\nNext paragraph, and “another” one."
    assert spans(text) == [("Unclosed words here", "closing mark missing at paragraph end"),
                           ("another", "")]


def test_missing_opening_mark_starts_after_colon():
    assert spans('Akar said: We will act," he added.') == [("We will act",
                                                            "opening mark missing")]


def test_apostrophes_are_not_quotes():
    assert spans("Syria’s ally and Turkey's army ’90s") == []


# ----------------------------------------------------------------- kinds

@pytest.mark.parametrize("quoted, comma, kind", [
    ("terrorists", False, "phrase"),
    ("despicable and brazen", False, "phrase"),
    ("the need to do everything", False, "phrase"),
    ("There could be Patriot support.", False, "statement"),
    ("There's always room for dialogue", True, "statement"),
    ("would be activated... No one should doubt this.", False, "statement"),
    ("over 50 regime elements, five tanks and one howitzer destroyed", False, "statement"),
    ("Operation Spring Shield", False, "phrase"),
])
def test_quote_kind(quoted, comma, kind):
    assert quotes.quote_kind(quoted, comma) == kind


# ----------------------------------------------------------------- attribution

def attributed(text, finder=BOOK_TABLE):
    found = quotes.analyse_plain_text(text, finder=finder)
    q, r = found.quotes, found.reported
    return q["speaker"].tolist(), list(zip(r["speaker"], r["cue"]))


def plain(text):
    """Attribution with no speakers table: names as the text prints them."""
    return attributed(text, speakers.SpeakerFinder())


def test_speaker_before_and_after_the_cue():
    assert attributed("“We stay,” Hulusi Akar told reporters.")[0] == ["Hulusi Akar"]
    assert attributed("“We will meet,” said Fahrettin Altun.")[0] == ["Fahrettin Altun"]
    assert attributed("Clashes went on, according to the Observatory.")[1] == [
        ("Syrian Observatory for Human Rights", "according to")]


def test_pronoun_and_title_resolve_to_the_person_named_before():
    assert attributed("Akar spoke to reporters. “We stay,” he added.")[0] == ["Hulusi Akar"]
    assert attributed("Lavrov arrived. The minister said talks went well.")[1] == [
        ("Sergei Lavrov", "said")]
    # The ministry named before any ministry: the one of the country named last.
    assert attributed("Turkey blamed Damascus. Two were hurt, the defence ministry said.")[1][-1] \
        == ("Turkish defence ministry", "said")


def test_unresolvable_speakers_stay_unknown():
    assert attributed("“First part.\n\n“Second part,” he said.")[0] == [quotes.UNKNOWN]
    assert plain("“We will win,” he said.")[0] == [quotes.UNKNOWN]


def test_names_not_in_the_table_are_found_in_the_text():
    assert attributed("“We will win,” said Ivan Nobody.")[0] == ["Ivan Nobody"]
    text = ("Interior Minister Talia Renwick arrived. “We stay,” Renwick told reporters. "
            "The minister said help was coming. “It is hard,” she added.")
    speakers_, reported = plain(text)
    assert speakers_ == ["Talia Renwick", "Talia Renwick"]
    assert reported == [("Talia Renwick", "said")]


def test_appositive_title_is_not_the_subject():
    _, reported = plain("Karl Mesner, a spokesman for the Basin Authority, said the river "
                        "would rise.")
    assert reported == [("Karl Mesner", "said")]


def test_garbled_self_coordinated_subject_is_unknown_and_reported():
    found = quotes.analyse_plain_text("The United States and US urged an end to the offensive.",
                                      finder=speakers.SpeakerFinder())
    assert found.reported["speaker"].tolist() == [quotes.UNKNOWN]
    assert found.problems["problem"].tolist() == ["garbled subject"]
    two = quotes.analyse_plain_text("Germany and France urged an end to the offensive.")
    assert set(two.reported["speaker"]) == {"Germany", "France"} and two.problems.empty


def test_participle_after_by_takes_its_clause_subject():
    text = ("Washington urged restraint, but Turkey appeared intent on easing tensions with "
            "Moscow by pinning the blame on Damascus.")
    assert plain(text)[1] == [("Washington", "urged"), ("Turkey", "pinning the blame")]


def test_awkward_input_does_not_crash_and_unclosed_quote_is_a_problem():
    text = ("Storms hit the coast, the weather office said.\n\n* * *\n\n—\n\n"
            "\"We are still counting, Mayor Oskar Hallberg said.\n\nThe council meets on Friday.")
    found = quotes.analyse_plain_text(text)
    (q,) = found.quotes.itertuples()
    assert q.text == "We are still counting, Mayor Oskar Hallberg said."
    assert "closing mark missing" in q.repair
    assert found.problems["problem"].tolist() == ["quote marks"]
    assert quotes.analyse_plain_text("* * *").quotes.empty


def test_relative_clause_and_participle():
    assert attributed("Moscow, which backs Assad, urged Turkey to stop, saying it had proof.")[1] \
        == [("Russian government", "urged")]


def test_passive_verb_without_agent_is_not_attribution():
    assert attributed("Two soldiers died in an airstrike blamed on Damascus.") == ([], [])


def test_continued_statement_takes_previous_speaker():
    speakers, _ = attributed('"There is a threat," Akar told CNN Turk. "There could be support."')
    assert speakers == ["Hulusi Akar", "Hulusi Akar"]


def test_continuation_reaches_the_next_paragraph_only():
    framed = '"There is a threat," Akar told CNN Turk.'
    later = '"There could be support for all of us."'
    assert attributed(f"{framed}\n\n{later}")[0] == ["Hulusi Akar", "Hulusi Akar"]
    gap = "Troops moved towards the border on Friday."
    assert attributed(f"{framed}\n\n{gap}\n\n{later}")[0] == ["Hulusi Akar", quotes.UNKNOWN]
    far = "\n\n".join([framed, gap, gap, gap, later])
    assert attributed(far)[0] == ["Hulusi Akar", quotes.UNKNOWN]


def test_framed_statement_is_not_reported_speech_but_paraphrase_is():
    _, reported = attributed('"We stay," Akar told CNN Turk, adding talks would continue.')
    assert reported == [("Hulusi Akar", "adding")]


# ----------------------------------------------------------------- the real texts

def test_contract_columns_and_order(corpus):
    q = quotes.find_quotes(corpus)
    assert list(q.columns[:8]) == ["article_id", "quote_id", "start", "end", "text", "kind",
                                   "speaker", "sentence_id"]
    assert q["quote_id"].is_unique
    order = list(corpus.articles["id"])
    assert list(q["article_id"].map(order.index)) == sorted(q["article_id"].map(order.index))


def test_offsets_sit_between_the_quote_marks(corpus):
    # Checked against the marks in the text, not against text sliced from the same offsets: the
    # character before a quotation is its opening mark (unless the repair says it was lost), the
    # one after it its closing mark or the comma cut before it (unless the mark is missing).
    q = quotes.find_quotes(corpus)
    for r in q.itertuples():
        text = corpus.text(r.article_id)
        if "opening mark missing" not in r.repair:
            assert text[r.start - 1] in '"“”', r.quote_id
        if "closing mark missing" not in r.repair:
            after = text[r.end:r.end + 2]
            assert after[0] in '"“”' or (after[0] == "," and after[1] in '"“”'), r.quote_id


# Read by hand from data/raw/000_a10c8cf77992f20a.txt (AFP): the words between the marks (a
# comma before the closing mark is cut), the kind and the speaker the sentence names.
AFP_QUOTES = [
    ("We have no intentions of a face-off with Russia", "statement", "Hulusi Akar"),
    ("There is the threat of air strikes, missiles against our country", "statement",
     "Hulusi Akar"),
    ("There could be Patriot support.", "statement", "Hulusi Akar"),  # continues, no cue
    ("We are a partner in the programme, not a customer", "statement", "Hulusi Akar"),  # he
    ("supporting terrorists", "phrase", "Russian government"),
    ("We urge the Turkish side, in order to avoid incidents, to cease support of the actions of "
     "terrorists and handing them arms", "statement", "Russian defence ministry"),
    ("There has been a little more convergence in the last meetings, but we are not at the "
     "point we wish to be", "statement", "Mevlut Cavusoglu"),
]


@pytest.mark.parametrize("quoted, kind, speaker", AFP_QUOTES)
def test_hand_read_afp_quotations(corpus, quoted, kind, speaker):
    text = corpus.text("afp")
    q = quotes.find_quotes(corpus)
    start = text.index(quoted)
    hit = q[(q["article_id"] == "afp") & (q["start"] == start)]
    assert len(hit) == 1, quoted
    row = hit.iloc[0]
    assert row["end"] == start + len(quoted)
    assert (row["kind"], row["speaker"]) == (kind, speaker)


def test_cached_results_are_copies_and_recomputing_agrees(corpus):
    q = quotes.find_quotes(corpus)
    first_speaker = q.loc[0, "speaker"]
    q.loc[0, "speaker"] = "changed by the caller"
    q.loc[:, "text"] = ""
    again = quotes.find_quotes(corpus)
    assert again.loc[0, "speaker"] == first_speaker and (again["text"] != "").all()
    quotes._analyse.cache_clear()
    fresh = quotes.find_quotes(corpus)
    pd.testing.assert_frame_equal(fresh, again)


def test_every_double_mark_in_the_texts_is_used(corpus):
    q = quotes.find_quotes(corpus)
    for aid in corpus.articles["id"]:
        text = corpus.text(aid)
        n_marks = len(re.findall(r'["“”]', text))
        assert n_marks == 2 * (q["article_id"] == aid).sum(), aid


def test_voa_damaged_opening_marks_are_repaired(corpus):
    text = corpus.text("voa")
    damaged = len(re.findall(r"(?:^|\n)”", text))
    q = quotes.find_quotes(corpus)
    assert damaged > 0
    assert (q[q["article_id"] == "voa"]["repair"] != "").sum() == damaged


def test_every_speaker_is_known_or_marked_unknown(corpus):
    names = set(speakers.load_speakers(BOOK / "speakers" / "speakers.csv")["name"])
    assert set(quotes.find_quotes(corpus)["speaker"]) <= names | {quotes.UNKNOWN}
    assert set(quotes.find_reported(corpus)["speaker"]) <= names | {quotes.UNKNOWN}


def test_anon_004_garbled_subject_is_no_us_voice_and_turkey_speaks(corpus):
    r = quotes.find_reported(corpus)
    s02 = r[r["sentence_id"] == "anon-004-s02"]
    assert set(s02["speaker"]) == {quotes.UNKNOWN, "Turkish government"}
    problems = quotes.find_problems(corpus)
    assert problems["sentence_id"].tolist() == ["anon-004-s02"]


def test_without_table_names_are_printed_forms(corpus):
    q = quotes.find_quotes(corpus, use_table=False)
    afp = q[q["article_id"] == "afp"]
    assert "Hulusi Akar" in set(afp["speaker"]) and "Turkey" in set(afp["speaker"])


# ----------------------------------------------------------------- long articles

def long_article(corpus, n_chars: int) -> str:
    """About ``n_chars`` of news text: the book's paragraphs over and over, as one long read."""
    paragraphs = [p for aid in corpus.articles["id"] for p in corpus.text(aid).split("\n\n")
                  if p.strip()]
    out, size = [], 0
    while size < n_chars:
        out.append(paragraphs[len(out) % len(paragraphs)])
        size += len(out[-1]) + 2
    return "\n\n".join(out)


def test_work_grows_linearly_with_article_length(corpus, monkeypatch):
    """Twice the article, about twice the work: characters handed to the word splitter and
    names compared while resolving (every earlier sentence, quotation or name scanned again for
    each new one made a 50 KB article run for minutes)."""
    work = {"word chars": 0, "name words": 0}
    words, bare = textlib.words, speakers._bare

    def counting_words(text):
        work["word chars"] += len(text)
        return words(text)

    def counting_bare(word):
        work["name words"] += 1
        return bare(word)

    monkeypatch.setattr(textlib, "words", counting_words)
    monkeypatch.setattr(speakers, "_bare", counting_bare)

    def measure(n_chars):
        work.update(dict.fromkeys(work, 0))
        quotes.analyse_plain_text(long_article(corpus, n_chars), "long", BOOK_TABLE)
        return dict(work)

    small, large = measure(8_000), measure(16_000)
    for what in work:
        assert large[what] <= 2.5 * small[what], (what, small[what], large[what])


PLANTED = ("Marta Kessling, the harbour chief, told reporters the gates would stay shut. "
           '"We will not open them before the water falls," Kessling said.\n\n'
           '"Nobody should try to cross the quay tonight," she added.')


def test_speakers_deep_in_a_200_kb_article_are_found(corpus):
    text = long_article(corpus, 190_000) + "\n\n" + PLANTED + "\n\n" + long_article(corpus, 10_000)
    assert len(text) > 200_000
    found = quotes.analyse_plain_text(text, "long", BOOK_TABLE)
    q = found.quotes.set_index("text")
    assert q.loc["We will not open them before the water falls", "speaker"] == "Marta Kessling"
    assert q.loc["Nobody should try to cross the quay tonight", "speaker"] == "Marta Kessling"
    start = text.index(PLANTED)
    told = found.reported[found.reported["cue_start"].between(start, start + len(PLANTED))]
    assert told[["speaker", "cue"]].values.tolist() == [["Marta Kessling", "told"]]
    # The repeated paragraphs keep the speakers they have in the book (first AFP quotation).
    first = q.loc["We have no intentions of a face-off with Russia", "speaker"]
    assert set(first) == {"Hulusi Akar"}


# The look-ups that keep the steps linear answer as the plain scans they replace.

@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=12),
       st.integers(-2, 45))
def test_spans_answer_like_a_scan(spans, pos):
    assert (pos in quotes._Spans(spans)) == any(s <= pos < e for s, e in spans)


@given(st.text(alphabet="ab \n.", max_size=40), st.integers(0, 45), st.integers(0, 45))
def test_paragraph_breaks_answer_like_find(text, a, b):
    breaks = quotes._Breaks(text)
    assert breaks.find(a) == text.find("\n\n", a)
    assert breaks.rfind(b) == text.rfind("\n\n", 0, b)
    assert breaks.rfind(b, a) == text.rfind("\n\n", a, b)


def _sentence_of_by_scan(pos, sentences):
    """The lookup as it was written first (a scan of the frame)."""
    hit = sentences[(sentences["start"] <= pos) & (sentences["end"] > pos)]
    if len(hit):
        return hit["sentence_id"].iloc[0]
    before = sentences[sentences["start"] <= pos]
    if len(before):
        return before["sentence_id"].iloc[-1]
    return sentences["sentence_id"].iloc[0] if len(sentences) else ""


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)), max_size=6),
       st.booleans(), st.integers(-1, 40))
def test_sentence_lookup_answers_like_a_scan(spans, in_order, pos):
    if in_order:  # as the corpus makes them: one after another
        starts = sorted(s for s, _ in spans)
        spans = [(s, min(s + n, nxt)) for (s, nxt), (_, n) in
                 zip(zip(starts, starts[1:] + [10**6]), spans)]
    sentences = pd.DataFrame({"sentence_id": [f"s{i}" for i in range(len(spans))],
                              "start": [s for s, _ in spans],
                              "end": [s + n if not in_order else n for s, n in spans]},
                             columns=["sentence_id", "start", "end"])
    assert quotes._Sentences(sentences).of(pos) == _sentence_of_by_scan(pos, sentences)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='ab ,."“”\n', max_size=60), st.data())
def test_framing_answers_like_testing_every_quotation(text, data):
    found = quotes.quote_spans(text)
    framing = quotes._Framing(found, text)
    n = len(text)
    for _ in range(5):
        start = data.draw(st.integers(0, n))
        end = data.draw(st.integers(start, n))
        mention = data.draw(st.integers(-1, n))
        cue = quotes.Cue(start, end, "said", "X", "X", mention, mention + 1)
        assert framing.any_framed(cue) == any(quotes._frames(cue, q, text) for q in found)
