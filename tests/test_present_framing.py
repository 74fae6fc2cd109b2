"""Tests for analysis.present.framing: charts within 640 px, reader tables, role-based numbers,
all read from the framing tables as the pipeline's framing stage stores them."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
import vl_convert as vlc

from analysis import framing as fr
from analysis import pipeline, store
from analysis.config import Config
from analysis.evaluation import framing as ef
from analysis.present import framing as show
from analysis.present.theme import themed
from analysis.quotes import find_quotes
from analysis import text as tx
from analysis.corpus import load_corpus
from analysis.reuse import copied_edits
from shared import BOOK


def stored_framing(corpus, folder, config: Config = Config()) -> store.StoredRun:
    """A run folder with what the pipeline's framing stage writes for ``corpus``; its inputs
    (quotations, copy edits) are written as the voices and copies stages would write them."""
    (folder / store.TABLES).mkdir(parents=True)
    ctx = pipeline.Context(corpus.root, config, folder, pipeline.ErrorLog(), loaded=corpus)
    ctx.write("quotes", find_quotes(corpus))
    ctx.write("edits", copied_edits(corpus))
    stage = next(s for s in pipeline.STAGES if s.name == "framing")
    stage.run(ctx)
    assert not ctx.log.rows, ctx.log.rows
    return store.StoredRun(folder, {"corpus": str(corpus.root), "config": config.to_dict(),
                                    "stages": {"framing": {"tables": list(stage.tables)}}})


@pytest.fixture(scope="module")
def method(corpus):
    """The framing method in memory, as the chapter ran it before it read the run."""
    return fr.analyse(corpus, find_quotes(corpus), copied_edits(corpus))


@pytest.fixture(scope="module")
def run_(corpus, tmp_path_factory):
    return stored_framing(corpus, tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def result(run_):
    return show.from_run(run_)


def _width(chart) -> float:
    svg = vlc.vegalite_to_svg(themed(chart).to_dict())
    head = svg[:svg.index(">")]
    return float(head.split('width="')[1].split('"')[0])


def test_charts_fit_the_column(corpus, result):
    charts = [show.choice_chart(corpus, result.lexicon, result.counts),
              show.keyness_chart(corpus, show.top_words(result)),
              show.keyness_chart(corpus, show.top_labels(result), term="label")]
    for chart in charts:
        assert _width(chart) <= 640
    spec = json.dumps(charts[0].to_dict())
    assert '"orient": "bottom"' in spec
    assert charts[1].to_dict()["columns"] == 2


def test_stored_tables_show_what_the_method_shows(corpus, method, result):
    """The chapter reads the run: every chart input and reader table is what the method's
    in-memory frames gave (the stored counts and group rates lose the ``voice`` name of the
    method's column index; nothing shown depends on it)."""
    pd.testing.assert_frame_equal(show.top_words(result), fr.keyness_top(method.keyness))
    pd.testing.assert_frame_equal(
        show.top_labels(result), fr.keyness_top(method.label_keyness, min_count=2,
                                                per_report=5))
    pd.testing.assert_frame_equal(show.group_table(result.groups),
                                  show.group_table(method.groups))
    pd.testing.assert_frame_equal(show.lexicon_table_used_first(result.lexicon, result.uses),
                                  show.lexicon_table_used_first(method.lexicon, method.uses))
    pd.testing.assert_frame_equal(show.edits_table(corpus, result.edits),
                                  show.edits_table(corpus, method.edits))
    assert (show.choice_chart(corpus, result.lexicon, result.counts).to_dict()
            == show.choice_chart(corpus, method.lexicon, method.counts).to_dict())
    assert len(result.lexicon.exceptions) == len(method.lexicon.exceptions) == 1


def test_keyness_numbers_do_not_depend_on_the_stored_bound(corpus, method, result, tmp_path):
    """Tested words and tests come from the folder's term totals, not from the bounded rows."""
    key = method.keyness
    tested = key[(key["n_report"] + key["n_rest"]) >= fr.MIN_COUNT]
    full = show.key_numbers(corpus, result)
    assert full["fr_words_tested"] == tested["word"].nunique()
    assert full["fr_tests"] == len(tested)
    assert full["fr_words_significant"] == int(tested["significant"].sum())
    small = show.from_run(stored_framing(corpus, tmp_path / "small",
                                         Config().with_values({"keyness": {"top": 3}})))
    assert small.keyness.groupby("article_id").size().max() == 3
    n = show.key_numbers(corpus, small)
    assert (n["fr_words_tested"], n["fr_tests"]) == (full["fr_words_tested"], full["fr_tests"])


def test_exceptions_come_from_the_run_not_the_folder(corpus, tmp_path):
    run_ = stored_framing(corpus, tmp_path / "run")
    assert len(show.from_run(run_).lexicon.exceptions) == 1
    store.write_table(run_.path, "lexicon_exceptions",
                      pd.DataFrame(columns=list(fr.EXCEPTION_COLUMNS)))
    assert len(show.from_run(run_).lexicon.exceptions) == 0


def test_edits_table_shows_both_sentences_pair_with_most_first(corpus, result):
    table = show.edits_table(corpus, result.edits)
    assert table.iloc[0]["later"] == "Unattributed (003)"
    row = table[table["labels"] == "(none) → Syrian army"].iloc[0]
    assert row["earlier_sentence"].startswith("Tensions have mounted")
    assert row["later_sentence"].startswith("Tensions have mounted")
    assert set(show.EDIT_HEADERS) <= set(table.columns)
    shown = table[list(show.EDIT_HEADERS)].to_string()
    assert not re.search(r"\b(toi|afp|voa|anon-00\d)-s\d", shown)  # no internal ids


def test_group_table_matches_uses(corpus, result):
    t = show.group_table(result.groups)
    assert list(t["report"]) == list(corpus.articles["label"])
    assert sum(t[f"{g}_n"].sum() for g in fr.GROUPS) == len(result.uses)
    assert set(show.GROUP_HEADERS) <= set(t.columns)


def test_lexicon_table_puts_used_labels_first(result):
    t = show.lexicon_table_used_first(result.lexicon, result.uses)
    used = list(t["uses"] > 0)
    assert used == sorted(used, reverse=True) and t.iloc[0]["uses"] > 0


def test_key_numbers_are_roles_not_ids(corpus, result):
    ev = ef.evaluate(result.uses, ef.load_gold(corpus, result.lexicon))
    n = show.key_numbers(corpus, result, ev)
    assert n["fr_n_uses"] == len(result.uses)
    assert n["fr_n_exceptions"] == 1
    assert not any(k.startswith(("fr_afp", "fr_toi", "fr_voa", "fr_anon")) for k in n)
    # the report with the highest rate of state labels, computed, not named
    g = result.groups[result.groups["group"] == "state"]
    top = g.loc[g["rate"].idxmax(), "report"]
    assert n["fr_state_md"].startswith(f"Of the labels for the state and its forces, {top}")
    # keyness reported honestly: no label reaches the line, and the sentence says so
    assert n["fr_labels_significant"] == int(result.label_keyness["significant"].sum())
    if n["fr_labels_significant"] == 0:
        assert n["fr_label_keyness_md"].startswith("No label difference reaches")
    assert n["fr_book_edits_md"]  # the book's own corpus gets its own sentences


def test_key_numbers_without_gold_or_labels(corpus):
    lexicon = fr.make_lexicon(pd.DataFrame([("act", "tsunami", "tsunami")],
                                           columns=["group", "label", "surface"]))
    empty = fr.analyse(corpus, pd.DataFrame(columns=list(fr.QUOTE_COLUMNS)),
                       pd.DataFrame(columns=list(fr.EDIT_COLUMNS)), lexicon=lexicon)
    totals = fr.word_counts(corpus).groupby("word", as_index=False)["n"].sum()
    tables = show.Tables(lexicon, empty.uses, empty.counts, empty.groups,
                         fr.keyness_top(empty.keyness, per_report=50), totals,
                         empty.label_keyness, empty.edits)
    n = show.key_numbers(corpus, tables, None)
    assert n["fr_n_uses"] == 0 and n["fr_validation_md"].startswith("This corpus has no")
    assert n["fr_opposition_md"] == "No report uses a label for the armed opposition."
    assert n["fr_edits_md"].startswith("No edit")
    assert n["fr_label_keyness_md"].startswith("No report uses")
    assert n["fr_n_exceptions"] == 0 and n["fr_labels_significant"] == 0
    show.choice_chart(corpus, lexicon, empty.counts).to_dict()


# --- the corrected statements (issues 16 and 17) -----------------------------------------------

def _plain(markdown: str) -> str:
    """Glued Markdown as the reader sees it (the backslash escapes of plain_markdown gone)."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture(scope="module")
def numbers(corpus, result):
    ev = ef.evaluate(result.uses, ef.load_gold(corpus, result.lexicon))
    return show.key_numbers(corpus, result, ev)


def test_the_chapter_opens_with_the_relabelling_of_copied_text(corpus, result, numbers):
    """Issue 17 (10): the clearest finding is Unattributed (003) renaming the sides in the text
    it shares with the Times of Israel; it is computed from the edits inside copied passages."""
    text = _plain(numbers["fr_finding_md"])
    assert text.startswith("Where Unattributed (003) copies text it shares with Times of Israel")
    for old, new in [("Syrian rebels", "anti-government militants in Syria"),
                     ("rebel-held", "militant-held"),
                     ("Syrian President Bashar Assad’s", "Syrian army’s")]:
        assert f"“{old}” becomes “{new}”" in text
    assert "“against terrorists” is added" in text
    assert "four edits inside the copied passages" in text and len(result.edits) == 4
    assert "No other pair of texts has a framing edit." in text


def test_the_framing_edits_are_counted_once_from_the_run(corpus, result, numbers):
    """Issue 17 (5, 11): one count, the run's framing_edits; the Times of Israel's clause
    restating the strike (air strike, Damascus: descriptive labels) is not among them."""
    assert numbers["fr_n_framing_edits"] == len(result.edits)
    edits = _plain(numbers["fr_edits_md"])
    assert edits.startswith("Four edits inside copied passages change a label that takes sides: "
                            "four between Times of Israel and the later Unattributed (003).")
    assert not result.edits["new"].str.contains("Damascus").any()
    assert set(result.edits["target_id"]) == {"anon-003"}
    stance = _plain(numbers["fr_stance_md"])
    assert "seven labels as descriptive" in stance and "*air strike*" in stance
    assert len(result.lexicon.descriptive) == 7


def test_the_times_of_israel_opening_is_the_wire_standfirst(corpus, numbers):
    """Issue 17 (6): the old note said the Times of Israel shares the AFP text's sentences
    "but not its opening"; its opening words are the wire's standfirst."""
    note = numbers["fr_book_edits_md"]
    assert "not its opening" not in note
    quoted = re.search(r'\("(Turkey said Thursday[^"]+)"\)', note).group(1)
    fold = lambda t: " ".join(tx.fold_chars(t).replace('"', "").split())
    afp, toi = fold(corpus.text("afp")), fold(corpus.text("toi"))
    assert fold(quoted) in afp
    assert toi.startswith(fold(quoted)) or fold(quoted) in toi[:200]
    later = fold(quoted).replace(" said ", " announced ")
    assert later + " against terrorists near the two countries" in fold(corpus.text("anon-003"))


def test_prose_has_no_typed_numbers_and_no_internal_ids(corpus, numbers):
    """Issue 17 (1): no number is typed into the module's sentences; reader names only."""
    names = list(corpus.articles["label"])
    for const in (show.BOOK_READING, show.BOOK_EDITS, show.BOOK_VALIDATION_CAVEAT):
        bare = const
        for name in names:
            bare = bare.replace(name, "")
        assert not re.search(r"\d", bare), const
        assert not re.search(r"\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", bare)
    for key, value in numbers.items():
        if isinstance(value, str):
            assert not re.search(r"\b(afp|toi|voa|anon-00\d)\b", value), key
            assert "report 003" not in value.lower() and "(s)" not in value, key


def test_old_findings_wording_is_gone(corpus, result):
    text = _plain(show.finding_text(corpus, result))
    assert "cannot tell the reports' label choices apart" not in text
    assert text.startswith("*Unattributed (003)* renames the sides in text it copies from "
                           "*Times of Israel*: four edits inside copied passages")


def test_finding_on_the_books_run(book_run):
    """The findings page sentence, from the full stored run of the five texts."""
    text = _plain(show.finding(book_run))
    assert "“rebel-held” becomes “militant-held”" in text
    tables = show.from_run(book_run)
    lead = _plain(show.edits_finding(book_run.corpus(), tables))
    comp = tables.composition.set_index("article_id")
    share = f"{100 * comp.loc['toi', 'derived_share']:.0f}%"
    assert f"a text that itself shares {share} of its words, word for word, with AFP wire" in lead


def test_keyness_words_are_named_from_the_run(corpus, result, numbers):
    text = _plain(numbers["fr_keyness_words_md"])
    assert "*defence* (AFP wire)" in text and "*defense* (Unattributed (003))" in text
    assert "*defence* and *defense* is one word spelled the British and the American way" in text
    assert "None of them is a form of the lexicon." in text


def test_reader_tables_have_no_sentence_ids(corpus, result):
    q = show.quoted_uses(corpus, result.uses)
    assert "sentence_id" not in q.columns and set(show.QUOTED_HEADERS) <= set(q.columns)
    assert q["sentence_no"].min() >= 1
    ev = ef.evaluate(result.uses, ef.load_gold(corpus, result.lexicon))
    e = show.errors_table(corpus, ev)
    assert set(show.ERROR_HEADERS) - {"sentence_id"} <= set(e.columns) | set()


def test_relabel_chart_fits_the_column(corpus, result):
    assert _width(show.edits_chart(corpus, result.edits)) <= 640
    data = show.edits_chart(corpus, result.edits).to_dict()
    assert "Times of Israel → Unattributed (003)" in json.dumps(data, ensure_ascii=False)


# --- another folder: the fixture corpus of flood stories (issue 16) ---------------------------

FIXTURE = BOOK.parent / "tests" / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def fixture_numbers(tmp_path_factory):
    other = load_corpus(FIXTURE)
    run_ = stored_framing(other, tmp_path_factory.mktemp("fixture-run"))
    tables = show.from_run(run_)
    return other, tables, show.key_numbers(other, tables, None)


def test_the_syria_lexicon_is_not_applied_to_flood_stories(fixture_numbers):
    other, tables, n = fixture_numbers
    assert tables.uses.empty and not show.lexicon_applies(tables)
    lex = _plain(n["fr_lexicon_md"])
    assert lex.startswith("This folder has no lexicon of its own (`framing/labels.csv`)")
    assert "topical" in lex and "no article of this folder does (eight articles)" in lex
    assert "no label is counted here" in lex
    for key in ("fr_finding_md", "fr_uses_md", "fr_opposition_md", "fr_state_md", "fr_act_md",
                "fr_edits_md", "fr_label_keyness_md", "fr_book_reading_md", "fr_book_edits_md",
                "fr_validation_md"):
        assert n[key] == "", key
    # nothing said about the book's war or its five texts, but in the lexicon paragraph
    for key, value in n.items():
        if isinstance(value, str) and key != "fr_lexicon_md":
            for word in ("Syria", "Idlib", "Assad", "AFP", "Times of Israel", "Unattributed",
                         "rebels", "regime"):
                assert word not in value, (key, word)
    assert n["fr_keyness_tests_md"].startswith("Of the ")


def test_the_findings_sentence_on_another_folder(fixture_numbers):
    other, tables, _ = fixture_numbers
    text = show.finding_text(other, tables)
    assert "counts no contested label here" in text and "another topic" in text


def test_a_folder_with_its_own_lexicon_is_said_so(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE, folder)
    (folder / "framing").mkdir()
    (folder / "framing" / "labels.csv").write_text(
        "group,label,surface\nact,flood,flood\nact,flood,floods\nstate,government,government\n")
    other = load_corpus(folder)
    tables = show.from_run(stored_framing(other, tmp_path / "run"))
    n = show.key_numbers(other, tables, None)
    assert _plain(n["fr_lexicon_md"]).startswith("The words come from this folder's own lexicon")
    assert len(tables.uses) > 0 and n["fr_uses_md"].startswith("The matcher finds")
    assert "eight reports the lexicon applies to" in n["fr_uses_md"]
