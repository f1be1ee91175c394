"""The action server registers every custom action the domain names."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

DOMAIN = Path(__file__).resolve().parents[3] / "domain.yml"


def test_every_custom_action_in_the_domain_is_served():
    executor = ActionExecutor()
    executor.register_package("actions")  # what bot.ops.action_server's app does at start
    custom = set(yaml.safe_load(DOMAIN.read_text())["actions"])
    assert custom <= set(executor.actions)
