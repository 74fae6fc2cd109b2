"""Numbers and plurals in reader-facing sentences: one helper, so a zero or a one reads naturally.

``count(1, "pair")`` gives "one pair", ``count(0, "pair")`` "no pairs", ``count(12, "pair")``
"12 pairs". Numbers up to ten are spelled out (house style for prose); larger ones keep digits
with a thousands separator. Irregular plurals are passed explicitly (``count(2, "copy", "copies")``)
rather than guessed, because a wrong guess prints a wrong word.
"""

from __future__ import annotations

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten")


def number(n: int, *, spell: bool = True) -> str:
    """``n`` as prose: a word up to ten (when ``spell``), else digits with a thousands comma."""
    n = int(n)
    if spell and 0 <= n < len(NUMBER_WORDS):
        return NUMBER_WORDS[n]
    return f"{n:,}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``word`` for ``n == 1``, else ``many`` (default: ``word`` + "s")."""
    return word if int(n) == 1 else (many if many is not None else word + "s")


def count(n: int, word: str, many: str | None = None, *, zero: str = "no",
          spell: bool = True) -> str:
    """"no pairs", "one pair", "12 pairs": the number and the noun agreeing with it."""
    n = int(n)
    head = zero if n == 0 and zero else number(n, spell=spell)
    return f"{head} {plural(n, word, many)}"


def verb(n: int, one: str, many: str) -> str:
    """The verb form that agrees with ``n`` ("is"/"are", "has"/"have")."""
    return one if int(n) == 1 else many


def capital(sentence: str) -> str:
    """The sentence with its first letter in capitals ("no pairs…" → "No pairs…")."""
    return sentence[:1].upper() + sentence[1:]


def join(items: list[str], conj: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"
