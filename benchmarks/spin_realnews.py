"""Spin on real wire copy: false alarms on human Reuters items, and recall on spun copies made
with a thesaurus the detector never reads.

Run from the repository root (prints; asserts nothing)::

    python -m benchmarks.spin_realnews fit   # development split only: fits the shipped table
    python -m benchmarks.spin_realnews       # test split: the figures the chapter reports

``fit`` writes ``analysis/resources/spin/evidence.csv`` and ``decision.csv`` from the first
2,000 development-split items (human) and their copies spun at 10 % by the package's own WordNet
spinner. The report scores the first 2,000 test-split items as they are, and their copies spun
at 5, 10 and 20 % by two spinners: the WordNet one and an independent one built on the Aiksaurus
thesaurus (:mod:`analysis.evaluation.spin`). It writes the figures (no article text) to
``analysis/resources/realnews/spin_realnews.csv`` (package data, which the chapter reads) and
the headline figures into ``analysis/resources/realnews/scores.csv`` (see
:mod:`benchmarks.scores`).

Split: ``test`` when int(sha256(article_id)) is odd, else ``dev`` (the project's rule).

The Aiksaurus data is not in the repository. The report fetches it when ``--aiksaurus`` is not
given and ``/usr/share/aiksaurus`` is absent: ``apt-get download libaiksaurus-1.2-data`` into a
temporary folder, then ``dpkg-deb -x`` to unpack ``usr/share/aiksaurus/{words,meanings}.dat``.
The Reuters items are written to a temporary folder outside the repository and never committed.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import spin
from analysis.corpus import load_corpus
from analysis.evaluation import spin as evaluation
from benchmarks import BOOK, ROOT, reuters

RESULTS = ROOT / "analysis" / "resources" / "realnews" / "spin_realnews.csv"
N_ITEMS = 2000
RATES = (0.05, 0.1, 0.2)


def split_of(article_id: str) -> str:
    return "test" if int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 2 else "dev"


def fetch_aiksaurus(dest: Path) -> Path:
    """Download and unpack the Debian package ``libaiksaurus-1.2-data`` into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", "libaiksaurus-1.2-data"], cwd=dest, check=True,
                   stdout=subprocess.DEVNULL)
    deb = sorted(glob.glob(str(dest / "libaiksaurus-1.2-data_*.deb")))[-1]
    subprocess.run(["dpkg-deb", "-x", deb, str(dest / "root")], check=True)
    return dest / "root" / "usr" / "share" / "aiksaurus"


def reuters_sentences(tmp: Path, n_archive: int = 6000) -> pd.DataFrame:
    """Sentences of the first ``N_ITEMS`` items of each split (archive order)."""
    folder = reuters.make_corpus(tmp / "reuters", n_archive)
    with warnings.catch_warnings():  # the archive repeats some items byte for byte: kept, as read
        warnings.simplefilter("ignore")
        corpus = load_corpus(folder)
    ids = list(corpus.articles["id"])
    chosen = {s: [a for a in ids if split_of(a) == s][:N_ITEMS] for s in ("dev", "test")}
    sent = corpus.sentences[["article_id", "sentence_id", "text"]]
    keep = set(chosen["dev"]) | set(chosen["test"])
    out = sent[sent["article_id"].isin(keep)].copy()
    out["split"] = out["article_id"].map(split_of)
    return out


def auc(pos: pd.Series, neg: pd.Series) -> float:
    """Probability that a spun copy scores above a human item (ties count half)."""
    neg = np.sort(np.asarray(neg, dtype=float))
    pos = np.asarray(pos, dtype=float)
    below = np.searchsorted(neg, pos, side="left")
    tied = np.searchsorted(neg, pos, side="right") - below
    return float((below + 0.5 * tied).sum() / (len(pos) * len(neg)))


def fit(sentences: pd.DataFrame) -> spin.Decision:
    """The table and the decision from development-split items only."""
    dev = sentences[sentences["split"] == "dev"]
    human = spin.word_evidence(dev)
    spun, gold = spin.spin_sentences(dev, 0.1, 0)
    ev = spin.word_evidence(spun)
    swapped = ev[[(s, st) in gold for s, st in zip(ev["sentence_id"], ev["start"])]]
    llr = spin.fit_llr(human, swapped)
    return spin.calibrate(human, dev, llr)


def score(sentences: pd.DataFrame, decision: spin.Decision, wordnet_flags: bool
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Document scores of the new decision and, if asked, the WordNet flags per 100 words."""
    ev = spin.with_llr(spin.word_evidence(sentences), decision)
    docs = spin.evidence_scores(sentences, ev, decision)
    if wordnet_flags:
        old = spin.document_scores(sentences, spin.flags(sentences))
        docs = docs.merge(old[["article_id", "per_100_words"]].rename(
            columns={"per_100_words": "wordnet_per_100_words"}), on="article_id")
    return docs, ev


def report(sentences: pd.DataFrame, decision: spin.Decision, thesaurus) -> pd.DataFrame:
    test = sentences[sentences["split"] == "test"].drop(columns="split")
    rows = []

    def row(measure, value, spinner="", rate=0.0, items="test"):
        rows.append({"items": items, "spinner": spinner, "rate": rate, "measure": measure,
                     "value": float(value)})
        print(f"{items:12s} {spinner:10s} {rate:4.2f} {measure:38s} {value:10.3f}")

    row("thesaurus_pairs_also_in_wordnet", evaluation.shared_pairs(thesaurus), "aiksaurus")
    human, ev = score(test, decision, True)
    n_words = human["n_words"].sum()
    row("articles", len(human))
    row("words", n_words)
    row("called_spun", human["spun"].sum())
    row("flags_per_100_words", 100 * human["n_flags"].sum() / n_words)
    row("wordnet_flags_per_100_words",
        (human["wordnet_per_100_words"] * human["n_words"]).sum() / n_words)
    row("max_z", human["z"].max())
    row("z_line", decision.z_line)
    long_h = human[human["n_words"] >= 150]
    row("articles_150_words", len(long_h))
    for name, make in (("aiksaurus", lambda r, s: evaluation.spin_sentences_with(test, r, s,
                                                                                  thesaurus)),
                       ("wordnet", lambda r, s: spin.spin_sentences(test, r, s))):
        for rate in RATES:
            spun, gold = make(rate, 1)
            docs, sev = score(spun, decision, True)
            hits = sum((s, st) in gold for s, st in zip(sev.loc[sev["flagged"], "sentence_id"],
                                                        sev.loc[sev["flagged"], "start"]))
            row("called_spun_share", docs["spun"].mean(), name, rate)
            row("auc", auc(docs["z"], human["z"]), name, rate)
            long_s = docs[docs["n_words"] >= 150]
            row("auc_150_words", auc(long_s["z"], long_h["z"]), name, rate)
            row("called_spun_share_150_words", long_s["spun"].mean(), name, rate)
            row("wordnet_flags_auc", auc(docs["wordnet_per_100_words"],
                                         human["wordnet_per_100_words"]), name, rate)
            row("flag_recall", hits / max(len(gold), 1), name, rate)
            row("flag_precision", hits / max(int(sev["flagged"].sum()), 1), name, rate)
    corpus = load_corpus(BOOK)
    five, _ = score(corpus.sentences, decision, True)
    for r in five.itertuples(index=False):
        row("z", r.z, items=r.article_id)
        row("n_flags", r.n_flags, items=r.article_id)
        row("called_spun", r.spun, items=r.article_id)
    return pd.DataFrame(rows)


def record_scores(table: pd.DataFrame) -> None:
    """The headline test-split figures of ``table`` into the scores file read by the book."""
    from benchmarks.scores import record

    t = table[table["items"].eq("test")]

    def get(measure: str, rate: float = 0.0, spinner: str = "") -> float:
        row = t[t["measure"].eq(measure) & t["rate"].astype(float).eq(rate)
                & t["spinner"].fillna("").eq(spinner)]
        return float(row["value"].iloc[0])
    n = int(get("articles"))
    record("spin", "test", [
        {"metric": "human items called spun", "value": get("called_spun"),
         "numerator": int(get("called_spun")), "denominator": n, "target": 0,
         "note": "Reuters-21578 test-split items, all human-written"},
        {"metric": "false flags per 100 human words", "value": get("flags_per_100_words"),
         "target": 0.3, "note": "strong flags of the document decision"},
        {"metric": "items spun at 10 % called spun (independent thesaurus)",
         "value": get("called_spun_share", 0.1, "aiksaurus"), "target": 0.8,
         "note": "copies spun with Aiksaurus synonyms, a thesaurus the detector does not read"},
        {"metric": "AUC, spun at 10 % against human (independent thesaurus)",
         "value": get("auc", 0.1, "aiksaurus"), "target": 0.95},
    ], "python -m benchmarks.spin_realnews")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", choices=("fit", "report"), default="report")
    parser.add_argument("--aiksaurus", type=Path, default=None,
                        help="folder with words.dat and meanings.dat (fetched when absent)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sentences = reuters_sentences(Path(tmp))
        print(f"loaded {sentences['article_id'].nunique():,} items "
              f"({time.perf_counter() - t0:.0f} s)")
        if args.mode == "fit":
            decision = fit(sentences)
            spin.write_decision(decision, ROOT / "analysis" / "resources" / "spin")
            print(decision)
            return 0
        folder = args.aiksaurus
        if folder is None:
            folder = Path("/usr/share/aiksaurus")
            if not (folder / "words.dat").is_file():
                folder = fetch_aiksaurus(Path(tmp) / "aiksaurus")
        thesaurus = evaluation.read_aiksaurus(folder)
        table = report(sentences, spin.decision(), thesaurus)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS, index=False)
    record_scores(table)
    print(f"wrote {RESULTS.relative_to(ROOT)} ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
