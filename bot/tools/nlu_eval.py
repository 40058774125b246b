"""`make eval`: how well the assistant understands people, measured apart from training.

Starts the real assistant (action server + Rasa server, its own SQLite fact
base), sends every message of the held-out set (tests/nlu/heldout.yml, never
trained on) over REST in a fresh conversation, and compares the `topic` of the
reply's envelope with the label. The development set (tests/nlu/dev.yml, used
while tuning) is measured the same way, so a gap between the two shows
over-fitting. Writes per-topic precision and recall, the confusions and the
overall accuracy to reports/nlu_eval.md and reports/nlu_eval.json.

It then runs `rasa test nlu` cross-validation on the training data and keeps
Rasa's confusion-matrix and confidence-histogram images in
reports/nlu_crossval/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

from bot.core import settings
from bot.tools.labelled import DEV_FILE, HELDOUT_FILE, labelled

REPORTS_DIR = settings.ROOT / "reports"
TARGET_ACCURACY = 0.95
TARGET_RECALL = 0.85
CROSSVAL_IMAGES = (
    "intent_confusion_matrix.png",
    "intent_histogram.png",
    "TopicClassifier_confusion_matrix.png",
    "TopicClassifier_histogram.png",
)


@dataclass(frozen=True)
class Outcome:
    text: str
    expected: str
    got: str
    error: Optional[str] = None


def ask_all(ask, examples: Iterable) -> list[Outcome]:
    """Each message in its own conversation, so no earlier turn gives it context.

    `ask(text, sender)` returns a Turn (bot.run.harness); a reply without exactly
    one envelope counts as wrong, with the reason kept.
    """
    outcomes = []
    for example in examples:
        try:
            topic = ask(example.text, f"eval-{uuid.uuid4().hex}").custom["topic"]
            outcomes.append(Outcome(example.text, example.topic, topic))
        except Exception as exc:  # noqa: BLE001 - a broken reply is a wrong answer, not a crash
            outcomes.append(Outcome(example.text, example.topic, "(no envelope)", error=str(exc)[:200]))
    return outcomes


def metrics(outcomes: Sequence[Outcome]) -> dict:
    """Accuracy, per-topic precision/recall/F1 and the confusions, from labelled outcomes."""
    support = Counter(o.expected for o in outcomes)
    predicted = Counter(o.got for o in outcomes)
    correct = Counter(o.expected for o in outcomes if o.got == o.expected)
    per_topic = {}
    for topic in sorted(set(support) | set(predicted)):
        precision = correct[topic] / predicted[topic] if predicted[topic] else 0.0
        recall = correct[topic] / support[topic] if support[topic] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_topic[topic] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support[topic],
            "predicted": predicted[topic],
        }
    confused: dict[tuple[str, str], list[str]] = defaultdict(list)
    for o in outcomes:
        if o.got != o.expected:
            confused[(o.expected, o.got)].append(o.text)
    confusions = [
        {"expected": e, "got": g, "count": len(texts), "messages": texts}
        for (e, g), texts in sorted(confused.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    total = len(outcomes)
    labelled = [t for t in per_topic if support[t]]
    return {
        "messages": total,
        "correct": sum(correct.values()),
        "accuracy": round(sum(correct.values()) / total, 4) if total else 0.0,
        "macro_recall": round(sum(per_topic[t]["recall"] for t in labelled) / len(labelled), 4) if labelled else 0.0,
        "lowest_recall": min(((per_topic[t]["recall"], t) for t in labelled), default=(0.0, None)),
        "per_topic": per_topic,
        "confusions": confusions,
    }


def meets_targets(result: dict) -> bool:
    return result["accuracy"] >= TARGET_ACCURACY and result["lowest_recall"][0] >= TARGET_RECALL


def _markdown(sets: dict[str, dict], crossval: Optional[dict], out: Path) -> str:
    lines = [
        "# NLU evaluation",
        "",
        "Every message is sent over REST (`POST /webhooks/rest/webhook`) to the running assistant, in its own "
        "conversation; the answer counts as right when the envelope's `topic` is the label. "
        f"Targets: accuracy at least {TARGET_ACCURACY:.0%}, no topic below {TARGET_RECALL:.0%} recall.",
        "",
    ]
    lines += ["| set | messages | accuracy | macro recall | lowest recall | targets met |", "|---|---|---|---|---|---|"]
    for name, r in sets.items():
        low, topic = r["lowest_recall"]
        lines.append(
            f"| {name} | {r['messages']} | {r['accuracy']:.1%} | {r['macro_recall']:.1%} | "
            f"{low:.0%} ({topic}) | {'yes' if meets_targets(r) else 'NO'} |"
        )
    for name, r in sets.items():
        lines += [
            "",
            f"## {name}: per topic",
            "",
            "| topic | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for topic, m in r["per_topic"].items():
            lines.append(f"| `{topic}` | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} | {m['support']} |")
        lines += ["", f"## {name}: confusions", ""]
        if not r["confusions"]:
            lines.append("None.")
        for c in r["confusions"]:
            quoted = "; ".join(f'"{t}"' for t in c["messages"])
            lines.append(f"- `{c['expected']}` answered as `{c['got']}` ({c['count']}): {quoted}")
    if crossval:
        lines += [
            "",
            "## Cross-validation of the training data (`rasa test nlu`)",
            "",
            f"{crossval['folds']} folds; intent accuracy {crossval.get('intent_accuracy', 'n/a')}, "
            f"weighted F1 {crossval.get('intent_f1', 'n/a')}. Images:",
            "",
        ]
        lines += [f"- [{Path(p).name}]({Path(p).relative_to(out)})" for p in crossval["images"]]
    return "\n".join(lines) + "\n"


def write_reports(sets: dict[str, dict], crossval: Optional[dict], out: Path = REPORTS_DIR) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / "nlu_eval.md", out / "nlu_eval.json"
    md.write_text(_markdown(sets, crossval, out), encoding="utf-8")
    js.write_text(
        json.dumps(
            {"sets": sets, "crossval": crossval, "targets": {"accuracy": TARGET_ACCURACY, "recall": TARGET_RECALL}},
            indent=2,
        ),
        encoding="utf-8",
    )
    return md, js


def cross_validate(out: Path = REPORTS_DIR, folds: int = 3) -> dict:
    """`rasa test nlu --cross-validation` on data/nlu with the project's pipeline."""
    target = out / "nlu_crossval"
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "test",
            "nlu",
            "--nlu",
            "data/nlu",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(target),
        ],
        cwd=settings.ROOT,
        check=True,
    )
    summary: dict = {
        "folds": folds,
        "directory": str(target),
        "images": [str(target / i) for i in CROSSVAL_IMAGES if (target / i).exists()],
    }
    report = target / "intent_report.json"
    if report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        summary["intent_accuracy"] = round(data.get("accuracy", 0.0), 4)
        summary["intent_f1"] = round((data.get("weighted avg") or {}).get("f1-score", 0.0), 4)
    missing = [i for i in CROSSVAL_IMAGES[:2] if not (target / i).exists()]
    if missing:
        raise RuntimeError(f"rasa test nlu did not write {missing} in {target}")
    return summary


def evaluate_over_rest(sets: dict[str, Path]) -> dict[str, dict]:
    """Start the assistant once and measure every labelled set against it."""
    from bot.run.harness import start_assistant

    with tempfile.TemporaryDirectory(prefix="nlu-eval-") as tmp:
        assistant = start_assistant(Path(tmp))
        try:
            return {name: metrics(ask_all(assistant.ask, labelled(path))) for name, path in sets.items()}
        finally:
            assistant.stack.stop()


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.tools.nlu_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3, help="cross-validation folds (default 3)")
    parser.add_argument("--no-crossval", action="store_true", help="skip `rasa test nlu` cross-validation")
    parser.add_argument("--out", type=Path, default=REPORTS_DIR)
    args = parser.parse_args(argv)

    started = time.monotonic()
    sets = evaluate_over_rest({"held-out": HELDOUT_FILE, "development": DEV_FILE})
    crossval = None if args.no_crossval else cross_validate(args.out, args.folds)
    md, js = write_reports(sets, crossval, args.out)
    for name, r in sets.items():
        low, topic = r["lowest_recall"]
        print(f"{name}: accuracy {r['accuracy']:.1%} over {r['messages']} messages, lowest recall {low:.0%} ({topic})")
    print(f"Reports: {md} and {js} ({time.monotonic() - started:.0f} s)")
    return 0 if meets_targets(sets["held-out"]) else 1


if __name__ == "__main__":
    sys.exit(main())
