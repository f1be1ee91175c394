"""Held-out NLU evaluation: split the data, train NLU on 80%, test on the unseen 20%, check F1.

The same trained model also reads two sets written apart from the training data and never
trained on (tests/nlu/): out-of-domain questions, of which as few as possible may start a
council journey, and general chat (greetings, goodbyes, thanks, yes and no).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import classification_report

from bot.rasa.components.out_of_domain import GENERAL_CHAT, is_journey
from bot.rasa.environment import child_env, rasa_command
from bot.settings import PROJECT_DIR, get_settings

SPLIT_DIR = PROJECT_DIR / "var" / "nlu_split"
TEST_DIR = SPLIT_DIR / "test"
REPORT_DIR = PROJECT_DIR / "reports" / "nlu"
HELD_OUT_DIR = PROJECT_DIR / "tests" / "nlu"
OUT_OF_DOMAIN_FILE = "held_out_out_of_domain.yml"
GENERAL_CHAT_FILE = "held_out_general_chat.yml"
TARGET_F1 = 0.95  # what each service intent should reach on unseen examples
FAIL_BELOW = 0.93  # a weighted F1 under this is a regression and fails the run
TARGET_JOURNEY_STARTS = 0.01  # out-of-domain questions that may start a council journey
FAIL_JOURNEY_STARTS = 0.03  # more than this is a regression and fails the run
TARGET_GENERAL_CHAT = 0.95
SEED = "42"


def rasa(*args: str) -> None:
    log = SPLIT_DIR / "rasa.log"
    with log.open("a") as out:
        code = subprocess.call(rasa_command(*args), env=child_env(get_settings()),
                               cwd=PROJECT_DIR, stdout=out, stderr=subprocess.STDOUT)
    if code:
        sys.exit(f"`rasa {' '.join(args[:2])}` failed; see {log}")


def texts_of(path: Path) -> dict[str, str]:
    """Each example's text and its intent (faq/* as faq, as the classifier is tested)."""
    return {m.get("text"): m.get("intent").split("/")[0]
            for m in load_data(str(path)).intent_examples}


def predictions() -> dict[str, str]:
    """The intent the model gave each test text (nlu_fallback when the fallback took it)."""
    found = {}
    for name in ("intent_errors.json", "intent_successes.json"):
        path = REPORT_DIR / name
        for row in json.loads(path.read_text()) if path.exists() else []:
            found[row["text"]] = row["intent_prediction"]["name"] or "nlu_fallback"
    return found


def in_domain_report(truth: dict[str, str], predicted: dict[str, str]) -> bool:
    texts = sorted(truth)
    report = classification_report([truth[t] for t in texts], [predicted[t] for t in texts],
                                   output_dict=True, zero_division=0)
    intents = {k: v for k, v in report.items() if k in set(truth.values())}
    print(f"{'intent':<28} {'f1':>6} {'support':>8}")
    for name, scores in sorted(intents.items()):
        flag = "" if scores["f1-score"] >= TARGET_F1 else "  below target"
        print(f"{name:<28} {scores['f1-score']:>6.3f} {scores['support']:>8}{flag}")
    (REPORT_DIR / "intent_report.json").write_text(json.dumps(report, indent=2) + "\n")
    weighted = report["weighted avg"]["f1-score"]
    print(f"{'weighted average':<28} {weighted:>6.3f}   (held-out, {len(texts)} examples)")
    below = sorted(n for n, v in intents.items() if v["f1-score"] < TARGET_F1)
    print(f"Target {TARGET_F1}: {len(intents) - len(below)} of {len(intents)} intents meet it"
          + (f"; below: {', '.join(below)}" if below else ""))
    if weighted < FAIL_BELOW:
        print(f"Held-out weighted F1 {weighted:.3f} is below {FAIL_BELOW}: failing the build")
        return False
    return True


def general_chat_report(split: dict[str, str], written: dict[str, str],
                        predicted: dict[str, str]) -> None:
    print("\nGeneral chat (greetings, goodbyes, thanks, yes, no): share read as written")
    for label, truth in (("held-out split", {t: i for t, i in split.items()
                                             if i in GENERAL_CHAT}),
                         ("written set", written)):
        wrong = {t: predicted[t] for t, i in truth.items() if predicted[t] != i}
        share = 1 - len(wrong) / len(truth)
        flag = "" if share >= TARGET_GENERAL_CHAT else f"  below target {TARGET_GENERAL_CHAT}"
        print(f"  {label:<15} {share:>6.3f} of {len(truth)}{flag}")
        for text, intent in sorted(wrong.items()):
            print(f"    {text!r} ({truth[text]}) -> {intent}")


def out_of_domain_report(texts: list[str], predicted: dict[str, str]) -> bool:
    outcomes = Counter(predicted[t] for t in texts)
    starts = sorted((predicted[t], t) for t in texts if is_journey(predicted[t]))
    share = len(starts) / len(texts)
    print(f"\nOut of domain ({len(texts)} held-out questions the assistant does not cover)")
    print("  " + ", ".join(f"{name} {count}" for name, count in outcomes.most_common()))
    print(f"  start a council journey: {share:.1%} (target <= {TARGET_JOURNEY_STARTS:.0%})")
    for intent, text in starts:
        print(f"    {text!r} -> {intent}")
    if share > FAIL_JOURNEY_STARTS:
        print(f"More than {FAIL_JOURNEY_STARTS:.0%} start a journey: failing the build")
        return False
    return True


def trained_on(held_out: list[Path]) -> set[str]:
    """Held-out texts that are also training examples (which would flatter the figures)."""
    training = {t.lower() for t in texts_of(PROJECT_DIR / "data" / "nlu")}
    return {t for path in held_out for t in texts_of(path) if t.lower() in training}


def main() -> int:
    copied = trained_on([HELD_OUT_DIR / OUT_OF_DOMAIN_FILE, HELD_OUT_DIR / GENERAL_CHAT_FILE])
    if copied:
        sys.exit(f"held-out examples also in data/nlu/ (remove them from one): {sorted(copied)}")
    shutil.rmtree(SPLIT_DIR, ignore_errors=True)
    TEST_DIR.mkdir(parents=True)
    for stale in ("intent_errors.json", "intent_successes.json"):
        (REPORT_DIR / stale).unlink(missing_ok=True)
    rasa("data", "split", "nlu", "--nlu", "data", "--training-fraction", "0.8",
         "--random-seed", SEED, "--out", str(SPLIT_DIR))
    for name in (OUT_OF_DOMAIN_FILE, GENERAL_CHAT_FILE):
        shutil.copy(HELD_OUT_DIR / name, TEST_DIR / name)
    shutil.move(SPLIT_DIR / "test_data.yml", TEST_DIR / "test_data.yml")
    rasa("train", "nlu", "--config", "config.yml", "--domain", "domain.yml",
         "--nlu", str(SPLIT_DIR / "training_data.yml"), "--out", str(SPLIT_DIR / "models"))
    # One test run reads all three sets, so the model loads once.
    rasa("test", "nlu", "--nlu", str(TEST_DIR), "--model", str(SPLIT_DIR / "models"),
         "--out", str(REPORT_DIR), "--no-plot", "--successes")

    predicted = predictions()
    split = texts_of(TEST_DIR / "test_data.yml")
    out_of_domain = list(texts_of(TEST_DIR / OUT_OF_DOMAIN_FILE))
    ok = in_domain_report(split, predicted)
    general_chat_report(split, texts_of(TEST_DIR / GENERAL_CHAT_FILE), predicted)
    ok = out_of_domain_report(out_of_domain, predicted) and ok
    print(f"\nReport kept in {REPORT_DIR.relative_to(PROJECT_DIR)}/ (intent_report.json: the "
          "held-out split only)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
