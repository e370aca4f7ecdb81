"""Answers to "Fik du svar?": yes or no, with the task the answer named. Nothing else is kept —
no text, no conversation id — so the figures can be shown to anyone. ``now`` is passed in."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import List, Optional, Tuple

from sqlalchemy import Boolean, Column, DateTime, Integer, String, delete, select
from sqlalchemy.orm import declarative_base

from bot.catalog.db import engine_for, session_factory

Base = declarative_base()


class FeedbackRow(Base):
    __tablename__ = "answer_feedback"
    id = Column(Integer, primary_key=True, autoincrement=True)
    received_at = Column(DateTime(timezone=True), nullable=False, index=True)
    task_id = Column(String(80))
    department_id = Column(String(80))
    answered = Column(Boolean, nullable=False)


_ready: set = set()


def _sessions(url: str):
    if url not in _ready:
        Base.metadata.create_all(engine_for(url))
        _ready.add(url)
    return session_factory(url)


def record_feedback(url: str, now: datetime, answered: bool, task_id: Optional[str],
                    department_id: Optional[str]) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    with _sessions(url)() as session, session.begin():
        session.add(FeedbackRow(received_at=now.astimezone(timezone.utc), task_id=task_id,
                                department_id=department_id, answered=answered))


def feedback_since(url: str, since: datetime) -> List[Tuple[datetime, Optional[str], bool]]:
    """(when, task id, answered?) of every answer since ``since``, oldest first."""
    with _sessions(url)() as session:
        rows = session.execute(select(FeedbackRow).where(FeedbackRow.received_at >= since.astimezone(timezone.utc))
                               .order_by(FeedbackRow.received_at)).scalars()
        return [((r.received_at if r.received_at.tzinfo else r.received_at.replace(tzinfo=timezone.utc)),
                 r.task_id, bool(r.answered)) for r in rows]


def delete_older_than(url: str, now: datetime, days: int) -> int:
    cutoff = now.astimezone(timezone.utc) - timedelta(days=days)
    with _sessions(url)() as session, session.begin():
        return session.execute(delete(FeedbackRow).where(FeedbackRow.received_at < cutoff)).rowcount or 0
