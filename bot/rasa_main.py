"""Runs the `rasa` command with its vendor crash reporting switched off.

Rasa 3.6 sends uncaught exceptions to the vendor's Sentry whatever RASA_TELEMETRY_ENABLED says,
and an exception message can quote what a resident typed; nothing of theirs leaves the council.
"""

from __future__ import annotations

import rasa.telemetry
from rasa.__main__ import main


def _no_error_reporting() -> None:
    return None


if __name__ == "__main__":
    rasa.telemetry.initialize_error_reporting = _no_error_reporting
    main()
