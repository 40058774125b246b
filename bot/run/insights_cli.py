"""`bot insights`: the clinic report as reports/insights.html (+ the unanswered list as CSV).

Reads the active profile's conversation store (as `bot privacy` does) or
`--db-url`. Every failure is one line on stderr and exit status 1 (2 for a
bad option), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.core import settings
from bot.insights.export import unanswered_csv
from bot.insights.render import render_html
from bot.insights.report import InsightsError, Settings, build_report, describe, open_store, period_from

DEFAULT_OUT = settings.ROOT / "reports" / "insights.html"


def run(args: argparse.Namespace) -> int:
    from bot.run.privacy_cli import tracker_db_url

    try:
        config = Settings.from_environment()
        period = period_from(args.since, args.until, args.channel, config)
    except InsightsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    csv_path = out.with_name(out.stem + "-unanswered.csv")
    try:
        engine = open_store(tracker_db_url(args.db_url))
        report = build_report(engine, period, config)
    except InsightsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_html(report, csv_href=csv_path.name), encoding="utf-8")
        csv_path.write_text(unanswered_csv(report.unanswered), encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write the report to {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    totals = report.totals()
    if report.store_empty:
        summary = f"no conversations are stored yet in {describe(engine)}"
    elif not report.has_data:
        summary = "no conversations in this period"
    else:
        summary = (
            f"{totals['conversations']} conversations, {totals['turns']} turns, "
            f"{len(report.unanswered)} groups of unanswered messages, {totals['alert_turns']} alerts"
        )
    if report.skipped_rows:
        summary += f"; {report.skipped_rows} unreadable event rows left out"
    print(f"Wrote {out} and {csv_path.name}: {summary}.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("insights", help="the clinic report: topics, unanswered messages, alerts (HTML)")
    parser.add_argument("--since", default=None, help="first day YYYY-MM-DD, or a span such as 7d or 2w (default 30d)")
    parser.add_argument("--until", default=None, help="last day included, YYYY-MM-DD (default: now)")
    parser.add_argument("--channel", default=None, help="only this channel: rest, socketio, telegram or cmdline")
    parser.add_argument(
        "--out",
        default=str(DEFAULT_OUT),
        help=f"the HTML file (default {DEFAULT_OUT}); the CSV goes beside it as <name>-unanswered.csv",
    )
    parser.add_argument("--db-url", default=None, help="the tracker store's database (default: the active profile's)")
    parser.set_defaults(func=run)
