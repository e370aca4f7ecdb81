"""Ended staff sessions: a signed cookie is valid until it expires, unless its session was ended.

Logging out records the session's id here until the cookie would have expired, so a copied
cookie stops working at once — in every web process, since the list lives in the database
(one of the records kept beside the catalogue: bot/records.py). Times are passed in.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, String, delete, select

from bot.records import Base, sessions


class EndedSession(Base):
    __tablename__ = "staff_session_ended"
    sid = Column(String(64), primary_key=True)
    expires_at = Column(DateTime(timezone=True), nullable=False, index=True)


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


def end_session(url: str, sid: str, expires: float, now: float) -> None:
    """Record that session ``sid`` (valid until ``expires``) has ended; forget ended ones that expired."""
    with sessions(url)() as session, session.begin():  # one transaction: forget the expired, add this one
        session.execute(delete(EndedSession).where(EndedSession.expires_at < _utc(now)))
        if session.get(EndedSession, sid) is None:
            session.add(EndedSession(sid=sid, expires_at=_utc(expires)))


def is_ended(url: str, sid: str) -> bool:
    with sessions(url)() as session:
        return session.execute(select(EndedSession.sid).where(EndedSession.sid == sid)).first() is not None
