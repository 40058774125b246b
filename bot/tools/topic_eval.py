"""`make eval-topics`: topic accuracy on batches of messages written blind, end to end over REST.

Every message of one or more batch files (JSON lines, bot/core/topic_corpus.py) goes
to a running assistant over REST (`POST /webhooks/rest/webhook`), each in a
fresh conversation, and the envelope's `topic` is compared with the label:

- accuracy: the topic is the label or one of the message's accepted `alt` topics;
- per-topic recall (the same rule), and the weakest topics;
- clarifications: the dialogue asked "which would you like to know about, A or
  B?" (bot/core/answers.clarify: envelope topic `chat.fallback` with one
  `/ask_topic` quick reply per option). A clarification is an honest answer to
  a close call but not an answer, so it counts as a miss unless the label
  itself is `chat.fallback`;
- give-ups: `chat.fallback` (no clarification) or `chat.out_of_scope` for a
  message labelled with another topic;
- every miss, with what the assistant answered.

Scoring ONE file is what a blind batch gets, once:

    .venv/bin/python -m bot.tools.topic_eval data/nlu_corpus/blind/2026-12-01-b01.jsonl

prints one line per file (accuracy, clarifications, give-ups, weakest topics,
the commit and the model) and writes reports/topic_eval.md and .json (or
`--out`). `--split dev` scores the dev split of data/nlu_corpus/splits.yml.
The assistant is started here (bot.run.harness) on the model for the current
training data unless `--url` points at one already running.
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from bot.core import settings
from bot.core.payload import PREFIX, loose_payload_topic
from bot.core.topic_corpus import Message, read_batch, split_messages

REPORTS_DIR = settings.ROOT / "reports"
CLARIFY = "(clarify)"
GIVE_UP_TOPICS = frozenset({"chat.fallback", "chat.out_of_scope"})
# What the lead's blind batch must reach (issue 16); dev aims higher.
TARGET_ACCURACY = 0.93
TARGET_RECALL = 0.80
TARGET_CLARIFY = 0.05
WEAKEST = 3


@dataclass(frozen=True)
class Scored:
    """One message and what the assistant made of it."""

    text: str
    topic: str
    alt: tuple[str, ...]
    persona: str
    batch: str
    got: str  # the envelope's topic, or "(no envelope)"
    clarify: tuple[str, ...] = ()  # the topics a clarifying question offered
    error: Optional[str] = None

    @property
    def correct(self) -> bool:
        return self.got == self.topic or self.got in self.alt  # a clarification's topic is chat.fallback

    @property
    def gave_up(self) -> bool:
        """Fallback or out-of-scope for a message that has a topic of its own."""
        return not self.clarify and self.got in GIVE_UP_TOPICS and not ({self.topic, *self.alt} & GIVE_UP_TOPICS)


def clarified_topics(messages: Sequence[dict]) -> tuple[str, ...]:
    """The topics a clarifying question offers, or () when the reply is not one."""
    offered = []
    for m in messages:
        for button in m.get("buttons", []) or []:
            payload = str(button.get("payload", ""))
            if payload.startswith(PREFIX):
                offered.append(loose_payload_topic(payload) or payload)
    envelopes = [m["custom"] for m in messages if "custom" in m]
    if len(envelopes) == 1 and envelopes[0].get("topic") == "chat.fallback" and offered:
        return tuple(offered)
    return ()


def score_reply(message: Message, reply: Sequence[dict]) -> Scored:
    envelopes = [m["custom"] for m in reply if "custom" in m]
    base = dict(text=message.text, topic=message.topic, alt=message.alt, persona=message.persona, batch=message.batch)
    if len(envelopes) != 1:
        return Scored(**base, got="(no envelope)", error=f"{len(envelopes)} envelopes")
    return Scored(**base, got=str(envelopes[0].get("topic")), clarify=clarified_topics(reply))


def ask_all(post: Callable[[str, str], list[dict]], messages: Sequence[Message], workers: int = 2) -> list[Scored]:
    """Each message in its own conversation (a new sender id), so no earlier turn gives it context."""

    def one(message: Message) -> Scored:
        try:
            return score_reply(message, post(message.text, f"topic-eval-{uuid.uuid4().hex}"))
        except Exception as exc:  # noqa: BLE001 - a broken reply is a wrong answer, not a crash
            return Scored(
                text=message.text,
                topic=message.topic,
                alt=message.alt,
                persona=message.persona,
                batch=message.batch,
                got="(no envelope)",
                error=str(exc)[:200],
            )

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(one, messages))


def metrics(scored: Sequence[Scored]) -> dict:
    """Accuracy, clarification and give-up shares, per-topic recall, weakest topics and misses."""
    total = len(scored)
    support = Counter(s.topic for s in scored)
    right = Counter(s.topic for s in scored if s.correct)
    per_topic = {
        t: {"support": support[t], "correct": right[t], "recall": round(right[t] / support[t], 4)}
        for t in sorted(support)
    }
    weakest = sorted(per_topic, key=lambda t: (per_topic[t]["recall"], t))[:WEAKEST]
    answered_as: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in scored:
        if not s.correct:
            got = f"{CLARIFY} {' / '.join(s.clarify)}" if s.clarify else s.got
            answered_as[(s.topic, got)].append(s.text)
    misses = [
        {"expected": e, "got": g, "count": len(texts), "messages": texts}
        for (e, g), texts in sorted(answered_as.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]

    def share(n: int) -> float:
        return round(n / total, 4) if total else 0.0

    return {
        "messages": total,
        "correct": sum(right.values()),
        "accuracy": share(sum(right.values())),
        "clarifications": share(sum(bool(s.clarify) for s in scored)),
        "gave_up": share(sum(s.gave_up for s in scored)),
        # the safety layer's emergency/urgent reply to a message labelled otherwise (safety wins; still a miss here)
        "red_flag": share(sum(s.got == "triage.alert" and s.topic != "triage.alert" for s in scored)),
        "no_envelope": sum(s.got == "(no envelope)" for s in scored),
        "lowest_recall": [per_topic[weakest[0]]["recall"], weakest[0]] if weakest else [0.0, None],
        "weakest": [[t, per_topic[t]["recall"]] for t in weakest],
        "personas": sorted({s.persona for s in scored if s.persona}),
        "per_topic": per_topic,
        "misses": misses,
    }


def meets_targets(result: dict) -> bool:
    return (
        result["accuracy"] >= TARGET_ACCURACY
        and result["lowest_recall"][0] >= TARGET_RECALL
        and result["clarifications"] <= TARGET_CLARIFY
    )


def provenance() -> dict:
    """The commit the code and data were read from, whether the work tree differed from it, and the model."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=settings.ROOT, capture_output=True, text=True, timeout=20
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    from bot.run.model import model_path

    changed = git("status", "--porcelain", "--", "config.yml", "domain.yml", "data", "content", "bot", "actions")
    return {
        "commit": git("rev-parse", "--short=12", "HEAD") or "unknown",
        "dirty": bool(changed),
        "model": model_path().name,
    }


def summary_line(name: str, r: dict, prov: dict) -> str:
    weakest = ", ".join(f"{t} {rec:.0%}" for t, rec in r["weakest"])
    verdict = "targets met" if meets_targets(r) else "targets NOT met"
    return (
        f"{name}: {r['messages']} messages, accuracy {r['accuracy']:.1%}, clarifications "
        f"{r['clarifications']:.1%}, fallback/out-of-scope {r['gave_up']:.1%}, red flag {r['red_flag']:.1%}, "
        f"weakest {weakest}; {verdict} "
        f"(>= {TARGET_ACCURACY:.0%}, no topic < {TARGET_RECALL:.0%}, clarifications <= {TARGET_CLARIFY:.0%}) | "
        f"commit {prov['commit']}{' + uncommitted changes' if prov['dirty'] else ''}, model {prov['model']}"
    )


def _markdown(results: dict[str, dict], prov: dict) -> str:
    lines = [
        "# Topic evaluation on blind-written batches",
        "",
        f"Commit `{prov['commit']}`{' with uncommitted changes' if prov['dirty'] else ''}, model "
        f"`{prov['model']}`. Each message sent over REST in its own conversation; right when the envelope's "
        "topic is the label or an accepted alternative. A clarifying question counts as a miss (unless the "
        "label is `chat.fallback`); fallback/out-of-scope is the share of messages with a real topic that got "
        "`chat.fallback` or `chat.out_of_scope`; red flag is the share the safety layer answered as an emergency or "
        "urgent case (`triage.alert`) although not labelled so.",
        "",
        "| batch | persona | messages | accuracy | clarifications | fallback/out-of-scope | red flag | weakest topics |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        weakest = ", ".join(f"`{t}` {rec:.0%}" for t, rec in r["weakest"])
        lines.append(
            f"| {name} | {', '.join(r['personas'])} | {r['messages']} | {r['accuracy']:.1%} | "
            f"{r['clarifications']:.1%} | {r['gave_up']:.1%} | {r['red_flag']:.1%} | {weakest} |"
        )
    for name, r in results.items():
        lines += ["", f"## {name}: recall per topic", "", "| topic | recall | support |", "|---|---|---|"]
        lines += [f"| `{t}` | {m['recall']:.0%} | {m['support']} |" for t, m in r["per_topic"].items()]
        lines += ["", f"## {name}: misses", ""]
        lines += [
            f"- `{m['expected']}` answered as `{m['got']}` ({m['count']}): "
            + "; ".join(f'"{t}"' for t in m["messages"])
            for m in r["misses"]
        ] or ["None."]
    return "\n".join(lines) + "\n"


def write_reports(results: dict[str, dict], prov: dict, out: Path, stem: str = "topic_eval") -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / f"{stem}.md", out / f"{stem}.json"
    md.write_text(_markdown(results, prov), encoding="utf-8")
    js.write_text(
        json.dumps(
            {
                "provenance": prov,
                "batches": results,
                "targets": {"accuracy": TARGET_ACCURACY, "recall": TARGET_RECALL, "clarifications": TARGET_CLARIFY},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return md, js


def _groups(files: Sequence[Path], split: Optional[str]) -> dict[str, list[Message]]:
    """Messages to score, one group per batch file (a split is scored batch by batch, and as a whole)."""
    groups: dict[str, list[Message]] = {}
    for path in files:
        groups[Path(path).stem] = read_batch(Path(path))
    if split:
        messages = split_messages(split, allow_blind=split == "blind")
        for m in messages:
            groups.setdefault(m.batch, []).append(m)
        if len({m.batch for m in messages}) > 1:
            groups[f"{split} (all)"] = messages
    return groups


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.tools.topic_eval", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="batch files (JSON lines) to score, each on its own")
    parser.add_argument("--split", choices=("train", "dev", "blind"), help="also score this split of data/nlu_corpus")
    parser.add_argument("--url", help="score a running assistant at this base URL instead of starting one")
    parser.add_argument("--model", type=Path, help="start the assistant on this model instead of the current one")
    parser.add_argument("--workers", type=int, default=2, help="messages in flight at once (default 2)")
    parser.add_argument("--out", type=Path, default=REPORTS_DIR)
    parser.add_argument("--name", default="topic_eval", help="report file stem (default topic_eval)")
    args = parser.parse_args(argv)
    if not args.files and not args.split:
        parser.error("give batch files to score, or --split")

    import requests

    groups = _groups(args.files, args.split)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="topic-eval-") as tmp:
        stack = None
        if args.url:
            url = args.url.rstrip("/")
        else:
            from bot.run.harness import start_assistant

            assistant = start_assistant(Path(tmp), **({"model": args.model} if args.model else {}))
            url, stack = assistant.url, assistant.stack
        try:

            def post(text: str, sender: str) -> list[dict]:
                reply = requests.post(
                    f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
                )
                reply.raise_for_status()
                return reply.json()

            results = {}
            for name, messages in groups.items():
                if name.endswith("(all)"):  # the whole split, from the batches already scored
                    scored = [s for b in {m.batch for m in messages} for s in results[b]["_scored"]]
                else:
                    scored = ask_all(post, messages, args.workers)
                results[name] = {**metrics(scored), "_scored": scored}
        finally:
            if stack is not None:
                stack.stop()
    prov = provenance()
    if args.model:
        prov["model"] = args.model.name
    for r in results.values():
        r.pop("_scored")
    md, js = write_reports(results, prov, args.out, args.name)
    for name, r in results.items():
        print(summary_line(name, r, prov))
    print(f"Reports: {md} and {js} ({time.monotonic() - started:.0f} s)")
    return 0 if all(meets_targets(r) for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
