"""A corpus folder is data, never markup: every string a folder brings (manifest fields, the
speakers table, a framing lexicon, hand annotations, article words) reaches the book's pages as
the text it is.

Each sink has one rule: Markdown prose (glued with ``{glue:md}``) goes through
:func:`analysis.present.publish.plain_markdown`; tables go through
:func:`analysis.present.publish.publish_table`, which HTML-escapes every text cell; charts carry
corpus strings as data only (the spec is embedded by :func:`analysis.present.theme.script_json`
and Vega draws data as text), never inside a Vega expression.

:func:`hostile_corpus` builds the made-up fixture corpus with a payload in every free-text
field of every optional table; the browser test builds the whole book from it
(``tests/test_browser.py``), and the tests here check the prose, tables and chart specs the
chapters are made of without a browser.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.myst_role import myst_role_plugin
from mdit_py_plugins.substitution import substitution_plugin

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "corpus"

MARK = "__wirespin_pwned"
# Each payload, if it ran, would set window.__wirespin_pwned or open a dialog; the others would
# become a link, an image, a MyST role or substitution, or show an entity decoded.
PAYLOADS = {
    "label": "</script><script>window.{m}=1;alert(1)</script> {i}",
    "headline": "<img src=x onerror=\"window.{m}=2;alert(2)\"> <!-- {i}",
    "outlet": "<script>window.{m}=3</script>\u2028\u2029 [x](javascript:alert(3)) {i}",
    "outlet_evidence": "<svg onload=\"window.{m}=4\"></svg> {{raw}}`<b>` {i}",
    "dateline": "</ScRiPt ><iframe srcdoc=\"<script>parent.{m}=5</script>\"></iframe> {i}",
    "notes": "*<b onmouseover=alert(6)>bold</b>* {i}",
}
# Free-text fields of the optional tables. {i} keeps values distinct where they must be.
HOSTILE = {
    "img": "<img src=x onerror=\"window.{m}=11;alert(11)\"> {i}",
    "script": "</script><script>window.{m}=12;alert(12)</script> {i}",
    "link": "[x](javascript:alert(13)) ![y](javascript:alert(13)) "
            "<a href=javascript:alert(13)>a</a> {i}",
    "myst": "{{{{ title }}}} {{raw}}`<b class=\"ws-pwned\">r</b>` {{eval-rst}}`x` {i}",
    "entity": "&lt;img src=x onerror=alert(14)&gt; &#60;b class=ws-pwned&#62; &amp;lt; {i}",
}
# The fixture's named speakers, the forms the texts print them in, and each one's side.
SPEAKERS = [
    ("Talia Renwick", "Talia Renwick;Renwick", "img"),
    ("Oskar Hallberg", "Oskar Hallberg;Hallberg", "script"),
    ("Marta Olin", "Marta Olin", "link"),
    ("Karl Mesner", "Karl Mesner", "img"),
    ("Priya Castellane", "Priya Castellane;Castellane", "myst"),
    ("Anders Kolb", "Anders Kolb;Kolb", "entity"),
    ("Ines Darrow", "Ines Darrow;Darrow", "script"),
]
SPEAKER_COLUMNS = ("name", "aliases", "kind", "role", "role_source", "institution",
                   "institution_source", "country", "country_source", "side")
# Lexicon: hostile labels on forms the fixture texts use, plus hostile forms no text has.
LEXICON = [
    ("act", "img", ["flood", "floods", "floodwaters"]),
    ("state", "script", ["government", "police"]),
    ("opposition", "myst", ["volunteers", "residents"]),
    ("act", "link", ["rescue", "rescuers"]),
    ("state", "entity", ["officials"]),
]
# Words of an article: a sentence the gazette adds and the courier copies from it.
ARTICLE_PAYLOAD = ("Harbour staff posted a note reading <img src=x onerror=alert(15)> "
                   "[x](javascript:alert(15)) {{ title }} {raw}`<b class=ws-pwned>` "
                   "&lt;script&gt; on the quay gate.")
ARTICLE_FILES = ("02_gazette.txt", "04_courier.txt")


def payload(kind: str, i: object = "") -> str:
    return HOSTILE[kind].format(m=MARK, i=i).strip()


def _write_csv(path: Path, fields, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fields))
        writer.writeheader()
        writer.writerows(rows)


def _manifest(target: Path) -> None:
    path = target / "manifest.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for i, row in enumerate(rows):
        for name, value in PAYLOADS.items():
            if name in fields:
                row[name] = value.format(m=MARK, i=i)
        if row["file"] in ARTICLE_FILES:
            text_path = target / "raw" / row["file"]
            text = text_path.read_text(encoding="utf-8").rstrip("\n")
            text_path.write_text(text + "\n\n" + ARTICLE_PAYLOAD + "\n", encoding="utf-8")
            row["sha256"] = hashlib.sha256(text_path.read_bytes()).hexdigest()
    _write_csv(path, fields, rows)


def _speakers(target: Path) -> None:
    rows = []
    for i, (name, aliases, side) in enumerate(SPEAKERS):
        row = {"name": f"{name} {payload(list(HOSTILE)[i % len(HOSTILE)], i)}",
               "aliases": f"{aliases};{payload('link', i)}", "kind": "person",
               "side": payload(side)}
        for j, field in enumerate(("role", "role_source", "institution", "institution_source",
                                   "country", "country_source")):
            row[field] = payload(list(HOSTILE)[(i + j) % len(HOSTILE)], f"{field} {i}")
        rows.append(row)
    _write_csv(target / "speakers" / "speakers.csv", SPEAKER_COLUMNS, rows)


def _lexicon(target: Path) -> None:
    rows = []
    for n, (group, kind, forms) in enumerate(LEXICON):
        label = payload(kind, f"label {n}")
        for form in forms + [payload(kind, f"form {n}").lower()]:
            rows.append({"group": group, "label": label, "surface": form,
                         "connotation": payload("entity", f"connotation {n}"),
                         "rationale": payload("script", f"rationale {n}")})
    _write_csv(target / "framing" / "labels.csv",
               ("group", "label", "surface", "connotation", "rationale"), rows)
    _write_csv(target / "framing" / "exceptions.csv", ("phrase", "label", "reason"),
               [{"phrase": "flood barrier", "label": payload("img", "label 0"),
                 "reason": payload("myst", "reason")}])


def _annotations(target: Path) -> None:
    """Hand annotations in the book's formats, taken from the method's own output on this
    folder (so they load), with a hostile note on every row and one disagreement per task (so
    the error tables have rows that name hostile speakers and labels)."""
    from analysis import framing, quotes
    from analysis.corpus import load_corpus
    from analysis.reuse import copied_edits

    corpus = load_corpus(target)
    q, r = quotes.find_quotes(corpus), quotes.find_reported(corpus)
    names = [row["name"] for row in csv.DictReader(
        (target / "speakers" / "speakers.csv").open(encoding="utf-8"))]
    rows = [{"type": "direct", "article_id": x.article_id, "sentence_ids": x.sentence_ids,
             "text": x.text, "kind": x.kind, "speaker": x.speaker, "cue": x.cue,
             "mention": x.mention, "note": payload("img", f"note q{n}")}
            for n, x in enumerate(q.itertuples())]
    rows += [{"type": "reported", "article_id": x.article_id, "sentence_ids": x.sentence_id,
              "text": "", "kind": "", "speaker": x.speaker, "cue": x.cue, "mention": x.mention,
              "note": payload("link", f"note r{n}")} for n, x in enumerate(r.itertuples())]
    rows = [row for row in rows if row["speaker"] in names]  # gold speakers are the table's
    first = rows[0]
    first["speaker"] = next(n for n in names if n != first["speaker"])  # one disagreement
    _write_csv(target / "annotations" / "quotes" / "quotes.csv",
               ("type", "article_id", "sentence_ids", "text", "kind", "speaker", "cue",
                "mention", "note"), rows)
    result = framing.analyse(corpus, q, copied_edits(corpus))
    uses = result.uses
    gold = []
    for n, u in enumerate(uses.itertuples()):
        before = uses[(uses["sentence_id"] == u.sentence_id) & (uses["start"] < u.start)]
        occurrence = 1 + int((before["surface"].str.lower() == u.surface.lower()).sum())
        voice = u.voice if n else {"own": "quoted", "quoted": "own"}[u.voice]
        gold.append({"article_id": u.article_id, "sentence_id": u.sentence_id,
                     "surface": u.surface, "occurrence": occurrence, "label": u.label,
                     "group": u.group, "voice": voice, "note": payload("myst", f"note f{n}")})
    _write_csv(target / "annotations" / "framing" / "labels_gold.csv",
               ("article_id", "sentence_id", "surface", "occurrence", "label", "group", "voice",
                "note"), gold)


def hostile_corpus(source: Path, target: Path, *, annotations: bool = True) -> Path:
    """Copy the corpus folder ``source`` to ``target`` with a payload in every free-text field:
    the manifest's (numbered, so labels stay distinct), a speakers table for the fixture's
    speakers, a framing lexicon with exceptions, a sentence of markup in two articles, and (with
    ``annotations``) quotation and label annotations in the book's formats."""
    shutil.copytree(source, target)
    _manifest(target)
    _speakers(target)
    _lexicon(target)
    if annotations:
        _annotations(target)
    return target


# --- the checks -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The pipeline's stored run of the hostile corpus, which the chapters read."""
    from analysis.present.book import open_run

    work = tmp_path_factory.mktemp("trust")
    return open_run(hostile_corpus(FIXTURE, work / "corpus"), work / "run")


@pytest.fixture(scope="module")
def corpus(run):
    return run.corpus()


@pytest.fixture(scope="module")
def voices_tables(run):
    from analysis.present import voices

    return voices.from_run(run)


# Markdown as MyST reads it in a {glue:md}: CommonMark with roles and substitutions.
_MYST = MarkdownIt("commonmark").use(myst_role_plugin).use(substitution_plugin)
_PLAIN = {"paragraph_open", "paragraph_close", "inline", "text", "em_open", "em_close",
          "strong_open", "strong_close", "code_inline", "softbreak"}


def _tokens(markdown: str):
    for token in _MYST.parse(markdown):
        yield token
        yield from token.children or ()


def markup_in(markdown: str) -> list[tuple[str, str]]:
    """What MyST makes of ``markdown`` besides text, emphasis and code: raw HTML, links, images,
    roles, substitutions, blocks (empty for plain prose)."""
    return [(t.type, t.content[:60]) for t in _tokens(markdown) if t.type not in _PLAIN]


def shown_text(markdown: str) -> str:
    """The text a reader sees (escapes and entities read back)."""
    return "".join(t.content for t in _tokens(markdown) if t.type in ("text", "code_inline"))


def test_voices_side_sentence_shows_sides_and_labels_as_written(corpus, voices_tables):
    from analysis.present import voices

    markdown = voices.side_prose(corpus, voices_tables)
    assert markup_in(markdown) == []
    k = voices.key_numbers(corpus, voices_tables)
    for name in ("top_side", "low_report", "low_report_leader"):
        assert MARK in k[name] or "&lt;" in k[name], name  # the payloads are what is tested
        assert k[name] in shown_text(markdown), name


@pytest.fixture(scope="module")
def glued_markdown(run, corpus, voices_tables) -> dict[str, str]:
    """Every value the chapters glue as Markdown that is computed from the corpus, taken from
    the functions the chapters call (the reuse chapter's own glue call is intercepted)."""
    from analysis.evaluation import framing as framing_gold
    from analysis.evaluation import quotes as quotes_gold
    from analysis.present import claims as show_claims
    from analysis.present import findings
    from analysis.present import framing as show_framing
    from analysis.present import reuse as show_reuse
    from analysis.present import voices

    tables = voices_tables
    out = {"voices-side-text": voices.side_prose(corpus, tables),
           "voices-table-text": voices.table_prose(tables),
           "voices-validation-md": voices.validation_prose(
               tables, quotes_gold.load_gold(corpus, tables.speakers))}
    glued: dict[str, str] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(show_reuse, "glue_values",
                      lambda values, markdown=False: glued.update(values) if markdown else None)
        show_reuse.glue_chapter(corpus, show_reuse.results_from_run(run, corpus), None)
    out |= glued
    out |= {k: v for k, v in show_claims.key_numbers(
        corpus, run.table("claims"), run.table("claim_comparison"), run.table("events"),
        run.table("directions")).items() if k.endswith(("_md", "-md"))}
    out |= voices.chapter_prose(corpus, voices_tables)
    out["voices-how-md"] = voices.method_prose(corpus, voices_tables)["voices-how-md"]
    out |= {"figures_md": show_claims.figures_markdown(corpus, run.table("claims")),
            "dating_md": show_claims.dating_markdown(corpus, run.table("events"))}
    from analysis.present import corpus as overview
    out |= overview.chapter_prose(corpus)
    tables = show_framing.from_run(run)
    gold = framing_gold.load_gold(corpus, tables.lexicon)
    out |= {k: v for k, v in show_framing.key_numbers(
        corpus, tables, framing_gold.evaluate(tables.uses, gold)).items()
        if k.endswith(("_md", "-md"))}
    from analysis.present import cards
    out |= {k: v for k, v in cards.book_values(cards.from_run(run)).items()
            if k.endswith(("_md", "-md"))}
    return out | findings.findings(run).text


MARKDOWN_VALUES = [
    "voices-side-text", "voices-table-text", "voices-validation-md",
    "intro-md", "containment-md", "spelling-md", "common-md", "edits-md", "validation-md",
    "synthetic-md", "calibration-md", "sizes-md", "map-md", "labels-md", "edit-counts-md",
    "agree_md", "sum_md", "contested_md", "top_toll_md", "tallies_md", "verdicts_md",
    "single_md", "claims_md", "denied_md", "timeline_md", "dated_md",
    "voices-intro-md", "voices-top-md", "voices-quotes-md", "voices-problems-md",
    "corpus-opening-md", "corpus-size-md", "corpus-cleaning-md", "corpus-apostrophes-md",
    "corpus-split-md", "corpus-boilerplate-md",
    "fr_label_keyness_md", "fr_validation_md", "fr_opposition_md", "fr_state_md", "fr_act_md",
    "fr_edits_md", "fr_lexicon_md", "fr_finding_md", "fr_uses_md", "fr_exceptions_md",
    "fr_stance_md", "fr_keyness_tests_md", "fr_keyness_words_md", "fr_opening_md",
    "figures_md", "dating_md", "voices-how-md", "cards_summary_md",
    "finding-reuse", "finding-numbers", "finding-voices", "finding-framing", "finding-spin"]


@pytest.mark.parametrize("name", MARKDOWN_VALUES)
def test_glued_markdown_is_plain_text(glued_markdown, name):
    assert name in glued_markdown
    assert markup_in(glued_markdown[name]) == [], name


def test_glued_method_lists_are_lists_of_plain_text(run, corpus, voices_tables):
    """The two method lists glued as blocks: bullet items of plain text, nothing else."""
    from analysis.present import claims as show_claims
    from analysis.present import voices

    lists = {"method_md": show_claims.method_markdown(corpus),
             "voices-limits-md": voices.method_prose(corpus, voices_tables)["voices-limits-md"]}
    for name, markdown in lists.items():
        extra = [m for m in markup_in(markdown)
                 if m[0] not in ("bullet_list_open", "bullet_list_close", "list_item_open",
                                 "list_item_close")]
        assert extra == [], name


def test_every_glued_markdown_value_is_checked(glued_markdown):
    assert set(glued_markdown) - {k for k in glued_markdown if not glued_markdown[k]} <= set(
        MARKDOWN_VALUES), "a chapter glues Markdown this test does not check"


def test_article_words_quoted_in_prose_show_as_written(glued_markdown):
    """The reuse chapter quotes words only the later of two texts has; here they are the
    gazette's sentence of markup, which the courier copies."""
    shown = shown_text(glued_markdown["common-md"])
    assert "<img src=x onerror=alert(15)>" in shown and "{{ title }}" in shown


def test_labels_of_a_corpus_lexicon_show_as_written(glued_markdown):
    shown = " ".join(shown_text(glued_markdown[k]) for k in ("fr_opposition_md", "fr_state_md",
                                                             "fr_act_md"))
    assert payload("img", "label 0") in shown or payload("myst", "label 2") in shown


# Where a corpus string may sit in a chart spec: as data. These keys hold Vega expressions or
# field names, which Vega reads as code or paths.
_EXPRESSION_KEYS = {"expr", "calculate", "filter", "test", "labelExpr", "signal", "field"}
_HOSTILE_MARKS = re.compile(r"alert\(|__wirespin|ws-pwned|javascript:|\{\{|&lt;")


def _expressions(spec):
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in _EXPRESSION_KEYS and isinstance(value, str):
                yield value
            yield from _expressions(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _expressions(value)


def test_charts_carry_corpus_strings_as_data_only(run, corpus, voices_tables):
    import json

    from analysis.present import corpus as overview
    from analysis.present import framing as show_framing
    from analysis.present import voices

    tables = show_framing.from_run(run)
    charts = {"side": voices.side_chart(corpus, voices_tables),
              "speakers": voices.speaker_chart(corpus, voices_tables),
              "timeline": overview.timeline_chart(corpus),
              "lengths": overview.length_chart(corpus),
              "choices": show_framing.choice_chart(corpus, tables.lexicon, tables.counts),
              "label keyness": show_framing.keyness_chart(corpus, show_framing.top_labels(tables),
                                                          term="label")}
    for name, chart in charts.items():
        spec = chart.to_dict()
        assert _HOSTILE_MARKS.search(json.dumps(spec)), f"{name}: no corpus string to test"
        code = [e for e in _expressions(spec) if _HOSTILE_MARKS.search(e)]
        assert not code, f"{name}: corpus strings in Vega expressions or fields: {code}"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.handlers = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def test_tables_show_corpus_strings_as_text(run, corpus, voices_tables):
    """Voices and framing tables, as the page shows them: only table elements, every cell text
    (publish.Table escapes text cells; a list or other object in a cell would not be)."""
    from analysis.evaluation import quotes as quotes_gold
    from analysis.present import framing as show_framing
    from analysis.present import voices
    from analysis.present.publish import Table

    said = voices_tables
    gold = quotes_gold.load_gold(corpus, said.speakers)
    tables = show_framing.from_run(run)
    frames = {"quotes": voices.quote_table(corpus, said.quotes),
              "problems": voices.problem_table(corpus, said.problems),
              "speakers": voices.speaker_table(corpus, said),
              "validation": voices.validation_table(said, gold),
              "errors": quotes_gold.error_table(corpus, voices.settings(said)["without table"],
                                                gold),
              "lexicon": show_framing.lexicon_table_used_first(tables.lexicon, tables.uses),
              "quoted uses": show_framing.quoted_uses(corpus, tables.uses)}
    seen = 0
    for name, frame in frames.items():
        cells = {type(v) for column in frame.columns for v in frame[column]}
        assert cells <= {str, int, float, bool, type(None)}, (name, cells)
        page = Table(frame.reset_index(drop=True), "tab-x")._repr_html_()
        parser = _Tags()
        parser.feed(page)
        assert parser.tags <= {"style", "table", "thead", "tbody", "tr", "th", "td"}, name
        assert not parser.handlers, name
        seen += MARK in frame.to_csv()
    assert seen >= 4, "the tables held too few corpus strings to test"
