"""`bot privacy purge|delete|export`: retention and data-subject requests on the tracker store.

The database is the one the active profile stores conversations in (the
production profile's PostgreSQL, or the embedded SQLite file); `--db-url`
points elsewhere. In the production profile each conversation is changed
under its Redis lock, the one the Rasa servers take for every turn, so a turn
in progress cannot write a deleted conversation back.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Callable, Optional

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.core import settings
from bot.core.config import current
from bot.core.errors import reason
from bot.privacy.events import (
    PurgeResult,
    delete_sender,
    export_sender,
    has_events_table,
    purge_sender,
    senders_with_events_before,
    transcript,
)
from bot.privacy.retention import parse_period


def tracker_db_url(explicit: Optional[str] = None) -> str:
    """Where the active profile keeps conversations."""
    if explicit:
        return explicit
    config = current()
    if config.tracker_db_url is None and config.profile == "production":
        from bot.run.profile_config import production_settings

        return production_settings().tracker_db_url
    return config.conversations_url


def _lock_store(args: argparse.Namespace):
    """The Rasa servers' lock store in the production profile, else None (nothing to coordinate with)."""
    if args.no_lock or settings.profile() != "production":
        return None
    from bot.rasa.lock_store import AtomicRedisLockStore
    from bot.run.profile_config import production_settings

    config = production_settings()
    return AtomicRedisLockStore(
        host=config.redis_host,
        port=config.redis_port,
        db=config.redis_db,
        password=config.redis_password,
        key_prefix=config.redis_prefix,
        lock_lifetime=config.lock_lifetime,
    )


async def _for_each(senders: list[str], lock_store, work: Callable[[str], None]) -> None:
    for sender in senders:
        async with AsyncExitStack() as stack:
            if lock_store is not None:
                await stack.enter_async_context(lock_store.lock(sender))
            work(sender)


def _engine(args: argparse.Namespace) -> Optional[sa.engine.Engine]:
    url = tracker_db_url(args.db_url)
    engine = sa.create_engine(url, hide_parameters=True, future=True)
    try:
        if not has_events_table(engine):
            print(
                f"No conversations are stored in {engine.url.render_as_string(hide_password=True)} yet.",
                file=sys.stderr,
            )
            return None
    except SQLAlchemyError as exc:
        raise SystemExit(
            f"error: cannot open the conversation store "
            f"{engine.url.render_as_string(hide_password=True)}: {reason(exc)}"
        ) from None
    return engine


def purge(args: argparse.Namespace) -> int:
    try:
        period = parse_period(args.older_than)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = _engine(args)
    if engine is None:
        return 0
    cutoff = time.time() - period
    result = PurgeResult()
    with engine.connect() as connection:
        senders = senders_with_events_before(connection, cutoff)

    def one(sender: str) -> None:
        with engine.begin() as connection:
            purge_sender(connection, sender, cutoff, result, dry_run=args.dry_run)

    asyncio.run(_for_each(senders, None if args.dry_run else _lock_store(args), one))
    when = dt.datetime.fromtimestamp(cutoff, dt.timezone.utc).isoformat(timespec="seconds")
    print(f"Retention {args.older_than} (before {when}): {result.summary(args.dry_run)}.")
    return 0


def delete(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if engine is None:
        return 0
    deleted: list[int] = []

    def one(sender: str) -> None:
        with engine.begin() as connection:
            deleted.append(delete_sender(connection, sender))

    asyncio.run(_for_each([args.sender], _lock_store(args), one))
    if deleted[0]:
        print(f"Deleted the conversation of sender {args.sender!r} ({deleted[0]} events).")
    else:
        print(f"No conversation is stored for sender {args.sender!r}; nothing deleted.")
    return 0


def export(args: argparse.Namespace) -> int:
    engine = _engine(args)
    stored: list[dict] = []
    if engine is not None:
        with engine.connect() as connection:
            stored = export_sender(connection, args.sender)
    document = {
        "sender_id": args.sender,
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "note": "Everything this assistant stores about this conversation: the transcript, "
        "then every stored event as recorded."
        if stored
        else "No conversation is stored for this sender.",
        "transcript": transcript(stored),
        "events": stored,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"Wrote {len(stored)} events of sender {args.sender!r} to {args.out}.", file=sys.stderr)
    else:
        print(text)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    privacy = subparsers.add_parser("privacy", help="retention and data-subject requests on stored conversations")
    sub = privacy.add_subparsers(dest="privacy_command", required=True)

    def common(parser: argparse.ArgumentParser, locks: bool = True) -> None:
        parser.add_argument(
            "--db-url", default=None, help="the tracker store's database (default: the active profile's)"
        )
        if locks:
            parser.add_argument(
                "--no-lock", action="store_true", help="do not take the conversations' Redis locks (production profile)"
            )

    purger = sub.add_parser("purge", help="delete conversations older than a retention period")
    purger.add_argument("--older-than", required=True, metavar="PERIOD", help="e.g. 30d, 12h, 2w")
    purger.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    common(purger)
    purger.set_defaults(func=purge)

    deleter = sub.add_parser("delete", help="erase one sender's conversation (right to erasure)")
    deleter.add_argument("--sender", required=True, help="the conversation's sender id")
    common(deleter)
    deleter.set_defaults(func=delete)

    exporter = sub.add_parser("export", help="one sender's conversation as JSON (right of access)")
    exporter.add_argument("--sender", required=True, help="the conversation's sender id")
    exporter.add_argument("--out", default=None, help="write to this file instead of standard output")
    common(exporter, locks=False)
    exporter.set_defaults(func=export)
