"""Messages a business asks us to pass on to a department: praise for a member of staff, and
comments on an answer ("Fik du svar?" → "Skriv en kommentar").

"Vi vil gerne rose jeres sagsbehandler" is thanked in the chat and kept here, with the
department the conversation was about, for the staff page ("Ros til medarbejdere"), so the
one entrance can pass it to the department's contact. Only what the business wrote (already
CPR-redacted by the channel, and redacted again here) and the department are kept; no
conversation id, no sender. ``now`` is passed in: nothing here reads the clock.

The table is one of the records kept beside the catalogue (bot/records.py): a catalogue import
never touches it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional

from sqlalchemy import Column, DateTime, Integer, String, Text, delete, select

from bot.records import Base, clean_text, delete_before, sessions, utc

MAX_TEXT = 2000      # a message is cut here (the chat's own limit is higher; praise is short)
KEEP_DAYS = 180      # older messages are deleted when new ones are written


class InboxRow(Base):
    __tablename__ = "inbox_message"
    id = Column(Integer, primary_key=True, autoincrement=True)
    received_at = Column(DateTime(timezone=True), nullable=False, index=True)
    kind = Column(String(20), nullable=False)            # "praise"
    department_id = Column(String(80))                   # None: the one entrance passes it on
    department_name = Column(Text)                       # as named when received (catalogues change)
    task_id = Column(String(80))
    text = Column(Text, nullable=False)


@dataclass(frozen=True)
class InboxMessage:
    id: int
    received_at: datetime
    kind: str
    department_id: Optional[str]
    department_name: Optional[str]
    task_id: Optional[str]
    text: str

    def to_dict(self) -> dict:
        return {"id": self.id, "received_at": self.received_at.isoformat(), "kind": self.kind,
                "department_id": self.department_id, "department_name": self.department_name,
                "task_id": self.task_id, "text": self.text}


KINDS = ("praise", "comment")  # praise for staff; a comment on an answer ("Fik du svar?")


def record_praise(url: str, now: datetime, text: str, department_id: Optional[str],
                  department_name: Optional[str], task_id: Optional[str] = None, kind: str = "praise") -> int:
    """Keep one praise message (or a comment on an answer) for a department (None: for the one
    entrance); returns its id."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = utc(now)  # stored as UTC on every backend
    clean = clean_text(text, MAX_TEXT)
    if not clean:
        raise ValueError("empty message")
    with sessions(url)() as session, session.begin():
        session.execute(delete(InboxRow).where(InboxRow.received_at < now - timedelta(days=KEEP_DAYS)))
        row = InboxRow(received_at=now, kind=kind, department_id=department_id,
                       department_name=department_name, task_id=task_id, text=clean)
        session.add(row)
        session.flush()
        return int(row.id)


def delete_older_than(url: str, now: datetime, days: int) -> int:
    """Delete messages received more than ``days`` before ``now``; how many went."""
    return delete_before(url, InboxRow.received_at, now - timedelta(days=days))


def recent(url: str, now: datetime, days: int = 90, limit: int = 200) -> List[InboxMessage]:
    """Messages of the last ``days`` days, newest first."""
    now = utc(now)
    with sessions(url)() as session:
        rows = session.execute(select(InboxRow).where(InboxRow.received_at >= now - timedelta(days=days))
                               .order_by(InboxRow.received_at.desc(), InboxRow.id.desc()).limit(limit)).scalars()
        return [InboxMessage(r.id, utc(r.received_at), r.kind, r.department_id, r.department_name, r.task_id,
                             r.text) for r in rows]
