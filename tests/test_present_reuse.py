"""Tests of analysis.present.reuse: side-by-side view, charts within the page, roles, prose."""

import json

import pandas as pd
import pytest

from analysis import framing, reuse
from shared import corpus, results
from analysis.present import reuse as present
from analysis.present.theme import themed

SOURCE = ("The defence ministry said on Monday that Syrian rebels had attacked the northern town "
          "of Saraqeb at dawn, killing five soldiers and wounding many others near the border.")


def test_passage_view_escapes_markup_inside_edited_spans():
    target = SOURCE.replace("Syrian rebels had", 'Syrian militants & "<script>x</script>" '
                            'fighters had').replace("northern town", "<b>northern</b> town")
    docs = {"s": reuse.make_doc("s", SOURCE), "t": reuse.make_doc("t", target)}
    found = reuse.find_passages(docs, pairs=[("s", "t")])
    assert len(found) == 1
    view = present.passage_view(found, docs)
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


def test_side_by_side_on_the_reports():
    view = present.side_by_side(corpus(), results().primary)
    assert repr(view) == f"PassageView: {len(results().primary)} passages"
    assert "against terrorists</span>" in view._repr_html_()


def fake_passage(source: str, target: str, t0: int, matched: int) -> reuse.Passage:
    return reuse.Passage(source, target, (0, matched), (t0, t0 + matched), 0, 1, 0, 1,
                         matched, 1.0, (("equal", 0, matched, t0, t0 + matched),))


def test_map_links_group_interleaved_passages_per_pair():
    primary = [fake_passage("afp", "anon-003", 0, 10), fake_passage("toi", "anon-003", 20, 7),
               fake_passage("afp", "anon-003", 40, 5)]
    _, links = present.map_data(corpus(), primary)
    assert sorted(zip(links["source"], links["words"])) == [("afp", 15), ("toi", 7)]
    _, none = present.map_data(corpus(), [])
    assert none.empty and "lane2" in none


def test_content_edits_that_touch_a_contested_label():
    le = present.label_edits(results().edits, framing.load_lexicon())
    pair = le[(le["source_id"] == "toi") & (le["target_id"] == "anon-003")]
    assert len(pair) == 7
    touched = set(zip(pair.loc[pair["touches_label"], "old"],
                      pair.loc[pair["touches_label"], "new"]))
    assert touched == {("", "against terrorists"), ("Syrian rebels",
                       "anti-government militants in Syria"), ("rebel-held", "militant-held")}
    assert not pair.loc[pair["old"] == "said", "touches_label"].any()


def test_roles_are_found_in_the_data():
    r = present.roles(results())
    assert (r.copier, r.copier_source) == ("toi", "afp")
    assert (r.edit_source, r.edit_target) == ("toi", "anon-003")
    assert r.non_derived == ("voa", "anon-004")


def test_prose_never_says_an_outlet_added_what_another_version_may_hold():
    res, c, lx = results(), corpus(), framing.load_lexicon()
    text = " ".join([present.intro_markdown(res, c, lx), present.common_markdown(res, c),
                     present.edits_markdown(res, c, lx)])
    assert "additions" not in text and "its additions" not in text
    assert "lacks" in text
    assert "7 content edits, of which 3" in text


@pytest.mark.parametrize("name", ["containment", "map", "composition", "synthetic",
                                  "calibration"])
def test_charts_fit_the_page(name):
    res = results()
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


def test_labels_are_escaped_in_prose_only(monkeypatch):
    """Prose is Markdown, so a label's punctuation is escaped there; a table escapes its own
    cells, so it gets the label as written (no stray backslashes)."""
    from analysis.present import reuse as present

    shown = {}

    def capture(frame, tab_id, *args, columns=None, **kwargs):
        shown[tab_id] = frame[list(columns)] if columns else frame

    monkeypatch.setattr(present, "publish_table", capture)
    present.publish_directions(results(), corpus())
    present.publish_scores(results(), corpus())
    cells = " ".join(" ".join(map(str, f.to_numpy().ravel())) for f in shown.values())
    assert "Unattributed (003)" in cells and "\\(" not in cells
    prose = present.intro_markdown(results(), corpus(), framing.load_lexicon())
    assert "Unattributed \\(003\\)" in prose
