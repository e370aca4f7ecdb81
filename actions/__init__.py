"""Rasa actions: thin adapters that read the tracker, call bot/, and turn results into messages.

The action server (`python -m actions.server`, closed by default) imports this package; rasa_sdk registers every
Action subclass found in its modules. Importing it also makes this server's logs free of
conversation content (rasa_addons/log_privacy.py).
"""
from rasa_addons import log_privacy

log_privacy.apply()

from actions import callback, feedback, followup, route, session  # noqa: F401,E402  (registers the actions)
