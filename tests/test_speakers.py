"""analysis.speakers: names found in the text, resolution, and the optional speakers table."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import speakers
from analysis import text as textlib
from shared import BOOK


def resolved(text, finder=None):
    finder = finder or speakers.SpeakerFinder()
    found = finder.mentions(textlib.fold_chars(text), [])
    return [(m.surface, name) for m, name in zip(found, finder.resolve_all(found))]


def test_titles_are_cut_from_names_and_kept_as_role():
    finder = speakers.SpeakerFinder()
    (m,) = finder.mentions("Russian Foreign Minister Sergei Lavrov spoke.", [])
    assert (m.name, m.role, m.kind) == ("Sergei Lavrov", "Russian Foreign Minister", "person")
    (m,) = finder.mentions("Secretary of State Mike Pompeo spoke.", [])
    assert m.name == "Mike Pompeo"


def test_surname_title_and_pronoun_resolve_to_the_last_fitting_name():
    got = resolved("Mayor Oskar Hallberg spoke. Then Hallberg left. The mayor returned and "
                   "he spoke again.")
    assert [n for _, n in got] == ["Oskar Hallberg"] * 4


def test_pronoun_skips_places_and_bodies():
    got = resolved("Angela Merkel met them in Berlin. The Kremlin agreed. She left.")
    assert got[-1] == ("She", "Angela Merkel")


def test_possessive_is_not_a_mention_and_sentence_start_words_are_not_names():
    got = resolved("Putin's spokesman Dmitry Peskov spoke. The talks ended.")
    assert [s for s, _ in got] == ["Dmitry Peskov"]


def test_descriptions_with_a_qualifier_are_speakers_bare_ones_anaphors():
    got = resolved("The Russian defence ministry said so. The ministry also denied it.")
    assert got == [("The Russian defence ministry", "Russian defence ministry"),
                   ("The ministry", "Russian defence ministry")]
    assert resolved("The ministry said so.") == [("The ministry", speakers.UNKNOWN)]


def test_same_speaker_by_initials():
    assert speakers.same_speaker("United States", "US")
    assert speakers.same_speaker("U.N.", "United Nations")
    assert not speakers.same_speaker("United States", "UK")
    assert not speakers.same_speaker(speakers.UNKNOWN, speakers.UNKNOWN)


def test_table_maps_aliases_to_canonical_names():
    finder = speakers.finder(BOOK)
    assert [n for _, n in resolved("Ankara said no. Moscow said yes.", finder)] == [
        "Turkish government", "Russian government"]
    assert finder.info("Hulusi Akar")["side"] == "Turkey"
    assert finder.info("Nobody")["side"] == ""


def test_table_is_optional(tmp_path):
    assert speakers.speakers_path(tmp_path) is None
    assert speakers.finder(tmp_path).table is None


def write_speakers(tmp_path, rows):
    path = tmp_path / "speakers.csv"
    pd.DataFrame(rows, columns=list(speakers.SPEAKER_COLUMNS)).to_csv(path, index=False)
    return path


def row(name, aliases, kind="person"):
    return [name, aliases, kind, "r", "s", "i", "s", "C", "s", "Side"]


def test_speakers_table_checks_name_file_row_and_field(tmp_path):
    with pytest.raises(speakers.SpeakersError, match=r"row 3, field 'aliases'.*names both"):
        speakers.load_speakers(write_speakers(tmp_path, [row("A", "Ann;Smith"),
                                                         row("B", "smith")]))
    with pytest.raises(speakers.SpeakersError, match="pronoun or title"):
        speakers.load_speakers(write_speakers(tmp_path, [row("A", "Ann;the minister")]))
    with pytest.raises(speakers.SpeakersError, match=r"row 3, field 'name'.*duplicate"):
        speakers.load_speakers(write_speakers(tmp_path, [row("A", "Ann"), row("A", "Bo")]))
    pd.DataFrame({"name": ["A"]}).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(speakers.SpeakersError, match="field 'aliases'"):
        speakers.load_speakers(tmp_path / "bad.csv")


def test_real_speakers_table_has_sources():
    table = speakers.load_speakers(BOOK / "speakers" / "speakers.csv")
    assert (table["role_source"] != "").all()


# --- the look-ups that keep finding and resolving linear answer as the scans they replace ----

@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=8),
       st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6)), max_size=12))
def test_taken_spans_answer_like_a_scan(skip, tries):
    taken, plain = speakers._Taken(skip), list(skip)
    for start, length in tries:
        s, e = start, start + length
        free = not any(a < e and s < b for a, b in plain)
        assert taken.free(s, e) == free
        if free:  # mentions are only added where nothing is taken
            taken.add(s, e)
            plain.append((s, e))


NAMES = ["Hulusi Akar", "Akar", "Syrian Observatory for Human Rights", "Observatory",
         "Turkish defence ministry", "al-Assad", "Bashar al-Assad", "Russia", "he"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NAMES),
                          st.sampled_from(["person", "body", "ministry", "place", "group"]),
                          st.sampled_from(["", "Minister", "defence ministry", "official"])),
                max_size=12),
       st.sampled_from(NAMES), st.integers(1, 2))
def test_history_answers_like_a_backward_scan(entries, name, length):
    history = speakers._History()
    for i, entry in enumerate(entries):
        history.append(entry)
        earlier = entries[:i + 1]
        assert history.last_of(name) == next((h for h in reversed(earlier) if h[0] == name),
                                             None)
        tail = speakers._bare(name.split()[-1])
        scan = next((n for n, kind, _ in reversed(earlier)
                     if len(n.split()) > length and (
                         (kind == "person" and speakers._bare(n.split()[-1]) == tail)
                         or (kind in ("body", "ministry")
                             and tail in [speakers._bare(w) for w in n.split()]))), None)
        assert history.last_longer_name(tail, length) == scan
        fits = lambda n, kind, role: kind == "person" and "minister" in role.lower()  # noqa: E731
        assert history.last_match("minister", fits) == next(
            (h for h in reversed(earlier) if fits(*h)), None)
