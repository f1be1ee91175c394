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
             "--host", host, "--port", str(settings.backoffice_port), "--no-access-log"],
            f"http://{host}:{settings.backoffice_port}/docs",
            "stub council back office (API docs)",
        ),
        Process(
            "actions",
            [python, "-m", "bot.ops.action_server", "--host", host,
             "--port", str(settings.action_server_port)],
            f"http://{host}:{settings.action_server_port}/health",
            "action server",
        ),
        Process(
            "rasa",
            rasa_command(
                "run", "--model", str(settings.models_dir), "--enable-api",
                "--auth-token", settings.rasa_token.get_secret_value(),
                "--interface", host, "--port", str(settings.rasa_port),
                "--endpoints", endpoints_file(settings), "--credentials", "credentials.yml",
            ),
            f"http://{host}:{settings.rasa_port}/webhooks/rest/webhook?token=<RASA_TOKEN>",
            "Rasa server, REST channel",
        ),
        Process(
            "gateway",
            [python, "-m", "uvicorn", "bot.web.app:create_app", "--factory",
             "--host", host, "--port", str(settings.gateway_port)],
            f"http://{host}:{settings.gateway_port}/",
            "demo council page with the chat widget (/staff: staff console)",
        ),
    ]
