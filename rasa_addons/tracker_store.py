"""Rasa's SQL tracker store with less work per message (endpoints.prod.yml).

Same tables, same rows, same order, same configuration keys as Rasa's ``SQLTrackerStore``
(a conversation stored by one can be read by the other). In the production layout this store
was ~40% of a Rasa server's CPU per message (docs/performance.md); two things it repeated are
done once:

* ``save`` counted the conversation's stored events again (a query with a sub-query) to find
  the new ones. A tracker read by this store remembers how many of its events are stored;
  Rasa's lock store holds the conversation between reading and saving, so no other server
  can have added any. A tracker that was not read here (a new conversation) is counted as
  before.
* Rows are inserted in one statement instead of through one ORM object each, and reading
  fetches only the events' JSON, not ORM objects.
"""
from __future__ import annotations

import itertools
import json
from typing import Any, Dict, List, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

STORED = "_indgang_stored_events"  # attribute on a tracker: how many of its events are in the table


class LeanSQLTrackerStore(SQLTrackerStore):
    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions
                                     ).with_entities(self.SQLEvent.data).all()
        events = [json.loads(data) for (data,) in rows]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions and len(tracker.events) == len(events):
            setattr(tracker, STORED, len(events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = getattr(tracker, STORED, None)
            if stored is None or stored > len(tracker.events):
                new_events = list(self._additional_events(session, tracker))
            else:
                new_events = list(itertools.islice(tracker.events, stored, None))
            rows: List[Dict[str, Any]] = []
            for event in new_events:
                data = event.as_dict()
                rows.append({
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                })
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        setattr(tracker, STORED, len(tracker.events))
