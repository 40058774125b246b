"""Benchmark the red-flag detector and the learned triage model: cost per message, warm, over the labelled set.

    .venv/bin/python bench/bench_safety.py [--repeat 5] [--builds 3] [--target-ms 2.0] [--strict]

The learned model (bot/safety/learned.py) is trained here from the safety
corpus exactly as `make train` does, then loaded from its pickle the way the
Rasa server loads it (that load, with its fast-path set-up, is the start-up
cost it adds; the target: no more than 1 s on top of the detector). The timed
call is what the Rasa component runs per message: the rules and the model
(bot.safety.triage.Triage.assess); the rules alone are timed too.

Imports spaCy and medspaCy first and reports that time apart (a Rasa server has
paid it already: spaCy's import pulls in TensorFlow), then builds the detector
`--builds` times and reports the first and the fastest build (loading the
lexicon, compiling the patterns, the matchers and the ConText rules). Then it
warms the detector up with one pass over the labelled set, times
`RedFlagDetector.assess` on every message of the set, `--repeat` times, and
prints p50 / p95 / mean in milliseconds next to the target (rules + model:
median under 2 ms per message). Exits 0 (with --strict: 1 when the median or
the model's load time misses its target).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.safety.detector import RedFlagDetector  # noqa: E402
from bot.safety.evaluate import DEFAULT_DATA, load_labelled  # noqa: E402
from bot.safety.pipeline import build_nlp, import_medspacy  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over the labelled set (default 5)")
    parser.add_argument("--builds", type=int, default=3, help="detector builds to time (default 3)")
    parser.add_argument(
        "--target-ms", type=float, default=2.0, help="median target in ms for rules + model (default 2.0)"
    )
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--strict", action="store_true", help="exit 1 when the median misses the target")
    args = parser.parse_args(argv)

    texts = [example.text for example in load_labelled(args.data)]
    started = time.perf_counter()
    import_medspacy()
    build_nlp()  # spaCy's language data and lemma tables, loaded once per process
    import_s = time.perf_counter() - started
    builds = []
    detector = None
    for _ in range(max(1, args.builds)):
        detector = None  # the previous build is garbage before the next one starts, not during the timing
        started = time.perf_counter()
        detector = RedFlagDetector.from_yaml()
        builds.append(time.perf_counter() - started)

    for text in texts:  # warm-up
        detector.assess(text)
    timings = []
    clock = time.perf_counter
    for _ in range(args.repeat):
        for text in texts:
            t0 = clock()
            detector.assess(text)
            timings.append((clock() - t0) * 1000.0)

    import pickle

    from bot.safety.triage import Triage, train_from_corpus

    started = time.perf_counter()
    model = train_from_corpus(detector)
    train_s = time.perf_counter() - started
    blob = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    started = time.perf_counter()
    loaded = pickle.loads(blob)
    loaded._fast_path()
    load_s = time.perf_counter() - started
    triage = Triage(detector, loaded)
    for text in texts:  # warm-up
        triage.assess(text)
    both = []
    for _ in range(args.repeat):
        for text in texts:
            t0 = clock()
            triage.assess(text)
            both.append((clock() - t0) * 1000.0)

    r50 = statistics.median(timings)
    p50, p95, mean = statistics.median(both), percentile(both, 95), statistics.mean(both)
    verdict = "MEETS" if p50 < args.target_ms else "MISSES"
    print(f"red-flag detector: {len(texts)} labelled messages x {args.repeat} = {len(timings)} timed calls")
    print(
        f"rules alone per message (warm): p50 {r50:.3f} ms | p95 {percentile(timings, 95):.3f} ms | mean {statistics.mean(timings):.3f} ms"
    )
    print(
        f"learned model: trained in {train_s:.1f} s (make train); loaded in {load_s:.3f} s "
        f"(pickle {len(blob) / 1e6:.1f} MB; added to start-up, target < 1 s)"
    )
    print(f"imports (spaCy, medspaCy, lemma tables; shared with the Rasa server): {import_s:.2f} s")
    print(
        f"build (lexicon, patterns, matchers, ConText rules): first {builds[0]:.2f} s, "
        f"fastest of {len(builds)} {min(builds):.2f} s"
    )
    print(
        f"rules + model per message (warm): p50 {p50:.3f} ms | p95 {p95:.3f} ms | mean {mean:.3f} ms | max {max(both):.3f} ms"
    )
    print(f"target: median < {args.target_ms:.1f} ms -> {verdict} the target ({p50 / args.target_ms:.0%} of it)")
    return 1 if (args.strict and (p50 >= args.target_ms or load_s >= 1.0)) else 0


if __name__ == "__main__":
    sys.exit(main())
