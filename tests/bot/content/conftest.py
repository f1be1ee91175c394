"""A small Rasa project in a temporary folder, so content tests never touch the real data."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.content.authoring import ContentEditor
from bot.content.rasa_tools import RasaServer, RasaServerError, run_rasa
from bot.ops.stack import free_port
from bot.rasa.environment import child_env, rasa_command
from bot.settings import Settings

CONFIG = """\
recipe: default.v1
assistant_id: content-tests
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  # The quickest real classifiers: every publish test trains this project at least once.
  - name: LogisticRegressionClassifier
  - name: ResponseSelector
    retrieval_intent: faq
    epochs: 10
  - name: FallbackClassifier
    threshold: 0.3
policies:
  - name: RulePolicy
"""

DOMAIN = """\
version: "3.1"
intents:
  - greet
  - bin_day
  - nlu_fallback
  - faq
responses:
  utter_greet:
    - text: "Hello!"
  utter_bin_day:
    - text: "Your bins are collected on Tuesdays."
"""

GENERAL = """\
version: "3.1"

nlu:
  # Somebody else's file: editors may add examples, but the rest must stay as it is.
  - intent: greet
    examples: |
      - hi
      - hello
      - hiya
      - good morning
      - good afternoon
      - hey there
      - morning
      - hello there
      - hi there
      - good evening

  - intent: bin_day
    examples: |
      - when is my bin day
      - when are my bins collected
      - which day is bin collection
      - what day do the bins go
      - when do you empty my bin
      - next bin collection
      - bin collection day for [AN1 1AA](postcode)
      - when will my recycling be collected
      - what day is rubbish collection
      - when does the bin lorry come
"""

RULES = """\
version: "3.1"
rules:
  - rule: greet
    steps:
      - intent: greet
      - action: utter_greet
  - rule: bin day
    steps:
      - intent: bin_day
      - action: utter_bin_day
  - rule: faq
    steps:
      - intent: faq
      - action: utter_faq
"""

TIP_EXAMPLES = [
    "what time does the tip open", "when is the recycling centre open", "tip opening hours",
    "is the dump open on sundays", "opening times for mill lane", "is the tip open today",
    "what time does the tip close", "when can i go to the tip", "hwrc opening hours",
    "is the dump open now",
]
NOISE_EXAMPLES = [
    "how do i report noisy neighbours", "my neighbour plays loud music all night",
    "noise complaint", "a dog keeps barking next door", "there's a party going on really late",
    "an alarm has been ringing for hours", "the pub next door is too loud",
    "who do i complain to about noise", "building work noise early in the morning",
    "report a noise nuisance",
]
TIP_ANSWER = ("The recycling centre is open every day from 8am to 6pm. "
              "[Check opening times](https://www.anytown.gov.uk/recycling-centre)")
NOISE_ANSWER = ("Report noise from neighbours online and keep a diary. "
                "[Report a noise problem](https://www.anytown.gov.uk/report/noise)")


def _examples(lines: list[str]) -> str:
    return "".join(f"      - {line}\n" for line in sorted(lines))


def write_project(root: Path) -> Path:
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "data" / "rules").mkdir()
    (root / "data" / "responses").mkdir()
    (root / "tests" / "stories").mkdir(parents=True)
    (root / "config.yml").write_text(CONFIG)
    (root / "domain.yml").write_text(DOMAIN)
    (root / "data" / "nlu" / "general.yml").write_text(GENERAL)
    (root / "data" / "rules" / "rules.yml").write_text(RULES)
    (root / "data" / "nlu" / "faq.yml").write_text(
        'version: "3.1"\nnlu:\n'
        "  - intent: faq/hwrc_opening_times\n    metadata:\n"
        "      question: When is the recycling centre open?\n"
        f"    examples: |\n{_examples(TIP_EXAMPLES)}\n"
        "  - intent: faq/noise_complaints\n    metadata:\n"
        "      question: How do I report a noise problem?\n"
        f"    examples: |\n{_examples(NOISE_EXAMPLES)}"
    )
    (root / "data" / "responses" / "faq.yml").write_text(
        'version: "3.1"\nresponses:\n'
        f'  utter_faq/hwrc_opening_times:\n    - text: "{TIP_ANSWER}"\n'
        f'  utter_faq/noise_complaints:\n    - text: "{NOISE_ANSWER}"\n'
    )
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@pytest.fixture
def content_settings(tmp_path: Path, project: Path) -> Settings:
    return Settings(var_dir=tmp_path / "var", content_project_dir=project,
                    models_dir=tmp_path / "models")


@pytest.fixture
def editor(content_settings: Settings) -> ContentEditor:
    """Fast checks only; tests of `rasa data validate` ask for it explicitly."""
    return ContentEditor(content_settings, rasa_validate=False)


# A real Rasa server for publish tests ------------------------------------------------------

RASA_TOKEN = "test-rasa-token"
STORY = """\
version: "3.1"
stories:
  - story: a resident says hello
    steps:
      - user: |
          hello
        intent: greet
      - action: utter_greet
"""
CREDENTIALS = """\
bot.rasa.channel.TokenRestInput:
  token: ${RASA_TOKEN}
"""


def rasa_settings(tmp_path: Path, project: Path, **overrides) -> Settings:
    """Settings for the small project served by a real Rasa on a free port."""
    (project / "tests" / "stories" / "test_tiny.yml").write_text(STORY)
    (project / "credentials.yml").write_text(CREDENTIALS)
    port = free_port()
    values = {
        "var_dir": tmp_path / "var", "content_project_dir": project,
        "models_dir": project / "models", "rasa_url": f"http://127.0.0.1:{port}",
        "rasa_port": port, "rasa_token": RASA_TOKEN,
        # On a shared machine, trainings queue rather than fight over the CPU.
        "content_rasa_wrapper": "flock /tmp/rasa.lock", "content_min_intent_f1": 0.8,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def initial_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project's first model, trained once for every test that serves it."""
    root = tmp_path_factory.mktemp("initial")
    settings = rasa_settings(root, write_project(root / "project"))
    trained = run_rasa(settings, ["train", "--out", "models", "--fixed-model-name", "initial"],
                       cwd=root / "project", timeout=2400)
    assert trained.ok, trained.output[-2000:]
    return root / "project" / "models" / "initial.tar.gz"


@contextmanager
def running_rasa(settings: Settings, initial_model: Path) -> Iterator[RasaServer]:
    """The project's first model, served by `rasa run --enable-api`."""
    root = Path(settings.content_project_dir or ".")
    (root / "models").mkdir(exist_ok=True)
    shutil.copy(initial_model, root / "models" / initial_model.name)
    process = subprocess.Popen(
        rasa_command("run", "--enable-api", "--model", "models",
                     "--credentials", "credentials.yml", "--interface", "127.0.0.1",
                     "--port", str(settings.rasa_port)),
        cwd=root, env=child_env(settings), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = RasaServer.from_settings(settings)
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                if server.loaded_model():
                    break
            except RasaServerError:
                pass  # still starting
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("rasa run did not start")
            time.sleep(2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
