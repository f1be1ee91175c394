"""The Compose file and Kubernetes manifests say what `make run-scaled` and its tests run:
real settings only, the same balancing rules, every Rasa replica known to publishing.
(`make deploy-check` validates both against their published schemas.)"""

from __future__ import annotations

import re

import yaml

from bot.ops.cli import build_parser
from bot.settings import PROJECT_DIR, SECRETS_OF, Settings

DEPLOY = PROJECT_DIR / "deploy"
RASA_OWN = {"TICKET_LOCK_LIFETIME"}  # read by Rasa's lock store itself


def setting_names() -> set[str]:
    names = set()
    for name, field in Settings.__fields__.items():
        names |= {n.upper() for n in field.field_info.extra.get("env_names", {name})}
    return names


def manifests() -> list[dict]:
    return [doc for path in sorted((DEPLOY / "kubernetes").glob("*.yml"))
            for doc in yaml.safe_load_all(path.read_text()) if doc]


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yml").read_text())


def test_every_variable_they_set_is_a_setting():
    known = setting_names() | RASA_OWN
    config = next(d for d in manifests() if d["kind"] == "ConfigMap")
    secret = next(d for d in manifests() if d["kind"] == "Secret")
    for names in (compose()["x-settings"], config["data"], secret["stringData"]):
        assert set(names) <= known, set(names) - known
    services = [s.get("environment") or {} for s in compose()["services"].values()]
    assert set().union(*services) - {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"} <= known


SECRET_NAMES = {n.upper() for names in SECRETS_OF.values() for n in names} | {
    "DATABASE_URL", "BACKOFFICE_DATABASE_URL"}  # database URLs carry passwords
# Besides SECRETS_OF: the stores each tier opens (the gateway purges, erases and exports
# across all of them).
DATABASES = {"gateway": {"DATABASE_URL", "BACKOFFICE_DATABASE_URL"},
             "backoffice": {"BACKOFFICE_DATABASE_URL"},
             "migrate": {"DATABASE_URL", "BACKOFFICE_DATABASE_URL", "RASA_TRACKER_PASSWORD"}}


def own_secrets(tier: str) -> set[str]:
    return {n.upper() for n in SECRETS_OF.get(tier, ())} | DATABASES.get(tier, set())


def test_each_tier_gets_only_its_own_secrets_and_listens_beyond_its_container():
    for name, service in compose()["services"].items():
        if name in ("postgres", "redis", "balancer"):
            continue
        tier = name.split("-")[0]
        assert SECRET_NAMES & set(service["environment"]) == own_secrets(tier), name
        assert all(service["environment"][f"{t}_HOST"] == "0.0.0.0"
                   for t in ("RASA", "ACTION_SERVER", "BACKOFFICE"))
    for doc in manifests():
        if doc["kind"] not in ("Deployment", "StatefulSet", "Job"):
            continue
        [container] = doc["spec"]["template"]["spec"]["containers"]
        given = {e["name"] for e in container.get("env", [])}
        assert given == own_secrets(container["name"]), container["name"]
        assert all("secretRef" not in source for source in container["envFrom"])
    config = next(d for d in manifests() if d["kind"] == "ConfigMap")["data"]
    assert config["COUNCILBOT_ENV"] == "production" and config["WIDGET_ALLOWED_ORIGINS"]
    assert compose()["x-settings"]["COUNCILBOT_ENV"].endswith(":-production}")


def test_every_command_is_one_councilbot_has():
    commands = [s["command"] for s in compose()["services"].values() if "command" in s]
    commands += [c["command"] for d in manifests() if d["kind"] in ("Deployment", "StatefulSet",
                                                                      "Job")
                 for c in d["spec"]["template"]["spec"]["containers"]]
    assert len(commands) >= 9
    for command in commands:
        assert command[0] == "councilbot"
        build_parser().parse_args(command[1:])  # exits on an unknown command or tier


def test_publishing_waits_for_every_rasa_replica():
    services = compose()["services"]
    rasa = [name for name in services if name.startswith("rasa-")]
    assert compose()["x-settings"]["RASA_REPLICA_URLS"] == ",".join(
        f"http://{name}:5005" for name in rasa)
    config = next(d for d in manifests() if d["kind"] == "ConfigMap")
    stateful = next(d for d in manifests() if d["kind"] == "StatefulSet")
    assert config["data"]["RASA_REPLICA_URLS"].count("rasa-pods") == stateful["spec"]["replicas"]


def test_compose_balances_like_run_scaled():
    def rules(text: str) -> list[str]:
        return re.findall(r"^\s*(retry-on .*|option .*|balance .*|retries .*)$", text, re.M)

    template = (PROJECT_DIR / "bot" / "ops" / "haproxy.cfg.template").read_text()
    assert rules((DEPLOY / "haproxy.cfg").read_text()) == rules(template)


def test_replicas_never_migrate_at_start():
    config = next(d for d in manifests() if d["kind"] == "ConfigMap")
    assert compose()["x-settings"]["MIGRATE_ON_START"] == "false"
    assert config["data"]["MIGRATE_ON_START"] == "false"
