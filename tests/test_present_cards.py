"""Article cards: one card per article from the stored run, for the book, cards.html and cards.csv.

Content checks run on the book's five texts (the facts each card must state are read from the
run's own tables, not typed in), then on the fixture corpus, on a folder whose articles copy
nothing and quote no one, and on the hostile corpus (every manifest and table value a payload).
"""

from __future__ import annotations

import csv
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import shared
from analysis.present import cards
from analysis.store import StoredRun

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"
BOOK_IDS = ("afp", "toi", "voa", "anon-003", "anon-004")


class Page(HTMLParser):
    """The elements, attributes and text of an HTML page."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self._style = False
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style:
            self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def card(deck: cards.Deck, label: str) -> cards.Card:
    (found,) = [c for c in deck.cards if c.label == label]
    return found


def section(html_text: str, title: str) -> str:
    """The HTML of one card section, from its heading to the next."""
    start = html_text.index(f"<h3>{title}</h3>")
    end = html_text.find("<h3>", start + 4)
    return html_text[start:end if end > 0 else None]


@pytest.fixture(scope="module")
def deck(book_run) -> cards.Deck:
    return cards.from_run(book_run)


@pytest.fixture(scope="module")
def labels(book_run) -> dict[str, str]:
    a = book_run.table("articles")
    return dict(zip(a["article_id"], a["label"]))


# --- The five texts -------------------------------------------------------------------------

def test_one_card_per_article_in_run_order(deck, book_run):
    assert [c.article_id for c in deck.cards] == list(book_run.table("articles")["article_id"])


def test_times_of_israel_names_its_source_and_share(deck, book_run, labels):
    toi = card(deck, "Times of Israel")
    passages = book_run.table("passages")
    primary = passages[passages["primary"] & (passages["target_id"] == "toi")]
    source = primary.groupby("source_id")["aligned_words"].sum().idxmax()
    assert labels[source] == "AFP wire"
    (src,) = toi.sources
    assert src.label == "AFP wire" and len(src.passages) == len(primary)
    share = book_run.table("composition").set_index("article_id").loc["toi", "derived_share"]
    assert src.share == pytest.approx(share, abs=0.001)  # all its copied words are AFP's
    html_text = cards.card_html(toi, 2)
    assert f"From <strong>AFP wire</strong>: {100 * share:.0f}% of its words" in html_text
    for n in src.passages:  # each passage link lands on a passage shown on the card
        assert f'href="#ws-card-2-p{n}"' in html_text and f'id="ws-card-2-p{n}"' in html_text


def test_passages_on_the_card_are_the_copied_text(deck, book_run):
    text = book_run.table("articles").set_index("article_id").loc["toi", "text"]
    for p in card(deck, "Times of Israel").passages:
        assert p.text == text[p.start:p.end] and p.source_label == "AFP wire"
    assert not card(deck, "AFP wire").passages and not card(deck, "VOA").passages


def test_afp_wire_is_copied_by_times_of_israel(deck):
    afp = card(deck, "AFP wire")
    assert [who for who, _ in afp.copied_by] == ["Times of Israel"]
    assert not afp.sources


def test_unattributed_003_lists_label_edits_first(deck, book_run):
    c = card(deck, "Unattributed (003)")
    framing = book_run.table("framing_edits")
    assert len(c.label_edits) == (framing["target_id"] == "anon-003").sum() > 0
    assert c.content_edits, "the run has other content edits in its copied text"
    items = re.findall(r"<li>(.*?)</li>", section(cards.card_html(c, 3),
                                                   "Edits inside the copied text"))
    is_label = [i.startswith('<span class="ws-label">') for i in items]
    assert is_label == [True] * len(c.label_edits) + [False] * len(c.content_edits)
    assert any("‘rebel-held’ → ‘militant-held’" in i for i in items[:len(c.label_edits)])


def test_unattributed_003_says_whose_wording_it_carries(deck, book_run):
    c = card(deck, "Unattributed (003)")
    row = book_run.table("common_source").iloc[0]
    assert row["target"] == "anon-003" and row["verdict"].endswith("copied toi's wording, not "
                                                                   "afp's")
    (sentence,) = c.common_source
    assert sentence.endswith("it copied Times of Israel's text, not AFP wire's.")


def test_figures_inside_one_copy_group_are_not_independent(deck, book_run):
    from analysis.independence import copy_groups

    groups = copy_groups(book_run.table("articles")["article_id"], book_run.table("directions"))
    assert groups["afp"] == groups["toi"] != groups["voa"]
    toi = card(deck, "Times of Israel")
    refugees = [f for f in toi.figures if "3.6 million" in f.surface]
    assert refugees and refugees[0].same_group == ("AFP wire",)
    assert not refugees[0].independent and refugees[0].copied_from == "AFP wire"
    html_text = cards.card_html(toi, 2)
    line = next(li for li in re.findall(r"<li>(.*?)</li>", html_text) if "3.6 million" in li)
    assert "not independently confirmed" in line and "independently confirmed</span> by" \
        not in line
    for c in deck.cards:  # no figure of the five texts is confirmed by its own group alone
        for f in c.figures:
            assert set(f.independent).isdisjoint(c.group_labels)
            assert set(f.same_group) <= set(c.group_labels)


def test_33_soldiers_killed_is_confirmed_by_texts_that_do_not_copy_each_other(deck):
    for who, other in (("VOA", "Unattributed (004)"), ("Unattributed (004)", "VOA")):
        c = card(deck, who)
        killed = [f for f in c.figures if f.surface.startswith("33")]
        assert killed and killed[0].independent == (other,), (who, killed)
        assert other not in c.group_labels
        assert (f'independently confirmed</span> by {other}'
                in cards.card_html(c, 1).replace("&#x27;", "'"))


def test_quotes_inside_copied_text_are_not_distinct_utterances(deck, book_run):
    toi = card(deck, "Times of Israel")
    quotes = book_run.table("quotes")
    assert toi.n_quotes == (quotes["article_id"] == "toi").sum()
    assert 0 < toi.n_quotes_repeated <= toi.n_quotes
    akar = next(v for v in toi.voices if v.speaker == "Hulusi Akar")
    assert akar.repeated and akar.repeated_from == ("AFP wire",)
    afp = card(deck, "AFP wire")
    assert afp.n_quotes_repeated == 0 and afp.n_utterances_repeated == 0
    for c in deck.cards:  # every unit is either the article's own or repeated, once
        units = pd.concat([quotes[quotes["article_id"] == c.article_id][["sentence_id",
                                                                          "speaker"]],
                           book_run.table("reported_speech").query(
                               "article_id == @c.article_id")[["sentence_id", "speaker"]]])
        units = units[units["speaker"] != "unknown"].drop_duplicates()
        assert c.n_utterances + c.n_utterances_repeated == len(units)


def test_spin_flags_in_copied_text_are_the_sources(deck, book_run):
    toi, spun = card(deck, "Times of Israel"), book_run.table("spin_scores")
    assert toi.spin["n_flags"] == len(toi.flags)
    copied = [f for f in toi.flags if f.copied_from]
    assert copied and {f.copied_from for f in copied} == {"AFP wire"}
    decided = spun.set_index("article_id")["spun"]
    for c in deck.cards:
        assert c.spin["spun"] == decided[c.article_id]
        assert ("called spun</span>" in cards.card_html(c, 1)) == bool(decided[c.article_id])


def test_no_internal_id_in_reader_text(deck):
    page = Page(cards.page_html(deck))
    for aid in BOOK_IDS:
        assert not re.search(rf"(?<![\w-]){re.escape(aid)}(?![\w-])", page.plain), aid
    assert not re.search(r"\b[a-z]+(-\d+)?-[spq]\d\d\b", page.plain), "a sentence or quote id"
    assert "turkish-government" not in page.plain and "outlet" not in page.plain
    for _, attrs in page.tags:  # ids only in anchors, and those are numbers
        for name, value in attrs:
            if name in ("id", "href") and value and value.startswith(("#", "ws-")):
                assert re.fullmatch(r"#?ws-card-\d+(-p\d+)?", value), value


def test_csv_row_matches_the_card(deck):
    frame = deck.frame()
    assert list(frame.columns) == list(cards.CSV_COLUMNS)
    toi = frame.set_index("article_id").loc["toi"]
    c = card(deck, "Times of Israel")
    assert toi["main_source_id"] == "afp" and toi["n_passages"] == len(c.passages)
    assert toi["n_label_edits"] == len(c.label_edits)
    voa = frame.set_index("article_id").loc["voa"]
    assert voa["n_figures_independent"] >= 1 and voa["n_sources"] == 0


def test_book_page_and_file_show_the_same_cards(deck):
    book = deck.for_book()._repr_html_()
    page = cards.page_html(deck)
    assert cards.deck_html(deck) in page
    assert book.replace(f'<p class="ws-quiet">Side by side with their sources, edits marked: '
                        f'<a href="{cards.REUSE_SECTION}">the copied passages in chapter 2</a>'
                        f'.</p>\n', "") == cards.deck_html(deck)
    assert cards.REUSE_SECTION in book and cards.REUSE_SECTION not in page


# --- The run writes the cards ---------------------------------------------------------------

def test_the_run_writes_cards_html_and_csv(book_run):
    page, table = book_run.path / "cards.html", book_run.path / "cards.csv"
    assert page.is_file() and table.is_file()
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert [r["article_id"] for r in rows] == list(book_run.table("articles")["article_id"])
    assert list(rows[0]) == list(cards.CSV_COLUMNS)
    readme = (book_run.path / "README.md").read_text(encoding="utf-8")
    assert "## Article cards" in readme
    assert all(f"- `{name}`: " in readme for name in cards.CSV_COLUMNS)
    assert page.read_text(encoding="utf-8") == cards.page_html(cards.from_run(book_run))


def test_a_run_goes_again_into_a_folder_holding_cards(tmp_path):
    from analysis import pipeline

    root = tmp_path / "corpus"
    _plain_corpus(root)
    out = tmp_path / "run"
    pipeline.run(root, out, stages=("load",))
    assert (out / "cards.html").is_file()
    again = pipeline.run(root, out, stages=("load",))  # OWN_NAMES accepts the cards
    assert (again.path / "cards.csv").is_file()


# --- Other folders --------------------------------------------------------------------------

def test_fixture_cards_follow_its_own_data(tmp_path):
    run = shared.run(str(FIXTURE), str(tmp_path / "run"))
    deck = cards.from_run(run)
    assert len(deck.cards) == len(run.table("articles"))
    courier = card(deck, "Courier")
    assert courier.sources and courier.sources[0].label == "Gazette"
    assert any(who == "Courier" for who, _ in card(deck, "Gazette").copied_by)
    page = Page((run.path / "cards.html").read_text(encoding="utf-8")).plain
    assert "Courier" in page and "From Gazette" in page


def _plain_corpus(root: Path) -> Path:
    """Two short articles that share no passage and quote no one."""
    texts = {"a.txt": "Rain fell on the valley for three days. The river rose two metres and "
                      "farmers moved their herds to higher fields before the bridge closed.\n",
             "b.txt": "A new library opened in the old market hall. It holds twelve thousand "
                      "books and a reading room with forty seats for pupils and visitors.\n"}
    (root / "raw").mkdir(parents=True)
    rows = []
    for k, (name, text) in enumerate(texts.items()):
        (root / "raw" / name).write_text(text, encoding="utf-8")
        rows.append({"id": f"art-{k}", "file": name,
                     "sha256": hashlib.sha256(text.encode()).hexdigest(),
                     "label": f"Paper {k}", "outlet": "unattributed", "outlet_evidence": "",
                     "headline": "", "date": f"2024-01-0{k + 1}", "date_basis": "stated: test",
                     "dateline": "", "agency": "", "notes": ""})
    with (root / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return root


def test_articles_that_copy_nothing_and_quote_no_one(tmp_path):
    run = shared.run(str(_plain_corpus(tmp_path / "corpus")), str(tmp_path / "run"))
    deck = cards.from_run(run)
    assert [c.label for c in deck.cards] == ["Paper 0", "Paper 1"]
    for c in deck.cards:
        assert not c.sources and not c.passages and not c.voices and not c.copied_by
        html_text = cards.card_html(c, 1)
        assert "It copies no passage from an earlier article" in html_text
        assert "No quotation or reported speech" in html_text
    assert len(pd.read_csv(run.path / "cards.csv")) == 2


def test_a_run_with_only_the_load_stage_still_has_cards(tmp_path):
    from analysis import pipeline

    run = pipeline.run(_plain_corpus(tmp_path / "corpus"), tmp_path / "run", stages=("load",))
    deck = cards.from_run(StoredRun.open(run.path))
    assert len(deck.cards) == 2 and all(not c.figures and not c.spin for c in deck.cards)


# --- Hostile values -------------------------------------------------------------------------

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p",
                "div", "nav", "ul", "li", "a", "section", "strong", "span", "details", "summary",
                "blockquote"}


def test_hostile_labels_and_values_are_escaped(tmp_path):
    from test_trust_voices import ARTICLE_PAYLOAD, MARK, PAYLOADS, hostile_corpus, payload

    corpus = hostile_corpus(FIXTURE, tmp_path / "corpus", annotations=False)
    run = shared.run(str(corpus), str(tmp_path / "run"))
    source = (run.path / "cards.html").read_text(encoding="utf-8")
    page = Page(source)
    assert {tag for tag, _ in page.tags} <= ALLOWED_TAGS
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert value and value.startswith("#"), value
    assert MARK not in "".join(re.findall(r"<[^>]*>", source)), "a payload inside a tag"
    label = PAYLOADS["label"].format(m=MARK, i=0)
    shown = [label, payload("script", "label 1"), payload("myst", "label 2"),  # lexicon
             ARTICLE_PAYLOAD.split(" {raw}")[0]]  # words of a copied passage
    for value in shown:  # shown as the text it is
        assert " ".join(value.split()) in page.plain, value
    assert "<script>" not in source.lower() and "<img" not in source.lower()
    speakers = [v.speaker for c in cards.from_run(run).cards for v in c.voices]
    assert any(MARK in s for s in speakers), "the hostile speakers reached no card"


def test_a_large_copy_group_is_named_in_part(deck):
    from dataclasses import replace

    big = replace(card(deck, "AFP wire"),
                  group_labels=tuple(f"Paper {i}" for i in range(cards.MAX_NAMED)),
                  group_size=cards.MAX_NAMED + 8)
    text = Page(cards.card_html(big, 1)).plain
    assert f"Paper {cards.MAX_NAMED - 1} and seven other articles (texts joined" in text
