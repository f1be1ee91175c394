"""Runs the `rasa` command with its vendor crash reporting switched off.

Rasa 3.6 sends uncaught exceptions to the vendor's Sentry whatever RASA_TELEMETRY_ENABLED says,
and an exception message can quote what a resident typed; nothing of theirs leaves the council.
`python -m bot.rasa.launcher ...` takes the same arguments as `rasa`; bot.ops.processes runs it.

It also gives a custom action ACTION_TIMEOUT_SECONDS (the time budget in bot/settings.py) instead
of Rasa's fixed 300 s: Rasa 3.6 reads no timeout for the action endpoint from endpoints.yml.
A timed-out action adds no events; the gateway tells the resident the turn was not finished.
`run` also gets `--jwt-secret` from RASA_API_TOKEN here, inside the process, so the HTTP API's
secret is never on a command line (bot/rasa/api_auth.py says why a JWT).
"""

from __future__ import annotations

import os
import sys


def _no_error_reporting() -> None:
    return None


def _serving() -> bool:
    return len(sys.argv) > 1 and sys.argv[1] == "run"


def main() -> None:
    # Before TensorFlow is first imported: its start-up chatter hides the lines that matter.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import rasa.telemetry
    from rasa.__main__ import main as rasa_main

    rasa.telemetry.initialize_error_reporting = _no_error_reporting
    _limit_action_time(os.environ.get("ACTION_TIMEOUT_SECONDS"))
    sys.argv[1:] = with_api_secret(sys.argv[1:], os.environ.get("RASA_API_TOKEN", ""))
    if _serving() and os.environ.get("RASA_NLU_THREAD", "true").lower() != "false":
        from bot.rasa import nlu_thread

        nlu_thread.install()
    rasa_main()


def _limit_action_time(seconds: str | None) -> None:
    if not seconds:
        return
    import rasa.core.actions.action
    import rasa.utils.endpoints

    # Both read at call time: the request's own timeout and its client session's total.
    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = float(seconds)  # type: ignore[attr-defined]
    rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT = float(seconds)  # type: ignore[attr-defined]


def with_api_secret(args: list[str], api_token: str) -> list[str]:
    if args[:1] != ["run"] or "--jwt-secret" in args:
        return args
    if not api_token:
        raise SystemExit("rasa run needs RASA_API_TOKEN for its HTTP API")
    return [*args, "--jwt-secret", api_token, "--jwt-method", "HS256"]


if __name__ == "__main__":
    main()
