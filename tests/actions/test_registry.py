"""The action server registers exactly the custom actions domain.yml names, from every package."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"


def test_registered_actions_are_the_domains_actions():
    executor = ActionExecutor()
    executor.register_package("actions")  # as `create_app("actions")` does at start
    assert set(executor.actions) == set(yaml.safe_load(DOMAIN.read_text())["actions"])
