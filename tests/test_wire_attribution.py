"""Wire-style attribution (issue 16): one hand-written case per pattern, no table, so each
speaker is the name the text prints. Every sentence here is made up; none is Reuters text."""

import pytest

from analysis import quotes, speakers


def found(text):
    """(quoted text, speaker) of every quotation of ``text``, found without a table."""
    q = quotes.analyse_plain_text(text, finder=speakers.SpeakerFinder()).quotes
    return list(zip(q["text"], q["speaker"]))


def speaker_of(text):
    (pair,) = found(text)
    return pair[1]


def reported(text):
    r = quotes.analyse_plain_text(text, finder=speakers.SpeakerFinder()).reported
    return list(zip(r["speaker"], r["cue"]))


@pytest.mark.parametrize("text, speaker", [
    # X said / said X / X told Reuters / according to X
    ('"Prices will rise," Marta Olsen said.', "Marta Olsen"),
    ('"Prices will rise," said Marta Olsen.', "Marta Olsen"),
    ('Marta Olsen told Reuters that prices would "rise sharply" soon.', "Marta Olsen"),
    ('Sales fell, according to Marta Olsen, who called it "a blip".', "Marta Olsen"),
    # a role noun between an inverted verb and the name
    ('"Prices will rise," said analyst Marta Olsen of Kestrel Brothers Inc.', "Marta Olsen"),
    ('"Prices will rise," said Kestrel analyst Marta Olsen.', "Marta Olsen"),
    ('The board wants "more time," according to director Marta Olsen.', "Marta Olsen"),
])
def test_the_common_wire_frames(text, speaker):
    assert speaker_of(text) == speaker


def test_appositive_with_title_or_any_insertion_before_the_verb():
    assert speaker_of('Ivo Brandt, the transport minister, said "the road will open."') \
        == "Ivo Brandt"
    assert speaker_of('Ivo Brandt, a close ally of the mayor, told reporters "we are ready."') \
        == "Ivo Brandt"
    assert speaker_of('Ivo Brandt, here for talks with Harbour Board officials, said "no."') \
        == "Ivo Brandt"


def test_a_place_after_a_preposition_is_not_the_subject():
    text = 'Senator Ivo Brandt (Liberal) of New Hampshire said the plan was "a mistake."'
    assert speaker_of(text) == "Ivo Brandt"
    assert reported("Ivo Brandt of Lakeside Foods Co said sales rose.") == [("Ivo Brandt",
                                                                             "said")]


def test_pronoun_goes_to_the_last_person_not_a_region_or_company():
    text = ('Trade Secretary Lena Varga spoke in Madrid. The plan covers Western Europe and '
            'Northwind Airplane Co.\n\n"Exports are vital," she said.')
    assert speaker_of(text) == "Lena Varga"


def test_he_said_after_but_takes_the_subject_of_the_sentence():
    text = ('Finance Secretary Omar Pell met the bankers. He gave no details but said, '
            '"It is a useful plan."')
    assert speaker_of(text) == "Omar Pell"


def test_statement_after_a_sentence_of_reported_speech_takes_its_speaker():
    text = ('Senator Omar Pell said he was pleased by the speech.\n\n'
            '"But one speech is not enough to rebuild trust."')
    assert speaker_of(text) == "Omar Pell"


def test_quotation_after_a_later_cue_is_not_given_to_the_earlier_quote():
    text = ('"We will wait," Omar Pell said. Lena Varga said the talks would go on.\n\n'
            '"Nothing is settled yet, and we will not rush it."')
    assert [s for _, s in found(text)] == ["Omar Pell", "Lena Varga"]


def test_spokesman_for_a_body_speaks_for_the_body_and_he_is_him():
    text = ('A spokesman for Northwind Airways confirmed the terms. "We will own the planes," '
            'he said.')
    assert speaker_of(text) == "Northwind Airways"
    text = ('Lakeside Foods Inc reopened its plant, despite the Meat Workers Union. The strike '
            'is over, a company spokesman said. "Work resumes at eight," he said.')
    assert speaker_of(text) == "Lakeside Foods Inc"


def test_an_official_of_a_named_company_speaks_for_it():
    assert speaker_of('An official of Northwind Airways said there would be no "give-away" '
                      'deals.') == "Northwind Airways"


def test_report_and_statement_speak_for_their_body():
    text = ('The Harbour Commission report was published today. "The port failed," the '
            'report said.')
    assert speaker_of(text) == "Harbour Commission"
    text = ('The statement by the Coastal Defence Council was read on radio. "Our forces hold '
            'the line," said the statement.')
    assert speaker_of(text) == "Coastal Defence Council"
    text = ('Lakeside Foods Inc met the Meat Workers Union. "Start-up went well today and '
            'work will go on," according to a company statement.')
    assert speaker_of(text) == "Lakeside Foods Inc"


def test_it_said_speaks_for_the_last_document():
    text = ('The statement by the Coastal Defence Council was read on radio. It claimed '
            'victory and urged the rebels to "come to their senses" at once.')
    assert speaker_of(text) == "Coastal Defence Council"


def test_party_and_titled_descriptions_resolve_to_the_person_named_before():
    text = ('Senate leader Omar Pell spoke first.\n\n"You should move on," the Kansas '
            'Republican, a likely candidate, said.')
    assert speaker_of(text) == "Omar Pell"
    text = ('Harbour Board President Lena Varga arrived.\n\n"We are ready," the Harbour '
            'president said.')
    assert speaker_of(text) == "Lena Varga"


def test_titled_description_with_no_such_person_stays_itself():
    assert speaker_of('"We are ready," the Harbour president said.') == "Harbour president"


def test_capital_headline_words_are_never_a_name():
    finder = speakers.SpeakerFinder()
    names = [m.name for m in finder.mentions("PELL WANTS MORE TIME\n\nOmar Pell spoke.", [])]
    assert names == ["Omar Pell"]
    assert speaker_of('PELL WANTS TIME\n\n"We need a month," said Omar Pell.') == "Omar Pell"


def test_bracketed_gloss_is_not_a_person():
    text = ('Omar Pell said the pact (General Agreement on Tariffs and Trade) should judge it, '
            'adding "what is to happen to the rest of us?"')
    assert speaker_of(text) == "Omar Pell"


def test_new_cue_verbs():
    assert speaker_of('When asked, Omar Pell replied: "That is fiction."') == "Omar Pell"
    assert speaker_of('Omar Pell denounced the reports as "despicable fiction."') == "Omar Pell"
    assert speaker_of('Omar Pell dismissed the claims as "completely untrue," a paper said.') \
        == "Omar Pell"
    assert speaker_of('The study notes: "Growth was the lowest since 1965."') == unknown_or_body()


def unknown_or_body():
    return speakers.UNKNOWN  # a document with no body named before it speaks for no one


def test_a_cue_word_inside_a_name_is_no_cue():
    assert reported("The United States sent aid. Omar Pell said it came late.") == [
        ("Omar Pell", "said")]


def test_a_participle_that_is_a_noun_is_no_cue():
    assert found('The maker will grant "offset" deals for early warning planes.') == [
        ("offset", speakers.UNKNOWN)]
    assert reported("Omar Pell met them, saying talks would go on.") == [("Omar Pell",
                                                                          "saying")]


def test_doubled_opening_mark_opens_one_quotation():
    text = '"But if they drew back," he said, ""it does not mean they would again."'
    assert [t for t, _ in found("Omar Pell spoke. " + text)] == [
        "But if they drew back", "it does not mean they would again."]
    assert [s for _, s in found("Omar Pell spoke. " + text)] == ["Omar Pell"] * 2


def test_a_past_participle_after_a_determiner_is_an_adjective():
    assert all(cue != "repeated" for _, cue in reported(
        "Omar Pell criticised the ministry for ignoring repeated warnings."))
    assert all(cue != "repeated" for _, cue in reported(
        "Omar Pell met them. The board ignored his repeated calls."))


def test_notes_and_states_are_cues_only_after_a_pronoun_title_or_document():
    assert reported("Harbour notes: after the flood\n\nThe tide rose.") == []
    text = 'The Harbour Commission report came out. "Growth was low," the report notes.'
    assert speaker_of(text) == "Harbour Commission"


def test_pronoun_after_an_appositive_spokesman_is_the_named_person():
    text = ("Karl Mesner, a spokesman for the Marren Basin Authority, said the river would rise. "
            'He added: "A second crest may come."')
    assert speaker_of(text) == "Karl Mesner"
    assert speaker_of('Hospitals were full, a health ministry spokeswoman said: "We need beds."') \
        == "health ministry spokeswoman"
