"""Records the assistant keeps beside the catalogue: praise and comments (bot.inbox), call-back
requests (bot.callbacks), "Fik du svar?" answers (bot.feedback) and ended staff sessions
(bot.web.sessions).

They live in the catalogue database but are not part of the catalogue: their tables are on a
`Base` of their own, so a catalogue import never touches them, and they are created (and given
new columns) by the catalogue's own `ensure_schema`, once per database per process. Times are
stored in UTC; SQLite gives them back without a zone, `utc()` puts it back.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import delete
from sqlalchemy.orm import declarative_base, sessionmaker

from bot.catalog.db import ensure_schema, session_factory
from bot.privacy import redact

Base = declarative_base()
_ready: set = set()


def sessions(url: str) -> sessionmaker:
    """Sessions for the records in database ``url``; their tables are made on first use
    (DatabaseUnavailable, with the reason, when the database cannot be reached)."""
    if url not in _ready:
        ensure_schema(url, Base.metadata)
        _ready.add(url)
    return session_factory(url)


def utc(when: datetime) -> datetime:
    """An aware time in UTC; a time read back without a zone (SQLite) was stored as UTC."""
    return when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)


def clean_text(text: Optional[str], limit: int) -> Optional[str]:
    """What a business wrote, as kept: spaces collapsed, CPR numbers redacted, at most ``limit``
    characters; None when nothing is left."""
    cleaned = redact(" ".join((text or "").split()))[:limit]
    return cleaned or None


def delete_before(url: str, column, cutoff: datetime) -> int:
    """Delete the rows of ``column``'s table whose ``column`` is before ``cutoff``; how many went."""
    with sessions(url)() as session, session.begin():
        return session.execute(delete(column.class_).where(column < utc(cutoff))).rowcount or 0
