"""The bench's table, ratios to bare Rasa, process usage, JSON figures and chart."""

from __future__ import annotations

import json
import os
from pathlib import Path

from scripts.bench.load import Result

ANCHOR, RASA, GATEWAY = "anchor", "rasa", "gateway"
BEFORE = " before"  # suffix of the targets run without the speed-ups (--compare)
NAMES = {ANCHOR: "bare Rasa (rasa init)", RASA: "Rasa REST, project", GATEWAY: "gateway API",
         RASA + BEFORE: "Rasa REST, no speed-ups", GATEWAY + BEFORE: "gateway, no speed-ups"}


def _ms(value: float) -> str:
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def _ratio(top: float, bottom: float) -> str:
    return f"{top / bottom:.2f}x" if bottom else "-"


def by_key(results: list[Result]) -> dict[tuple[str, str], Result]:
    return {(r.target, r.level): r for r in results}


PAIRS = ((GATEWAY, ANCHOR), (RASA, ANCHOR), (GATEWAY, RASA), (GATEWAY + BEFORE, ANCHOR),
         (RASA + BEFORE, ANCHOR), (GATEWAY + BEFORE, RASA + BEFORE))


def ratios(results: list[Result]) -> list[dict]:
    """Per level: the gateway and the project's Rasa against bare Rasa, the gateway against
    the project's Rasa (with and, if measured, without the speed-ups)."""
    table = by_key(results)
    rows = []
    for level in dict.fromkeys(r.level for r in results):
        row: dict = {"level": level}
        for target, base in PAIRS:
            result, anchor = table.get((target, level)), table.get((base, level))
            if result and anchor:
                row[f"{target}/{base}"] = {
                    "throughput": _div(result.messages_per_second, anchor.messages_per_second),
                    "p50": _div(result.p50_ms, anchor.p50_ms),
                    "p95": _div(result.p95_ms, anchor.p95_ms)}
        rows.append(row)
    return rows


def _div(top: float, bottom: float) -> float | None:
    return round(top / bottom, 3) if bottom else None


def print_report(results: list[Result], memory_after: dict[str, dict[str, float]],
                 hops: dict[str, float], seconds: int) -> None:
    load = os.getloadavg()
    print(f"\nScripted resident conversations, {seconds} s per level, {os.cpu_count()} cores;"
          f" load average before the run {load[0]:.1f} (the machine may be shared)\n")
    print(f"{'target':<26}{'residents':<22}{'msg/s':>7}{'p50':>10}{'p95':>10}{'p99':>10}"
          f"{'errors':>9}")
    for r in results:
        print(f"{NAMES[r.target]:<26}{r.level:<22}{r.messages_per_second:>7.1f}"
              f"{_ms(r.p50_ms):>10}{_ms(r.p95_ms):>10}{_ms(r.p99_ms):>10}"
              f"{r.error_share:>8.1%}")
    print("\nRatios in this run (throughput higher is better, latency lower is better):")
    print(f"{'residents':<22}{'':<30}{'msg/s':>8}{'p50':>8}{'p95':>8}")
    for row in ratios(results):
        for key, v in row.items():
            if key != "level":
                print(f"{row['level']:<22}{key:<30}{_fmt(v['throughput']):>8}"
                      f"{_fmt(v['p50']):>8}{_fmt(v['p95']):>8}")
    print("\nCPU (% of one core) of each process, and how busy each core was (all users):")
    for r in results:
        cpu = "  ".join(f"{n} {p:.0f}%" for n, p in r.usage.cpu_percent.items())
        cores = "/".join(f"{c:.0f}" for c in r.usage.cores_busy_percent)
        print(f"  {NAMES[r.target]:<26}{r.level:<22}{cpu}   cores {cores}%")
    print("\nMemory (MB RSS): peak under load / after the load")
    peaks: dict[tuple[str, str], float] = {}
    for r in results:
        for name, mb in r.usage.peak_rss_mb.items():
            key = ("bare Rasa" if r.target == ANCHOR else
                   "stack" + (BEFORE if r.target.endswith(BEFORE) else ""), name)
            peaks[key] = max(peaks.get(key, 0.0), mb)
    for (group, name), peak in peaks.items():
        after = memory_after.get(group, {}).get(name, 0.0)
        print(f"  {group:<14}{name:<12}{peak:>7.0f} / {after:.0f}")
    for group, processes in memory_after.items():
        print(f"  {group:<14}{'total':<12}{'':>7}   {sum(processes.values()):.0f}")
    if hops:
        print("\nOne resident, per message (medians, serial calls):")
        for name, value in hops.items():
            print(f"  {name:<52}{_ms(value):>10}")
    failures = [(r, reason, n) for r in results for reason, n in r.failure_reasons.items()]
    if failures:
        print("\nErrors (most frequent):")
        for r, reason, n in failures[:12]:
            print(f"  {r.target} {r.level}: {n} x {reason}")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def save(results: list[Result], memory_after: dict, hops: dict, profiles: dict,
         out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = {"results": [r.to_json() for r in results], "ratios": ratios(results),
               "memory_after_mb": memory_after, "one_resident_ms": hops, "profiles": profiles,
               "cores": os.cpu_count(), "load_average": os.getloadavg()[0]}
    path = out_dir / "bench.json"
    path.write_text(json.dumps(figures, indent=1) + "\n")
    chart(results, out_dir / "bench.png")
    return path


def chart(results: list[Result], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, (latency, bars) = pyplot.subplots(2, 1, figsize=(11, 8))
    offset = 0
    for r in results:
        if not r.history:
            continue
        start = r.history[0]["seconds"]
        xs = [offset + h["seconds"] - start for h in r.history]
        line, = latency.plot(xs, [h["p50_ms"] for h in r.history],
                             label=f"{r.target} {r.level} p50")
        latency.plot(xs, [h["p95_ms"] for h in r.history], color=line.get_color(),
                     linestyle=":")
        offset = xs[-1] + 2
    latency.set_yscale("log")
    latency.set_ylabel("latency ms (solid p50, dotted p95)")
    latency.set_xlabel("seconds of load, one level after another")
    latency.legend(fontsize=6, ncol=4)
    rows = ratios(results)
    labels = [row["level"] for row in rows]
    for index, (key, measure) in enumerate((("gateway/anchor", "throughput"),
                                           ("gateway/anchor", "p50"),
                                           ("gateway/anchor", "p95"),
                                           ("gateway/rasa", "throughput"))):
        values = [(row.get(key) or {}).get(measure) or 0 for row in rows]
        bars.bar([i + index * 0.2 for i in range(len(rows))], values, width=0.2,
                 label=f"{key} {measure}")
    bars.axhline(1.0, color="grey", linewidth=0.8)
    bars.set_xticks([i + 0.3 for i in range(len(rows))], labels)
    bars.set_ylabel("ratio")
    bars.set_xlabel("residents")
    bars.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    pyplot.close(figure)
