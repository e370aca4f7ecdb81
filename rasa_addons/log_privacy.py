"""Logs never carry conversation content: a log-record factory for the Rasa and action servers.

When a custom action fails, rasa_sdk answers 500 with the whole request (the conversation and its
metadata) in the body, and Rasa logs the exception chain — with that body as the
``ClientResponseError``'s message — at ERROR level. Any other exception message may quote a
user's words as well. So, in every record of the process:

* exception chains keep their types and stack frames (what developers need) but not their
  messages, which are replaced by ``<message withheld: N characters>``;
* the message itself has CPR numbers redacted (bot.privacy), in every spelling.

``apply()`` is idempotent; channels/chat.py calls it when the Rasa server sets up its webhook,
actions/server.py when the action server starts.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Callable, Optional

from bot.privacy import redact

_ORIGINAL: Optional[Callable[..., logging.LogRecord]] = None


def _withheld(exc: BaseException) -> str:
    return f"<message withheld: {len(str(exc))} characters>"


def safe_traceback(exc_info: Any) -> str:
    """The traceback of ``exc_info`` with every exception message in the chain withheld."""
    _type, value, tb = exc_info
    if value is None:
        return ""
    te = traceback.TracebackException(type(value), value, tb, compact=True)
    seen = set()
    node: Optional[traceback.TracebackException] = te
    exc: Optional[BaseException] = value
    while node is not None and id(node) not in seen and exc is not None:
        seen.add(id(node))
        node._str = _withheld(exc)  # what format() prints after the exception's type
        if node.__cause__ is not None:
            node, exc = node.__cause__, exc.__cause__
        elif node.__context__ is not None and not node.__suppress_context__:
            node, exc = node.__context__, exc.__context__
        else:
            node = None
    return redact("".join(te.format()).rstrip("\n"))


def _safe_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _ORIGINAL(*args, **kwargs)  # type: ignore[misc]
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep Python's own handling
        return record
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = safe_traceback(record.exc_info)
        record.exc_info = None
    return record


def apply() -> None:
    """Install the record factory once per process."""
    global _ORIGINAL
    if _ORIGINAL is not None:
        return
    _ORIGINAL = logging.getLogRecordFactory()
    logging.setLogRecordFactory(_safe_record)
