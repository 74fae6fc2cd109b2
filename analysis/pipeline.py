"""One run over a folder of articles: declared stages, each writing its tables into a run folder.

``python -m analysis run FOLDER --out DIR`` (or :func:`run`) loads the folder leniently (a bad
file becomes an error row, the others load) and runs the stages of :data:`STAGES` in order.
Each stage declares the stages it reads and the configuration sections it depends on; its key
is a hash of those, of the package's code and (for ``load``) of every file in the corpus
folder. A stage whose key is unchanged since the last run into ``DIR`` is carried over without
running, so re-running on an unchanged folder computes nothing, and changing one setting re-runs
only the stages downstream of it (passim's per-stage outputs, OWID's etl steps).

Methods that work article by article (claims, quotations, label uses, spin flags) run on each
article alone, under a time limit (``run.document_seconds``), and their rows are written to disk
in chunks; a document a method cannot handle, or one that runs over the limit, costs only its
own rows: it becomes a row of the ``errors`` table (article, sentence, step, message) and the run
goes on. Folder-wide steps (reuse, claim comparison, keyness, the spin line) cost O(N log N) or
O(candidate pairs). See :mod:`analysis.store` for the run folder's layout.
"""

from __future__ import annotations

import hashlib
import json
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

import analysis
from analysis import store
from analysis.config import Config
from analysis.corpus import Corpus, load_corpus
from analysis.text import AnalysisError, terminal_safe

ERROR_COLUMNS = ("article_id", "sentence_id", "step", "message")


@dataclass(frozen=True)
class ErrorRow:
    """Something a step could not handle: where (article, sentence), which step, and why."""

    article_id: str
    sentence_id: str
    step: str
    message: str


class DocumentTimeout(Exception):
    """A document ran over the per-document time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the block after ``seconds`` (a SIGALRM timer; only in
    the main thread of a Unix process, elsewhere the block runs unlimited). A long call inside C
    code is interrupted when it returns to Python."""
    usable = (hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum, frame):  # noqa: ARG001
        raise DocumentTimeout(f"over the per-document time limit of {seconds:g} s "
                              "(run.document_seconds)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class ErrorLog:
    """Collects :class:`ErrorRow` s; :meth:`guard` turns an exception into a row."""

    rows: list[ErrorRow] = field(default_factory=list)

    @contextmanager
    def guard(self, step: str, article_id: str = "", sentence_id: str = "",
              seconds: float | None = None) -> Iterator[None]:
        try:
            if seconds:
                with time_limit(seconds):
                    yield
            else:
                yield
        except DocumentTimeout as err:
            self.rows.append(ErrorRow(article_id, sentence_id, step, f"DocumentTimeout: {err}"))
        except Exception as err:  # noqa: BLE001 -- one bad document must not stop the run
            where = traceback.extract_tb(err.__traceback__)[-1]
            self.rows.append(ErrorRow(article_id, sentence_id, step,
                                      f"{type(err).__name__}: {err} "
                                      f"({Path(where.filename).name}:{where.lineno})"))

    def add(self, article_id: str, sentence_id: str, step: str, message: str) -> None:
        self.rows.append(ErrorRow(article_id, sentence_id, step, message))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(r) for r in self.rows], columns=list(ERROR_COLUMNS))


# --- One article at a time ----------------------------------------------------------------------

class Splitter:
    """One-article views of a corpus in O(article) each: the frames are grouped once."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._rows = {name: getattr(corpus, name).groupby("article_id", sort=False).indices
                      for name in ("paragraphs", "sentences", "edits")
                      if "article_id" in getattr(corpus, name)}
        self._article = {aid: i for i, aid in enumerate(corpus.articles["id"])}

    def one(self, article_id: str) -> Corpus:
        def rows(name: str) -> pd.DataFrame:
            frame = getattr(self.corpus, name)
            idx = self._rows.get(name, {}).get(article_id)
            if idx is None:
                return frame.iloc[0:0]
            return frame.iloc[idx].reset_index(drop=True)

        return replace(self.corpus,
                       articles=self.corpus.articles.iloc[[self._article[article_id]]]
                       .reset_index(drop=True),
                       paragraphs=rows("paragraphs"), sentences=rows("sentences"),
                       edits=rows("edits"),
                       cleaned={article_id: self.corpus.cleaned[article_id]})


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


# --- Stages -------------------------------------------------------------------------------------

@dataclass
class Context:
    """What a stage gets: the configuration, the folder being written, earlier tables, the log."""

    root: Path
    config: Config
    folder: Path
    log: ErrorLog
    progress: bool = False
    scheduler: str | None = None
    loaded: Corpus | None = None

    @cached_property
    def corpus(self) -> Corpus:
        return self.loaded if self.loaded is not None else corpus_from_run(self.folder, self.root)

    def table(self, name: str) -> pd.DataFrame:
        return store.read_table(self.folder, name)

    def write(self, name: str, frame: pd.DataFrame) -> None:
        store.write_table(self.folder, name, vocabulary(frame, name))

    def per_article(self, step: str, fn: Callable[[Corpus], pd.DataFrame | dict | None],
                    tables: tuple[str, ...] | None = None, columns: Iterable[str] = ()) -> int:
        """``fn`` on each article alone, under the time limit, its rows streamed to the table
        ``step`` (or, when ``fn`` returns a dict of frames, to each of ``tables``); an article
        that raises or runs over the limit becomes an error row and costs only its own rows."""
        tables = tables or (step,)
        writers = {name: store.TableWriter(self.folder, name) for name in tables}
        split = Splitter(self.corpus)
        limit = self.config.run.document_seconds
        for aid in _progress(list(self.corpus.articles["id"]), step, self.progress):
            out = None
            with self.log.guard(step, aid, seconds=limit):
                out = fn(split.one(aid))
            if out is None:
                continue
            for name, frame in (out if isinstance(out, dict) else {step: out}).items():
                writers[name].add(vocabulary(frame, name))
        return sum(w.close(columns) for w in writers.values())


@dataclass(frozen=True)
class Stage:
    """A declared step: the stages it reads, the configuration sections it depends on, the
    tables it writes, and the function that writes them."""

    name: str
    needs: tuple[str, ...]
    config: tuple[str, ...]
    tables: tuple[str, ...]
    run: Callable[[Context], None]
    about: str = ""


def _load(ctx: Context) -> None:
    errors: list = []
    corpus = load_corpus(ctx.root, errors=errors)
    for e in errors:
        ctx.log.add(e.article_id, "", f"load.{e.step}", e.message)
    ctx.loaded = corpus
    ctx.write("articles", corpus.articles)
    ctx.write("paragraphs", corpus.paragraphs)
    ctx.write("sentences", corpus.sentences)
    ctx.write("cleaning", corpus.edits)


def reuse_params(config: Config):
    from analysis import reuse

    c = config.reuse
    return reuse.Params(n=c.n, max_gap=c.max_gap, min_words=c.min_words, pad=c.pad)


def _documents(ctx: Context) -> dict:
    from analysis import reuse

    docs = {}
    for aid in reuse.publication_order(ctx.corpus):
        with ctx.log.guard("reuse.documents", aid, seconds=ctx.config.run.document_seconds):
            docs[aid] = reuse.make_doc(aid, ctx.corpus.text(aid))
    return docs


def _passages(ctx: Context) -> None:
    from analysis import index, passage_kinds, reuse

    docs, params = _documents(ctx), reuse_params(ctx.config)
    found: list = []
    with ctx.log.guard("reuse.passages"):
        if ctx.scheduler:
            from analysis import distributed

            found = distributed.find_passages(docs, params, scheduler=ctx.scheduler)
        elif len(docs) > ctx.config.reuse.index_above or ctx.config.reuse.exact_index:
            found = index.find_passages(docs, params, progress=ctx.progress,
                                        index_params=index.EXACT if ctx.config.reuse.exact_index
                                        else index.INDEX_DEFAULT)
        else:
            found = reuse.find_passages(docs, params)
    primary = {id(p) for p in reuse.primary_passages(found)}
    with ctx.log.guard("reuse.kinds"):
        typer = passage_kinds.Typer(docs, _outlets(ctx.corpus), kind_params(ctx.config))
        kinds = [typer.kind(p) for p in found]
    ctx.write("passages", passages_frame(found, primary, docs, kinds))


def kind_params(config: Config):
    from analysis import passage_kinds

    c = config.reuse
    return passage_kinds.KindParams(min_articles=c.boilerplate_articles,
                                    min_narrative_words=c.min_narrative_words,
                                    min_narrative_share=c.min_narrative_share)


def _outlets(corpus: Corpus) -> dict[str, str]:
    """Article id → outlet (blank or missing outlets share the empty name)."""
    a = corpus.articles
    outlet = a["outlet"] if "outlet" in a.columns else pd.Series("", index=a.index)
    return dict(zip(a["id"].astype(str), outlet.fillna("").astype(str).str.strip().str.lower()))


def copying(table: pd.DataFrame, docs: dict, config: Config) -> pd.Series:
    """Per passage row: does its pair count as copying (enough copied narrative)?"""
    from analysis import passage_kinds

    pairs = passage_kinds.copying_pairs(
        zip(table["source_id"], table["target_id"], table["kind"], table["aligned_words"]),
        {aid: len(doc.tokens) for aid, doc in docs.items()}, kind_params(config))
    return pd.Series([(s, t) in pairs for s, t in zip(table["source_id"], table["target_id"])],
                     index=table.index, dtype=bool)


PASSAGE_COLUMNS = ["source_id", "target_id", "source_word_start", "source_word_end",
                   "target_word_start", "target_word_end", "source_start", "source_end",
                   "target_start", "target_end", "aligned_words", "identity", "primary",
                   "kind", "opening", "ops"]


def passages_frame(found: list, primary: set[int], docs: dict,
                   kinds: list[str] | None = None) -> pd.DataFrame:
    """Every aligned passage, ``primary`` when it is from the target's closest source, its
    ``kind`` (:mod:`analysis.passage_kinds`); ``ops`` holds the word alignment as JSON so later
    stages rebuild the passage exactly."""
    kinds = kinds if kinds is not None else ["copied_narrative"] * len(found)
    return pd.DataFrame([{
        "source_id": p.source_id, "target_id": p.target_id,
        "source_word_start": p.source_words[0], "source_word_end": p.source_words[1],
        "target_word_start": p.target_words[0], "target_word_end": p.target_words[1],
        "source_start": p.source_start, "source_end": p.source_end,
        "target_start": p.target_start, "target_end": p.target_end,
        "aligned_words": p.n_matched, "identity": p.identity, "primary": id(p) in primary,
        "kind": kind, "opening": docs[p.target_id].text[p.target_start:p.target_end][:60] + "…",
        "ops": json.dumps(p.ops),
    } for p, kind in zip(found, kinds)], columns=PASSAGE_COLUMNS)


def passages_from_frame(frame: pd.DataFrame) -> list:
    """The :class:`analysis.reuse.Passage` objects of a stored ``passages`` table."""
    from analysis import reuse

    return [reuse.Passage(r.source_id, r.target_id,
                          (int(r.source_word_start), int(r.source_word_end)),
                          (int(r.target_word_start), int(r.target_word_end)),
                          int(r.source_start), int(r.source_end), int(r.target_start),
                          int(r.target_end), int(r.aligned_words), float(r.identity),
                          tuple(tuple(op) for op in json.loads(r.ops)))
            for r in frame.itertuples(index=False)]


PAIR_SCORE_COLUMNS = ["a", "b", "shared_ngrams", "containment", "jaccard", "cosine"]


def _copies(ctx: Context) -> None:
    from analysis import reuse

    # Only pairs with enough copied narrative are copying: a shared quotation or boilerplate
    # alone does not make one text a copy of another.
    docs = _documents(ctx)
    every = ctx.table("passages")
    table = every[copying(every, docs, ctx.config)]
    found = passages_from_frame(table)
    primary = [p for p, keep in zip(found, table["primary"]) if keep]
    corpus = subset(ctx.corpus, list(docs)) if len(docs) < len(ctx.corpus.articles) \
        else ctx.corpus
    with ctx.log.guard("reuse.copies"):
        directions = reuse.pair_directions(corpus, primary)
        ctx.write("directions", directions)
        ctx.write("clusters", reuse.story_clusters(reuse.publication_order(ctx.corpus),
                                                   directions))
        ctx.write("edits", reuse.edits_frame(corpus, primary, docs))
        labels = reuse.sentence_labels(corpus, reuse_params(ctx.config), found=found, docs=docs)
        ctx.write("sentence_labels", labels)
        ctx.write("composition", reuse.composition(labels, corpus))
        # Whose wording a copy follows: a copy's passages with the other texts count too (the
        # words it shares with the wire story its source reprints are how the two are told apart).
        copies_ = set(table["target_id"])
        ctx.write("common_source", reuse.common_source(
            corpus, [p for p in passages_from_frame(every) if p.target_id in copies_],
            reuse_params(ctx.config)))
        ctx.write("spelling", reuse.spelling_profile(corpus))
        # Pairwise n-gram scores are all pairs: kept for folders small enough to read them.
        small = len(docs) <= ctx.config.reuse.index_above
        ctx.write("pair_scores", reuse.doc_scores(docs, ctx.config.reuse.n) if small
                  else pd.DataFrame(columns=PAIR_SCORE_COLUMNS))


def null_pairs(found: list, order: list[str], k: int, seed: int) -> list[tuple[str, str]]:
    """At most ``k`` earlier/later pairs of ``order`` that share no passage, drawn with ``seed``
    (all of them when there are few), in publication order. The draw never lists all N^2 pairs
    of a large folder: it samples pairs and keeps those without a passage."""
    import random

    shared = {frozenset((p.source_id, p.target_id)) for p in found}
    n = len(order)
    rng = random.Random(seed)
    if n * (n - 1) // 2 <= 4 * k:
        pairs = [(order[i], order[j]) for i in range(n) for j in range(i + 1, n)
                 if frozenset((order[i], order[j])) not in shared]
        chosen = pairs if len(pairs) <= k else rng.sample(pairs, k)
    else:
        picked: set[tuple[int, int]] = set()
        for _ in range(50 * k):
            if len(picked) == k:
                break
            i, j = sorted(rng.sample(range(n), 2))
            if frozenset((order[i], order[j])) not in shared:
                picked.add((i, j))
        chosen = [(order[i], order[j]) for i, j in picked]
    rank = {aid: i for i, aid in enumerate(order)}
    return sorted(chosen, key=lambda pair: (rank[pair[0]], rank[pair[1]]))


SYNTHETIC_COLUMNS = ["kind", "rate", "trials", "found", "recall", "coverage", "spurious"]


def _reuse_check(ctx: Context) -> None:
    """The synthetic check and the parameter calibration of the reuse method, on a bounded,
    seeded draw of the pairs the default parameters find nothing in (so every passage found
    there is false)."""
    from analysis import reuse

    found = passages_from_frame(ctx.table("passages"))
    c = ctx.config.calibration
    corpus = ctx.corpus
    with ctx.log.guard("reuse.check"):
        setup = reuse.synthetic_setup(corpus, found)
        ctx.write("reuse_setup", pd.DataFrame([asdict(setup)] if setup else [],
                                              columns=["source_id", "host_id", "vocab_id"]))
        ctx.write("reuse_synthetic", reuse.synthetic_check(corpus, setup) if setup
                  else pd.DataFrame(columns=SYNTHETIC_COLUMNS))
        null = null_pairs(found, reuse.publication_order(corpus), c.null_pairs, c.seed)
        ctx.write("reuse_null_pairs", pd.DataFrame(null, columns=["source_id", "target_id"]))
        ctx.write("reuse_calibration", reuse.calibration(corpus, null, setup) if setup
                  else pd.DataFrame(columns=["n", "max_gap", "recall", "coverage",
                                             "false_passages"]))


def _claims(ctx: Context) -> None:
    from analysis import claims

    ctx.per_article("claims", claims.extract_claims,
                    columns=[*claims.CLAIM_COLUMNS, "pub_date_inferred"])
    with ctx.log.guard("claims.compare"):
        ctx.write("claim_comparison", claims.compare(ctx.table("claims"), ctx.corpus))
    with ctx.log.guard("claims.events"):
        ctx.write("events", claims.timeline_events(ctx.corpus))


def _voices(ctx: Context) -> None:
    """Quotations and reported speech; with a speakers table in the folder, the table as read
    (checked) and the same speech found without it (names as printed), which the validation
    compares; without one, the ``*_without_table`` tables are the same rows."""
    from analysis import quotes, speakers

    table = pd.DataFrame(columns=list(speakers.SPEAKER_COLUMNS))
    path = speakers.speakers_path(ctx.root)
    if path is not None:
        with ctx.log.guard("voices.speakers"):
            table = speakers.load_speakers(path).drop(columns="_row")
    ctx.write("speakers", table)

    def voices(one: Corpus) -> dict[str, pd.DataFrame]:
        q, r = quotes.find_quotes(one), quotes.find_reported(one)
        if path is not None:
            q_plain = quotes.find_quotes(one, use_table=False)
            r_plain = quotes.find_reported(one, use_table=False)
        else:
            q_plain, r_plain = q, r
        return {"quotes": q, "reported_speech": r, "voice_problems": quotes.find_problems(one),
                "quotes_without_table": q_plain, "reported_without_table": r_plain}

    ctx.per_article("voices", voices, ("quotes", "reported_speech", "voice_problems",
                                       "quotes_without_table", "reported_without_table"))
    for row in ctx.table("voice_problems").to_dict("records"):
        ctx.log.add(row["article_id"], row["sentence_id"], "quotes",
                    f"{row['problem']}: {row['detail']}")


def _framing(ctx: Context) -> None:
    from analysis import framing

    lexicon = None
    with ctx.log.guard("framing.lexicon"):
        found_lexicon = framing.corpus_lexicon(ctx.corpus)
        scope = framing.lexicon_scope(ctx.corpus, found_lexicon)
        applies = set(scope.loc[scope["applies"], "article_id"])
        lexicon = found_lexicon  # only once its scope is known
    quotes = ctx.table("quotes")
    if not len(quotes) or "quote_id" not in quotes:
        quotes = pd.DataFrame(columns=list(framing.QUOTE_COLUMNS))
    by_article = quotes.groupby("article_id", sort=False).indices

    def uses(one: Corpus) -> pd.DataFrame | None:
        aid = one.articles["id"].iloc[0]
        if aid not in applies:  # the lexicon is about another topic
            return None
        mine = quotes.iloc[by_article.get(aid, [])]
        return framing.label_uses(one, lexicon, mine)

    if lexicon is not None:
        ctx.write("lexicon", lexicon.entries)
        ctx.write("lexicon_exceptions", lexicon.exceptions)
        ctx.write("lexicon_scope", scope)
        ctx.per_article("label_uses", uses, columns=framing.USE_COLUMNS)
        with ctx.log.guard("framing.edits"):
            ctx.write("framing_edits", framing.framing_edits(ctx.corpus, lexicon,
                                                             ctx.table("edits"), scope))
        with ctx.log.guard("framing.counts"):
            found = ctx.table("label_uses")
            on = framing.in_scope(ctx.corpus, scope)
            counts = framing.label_counts(on, lexicon, found)
            ctx.write("label_counts", counts)
            ctx.write("group_rates", framing.group_rates(on, counts))
            ctx.write("label_keyness", framing.label_keyness(on, found))
    k = ctx.config.keyness
    with ctx.log.guard("framing.keyness"):
        tables = framing.keyness_tables(ctx.corpus, top=k.top, min_count=k.min_count)
        ctx.write("keyness", tables["keyness"])
        ctx.write("term_totals", tables["keyness_totals"])


def _spin(ctx: Context) -> None:
    """Flags per article, then the document decision. The line is set on synthetic spins of a
    seeded sample of at most ``spin.calibration_articles`` of the folder's own articles: an
    article in the sample is judged against the line of the *other* sampled articles (leave one
    out), any other article against the line of the whole sample."""
    from analysis import spin

    ctx.per_article("spin_flags", lambda one: spin.flags(one.sentences),
                    columns=spin.FLAG_COLUMNS)
    c = ctx.config.spin
    found = ctx.table("spin_flags")
    if not len(found):
        found = pd.DataFrame(columns=spin.FLAG_COLUMNS)
    sentences = ctx.corpus.sentences
    with ctx.log.guard("spin.threshold"):
        ids = list(ctx.corpus.articles["id"])
        sample = ids
        if len(ids) > c.calibration_articles:
            sample = list(pd.Series(ids).sample(c.calibration_articles, random_state=c.seed))
        syn = spin.synthetic(sentences[sentences["article_id"].isin(sample)],
                             seeds=tuple(range(c.seed, c.seed + c.seeds)))
        ctx.write("spin_synthetic", syn)
        lines = spin.leave_one_out_thresholds(syn, sample, c.rate) if len(sample) > 1 else {}
        whole = spin.choose_threshold(syn, c.rate)
        line = {aid: lines.get(aid, whole) for aid in ids}
        ctx.write("spin_thresholds", pd.DataFrame({
            "article_id": ids, "threshold": [line[a] for a in ids],
            "basis": ["leave one out" if a in lines else "whole sample" for a in ids]}))
        # The decision itself needs no thesaurus: strong word evidence, far above human text.
        decision = spin.decision()
        evidence = spin.evidence_scores(
            sentences, spin.with_llr(spin.word_evidence(sentences), decision), decision)
        scores = spin.decide(spin.document_scores(sentences, found), line).drop(columns="spun")
        ctx.write("spin_scores", scores.merge(
            evidence[["article_id", "n_flags", "z", "z_line", "spun"]].rename(
                columns={"n_flags": "n_evidence_flags"}), on="article_id", how="left"))
    with ctx.log.guard("spin.paired"):
        ctx.write("spin_paired", spin.paired_edits(ctx.corpus, ctx.table("edits")))


STAGES: tuple[Stage, ...] = (
    Stage("load", (), (), ("articles", "paragraphs", "sentences", "cleaning"), _load,
          "Load and clean: manifest fields, clean texts, paragraphs, sentences, cleaning audit."),
    Stage("passages", ("load",), ("reuse",), ("passages",), _passages,
          "Reuse candidates and alignment: every shared passage between an earlier and a later "
          "article."),
    Stage("copies", ("load", "passages"), ("reuse",),
          ("directions", "clusters", "edits", "sentence_labels", "composition",
           "common_source", "spelling", "pair_scores"), _copies,
          "Copying pairs (enough copied narrative), story clusters, edits inside copied "
          "passages, sentence labels, composition, direction."),
    Stage("reuse_check", ("load", "passages"), ("reuse", "calibration"),
          ("reuse_setup", "reuse_synthetic", "reuse_null_pairs", "reuse_calibration"),
          _reuse_check, "Synthetic check and parameter calibration of the reuse method."),
    Stage("claims", ("load",), (), ("claims", "claim_comparison", "events"), _claims,
          "Quantitative claims and their comparison across articles."),
    Stage("voices", ("load",), (),
          ("quotes", "reported_speech", "voice_problems", "speakers", "quotes_without_table",
           "reported_without_table"), _voices,
          "Quotations, reported speech, and what could not be read cleanly; the speakers "
          "table and the speech found without it."),
    Stage("framing", ("load", "voices", "copies"), ("keyness",),
          ("lexicon", "lexicon_exceptions", "lexicon_scope", "label_uses", "framing_edits",
           "label_counts",
           "group_rates",
           "label_keyness", "keyness", "term_totals"), _framing,
          "Label uses, label edits inside copies, keyness (top terms) and folder term totals."),
    Stage("spin", ("load", "copies"), ("spin",),
          ("spin_flags", "spin_synthetic", "spin_thresholds", "spin_scores", "spin_paired"),
          _spin, "Signs of machine spinning: flags, the calibration line, per-article scores."),
)
STAGE_NAMES = tuple(s.name for s in STAGES)


# What each output table holds, for the README written beside them.
TABLES: dict[str, str] = {
    "articles": "One row per article loaded: manifest fields, the raw and clean text (Parquet "
                "only) and counts of the clean text.",
    "paragraphs": "One row per paragraph: id `<article>-pNN`, offsets into the clean text.",
    "sentences": "One row per sentence: id `<article>-sNN`, offsets into the clean text, words.",
    "cleaning": "The cleaning audit: every change to the raw text, with raw and clean offsets, "
                "what was removed and inserted, and why.",
    "passages": "Reuse: every aligned passage between an earlier and a later article; `primary` "
                "marks the passage from the target's closest source; `kind` is copied_narrative, "
                "shared_quotation or boilerplate (`analysis.passage_kinds`); `ops` is the word "
                "alignment (JSON).",
    "directions": "Reuse: one row per copying pair (enough copied narrative, see `passages.kind`), "
                  "with whether the direction is known (`direction`) and why "
                  "(`direction_basis`).",
    "clusters": "Reuse: articles that share one story through copying, with the cluster's "
                "likely common source and whether dates support it.",
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
    "voice_problems": "Voices: what the quotation step could not read cleanly (also in errors).",
    "speakers": "Voices: the folder's speakers table (`speakers/speakers.csv`) as read and "
                "checked; no rows when the folder has none.",
    "quotes_without_table": "Voices: `quotes` with speakers found without the speakers table "
                            "(names as printed); the same rows when the folder has none.",
    "reported_without_table": "Voices: `reported_speech` with speakers found without the "
                              "speakers table; the same rows when the folder has none.",
    "label_uses": "Framing: one row per use of a contested label, own voice or quoted.",
    "framing_edits": "Framing: edits inside copied text that change a contested label.",
    "keyness": "Framing: each article's most over-used words against the rest (weighted "
               "log-odds, z): the top `keyness.top` per article.",
    "term_totals": "Framing: every word of the folder with its count (the keyness totals).",
    "spin_flags": "Spin: one row per flagged word or phrase, with its evidence.",
    "spin_synthetic": "Spin: synthetic spins of a sample of the folder's articles at several "
                      "rates, with what the detector found (the document line is set on them).",
    "spin_thresholds": "Spin: each article's document line and how it was set.",
    "spin_paired": "Spin: word substitutions inside copied passages, called a spinner's or an "
                   "editor's edit.",
    "reuse_setup": "Reuse check: the articles the synthetic check plants copies with.",
    "reuse_synthetic": "Reuse check: passage recall against the edit rate on planted copies.",
    "reuse_null_pairs": "Reuse check: the pairs sharing no passage the calibration counts false "
                        "passages on (a bounded, seeded draw).",
    "reuse_calibration": "Reuse check: recall, coverage and false passages per seed size and gap.",
    "common_source": "Reuse: where an article shares wording with two earlier ones, which it "
                     "copied.",
    "spelling": "Reuse: British and American spellings per article.",
    "pair_scores": "Reuse: n-gram overlap of every pair (folders up to `reuse.index_above` "
                   "articles).",
    "events": "Numbers: events the articles date to a single day.",
    "lexicon": "Framing: the label lexicon used (the folder's own, or the book's).",
    "lexicon_exceptions": "Framing: phrases in which a lexicon form does not name its label.",
    "lexicon_scope": "Framing: per article, whose lexicon is used and whether it applies (a "
                     "topical lexicon applies to articles naming its topic).",
    "label_counts": "Framing: uses of each label per article, own and quoted.",
    "group_rates": "Framing: label uses per article and group, per 1,000 words.",
    "label_keyness": "Framing: keyness of the labels themselves.",
    "spin_scores": "Spin: per article, WordNet flags per 100 words against the synthetic line, "
                   "and the decision (thesaurus-free evidence z against its line).",
    "errors": "What a step could not handle: article, sentence (if known), step, message. "
              "Empty when every step handled every article.",
}

# Columns named otherwise by a method, per table: articles are ``article_id`` everywhere, and a
# copying pair is ``source_id`` -> ``target_id`` (a claim's ``source`` is who the figure is
# credited to, and keeps its name).
_RENAME = {"articles": {"id": "article_id"}, "spelling": {"article": "article_id"},
           "directions": {"source": "source_id", "target": "target_id"}}


def vocabulary(frame: pd.DataFrame, table: str = "") -> pd.DataFrame:
    """Run tables speak one vocabulary: ``article_id``, ``source_id``/``target_id`` and
    snake_case column names (reader-facing headers belong to the presentation layer)."""
    rename = _RENAME.get(table, {})
    names = {c: rename.get(c, str(c).strip().replace(" ", "_").replace("-", "_").lower())
             for c in frame.columns}
    return frame.rename(columns=names) if any(k != v for k, v in names.items()) else frame


def corpus_from_run(folder: Path, root: Path | str = "") -> Corpus:
    """The :class:`Corpus` a ``load`` stage stored (see :meth:`analysis.store.StoredRun.corpus`)."""
    return store.StoredRun(Path(folder), {}).corpus(root)


# --- Fingerprints -------------------------------------------------------------------------------

def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wire-and-spin-analysis")
    except PackageNotFoundError:
        return "unknown"


def code_fingerprint() -> str:
    """A hash of the package's source: a change to any method runs every stage again (the
    presentation and evaluation layers read a run and do not enter it)."""
    h = hashlib.sha256()
    package = Path(analysis.__file__).resolve().parent
    skip = {"present", "evaluation"}
    for path in sorted(p for p in package.rglob("*.py")
                       if not skip & set(p.relative_to(package).parts)):
        h.update(str(path.relative_to(package)).encode())
        h.update(path.read_bytes())
    for path in sorted(package.rglob("*.csv")):
        h.update(str(path.relative_to(package)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def input_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every file of the corpus folder (manifest, texts, optional tables)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        try:
            out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as err:
            raise AnalysisError(f"cannot read this file of the corpus folder: {err.strerror}",
                                file=path) from None
    return out


def stage_keys(config: Config, code: str, inputs: dict[str, str]) -> dict[str, str]:
    keys: dict[str, str] = {}
    data_key = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]
    for stage in STAGES:
        parts = {"stage": stage.name, "code": code, "config": config.fingerprint(stage.config),
                 "needs": [keys[n] for n in stage.needs],
                 "data": data_key if stage.name == "load" else ""}
        keys[stage.name] = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()
                                          ).hexdigest()[:16]
    return keys


# --- The run ------------------------------------------------------------------------------------

def selected(names: Iterable[str] | None) -> tuple[str, ...]:
    """The stages ``names`` and every stage they read, in pipeline order (all when ``None``)."""
    if names is None:
        return STAGE_NAMES
    by_name = {s.name: s for s in STAGES}
    unknown = sorted(set(names) - set(by_name))
    if unknown:
        raise AnalysisError(f"unknown stage(s) {', '.join(unknown)} (stages: "
                            f"{', '.join(STAGE_NAMES)})", file="command line")
    want, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in want:
            want.add(name)
            todo.extend(by_name[name].needs)
    return tuple(n for n in STAGE_NAMES if n in want)


def run(root: Path | str, out: Path | str, config: Config | None = None, *,
        stages: Iterable[str] | None = None, scheduler: str | None = None,
        progress: bool = False, csv: bool = False,
        log: Callable[[str], None] | None = None) -> store.StoredRun:
    """Run every stage on the folder ``root`` into the run folder ``out``; return it opened.

    ``out`` is checked before any work (:func:`analysis.store.check_output`). Stages whose key
    matches the earlier run in ``out`` are carried over; the new run is written beside ``out``
    and swapped in whole. ``stages`` runs only those stages and the ones they read. ``csv`` also
    writes every table as spreadsheet-safe CSV.
    """
    config = config or Config()
    root = Path(root).expanduser().resolve()
    out = store.check_output(out, corpus=root)
    say = log or (lambda _msg: None)
    earlier = store.StoredRun.open(out) if out.exists() and any(out.iterdir()) else None
    inputs = input_checksums(root) if root.is_dir() else {}
    keys = {name: key for name, key in stage_keys(config, code_fingerprint(), inputs).items()
            if name in selected(stages)}
    if earlier is not None and _current(earlier, keys, csv):
        say("every stage is current: nothing to do")
        stages = {k: {**v, "reused": True} for k, v in earlier.manifest["stages"].items()}
        return store.StoredRun(earlier.path, {**earlier.manifest, "stages": stages})
    staging = store.Staging(out)
    try:
        manifest = _run_stages(root, staging.path, config, keys, earlier, scheduler=scheduler,
                               progress=progress, say=say)
        manifest["corpus"], manifest["inputs"] = str(root), inputs
        (staging.path / store.MANIFEST).write_text(json.dumps(manifest, indent=1, default=str),
                                                    encoding="utf-8")
        opened = store.StoredRun(staging.path, manifest)
        write_readme(opened)
        write_cards(opened, say)
        if csv:
            export_csv(opened)
        staging.commit()
    except BaseException:
        staging.abandon()
        raise
    return store.StoredRun.open(out)


def _current(earlier: store.StoredRun, keys: dict[str, str], csv: bool) -> bool:
    """Every stage of ``earlier`` has the key it would get now, and the folder holds exactly
    what that run wrote (with CSV files when they are asked for): nothing to do."""
    stages = earlier.manifest.get("stages", {})
    if any(stages.get(name, {}).get("key") != key for name, key in keys.items()):
        return False
    written = {*earlier.tables, *(f"errors_{s}" for s in stages)}
    held = {p.name.removesuffix(".parquet") for p in (earlier.path / store.TABLES).iterdir()}
    return (held == written and (earlier.path / store.CSV).is_dir() == csv
            and all((earlier.path / name).is_file() for name in store.CARDS))


def _run_stages(root: Path, folder: Path, config: Config, keys: dict[str, str],
                earlier: store.StoredRun | None, *, scheduler: str | None, progress: bool,
                say: Callable[[str], None]) -> dict:
    ctx = Context(root, config, folder, ErrorLog(), progress=progress, scheduler=scheduler)
    done: dict[str, dict] = {}
    before = (earlier.manifest.get("stages", {}) if earlier else {})
    for stage in (s for s in STAGES if s.name in keys):
        old = before.get(stage.name, {})
        if old.get("key") == keys[stage.name] and earlier is not None:
            for name in [*stage.tables, f"errors_{stage.name}"]:
                store.copy_table(earlier.path, folder, name)
            done[stage.name] = {**old, "reused": True}
            say(f"{stage.name}: unchanged, reused")
            continue
        start = time.perf_counter()
        ctx.log = ErrorLog()
        stage.run(ctx)
        for name in stage.tables:  # a step that failed still leaves its (empty) table
            if not store.has_table(folder, name):
                store.write_table(folder, name, pd.DataFrame())
        store.write_table(folder, f"errors_{stage.name}", ctx.log.frame())
        rows = {name: len(store.read_table(folder, name)) for name in stage.tables}
        seconds = round(time.perf_counter() - start, 3)
        done[stage.name] = {"key": keys[stage.name], "seconds": seconds, "tables": rows,
                            "errors": len(ctx.log.rows), "reused": False}
        say(f"{stage.name}: {seconds:.1f} s, " + ", ".join(f"{n} {k}" for k, n in rows.items()))
        if stage.name == "load" and ctx.loaded is None:
            break
    return {"format": store.FORMAT, "package": "wire-and-spin-analysis",
            "version": _version(), "config": config.to_dict(),
            "stages": done}


def errors(run_: store.StoredRun) -> pd.DataFrame:
    """Every stage's error rows, in stage order."""
    frames = [run_.table(f"errors_{s}") for s in STAGE_NAMES if s in run_.manifest["stages"]]
    frames = [f for f in frames if len(f)]
    return (pd.concat(frames, ignore_index=True) if frames
            else pd.DataFrame(columns=list(ERROR_COLUMNS)))


def tables(run_: store.StoredRun) -> dict[str, pd.DataFrame]:
    """Every table of a run, ``errors`` included, by name."""
    out = {name: run_.table(name) for name in run_.tables}
    out["errors"] = errors(run_)
    return out


def export_csv(run_: store.StoredRun, folder: Path | None = None) -> Path:
    """Every table as spreadsheet-safe CSV (texts left out of ``articles``)."""
    folder = folder or run_.path / store.CSV
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables(run_).items():
        if name == "articles":
            frame = frame.drop(columns=["raw_text", "text"], errors="ignore")
        store.write_csv(frame, folder / f"{name}.csv")
    return folder


def write_cards(run_: store.StoredRun, say: Callable[[str], None] = lambda _msg: None) -> None:
    """``cards.html`` and ``cards.csv``: one card per article, read from the finished run
    (presentation, so a failure there costs the cards, not the run)."""
    from analysis.present import cards

    try:
        cards.write(run_)
    except Exception as err:  # noqa: BLE001 -- the tables are written; keep them
        say(f"cards: not written ({type(err).__name__}: {err})")
        for name in store.CARDS:
            (run_.path / name).unlink(missing_ok=True)


def write_readme(run_: store.StoredRun) -> None:
    m = run_.manifest
    lines = ["# A run of `python -m analysis run`", "",
             f"Package version {m['version']}. The configuration, the SHA-256 of every input "
             "file and each stage's key, seconds and row counts are in `run.json`.", "",
             "Tables are Parquet files in `tables/` (typed, exact); `--csv` also writes them as "
             "CSV in `csv/`. In the CSV files a text cell that a spreadsheet would run as a "
             "formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) starts "
             "with an added apostrophe `'`; remove it to get the raw value, which the Parquet "
             "tables hold unchanged. Offsets are character offsets into the clean text of the "
             "article; sentence ids are `<article>-sNN`.", "",
             "This folder belongs to the tool: the next run into it replaces it whole, and a "
             "run refuses to write here if it holds anything else.", "", "## Stages", ""]
    for stage in STAGES:
        info = m["stages"].get(stage.name)
        if info is None:
            continue
        how = "reused from the earlier run" if info.get("reused") else f"{info['seconds']} s"
        lines.append(f"- `{stage.name}` ({how}): {stage.about}")
    lines += ["", "## Tables", ""]
    for name, frame in tables(run_).items():
        lines += [f"### `{name}` ({len(frame)} rows)", "", TABLES.get(name, ""), "",
                  "Columns: " + (", ".join(f"`{c}`" for c in frame.columns) or "(none)"), ""]
    from analysis.present.cards import CSV_COLUMNS

    lines += ["## Article cards", "",
              "`cards.html` shows one card per article on one page (no script, nothing fetched):"
              " what it copies and from whom, the edits inside the copied text (contested "
              "labels first), its figures and whether texts outside its copy group confirm "
              "them, who speaks in it (distinct utterances), its spin evidence and the copied "
              "passages. `cards.csv` holds each card's counts, one row per article "
              "(spreadsheet-safe, as the CSV tables):", ""]
    lines += [f"- `{name}`: {about}" for name, about in CSV_COLUMNS.items()] + [""]
    (run_.path / store.README).write_text("\n".join(lines), encoding="utf-8")


def summary(run_: store.StoredRun) -> str:
    n_err = len(errors(run_))
    stages = run_.manifest["stages"]
    ran = [s for s, i in stages.items() if not i.get("reused")]
    return terminal_safe(
        f"wrote run {run_.path} ({len(run_.tables) + 1} tables; ran {len(ran)} of "
        f"{len(stages)} stages" + (f", reused {', '.join(s for s in stages if s not in ran)}"
                                    if len(ran) < len(stages) else "") + ")"
        + (f"; {n_err} problem(s) listed in errors" if n_err else "; no errors"))
