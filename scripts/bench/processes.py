"""CPU and memory of the processes under test, read from /proc while a load level runs."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.5


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def core_ticks() -> list[tuple[int, int]]:
    """(busy, total) ticks of each core since boot."""
    cores = []
    for line in Path("/proc/stat").read_text().splitlines():
        name, *values = line.split()
        if name.startswith("cpu") and name != "cpu":
            ticks = [int(v) for v in values]
            idle = ticks[3] + ticks[4]  # idle + iowait
            cores.append((sum(ticks) - idle, sum(ticks)))
    return cores


@dataclass
class Usage:
    """What one load level cost: % of one core per process, peak RSS, each core's busy %."""

    cpu_percent: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    cores_busy_percent: list[float] = field(default_factory=list)


class Sampler:
    """Samples the named PIDs in a thread between start() and stop()."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._peak = {name: rss_mb(pid) for name, pid in pids.items()}

    def start(self) -> Sampler:
        self._started = time.monotonic()
        self._cpu = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self._cores = core_ticks()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            for name, pid in self.pids.items():
                self._peak[name] = max(self._peak[name], rss_mb(pid))

    def stop(self) -> Usage:
        self._stop.set()
        self._thread.join()
        elapsed = max(time.monotonic() - self._started, 1e-6)
        cores = [(busy - b0) / max(total - t0, 1) * 100
                 for (busy, total), (b0, t0) in zip(core_ticks(), self._cores, strict=True)]
        return Usage(
            cpu_percent={name: (cpu_seconds(pid) - self._cpu[name]) / elapsed * 100
                         for name, pid in self.pids.items()},
            peak_rss_mb=dict(self._peak),
            cores_busy_percent=cores,
        )
