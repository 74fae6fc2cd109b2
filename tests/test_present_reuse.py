"""Tests of analysis.present.reuse: the chapter read from a stored run, side-by-side view,
charts within the page, roles, prose."""

import ast
import dataclasses
import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pytest

from analysis import pipeline, reuse, store
from analysis.config import Config
from shared import corpus, results
from analysis.present import reuse as present
from analysis.present.theme import themed

BOOK = Path(__file__).resolve().parent.parent / "book"


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> store.StoredRun:
    """A run of the book's texts holding what the chapter reads: the real load, passages,
    copies, voices and framing stages; the slow reuse check replaced by a small one."""
    folder = tmp_path_factory.mktemp("run")
    (folder / store.TABLES).mkdir()
    ctx = pipeline.Context(corpus().root, Config(), folder, pipeline.ErrorLog())
    for stage in pipeline.STAGES:
        if stage.name in ("load", "passages", "copies", "voices", "framing"):
            stage.run(ctx)
    found = pipeline.passages_from_frame(ctx.table("passages"))
    setup = reuse.synthetic_setup(ctx.corpus, found)
    null = pipeline.null_pairs(found, reuse.publication_order(ctx.corpus), 200, 7)
    ctx.write("reuse_setup", pd.DataFrame([asdict(setup)]))
    ctx.write("reuse_synthetic", reuse.synthetic_check(ctx.corpus, setup, rates=(0.0, 0.5),
                                                       trials=2))
    ctx.write("reuse_null_pairs", pd.DataFrame(null, columns=["source_id", "target_id"]))
    ctx.write("reuse_calibration", reuse.calibration(ctx.corpus, null, setup, ns=(3,),
                                                     gaps=(16,), rates=(0.3,), trials=2))
    return store.StoredRun(folder, {"config": Config().to_dict(), "corpus": str(corpus().root),
                                    "stages": {}})


@pytest.fixture(scope="module")
def res(run) -> present.Results:
    return present.results_from_run(run, corpus())


def test_the_run_read_back_is_what_the_method_found(res):
    method = results()
    assert res.found == method.found
    assert res.primary == method.primary == reuse.primary_passages(res.found)
    for name in ("scores", "edits", "labels", "composition", "common"):
        pd.testing.assert_frame_equal(getattr(res, name), getattr(method, name),
                                      check_dtype=False)
    assert list(res.directions["source_id"]) == list(method.directions["source"])
    assert list(res.directions["aligned_words"]) == list(method.directions["aligned words"])
    assert list(res.spelling["british_forms"]) == list(method.spelling["british forms"])
    assert res.params == reuse.DEFAULT and list(res.docs) == list(method.docs)
    assert res.setup == reuse.SyntheticSetup("afp", "voa", "anon-004")
    assert len(res.null_pairs) == 7 and list(res.calibration["false_passages"]) == [0]


def test_null_basis_says_when_the_pairs_are_a_draw(res):
    assert res.null_basis == "pairs in which the default parameters find no passage"
    fewer = dataclasses.replace(res, null_pairs=res.null_pairs.head(2))
    assert fewer.null_basis == ("a seeded draw of 2 pairs in which the default parameters "
                                "find no passage")


def test_chapter_imports_no_method_module():
    """The chapter reads the run: its code imports only presentation, evaluation and the
    standard library, and the presentation module takes nothing from a method that finds,
    aligns, scores or calibrates."""
    nb = json.loads((BOOK / "02_reuse.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    imported = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert imported and all(m.startswith(("analysis.present", "analysis.evaluation"))
                            or m.split(".")[0] in {"os"} for m in imported), imported
    assert "open_run" in code and "run.corpus()" in code
    tree = ast.parse(Path(present.__file__).read_text(encoding="utf-8"))
    taken = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
             for a in n.names}
    methods = {"analysis.reuse", "analysis.framing", "analysis.index", "analysis.distributed"}
    used = {name for module, name in taken if module in methods}
    assert not used & {"analyse", "find_passages", "passage_edits", "pair_scores",
                       "synthetic_check", "calibration", "unrelated_pairs", "find_labels",
                       "load_lexicon", "copied_edits", "sentence_labels"}, used
    assert not {m for m, _ in taken if m in methods} - {"analysis.reuse"}

SOURCE = ("The defence ministry said on Monday that Syrian rebels had attacked the northern town "
          "of Saraqeb at dawn, killing five soldiers and wounding many others near the border.")


def test_passage_view_escapes_markup_inside_edited_spans():
    target = SOURCE.replace("Syrian rebels had", 'Syrian militants & "<script>x</script>" '
                            'fighters had').replace("northern town", "<b>northern</b> town")
    docs = {"s": reuse.make_doc("s", SOURCE), "t": reuse.make_doc("t", target)}
    found = reuse.find_passages(docs, pairs=[("s", "t")])
    assert len(found) == 1
    edits = pd.DataFrame(reuse.passage_edits(found[0], docs["s"], docs["t"]))
    view = present.passage_view(found, docs, edits)
    page = view._repr_html_()
    assert repr(view) == "PassageView: 1 passages"
    assert "<script" not in page and "<b>" not in page
    # The substituted span, highlighted and escaped: quote, ampersand and tags all as text.
    sub = present.STYLES["substitution"][1]
    assert (f'<span style="{sub}">militants &amp; &quot;&lt;script&gt;x&lt;/script&gt;&quot; '
            'fighters</span>' in page)
    # "b" of the tags is an inserted word: marked, its angle brackets escaped around the mark.
    ins = present.STYLES["insertion"][1]
    assert f'&lt;<span style="{ins}">b</span>&gt;northern&lt;/<span style="{ins}">b</span>' in page


def test_side_by_side_on_the_reports(res):
    view = present.side_by_side(res, corpus())
    assert repr(view) == f"PassageView: {len(res.primary)} passages"
    assert "against terrorists</span>" in view._repr_html_()


def test_each_passage_is_marked_with_exactly_its_own_stored_edits(res):
    def spans(rows):
        return sorted((e["kind"], e["source_start"], e["source_end"], e["target_start"],
                       e["target_end"]) for e in rows)

    for p in res.primary:
        own = reuse.passage_edits(p, res.docs[p.source_id], res.docs[p.target_id])
        assert spans(present._inside(res.edits, p)) == spans(own)


def fake_passage(source: str, target: str, t0: int, matched: int) -> reuse.Passage:
    return reuse.Passage(source, target, (0, matched), (t0, t0 + matched), 0, 1, 0, 1,
                         matched, 1.0, (("equal", 0, matched, t0, t0 + matched),))


def test_primary_passages_keep_the_methods_order():
    """Targets as they first appear in the stored passages, each target's by position."""
    later = fake_passage("afp", "toi", 30, 9)
    other = fake_passage("toi", "anon-003", 0, 9)
    dropped = fake_passage("afp", "anon-003", 50, 9)
    first = fake_passage("afp", "toi", 0, 9)
    found = [later, other, dropped, first]
    assert present._primary(found, pd.Series([True, True, False, True])) == [first, later,
                                                                             other]


def test_map_links_group_interleaved_passages_per_pair():
    primary = [fake_passage("afp", "anon-003", 0, 10), fake_passage("toi", "anon-003", 20, 7),
               fake_passage("afp", "anon-003", 40, 5)]
    _, links = present.map_data(corpus(), primary)
    assert sorted(zip(links["source"], links["words"])) == [("afp", 15), ("toi", 7)]
    _, none = present.map_data(corpus(), [])
    assert none.empty and "lane2" in none


def test_content_edits_that_touch_a_contested_label(res):
    """Labels come from the run's framing edits: a label partly inside an edit counts, and
    the prose quotes the words widened to it."""
    le = present.label_edits(res)
    pair = le[(le["source_id"] == "toi") & (le["target_id"] == "anon-003")]
    assert len(pair) == 7
    touched = pair[pair["touches_label"]]
    assert set(zip(touched["old"], touched["new"])) == {
        ("", "against terrorists"), ("Syrian rebels", "anti-government militants in Syria"),
        ("President Bashar Assad’s", "army’s"), ("rebel-held", "militant-held")}
    assert set(zip(touched["old_words"], touched["new_words"], touched["new_labels"])) == {
        ("", "against terrorists", "terrorists"),
        ("Syrian rebels", "anti-government militants in Syria", "anti-government, militants"),
        ("Syrian President Bashar Assad’s", "Syrian army’s", "Syrian army"),
        ("rebel-held", "militant-held", "militants")}
    assert not pair.loc[pair["old"] == "said", "touches_label"].any()
    assert len(le[le["touches_label"]]) == len(res.framing_edits)


def test_a_framing_edit_that_is_no_edit_of_the_run_is_an_error(res):
    stale = res.framing_edits.assign(new=res.framing_edits["new"] + " and more")
    with pytest.raises(ValueError, match="is not one of its edits; run the pipeline again"):
        present.label_edits(dataclasses.replace(res, framing_edits=stale))


def test_roles_are_found_in_the_data(res):
    r = present.roles(res)
    assert (r.copier, r.copier_source) == ("toi", "afp")
    assert (r.edit_source, r.edit_target) == ("toi", "anon-003")
    assert r.non_derived == ("voa", "anon-004")


def test_prose_never_says_an_outlet_added_what_another_version_may_hold(res):
    c = corpus()
    text = " ".join([present.intro_markdown(res, c), present.common_markdown(res, c),
                     present.edits_markdown(res, c)])
    assert "additions" not in text and "its additions" not in text
    assert "lacks" in text
    assert "seven content edits, of which four" in text
    assert "“Syrian President Bashar Assad’s” → “Syrian army’s”" in text


def test_calibration_prose_and_spelling_prose_read_the_run(res):
    text = present.calibration_markdown(res.calibration, res.null_basis, res.params)
    assert "(pairs in which the default parameters find no passage)" in text
    assert "no false passages" in text and "(s)" not in text
    assert "AFP wire uses 10 British and 0 American" in present.spelling_markdown(res, corpus())


@pytest.mark.parametrize("name", ["containment", "map", "composition", "synthetic",
                                  "calibration"])
def test_charts_fit_the_page(name, res):
    syn = pd.DataFrame([{"kind": k, "rate": r, "trials": 2, "found": 1, "recall": 0.5,
                         "coverage": 0.5, "spurious": 0}
                        for k in reuse.SYNTHETIC_KINDS for r in (0.0, 0.5)])
    cal = pd.DataFrame([{"n": n, "max_gap": g, "recall": 1.0, "coverage": 0.9,
                         "false_passages": 0} for n in (2, 3) for g in (0, 8)])
    chart = {"containment": lambda: present.containment_chart(res.scores, corpus()),
             "map": lambda: present.reuse_map_chart(corpus(), res.primary),
             "composition": lambda: present.composition_chart(res.composition),
             "synthetic": lambda: present.synthetic_chart(syn),
             "calibration": lambda: present.calibration_chart(cal)}[name]()
    import vl_convert as vlc
    svg = vlc.vegalite_to_svg(themed(chart).to_dict())
    width = float(svg.split('width="', 1)[1].split('"', 1)[0])
    assert width <= 640, f"{name} is {width} px wide"
    spec = json.dumps(themed(chart).to_dict())
    assert '"orient": "right"' not in spec


def test_coinciding_synthetic_lines_stay_visible():
    syn = pd.DataFrame([{"kind": k, "rate": r, "trials": 1, "found": 1, "recall": v,
                         "coverage": 1.0, "spurious": 0}
                        for k, v in (("deletion", 0.5), ("mixed", 0.5), ("insertion", 1.0))
                        for r in (0.1, 0.2)])
    assert present.coinciding_kinds(syn) == [("deletion", "mixed")]
    spec = present.synthetic_chart(syn).to_dict()
    enc = spec["encoding"]
    assert {"strokeDash", "shape", "color"} <= set(enc)
    data = present.synthetic_chart(syn).data
    shifted = data.groupby("kind")["shown_rate"].first()
    assert shifted["deletion"] != shifted["mixed"]
    assert present.DASHES["deletion"] != present.DASHES["mixed"]


def test_validation_prose_without_gold_is_one_honest_sentence():
    text = present.validation_markdown(None)
    assert "no hand annotation" in text


def test_labels_are_escaped_in_prose_only(monkeypatch, res):
    """Prose is Markdown, so a label's punctuation is escaped there; a table escapes its own
    cells, so it gets the label as written (no stray backslashes)."""
    from analysis.present import reuse as present

    shown = {}

    def capture(frame, tab_id, *args, columns=None, **kwargs):
        shown[tab_id] = frame[list(columns)] if columns else frame

    monkeypatch.setattr(present, "publish_table", capture)
    present.publish_directions(res, corpus())
    present.publish_scores(res, corpus())
    present.publish_spelling(res, corpus())
    cells = " ".join(" ".join(map(str, f.to_numpy().ravel())) for f in shown.values())
    assert "Unattributed (003)" in cells and "\\(" not in cells
    assert "earlier publication date" in cells and "defence" in cells
    prose = present.intro_markdown(res, corpus())
    assert "Unattributed \\(003\\)" in prose
