"""Rasa actions: thin adapters that read the tracker, call bot/, and turn results into messages.

`rasa run actions --actions actions` imports this package; rasa_sdk registers every
Action subclass found in its modules.
"""
from actions import feedback, followup, route  # noqa: F401  (registers the actions)
