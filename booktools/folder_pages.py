"""The book's pages in words for another folder: introduction, limits, glossary and citation.

The book's own ``book/intro.md``, ``book/limits.md`` and ``book/glossary.md`` describe its five
reports (their event, outlets and dates). A book built for another corpus folder
(:mod:`booktools.book_for`) gets these pages from the templates in ``booktools/pages/`` instead:
what the book is, the questions its chapters ask, how to cite it and the limits that hold for any
folder. The few facts about the folder they state (its name, the number of articles, which
articles have inferred dates, which hand annotations, speakers table or lexicon it brings) are
read from the folder here, when the book is built; nothing about it is typed by hand.

The folder's name and every manifest value are untrusted: they go into the Markdown only through
:func:`analysis.present.publish.plain_markdown`, so they show as written and never become markup,
a MyST role or directive, a substitution, HTML or a link.

The copy's ``CITATION.cff`` keeps the book's authors, version, date and base URL (so the "Cite
this" lines of :mod:`booktools.sphinx_ext` and ``html.baseurl`` still agree) and gets a title that
names the folder instead of the book's story.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "pages"
PAGES = ("intro", "limits", "glossary")  # written to book/<name>.md of the copy
CITATION = "CITATION.cff"
TASKS = ("reuse", "claims", "quotes", "framing", "spin")  # annotations/<task>/ the book reads
TASK_WORDS = {"reuse": "copied passages", "claims": "figures", "quotes": "quotations",
              "framing": "framing labels", "spin": "spun wording"}
LIST_AT_MOST = 6  # inferred dates: name the articles up to this many, else count them
# The facts the pages read from the folder, besides the number of articles (the intro says so).
FACTS_READ = "whose dates are inferred, which hand annotations, speakers table and lexicon it holds"


@dataclass(frozen=True)
class FolderFacts:
    """What the pages say about a corpus folder, each value plain text (escaped when written)."""

    name: str  # the folder's own name
    n_articles: int
    inferred: tuple[str, ...]  # reader names (manifest labels) of articles with inferred dates
    annotated: tuple[str, ...]  # tasks of TASKS with hand annotations in annotations/<task>/
    speakers_table: bool  # speakers/speakers.csv
    lexicon: bool  # framing/labels.csv


def is_book_corpus(corpus: Path | str, root: Path = ROOT) -> bool:
    """``corpus`` is the book's own ``data/`` folder (its pages then stay as they are)."""
    return Path(corpus).expanduser().resolve() == (root / "data").resolve()


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and any(
        p.is_file() and not p.name.startswith(".") for p in folder.rglob("*"))


def folder_facts(corpus: Path | str) -> FolderFacts:
    """The facts of :class:`FolderFacts`, read from the corpus folder with the chapters' own
    loader (so the number of articles is the number the chapters show)."""
    from analysis.corpus import load_corpus

    root = Path(corpus).expanduser().resolve()
    loaded = load_corpus(root)
    articles = loaded.articles
    inferred = []
    for _, row in articles.iterrows():
        basis = str(row.get("date_basis") or "").strip().lower()
        if basis.startswith("inferred"):
            inferred.append(str(row.get("label") or "").strip() or str(row["id"]))
    return FolderFacts(
        name=root.name, n_articles=len(articles), inferred=tuple(inferred),
        annotated=tuple(t for t in TASKS if _has_files(root / "annotations" / t)),
        speakers_table=(root / "speakers" / "speakers.csv").is_file(),
        lexicon=(root / "framing" / "labels.csv").is_file())


# --- Sentences that depend on the folder ----------------------------------------------------

def _names(labels: tuple[str, ...]) -> str:
    from analysis.present.publish import plain_markdown
    from analysis.present.words import join

    return join([f"*{plain_markdown(label)}*" for label in labels])


def dates_sentence(facts: FolderFacts) -> str:
    from analysis.present.words import count, plural, verb

    n = len(facts.inferred)
    if n == 0:
        return ("No article's date is marked as inferred in the manifest's `date_basis` "
                "column, but every order and every day in the chapters rests on the manifest's "
                "dates: a wrong date moves an article on every timeline and can turn round a "
                "decision of who copied whom.")
    who = (_names(facts.inferred) if n <= LIST_AT_MOST
           else f"{count(n, 'article')} of the folder")
    return (f"The {plural(n, 'date')} of {who} {verb(n, 'is', 'are')} inferred (the manifest's "
            "`date_basis` column): reasoned, not stated, and everything that depends on order "
            "or on a day inherits that inference.")


def validation_sentence(facts: FolderFacts) -> str:
    from analysis.present.words import join

    if not facts.annotated:
        return ("This folder has no hand annotations (no `annotations/` folder in the book's "
                "formats), so no chapter validates its method here: nothing in this book "
                "measures how accurate the methods are on these articles.")
    tasks = join([TASK_WORDS[t] for t in facts.annotated])
    missing = [TASK_WORDS[t] for t in TASKS if t not in facts.annotated]
    rest = (f" Nothing measures the methods for {join(missing)} on these articles." if missing
            else "")
    return (f"This folder has hand annotations of {tasks} (`annotations/`); the chapters' "
            "validation sections measure the methods against them. Those scores are only as "
            "good as the annotations, and in-sample if the methods' settings were chosen while "
            f"reading these articles.{rest}")


def speakers_sentence(facts: FolderFacts) -> str:
    if facts.speakers_table:
        return ("Sides, roles and countries come from the folder's own hand table "
                "(`speakers/speakers.csv`): they are its authors' judgement, and a speaker the "
                "table does not list has none.")
    return ("This folder has no speakers table (`speakers/speakers.csv`): speakers are found in "
            "the text alone, a name is its fullest printed form, and no speaker has a side, "
            "role or country.")


def lexicon_sentence(facts: FolderFacts) -> str:
    if facts.lexicon:
        return ("This folder brings its own lexicon (`framing/labels.csv`): its labels and "
                "stances are its authors' choice, and the counts see only what it lists.")
    return ("This folder has no lexicon of its own (`framing/labels.csv`), so the book's is "
            "used: it was written for reports on one armed conflict and applies only to the "
            "articles that name that conflict (the framing chapter's section on the lexicon "
            "says which); a folder on another subject needs its own lexicon for its labels to "
            "be counted.")


# --- The pages ------------------------------------------------------------------------------

def folder_citation(book_cff: Path | str, facts: FolderFacts) -> dict:
    """The copy's ``CITATION.cff`` (as data): the book's, with a title naming the folder."""
    data = yaml.safe_load(Path(book_cff).read_text(encoding="utf-8")) or {}
    name = " ".join(facts.name.split())
    data["title"] = f"Wire and Spin, applied to the folder “{name}”"
    return data


def render(page: str, facts: FolderFacts, citation_path: Path | str,
           base_url: str = "") -> str:
    """The Markdown of ``page`` (one of :data:`PAGES`) for the folder of ``facts``; the
    citation is read from ``citation_path`` (the copy's ``CITATION.cff``)."""
    from analysis.present.publish import plain_markdown
    from analysis.present.words import count
    from booktools.sphinx_ext import read_citation

    cited = read_citation(citation_path)
    annotations = ", its hand annotations" if facts.annotated else ""
    values = {
        "folder": plain_markdown(facts.name),
        "articles": count(facts.n_articles, "article"),
        "facts_read": FACTS_READ,
        "annotations_in_zip": annotations,
        "authors": plain_markdown(cited.authors), "year": plain_markdown(cited.year),
        "title": plain_markdown(cited.title), "version": plain_markdown(cited.version),
        "base_url": f"`{base_url}`" if base_url and "`" not in base_url else "not set",
        "validation": validation_sentence(facts),
        "dates": dates_sentence(facts),
        "speakers": speakers_sentence(facts),
        "lexicon": lexicon_sentence(facts),
    }
    template = Template((TEMPLATES / f"{page}.md").read_text(encoding="utf-8"))
    return template.substitute(values)


def write_folder_pages(src: Path | str, corpus: Path | str, root: Path = ROOT) -> list[Path]:
    """Write the folder's introduction, limits, glossary and ``CITATION.cff`` into the book copy
    ``src`` (over the book's own), unless ``corpus`` is the book's ``data/``; the paths written."""
    if is_book_corpus(corpus, root):
        return []
    src = Path(src)
    facts = folder_facts(corpus)
    cff = src / CITATION
    cff.write_text(yaml.safe_dump(folder_citation(root / CITATION, facts), sort_keys=False,
                                  allow_unicode=True), encoding="utf-8")
    config = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8")) or {}
    base_url = str((config.get("html") or {}).get("baseurl") or "")
    written = [cff]
    for page in PAGES:
        path = src / "book" / f"{page}.md"
        path.write_text(render(page, facts, cff, base_url), encoding="utf-8")
        written.append(path)
    return written
