"""The environment every child process gets: the settings, and what Rasa's YAML files read."""

from __future__ import annotations

import os
import sys

from bot.rasa.assets.nlp_model import resolve_spacy_model
from bot.rasa.assets.sentence_model import ENCODERS
from bot.settings import Settings


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


def pulls_models(settings: Settings) -> bool:
    """Replicas (endpoints.scale.yml) pull the live model from the gateway; one server is told."""
    return endpoints_file(settings) == "endpoints.scale.yml"
