import pytest

from analysis.present.words import capital, count, join, number, plural, verb


@pytest.mark.parametrize("n, out", [(0, "no pairs"), (1, "one pair"), (2, "two pairs"),
                                    (10, "ten pairs"), (11, "11 pairs"), (1234, "1,234 pairs")])
def test_count_reads_naturally(n, out):
    assert count(n, "pair") == out


def test_irregular_plural_and_digits():
    assert count(3, "copy", "copies") == "three copies"
    assert count(1, "copy", "copies") == "one copy"
    assert count(0, "case", zero="zero") == "zero cases"
    assert count(2, "day", spell=False) == "2 days"
    assert plural(1, "statement") == "statement" and plural(0, "statement") == "statements"


def test_agreement_helpers():
    assert verb(1, "is", "are") == "is" and verb(0, "is", "are") == "are"
    assert capital(count(0, "pair") + " remain.") == "No pairs remain."
    assert join(["a"]) == "a" and join(["a", "b"]) == "a and b"
    assert join(["a", "b", "c"], "or") == "a, b or c"
    assert number(7) == "seven" and number(7, spell=False) == "7"
