"""Rasa actions: thin adapters that read the tracker, call bot/, and turn results into messages.

The action server (`python -m actions.server`, closed by default) imports this package; rasa_sdk
registers every Action subclass found in its modules.
"""
from actions import callback, feedback, followup, route, session  # noqa: F401  (registers the actions)
