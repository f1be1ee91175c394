"""Runs the `rasa` command with its vendor crash reporting switched off.

Rasa 3.6 sends uncaught exceptions to the vendor's Sentry whatever RASA_TELEMETRY_ENABLED says,
and an exception message can quote what a resident typed; nothing of theirs leaves the council.
`python -m bot.rasa.launcher ...` takes the same arguments as `rasa`; bot.ops.processes runs it.
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
    if _serving() and os.environ.get("RASA_NLU_THREAD", "true").lower() != "false":
        from bot.rasa import nlu_thread

        nlu_thread.install()
    rasa_main()


if __name__ == "__main__":
    main()
