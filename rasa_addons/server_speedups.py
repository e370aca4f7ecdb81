"""Two measured fixes to Rasa 3.6's per-message cost in `rasa run`, applied by an explicit,
idempotent ``apply()`` when the chat channel sets up its webhook (credentials.yml →
channels/chat.py), and only on Rasa 3.6. Each keeps Rasa's
behaviour and only stops repeating work whose result cannot change (py-spy profiles of
`rasa run` under load; figures in docs/benchmarks.md).

1. Action server responses. Rasa checks each one with ``jsonschema.validate(result, schema)``,
   which first validates the *schema itself* against its meta-schema (draft 2020-12 with
   jsonschema 4.17, the newest release Rasa 3.6 allows) on every call: about 37 ms of CPU per
   custom action on these 2-core machines, most of a chat message's cost. The schema is a
   constant, so its validator is built once and each response is checked against it; a
   response that fails goes through Rasa's own check, for Rasa's error and explanation.
2. Event types. Reading a tracker turns every stored event back into an object, and Rasa finds
   each event's class by walking all subclasses of ``Event`` again, for every event of every
   message (a tenth of the server's CPU). Classes once found are remembered; an unknown name
   still goes through Rasa's own lookup (and its error).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Optional, Text, Type

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event


_rasa_validate_action_result = RemoteAction._validate_action_result


@lru_cache(maxsize=1)
def _response_validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate() would on every call
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    if _response_validator().is_valid(result):
        return True
    return _rasa_validate_action_result(self, result)  # Rasa's own error and explanation


_rasa_resolve_by_type = Event.resolve_by_type
_event_types: Dict[Text, Type[Event]] = {}


def _resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    found = _event_types.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_types[type_name] = found
    return found


SUPPORTED_RASA = "3.6."  # the methods replaced here are Rasa 3.6's; another release is left alone


def apply() -> bool:
    """Install both fixes once (idempotent); False, with a warning, on a Rasa release they were not made for."""
    import logging

    import rasa

    if RemoteAction._validate_action_result is _validate_action_result:
        return True
    if not rasa.__version__.startswith(SUPPORTED_RASA):
        logging.getLogger(__name__).warning("rasa_addons.server_speedups: made for Rasa %sx, not %s; not applied",
                                            SUPPORTED_RASA, rasa.__version__)
        return False
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[assignment]
    return True
