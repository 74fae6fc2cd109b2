"""Run the claims method alone on a corpus: ``python -m analysis.claims [FOLDER] [--out F]``.

Prints how many claims each report has, the comparison verdicts and any report that could not
be read (one bad report never stops the others); ``--out`` writes the claims as CSV.
"""

from __future__ import annotations

import argparse

from analysis import claims
from analysis.corpus import load_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.claims")
    parser.add_argument("folder", nargs="?", help="corpus folder (default: $WIRESPIN_CORPUS "
                        "or the book's data)")
    parser.add_argument("--out", help="write the claims to this CSV file")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.folder)
    errors: list[claims.ClaimError] = []
    found = claims.extract_claims(corpus, errors=errors)
    comparison = claims.compare(found, corpus)
    print(f"{len(found)} claims in {corpus.articles.shape[0]} reports")
    print(found.groupby("article_id").size().to_string())
    print(comparison["verdict"].value_counts().to_string())
    for err in errors:
        print(f"error: {err}")
    if args.out:
        found.to_csv(args.out, index=False)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
