"""A publish judges what changed since the shipped or live content, and retrains only if needed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.content import baseline
from bot.content.checks import check_change
from bot.content.publish import Publisher, PublishFailed
from bot.content.store import ContentStore
from bot.rasa.model_files import model_path
from bot.settings import Settings

# Close to the small project's bin_day example "when is my bin day", and not allow-listed.
OLD_LOOK_ALIKE = "when is my bin day open"


def add_tip_example(project: Path, example: str) -> None:
    faq = project / "data/nlu/faq.yml"
    faq.write_text(faq.read_text().replace("- hwrc opening hours",
                                           f"- hwrc opening hours\n      - {example}"))


def commit(project: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "shipped")


@pytest.fixture
def shipped(project: Path) -> Path:
    """A checkout whose committed data already has a look-alike pair nobody allow-listed."""
    add_tip_example(project, OLD_LOOK_ALIKE)
    commit(project)
    return project


def test_shipped_content_is_the_committed_data(shipped: Path) -> None:
    add_tip_example(shipped, "an uncommitted example")

    committed = baseline.shipped_content(shipped)

    assert committed is not None
    examples = committed.intents["faq/hwrc_opening_times"].examples
    assert OLD_LOOK_ALIKE in examples and "an uncommitted example" not in examples
    assert baseline.shipped_content(shipped / "data") is not None  # any folder of the checkout


def test_pipeline_counts_as_committed_only_while_config_matches_git(shipped: Path) -> None:
    assert baseline.pipeline_is_committed(shipped)
    config = shipped / "config.yml"
    config.write_text(config.read_text() + "\n# tuned\n")
    assert not baseline.pipeline_is_committed(shipped)


def test_pipeline_is_not_committed_outside_a_git_checkout(project: Path) -> None:
    assert not baseline.pipeline_is_committed(project)


def test_no_shipped_content_outside_a_git_checkout(project: Path) -> None:
    assert baseline.shipped_content(project) is None


def test_old_look_alike_does_not_block_an_answer_change(shipped: Path) -> None:
    responses = shipped / "data/responses/faq.yml"
    responses.write_text(responses.read_text().replace("8am to 6pm", "9am to 5pm"))

    before = baseline.shipped_content(shipped)
    assert before is not None
    assert check_change(before, ContentStore(shipped).load()) == []


def test_publish_refuses_the_editors_own_look_alike_naming_it(
    shipped: Path, content_settings: Settings,
) -> None:
    add_tip_example(shipped, "when is my bin days")

    with pytest.raises(PublishFailed) as refused:
        Publisher(content_settings).publish()

    assert refused.value.stage == "check"
    assert refused.value.detail.startswith(
        '"when is my bin days" (faq/hwrc_opening_times) is worded almost the same')
    assert OLD_LOOK_ALIKE not in refused.value.detail


def test_publish_reuses_the_model_already_trained_for_this_exact_content(
    project: Path, content_settings: Settings, tmp_path: Path,
) -> None:
    trained = model_path(content_settings, project)
    trained.parent.mkdir(parents=True)
    trained.write_bytes(b"a model `councilbot train` made from this very content")
    run_dir = tmp_path / "run"
    run_dir.mkdir()

    candidate = Publisher(content_settings)._train(run_dir)  # no Rasa run: nothing to retrain

    assert candidate.read_bytes() == trained.read_bytes()
    assert trained.is_file()  # still there for `councilbot run`


def test_recognition_is_retested_only_when_an_example_changed(shipped: Path,
                                                              content_settings: Settings) -> None:
    publisher = Publisher(content_settings)
    faq = shipped / "data/nlu/faq.yml"
    answers = shipped / "data/responses/faq.yml"
    answers.write_text(answers.read_text().replace("The tip", "The recycling centre", 1))
    reordered = faq.read_text().replace("- hwrc opening hours\n", "", 1) \
        .replace("    examples: |\n", "    examples: |\n      - hwrc opening hours\n", 1)
    faq.write_text(reordered)
    assert not publisher._examples_changed()

    add_tip_example(shipped, "when does the dump shut")
    assert publisher._examples_changed()
