"""The one scores type: counts, the empty-set rules, and pooling."""

import pytest

from analysis.evaluation import Scores


def test_from_sets_counts_and_scores():
    s = Scores.from_sets({1, 2, 3}, {2, 3, 4, 5})
    assert (s.tp, s.fp, s.fn) == (2, 1, 2)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


@pytest.mark.parametrize("pred, gold, p, r, f", [
    (set(), set(), 1.0, 1.0, 1.0),      # nothing to find, nothing claimed
    (set(), {1}, 1.0, 0.0, 0.0),        # claimed nothing, missed one
    ({1}, set(), 0.0, 1.0, 0.0),        # claimed one, there was nothing
    ({1}, {2}, 0.0, 0.0, 0.0),
])
def test_empty_sets_have_one_rule(pred, gold, p, r, f):
    s = Scores.from_sets(pred, gold)
    assert (s.precision, s.recall, s.f1) == (p, r, f)


def test_from_matches_and_pooling():
    a = Scores.from_matches(3, 4, 5)
    assert (a.tp, a.fp, a.fn) == (3, 1, 2)
    pooled = a + Scores(1, 0, 0)
    assert (pooled.tp, pooled.fp, pooled.fn) == (4, 1, 2)
    with pytest.raises(ValueError):
        Scores.from_matches(5, 4, 5)
    with pytest.raises(ValueError):
        Scores(-1, 0, 0)


def test_as_row():
    row = Scores(1, 1, 0).as_row(task="x")
    assert row == {"task": "x", "gold": 1, "predicted": 2, "correct": 1, "precision": 0.5,
                   "recall": 1.0, "f1": pytest.approx(2 / 3)}
