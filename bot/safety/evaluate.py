"""Evaluate the red-flag layer on the labelled set.

    python -m bot.safety.evaluate [--url http://localhost:5005] [--out reports/] [--data PATH]

Without ``--url`` the detector runs in-process. With ``--url`` every message is
sent end to end over the REST channel (``POST {url}/webhooks/rest/webhook`` with
a unique sender per message) and the level is read from the reply's envelope
(the one element with a ``custom`` object, its ``triage``).

Metrics
  recall[level]   share of the messages labelled ``level`` that were triaged at
                  that level *or higher* (raising a level is safe; lowering it is a miss)
  exact[level]    share triaged at exactly that level
  false alarms    messages labelled none or professional that were raised to
                  urgent or emergency, over all messages labelled none or professional

Writes ``safety_eval.md`` and ``safety_eval.json`` into ``--out`` and exits 1 if
emergency or urgent recall is below 100% or false alarms are above 5% (2 on an
unusable labelled set or an unreachable server).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import yaml

from bot.core.levels import ALERT_LEVELS, EMERGENCY, LEVELS, PROFESSIONAL, URGENT, rank

from .lexicon import REPO_ROOT

DEFAULT_DATA = REPO_ROOT / "data" / "safety" / "labelled_set.yml"
NOTES = (
    "negation",
    "history",
    "hypothetical",
    "info_question",
    "third_person",
    "typo",
    "idiom",
    "plain",
    "family_history",
)
MAX_FALSE_ALARM_RATE = 0.05


@dataclass(frozen=True)
class Example:
    text: str
    level: str
    note: str


@dataclass(frozen=True)
class Outcome:
    example: Example
    predicted: str
    detail: str = ""

    @property
    def missed(self) -> bool:
        return self.predicted not in LEVELS or rank(self.predicted) < rank(self.example.level)

    @property
    def false_alarm(self) -> bool:
        return self.example.level not in ALERT_LEVELS and self.predicted in ALERT_LEVELS


class LabelledSetError(ValueError):
    pass


def load_labelled(path: str | Path = DEFAULT_DATA) -> List[Example]:
    """Read and validate the labelled set (a YAML list of {text, level, note})."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LabelledSetError(f"{path}: cannot read labelled set: {exc}") from None
    if not isinstance(data, list) or not data:
        raise LabelledSetError(f"{path}: expected a non-empty list of messages")
    examples = []
    seen = set()
    for i, row in enumerate(data):
        if not isinstance(row, dict) or set(row) - {"text", "level", "note"}:
            raise LabelledSetError(f"{path}: item {i}: expected keys text, level, note")
        text, level, note = row.get("text"), row.get("level"), row.get("note")
        if not isinstance(text, str) or not text.strip():
            raise LabelledSetError(f"{path}: item {i}: empty text")
        if level not in LEVELS:
            raise LabelledSetError(f"{path}: item {i}: level {level!r} is not one of {LEVELS}")
        if note not in NOTES:
            raise LabelledSetError(f"{path}: item {i}: note {note!r} is not one of {NOTES}")
        if text in seen:
            raise LabelledSetError(f"{path}: item {i}: duplicate text {text!r}")
        seen.add(text)
        examples.append(Example(text=text, level=level, note=note))
    return examples


# ---------------------------------------------------------------------- predictors


def in_process_predictor(lexicon: Optional[str] = None) -> Callable[[str], tuple]:
    from .detector import RedFlagDetector

    detector = RedFlagDetector.from_yaml(lexicon)

    def predict(text: str) -> tuple:
        assessment = detector.assess(text)
        detail = ", ".join(f"{f.id}:{f.level} '{f.text}'" for f in assessment.flags)
        if assessment.dropped:
            detail += " | dropped: " + ", ".join(f"{d.id} ({d.reason})" for d in assessment.dropped)
        return assessment.level, detail

    return predict


def rest_predictor(url: str, timeout: float = 30.0) -> Callable[[str], tuple]:
    endpoint = url.rstrip("/") + "/webhooks/rest/webhook"
    run_id = uuid.uuid4().hex[:8]
    counter = iter(range(10**9))

    def predict(text: str) -> tuple:
        body = json.dumps({"sender": f"safety-eval-{run_id}-{next(counter)}", "message": text}).encode()
        request = urllib.request.Request(endpoint, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            replies = json.loads(response.read().decode("utf-8"))
        customs = [r["custom"] for r in replies if isinstance(r, dict) and isinstance(r.get("custom"), dict)]
        if len(customs) != 1:
            return "no-envelope", f"{len(customs)} envelopes in {replies!r}"[:300]
        triage = customs[0].get("triage")
        return (triage if triage in LEVELS else f"bad-triage:{triage}"), f"topic={customs[0].get('topic')}"

    return predict


# ---------------------------------------------------------------------- metrics


def benign_count(result: Dict) -> int:
    """Messages labelled below the alert levels: the denominator of the false-alarm rate."""
    return sum(n for level, n in result["counts"].items() if level not in ALERT_LEVELS)


def evaluate(examples: Sequence[Example], predict: Callable[[str], tuple]) -> Dict:
    outcomes: List[Outcome] = []
    times = []
    for example in examples:
        started = time.perf_counter()
        predicted, detail = predict(example.text)
        times.append((time.perf_counter() - started) * 1000.0)
        outcomes.append(Outcome(example, predicted, detail))
    return summarise(outcomes, times)


def summarise(outcomes: Sequence[Outcome], times_ms: Sequence[float] = ()) -> Dict:
    by_level: Dict[str, List[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_level[outcome.example.level].append(outcome)
    recall, exact, counts = {}, {}, {}
    for level in reversed(LEVELS):
        group = by_level.get(level, [])
        counts[level] = len(group)
        if group:
            recall[level] = sum(not o.missed for o in group) / len(group)
            exact[level] = sum(o.predicted == o.example.level for o in group) / len(group)
    benign = [o for o in outcomes if o.example.level not in ALERT_LEVELS]
    false_alarms = [o for o in benign if o.false_alarm]
    misses = [o for o in outcomes if o.missed]
    confusion = Counter((o.example.level, o.predicted) for o in outcomes)
    notes = defaultdict(lambda: {"n": 0, "missed": 0, "false_alarms": 0})
    for o in outcomes:
        notes[o.example.note]["n"] += 1
        notes[o.example.note]["missed"] += int(o.missed)
        notes[o.example.note]["false_alarms"] += int(o.false_alarm)
    alert_recall_ok = all(recall.get(level, 1.0) == 1.0 for level in ALERT_LEVELS)
    fa_rate = len(false_alarms) / len(benign) if benign else 0.0
    return {
        "n": len(outcomes),
        "counts": counts,
        "recall": recall,
        "exact": exact,
        "false_alarm_rate": fa_rate,
        "false_alarms": [_row(o) for o in false_alarms],
        "misses": [_row(o) for o in misses],
        "confusion": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items())},
        "notes": dict(notes),
        "time_ms": {
            "median": statistics.median(times_ms) if times_ms else None,
            "mean": statistics.mean(times_ms) if times_ms else None,
        },
        "passed": alert_recall_ok and fa_rate <= MAX_FALSE_ALARM_RATE,
        "targets": {"emergency_recall": 1.0, "urgent_recall": 1.0, "max_false_alarm_rate": MAX_FALSE_ALARM_RATE},
    }


def _row(outcome: Outcome) -> Dict:
    return {
        "text": outcome.example.text,
        "expected": outcome.example.level,
        "predicted": outcome.predicted,
        "note": outcome.example.note,
        "detail": outcome.detail,
    }


def recall_table(result: Dict, exact: bool = True) -> List[str]:
    """The per-level recall table of an `evaluate` result as Markdown lines, most severe level first."""
    lines = [
        "| level | messages | recall (at this level or higher) |" + (" exact level |" if exact else ""),
        "|---|---:|---:|" + ("---:|" if exact else ""),
    ]
    for level in reversed(LEVELS):
        if result["counts"].get(level):
            row = f"| {level} | {result['counts'][level]} | {result['recall'][level]:.1%} |"
            lines.append(row + (f" {result['exact'][level]:.1%} |" if exact else ""))
    return lines


def render_markdown(result: Dict, mode: str, data_path: Path) -> str:
    lines = [
        "# Red-flag safety evaluation",
        "",
        f"- mode: {mode}",
        f"- labelled set: `{data_path}` ({result['n']} messages)",
        f"- result: **{'PASS' if result['passed'] else 'FAIL'}** "
        f"(targets: emergency and urgent recall 100%, false alarms <= {MAX_FALSE_ALARM_RATE:.0%})",
        "",
        *recall_table(result),
    ]
    benign = benign_count(result)
    lines += [
        "",
        f"False alarms (none/professional raised to urgent or emergency): "
        f"{len(result['false_alarms'])} of {benign} = {result['false_alarm_rate']:.1%}",
    ]
    if result["time_ms"]["median"] is not None:
        lines.append(
            f"\nTime per message: median {result['time_ms']['median']:.2f} ms, mean {result['time_ms']['mean']:.2f} ms"
            " (one cold pass; see bench/bench_safety.py for the warm benchmark)"
        )
    lines += ["", "## By note", "", "| note | messages | missed | false alarms |", "|---|---:|---:|---:|"]
    for note, row in sorted(result["notes"].items()):
        lines.append(f"| {note} | {row['n']} | {row['missed']} | {row['false_alarms']} |")
    for title, rows in (
        ("Misses (triaged lower than labelled)", result["misses"]),
        ("False alarms", result["false_alarms"]),
    ):
        lines += ["", f"## {title}", ""]
        if not rows:
            lines.append("None.")
        for row in rows:
            lines.append(f"- `{row['expected']}` -> `{row['predicted']}` ({row['note']}): {row['text']}")
            if row["detail"]:
                lines.append(f"  - {row['detail']}")
    lines += ["", "## Confusion (labelled -> predicted)", ""]
    lines += [f"- {pair}: {n}" for pair, n in result["confusion"].items()]
    return "\n".join(lines) + "\n"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.safety.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", help="evaluate end to end over REST against this Rasa server (e.g. http://localhost:5005)"
    )
    parser.add_argument(
        "--out", default="reports", help="directory for safety_eval.md and safety_eval.json (default: reports/)"
    )
    parser.add_argument(
        "--data", default=str(DEFAULT_DATA), help="labelled set (default: data/safety/labelled_set.yml)"
    )
    parser.add_argument("--lexicon", default=None, help="lexicon for in-process mode (default: content/red_flags.yml)")
    args = parser.parse_args(argv)

    try:
        examples = load_labelled(args.data)
    except LabelledSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.url:
        predict, mode = rest_predictor(args.url), f"end to end over REST ({args.url})"
    else:
        predict, mode = in_process_predictor(args.lexicon), "in-process detector"
    try:
        result = evaluate(examples, predict)
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        print(f"error: cannot reach {args.url}: {exc}", file=sys.stderr)
        return 2

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    result["mode"] = mode
    (out / "safety_eval.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (out / "safety_eval.md").write_text(render_markdown(result, mode, Path(args.data)), encoding="utf-8")

    recall = result["recall"]
    print(
        f"{mode}: {result['n']} messages; recall emergency {recall.get(EMERGENCY, float('nan')):.1%}, "
        f"urgent {recall.get(URGENT, float('nan')):.1%}, professional {recall.get(PROFESSIONAL, float('nan')):.1%}; "
        f"false alarms {result['false_alarm_rate']:.1%}; misses {len(result['misses'])}"
    )
    for row in result["misses"]:
        print(f"  MISS {row['expected']} -> {row['predicted']}: {row['text']}")
    for row in result["false_alarms"]:
        print(f"  FALSE ALARM {row['expected']} -> {row['predicted']}: {row['text']}")
    print(f"report: {out / 'safety_eval.md'}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
