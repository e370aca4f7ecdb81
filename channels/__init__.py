"""Rasa input channels of Indgang (loaded by Rasa from credentials.yml)."""
