"""The scaled-out layout: every replica points at the balanced tier behind it, and HAProxy
accepts the configuration written for it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.ops import scaled
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
