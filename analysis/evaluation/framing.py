"""The label matcher of :mod:`analysis.framing` against the hand annotation.

The annotation is ``<corpus root>/annotations/framing/labels_gold.csv`` (one row per use of a
lexicon label: article, sentence, surface form and its occurrence in the sentence, label, group,
voice); a corpus without it has no framing validation (:func:`load_gold` returns ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import text as tx
from analysis.corpus import Corpus
from analysis.evaluation import GoldError, Scores, gold_path, scores_frame
from analysis.framing import GROUPS, VOICES, Lexicon, _normal

TASK, FILE = "framing", "labels_gold.csv"
GOLD_COLUMNS = ("article_id", "sentence_id", "surface", "occurrence", "label", "group", "voice")


def load_gold(corpus: Corpus, lexicon: Lexicon | None = None) -> pd.DataFrame | None:
    """The corpus's framing annotation, checked row by row; ``None`` when it has none.

    Every row needs its fields, an ``occurrence`` of 1 or more, a known voice and group; its
    sentence must be one of its article and hold the surface form at least ``occurrence``
    times. With ``lexicon``: the label must be a lexicon label of that group. A bad row is a
    :class:`GoldError` naming file, row (the header is row 1) and field.
    """
    path = gold_path(corpus.root, TASK, FILE)
    if path is None:
        return None
    gold = tx.read_table(path, GOLD_COLUMNS, required=GOLD_COLUMNS, error=GoldError)
    sentences = corpus.sentences.set_index("sentence_id")
    groups = lexicon.groups if lexicon is not None else None
    for row in gold.to_dict("records"):
        line = row["_row"]

        def bad(message: str, field: str) -> GoldError:
            return GoldError(message, file=path, row=line, field=field)

        occurrence = row["occurrence"]
        if not occurrence.isdigit() or int(occurrence) < 1:
            raise bad(f"occurrence {occurrence!r} is not a whole number of 1 or more",
                      "occurrence")
        if row["voice"] not in VOICES:
            raise bad(f"voice {row['voice']!r} is not one of {list(VOICES)}", "voice")
        if row["group"] not in GROUPS:
            raise bad(f"group {row['group']!r} is not one of {list(GROUPS)}", "group")
        sid = row["sentence_id"]
        if sid not in sentences.index:
            raise bad(f"sentence {sid!r} is not in the corpus", "sentence_id")
        if sentences.loc[sid, "article_id"] != row["article_id"]:
            raise bad(f"sentence {sid!r} is not in {row['article_id']!r}", "sentence_id")
        n = tx.fold_case(tx.fold_chars(sentences.loc[sid, "text"])).count(
            tx.fold_case(tx.fold_chars(row["surface"])))
        if n < int(occurrence):
            raise bad(f"{row['surface']!r} occurs {n} time(s) in {sid}, so occurrence "
                      f"{occurrence} is not there", "surface")
        if groups is not None:
            if row["label"] not in groups:
                raise bad(f"label {row['label']!r} is not in the lexicon", "label")
            if groups[row["label"]] != row["group"]:
                raise bad(f"label {row['label']!r} is in group {groups[row['label']]!r} in "
                          f"the lexicon, not {row['group']!r}", "group")
    return gold.assign(occurrence=gold["occurrence"].astype("int64"))


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The matcher against the annotation.

    ``matching``: a use is found when article, sentence, surface form (folded, lower case) and
    occurrence agree. ``labels_agree``: found uses whose canonical label also agrees.
    ``quoted``: the quoted decision on found uses, ``quoted`` as the positive class;
    ``voice_agree``: found uses with the annotated voice. ``errors``: missed and spurious uses
    and wrong voices, for the reader.
    """

    matching: Scores
    labels_agree: int
    quoted: Scores
    voice_agree: int
    errors: pd.DataFrame


def evaluate(uses: pd.DataFrame, gold: pd.DataFrame) -> Evaluation:
    """Score :func:`analysis.framing.label_uses` output against :func:`load_gold`."""
    keys = ["article_id", "sentence_id", "key", "occurrence"]
    found = uses.assign(key=uses["surface"].map(_normal)).astype({"occurrence": "int64"})
    truth = gold.assign(key=gold["surface"].map(_normal)).astype({"occurrence": "int64"})
    both = found[keys + ["surface", "label", "voice"]].merge(
        truth[keys + ["surface", "label", "voice"]], on=keys, how="outer",
        suffixes=("_found", "_gold"), indicator=True)
    hit = both[both["_merge"] == "both"]
    n_hit = len(hit)
    matching = Scores.from_matches(n_hit, len(found), len(truth))
    vf, vg = hit["voice_found"] == "quoted", hit["voice_gold"] == "quoted"
    quoted = Scores.from_matches(int((vf & vg).sum()), int(vf.sum()), int(vg.sum()))
    what = np.select(
        [both["_merge"] == "left_only", both["_merge"] == "right_only",
         both["voice_found"] != both["voice_gold"]],
        ["found, not annotated", "annotated, not found", "wrong voice"], "")
    errors = both.assign(error=what)
    errors = errors[errors["error"] != ""]
    errors = pd.DataFrame({
        "error": errors["error"], "sentence_id": errors["sentence_id"],
        "surface": errors["surface_found"].fillna(errors["surface_gold"]),
        "label": errors["label_found"].fillna(errors["label_gold"]),
        "voice_found": errors["voice_found"].fillna(""),
        "voice_annotated": errors["voice_gold"].fillna(""),
    }).sort_values(["error", "sentence_id", "surface"]).reset_index(drop=True)
    return Evaluation(matching, int((hit["label_found"] == hit["label_gold"]).sum()), quoted,
                      int((vf == vg).sum()), errors)


def scores_table(ev: Evaluation) -> pd.DataFrame:
    """The two decisions as rows of :meth:`Scores.as_row` (``decision`` first)."""
    return scores_frame([ev.matching.as_row(decision="label uses found"),
                         ev.quoted.as_row(decision="quoted (not own voice)")])
