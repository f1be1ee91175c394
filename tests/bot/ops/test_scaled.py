"""The scaled-out layout: every replica points at the balanced tier behind it, and HAProxy
accepts the configuration written for it."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.ops import scaled
from bot.ops.supervision import replica_programs, write_config
from bot.settings import Settings


@pytest.fixture
def layout_and_replicas(tmp_path: Path):  # type: ignore[no-untyped-def]
    if shutil.which("haproxy") is None:
        pytest.skip("HAProxy is not installed (make test and make run-scaled install it)")
    layout = scaled.Layout.free()
    settings = Settings(_env_file=None, var_dir=tmp_path, rasa_tracker_dialect="postgresql",
                        database_url="postgresql://postgres@127.0.0.1/x",
                        redis_url="redis://127.0.0.1:6379/13")
    return layout, {r.name: r for r in scaled.replicas(settings, layout, tmp_path)}


def test_haproxy_accepts_the_configuration(layout_and_replicas, tmp_path):
    checked = subprocess.run(["haproxy", "-c", "-f", str(tmp_path / "haproxy.cfg")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_replica_talks_to_the_balanced_tier_behind_it(layout_and_replicas):
    layout, replicas = layout_and_replicas
    assert sorted(replicas) == ["actions-a", "actions-b", "backoffice", "gateway-a",
                                "gateway-b", "haproxy", "rasa-a", "rasa-b"]
    balancer = layout.url(layout.public_port)
    for name in ("gateway-a", "gateway-b"):
        assert replicas[name].env["RASA_URL"] == layout.url(layout.rasa_port)
    for name in ("rasa-a", "rasa-b"):
        env = replicas[name].env
        assert env["ACTION_ENDPOINT_URL"] == f"{layout.url(layout.actions_port)}/webhook"
        assert env["RASA_MODEL_URL"] == f"{balancer}/_rasa/model"
        assert "endpoints.scale.yml" in replicas[name].command
    for replica in replicas.values():
        if replica.name != "haproxy":
            assert replica.env["MIGRATE_ON_START"] == "False"  # `councilbot migrate` did it
    publish_waits_for = replicas["gateway-a"].env["RASA_REPLICA_URLS"].split(",")
    assert publish_waits_for == [layout.url(port) for port in layout.rasas]


def test_run_scaled_supervises_every_replica_each_with_its_own_ports_and_secrets(
        layout_and_replicas, tmp_path):
    layout, replicas = layout_and_replicas
    settings = Settings(_env_file=None, var_dir=tmp_path, backoffice_token="bo-secret",
                        secret_key="gateway-secret", action_server_token="action-secret")
    handle = write_config(settings, programs=replica_programs(settings, list(replicas.values())))
    config = configparser.RawConfigParser()
    config.read(handle.config)
    programs = {section.removeprefix("program:"): config[section]
                for section in config.sections() if section.startswith("program:")}
    assert sorted(programs) == sorted(replicas)
    assert all(p["autorestart"] == "true" for p in programs.values())
    assert f'RASA_PORT="{layout.rasas[1]}"' in programs["rasa-b"]["environment"]
    assert "SECRET_KEY" in programs["gateway-a"]["environment"]
    assert "SECRET_KEY" not in programs["rasa-a"]["environment"]
    assert "BACKOFFICE_TOKEN" not in programs["gateway-a"]["environment"]
    assert "BACKOFFICE_TOKEN" in programs["actions-b"]["environment"]
    assert "environment" not in programs["haproxy"]  # no secret at all
