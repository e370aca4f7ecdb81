"""Call-back requests ("Ring mig op"): what a business leaves for the department to call back.

The chat collects them with a Rasa form (actions/callback.py); they are kept here for the
department of the conversation's topic (or the one entrance, when there is none), listed on the
staff page until someone marks them handled, and deleted by `python -m bot retention`. Every text
field is CPR-redacted again before it is stored. ``now`` is passed in.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import List, Optional

from sqlalchemy import Column, DateTime, Integer, String, Text, select

from bot.records import Base, clean_text, delete_before, sessions, utc
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
SKIP_WORDS = {"ingen", "nej", "ved ikke", "vi har ikke", "har ikke", "-", "spring over", "skip", "none", "no",
              "don't know", "dont know"}
_DIGITS = re.compile(r"\d")


def cvr_number(text: str) -> Optional[str]:
    """The 8-digit CVR number in ``text`` if it passes the modulus-11 check, else None."""
    digits = "".join(_DIGITS.findall(text or ""))
    if len(digits) != 8 or digits[0] == "0":
        return None
    return digits if sum(int(d) * w for d, w in zip(digits, CVR_WEIGHTS)) % 11 == 0 else None


def phone_number(text: str) -> Optional[str]:
    """A Danish phone number as "12 34 56 78" (+45 or 0045 allowed in front), else None."""
    digits = "".join(_DIGITS.findall(text or ""))
    if len(digits) == 10 and digits.startswith("45"):
        digits = digits[2:]
    elif len(digits) == 12 and digits.startswith("0045"):
        digits = digits[4:]
    if len(digits) != 8 or digits[0] in "01":
        return None
    return " ".join(digits[i:i + 2] for i in range(0, 8, 2))


def skipped(text: str) -> bool:
    return " ".join((text or "").lower().replace(".", " ").split()) in SKIP_WORDS


class CallbackRow(Base):
    __tablename__ = "callback_request"
    id = Column(Integer, primary_key=True, autoincrement=True)
    received_at = Column(DateTime(timezone=True), nullable=False, index=True)
    department_id = Column(String(80))
    department_name = Column(Text)
    task_id = Column(String(80))
    topic = Column(Text)
    company = Column(Text, nullable=False)
    cvr = Column(String(8))
    contact = Column(Text, nullable=False)
    phone = Column(String(20), nullable=False)
    preferred_time = Column(Text)
    handled_at = Column(DateTime(timezone=True))
    handled_by = Column(Text)


@dataclass(frozen=True)
class CallbackRequest:
    id: int
    received_at: str
    department_id: Optional[str]
    department_name: Optional[str]
    task_id: Optional[str]
    topic: Optional[str]
    company: str
    cvr: Optional[str]
    contact: str
    phone: str
    preferred_time: Optional[str]
    handled_at: Optional[str]
    handled_by: Optional[str]

    def to_dict(self) -> dict:
        return asdict(self)


def _iso(when: Optional[datetime]) -> Optional[str]:
    return utc(when).isoformat() if when is not None else None


def record_callback(url: str, now: datetime, *, company: str, contact: str, phone: str, cvr: Optional[str] = None,
                    preferred_time: Optional[str] = None, topic: Optional[str] = None, task_id: Optional[str] = None,
                    department_id: Optional[str] = None, department_name: Optional[str] = None) -> int:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    with sessions(url)() as session, session.begin():
        row = CallbackRow(received_at=utc(now), department_id=department_id,
                          department_name=department_name, task_id=task_id, topic=clean_text(topic, 200),
                          company=clean_text(company, 200) or "?", cvr=cvr, contact=clean_text(contact, 200) or "?",
                          phone=phone, preferred_time=clean_text(preferred_time, 200))
        session.add(row)
        session.flush()
        return int(row.id)


def open_requests(url: str, now: datetime, days: int = 30) -> List[CallbackRequest]:
    """Requests not yet handled and handled ones of the last day, oldest open first."""
    now = utc(now)
    with sessions(url)() as session:
        rows = session.execute(select(CallbackRow).where(CallbackRow.received_at >= now - timedelta(days=days))
                               .order_by(CallbackRow.handled_at.is_not(None), CallbackRow.received_at)).scalars()
        return [CallbackRequest(r.id, _iso(r.received_at), r.department_id, r.department_name, r.task_id, r.topic,
                                r.company, r.cvr, r.contact, r.phone, r.preferred_time, _iso(r.handled_at),
                                r.handled_by)
                for r in rows if r.handled_at is None or utc(r.handled_at) >= now - timedelta(days=1)]


def mark_handled(url: str, request_id: int, now: datetime, by: str) -> bool:
    """Mark a request handled; False when there is no such open request."""
    with sessions(url)() as session, session.begin():
        row = session.get(CallbackRow, request_id)
        if row is None or row.handled_at is not None:
            return False
        row.handled_at, row.handled_by = utc(now), by[:80]
        return True


def delete_older_than(url: str, now: datetime, days: int) -> int:
    return delete_before(url, CallbackRow.received_at, now - timedelta(days=days))
