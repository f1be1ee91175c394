"""Authoring through the Python API and the CLI: tidy Rasa files; refused changes write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.authoring import ChangeRefused, ContentEditor, ContentError, NotFound
from bot.content.store import ContentStore
from bot.ops.cli import build_parser
from bot.settings import Settings, get_settings

from .conftest import NOISE_EXAMPLES

PEST_EXAMPLES = [
    "i've got rats in my garden", "pest control", "there's a wasps nest in my roof",
    "how much is pest control", "we have mice in the kitchen", "can the council get rid of bedbugs",
    "book the pest control service", "i think i have fleas in the house",
    "do you deal with cockroaches", "rats in the loft",
]
PEST_ANSWER = ("Our pest control team treats rats, mice, wasps and bedbugs. "
               "[Book pest control](https://www.anytown.gov.uk/pest-control)")


def snapshot(project: Path) -> dict[str, str]:
    return {str(p): p.read_text() for p in sorted(project.rglob("*.yml"))}


def test_add_question_writes_sorted_rasa_files(editor: ContentEditor, project: Path) -> None:
    result = editor.add_question("pest_control", "Can the council help with pests?",
                                 PEST_EXAMPLES, PEST_ANSWER)

    assert result.files == ["data/nlu/faq.yml", "data/responses/faq.yml"]
    nlu = (project / "data/nlu/faq.yml").read_text()
    names = [line.split(": ")[1] for line in nlu.splitlines() if "- intent:" in line]
    assert names == ["faq/hwrc_opening_times", "faq/noise_complaints", "faq/pest_control"]
    pest_block = nlu.split("faq/pest_control")[1]
    listed = [line.strip()[2:] for line in pest_block.splitlines() if line.strip().startswith("- ")]
    assert listed == sorted(PEST_EXAMPLES, key=str.lower)
    assert "utter_faq/pest_control:" in (project / "data/responses/faq.yml").read_text()
    question = editor.show("faq/pest_control")
    assert (question.question, question.answer) == ("Can the council help with pests?",
                                                    PEST_ANSWER)


def test_refused_change_writes_nothing_and_names_the_example(
    editor: ContentEditor, project: Path,
) -> None:
    before = snapshot(project)
    examples = [*PEST_EXAMPLES[:9], "noise complaint"]

    with pytest.raises(ChangeRefused) as refused:
        editor.add_question("pest_control", "Pests?", examples, PEST_ANSWER)

    assert {p.code for p in refused.value.problems} == {"duplicate_example"}
    assert refused.value.problems[0].example == "noise complaint"
    assert snapshot(project) == before


def test_too_long_answer_refused(editor: ContentEditor, project: Path) -> None:
    before = snapshot(project)

    with pytest.raises(ChangeRefused) as refused:
        editor.edit_question("noise_complaints", answer="word " * 90 + PEST_ANSWER)

    assert [p.code for p in refused.value.problems] == ["long_answer"]
    assert snapshot(project) == before


def test_edit_answer_and_remove_example(editor: ContentEditor) -> None:
    editor.edit_question("noise_complaints", add_examples=["loud music next door every night"],
                         remove_examples=["noise complaint"])

    examples = editor.show("noise_complaints").examples
    assert "loud music next door every night" in examples
    assert "noise complaint" not in examples


def test_removing_examples_below_ten_is_refused(editor: ContentEditor) -> None:
    with pytest.raises(ChangeRefused) as refused:
        editor.edit_question("noise_complaints", remove_examples=NOISE_EXAMPLES[:2])

    assert "needs at least 10" in refused.value.problems[0].message


def test_adding_examples_to_someone_elses_intent_keeps_their_file(
    editor: ContentEditor, project: Path,
) -> None:
    general = project / "data/nlu/general.yml"
    original = general.read_text()

    editor.add_examples("greet", ["hello council"])

    updated = general.read_text()
    assert updated.replace("      - hello council\n", "") == original
    assert updated.index("hello council") > updated.index("good evening")
    assert "hello council" in ContentStore(project).load().intents["greet"].examples


def test_unknown_names_and_placeholders_are_clear_errors(editor: ContentEditor) -> None:
    with pytest.raises(NotFound):
        editor.show("no_such_question")
    with pytest.raises(ContentError, match="not a usable name"):
        editor.add_question("Pest Control!", "Pests?", PEST_EXAMPLES, PEST_ANSWER)
    with pytest.raises(ContentError, match="placeholder"):
        editor.add_examples("bin_day", ["bin day for <postcode>"])
    with pytest.raises(ContentError, match="already"):
        editor.add_question("noise_complaints", "Noise?", PEST_EXAMPLES, PEST_ANSWER)


def test_search_finds_by_words_in_question_examples_or_answer(editor: ContentEditor) -> None:
    assert [q.name for q in editor.search("dump")] == ["hwrc_opening_times"]
    assert [q.name for q in editor.search("diary")] == ["noise_complaints"]
    assert editor.search("zebra crossing") == []


def test_preview_renders_the_link_as_the_widget_does(editor: ContentEditor) -> None:
    preview = editor.preview("noise_complaints")

    assert '<a href="https://www.anytown.gov.uk/report/noise" target="_blank"' in preview.html
    assert "Report a noise problem (https://www.anytown.gov.uk/report/noise)" in preview.plain


def test_rasa_data_validate_refuses_what_it_rejects(
    content_settings: Settings, project: Path,
) -> None:
    """A real `rasa data validate` run on a staged copy: the second change is Rasa-invalid."""
    editor = ContentEditor(content_settings)
    before = snapshot(project)
    broken = [*PEST_EXAMPLES[:9], 'rats in the [loft]{"entity": room}']

    with pytest.raises(ChangeRefused) as refused:
        editor.add_question("pest_control", "Pests?", broken, PEST_ANSWER)

    assert snapshot(project) == before
    assert all(p.code == "rasa_validate" for p in refused.value.problems)
    editor.add_question("pest_control", "Pests?", PEST_EXAMPLES, PEST_ANSWER)
    assert "faq/pest_control" in ContentStore(project).load().intents


@pytest.fixture
def cli(content_settings: Settings, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CONTENT_PROJECT_DIR", str(content_settings.content_project_dir))
    monkeypatch.setenv("COUNCILBOT_VAR_DIR", str(content_settings.var_dir))
    get_settings.cache_clear()

    def run(*argv: str) -> int:
        args = build_parser().parse_args(["content", *argv])
        return args.handler(args)

    yield run
    get_settings.cache_clear()


def test_cli_add_then_show(cli, project: Path, capsys: pytest.CaptureFixture) -> None:  # type: ignore[no-untyped-def]
    examples = [arg for example in PEST_EXAMPLES for arg in ("--example", example)]

    assert cli("add", "pest_control", "--question", "Pests?", "--answer", PEST_ANSWER,
               *examples) == 0
    assert cli("show", "pest_control") == 0

    out = capsys.readouterr().out
    assert "Saved (data/nlu/faq.yml, data/responses/faq.yml)" in out
    assert "- we have mice in the kitchen" in out


def test_cli_refusal_exits_non_zero_with_reasons(
    cli, project: Path, capsys: pytest.CaptureFixture,  # type: ignore[no-untyped-def]
) -> None:
    before = snapshot(project)

    assert cli("edit", "noise_complaints", "--answer", "Call us.") == 1

    assert "Not saved. Fix these first:" in capsys.readouterr().err
    assert snapshot(project) == before


def test_remove_question_takes_away_question_and_answer(
    editor: ContentEditor, project: Path,
) -> None:
    editor.remove_question("noise_complaints")

    content = ContentStore(project).load()
    assert "faq/noise_complaints" not in content.intents
    assert "utter_faq/noise_complaints" not in content.responses
    assert [q.name for q in editor.list_questions()] == ["hwrc_opening_times"]
