"""`bot facts check` and `bot facts load`."""

from __future__ import annotations

import argparse
import sys

from bot.core import settings
from bot.core.facts.checker import check
from bot.core.facts.content import ContentError, read_content
from bot.core.facts.review import due_for_review
from bot.core.facts.store import engine_for, load


def _read_and_check():
    """The content and the checker's report, problems printed; None when the YAML cannot be read."""
    try:
        content = read_content()
    except ContentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    report = check(content)
    for problem in report.problems:
        print(f"error: {problem}", file=sys.stderr)
    return content, report


def check_facts(verbose: bool = True) -> int:
    checked = _read_and_check()
    if checked is None:
        return 1
    content, report = checked
    if verbose:
        covered = sum(1 for n in report.coverage.values() if n)
        print(
            f"{len(content.facts)} facts, {len(content.sources)} sources; "
            f"{covered} of {len(report.coverage)} topics covered."
        )
    return 0 if report.ok else 1


def load_facts(db_url: str | None = None) -> int:
    """Check, then load into the database; nothing is written unless the check passes."""
    checked = _read_and_check()
    if checked is None or not checked[1].ok:
        print("Nothing was loaded.", file=sys.stderr)
        return 1
    content = checked[0]
    result = load(content, engine_for(db_url or settings.db_url()))
    print(f"Fact base: {result.summary()}" + (f" (content version {result.version})" if result.version else ""))
    return 0


def review_facts(db_url: str | None = None) -> int:
    """List facts due for review; exit status 1 when there are any, so a scheduled job can alert."""
    try:
        content = read_content()
    except ContentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    due = due_for_review(content, engine_for(db_url or settings.db_url()))
    for item in due:
        print(item)
    print(f"{len({d.fact_id for d in due})} of {len(content.facts)} facts due for review.")
    return 1 if due else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    facts = subparsers.add_parser("facts", help="check and load the fact base")
    sub = facts.add_subparsers(dest="facts_command", required=True)
    sub.add_parser("check", help="lint content/facts and content/sources.yml").set_defaults(
        func=lambda args: check_facts()
    )
    loader = sub.add_parser("load", help="load the checked content into the database (idempotent)")
    loader.add_argument("--db-url", default=None, help="database URL (default: BACKCARE_DB_URL or the SQLite file)")
    loader.set_defaults(func=lambda args: load_facts(args.db_url))
    review = sub.add_parser("review", help="list facts reviewed over 12 months ago or whose sources changed since")
    review.add_argument("--db-url", default=None, help="database URL (default: BACKCARE_DB_URL or the SQLite file)")
    review.set_defaults(func=lambda args: review_facts(args.db_url))
