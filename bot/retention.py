"""`python -m bot retention --days N`: delete conversations nobody has touched for N days.

Rasa keeps every conversation in its tracker store for ever. A municipality keeps enquiries only
as long as it needs them, so this deletes, from the tracker store named in the endpoints file
(SQLite or PostgreSQL, Rasa's own `events` table), every conversation whose newest event is older
than N days, and praise (bot.inbox) and call-back requests (bot.callbacks) older than N days. Run it daily (cron or
a systemd timer: docs/production.md). ``now`` is taken once, here at the edge.
"""
from __future__ import annotations

import argparse
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Tuple
from urllib.parse import quote

import yaml
from sqlalchemy import create_engine, text

from bot.callbacks import delete_older_than as delete_old_callbacks
from bot.feedback import delete_older_than as delete_old_feedback
from bot.inbox import delete_older_than
from bot.settings import PROJECT_ROOT

_ENV = re.compile(r"\$\{([^}]+)\}")


class RetentionError(RuntimeError):
    """The tracker store cannot be found or reached; the message says what to fix."""


def tracker_url(endpoints: Path) -> str:
    """The SQLAlchemy URL of the SQL tracker store an endpoints file names (${VAR}s expanded)."""
    try:
        raw = endpoints.read_text(encoding="utf-8")
    except OSError as exc:
        raise RetentionError(f"Cannot read {endpoints}: {exc.strerror}") from exc
    missing = sorted({name for name in _ENV.findall(raw) if name not in os.environ})
    store: Dict[str, Any] = (yaml.safe_load(_ENV.sub(lambda m: os.environ.get(m.group(1), ""), raw)) or {}).get(
        "tracker_store") or {}
    if str(store.get("type", "")).upper() != "SQL":
        raise RetentionError(f"{endpoints} names no SQL tracker store: Rasa's in-memory store keeps nothing to delete")
    dialect = store.get("dialect", "sqlite")
    if dialect == "sqlite":
        db = Path(store.get("db") or "rasa.db")
        return f"sqlite:///{db if db.is_absolute() else PROJECT_ROOT / db}"
    if missing:
        raise RetentionError(f"{endpoints} needs these environment variables: {', '.join(missing)}")
    user = quote(str(store.get("username") or ""), safe="")
    password = quote(str(store.get("password") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{store['port']}" if store.get("port") else ""
    return f"{dialect}://{auth}{store.get('url') or 'localhost'}{port}/{store.get('db') or 'rasa'}"


def delete_old_conversations(url: str, now: datetime, days: int) -> Tuple[int, int]:
    """Delete conversations whose newest event is older than ``days``; (conversations, events)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now - timedelta(days=days)).timestamp()
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as conn:
            if not engine.dialect.has_table(conn, "events"):
                return 0, 0
            old = [row[0] for row in conn.execute(text(
                "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"), {"cutoff": cutoff})]
            events = 0
            for start in range(0, len(old), 500):
                chunk = old[start:start + 500]
                params = {f"s{i}": s for i, s in enumerate(chunk)}
                names = ", ".join(f":s{i}" for i in range(len(chunk)))
                events += conn.execute(text(f"DELETE FROM events WHERE sender_id IN ({names})"), params).rowcount
            return len(old), events
    finally:
        engine.dispose()


def _run(args: argparse.Namespace) -> int:
    from bot.settings import Settings

    settings = Settings.from_env()  # a bad setting is python -m bot's to report (exit 2)
    days = settings.retention_days if args.days is None else args.days
    now = datetime.now(timezone.utc)
    try:
        url = args.tracker_url or tracker_url(Path(args.endpoints))
        conversations, events = delete_old_conversations(url, now, days)
        praise = delete_older_than(settings.database_url, now, days)
        callbacks = delete_old_callbacks(settings.database_url, now, days)
        delete_old_feedback(settings.database_url, now, days)
    except (RetentionError, ValueError) as exc:
        print(f"retention: {exc}")
        return 2
    except Exception as exc:  # driver errors differ per backend; no URL (it may hold a password)
        print(f"retention: the database could not be reached or changed: {exc.__class__.__name__}")
        return 1
    print(f"Deleted {conversations} conversations ({events} events), {praise} praise messages and {callbacks} "
          f"call-back requests older than {days} days.")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("retention", help="delete conversations, praise and call-back requests older than N days",
                       description=__doc__.splitlines()[0])
    p.add_argument("--days", type=int,
                   help="keep conversations touched within this many days (default: RETENTION_DAYS, 30)")
    p.add_argument("--endpoints", default=str(PROJECT_ROOT / "endpoints.yml"),
                   help="the endpoints file whose tracker store to clean (endpoints.prod.yml in production)")
    p.add_argument("--tracker-url", help="an SQLAlchemy URL instead of the endpoints file's tracker store")
    p.set_defaults(func=_run)
