"""The time budget nests from the widget inward: each hop gives up before its caller."""

from __future__ import annotations

import re

from bot.settings import PROJECT_DIR, Settings


def test_default_timeouts_nest_from_the_widget_to_the_back_office():
    settings = Settings(_env_file=None)
    assert settings.time_budget_problem() is None
    widget = (PROJECT_DIR / "bot/web/static/widget.js").read_text()
    wait_ms = int(re.search(r"var WAIT_MS = (\d+);", widget).group(1))
    assert wait_ms / 1000 > settings.rasa_timeout_seconds > settings.action_timeout_seconds
    assert settings.action_timeout_seconds > 2 * settings.backoffice_call_seconds


def test_a_budget_that_does_not_nest_is_named():
    slow_office = Settings(_env_file=None, backoffice_read_timeout=20)
    assert "ACTION_TIMEOUT_SECONDS" in slow_office.time_budget_problem()
    slow_actions = Settings(_env_file=None, action_timeout_seconds=40)
    assert "RASA_TIMEOUT_SECONDS" in slow_actions.time_budget_problem()
