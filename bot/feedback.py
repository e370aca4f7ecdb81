"""Answers to "Fik du svar?": yes or no, with the task the answer named. Nothing else is kept —
no text, no conversation id — so the figures can be shown to anyone. ``now`` is passed in."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import List, Optional, Tuple

from sqlalchemy import Boolean, Column, DateTime, Integer, String, select

from bot.records import Base, delete_before, sessions, utc


class FeedbackRow(Base):
    __tablename__ = "answer_feedback"
    id = Column(Integer, primary_key=True, autoincrement=True)
    received_at = Column(DateTime(timezone=True), nullable=False, index=True)
    task_id = Column(String(80))
    department_id = Column(String(80))
    answered = Column(Boolean, nullable=False)


def record_feedback(url: str, now: datetime, answered: bool, task_id: Optional[str],
                    department_id: Optional[str]) -> None:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    with sessions(url)() as session, session.begin():
        session.add(FeedbackRow(received_at=utc(now), task_id=task_id,
                                department_id=department_id, answered=answered))


def feedback_since(url: str, since: datetime) -> List[Tuple[datetime, Optional[str], bool]]:
    """(when, task id, answered?) of every answer since ``since``, oldest first."""
    with sessions(url)() as session:
        rows = session.execute(select(FeedbackRow).where(FeedbackRow.received_at >= utc(since))
                               .order_by(FeedbackRow.received_at)).scalars()
        return [(utc(r.received_at), r.task_id, bool(r.answered)) for r in rows]


def delete_older_than(url: str, now: datetime, days: int) -> int:
    return delete_before(url, FeedbackRow.received_at, now - timedelta(days=days))
