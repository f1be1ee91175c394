"""Publishing against a real Rasa server: a good change goes live, a broken one never does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bot.content.publish import Progress, Publisher, PublishFailed
from bot.content.rasa_tools import RasaServer
from bot.rasa.api_auth import api_headers
from bot.settings import Settings

from .conftest import rasa_settings, running_rasa


@pytest.fixture
def publish_settings(tmp_path: Path, project: Path) -> Settings:
    return rasa_settings(tmp_path, project)


@pytest.fixture
def rasa_server(publish_settings: Settings, initial_model: Path) -> Iterator[RasaServer]:
    with running_rasa(publish_settings, initial_model) as server:
        yield server


def reply(settings: Settings, text: str) -> str:
    response = requests.post(f"{settings.rasa_url}/model/parse",
                             headers=api_headers(settings.rasa_api_token.get_secret_value()),
                             json={"text": text}, timeout=30)
    response.raise_for_status()
    return response.json()["intent"]["name"]


def test_publish_goes_live_broken_change_refused_and_rollback(
    publish_settings: Settings, rasa_server: RasaServer, project: Path,
) -> None:
    publisher = Publisher(publish_settings)
    stages: list[Progress] = []
    assert rasa_server.loaded_model() == "initial.tar.gz"

    # 1. A good change: published and answered without restarting Rasa.
    (project / "data/nlu/general.yml").write_text(
        (project / "data/nlu/general.yml").read_text().replace("- good evening", "- wotcha")
    )
    state = publisher.publish(stages.append)

    assert [(p.stage, p.status) for p in stages if p.status != "started"] == [
        ("check", "passed"), ("train", "passed"), ("test_nlu", "passed"),
        ("test_stories", "passed"), ("load", "passed"),
    ]
    assert rasa_server.loaded_model() == state.live != "initial.tar.gz"
    assert state.previous == "initial.tar.gz"
    assert reply(publish_settings, "wotcha") == "greet"

    # 2. A broken change (greeting answered with the bin day): the conversation test fails
    # and the live model is untouched, nor is the candidate left where a restart would load it.
    rules = project / "data/rules/rules.yml"
    rules.write_text(rules.read_text().replace("action: utter_greet", "action: utter_bin_day"))
    models_before = sorted(p.name for p in (project / "models").iterdir())
    failed: list[Progress] = []

    with pytest.raises(PublishFailed) as refused:
        publisher.publish(failed.append)

    assert refused.value.stage == "test_stories"
    assert "a resident says hello" in refused.value.detail
    assert failed[-1] == Progress("test_stories", "failed", refused.value.detail)
    assert rasa_server.loaded_model() == state.live
    assert sorted(p.name for p in (project / "models").iterdir()) == models_before
    assert publisher.state() == state

    # 3. Roll back in one step to the model that was live before the first publish.
    rolled = publisher.rollback()

    assert rasa_server.loaded_model() == "initial.tar.gz" == rolled.live
    assert rolled.previous == state.live


def test_publish_stops_at_the_checks_when_an_answer_is_broken(
    publish_settings: Settings, project: Path,
) -> None:
    """No Rasa server is needed: a failing check stops before training starts."""
    responses = project / "data/responses/faq.yml"
    responses.write_text(responses.read_text().replace("(https://", "(http//"))
    stages: list[Progress] = []

    with pytest.raises(PublishFailed) as refused:
        Publisher(publish_settings).publish(stages.append)

    assert refused.value.stage == "check"
    assert "broken link" in refused.value.detail
    assert [p.stage for p in stages] == ["check", "check"]
    assert not (project / "models").exists()
