"""Back-office settings: read from the environment in this one place, with their defaults.

| variable                      | field            | default                 |
|-------------------------------|------------------|-------------------------|
| `BACKOFFICE_URL`              | base_url         | `http://127.0.0.1:8001` |
| `BACKOFFICE_TOKEN`            | token            | the stub's dev token    |
| `BACKOFFICE_CONNECT_TIMEOUT`  | connect_timeout  | 1 second                |
| `BACKOFFICE_READ_TIMEOUT`     | read_timeout     | 4 seconds               |
| `BACKOFFICE_RETRIES`          | retries          | 1 (reads and keyed writes only) |

`councilbot` sets every one of these for the action server from its own settings
(bot/settings.py: the time budget lives there, and it refuses the dev token outside
development); the defaults here are the same figures.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

# The stub back office's development token; never accepted by a production back office.
DEV_TOKEN = "dev-backoffice-token"


@dataclass(frozen=True)
class BackOfficeConfig:
    base_url: str = "http://127.0.0.1:8001"
    token: str = DEV_TOKEN
    connect_timeout: float = 1.0
    read_timeout: float = 4.0
    retries: int = 1
    backoff_seconds: float = 0.2

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> BackOfficeConfig:
        """The settings named in the module's table; a variable left unset keeps its default."""
        default = cls()
        return cls(
            base_url=environ.get("BACKOFFICE_URL", default.base_url),
            token=environ.get("BACKOFFICE_TOKEN", default.token),
            connect_timeout=float(environ.get("BACKOFFICE_CONNECT_TIMEOUT",
                                              default.connect_timeout)),
            read_timeout=float(environ.get("BACKOFFICE_READ_TIMEOUT", default.read_timeout)),
            retries=int(environ.get("BACKOFFICE_RETRIES", default.retries)),
        )
