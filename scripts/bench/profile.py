"""A py-spy profile of a process under load, summed into the costs that matter for a turn."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

from scripts.bench.load import BENCH_VENV

RATE = 50  # samples a second: enough for shares, little overhead
# What each share is, as (name, fragments any one of which a stack must contain).
COSTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("NLU graph, all components", ("_parse_message_with_graph",)),
    ("  sentence encoders", ("sentence_features.py",)),
    ("  spaCy", ("spacy_utils.py", "spacy_tokenizer.py", "spacy_featurizer.py")),
    ("  CRF entity extractor", ("crf_entity_extractor.py",)),
    ("  count vectors, regex, lexical featurizers", (
        "count_vectors_featurizer.py", "regex_featurizer.py", "lexical_syntactic_featurizer.py")),
    ("  intent classifier", ("intent_classifier.py",)),
    ("  ResponseSelector", ("response_selector.py",)),
    ("policies (TED, rules, memoization)", ("_predict_next_with_tracker",)),
    ("  TED", ("ted_policy.py",)),
    ("running actions (Rasa's side)", ("_run_action",)),
    ("  tracker and domain to JSON for the action server", ("_action_call_format",)),
    ("tracker store (load and save)", ("tracker_store.py",)),
)
# A thread-pool thread waiting for work looks busy to py-spy.
IDLE = "_worker (concurrent/futures/thread.py"


def record(pid: int, seconds: int, out: Path) -> subprocess.Popen:
    """Start py-spy on `pid` for `seconds`; raw collapsed stacks go to `out`."""
    return subprocess.Popen(
        [str(BENCH_VENV / "bin" / "py-spy"), "record", "--pid", str(pid), "--duration",
         str(seconds), "--rate", str(RATE), "--format", "raw", "--threads", "--output",
         str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarise(raw: Path, top: int = 12) -> list[str]:
    """Shares of the CPU samples per cost and per thread, then the busiest functions."""
    stacks: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if count.isdigit() and IDLE not in stack.rsplit(";", 1)[-1]:
            stacks[stack] += int(count)
    total = sum(stacks.values())
    if not total:
        return ["no samples"]
    lines = [f"{total} samples of CPU time ({RATE}/s)"]
    for name, fragments in COSTS:
        share = sum(n for s, n in stacks.items() if any(f in s for f in fragments))
        lines.append(f"  {name:<52}{share / total:>6.1%}")
    top_level = [fragments for name, fragments in COSTS if not name.startswith(" ")]
    rest = sum(n for s, n in stacks.items() if not any(f in s for fs in top_level for f in fs))
    lines.append(f"  {'everything else (HTTP, event loop, message handling)':<52}"
                 f"{rest / total:>6.1%}")
    threads: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    for stack, n in stacks.items():
        frames = stack.split(";")
        threads[frames[0]] += n
        leaves[_function(frames[-1])] += n
    lines.append("  by thread: " + ", ".join(f"{t} {n / total:.0%}" for t, n in
                                            threads.most_common(4)))
    lines.append("  busiest functions (own time):")
    lines += [f"    {n / total:>6.1%}  {name}" for name, n in leaves.most_common(top)]
    return lines


def _function(frame: str) -> str:
    name, _, where = frame.partition(" (")
    return f"{name} ({where.split('site-packages/')[-1]}" if where else name
