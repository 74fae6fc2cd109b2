"""Findings at a glance: one sentence per question, over roles, true on any corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import shared
from analysis.present.findings import findings

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"


def test_book_findings_name_the_roles(book_run):
    text = findings(book_run).text
    assert set(text) == {"finding-reuse", "finding-numbers", "finding-voices", "finding-framing",
                         "finding-spin"}
    assert text["finding-reuse"].startswith("*Times of Israel* has the largest share")
    assert "one is set against a denial" in text["finding-numbers"]
    assert "the most heard is Hulusi Akar" in text["finding-voices"]
    assert text["finding-spin"].startswith("*Unattributed \\(004\\)* has the most thesaurus flags")
    assert "the only report over its flag line" in text["finding-spin"]
    assert "calls no report spun" in text["finding-spin"]


def test_fixture_findings_follow_its_own_data(tmp_path):
    text = findings(shared.run(str(FIXTURE), str(tmp_path / "run"))).text
    assert text["finding-reuse"].startswith("*Courier* has the largest share")
    assert "all of them to *Gazette*" in text["finding-reuse"]
    assert "*Gazette* is the earlier of the two" in text["finding-reuse"]
    assert "one conflicts" in text["finding-numbers"]


def test_manifest_labels_cannot_add_markup(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURE, root)
    manifest = (root / "manifest.csv").read_text(encoding="utf-8")
    (root / "manifest.csv").write_text(manifest.replace(",Courier,", ",<b>Courier</b>,"),
                                       encoding="utf-8")
    text = findings(shared.run(str(root), str(tmp_path / "run"))).text["finding-reuse"]
    assert "<b>" not in text and text.startswith("*&lt;b&gt;Courier&lt;")
