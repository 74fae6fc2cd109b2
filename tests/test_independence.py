import pandas as pd

from analysis.independence import copied_from, copied_spans, copy_groups, independent_count


def test_groups_join_chains_and_keep_loners():
    pairs = pd.DataFrame({"source_id": ["a", "b"], "target_id": ["b", "c"]})
    g = copy_groups(["c", "b", "a", "d"], pairs)
    assert g["a"] == g["b"] == g["c"] == "a" and g["d"] == "d"
    assert independent_count(["a", "c"], g) == 1
    assert independent_count(["a", "d"], g) == 2


def test_groups_ignore_row_order():
    p = pd.DataFrame({"source_id": ["c", "x"], "target_id": ["b", "a"]})
    assert copy_groups("abcx", p).to_dict() == copy_groups("abcx", p.iloc[::-1]).to_dict()


def _passages(rows):
    return pd.DataFrame(rows, columns=["source_id", "target_id", "target_start", "target_end",
                                       "primary"])


def test_copied_from_inside_union_only():
    passages = _passages([("s", "t", 0, 50, True), ("u", "t", 40, 100, True),
                          ("s", "t", 200, 300, True), ("s", "t", 500, 600, False)])
    spans = pd.DataFrame({"article_id": ["t", "t", "t", "t", "t", "other"],
                          "start": [10, 45, 90, 150, 520, 10],
                          "end": [20, 95, 120, 160, 530, 20]}, index=list("ABCDEF"))
    got = copied_from(spans, copied_spans(passages))
    assert got.to_dict() == {"A": "s", "B": "u", "C": "", "D": "", "E": "", "F": ""}


def test_copied_from_handles_no_passages():
    spans = pd.DataFrame({"article_id": ["t"], "start": [0], "end": [3]})
    assert copied_from(spans, copied_spans(_passages([]))).tolist() == [""]
