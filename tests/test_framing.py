"""Tests for analysis.framing: lexicon, matcher, voice, scores, keyness and framing edits."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from analysis import framing as fr
from analysis import text as tx
from analysis.corpus import load_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def lexicon():
    return fr.load_lexicon()


def _lex(rows):
    return fr.make_lexicon(pd.DataFrame(rows, columns=["group", "label", "surface"]))


NO_QUOTES = pd.DataFrame(columns=list(fr.QUOTE_COLUMNS))


def _quote_around(corpus, article_id, phrase, quote_id="q1", speaker="someone"):
    """A quotes frame with one quotation covering ``phrase`` (located in the real text)."""
    text = corpus.text(article_id)
    start = text.index(phrase)
    return pd.DataFrame([{"article_id": article_id, "quote_id": quote_id, "start": start,
                          "end": start + len(phrase), "speaker": speaker}])


# --- lexicon --------------------------------------------------------------------------------

def test_lexicon_file_is_valid_and_grouped(lexicon):
    assert set(lexicon.entries["group"]) == set(fr.GROUPS)
    assert lexicon.groups["regime"] == "state"
    assert lexicon.groups["anti-government"] == "opposition"
    assert lexicon.label_of("Airstrikes") == "air strike"


@pytest.mark.parametrize("rows, message", [
    ([("state", "regime", "regime"), ("state", "regime", "Regime")], "listed twice"),
    ([("actors", "regime", "regime")], "unknown group"),
    ([("state", "x", "x"), ("act", "x", "y")], "two groups"),
    ([("state", "regime", "")], "empty"),
])
def test_bad_lexicon_is_rejected(rows, message):
    with pytest.raises(fr.FramingError, match=message):
        _lex(rows)


def test_lexicon_without_surface_column_is_rejected():
    with pytest.raises(fr.FramingError, match="surface"):
        fr.make_lexicon(pd.DataFrame({"group": ["state"], "label": ["regime"]}))


def test_lexicon_file_errors_name_file_and_row(tmp_path):
    path = tmp_path / "labels.csv"
    rows = [("state", "regime", "regime"), ("opposition", "rebels", "rebels"),
            ("state", "regime", "Regime ")]
    pd.DataFrame(rows, columns=["group", "label", "surface"]).to_csv(path, index=False)
    with pytest.raises(fr.FramingError,
                       match=rf"^{re.escape(str(path))}, row 4: .*listed twice.*row 2"):
        fr.load_lexicon(path)
    rows[2] = ("opposition", "regime", "pro-regime")
    pd.DataFrame(rows, columns=["group", "label", "surface"]).to_csv(path, index=False)
    with pytest.raises(fr.FramingError, match=r", row 4: label 'regime' in two groups"):
        fr.load_lexicon(path)
    rows[2] = ("act", "", "strike")
    pd.DataFrame(rows, columns=["group", "label", "surface"]).to_csv(path, index=False)
    with pytest.raises(fr.FramingError, match=r", row 4: field 'label' is empty"):
        fr.load_lexicon(path)


def test_missing_lexicon_file(tmp_path):
    with pytest.raises(fr.FramingError, match="not found"):
        fr.load_lexicon(tmp_path / "nope.csv")


# --- matcher ---------------------------------------------------------------------------------

def test_anti_government_is_not_a_state_use(lexicon):
    found = fr.find_labels("Turkey, which backs anti-government militants in Syria", lexicon)
    assert list(found["label"]) == ["anti-government", "militants"]
    assert "state" not in set(found["group"])


def test_government_alone_is_a_state_use(lexicon):
    found = fr.find_labels("civilians entering government-controlled parts", lexicon)
    assert list(found[["surface", "label", "group"]].itertuples(index=False, name=None)) == [
        ("government", "government", "state")]


def test_longest_form_wins_and_offsets_point_at_original_text(lexicon):
    text = "“AIR STRIKES” on the Syria’s military and pro-regime side; Air strike."
    found = fr.find_labels(text, lexicon)
    assert list(found["surface"]) == ["AIR STRIKES", "Syria’s military", "pro-regime",
                                      "Air strike"]
    assert list(found["label"]) == ["air strike", "Syrian army", "regime", "air strike"]
    for r in found.itertuples():
        assert text[r.start:r.end] == r.surface


def test_no_match_inside_longer_words(lexicon):
    found = fr.find_labels("regimental rebellion attacker offensively Damascene", lexicon)
    assert found.empty


def test_custom_lexicon_resolves_overlaps_left_to_right():
    lex = _lex([("opposition", "armed groups", "armed groups"), ("act", "armed", "armed"),
                ("opposition", "groups", "groups")])
    found = fr.find_labels("armed groups, armed men and groups", lex)
    assert list(found["label"]) == ["armed groups", "armed", "groups"]


# --- uses and voice on the real texts ----------------------------------------------------------

def test_uses_on_real_texts_without_quotes_are_all_own(corpus, lexicon):
    uses = fr.label_uses(corpus, lexicon, NO_QUOTES)
    assert set(uses["voice"]) == {"own"}
    # anon-003 inserts "terrorists" into the wire sentence in its own voice
    s03 = uses[uses["sentence_id"] == "anon-003-s03"]
    assert list(s03["label"]) == ["offensive", "terrorists"]
    # every use's sentence really contains it
    sent = corpus.sentences.set_index("sentence_id")
    for r in uses.itertuples():
        assert sent.loc[r.sentence_id, "start"] <= r.start < sent.loc[r.sentence_id, "end"]
        assert corpus.text(r.article_id)[r.start:r.end] == r.surface


def test_a_label_inside_a_quotation_is_quoted(corpus, lexicon):
    quotes = _quote_around(corpus, "afp", "over 50 regime elements, five tanks",
                           speaker="Turkish defence ministry")
    uses = fr.label_uses(corpus, lexicon, quotes)
    s26 = uses[uses["sentence_id"] == "afp-s26"].set_index("occurrence")
    s26 = s26[s26["label"] == "regime"]
    assert s26.loc[1, "voice"] == "own"          # "regime forces", outside the quotation
    assert s26.loc[2, "voice"] == "quoted"       # "regime elements", inside it
    assert s26.loc[2, "speaker"] == "Turkish defence ministry"
    assert (uses["voice"] == "quoted").sum() == 1


def test_quotes_frame_must_have_offsets(corpus, lexicon):
    with pytest.raises(fr.FramingError, match="quotes"):
        fr.label_uses(corpus, lexicon, pd.DataFrame({"article_id": ["afp"]}))


def test_counts_add_up_and_rates_use_word_counts(corpus, lexicon):
    quotes = _quote_around(corpus, "afp", "terrorists")
    uses = fr.label_uses(corpus, lexicon, quotes)
    counts = fr.label_counts(corpus, lexicon, uses)
    assert counts["n"].sum() == len(uses)
    assert counts["quoted"].sum() == 1
    row = counts[(counts["article_id"] == "toi") & (counts["label"] == "regime")].iloc[0]
    words = int(corpus.articles.set_index("id").loc["toi", "n_words"])
    assert row["rate"] == pytest.approx(1000 * row["n"] / words, abs=0.01)
    groups = fr.group_rates(corpus, counts)
    assert len(groups) == 5 * 3 and groups["n"].sum() == len(uses)


# --- the annotation and the evaluation --------------------------------------------------------

def test_every_annotated_use_is_in_its_sentence(corpus):
    gold = fr.load_gold()
    sent = corpus.sentences.set_index("sentence_id")["text"]
    for r in gold.itertuples():
        folded = tx.fold_chars(sent[r.sentence_id]).lower()
        assert folded.count(tx.fold_chars(r.surface).lower()) >= r.occurrence, r


def test_real_annotation_passes_the_corpus_and_lexicon_checks(corpus, lexicon):
    gold = fr.load_gold(corpus=corpus, lexicon=lexicon)
    assert len(gold) > 0 and gold["occurrence"].dtype == "int64"


# One good row, taken from the AFP text: afp-s02 "... against Turkish-backed rebels ..."
GOOD_ROW = {"article_id": "afp", "sentence_id": "afp-s02", "surface": "rebels",
            "occurrence": "1", "label": "rebels", "group": "opposition", "voice": "own",
            "note": ""}


@pytest.mark.parametrize("change, message", [
    ({"occurrence": "x"}, "occurrence 'x' is not a whole number"),
    ({"occurrence": "0"}, "occurrence '0' is not a whole number"),
    ({"voice": "theirs"}, "voice 'theirs'"),
    ({"group": "actors"}, "group 'actors'"),
    ({"surface": " "}, "field 'surface' is empty"),
    ({"sentence_id": "afp-s99"}, "sentence 'afp-s99' is not in the corpus"),
    ({"sentence_id": "toi-s02"}, "sentence 'toi-s02' is not in 'afp'"),
    ({"occurrence": "2"}, "'rebels' occurs 1 time"),
    ({"surface": "terrorists", "label": "terrorists"}, "'terrorists' occurs 0 time"),
    ({"label": "freedom fighters"}, "label 'freedom fighters' is not in the lexicon"),
    ({"label": "regime"}, "label 'regime' is in group 'state'"),
])
def test_bad_annotation_rows_name_file_and_row(tmp_path, corpus, lexicon, change, message):
    path = tmp_path / "gold.csv"
    pd.DataFrame([GOOD_ROW, GOOD_ROW | change]).to_csv(path, index=False)
    with pytest.raises(fr.FramingError, match=rf"^{re.escape(str(path))}, row 3: .*"
                                              + re.escape(message)):
        fr.load_gold(path, corpus=corpus, lexicon=lexicon)


def test_good_annotation_rows_load(tmp_path, corpus, lexicon):
    path = tmp_path / "gold.csv"
    pd.DataFrame([GOOD_ROW]).to_csv(path, index=False)
    gold = fr.load_gold(path, corpus=corpus, lexicon=lexicon)
    assert gold.loc[0, "occurrence"] == 1


def _frame(rows):
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "surface", "occurrence",
                                       "label", "group", "voice"])


def test_evaluate_counts_hits_misses_and_voices():
    gold = _frame([("a", "a-s1", "rebels", 1, "rebels", "opposition", "own"),
                   ("a", "a-s1", "regime", 1, "regime", "state", "quoted"),
                   ("a", "a-s2", "Regime", 1, "regime", "state", "quoted"),
                   ("a", "a-s3", "offensive", 1, "offensive", "act", "own")])
    uses = _frame([("a", "a-s1", "Rebels", 1, "rebels", "opposition", "own"),
                   ("a", "a-s1", "regime", 1, "regime", "state", "own"),
                   ("a", "a-s2", "regime", 1, "regime", "state", "quoted"),
                   ("a", "a-s4", "attack", 1, "attack", "act", "own")])
    ev = fr.evaluate(uses, gold)
    assert (ev.matching.tp, ev.matching.fp, ev.matching.fn) == (3, 1, 1)
    assert ev.matching.precision == pytest.approx(0.75)
    assert (ev.quoted.tp, ev.quoted.fp, ev.quoted.fn) == (1, 0, 1)
    assert ev.voice_agree == 2
    assert sorted(ev.errors["error"]) == ["annotated, not found", "found, not annotated",
                                          "wrong voice"]


def test_scores_without_positives_are_nan():
    assert math.isnan(fr.Scores(0, 0, 0).precision)


# --- keyness ------------------------------------------------------------------------------------

def test_log_odds_hand_example():
    # alpha = (1, 1); delta_0 = log(11/1) - log(1/11); se = sqrt(1/11 + 1)
    delta, se, z = fr.log_odds(np.array([10, 0]), np.array([0, 10]), np.array([1, 1]), 2.0)
    assert delta[0] == pytest.approx(2 * math.log(11))
    assert se[0] == pytest.approx(math.sqrt(12 / 11))
    assert z[0] == pytest.approx(2 * math.log(11) / math.sqrt(12 / 11))
    assert z[1] == pytest.approx(-z[0])


def test_log_odds_is_antisymmetric_and_zero_for_equal_rates():
    y_i, y_j, prior = np.array([3, 7, 0]), np.array([6, 14, 0]), np.array([9, 21, 1])
    _, _, z_ij = fr.log_odds(y_i, y_j, prior, 100.0)
    _, _, z_ji = fr.log_odds(y_j, y_i, prior, 100.0)
    np.testing.assert_allclose(z_ij, -z_ji)
    assert abs(z_ij[0]) < 0.1


def test_more_evidence_gives_larger_z():
    _, _, small = fr.log_odds(np.array([2, 8]), np.array([1, 9]), np.array([3, 17]), 20.0)
    _, _, big = fr.log_odds(np.array([200, 800]), np.array([100, 900]), np.array([3, 17]), 20.0)
    assert abs(big[0]) > abs(small[0]) > 0


def test_log_odds_rejects_bad_input():
    with pytest.raises(fr.FramingError):
        fr.log_odds(np.array([1, 2]), np.array([1]), np.array([1, 1]))
    with pytest.raises(fr.FramingError):
        fr.log_odds(np.array([1, 2]), np.array([1, 2]), np.array([0, 1]))


def test_keyness_on_real_texts(corpus):
    key = fr.keyness(corpus)
    assert (key["significant"] == (key["z"].abs() >= fr.Z_CRITICAL)).all()
    afp = key[key["article_id"] == "afp"].set_index("word")
    # British "defence" is AFP's alone; the rewrites spell "defense"
    assert afp.loc["defence", "n_rest"] == 0 and afp.loc["defence", "z"] > 0
    assert key[key["article_id"] == "toi"].set_index("word").loc["defence", "z"] < 0
    # each report's rows are sorted by z, then word
    for _, g in key.groupby("article_id"):
        assert list(g["z"]) == sorted(g["z"], reverse=True)
    top = fr.keyness_top(key, per_report=3)
    assert (top.groupby("article_id").size() <= 3).all()
    assert ((top["n_report"] + top["n_rest"]) >= fr.MIN_COUNT).all()


def test_label_keyness_compares_rates_not_counts(corpus, lexicon):
    uses = fr.label_uses(corpus, lexicon, NO_QUOTES)
    lk = fr.label_keyness(corpus, uses)
    assert "(other words)" not in set(lk["label"])
    only_003 = lk[(lk["label"] == "militants")].set_index("article_id")
    assert only_003.loc["anon-003", "z"] > 0 > only_003.loc["afp", "z"]


# --- framing edits ----------------------------------------------------------------------------

def _edits(rows):
    return pd.DataFrame(rows, columns=["source_id", "target_id", "kind", "old", "new",
                                       "source_sentence_id", "target_sentence_id",
                                       "source_start", "source_end", "target_start",
                                       "target_end"])


def test_framing_edits_keep_only_label_changes(corpus, lexicon):
    edits = _edits([
        ("toi", "anon-003", "substitution", "Syrian rebels", "anti-government militants in Syria",
         "toi-s02", "anon-003-s13", 0, 0, 0, 0),
        ("toi", "anon-003", "insertion", "", "against terrorists", "toi-s01", "anon-003-s03",
         0, 0, 0, 0),
        ("afp", "toi", "spelling", "defence", "defense", "afp-s09", "toi-s05", 0, 0, 0, 0),
        ("afp", "toi", "substitution", "rebels", "rebel", "afp-s02", "toi-s02", 0, 0, 0, 0),
        ("afp", "toi", "substitution", "Russia", "Moscow", "afp-s02", "toi-s01", 0, 0, 0, 0),
    ])
    out = fr.framing_edits(corpus, lexicon, edits)
    assert list(out["kind"]) == ["substitution", "insertion"]
    first = out.iloc[0]
    assert first["label before"] == "rebels"
    assert first["label after"] == "anti-government, militants"
    assert first["copy sentence"].startswith("Tensions have mounted")
    assert out.iloc[1]["label before"] == "(none)"
    assert out.iloc[1]["label after"] == "terrorists"


def test_framing_edits_need_the_reuse_columns(corpus, lexicon):
    with pytest.raises(fr.FramingError, match="edits"):
        fr.framing_edits(corpus, lexicon, pd.DataFrame({"kind": ["substitution"]}))


def test_edits_table_shows_both_sentences(corpus, lexicon):
    edits = _edits([("toi", "anon-003", "substitution", "rebel-held", "militant-held",
                     "toi-s02", "anon-003-s13", 0, 0, 0, 0)])
    table = fr.edits_table(fr.framing_edits(corpus, lexicon, edits))
    row = table.iloc[0]
    assert row["labels"] == "rebels → militants"
    assert row["original sentence"].startswith("toi-s02: Tensions")
    assert row["edited sentence"].startswith("anon-003-s13: Tensions")


def test_group_table_totals_match_uses(corpus, lexicon):
    uses = fr.label_uses(corpus, lexicon, NO_QUOTES)
    table = fr.group_table(corpus, fr.label_counts(corpus, lexicon, uses))
    assert list(table["report"]) == list(corpus.articles["label"])
    cells = table[[c for c in table.columns if c.endswith("(uses · per 1,000 words)")]]
    assert cells.shape[1] == len(fr.GROUPS)
    total = sum(int(v.split(" · ")[0]) for v in cells.to_numpy().ravel())
    assert total == len(uses)
    toi = table.set_index("report").loc["Times of Israel"]
    n, rate = toi["state (uses · per 1,000 words)"].split(" · ")
    assert float(rate) == pytest.approx(1000 * int(n) / toi["words"], abs=0.05)
