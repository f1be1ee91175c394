"""The assistant's processes on one machine: their commands, environment and public URLs."""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass

from bot.rasa.environment import endpoints_file, rasa_command
from bot.settings import Settings


@dataclass(frozen=True)
class Process:
    name: str
    command: list[str]
    url: str
    what: str

    @property
    def shell_command(self) -> str:
        return shlex.join(self.command)


def processes(settings: Settings) -> list[Process]:
    python = sys.executable
    host = settings.host
    return [
        Process(
            "backoffice",
            [python, "-m", "uvicorn", "bot.backoffice.app:create_app", "--factory",
             "--host", settings.backoffice_host, "--port", str(settings.backoffice_port),
             "--no-access-log"],
            f"http://{settings.backoffice_host}:{settings.backoffice_port}/docs",
            "stub council back office (API docs)",
        ),
        Process(
            "actions",
            [python, "-m", "bot.ops.action_server", "--host", settings.action_server_host,
             "--port", str(settings.action_server_port)],
            f"http://{settings.action_server_host}:{settings.action_server_port}/health",
            "action server",
        ),
        Process(
            "rasa",
            # The launcher adds the HTTP API's JWT secret from RASA_API_TOKEN: no secret on the
            # command line, where every user of the machine can read it.
            rasa_command(
                "run", "--model", str(settings.models_dir), "--enable-api",
                "--interface", settings.rasa_host, "--port", str(settings.rasa_port),
                "--endpoints", endpoints_file(settings), "--credentials", "credentials.yml",
            ),
            f"http://{settings.rasa_host}:{settings.rasa_port}/webhooks/rest/webhook",
            "Rasa server, REST channel",
        ),
        Process(
            "gateway",
            [python, "-m", "uvicorn", "bot.web.app:create_app", "--factory",
             "--host", host, "--port", str(settings.gateway_port),
             # The gateway itself decides whose X-Forwarded-* to believe (TRUSTED_PROXIES).
             "--no-proxy-headers"],
            f"http://{host}:{settings.gateway_port}/",
            "demo council page with the chat widget (/staff: staff console)",
        ),
    ]
