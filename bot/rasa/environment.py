"""The environment every child process gets: the settings, and what Rasa's YAML files read."""

from __future__ import annotations

import os
import sys

from bot.rasa.assets.nlp_model import resolve_spacy_model
from bot.rasa.assets.sentence_model import ENCODERS
from bot.settings import DEV_SECRETS, SECRETS_OF, Settings

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


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


def child_env(settings: Settings, process: str = "rasa") -> dict[str, str]:
    """The environment of one child process: every setting but the secrets of the others.

    `process` is a name in bot.settings.SECRETS_OF ("rasa" for `rasa` commands: training,
    tests, validation). Besides the settings it holds what config.yml and endpoints.yml read
    that is not a setting itself. The child reads no .env file, so it gets nothing else.
    """
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    secret_names = {*DEV_SECRETS, "rasa_tracker_password"}
    others = {name.upper() for name in secret_names - set(SECRETS_OF[process])}
    own = {name: value for name, value in settings_env(settings).items() if name not in others}
    inherited = {name: value for name, value in os.environ.items() if name not in others}
    return {
        **inherited,
        **own,
        "COUNCILBOT_ENV_FILE": "",
        "SPACY_MODEL": resolve_spacy_model(settings.spacy_model),
        **{encoder.env_var: str(encoder.directory) for encoder in ENCODERS},
        "ACTION_ENDPOINT_URL": settings.action_endpoint_url,
        "SANIC_HOST": settings.rasa_host,
        # TensorFlow's start-up chatter hides the lines that matter.
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # Rasa reports usage and crashes (with message text) to its vendor unless told not to;
        # residents' words stay on the council's machines.
        "RASA_TELEMETRY_ENABLED": "false",
    }


def action_server_url(settings: Settings) -> str:
    """Where Rasa reaches the action server: its own address, or loopback when it listens on
    every interface."""
    host = settings.action_server_host
    host = "127.0.0.1" if host in WILDCARD_HOSTS else host
    return f"http://{host}:{settings.action_server_port}"


def rasa_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.rasa.launcher", *args]


def endpoints_file(settings: Settings) -> str:
    """One machine keeps its tracker in SQLite; a shared PostgreSQL one needs the lock store too."""
    return "endpoints.yml" if settings.rasa_tracker_dialect == "sqlite" else "endpoints.scale.yml"


def pulls_models(settings: Settings) -> bool:
    """Replicas (endpoints.scale.yml) pull the live model from the gateway; one server is told."""
    return endpoints_file(settings) == "endpoints.scale.yml"
