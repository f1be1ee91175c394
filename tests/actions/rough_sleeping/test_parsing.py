"""Pure helpers reading rough sleeping reports: places, times, contact, safety words."""

from __future__ import annotations

from datetime import datetime

import pytest

from actions.rough_sleeping.parsing import (
    asks_what_we_mean,
    count_people,
    find_what3words,
    is_specific_location,
    location_names,
    mentions_child,
    mentions_danger,
    mentions_self_homeless,
    mentions_someone_else,
    parse_contact,
    parse_seen_time,
    sounds_unsure,
    spot_in,
)

NOW = datetime(2026, 12, 18, 10, 30)  # a Friday morning


@pytest.mark.parametrize(
    ("said", "seen"),
    [
        ("last night around 11", datetime(2026, 12, 17, 23, 0)),
        ("last night about 2am", datetime(2026, 12, 18, 2, 0)),
        ("this morning", datetime(2026, 12, 18, 8, 0)),
        ("this morning about 7am", datetime(2026, 12, 18, 7, 0)),
        ("yesterday evening at half 9", datetime(2026, 12, 17, 21, 30)),
        ("at 3.15pm yesterday", datetime(2026, 12, 17, 15, 15)),
        ("23:00 last night", datetime(2026, 12, 17, 23, 0)),
        ("on Monday night", datetime(2026, 12, 14, 23, 0)),
        ("2 hours ago", datetime(2026, 12, 18, 8, 30)),
        ("about an hour ago", datetime(2026, 12, 18, 9, 30)),
        ("just now", datetime(2026, 12, 18, 10, 30)),
        ("at 11pm", datetime(2026, 12, 17, 23, 0)),
        ("around 9", datetime(2026, 12, 18, 9, 0)),
    ],
)
def test_time_seen_understood_from_residents_words(said, seen):
    assert parse_seen_time(said, NOW) == seen


@pytest.mark.parametrize("said", ["", "blah", "two men", "tonight", "11"])
def test_time_seen_not_guessed_or_in_the_future(said):
    assert parse_seen_time(said, NOW) is None


def test_spacy_time_entities_are_read_too():
    assert parse_seen_time("when I walked past", NOW, ["last night around 11"]) == datetime(
        2026, 12, 17, 23, 0)


@pytest.mark.parametrize(
    "place",
    [
        "doorway of Boots on Church Lane",
        "bus shelter opposite the library on High Street",
        "level 2 of the multi-storey car park behind Tesco",
        "///filled.count.soap",
    ],
)
def test_specific_places(place):
    assert is_specific_location(place)


@pytest.mark.parametrize("place", ["in town", "near the shops", "Church Lane", "the car park", ""])
def test_vague_places(place):
    assert not is_specific_location(place)


def test_spacy_place_entities_count_as_names():
    entities = [{"entity": "FAC", "value": "the Mall"}, {"entity": "DATE", "value": "today"}]
    assert is_specific_location("outside the entrance", entities)
    assert location_names(entities, "outside the Mall on Market Street") == [
        "the Mall", "Market Street"]


def test_what3words_found_but_not_in_email_addresses():
    assert find_what3words("it's ///Filled.Count.Soap") == "///filled.count.soap"
    assert find_what3words("email pat.smith@example.com") is None


@pytest.mark.parametrize(
    ("said", "contact"),
    [
        ("Pat Smith, 07700 900123", {"name": "Pat Smith", "phone": "07700900123", "email": None}),
        ("my name is Jo, jo@Example.com", {"name": "Jo", "phone": None,
                                           "email": "jo@example.com"}),
        ("+44 7700 900123", {"name": None, "phone": "07700900123", "email": None}),
        ("call me", {"name": None, "phone": None, "email": None}),
    ],
)
def test_contact_details_read(said, contact):
    assert parse_contact(said) == contact


@pytest.mark.parametrize(
    ("description", "people"),
    [("two men and a dog", 2), ("a couple in their 50s", 2), ("a man in his 40s", 1),
     ("group of lads", 3)],
)
def test_people_counted(description, people):
    assert count_people(description) == people


def test_safety_words():
    assert mentions_danger("he's not breathing")
    assert mentions_danger("she collapsed outside")
    assert not mentions_danger("he looked cold")
    assert mentions_child("a teenage girl")
    assert mentions_child("he's about 15 years old")
    assert mentions_child("one of them looks about 15")
    assert mentions_child("she's only about 15")
    assert not mentions_child("man in his 40s")
    assert not mentions_child("saw him around 11 last night")


def test_mixed_message_is_both_homeless_and_about_someone_else():
    text = "I'm homeless and there's someone else in the doorway too"
    assert mentions_self_homeless(text) and mentions_someone_else(text)
    assert not mentions_self_homeless("there's a homeless man in the doorway")
    assert not mentions_someone_else("I have nowhere to sleep tonight")


def test_place_taken_from_a_report_sentence():
    assert spot_in("someone is sleeping in the bus shelter on High Street") == (
        "in the bus shelter on High Street")
    assert spot_in("a man's been kipping behind the library") == "behind the library"
    assert spot_in("doorway of Boots") == "doorway of Boots"
    assert spot_in("theres a man sleeping in the doorway of boots on church lane, he looks "
                   "really ill") == "in the doorway of boots on church lane"
    assert spot_in("a woman sleeping by the canal and she has a dog") == "by the canal"


@pytest.mark.parametrize("text", ["what do you mean?", "What?", "sorry?", "huh",
                                  "Sorry, I don't understand", "can you repeat that",
                                  "um what does that mean"])
def test_questions_about_the_question(text):
    assert asks_what_we_mean(text)


@pytest.mark.parametrize("text", ["the doorway of Boots", "sorry, he's in the car park",
                                  "what a state he was in, red coat", "no", ""])
def test_answers_are_not_questions_about_the_question(text):
    assert not asks_what_we_mean(text)


def test_unsure_replies():
    for text in ("not sure", "no idea", "I can't tell", "maybe", "hard to say"):
        assert sounds_unsure(text)
    for text in ("no", "yes", "nope, an adult"):
        assert not sounds_unsure(text)
