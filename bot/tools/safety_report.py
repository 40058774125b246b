"""`make eval-safety`: the rules alone, the learned model alone and both, on every labelled set.

    python -m bot.tools.safety_report [--out reports] [--batches DIR ...]
        in-process: trains the learned model exactly as `make train` does (train
        split, thresholds on the dev split), then scores rules / model / both on
        the dev split, the project's labelled set, and every batch file
        (*.jsonl) in data/safety/batches/ and in each --batches DIR;
        writes reports/safety_report.md and reports/safety_report.json.

    python -m bot.tools.safety_report --url http://127.0.0.1:5005 --batch FILE.jsonl [--out reports]
        scores ONE batch end to end over REST against a running server (the
        rules and the model as deployed, the level read from the reply's
        envelope); prints recall per level, false alarms and every miss, and
        writes reports/safety_batch_<name>.md/.json. This is how a blind batch
        is scored, once, before anything is tuned on it.

Metrics are those of bot.safety.evaluate: recall of a level counts a message
triaged at that level or higher; a false alarm is a message labelled none or
professional raised to urgent or emergency.

Exit status (in-process): 1 when rules + model miss an emergency or urgent
message of the labelled corpus (the labelled set and every train/dev batch) or
raise more than 5% false alarms there; (REST): 0 after scoring, 2 on an
unreadable batch or an unreachable server.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import subprocess
import sys
import urllib.error
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from bot.core.levels import EMERGENCY, LEVELS, PROFESSIONAL, URGENT
from bot.safety.corpus import (
    BATCHES_DIR,
    LABELLED_SET,
    CorpusError,
    SafetyMessage,
    batch_files,
    load_corpus,
    load_splits,
    read_batch,
)
from bot.safety.evaluate import Example, benign_count, evaluate, recall_table, rest_predictor

SYSTEMS = ("rules", "model", "both")


def examples_of(messages: Sequence[SafetyMessage]) -> List[Example]:
    return [Example(text=m.text, level=m.level, note=m.flag or m.persona or "-") for m in messages]


def in_process_predictors(triage) -> Dict[str, Callable[[str], tuple]]:
    """Three predictors over one Triage object: the rules alone, the model alone, both."""

    def rules(text: str) -> tuple:
        a = triage.detector.assess(text)
        return a.level, ", ".join(f"{f.id}:{f.level}" for f in a.flags)

    def model(text: str) -> tuple:
        if triage.model is None:
            return "none", "no model"
        level, score = triage.model.assess(text)
        return level, f"score {score:.2f}"

    def both(text: str) -> tuple:
        r = triage.assess(text)
        return r.level, r.explain()

    return {"rules": rules, "model": model, "both": both}


def score_all(named_sets: Dict[str, List[Example]], predictors: Dict[str, Callable]) -> Dict[str, Dict[str, Dict]]:
    return {
        name: {system: evaluate(examples, predictors[system]) for system in SYSTEMS}
        for name, examples in named_sets.items()
    }


def _pct(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:.1%}"


def _row(name: str, system: str, r: Dict) -> str:
    rec = r["recall"]
    benign = benign_count(r)
    return (
        f"| {name} | {system} | {r['n']} | {_pct(rec.get(EMERGENCY))} | {_pct(rec.get(URGENT))} | "
        f"{_pct(rec.get(PROFESSIONAL))} | {_pct(r['false_alarm_rate'])} ({len(r['false_alarms'])}/{benign}) |"
    )


def render(results: Dict[str, Dict[str, Dict]], model_info: Dict, notes: List[str]) -> str:
    lines = [
        "# Red-flag safety report: rules, learned model, both",
        "",
        f"- generated: {_dt.datetime.now().isoformat(timespec='seconds')}",
        f"- learned model: {model_info.get('description', 'none')}; thresholds {model_info.get('thresholds')}",
        f"- trained on: {model_info.get('trained_on')}; train batches {model_info.get('train_batches')}; "
        f"dev batches {model_info.get('dev_batches')}",
        "- recall: triaged at the labelled level or higher; false alarms: none/professional raised to urgent or higher",
        "- the model is fitted on the train split (and the labelled set when splits.yml says so): numbers on those"
        " sets are IN-SAMPLE for the model; the dev split is out-of-sample for the model's weights (its thresholds"
        " were chosen on it); batches in other directories are out-of-sample",
        *[f"- {n}" for n in notes],
        "",
        "| set | system | messages | emergency recall | urgent recall | professional recall | false alarms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, by_system in results.items():
        for system in SYSTEMS:
            lines.append(_row(name, system, by_system[system]))
    for name, by_system in results.items():
        both = by_system["both"]
        lines += ["", f"## {name}: misses and false alarms of rules + model", ""]
        if not both["misses"] and not both["false_alarms"]:
            lines.append("None.")
        for row in both["misses"]:
            lines.append(f"- MISS `{row['expected']}` -> `{row['predicted']}` ({row['note']}): {row['text']}")
        for row in both["false_alarms"]:
            lines.append(f"- FALSE ALARM `{row['expected']}` -> `{row['predicted']}` ({row['note']}): {row['text']}")
    return "\n".join(lines) + "\n"


HELDOUT = LABELLED_SET.parents[1] / "nlu" / "heldout.yml"


def ordinary_question_sets() -> Dict[str, List[SafetyMessage]]:
    """The topic corpus's dev split and tests/nlu/heldout.yml, labelled none/professional by topic.

    Neither is trained on by the triage model (it uses the topic train split
    only); the false-alarm column of these rows is the share of ordinary
    questions answered as an alert.
    """
    import yaml

    from bot.safety.corpus import load_topic_benign, load_topic_benign_config

    config = load_topic_benign_config()
    if config is None:
        return {}
    out = {"topic corpus dev split (ordinary questions)": load_topic_benign(split="dev")}
    if HELDOUT.exists():
        data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8")) or {}
        out["tests/nlu/heldout.yml (ordinary questions)"] = [
            SafetyMessage(text=str(t), level=config.level_of(topic), flag=f"topic:{topic}", batch="heldout")
            for topic, texts in (data.get("topics") or {}).items()
            for t in (texts or [])
        ]
    return out


def run_in_process(out: Path, extra_dirs: Sequence[Path]) -> int:
    from bot.safety.detector import RedFlagDetector
    from bot.safety.triage import Triage, train_from_corpus

    detector = RedFlagDetector.from_yaml()
    corpus = load_corpus()
    model = train_from_corpus(detector, corpus=corpus)
    triage = Triage(detector, model)
    predictors = in_process_predictors(triage)

    sets: Dict[str, List[Example]] = {}
    if corpus.dev:
        sets["dev split (out-of-sample for the model)"] = examples_of(corpus.dev)
    sets["labelled set (project)"] = examples_of(corpus.labelled)
    for batch, messages in sorted(corpus.by_batch().items()):
        sets[f"{batch} ({corpus.batches[batch]})"] = examples_of(messages)
    splits = load_splits()
    for directory in extra_dirs:
        for path in batch_files(directory):
            if path.parent.resolve() == BATCHES_DIR.resolve():
                continue
            sets[f"{path.stem} ({directory})"] = examples_of(read_batch(path, splits, allow_blind=True))
    # ordinary questions (none of them red flags): every alert raised on them is a false alarm
    for name, messages in ordinary_question_sets().items():
        sets[name] = examples_of(messages)
    whole = examples_of(corpus.labelled + [m for m in corpus.train + corpus.dev if m.batch != "labelled-set"])
    sets["whole labelled corpus (labelled set + train + dev)"] = whole

    results = score_all(sets, predictors)
    info = {
        "description": model.description if model else "none (rules only)",
        "thresholds": model.thresholds if model else None,
        "trained_on": model.trained_on if model else None,
        "train_batches": model.dev_report.get("train_batches") if model else None,
        "dev_batches": model.dev_report.get("dev_batches") if model else None,
        "dev_report": model.dev_report if model else None,
    }
    notes = [f"unlisted batches used for training: {corpus.unlisted}"] if corpus.unlisted else []
    out.mkdir(parents=True, exist_ok=True)
    (out / "safety_report.json").write_text(
        json.dumps({"model": info, "results": results}, indent=2, default=str), encoding="utf-8"
    )
    (out / "safety_report.md").write_text(render(results, info, notes), encoding="utf-8")
    for name, by_system in results.items():
        for system in SYSTEMS:
            r = by_system[system]
            print(
                f"{name:60s} {system:5s} n={r['n']:4d} em {_pct(r['recall'].get(EMERGENCY)):>6s} "
                f"ur {_pct(r['recall'].get(URGENT)):>6s} FA {_pct(r['false_alarm_rate']):>6s}"
            )
    print(f"report: {out / 'safety_report.md'}")
    final = results["whole labelled corpus (labelled set + train + dev)"]["both"]
    return 0 if final["passed"] else 1


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=LABELLED_SET.parents[2],
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_one_batch_over_rest(url: str, batch: Path, out: Path) -> int:
    """Score one batch end to end: what a person would have been told, message by message."""
    try:
        messages = read_batch(batch, allow_blind=True)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        result = evaluate(examples_of(messages), rest_predictor(url))
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        print(f"error: cannot reach {url}: {exc}", file=sys.stderr)
        return 2
    summary = {
        "date": _dt.date.today().isoformat(),
        "batch": batch.stem,
        "size": len(messages),
        "personas": sorted({m.persona for m in messages}),
        "commit": _commit(),
        "url": url,
    }
    out.mkdir(parents=True, exist_ok=True)
    report = out / f"safety_batch_{batch.stem}.md"
    (out / f"safety_batch_{batch.stem}.json").write_text(json.dumps({**summary, **result}, indent=2), encoding="utf-8")
    report.write_text("\n".join(_batch_markdown(summary, result)) + "\n", encoding="utf-8")
    _print_batch(summary, result)
    print(f"report: {report}")
    return 0


def _listed(rows: Sequence[Dict]) -> List[str]:
    return [f"- `{r['expected']}` -> `{r['predicted']}` ({r['note']}): {r['text']}" for r in rows] or ["None."]


def _batch_markdown(summary: Dict, result: Dict) -> List[str]:
    """The batch's report, with the row the history table of docs/safety.md takes."""
    rec, personas = result["recall"], ", ".join(summary["personas"])
    return [
        f"# Batch {summary['batch']} end to end over REST ({summary['url']})",
        "",
        f"- {summary['date']}, commit {summary['commit']}, {summary['size']} messages, personas: {personas}",
        "",
        *recall_table(result, exact=False),
        "",
        f"False alarms: {len(result['false_alarms'])} of {benign_count(result)} = {result['false_alarm_rate']:.1%}",
        "",
        "History-table row for docs/safety.md:",
        "",
        f"| {summary['date']} | {summary['batch']} | {summary['size']} | {personas} | "
        f"{_pct(rec.get(EMERGENCY))} | {_pct(rec.get(URGENT))} | {_pct(result['false_alarm_rate'])} | {summary['commit']} |",
        "",
        "## Misses",
        "",
        *_listed(result["misses"]),
        "",
        "## False alarms",
        "",
        *_listed(result["false_alarms"]),
    ]


def _print_batch(summary: Dict, result: Dict) -> None:
    rec = result["recall"]
    print(
        f"batch {summary['batch']}: {summary['size']} messages ({', '.join(summary['personas'])}) over REST at {summary['url']}"
    )
    for level in reversed(LEVELS):
        if result["counts"].get(level):
            print(f"  recall {level:12s} {rec[level]:6.1%}  ({result['counts'][level]} messages)")
    print(
        f"  false alarms      {result['false_alarm_rate']:6.1%}  ({len(result['false_alarms'])} of {benign_count(result)})"
    )
    for r in result["misses"]:
        print(f"  MISS {r['expected']} -> {r['predicted']} ({r['note']}): {r['text']}")
    for r in result["false_alarms"]:
        print(f"  FALSE ALARM {r['expected']} -> {r['predicted']} ({r['note']}): {r['text']}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.tools.safety_report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="reports", help="report directory (default reports/)")
    parser.add_argument(
        "--batches",
        action="append",
        default=[],
        help="a directory of more batch files (*.jsonl) to report on; repeatable",
    )
    parser.add_argument("--url", help="a running server: with --batch, score that batch end to end over REST")
    parser.add_argument("--batch", help="one batch file (JSON lines) to score over REST (needs --url)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if args.batch or args.url:
        if not (args.batch and args.url):
            parser.error("--batch and --url go together")
        return run_one_batch_over_rest(args.url, Path(args.batch), out)
    try:
        return run_in_process(out, [Path(d) for d in args.batches])
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
