"""The assistant scaled out on one machine: two replicas of every tier behind HAProxy.

Each replica is the same process as in `councilbot run` (bot/ops/processes.py) with its own
settings; HAProxy balances residents and staff over the gateways, the gateways over the Rasa
servers and Rasa over the action servers (round robin, health checks, no sticky sessions).
The shared state lives in PostgreSQL and Redis, so any replica can answer any request.
`councilbot migrate` must have run first: no replica migrates or seeds (MIGRATE_ON_START).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from string import ascii_lowercase
from typing import IO

import requests

from bot.ops.migrate import migrate
from bot.ops.processes import Process, processes
from bot.ops.stack import free_port, readiness_headers, wait_until_ready
from bot.rasa.environment import child_env
from bot.settings import PROJECT_DIR, Settings

REPLICAS = 2
HAPROXY_TEMPLATE = Path(__file__).with_name("haproxy.cfg.template")
# Rasa's lock on a conversation outlives a replica that dies holding it by this long; the
# retried message waits for it, so it is kept short but above the slowest turn.
TICKET_LOCK_LIFETIME_SECONDS = 15
# Two Rasa servers load their models at once, each on a share of the cores.
START_SECONDS = 600


@dataclass(frozen=True)
class Replica:
    """One process of the scaled stack: what it runs, with which environment, when ready."""

    name: str
    tier: str
    command: list[str]
    env: dict[str, str]
    ready_url: str
    ready_headers: Callable[[], dict[str, str]] = dict


@dataclass(frozen=True)
class Layout:
    """Loopback ports: HAProxy's three front ends and every replica behind them."""

    public_port: int
    rasa_port: int
    actions_port: int
    stats_port: int
    gateways: tuple[int, ...]
    rasas: tuple[int, ...]
    actions: tuple[int, ...]
    backoffice: int

    @classmethod
    def free(cls, public_port: int | None = None, replicas: int = REPLICAS) -> Layout:
        def ports() -> tuple[int, ...]:
            return tuple(free_port() for _ in range(replicas))

        return cls(public_port=public_port or free_port(), rasa_port=free_port(),
                   actions_port=free_port(), stats_port=free_port(), gateways=ports(),
                   rasas=ports(), actions=ports(), backoffice=free_port())

    def url(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"


@contextmanager
def started(settings: Settings, layout: Layout, var_dir: Path
            ) -> Iterator[dict[str, subprocess.Popen]]:
    """`councilbot migrate`, then every replica, until HAProxy sees them all up."""
    migrate(settings)
    with running(replicas(settings, layout, var_dir), var_dir) as processes_by_name:
        wait_until_balanced(layout)
        yield processes_by_name


def named(ports: tuple[int, ...]) -> list[tuple[str, int]]:
    """Replicas are called a, b, c... after their place in the layout."""
    return [(ascii_lowercase[i], port) for i, port in enumerate(ports)]


def shared_settings(settings: Settings, layout: Layout) -> Settings:
    """What every replica agrees on: where the balanced tiers and the replicas are."""
    return settings.copy(update={
        "host": "127.0.0.1",
        "migrate_on_start": False,
        "gateway_port": layout.public_port,
        "rasa_url": layout.url(layout.rasa_port),
        "rasa_replica_urls": ",".join(layout.url(p) for p in layout.rasas),
        "rasa_model_url": f"{layout.url(layout.public_port)}/_rasa/model",
        "action_endpoint_url": f"{layout.url(layout.actions_port)}/webhook",
        "backoffice_port": layout.backoffice,
        "backoffice_url": layout.url(layout.backoffice),
    })


def replicas(settings: Settings, layout: Layout, var_dir: Path) -> list[Replica]:
    """Every process, in the order they start: the gateways before Rasa, which pulls its
    model from them."""
    shared = shared_settings(settings, layout)
    found = [_replica(shared, "backoffice", "backoffice", f"{shared.backoffice_url}/health")]
    for letter, port in named(layout.actions):
        found.append(_replica(shared.copy(update={"action_server_port": port}), "actions",
                              f"actions-{letter}", f"{layout.url(port)}/health"))
    found.append(haproxy(layout, var_dir))
    for letter, port in named(layout.gateways):
        found.append(_replica(shared.copy(update={"gateway_port": port}), "gateway",
                              f"gateway-{letter}", f"{layout.url(port)}/health"))
    for letter, port in named(layout.rasas):
        found.append(_replica(shared.copy(update={"rasa_port": port}), "rasa", f"rasa-{letter}",
                              f"{layout.url(port)}/status",
                              {"TICKET_LOCK_LIFETIME": str(TICKET_LOCK_LIFETIME_SECONDS)},
                              readiness_headers(shared, "rasa")))
    return found


@contextmanager
def running(processes_in_order: list[Replica], log_dir: Path
            ) -> Iterator[dict[str, subprocess.Popen]]:
    """Start them in order (each tier's replicas together), wait for each to be ready, and
    stop them all on exit; yields the processes by name."""
    started: dict[str, subprocess.Popen] = {}
    logs: list[IO[str]] = []
    try:
        for _tier, group in groupby(processes_in_order, key=lambda r: r.tier):
            batch = list(group)
            for replica in batch:
                logs.append((log_dir / f"{replica.name}.log").open("w"))
                started[replica.name] = subprocess.Popen(
                    replica.command, env=replica.env or None, cwd=PROJECT_DIR,
                    stdout=logs[-1], stderr=subprocess.STDOUT)
            for replica in batch:
                wait_until_ready(replica.ready_url, lambda r: r.ok, started[replica.name],
                                 log_dir / f"{replica.name}.log", START_SECONDS,
                                 replica.ready_headers)
        yield started
    finally:
        for proc in started.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in started.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


def _replica(settings: Settings, tier: str, name: str, ready_url: str,
             extra_env: dict[str, str] | None = None,
             ready_headers: Callable[[], dict[str, str]] = dict) -> Replica:
    process: Process = next(p for p in processes(settings) if p.name == tier)
    return Replica(name=name, tier=tier, command=process.command,
                   env={**child_env(settings, tier), **(extra_env or {})}, ready_url=ready_url,
                   ready_headers=ready_headers)


def _server_stats(layout: Layout) -> list[dict[str, str]]:
    stats = requests.get(f"{layout.url(layout.stats_port)}/stats;csv", timeout=5)
    rows = csv.DictReader(io.StringIO(stats.text.lstrip("# ")))
    return [row for row in rows if row["svname"] not in ("FRONTEND", "BACKEND")]


def balanced_servers(layout: Layout) -> dict[str, str]:
    """Each replica's state as HAProxy's health checks see it (UP, DOWN...)."""
    return {row["svname"]: row["status"] for row in _server_stats(layout)}


def served_requests(layout: Layout) -> dict[str, int]:
    """Requests HAProxy has sent each replica so far (health checks not counted)."""
    return {row["svname"]: int(row["stot"]) for row in _server_stats(layout)}


def wait_until_balanced(layout: Layout, timeout: float = 30.0) -> None:
    """Until HAProxy has seen every replica pass its health check (`rise` checks in a row)."""
    deadline = time.monotonic() + timeout
    while True:
        states = balanced_servers(layout)
        if all(state == "UP" for state in states.values()):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"HAProxy does not see every replica up: {states}")
        time.sleep(0.5)


def haproxy_config(layout: Layout) -> str:
    def servers(prefix: str, ports: tuple[int, ...]) -> str:
        return "\n".join(f"    server {prefix}-{letter} 127.0.0.1:{port} check"
                         for letter, port in named(ports))

    return HAPROXY_TEMPLATE.read_text(encoding="utf-8").format(
        public_port=layout.public_port, rasa_port=layout.rasa_port,
        actions_port=layout.actions_port, stats_port=layout.stats_port,
        gateway_servers=servers("gateway", layout.gateways),
        rasa_servers=servers("rasa", layout.rasas),
        action_servers=servers("actions", layout.actions),
    )


def haproxy(layout: Layout, var_dir: Path) -> Replica:
    """HAProxy in the foreground (-db) with the layout's configuration in the var folder."""
    binary = shutil.which("haproxy")
    if binary is None:
        raise RuntimeError("HAProxy is not installed: `make run-scaled` installs it with apt")
    config = var_dir / "haproxy.cfg"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(haproxy_config(layout), encoding="utf-8")
    return Replica(name="haproxy", tier="balancer", command=[binary, "-db", "-f", str(config)],
                   env={}, ready_url=f"{layout.url(layout.stats_port)}/stats")
