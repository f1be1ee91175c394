"""The launcher gives `rasa run` its HTTP API secret from the environment, never from argv."""

from __future__ import annotations

import pytest

from bot.rasa.launcher import with_api_secret


def test_rasa_run_gets_the_jwt_secret_from_the_environment():
    args = with_api_secret(["run", "--enable-api"], "s" * 40)
    assert args[-4:] == ["--jwt-secret", "s" * 40, "--jwt-method", "HS256"]


def test_other_commands_are_left_alone():
    assert with_api_secret(["train", "--force"], "") == ["train", "--force"]


def test_rasa_run_without_a_secret_refuses_to_start():
    with pytest.raises(SystemExit, match="RASA_API_TOKEN"):
        with_api_secret(["run"], "")
