"""Held-out NLU evaluation: split the data, train NLU on 80%, test on the unseen 20%, check F1."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from bot.rasa.environment import child_env, rasa_command
from bot.settings import PROJECT_DIR, get_settings

SPLIT_DIR = PROJECT_DIR / "var" / "nlu_split"
REPORT_DIR = PROJECT_DIR / "reports" / "nlu"
TARGET_F1 = 0.95  # what each service intent should reach on unseen examples
FAIL_BELOW = 0.93  # a weighted F1 under this is a regression and fails the run
SEED = "42"


def rasa(*args: str) -> None:
    log = SPLIT_DIR / "rasa.log"
    with log.open("a") as out:
        code = subprocess.call(rasa_command(*args), env=child_env(get_settings()),
                               cwd=PROJECT_DIR, stdout=out, stderr=subprocess.STDOUT)
    if code:
        sys.exit(f"`rasa {' '.join(args[:2])}` failed; see {log}")


def main() -> int:
    shutil.rmtree(SPLIT_DIR, ignore_errors=True)
    SPLIT_DIR.mkdir(parents=True)
    rasa("data", "split", "nlu", "--nlu", "data", "--training-fraction", "0.8",
         "--random-seed", SEED, "--out", str(SPLIT_DIR))
    rasa("train", "nlu", "--config", "config.yml", "--domain", "domain.yml",
         "--nlu", str(SPLIT_DIR / "training_data.yml"), "--out", str(SPLIT_DIR / "models"))
    rasa("test", "nlu", "--nlu", str(SPLIT_DIR / "test_data.yml"),
         "--model", str(SPLIT_DIR / "models"), "--out", str(REPORT_DIR), "--no-plot")

    report = json.loads((REPORT_DIR / "intent_report.json").read_text())
    intents = {k: v for k, v in report.items() if isinstance(v, dict) and "f1-score" in v
               and k not in ("micro avg", "macro avg", "weighted avg")}
    print(f"{'intent':<28} {'f1':>6} {'support':>8}")
    for name, scores in sorted(intents.items()):
        flag = "" if scores["f1-score"] >= TARGET_F1 else "  below target"
        print(f"{name:<28} {scores['f1-score']:>6.3f} {scores['support']:>8}{flag}")
    weighted = report["weighted avg"]["f1-score"]
    held_out = report["weighted avg"]["support"]
    print(f"{'weighted average':<28} {weighted:>6.3f}   (held-out, {held_out} examples)")
    print(f"Report kept in {REPORT_DIR.relative_to(PROJECT_DIR)}/")
    below = sorted(n for n, v in intents.items() if v["f1-score"] < TARGET_F1)
    print(f"Target {TARGET_F1}: {len(intents) - len(below)} of {len(intents)} intents meet it"
          + (f"; below: {', '.join(below)}" if below else ""))
    if weighted < FAIL_BELOW:
        print(f"Held-out weighted F1 {weighted:.3f} is below {FAIL_BELOW}: failing the build")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
