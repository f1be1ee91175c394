"""Each content check: a change that breaks it is reported with the example at fault."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.content import checks
from bot.content.store import AllowedPair, ContentSet, ContentStore, Intent, Response
from bot.settings import PROJECT_DIR

ALLOWED_FILE = Path("data/checks/similar_examples.yml")


@pytest.fixture
def content(project: Path) -> ContentSet:
    return ContentStore(project).load()


def with_examples(content: ContentSet, intent: str, examples: list[str]) -> ContentSet:
    current = content.intents[intent]
    return content.with_intent(replace(current, examples=tuple(examples)))


def with_answer(content: ContentSet, name: str, text: str) -> ContentSet:
    response = content.responses[f"utter_faq/{name}"]
    return content.with_response(replace(response, texts=(text,)))


def test_launch_like_project_has_no_problems(content: ContentSet) -> None:
    assert checks.run_checks(content) == []


def test_too_few_examples_names_the_intent(content: ContentSet) -> None:
    thin = with_examples(content, "faq/noise_complaints", ["noise complaint", "loud music"])

    problems = checks.too_few_examples(thin)

    assert [(p.code, p.intent) for p in problems] == [("too_few_examples", "faq/noise_complaints")]
    assert "has 2 example(s)" in problems[0].message and "at least 10" in problems[0].message
    assert checks.too_few_examples(content) == []


def test_example_used_in_two_intents_is_reported_once_against_the_faq(
    content: ContentSet,
) -> None:
    examples = [*content.intents["faq/noise_complaints"].examples, "When is my bin day?"]
    clash = with_examples(content, "faq/noise_complaints", examples)

    problems = checks.duplicate_examples(clash)

    assert len(problems) == 1
    assert problems[0].intent == "faq/noise_complaints"
    assert problems[0].example == "When is my bin day?"
    assert "bin_day" in problems[0].message and "faq/noise_complaints" in problems[0].message
    assert checks.duplicate_examples(content) == []


def test_example_worded_almost_like_another_intents_is_reported(content: ContentSet) -> None:
    examples = [*content.intents["faq/hwrc_opening_times"].examples, "when is the bin day"]
    close = with_examples(content, "faq/hwrc_opening_times", examples)

    problems = checks.similar_examples(close)

    assert [(p.intent, p.example) for p in problems] == [
        ("faq/hwrc_opening_times", "when is the bin day")
    ]
    assert '"when is my bin day" (bin_day)' in problems[0].message


def test_short_examples_that_differ_in_meaning_are_not_called_similar(
    content: ContentSet,
) -> None:
    examples = [*content.intents["faq/hwrc_opening_times"].examples, "when is my bin bay"]
    typo = with_examples(content, "faq/hwrc_opening_times", examples)
    assert checks.similar_examples(typo)  # one letter apart: too close
    negated = with_examples(content, "greet", ["please do", "thank you"])
    negated = with_examples(negated, "bin_day", ["please don't", "no thank you"])

    assert checks.similar_examples(negated) == []
    assert checks.similar_examples(content) == []


def test_examples_compared_without_entity_annotations(content: ContentSet) -> None:
    examples = [*content.intents["faq/noise_complaints"].examples, "bin collection day for AN1 1AA"]
    clash = with_examples(content, "faq/noise_complaints", examples)

    problems = checks.duplicate_examples(clash)

    assert [p.example for p in problems] == ["bin collection day for AN1 1AA"]


@pytest.mark.parametrize("text, code", [
    ("", "empty_answer"),
    ("   ", "empty_answer"),
    (" ".join(["word"] * 81) + " [More](https://www.anytown.gov.uk/x)", "long_answer"),
    ("Read more [here] (https://www.anytown.gov.uk/noise).", "link_format"),
    ("Read more [here](https://www.anytown.gov.uk/noise", "link_format"),
    ("Read more at www.anytown.gov.uk/noise", "link_format"),
    ("Read more [here](http://www.anytown.gov.uk/noise).", "link_format"),
    ("Call us on 01234 567890.", "link_count"),
    ("[One](https://www.anytown.gov.uk/a) or [two](https://www.anytown.gov.uk/b)", "link_count"),
])
def test_bad_answers_are_reported(content: ContentSet, text: str, code: str) -> None:
    problems = checks.answer_problems(with_answer(content, "noise_complaints", text))

    assert code in {p.code for p in problems}
    assert all(p.intent == "faq/noise_complaints" for p in problems)


def test_answer_of_exactly_eighty_words_with_one_link_passes(content: ContentSet) -> None:
    text = " ".join(["word"] * 78) + " [Report noise](https://www.anytown.gov.uk/report/noise)"

    assert checks.answer_problems(with_answer(content, "noise_complaints", text)) == []


def test_question_without_answer_and_answer_without_question(content: ContentSet) -> None:
    orphan_question = content.with_intent(
        Intent("faq/pest_control", ("rats",) * 10, Path("data/nlu/faq.yml"))
    )
    orphan_answer = content.with_response(
        Response("utter_faq/graffiti", ("Report it.",), Path("data/responses/faq.yml"))
    )

    assert [(p.code, p.intent) for p in checks.unpaired_questions_and_answers(orphan_question)] == [
        ("question_without_answer", "faq/pest_control")
    ]
    assert [(p.code, p.intent) for p in checks.unpaired_questions_and_answers(orphan_answer)] == [
        ("answer_without_question", "faq/graffiti")
    ]
    assert checks.unpaired_questions_and_answers(content) == []


def test_only_problems_a_change_brings_in_are_new() -> None:
    old = checks.Problem("too_few_examples", "x", intent="greet")
    new = checks.Problem("duplicate_example", "y", intent="faq/a", example="hi")

    assert checks.new_problems([old], [old, new]) == [new]


# Deliberate look-alikes, and judging an editor's change ------------------------------------

CLOSE_TIP = "when is my bin day open"  # close to bin_day's "when is my bin day"


def allowing(content: ContentSet, *entries: tuple[dict[str, str], str]) -> ContentSet:
    pairs = tuple(AllowedPair(tuple(examples.items()), reason, ALLOWED_FILE)
                  for examples, reason in entries)
    return replace(content, allowed_similar=pairs)


def with_close_tip_example(content: ContentSet) -> ContentSet:
    examples = [*content.intents["faq/hwrc_opening_times"].examples, CLOSE_TIP]
    return with_examples(content, "faq/hwrc_opening_times", examples)


def test_shipped_project_passes_its_own_checks() -> None:
    # What editors publish on a fresh clone: any look-alike pair must be in the allow-list.
    assert checks.run_checks(ContentStore(PROJECT_DIR).load()) == []


def test_allow_listed_pair_is_not_reported_but_others_still_are(content: ContentSet) -> None:
    close = with_close_tip_example(content)
    allowed = allowing(close, ({"faq/hwrc_opening_times": CLOSE_TIP,
                                "bin_day": "When is my bin day"}, "they differ on purpose"))

    assert checks.similar_examples(allowed) == []
    assert checks.allow_list_problems(allowed) == []
    examples = [*allowed.intents["faq/noise_complaints"].examples, "when is the bin day"]
    assert [p.example for p in checks.similar_examples(
        with_examples(allowed, "faq/noise_complaints", examples))] == ["when is the bin day"]


def test_allow_list_entries_that_rot_are_reported(content: ContentSet) -> None:
    rotten = allowing(
        with_close_tip_example(content),
        ({"faq/hwrc_opening_times": "gone now", "bin_day": "when is my bin day"}, "was alike"),
        ({"faq/hwrc_opening_times": "tip opening hours", "bin_day": "when is my bin day"},
         "never alike"),
        ({"faq/hwrc_opening_times": CLOSE_TIP}, "only one side"),
        ({"faq/hwrc_opening_times": CLOSE_TIP, "bin_day": "when is my bin day"}, ""),
    )

    problems = checks.allow_list_problems(rotten)

    assert [p.code for p in problems] == ["allow_list"] * 4
    assert '"gone now" (faq/hwrc_opening_times) is no longer an example' in problems[0].message
    assert "no longer worded alike" in problems[1].message
    assert all("needs exactly two intents" in p.message for p in problems[2:])
    assert all(str(ALLOWED_FILE) in p.message for p in problems)
    assert checks.run_checks(rotten)  # `councilbot content check` reports them


def test_old_look_alikes_do_not_block_an_unrelated_change(content: ContentSet) -> None:
    shipped = with_close_tip_example(content)  # a pre-existing pair, not in the allow-list
    edited = with_answer(shipped, "hwrc_opening_times",
                         "Open 9 to 5. [Opening times](https://www.anytown.gov.uk/tip)")

    assert checks.run_checks(shipped)  # the whole project still reports it
    assert checks.check_change(shipped, edited) == []


def test_editors_own_look_alike_is_reported_naming_their_example(content: ContentSet) -> None:
    # Both intents changed in one publish: the new example is the one to blame.
    before = with_examples(content, "bin_day", [*content.intents["bin_day"].examples, "wotcha"])
    after = with_close_tip_example(with_examples(
        before, "bin_day", [*content.intents["bin_day"].examples, "bins please"]))

    problems = checks.check_change(before, after)

    assert [(p.code, p.intent, p.example) for p in problems] == [
        ("similar_example", "faq/hwrc_opening_times", CLOSE_TIP)]
    assert problems[0].message.startswith(f'"{CLOSE_TIP}" (faq/hwrc_opening_times)')


def test_rotting_allow_list_never_stops_an_editor(content: ContentSet) -> None:
    entry = ({"faq/hwrc_opening_times": CLOSE_TIP, "bin_day": "when is my bin day"}, "alike")
    before = allowing(with_close_tip_example(content), entry)
    after = allowing(content, entry)  # the editor removed the allow-listed example

    assert checks.allow_list_problems(after)
    assert checks.check_change(before, after) == []


def test_allow_list_file_is_read_with_the_content(project: Path) -> None:
    (project / ALLOWED_FILE).parent.mkdir(parents=True)
    (project / ALLOWED_FILE).write_text(
        "allowed_similar_examples:\n"
        "  - faq/hwrc_opening_times: tip opening hours\n"
        "    bin_day: when is my bin day\n"
        "    reason: an example\n"
    )

    assert ContentStore(project).load().allowed_similar == (AllowedPair(
        (("faq/hwrc_opening_times", "tip opening hours"), ("bin_day", "when is my bin day")),
        "an example", ALLOWED_FILE),)
