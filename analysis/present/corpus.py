"""The corpus at a glance: the article table, timeline, lengths and the cleaning audit."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from analysis.corpus import Corpus
from analysis.present import for_book_only, is_book_corpus
from analysis.present.publish import plain_markdown
from analysis.present.words import capital, count, join, number, verb


def article_table(corpus: Corpus) -> pd.DataFrame:
    """One row per article, in publication order, for the reader."""
    a = corpus.articles
    return pd.DataFrame({
        "id": a["id"],
        "label": a["label"],
        "outlet": a["outlet"],
        "date": a["date"].dt.strftime("%Y-%m-%d"),
        "date basis": a["date_basis"].str.split(":").str[0],
        "headline": a["headline"].replace("", "(none in the file)"),
        "words": a["n_words"],
        "sentences": a["n_sentences"],
    })


def timeline_chart(corpus: Corpus) -> alt.Chart:
    """Publication dates, one row per article; colour and shape say if the date is inferred."""
    data = timeline_data(corpus)
    pad = pd.Timedelta(days=1)
    domain = [(data["date"].min() - pad).isoformat(), (data["date"].max() + pad).isoformat()]
    kinds = [k for k in ("stated", "inferred") if k in set(data["basis"])]
    colours = {"stated": "#0072B2", "inferred": "#E69F00"}
    basis = alt.Scale(domain=kinds, range=[colours[k] for k in kinds])
    return (
        alt.Chart(data)
        .mark_point(size=170, filled=True, opacity=1)
        .encode(
            x=alt.X("date:T", title="Publication date", scale=alt.Scale(domain=domain),
                    axis=alt.Axis(format="%d %b", tickCount="day", labelAngle=0)),
            y=alt.Y("label:N", title=None, sort=list(data["label"])),
            color=alt.Color("basis:N", title="Date is", scale=basis,
                            legend=alt.Legend(orient="bottom")),
            shape=alt.Shape("basis:N", title="Date is",
                            scale=alt.Scale(domain=kinds)),
            tooltip=[alt.Tooltip("label:N", title="Report"),
                     alt.Tooltip("date:T", format="%d %b %Y", title="Date"),
                     alt.Tooltip("basis:N", title="Date is"),
                     alt.Tooltip("headline:N", title="Headline")],
        )
        .properties(width=560, height=170)
    )


def timeline_data(corpus: Corpus) -> pd.DataFrame:
    a = corpus.articles
    return pd.DataFrame({
        "id": a["id"], "label": a["label"], "date": a["date"],
        "basis": a["date_basis"].str.split(":").str[0],
        "headline": a["headline"].replace("", "(no headline)"),
    })


def length_data(corpus: Corpus) -> pd.DataFrame:
    a = corpus.articles
    return pd.DataFrame({"id": a["id"], "label": a["label"], "words": a["n_words"],
                         "sentences": a["n_sentences"], "paragraphs": a["n_paragraphs"]})


def length_chart(corpus: Corpus) -> alt.Chart:
    """Words per article after cleaning, in publication order."""
    data = length_data(corpus)
    order = list(data["label"])
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("words:Q", title="Words after cleaning"),
        y=alt.Y("label:N", title=None, sort=order),
        color=alt.Color("label:N", legend=None, sort=order),
        tooltip=["label:N", "words:Q", "sentences:Q", "paragraphs:Q"],
    )
    labels = bars.mark_text(align="left", dx=4, color="#222").encode(
        text="words:Q", color=alt.value("#222"))
    return (bars + labels).properties(width=520, height=170)


# What each cleaning step does, in four kinds a reader can tell apart in one chart.
STEP_KINDS = {
    "metadata_prefix": "metadata to manifest", "headline": "metadata to manifest",
    "date_line": "metadata to manifest",
    "newsletter": "boilerplate removed", "comment_form": "boilerplate removed",
    "source_line": "boilerplate removed", "contributor_credit": "boilerplate removed",
    "nbsp": "scraper damage repaired", "run_together": "scraper damage repaired",
    "apostrophe": "scraper damage repaired",
    "wire_signature": "boilerplate removed", "newsletter_promo": "boilerplate removed",
    "script": "boilerplate removed", "advertisement": "boilerplate removed",
    "share_buttons": "boilerplate removed", "photo_credit": "boilerplate removed",
    "gallery_counter": "boilerplate removed", "navigation": "boilerplate removed",
    "reflow": "white space normalized",
    "whitespace": "white space normalized", "unicode_spaces": "white space normalized",
    "invisible_characters": "look-alike characters normalized",
    "compatibility_characters": "look-alike characters normalized",
    "canonical_composition": "look-alike characters normalized",
    "decode": "file format repaired", "byte_order_mark": "file format repaired",
    "line_endings": "file format repaired", "control_characters": "file format repaired",
}


def step_kind(step: str) -> str:
    """The kind of a (possibly merged, ``a+b``) cleaning step: its first named step's kind."""
    return STEP_KINDS.get(step.split("+")[0], "other")


def audit_summary(corpus: Corpus) -> pd.DataFrame:
    """Changes per article and cleaning step: how many, characters removed and inserted."""
    e = corpus.edits.assign(
        chars_removed=corpus.edits["removed"].str.len(),
        chars_inserted=corpus.edits["inserted"].str.len(),
    )
    labels = corpus.articles.set_index("id")["label"]
    out = (e.groupby(["article_id", "step", "reason"], as_index=False)
           .agg(changes=("step", "size"), chars_removed=("chars_removed", "sum"),
                chars_inserted=("chars_inserted", "sum")))
    out.insert(1, "label", out["article_id"].map(labels))
    out.insert(3, "kind", out["step"].map(step_kind))
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    return out.sort_values(["article_id", "step"], key=lambda s: s.map(order)
                           if s.name == "article_id" else s).reset_index(drop=True)


def audit_chart(corpus: Corpus) -> alt.Chart:
    """Changes per article, stacked by kind of cleaning step (the tooltip names the step)."""
    data = audit_summary(corpus)
    order = list(corpus.articles["label"])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("sum(changes):Q", title="Changes recorded in the audit"),
            y=alt.Y("label:N", title=None, sort=order),
            color=alt.Color("kind:N", title="Kind of change",
                            sort=sorted(set(STEP_KINDS.values())),
                            legend=alt.Legend(orient="bottom", columns=2)),
            tooltip=["label:N", "kind:N", "step:N", "reason:N", "changes:Q", "chars_removed:Q",
                     "chars_inserted:Q"],
        )
        .properties(width=520, height=170)
    )


# The order a reader meets the kinds of change in: what left the body first, repairs last.
KIND_ORDER = ("metadata to manifest", "boilerplate removed", "scraper damage repaired",
              "look-alike characters normalized", "white space normalized", "other")


def removed_text(corpus: Corpus) -> pd.DataFrame:
    """Every change that removed or rewrote words (not only white space), with its offsets.

    Rows come by kind of change (metadata and boilerplate first, small repairs last), then in
    publication order and place in the file."""
    e = corpus.edits
    visible = e["removed"].str.strip().ne("") | e["inserted"].str.strip().ne("")
    out = e.loc[visible, ["article_id", "step", "raw_start", "raw_end", "removed", "inserted"]]
    out = out.rename(columns={"article_id": "article"})
    out.insert(1, "label", out["article"].map(corpus.articles.set_index("id")["label"]))
    out.insert(2, "kind", out["step"].map(step_kind))
    position = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    keys = pd.DataFrame({"kind": out["kind"].map(rank), "article": out["article"].map(position),
                         "start": out["raw_start"]})
    return out.loc[keys.sort_values(["kind", "article", "start"]).index].reset_index(drop=True)


REMOVED_COLUMNS = {"label": "Report", "kind": "Kind of change", "step": "Cleaning step",
                   "raw_start": "From (raw offset)", "raw_end": "To", "removed": "Text removed",
                   "inserted": "Text inserted"}
ARTICLE_COLUMNS = {"label": "Report", "outlet": "Outlet", "date": "Date",
                   "date basis": "Date is", "headline": "Headline", "words": "Words",
                   "sentences": "Sentences"}


BOILERPLATE_STEPS = ("newsletter", "comment_form", "source_line", "contributor_credit",
                     "newsletter_promo", "script", "advertisement", "share_buttons",
                     "photo_credit", "gallery_counter", "navigation", "wire_signature")


def _long_date(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%B %Y}"


def key_numbers(corpus: Corpus) -> dict[str, object]:
    """The numbers the corpus chapter states in prose, by glue name."""
    a, e = corpus.articles, corpus.edits
    longest, shortest = a.loc[a["n_words"].idxmax()], a.loc[a["n_words"].idxmin()]
    steps = e["step"].str.split("+")
    count = lambda name: int(steps.apply(lambda s: name in s).sum())  # noqa: E731
    return {
        "n_articles": len(a),
        "total_words": int(a["n_words"].sum()),
        "total_sentences": int(a["n_sentences"].sum()),
        "first_date": _long_date(a["date"].min()),
        "last_date": _long_date(a["date"].max()),
        "span_days": int((a["date"].max() - a["date"].min()).days),
        "n_inferred_dates": int(a["date_basis"].str.startswith("inferred").sum()),
        "longest_label": longest["label"], "longest_words": int(longest["n_words"]),
        "shortest_label": shortest["label"], "shortest_words": int(shortest["n_words"]),
        "n_unattributed": int((a["outlet"] == "unattributed").sum()),
        "n_changes": len(e),
        "chars_removed": int(e["removed"].str.len().sum()),
        "n_apostrophes": count("apostrophe"),
        "n_run_together": count("run_together"),
        "n_nbsp": count("nbsp"),
        "n_boilerplate": sum(count(s) for s in BOILERPLATE_STEPS),
        "n_headlines": count("headline"),
        "pct_whitespace_removed": _pct_whitespace(e["removed"]),
    }


def _pct_whitespace(removed: pd.Series) -> int:
    """Percentage of the removed characters that are white space (0 when nothing was removed)."""
    text = "".join(removed)
    return round(100 * sum(c.isspace() for c in text) / len(text)) if text else 0


# Sentences that hold only for the book's own five texts (glued with glue:md, empty elsewhere).
BOOK_CONTEXT = ("In those days the confrontation between Turkey and the Russian-backed Syrian "
                "government over Idlib went from talks to the deadliest single attack on the "
                "Turkish army in years.")
NBSP_NOTE = ", most of them standing for paragraph breaks,"


def book_notes(corpus: Corpus) -> dict[str, str]:
    """Markdown the chapter glues by name: the book's own context, or ``""`` for any other
    corpus."""
    return {"book_context": for_book_only(corpus, BOOK_CONTEXT),
            "nbsp_note": for_book_only(corpus, NBSP_NOTE)}


# What each boilerplate step removed, as the chapter lists it (other steps: the audit's reason).
BOILERPLATE_NAMES = {"newsletter": "a newsletter sign-up", "comment_form": "a comment-form trailer",
                     "source_line": "a source line", "contributor_credit": "a contributor credit",
                     "newsletter_promo": "a newsletter promotion", "script": "page script",
                     "advertisement": "an advertisement marker",
                     "share_buttons": "a row of share buttons", "photo_credit": "a photo credit",
                     "gallery_counter": "a gallery counter", "navigation": "a navigation line",
                     "wire_signature": "a wire signature"}


def boilerplate_kinds(corpus: Corpus) -> list[str]:
    """The kinds of boilerplate the cleaning removed from this corpus, in the order of
    :data:`BOILERPLATE_STEPS` (a step that removed nothing is not named)."""
    steps = corpus.edits["step"].str.split("+")
    reasons = corpus.edits.assign(first=steps.str[0]).drop_duplicates("first").set_index(
        "first")["reason"]
    return [BOILERPLATE_NAMES.get(step, str(reasons[step])) for step in BOILERPLATE_STEPS
            if steps.apply(lambda s, step=step: step in s).any()]


def _words_around(raw: str, start: int, end: int) -> tuple[str, str]:
    """The word (with its trailing punctuation) that ends at ``start`` and the word that starts
    at ``end`` in ``raw``."""
    before = re.search(r"\w+[^\w\s]*$", raw[:start])
    after = re.match(r"[^\w\s]*\w+", raw[end:])
    return (before.group(0) if before else "", after.group(0) if after else "")


def repair_example(corpus: Corpus, step: str) -> tuple[str, str] | None:
    """One repair of ``step`` ("apostrophe", "run_together") as found in this corpus: the raw
    words and the repaired ones, or None when the step changed nothing here.

    Preferred: a repair between plain words (an apostrophe after a capitalised word, a run-on
    after a full stop), else the first one in publication order and place in the file."""
    e = corpus.edits[corpus.edits["step"].str.split("+").apply(lambda s: step in s)]
    raw = corpus.articles.set_index("id")["raw_text"]
    order = {aid: i for i, aid in enumerate(corpus.articles["id"])}
    e = e.assign(rank=e["article_id"].map(order)).sort_values(["rank", "raw_start"])
    found = []
    for row in e.itertuples():
        left, right = _words_around(raw[row.article_id], row.raw_start, row.raw_end)
        if step == "apostrophe":
            shown = (left + row.removed, left + row.inserted)
            plain = left[:1].isupper() and left.isalpha()
        else:
            shown = (left + row.removed + right, left + row.inserted.strip() + right)
            plain = bool(re.fullmatch(r"\w+[.!?]", left)) and right[:1].isupper()
        if "`" in "".join(shown) or "\n" in shown[0]:
            continue
        found.append((not plain, shown))
    return min(found, key=lambda f: f[0])[1] if found else None


def _folded(text: str) -> str:
    """``text`` with curly quotes and apostrophes straightened and white space collapsed, so
    an example is found however the texts print it."""
    text = (text.replace("\u2019", "'").replace("\u2018", "'")
            .replace("\u201c", '"').replace("\u201d", '"'))
    return re.sub(r"\s+", " ", text)


def found_examples(corpus: Corpus, examples: list[str]) -> list[str]:
    """The ``examples`` printed in some text of ``corpus`` (as whole words; a trailing ``...``
    is not looked up), in the order given: a chapter quotes an example only where it is there."""
    texts = _folded("\n".join(corpus.articles["text"]))
    out = []
    for example in examples:
        needle = _folded(example.removesuffix("...").strip())
        if re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", texts):
            out.append(example)
    return out


def examples_markdown(corpus: Corpus, template: str) -> str:
    """``template`` with each ``{{a|b|...}}`` replaced by the examples of it found in the corpus,
    as `` (*a*, *b*)``, or by nothing when none is found; a ``{{a&b}}`` shows as `` (*a* and
    *b*)`` only when every one of them is found (a pair that makes sense only together)."""
    def group(match: re.Match) -> str:
        every = "&" in match.group(1)
        wanted = match.group(1).split("&" if every else "|")
        found = found_examples(corpus, wanted)
        if not found or (every and len(found) < len(wanted)):
            return ""
        shown = [f"*{plain_markdown(x)}*" for x in found]
        return f" ({join(shown) if every else ', '.join(shown)})"

    return re.sub(r"\s*\{\{([^}]+)\}\}", group, template)


def realnews_markdown(corpus: Corpus, task: str) -> str:
    """The chapter's sentence on held-out real news (:mod:`analysis.present.realnews`), as
    Markdown; where no score is recorded, the clause that the chapter's figures are the five
    texts' in-sample ones is kept for the five texts only."""
    from analysis.present import realnews

    if is_book_corpus(corpus) or not realnews.scores(task).empty:
        return plain_markdown(realnews.sentence(task))
    name = realnews.TASK_NAMES.get(task, task)
    return plain_markdown(f"No score on held-out real news is recorded for {name}.")


def text_noun(corpus: Corpus) -> str:
    """What the chapters call one text: the book's five are *reports* of one story; another
    folder's texts are *articles*, with no story assumed."""
    return "report" if is_book_corpus(corpus) else "article"


def chapter_prose(corpus: Corpus) -> dict[str, str]:
    """The chapter's counting sentences as Markdown, by glue name: every number with its noun
    through :mod:`analysis.present.words`; labels escaped; examples of repairs looked up in this
    corpus's cleaning audit."""
    k = key_numbers(corpus)
    noun = text_noun(corpus)
    span = k["span_days"]
    when = (f"all published on {k['first_date']}" if span == 0 else
            f"published between {k['first_date']} and {k['last_date']} "
            f"({count(span, 'day')} apart)")
    n_un, n_inf = k["n_unattributed"], k["n_inferred_dates"]
    opening = (
        f"The book reads {count(k['n_articles'], noun)}"
        f"{for_book_only(corpus, ' of the same story')}, {when}. "
        + (f"{capital(number(n_un))} of them {verb(n_un, 'names', 'name')} no publisher, and "
           if n_un else "Every one names its publisher, and ")
        + (f"{number(n_inf)} {verb(n_inf, 'date is', 'dates are')} inferred rather than "
           "printed in the file" if n_inf else "every date is printed in its file")
        + ": the table and the timeline below show which.")
    size = (f"Together they hold {count(k['total_words'], 'word')} in "
            f"{count(k['total_sentences'], 'sentence')} after cleaning. The longest {noun} is "
            f"{plain_markdown(str(k['longest_label']))} "
            f"({count(k['longest_words'], 'word')}); the shortest is "
            f"{plain_markdown(str(k['shortest_label']))} ({count(k['shortest_words'], 'word')}).")
    cleaning = (
        f"In all, {count(k['n_changes'], 'change')} {verb(k['n_changes'], 'was', 'were')} "
        f"recorded and {count(k['chars_removed'], 'character')} removed, "
        f"{k['pct_whitespace_removed']}% of them white space.")
    apostrophe, split = repair_example(corpus, "apostrophe"), repair_example(corpus,
                                                                             "run_together")
    kinds = boilerplate_kinds(corpus)
    n_removed = k["n_boilerplate"] + k["n_headlines"]
    words = [
        (f"{count(k['n_apostrophes'], 'apostrophe')} dropped by a scraper "
         f"{verb(k['n_apostrophes'], 'was', 'were')} restored"
         + (f" (`{apostrophe[0]}` becomes `{apostrophe[1]}`)" if apostrophe else "") + ";"
         if k["n_apostrophes"] else "no apostrophe dropped by a scraper needed restoring;"),
        f"{count(k['n_run_together'], 'place')} where paragraphs ran together without a space"
        + (f" (`{split[0]}`)" if split else "")
        + f" {verb(k['n_run_together'], 'was', 'were')} split, and "
        f"{count(k['n_nbsp'], 'non-breaking space')}"
        f"{for_book_only(corpus, NBSP_NOTE) if k['n_nbsp'] else ''} "
        f"{verb(k['n_nbsp'], 'was', 'were')} replaced;",
        f"{count(k['n_boilerplate'], 'line')} of boilerplate"
        + (f" ({join(kinds)})" if kinds else "")
        + f" and {count(k['n_headlines'], 'headline')} {verb(n_removed, 'was', 'were')}"
        " removed from the body; the headlines and datelines live on in the manifest."]
    return {"corpus-opening-md": opening, "corpus-size-md": size,
            "corpus-cleaning-md": cleaning,
            "corpus-apostrophes-md": capital(words[0]), "corpus-split-md": capital(words[1]),
            "corpus-boilerplate-md": capital(words[2])}
