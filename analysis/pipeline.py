"""One run over a folder of articles: every method, tidy tables out, and nothing lost.

``python -m analysis run FOLDER --out DIR`` loads the folder leniently (a bad file becomes an error
row, the others load), runs each method, and writes one CSV per table plus ``errors.csv`` and a
``README.md`` of columns into ``DIR``. Methods that work article by article (claims, quotations,
labels, spin) run on each article alone, so a document a method cannot handle costs only its own
rows: it becomes a row of ``errors.csv`` (article, sentence, step, message) and the run goes on.
Pairwise reuse runs over the whole folder; above :data:`analysis.index.INDEX_ABOVE` articles it
finds candidates with the n-gram index instead of all pairs (``--scheduler`` runs it on Dask).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis.corpus import Corpus, load_corpus

ERROR_COLUMNS = ("article_id", "sentence_id", "step", "message")


@dataclass(frozen=True)
class ErrorRow:
    """Something a step could not handle: where (article, sentence), which step, and why."""

    article_id: str
    sentence_id: str
    step: str
    message: str


@dataclass
class ErrorLog:
    """Collects :class:`ErrorRow` s; :meth:`guard` turns an exception into a row."""

    rows: list[ErrorRow] = field(default_factory=list)

    @contextmanager
    def guard(self, step: str, article_id: str = "", sentence_id: str = "") -> Iterator[None]:
        try:
            yield
        except Exception as err:  # noqa: BLE001 -- one bad document must not stop the run
            where = traceback.extract_tb(err.__traceback__)[-1]
            self.rows.append(ErrorRow(article_id, sentence_id, step,
                                      f"{type(err).__name__}: {err} "
                                      f"({Path(where.filename).name}:{where.lineno})"))

    def add(self, article_id: str, sentence_id: str, step: str, message: str) -> None:
        self.rows.append(ErrorRow(article_id, sentence_id, step, message))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(r) for r in self.rows], columns=list(ERROR_COLUMNS))


def subset(corpus: Corpus, ids: list[str]) -> Corpus:
    """The corpus restricted to ``ids`` (same root, same frames, fewer rows)."""
    keep = set(ids)

    def rows(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame[frame[column].isin(keep)].reset_index(drop=True)

    return replace(corpus, articles=rows(corpus.articles, "id"),
                   paragraphs=rows(corpus.paragraphs, "article_id"),
                   sentences=rows(corpus.sentences, "article_id"),
                   edits=rows(corpus.edits, "article_id"),
                   cleaned={k: v for k, v in corpus.cleaned.items() if k in keep})


def _progress(items: list[str], desc: str, enabled: bool):
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit="article", file=sys.stderr, leave=False)


def per_article(corpus: Corpus, step: str, fn: Callable[[Corpus], pd.DataFrame | None],
                log: ErrorLog, *, progress: bool = False) -> pd.DataFrame:
    """``fn`` on each article alone; an article that raises becomes an error row."""
    frames = []
    for aid in _progress(list(corpus.articles["id"]), step, progress):
        with log.guard(step, aid):
            out = fn(subset(corpus, [aid]))
            if out is not None and len(out):
                frames.append(out)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# What each output table holds, for the README written beside them.
TABLES: dict[str, str] = {
    "articles": "One row per article loaded: manifest fields and counts of the clean text.",
    "sentences": "One row per sentence: id `<article>-sNN`, offsets into the clean text, words.",
    "passages": "Reuse: one row per aligned passage between an earlier and a later article.",
    "directions": "Reuse: one row per copying pair, with how the direction was decided.",
    "edits": "Reuse: every difference inside a copied passage, with its kind and offsets.",
    "sentence_labels": "Reuse: each sentence of a later article labelled verbatim, edited or new, "
                       "with its best source sentence.",
    "composition": "Reuse: per later article, words verbatim, edited and original, and the "
                   "METER class.",
    "claims": "Numbers: one row per quantitative claim (surface, value range, what is counted, "
              "period, who says so).",
    "claim_comparison": "Numbers: claims grouped by what they count, with a verdict (agree, "
                        "conflict, update, single report).",
    "quotes": "Voices: one row per quotation, with its speaker.",
    "reported_speech": "Voices: one row per sentence of reported speech, with speaker and cue.",
    "label_uses": "Framing: one row per use of a contested label, own voice or quoted.",
    "framing_edits": "Framing: edits inside copied text that change a contested label.",
    "keyness": "Framing: each article's words against the rest (weighted log-odds, z).",
    "spin_flags": "Spin: one row per flagged word or phrase, with its evidence.",
    "spin_scores": "Spin: per article, flags per 100 words and the decision.",
    "errors": "What a step could not handle: article, sentence (if known), step, message. "
              "Empty when every step handled every article.",
}


def _reuse(corpus: Corpus, log: ErrorLog, tables: dict, *, scheduler: str | None,
           progress: bool) -> None:
    from analysis import reuse

    docs = {}
    for aid in reuse.publication_order(corpus):
        with log.guard("reuse.documents", aid):
            docs[aid] = reuse.make_doc(aid, corpus.text(aid))
    ok = subset(corpus, list(docs))
    with log.guard("reuse.passages"):
        found = _find_passages(docs, scheduler=scheduler, progress=progress)
        primary = reuse.primary_passages(found)
        tables["passages"] = reuse.passage_table(primary, docs)
        tables["directions"] = reuse.pair_directions(ok, primary)
        tables["edits"] = reuse.edits_frame(ok, primary, docs)
        labels = reuse.sentence_labels(ok, found=found)
        tables["sentence_labels"] = labels
        tables["composition"] = reuse.composition(labels, ok)


def _find_passages(docs: dict, *, scheduler: str | None, progress: bool) -> list:
    from analysis import reuse

    try:
        from analysis import index
    except ImportError:
        return reuse.find_passages(docs)
    if scheduler:
        from analysis import distributed

        return distributed.find_passages(docs, scheduler=scheduler)
    if len(docs) > index.INDEX_ABOVE:
        return index.find_passages(docs, progress=progress)
    return reuse.find_passages(docs)


def _claims(corpus: Corpus, log: ErrorLog, tables: dict, *, progress: bool) -> None:
    from analysis import claims

    found = per_article(corpus, "claims", claims.extract_claims, log, progress=progress)
    tables["claims"] = found
    if len(found):
        with log.guard("claims.compare"):
            tables["claim_comparison"] = claims.compare(found, corpus)


def _voices(corpus: Corpus, log: ErrorLog, tables: dict, *, progress: bool) -> None:
    from analysis import quotes

    tables["quotes"] = per_article(corpus, "quotes", quotes.find_quotes, log, progress=progress)
    tables["reported_speech"] = per_article(corpus, "reported_speech", quotes.find_reported, log,
                                            progress=progress)
    problems = per_article(corpus, "quotes.problems", quotes.find_problems, log,
                           progress=progress)
    for row in problems.to_dict("records"):  # unclosed quotation, garbled subject: kept, flagged
        log.add(row["article_id"], row["sentence_id"], "quotes",
                f"{row['problem']}: {row['detail']}")


def _framing(corpus: Corpus, log: ErrorLog, tables: dict, *, progress: bool) -> None:
    from analysis import framing

    with log.guard("framing.lexicon"):
        lexicon = framing.corpus_lexicon(corpus)
        q = tables.get("quotes", pd.DataFrame())
        if not len(q):
            q = pd.DataFrame(columns=list(framing.QUOTE_COLUMNS))

        def uses(one: Corpus) -> pd.DataFrame:
            mine = q[q["article_id"].isin(one.articles["id"])]
            return framing.label_uses(one, lexicon, mine)

        tables["label_uses"] = per_article(corpus, "framing.labels", uses, log,
                                           progress=progress)
    with log.guard("framing.keyness"):
        tables["keyness"] = framing.keyness(corpus)
    if "edits" in tables and "label_uses" in tables:
        with log.guard("framing.edits"):
            tables["framing_edits"] = framing.framing_edits(corpus, lexicon, tables["edits"])


SPIN_CALIBRATION_ARTICLES = 40  # articles spun to set the spin threshold (bounded cost)
SPIN_RATE = 0.1  # the threshold separates unspun articles from copies spun at this rate


def _spin(corpus: Corpus, log: ErrorLog, tables: dict, *, progress: bool) -> None:
    """Flags per article; the document threshold is set on synthetic spins of (a seeded sample
    of at most :data:`SPIN_CALIBRATION_ARTICLES`) articles of this folder, before scoring."""
    from analysis import spin

    found = per_article(corpus, "spin", lambda one: spin.flags(one.sentences), log,
                        progress=progress)
    tables["spin_flags"] = found
    with log.guard("spin.threshold"):
        ids = list(corpus.articles["id"])
        if len(ids) > SPIN_CALIBRATION_ARTICLES:
            ids = list(pd.Series(ids).sample(SPIN_CALIBRATION_ARTICLES, random_state=0))
        sample = corpus.sentences[corpus.sentences["article_id"].isin(ids)]
        syn = spin.synthetic(sample, rates=(0.0, SPIN_RATE), seeds=(0,))
        threshold = spin.choose_threshold(syn, SPIN_RATE)
        flags = found if len(found) else pd.DataFrame(columns=spin.FLAG_COLUMNS)
        tables["spin_scores"] = spin.decide(spin.document_scores(corpus.sentences, flags),
                                            threshold)


def run(root: Path | str, out: Path | str | None = None, *, scheduler: str | None = None,
        progress: bool = True) -> dict[str, pd.DataFrame]:
    """Run every method on the folder ``root``; write the tables to ``out`` when given."""
    log = ErrorLog()
    load_errors: list = []
    corpus = load_corpus(root, errors=load_errors)
    for e in load_errors:
        log.add(e.article_id, "", f"load.{e.step}", e.message)
    tables: dict[str, pd.DataFrame] = {
        "articles": corpus.articles.drop(columns=["raw_text", "text"], errors="ignore"),
        "sentences": corpus.sentences,
    }
    if len(corpus.articles):
        _reuse(corpus, log, tables, scheduler=scheduler, progress=progress)
        _claims(corpus, log, tables, progress=progress)
        _voices(corpus, log, tables, progress=progress)
        _framing(corpus, log, tables, progress=progress)
        _spin(corpus, log, tables, progress=progress)
    tables["errors"] = log.frame()
    if out is not None:
        write(tables, Path(out))
    return tables


def write(tables: dict[str, pd.DataFrame], out: Path) -> None:
    """One CSV per table and a README of what each holds and its columns."""
    out.mkdir(parents=True, exist_ok=True)
    lines = ["# Output of `python -m analysis run`", "",
             "One tidy CSV per table (UTF-8, header row). Offsets are character offsets into the "
             "clean text of the article; sentence ids are `<article>-sNN`.", ""]
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False)
        lines += [f"## `{name}.csv` ({len(frame)} rows)", "", TABLES.get(name, ""), "",
                  "Columns: " + (", ".join(f"`{c}`" for c in frame.columns) or "(none)"), ""]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")
