"""The one module of bot/ that touches Rasa: load a trained model and parse text for the CLI.

Imports Rasa inside functions, so `import bot.nlu` costs nothing and the rest of bot/
stays plain Python.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict

from bot.privacy import redact


class ModelNotFound(FileNotFoundError):
    pass


def find_model(path: Path) -> Path:
    """The model at ``path``, or the newest model in its folder; a clear error when none exists."""
    if path.is_file():
        return path
    folder = path if path.is_dir() else path.parent
    models = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []
    if not models:
        raise ModelNotFound(f"No trained model at {path}. Run `make train` first.")
    return models[-1]


class NluModel:
    """A loaded Rasa model that parses text into the dict shape Rasa's tracker carries."""

    def __init__(self, model_path: Path):
        import logging
        import os

        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        from rasa.core.agent import Agent  # the one module of bot/ allowed to import Rasa
        from rasa.utils.common import configure_logging_and_warnings
        from rasa.utils.log_utils import configure_structlog

        configure_logging_and_warnings(logging.WARNING)
        configure_structlog(logging.WARNING)
        self.path = find_model(model_path)
        self._agent = Agent.load(str(self.path))
        self._loop = asyncio.new_event_loop()

    def parse(self, text: str) -> Dict[str, Any]:
        result = self._loop.run_until_complete(self._agent.parse_message(redact(text)))
        return {"text": result.get("text"), "intent": result.get("intent") or {},
                "intent_ranking": result.get("intent_ranking") or [], "entities": result.get("entities") or []}
