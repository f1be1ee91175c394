"""One Locust run (a target at one load level) in the bench's own virtual environment."""

from __future__ import annotations

import csv
import os
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scripts.bench.processes import Sampler, Usage

PROJECT_DIR = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
BENCH_VENV = PROJECT_DIR / "var" / "bench" / "venv"
MESSAGE = "message"  # the request name locustfile.py gives every resident message


@dataclass(frozen=True)
class Level:
    residents: int
    think_seconds: str = "0"  # "0" (closed loop) or "LOW-HIGH"

    @property
    def label(self) -> str:
        return str(self.residents) if self.think_seconds == "0" else \
            f"{self.residents} thinking {self.think_seconds} s"

    @classmethod
    def parse(cls, text: str) -> Level:
        """"10" or "50:2-5" (50 residents pausing 2 to 5 s between messages)."""
        residents, _, think = text.partition(":")
        return cls(int(residents), think or "0")


@dataclass
class Result:
    target: str
    level: str
    residents: int
    messages: int
    failures: int
    messages_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    failure_reasons: dict[str, int] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    history: list[dict] = field(default_factory=list)

    @property
    def error_share(self) -> float:
        return self.failures / self.messages if self.messages else 1.0

    def to_json(self) -> dict:
        return {**asdict(self), "error_share": self.error_share}


def locust_command(user_class: str, host: str, level: Level, seconds: int, csv_prefix: Path,
                   rasa_token: str = "") -> list[str]:
    return [
        str(BENCH_VENV / "bin" / "locust"), "-f", str(LOCUSTFILE), "--headless",
        "--users", str(level.residents), "--spawn-rate", str(level.residents),
        "--run-time", f"{seconds}s", "--stop-timeout", "15", "--host", host,
        "--csv", str(csv_prefix), "--csv-full-history", "--only-summary", "--loglevel", "ERROR",
        "--rasa-token", rasa_token, "--think-seconds", level.think_seconds, user_class,
    ]


def run_level(target: str, user_class: str, host: str, level: Level, seconds: int,
              out_dir: Path, pids: dict[str, int], rasa_token: str = "") -> Result:
    """Play the scripts at one level for `seconds`, sampling the target's processes meanwhile."""
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / f"{target}-{level.residents}-{level.think_seconds}"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    sampler = Sampler(pids).start()
    with (out_dir / f"{prefix.name}.log").open("w") as log:
        subprocess.run(locust_command(user_class, host, level, seconds, prefix, rasa_token),
                       cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                       timeout=seconds + 120, check=False)
    usage = sampler.stop()
    return _read(target, level, prefix, usage)


def _read(target: str, level: Level, prefix: Path, usage: Usage) -> Result:
    rows = _rows(Path(f"{prefix}_stats.csv"))
    row = next((r for r in rows if r["Name"] == MESSAGE), None)
    reasons: Counter[str] = Counter()
    for failure in _rows(Path(f"{prefix}_failures.csv")):
        reasons[f"{failure['Name']}: {failure['Error'][:120]}"] += int(failure["Occurrences"])
    history = [{"seconds": int(r["Timestamp"]), "p50_ms": _number(r["50%"]),
                "p95_ms": _number(r["95%"]), "per_second": _number(r["Requests/s"])}
               for r in _rows(Path(f"{prefix}_stats_history.csv")) if r["Name"] == MESSAGE]
    if row is None:
        return Result(target, level.label, level.residents, 0, 0, 0.0, 0.0, 0.0, 0.0,
                      dict(reasons.most_common(5)), usage, history)
    return Result(
        target=target, level=level.label, residents=level.residents,
        messages=int(row["Request Count"]), failures=int(row["Failure Count"]),
        messages_per_second=_number(row["Requests/s"]), p50_ms=_number(row["50%"]),
        p95_ms=_number(row["95%"]), p99_ms=_number(row["99%"]),
        failure_reasons=dict(reasons.most_common(5)), usage=usage, history=history,
    )


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as file:
        return list(csv.DictReader(file))


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
