"""`make bench`: latency and memory of the running assistant, as medians and ratios from one run."""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from pathlib import Path

import requests

from bot.ops.stack import loopback_settings, running
from bot.settings import PROJECT_DIR, Settings

BACKOFFICE_CALLS = 300
RASA_TURNS = 60
MESSAGES = ["hiya", "what can you help with", "when is my bin day", "how much council tax do I owe",
            "cheers", "am I talking to a real person?"]


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def summary(name: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    median = statistics.median(ordered)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name:<34} median {median:8.1f} ms   p95 {p95:8.1f} ms   n={len(samples)}")
    return median


def bench(settings: Settings, pids: dict[str, int]) -> None:
    session = requests.Session()
    auth = {"Authorization": f"Bearer {settings.backoffice_token.get_secret_value()}"}
    backoffice = summary("back office: address lookup", [
        timed(lambda: session.get(f"{settings.backoffice_url}/addresses",
                                  params={"postcode": "AN1 1AA"}, headers=auth).raise_for_status())
        for _ in range(BACKOFFICE_CALLS)
    ])
    rest_auth = {"Authorization": f"Bearer {settings.rasa_token.get_secret_value()}"}
    turns = []
    for _ in range(RASA_TURNS // len(MESSAGES)):
        sender = str(uuid.uuid4())  # each round is a new resident's conversation
        for message in MESSAGES:
            turn = {"sender": sender, "message": message}
            turns.append(timed(lambda turn=turn: session.post(
                f"{settings.rasa_url}/webhooks/rest/webhook", headers=rest_auth,
                json=turn, timeout=60,
            ).raise_for_status()))
    rasa = summary("Rasa REST turn (NLU + dialogue)", turns)
    print(f"{'ratio Rasa turn / back-office call':<34} {rasa / backoffice:8.1f}x")
    for name, pid in pids.items():
        print(f"{'memory ' + name:<34} {rss_mb(pid):8.0f} MB RSS")


def main() -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        settings = loopback_settings(Path(var_dir), PROJECT_DIR / "models")
        with running(settings, {"backoffice", "actions", "rasa"}, Path(var_dir)) as pids:
            bench(settings, pids)


if __name__ == "__main__":
    main()
