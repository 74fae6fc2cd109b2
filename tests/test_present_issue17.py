"""The sentences a careful reader found false (issue 17), as the presentation now writes them
from the run of the book's five texts: the corrected wording is there, the false one is gone, no
template grammar ("pair(s)") and no internal article id reaches the reader."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.evaluation import reuse as reuse_eval
from analysis.present import claims, reuse, voices
from analysis.present.findings import findings

IDS = ("afp", "toi", "voa", "anon-003", "anon-004")


class _WithoutCheck:
    """The session's run (no reuse calibration stage): its check tables read as empty."""

    def __init__(self, run):
        self.run, self.manifest = run, run.manifest

    def table(self, name: str) -> pd.DataFrame:
        if name.startswith("reuse_"):
            return pd.DataFrame()
        return self.run.table(name)


@pytest.fixture(scope="module")
def corpus(book_run):
    return book_run.corpus()


@pytest.fixture(scope="module")
def texts(book_run, corpus) -> dict[str, str]:
    """Every reader sentence the present functions of chapters 2-4 and the findings page write
    (the reuse calibration is not in this run; its sentence is tested on its own below)."""
    res = reuse.results_from_run(_WithoutCheck(book_run), corpus)
    out = {f"finding:{k}": v for k, v in findings(book_run).text.items()}
    out |= {
        "reuse:intro": reuse.intro_markdown(res, corpus),
        "reuse:containment": reuse.containment_markdown(res, corpus),
        "reuse:common": reuse.common_markdown(res, corpus),
        "reuse:edits": reuse.edits_markdown(res, corpus),
        "reuse:sizes": reuse.sizes_markdown(res, corpus),
        "reuse:spelling": reuse.spelling_markdown(res, corpus),
    }
    out |= {f"reuse:{k}": v for k, v in reuse.count_sentences(res).items()}
    k = claims.key_numbers(corpus, book_run.table("claims"), book_run.table("claim_comparison"),
                           book_run.table("events"), book_run.table("directions"))
    out |= {f"claims:{n}": v for n, v in k.items() if n.endswith("_md")}
    tables = voices.from_run(book_run)
    out |= {f"voices:{n}": v for n, v in voices.chapter_prose(corpus, tables).items()}
    out["voices:side"] = voices.side_prose(corpus, tables)
    return out


def test_no_internal_ids_or_file_numbers_in_reader_text(texts):
    for name, text in texts.items():
        for aid in IDS:
            assert not re.search(rf"(?<![\w-]){re.escape(aid)}(?![\w-])", text), (name, aid)
        assert not re.search(r"\b(file|text) 00\d", text), name
        assert not re.search(r"-s\d+\b", text), name  # sentence ids such as afp-s07


def test_no_template_grammar(texts):
    for name, text in texts.items():
        assert "(s)" not in text, name
        assert not re.search(r"\b(0|1) (pairs|times|cases|statements|days|figures)\b", text), name
        assert not re.search(r"\b0 is\b|there are 1\b|\(1 (cases|days)", text), name


def test_reuse_finding_says_what_the_texts_support(texts):
    """Items 2 and 3: every aligned word of Times of Israel goes to AFP wire; the order of the
    pair is a tie-break by the wire credit; each text holds what the other lacks."""
    t = texts["finding:finding-reuse"]
    assert "all of them to *AFP wire*" in t and "mostly" not in t
    assert "Both carry the same date" in t and "only because it carries a wire credit" in t
    assert "takes the largest share of its words from an earlier report" not in t
    assert "print of a version of the *AFP wire* story, not as a rewrite" in t
    assert "reports Turkey's retaliation on Thursday" in t
    intro = texts["reuse:intro"]
    assert "(all of them to AFP wire)" in intro and "a tie-break" in intro


def test_numbers_counted_by_report_and_by_independent_text(texts):
    """Item 7: four of the five agreements are AFP wire set against its own reprint; one figure
    (33 soldiers killed on 27 February) is confirmed by texts that do not copy each other."""
    t = texts["finding:finding-numbers"]
    assert "five agree" in t
    assert "four of these agreements are between a text and its own copy or reprint" in t
    assert "one figure is confirmed by reports that do not copy each other: 33 soldiers" in t
    assert "(given by *VOA* and *Unattributed \\(004\\)*)" in t
    agree = texts["claims:agree_md"]
    assert "four of these agreements are between one story and its own reprint" in agree
    assert "one figure is confirmed by texts that do not copy each other" in agree


def test_the_denial_is_not_about_the_displacement_figure(texts):
    """Item 8: the denial in Unattributed (003) is about flight towards Turkey."""
    assert "1 contested" not in texts["finding:finding-numbers"]
    assert '"in the direction of Turkey"' in texts["finding:finding-numbers"]
    c = texts["claims:contested_md"]
    assert "the *contested* verdict is the method's, not the texts'" in c
    assert "sentence `" not in c
    assert "one is set against a denial (marked *contested*)" in texts["claims:verdicts_md"]


def test_voices_counted_as_distinct_utterances(texts, book_run, corpus):
    """Item 9: reprinted sentences, AFP's restated standfirst and 003's subheading."""
    units = voices.voices(corpus, voices.from_run(book_run))
    assert "anon-003-s08" not in set(units["sentence_id"])  # the subheading is not speech
    assert units.set_index("sentence_id").loc["afp-s02", "repeat_of"] == "afp-s01"
    akar = units[units["speaker"] == "Hulusi Akar"]
    assert len(akar) == 18 and (akar["repeat_of"] == "").sum() == 10
    t = texts["finding:finding-voices"]
    assert "Hulusi Akar: 18 voice units in four reports, ten distinct utterances" in t
    assert "one heading" in texts["voices:voices-intro-md"].lower()
    assert "once every utterance a report repeats" in texts["voices:side"]


def test_containment_identifies_the_shorter_text(texts):
    """Item 14."""
    t = texts["reuse:containment"]
    assert "identifies a copy" not in t
    assert "The asymmetry identifies the shorter text, not the copy" in t
    assert "because AFP wire is the longer text" in t


def test_one_copy_three_sizes_are_explained(texts):
    """Item 15: 286 aligned in passages (one AFP phrase in two), 279 in the composition, 271
    shared trigrams."""
    t = texts["reuse:sizes"]
    assert "align 286 words" in t and "two words of AFP wire are aligned twice" in t
    assert "279 words of Times of Israel" in t and "271 distinct word trigrams" in t
    assert "not necessarily of meaning" in texts["reuse:edits"]


def test_calibration_says_when_other_gaps_do_better():
    """Item 15: the grid of the book's run shows gaps 20 and 24 recovering more than 16."""
    cal = pd.DataFrame({"n": [3, 3, 3, 3], "max_gap": [0, 16, 20, 24],
                        "coverage": [0.75, 0.91, 0.94, 0.95], "false_passages": [0, 0, 0, 0],
                        "recall": [0.9, 0.97, 0.97, 0.97]})
    text = reuse.calibration_markdown(cal, "pairs", reuse.DEFAULT)
    assert "does not single out the default" in text and "gaps 20 (94%) and 24 (95%)" in text
    assert "no false passages" in text and "(s)" not in text
    best = reuse.calibration_markdown(cal[cal["max_gap"] <= 16], "pairs", reuse.DEFAULT)
    assert "does not single out" not in best


def test_fixture_corpus_prose_follows_its_own_data(tmp_path):
    """Every sentence still holds for another folder: no book-only wording there."""
    from pathlib import Path

    import shared

    run = shared.run(str(Path(__file__).resolve().parent / "fixtures" / "corpus"),
                     str(tmp_path / "run"))
    text = findings(run).text
    assert "all of them to *Gazette*" in text["finding-reuse"]
    assert "AFP" not in " ".join(text.values())
    assert "in the direction of Turkey" not in text["finding-numbers"]
    assert "(s)" not in " ".join(text.values())


def test_corpus_chapter_opens_with_what_the_files_show(corpus):
    from analysis.present import corpus as overview

    p = overview.chapter_prose(corpus)
    assert p["corpus-opening-md"].startswith(
        "The book reads five reports of the same story, published between 20 February 2020 "
        "and 1 March 2020 (ten days apart). Three of them name no publisher, and three dates "
        "are inferred")
    assert "(1 days)" not in " ".join(p.values()) and "(s)" not in " ".join(p.values())
    assert "Four lines of boilerplate" in p["corpus-boilerplate-md"]


def test_readable_names_articles_sentences_and_paragraphs():
    from analysis.present.publish import readable

    names = {"afp": "AFP wire", "anon-003": "Unattributed (003)"}
    assert readable("afp-s07; anon-003-p02; afp's", names) == (
        "AFP wire, sentence 7; Unattributed (003), paragraph 2; AFP wire's")
    assert readable("safp and afp-x", names) == "safp and afp-x"


def test_tables_align_numbers_and_fold_only_the_rest():
    from analysis.present.publish import Table

    frame = pd.DataFrame({"report": list("abcde"), "words": [5, 4, 3, 2, 1]})
    page = Table(frame, "tab-x", show=2)._repr_html_()
    head, fold = page.split("<details", 1)
    assert head.count("<tr>") == 3 and fold.count("<tr>") == 4  # header + rows each
    assert "The other 3 rows (of 5)" in fold and "All 5 rows" not in page
    assert "td.col1" in head and "text-align: right" in head


def test_side_by_side_and_containment_chart_use_reader_names(book_run, corpus):
    res = reuse.results_from_run(_WithoutCheck(book_run), corpus)
    page = reuse.side_by_side(res, corpus)._repr_html_()
    for aid in IDS:
        assert not re.search(rf">{re.escape(aid)}[ <]", page), aid
    assert "AFP wire, sentences 9–13" in page
    spec = reuse.containment_chart(res.scores, corpus).to_dict()
    assert "AFP wire" in spec["layer"][0]["encoding"]["x"]["sort"]


def test_long_cells_are_cut_on_the_page_and_whole_in_the_csv(tmp_path):
    from analysis.present.publish import CLIP, publish_table

    long = "word " * 80
    frame = pd.DataFrame({"text": [long.strip(), "short"], "n": [1, 2]})
    table = publish_table(frame, "tab-long", "A caption.", "a source", out_dir=tmp_path,
                          glue=False)
    shown = table.shown.frame["text"]
    assert shown[0].endswith(" …") and len(shown[0]) <= CLIP + 2 and shown[1] == "short"
    assert "cut short on the page" in table.caption
    assert pd.read_csv(tmp_path / "tab-long.csv")["text"][0] == long.strip()


def test_published_tables_show_no_internal_ids(book_run, corpus, tmp_path):
    """The shown cells of the chapters' tables name reports and sentences by label (the CSV
    keeps the run's ids)."""
    from analysis.present import publish

    publish.setup(tmp_path)
    res = reuse.results_from_run(_WithoutCheck(book_run), corpus)
    shown = [reuse.publish_edits(res, corpus), reuse.publish_directions(res, corpus),
             reuse.publish_common(res, corpus), reuse.publish_scores(res, corpus),
             publish.publish_table(claims.comparison_frame(book_run.table("claim_comparison")),
                                   "tab-x", "c", "s", columns=claims.COMPARISON_COLUMNS,
                                   corpus=corpus)]
    for table in shown:
        cells = " ".join(table.shown.frame.astype(str).to_numpy().ravel())
        for aid in IDS:
            assert not re.search(rf"(?<![\w-]){re.escape(aid)}(?![\w-])", cells), (table.id, aid)
    assert "Unattributed (003) copied Times of Israel's wording" in " ".join(
        shown[2].shown.frame.astype(str).to_numpy().ravel())


def test_reuse_intro_does_not_say_the_spin_chapter_calls_004_spun(book_run, corpus, monkeypatch):
    """The spin chapter's strong-evidence test calls no report spun: the reuse chapter must not
    say that chapter argues Unattributed (004) is machine-spun."""
    glued: dict[str, object] = {}
    monkeypatch.setattr(reuse, "glue_values",
                        lambda values, markdown=False: glued.update(values))
    reuse.glue_chapter(corpus, reuse.results_from_run(_WithoutCheck(book_run), corpus), None)
    text = " ".join(str(v) for v in glued.values())
    assert "argues that Unattributed (004) is" not in text
    assert "without calling it spun" in text
