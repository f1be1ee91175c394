"""`make bench-scaled`: one replica of every tier against two, behind the same HAProxy.

The same load both times: RESIDENTS residents at once, each a bin-day conversation through
the balancer. Reports turns per second for each layout and their ratio, and the CPU seconds
each tier spent per resident turn (psutil, every process of the tier), so a council can size
a deployment: on a machine with as many cores as replicas the ratio shows the speed-up; on
fewer it shows the cost of the extra replicas.
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

from bot.ops import scaled
from tests.e2e.scaled_stack import (
    dropped_afterwards,
    require_services,
    scratch_settings,
    shared_model,
)

RESIDENTS = 4
ROUNDS = 3  # conversations per resident
TURNS = [("hello", None), ("when is my bin day", None), ("AN1 1AA", None),
         ("1 Acacia Avenue", "100000000101")]
TIERS = ("gateway", "rasa", "actions", "backoffice", "balancer")


def conversation(base_url: str) -> int:
    turns = 0
    with httpx.Client(base_url=base_url, timeout=120) as http:
        for _ in range(ROUNDS):
            body = http.post("/api/conversations").json()
            headers = {"Authorization": f"Bearer {body['token']}"}
            for text, payload in TURNS:
                http.post(f"/api/conversations/{body['conversation_id']}/messages",
                          json={"text": text, "payload": payload},
                          headers=headers).raise_for_status()
                turns += 1
    return turns


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        process = psutil.Process(pid)
        for member in [process, *process.children(recursive=True)]:
            times = member.cpu_times()
            total += times.user + times.system
    return total


def measure(replica_count: int, var_dir: Path) -> dict:
    models_dir = shared_model(var_dir)
    settings = scratch_settings(var_dir, models_dir)
    layout = scaled.Layout.free(replicas=replica_count)
    tiers = {r.name: r.tier for r in scaled.replicas(settings, layout, var_dir)}
    with dropped_afterwards(settings), scaled.started(settings, layout, var_dir) as started:
        pids = {tier: [p.pid for name, p in started.items() if tiers[name] == tier]
                for tier in TIERS}
        base_url = layout.url(layout.public_port)
        conversation(base_url)  # warm-up: first turns load lazy parts of every process
        before = {tier: cpu_seconds(pids[tier]) for tier in TIERS}
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=RESIDENTS) as pool:
            turns = sum(pool.map(conversation, [base_url] * RESIDENTS))
        elapsed = time.perf_counter() - began
        spent = {tier: cpu_seconds(pids[tier]) - before[tier] for tier in TIERS}
    return {"turns": turns, "seconds": elapsed, "throughput": turns / elapsed,
            "cpu_ms_per_turn": {tier: 1000 * spent[tier] / turns for tier in TIERS}}


def main() -> None:
    require_services()
    results = {}
    for replica_count in (1, 2):
        with tempfile.TemporaryDirectory(prefix=f"bench-scaled-{replica_count}-") as var_dir:
            results[replica_count] = measure(replica_count, Path(var_dir))
        r = results[replica_count]
        print(f"{replica_count} replica(s) of each tier: {r['turns']} turns in "
              f"{r['seconds']:.1f} s, {r['throughput']:.2f} turns/s")
    print(f"throughput ratio, two replicas / one: "
          f"{results[2]['throughput'] / results[1]['throughput']:.2f} "
          f"({psutil.cpu_count()} cores)")
    print("CPU per resident turn (ms):    " + "  ".join(f"{t:>10}" for t in TIERS))
    for replica_count, r in results.items():
        print(f"  {replica_count} replica(s) of each tier: " + "  ".join(
            f"{r['cpu_ms_per_turn'][t]:10.1f}" for t in TIERS))


if __name__ == "__main__":
    main()
