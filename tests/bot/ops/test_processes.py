"""The processes' environment: each endpoint file gets the tracker store its dialect needs."""

from __future__ import annotations

import re
from pathlib import Path

from bot.ops.processes import processes
from bot.rasa.environment import child_env
from bot.settings import Settings


def rasa_endpoints(settings: Settings) -> str:
    command = next(p.command for p in processes(settings) if p.name == "rasa")
    return command[command.index("--endpoints") + 1]


def test_one_machine_keeps_the_tracker_in_a_sqlite_file_in_the_var_folder(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, _env_file=None)
    assert rasa_endpoints(settings) == "endpoints.yml"
    assert child_env(settings)["RASA_TRACKER_DB"] == str((tmp_path / "rasa_tracker.db").resolve())


def test_postgresql_gets_a_database_name_and_the_scale_out_endpoints(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, rasa_tracker_dialect="postgresql",
                        rasa_tracker_host="db.internal", _env_file=None)
    env = child_env(settings)
    assert rasa_endpoints(settings) == "endpoints.scale.yml"
    assert env["RASA_TRACKER_DB"] == "rasa"
    assert env["RASA_TRACKER_DIALECT"] == "postgresql"
    assert env["RASA_TRACKER_HOST"] == "db.internal"
    assert env["RASA_LOCK_STORE_TYPE"] == "redis"


def test_every_scale_out_variable_is_set_for_the_endpoint_files(tmp_path: Path):
    env = child_env(Settings(var_dir=tmp_path, _env_file=None))
    project = Path(__file__).resolve().parents[3]
    for endpoints in ("endpoints.yml", "endpoints.scale.yml"):
        text = (project / endpoints).read_text()
        for name in re.findall(r"\$\{([A-Z_]+)\}", text):
            assert name in env, (endpoints, name)


SECRETS = {"BACKOFFICE_TOKEN", "RASA_TOKEN", "RASA_API_TOKEN", "ACTION_SERVER_TOKEN",
           "SECRET_KEY", "RASA_TRACKER_PASSWORD"}
OWN = {
    "gateway": {"SECRET_KEY", "RASA_TOKEN", "RASA_API_TOKEN", "RASA_TRACKER_PASSWORD"},
    "rasa": {"RASA_TOKEN", "RASA_API_TOKEN", "ACTION_SERVER_TOKEN", "RASA_TRACKER_PASSWORD"},
    "actions": {"ACTION_SERVER_TOKEN", "BACKOFFICE_TOKEN"},
    "backoffice": {"BACKOFFICE_TOKEN"},
}


def test_each_process_gets_only_its_own_secrets_and_no_env_file(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_TOKEN", "exported-by-the-deployment")
    settings = Settings(var_dir=tmp_path, rasa_tracker_password="pw", _env_file=None)
    for process in processes(settings):
        env = child_env(settings, process.name)
        assert SECRETS & set(env) == OWN[process.name], process.name
        assert env["COUNCILBOT_ENV_FILE"] == ""


def test_no_secret_or_token_on_any_command_line(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, _env_file=None)
    values = [getattr(settings, name.lower()).get_secret_value() for name in SECRETS - {
        "RASA_TRACKER_PASSWORD"}]
    for process in processes(settings):
        assert not any(value in process.shell_command for value in values), process.name
        assert "token" not in process.url


def test_each_process_binds_its_own_host(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, environment="development", host="0.0.0.0",
                        _env_file=None)
    hosts = {p.name: p.command[p.command.index("--host" if "--host" in p.command
                                               else "--interface") + 1]
             for p in processes(settings)}
    assert hosts == {"gateway": "0.0.0.0", "backoffice": "127.0.0.1", "rasa": "127.0.0.1",
                     "actions": "127.0.0.1"}
