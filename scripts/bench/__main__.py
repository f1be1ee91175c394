"""`make bench`: a Locust load test of scripted resident conversations, in one go, against
(a) bare Rasa with the `rasa init` assistant (the anchor), (b) the project's Rasa REST channel
with its action server and (c) the gateway's resident API; at 1, 10 and 50 residents without
think time and 50 with it. Prints messages/s, p50/p95/p99, errors, CPU and memory of every
process and the ratios to the anchor measured in the same run; keeps reports/bench/bench.json
and bench.png.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

from bot.rasa.api_auth import api_headers
from bot.settings import PROJECT_DIR, Settings
from scripts.bench.conversations import RESIDENT_SCRIPTS
from scripts.bench.load import Level, Result, run_level
from scripts.bench.processes import rss_mb
from scripts.bench.profile import record, summarise
from scripts.bench.report import BEFORE, by_key, print_report, save
from scripts.bench.targets import anchor, bench_settings, project

LEVELS = "1,10,50,50:2-5"
WARM_UP_SECONDS = 5


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__)
    parser.add_argument("--seconds", type=int, default=20, help="length of each level")
    parser.add_argument("--levels", default=LEVELS,
                        help="residents per level; N:LOW-HIGH adds think time (seconds)")
    parser.add_argument("--targets", default="anchor,rasa,gateway")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "reports" / "bench")
    parser.add_argument("--profile", default="rasa:10",
                        help="TARGET:LEVEL whose Rasa process py-spy samples ('' for none)")
    parser.add_argument("--without-speed-ups", action="store_true",
                        help="Rasa without its feature cache and NLU thread (for comparison)")
    parser.add_argument("--compare", action="store_true",
                        help="the stack without the speed-ups first, then with, in one run")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = options(argv)
    levels = [Level.parse(text) for text in args.levels.split(",")]
    targets = set(args.targets.split(","))
    run_dir = PROJECT_DIR / "var" / "bench" / "runs" / datetime.now(timezone.utc).strftime(
        "%Y%m%dT%H%M%S")
    run_dir.mkdir(parents=True)
    results: list[Result] = []
    memory_after: dict[str, dict[str, float]] = {}
    hops: dict[str, float] = {}
    profiles: dict[str, list[str]] = {}

    def load(target: str, user_class: str, host: str, pids: dict[str, int],
             token: str = "") -> None:
        run_level(target, user_class, host, Level(1), WARM_UP_SECONDS, run_dir / "warm-up",
                  pids, token)
        for level in levels:
            print(f"{target}: {level.label} residents for {args.seconds} s", flush=True)
            profiling = args.profile == f"{target.split()[0]}:{level.label}"
            if profiling:
                raw = run_dir / f"profile-{target.replace(' ', '-')}-{level.residents}.txt"
                spy = record(pids["rasa"], max(args.seconds - 2, 1), raw)
            results.append(run_level(target, user_class, host, level, args.seconds, run_dir,
                                     pids, token))
            if profiling:
                spy.wait(timeout=60)
                profiles[f"{target} Rasa process, {level.label} residents"] = summarise(raw)

    if "anchor" in targets:
        with anchor(run_dir) as (url, pids):
            load("anchor", "AnchorResident", url, pids)
            memory_after["bare Rasa"] = {name: rss_mb(pid) for name, pid in pids.items()}
    variants = [False, True] if args.compare else [not args.without_speed_ups]
    for speed_ups in variants if targets & {"rasa", "gateway"} else []:
        suffix = "" if speed_ups else BEFORE
        settings = bench_settings(run_dir / f"stack{suffix.strip()}", speed_ups=speed_ups)
        print(f"Starting the project's stack{' without speed-ups' if suffix else ''}...",
              flush=True)
        with project(settings, run_dir) as pids:
            token = settings.rasa_token.get_secret_value()
            if "rasa" in targets:
                load("rasa" + suffix, "RasaResident", settings.rasa_url, pids, token)
            if "gateway" in targets:
                load("gateway" + suffix, "GatewayResident",
                     f"http://{settings.host}:{settings.gateway_port}", pids)
            if speed_ups == variants[-1]:
                hops = one_resident(settings, results)
            memory_after["stack" + suffix] = {name: rss_mb(pid) for name, pid in pids.items()}
    print_report(results, memory_after, hops, args.seconds)
    for name, lines in profiles.items():
        print(f"\npy-spy profile of the {name}:")
        print("\n".join(lines))
    print(f"\nFigures: {save(results, memory_after, hops, profiles, args.out)} (chart bench.png);"
          f" Locust's own files: {run_dir}")


def one_resident(settings: Settings, results: list[Result]) -> dict[str, float]:
    """Where one resident's message goes: NLU alone and a back-office call, timed serially,
    beside the one-resident medians of the Rasa and gateway levels."""
    session = requests.Session()
    api_token = settings.rasa_api_token.get_secret_value()
    texts = [step.say for script in RESIDENT_SCRIPTS for step in script.steps if step.say]
    nlu = [_timed(lambda t=text: session.post(f"{settings.rasa_url}/model/parse",
                                              headers=api_headers(api_token), json={"text": t},
                                              timeout=60)) for text in texts]
    auth = {"Authorization": f"Bearer {settings.backoffice_token.get_secret_value()}"}
    office = [_timed(lambda: session.get(f"{settings.backoffice_url}/addresses",
                                         params={"postcode": "AN1 1AA"}, headers=auth,
                                         timeout=10)) for _ in range(30)]
    hops = {"Rasa NLU alone (/model/parse)": statistics.median(nlu),
            "back-office call (address lookup)": statistics.median(office)}
    table = by_key(results)
    rasa, gateway = table.get(("rasa", "1")), table.get(("gateway", "1"))
    if rasa:
        hops["Rasa REST turn p50 (1 resident)"] = rasa.p50_ms
        hops["  of which policies, actions, tracker store (approx.)"] = \
            max(rasa.p50_ms - hops["Rasa NLU alone (/model/parse)"], 0.0)
    if rasa and gateway:
        hops["gateway turn p50 (1 resident)"] = gateway.p50_ms
        hops["  of which the gateway itself (approx.)"] = max(gateway.p50_ms - rasa.p50_ms, 0.0)
    return hops


def _timed(call) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call().raise_for_status()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
