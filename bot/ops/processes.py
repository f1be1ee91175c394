"""The assistant's processes on one machine: their commands, environment and public URLs."""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass

from bot.rasa.assets.nlp_model import resolve_spacy_model
from bot.rasa.assets.sentence_model import ENCODERS
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


def settings_env(settings: Settings) -> dict[str, str]:
    """Every setting as an environment variable, so child processes see the same settings."""
    env = {}
    for name, field in settings.__fields__.items():
        value = getattr(settings, name)
        if value is None:
            continue
        if hasattr(value, "get_secret_value"):
            value = value.get_secret_value()
        env_name = next(iter(field.field_info.extra.get("env_names", {name.upper()})))
        env[env_name.upper()] = str(value)
    return env


def child_env(settings: Settings) -> dict[str, str]:
    """What Rasa's YAML files (${...}) and the action server read from the environment.

    Every setting is there under its own name (RASA_TOKEN, RASA_TRACKER_DB, BACKOFFICE_URL...);
    the rest are what config.yml and endpoints.yml need that is not a setting itself.
    """
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        **settings_env(settings),
        "SPACY_MODEL": resolve_spacy_model(settings.spacy_model),
        **{encoder.env_var: str(encoder.directory) for encoder in ENCODERS},
        "ACTION_ENDPOINT_URL": f"http://{settings.host}:{settings.action_server_port}/webhook",
        "SANIC_HOST": settings.host,
        # TensorFlow's start-up chatter hides the lines that matter.
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # Rasa reports usage and crashes (with message text) to its vendor unless told not to;
        # residents' words stay on the council's machines.
        "RASA_TELEMETRY_ENABLED": "false",
    }


def rasa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.rasa.launcher", *args]


def endpoints_file(settings: Settings) -> str:
    """One machine keeps its tracker in SQLite; a shared PostgreSQL one needs the lock store too."""
    return "endpoints.yml" if settings.rasa_tracker_dialect == "sqlite" else "endpoints.scale.yml"


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
