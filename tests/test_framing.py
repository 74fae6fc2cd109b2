"""Tests for analysis.framing: lexicon, matcher, voice, scores, keyness and framing edits."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from analysis import framing as fr
from analysis.corpus import load_corpus
from shared import BOOK


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
                       match=rf"^{re.escape(str(path))}, row 4, field 'surface': .*listed twice.*row 2"):
        fr.load_lexicon(path)
    rows[2] = ("opposition", "regime", "pro-regime")
    pd.DataFrame(rows, columns=["group", "label", "surface"]).to_csv(path, index=False)
    with pytest.raises(fr.FramingError, match=r", row 4, field 'group': label 'regime' in two groups"):
        fr.load_lexicon(path)
    rows[2] = ("act", "", "strike")
    pd.DataFrame(rows, columns=["group", "label", "surface"]).to_csv(path, index=False)
    with pytest.raises(fr.FramingError, match=r", row 4, field 'label': required field is empty"):
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
    key = fr.keyness(corpus, top=None)  # the full table: also terms a report does not use
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


def _edit(corpus, source, target, kind, old, new, s_sid, t_sid):
    """An edit row with offsets found in the real texts (old/new located in their sentences)."""
    sent = corpus.sentences.set_index("sentence_id")
    def span(sid, words, after=None):
        text, base = sent.loc[sid, "text"], int(sent.loc[sid, "start"])
        if words:
            i = text.index(words)
            return base + i, base + i + len(words)
        i = text.index(after) + len(after)
        return base + i, base + i
    ss, se = span(s_sid, old, after=None if old else "offensive")
    ts, te = span(t_sid, new, after=None if new else "offensive")
    return (source, target, kind, old, new, s_sid, t_sid, ss, se, ts, te)


def test_framing_edits_keep_only_label_changes(corpus, lexicon):
    edits = _edits([
        _edit(corpus, "toi", "anon-003", "substitution", "Syrian rebels",
              "anti-government militants in Syria", "toi-s02", "anon-003-s13"),
        _edit(corpus, "toi", "anon-003", "insertion", "", "against terrorists", "toi-s01",
              "anon-003-s03"),
        _edit(corpus, "toi", "anon-003", "substitution", "said", "announced", "toi-s01",
              "anon-003-s03"),
    ])
    out = fr.framing_edits(corpus, lexicon, edits)
    assert list(out["kind"]) == ["substitution", "insertion"]
    first = out.iloc[0]
    assert first["labels_before"] == "rebels"
    assert first["labels_after"] == "anti-government, militants"
    assert first["target_sentence"].startswith("Tensions have mounted")
    assert out.iloc[1]["labels_before"] == ""
    assert out.iloc[1]["labels_after"] == "terrorists"


def test_a_label_partly_inside_an_edit_is_a_framing_edit(corpus, lexicon):
    # the aligner keeps "Syrian" as copied and edits "President Bashar Assad's" into "army's":
    # the label "Syrian army" straddles the edit and must still be seen
    edits = _edits([_edit(corpus, "toi", "anon-003", "substitution", "President Bashar Assad’s",
                          "army’s", "toi-s02", "anon-003-s13")])
    out = fr.framing_edits(corpus, lexicon, edits)
    assert len(out) == 1
    row = out.iloc[0]
    assert (row["labels_before"], row["labels_after"]) == ("", "Syrian army")
    assert row["old"] == "Syrian President Bashar Assad’s" and row["new"] == "Syrian army’s"


def test_framing_edits_on_the_real_copy_edits(corpus, lexicon):
    from analysis.reuse import copied_edits
    out = fr.framing_edits(corpus, lexicon, copied_edits(corpus))
    changes = set(zip(out["labels_before"], out["labels_after"]))
    assert ("", "Syrian army") in changes and ("rebels", "militants") in changes


def test_framing_edits_need_the_reuse_columns(corpus, lexicon):
    with pytest.raises(fr.FramingError, match="edits"):
        fr.framing_edits(corpus, lexicon, pd.DataFrame({"kind": ["substitution"]}))


def test_group_rates_cover_every_report_and_group(corpus, lexicon):
    uses = fr.label_uses(corpus, lexicon, NO_QUOTES)
    g = fr.group_rates(corpus, fr.label_counts(corpus, lexicon, uses))
    assert len(g) == len(corpus.articles) * len(fr.GROUPS) and g["n"].sum() == len(uses)
    toi = g[(g["article_id"] == "toi") & (g["group"] == "state")].iloc[0]
    assert toi["rate"] == pytest.approx(1000 * toi["n"] / toi["words"], abs=0.01)


# --- exceptions: a form counts only where it names its label ----------------------------------

def test_syrian_military_presence_is_not_the_syrian_army(corpus, lexicon):
    uses = fr.label_uses(corpus, lexicon, NO_QUOTES)
    voa = uses[(uses["article_id"] == "voa") & (uses["label"] == "Syrian army")]
    assert list(voa["surface"]) == ["Syria’s military", "Syrian military"]
    assert "voa-s19" not in set(voa["sentence_id"])
    found = fr.find_labels("to reinforce its Syrian military presence; Syrian military targets",
                           lexicon)
    assert list(found["surface"]) == ["Syrian military"] and found.iloc[0]["start"] > 40


def test_exception_must_hold_a_form_of_its_label():
    rows = pd.DataFrame([("state", "Syrian army", "syrian military")],
                        columns=["group", "label", "surface"])
    exc = pd.DataFrame([("syrian presence", "Syrian army")], columns=["phrase", "label"])
    with pytest.raises(fr.FramingError, match=r"row 2, field 'phrase'.*no form"):
        fr.make_lexicon(rows, exceptions=exc, exceptions_source="exceptions.csv")


def test_corpus_lexicon_prefers_the_corpus_own_file(tmp_path):
    (tmp_path / "framing").mkdir()
    own = tmp_path / "framing" / "labels.csv"
    own.write_text("group,label,surface\nact,flood,flood\nact,flood,floods\n")
    assert fr.lexicon_path(tmp_path) == own
    assert fr.load_lexicon(own).labels == ["flood"]
    assert fr.lexicon_path(tmp_path / "nothing") == fr.LEXICON_PATH


def test_method_runs_on_another_corpus_without_annotations():
    fixture = BOOK.parent / "tests" / "fixtures" / "corpus"
    if not fixture.is_dir():
        pytest.skip("fixture corpus not present")
    other = load_corpus(fixture)
    quotes = pd.DataFrame(columns=list(fr.QUOTE_COLUMNS))
    edits = pd.DataFrame(columns=list(fr.EDIT_COLUMNS))
    result = fr.analyse(other, quotes, edits)
    assert set(result.uses["article_id"]) <= set(other.articles["id"])
    assert result.edits.empty
    assert len(result.keyness) > 0  # keyness needs no lexicon


def _fixture():
    fixture = BOOK.parent / "tests" / "fixtures" / "corpus"
    if not fixture.is_dir():
        pytest.skip("fixture corpus not present")
    return load_corpus(fixture)


def test_the_book_lexicon_is_not_applied_to_a_folder_on_another_topic():
    """Issue 16: the flood stories say "government" and "opposition", which the Syria lexicon
    would count as sides of the war; the lexicon is topical and applies to no article here."""
    other = _fixture()
    lexicon = fr.corpus_lexicon(other)
    assert lexicon.origin == "book" and "syria" in lexicon.topic
    everywhere = pd.concat([fr.find_labels(other.text(a), lexicon) for a in other.articles["id"]])
    assert {"government", "opposition"} <= set(everywhere["label"])  # the words are there
    scope = fr.lexicon_scope(other, lexicon)
    assert list(scope["article_id"]) == list(other.articles["id"])
    assert not scope["applies"].any() and (scope["topic_mentions"] == 0).all()
    result = fr.analyse(other, NO_QUOTES, pd.DataFrame(columns=list(fr.EDIT_COLUMNS)))
    assert result.uses.empty and result.counts.empty and result.label_keyness.empty
    assert result.groups.empty


def test_the_book_lexicon_applies_to_the_book_texts(corpus, lexicon):
    scope = fr.lexicon_scope(corpus, lexicon)
    assert scope["applies"].all()
    assert (scope["topic_mentions"] >= fr.TOPIC_MIN_MENTIONS).all()


def test_a_topical_lexicon_applies_article_by_article(corpus, tmp_path):
    """A lexicon whose topic is the Patriot missiles applies only to the reports naming them
    twice or more; labels are counted in those alone."""
    (tmp_path / "labels.csv").write_text("group,label,surface\nstate,regime,regime\n")
    (tmp_path / "topic.csv").write_text("term\npatriot\npatriots\n")
    lex = fr.load_lexicon(tmp_path / "labels.csv")
    assert lex.origin == "folder" and lex.topic == ("patriot", "patriots")
    scope = fr.lexicon_scope(corpus, lex)
    expected = {a for a in corpus.articles["id"]
                if len(re.findall(r"\bpatriots?\b", corpus.text(a), flags=re.I)) >= 2}
    assert set(scope.loc[scope["applies"], "article_id"]) == expected
    assert 0 < len(expected) < len(corpus.articles)
    result = fr.analyse(corpus, NO_QUOTES, pd.DataFrame(columns=list(fr.EDIT_COLUMNS)), lex)
    assert set(result.uses["article_id"]) <= expected
    assert set(result.groups["article_id"]) == expected


def test_a_folder_lexicon_without_topic_applies_everywhere(corpus, tmp_path):
    (tmp_path / "labels.csv").write_text("group,label,surface\nstate,regime,regime\n")
    lex = fr.load_lexicon(tmp_path / "labels.csv")
    assert lex.topic == () and lex.origin == "folder"
    assert fr.lexicon_scope(corpus, lex)["applies"].all()


def test_stance_is_checked():
    rows = pd.DataFrame([("act", "air strike", "airstrike", "neutral")],
                        columns=["group", "label", "surface", "stance"])
    with pytest.raises(fr.FramingError, match=r"row 2, field 'stance'"):
        fr.make_lexicon(rows, source="labels.csv")
    rows = pd.DataFrame([("act", "air strike", "airstrike", "descriptive"),
                         ("act", "air strike", "air strike", "sided")],
                        columns=["group", "label", "surface", "stance"])
    with pytest.raises(fr.FramingError, match=r"row 3, field 'stance'.*two stances"):
        fr.make_lexicon(rows, source="labels.csv")
    rows = pd.DataFrame([("act", "air strike", "airstrike", "")],
                        columns=["group", "label", "surface", "stance"])
    assert fr.make_lexicon(rows).descriptive == []  # empty stance: sided


def test_the_book_lexicon_marks_descriptive_labels(lexicon):
    assert {"air strike", "Damascus"} <= set(lexicon.descriptive)
    assert not {"rebels", "militants", "terrorists", "regime", "Syrian army"} & set(
        lexicon.descriptive)


def test_a_clause_adding_only_descriptive_labels_is_not_a_framing_edit(corpus, lexicon):
    """Issue 17 (11): the Times of Israel's "before two Turkish soldiers were killed in Idlib
    in an airstrike blamed on Damascus" restates the strike the AFP wire reports; its labels
    (air strike, Damascus) describe, so the insertion is no framing edit."""
    from analysis.reuse import copied_edits
    edits = copied_edits(corpus)
    clause = edits[edits["new"].str.contains("airstrike blamed on Damascus", regex=False)]
    assert len(clause) == 1 and clause.iloc[0]["kind"] == "insertion"
    out = fr.framing_edits(corpus, lexicon, clause)
    assert out.empty
    everything = fr.framing_edits(corpus, lexicon, edits)
    assert not everything["new"].str.contains("Damascus").any()
    # what is left is the relabelling of copied text by Unattributed (003)
    assert set(zip(everything["source_id"], everything["target_id"])) == {("toi", "anon-003")}
    assert set(zip(everything["labels_before"], everything["labels_after"])) == {
        ("", "terrorists"), ("rebels", "anti-government, militants"), ("", "Syrian army"),
        ("rebels", "militants")}
