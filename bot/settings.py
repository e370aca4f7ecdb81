"""One typed settings object read from the environment (see .env.example)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _sqlite_default() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'indgang.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    catalog_dir: Path
    rasa_port: int
    actions_port: int
    web_port: int
    model_path: Path
    timezone: str
    route_min_confidence: Optional[float]

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """Read settings; relative paths are taken from the project root."""
        env = os.environ if env is None else env

        def path(name: str, default: str) -> Path:
            p = Path(env.get(name) or default)
            return p if p.is_absolute() else PROJECT_ROOT / p

        def integer(name: str, default: int) -> int:
            raw = env.get(name) or str(default)
            try:
                return int(raw)
            except ValueError:
                raise SystemExit(f"Setting {name}={raw!r} is not a whole number.") from None

        db = env.get("DATABASE_URL") or _sqlite_default()
        if db.startswith("sqlite:///") and not db.startswith("sqlite:////"):
            rel = db[len("sqlite:///"):]
            if rel and rel != ":memory:":
                db = f"sqlite:///{PROJECT_ROOT / rel}"
        return cls(
            database_url=db,
            catalog_dir=path("CATALOG_DIR", "catalog_data"),
            rasa_port=integer("RASA_PORT", 5005),
            actions_port=integer("ACTIONS_PORT", 5055),
            web_port=integer("WEB_PORT", 8000),
            model_path=path("MODEL_PATH", "models/indgang.tar.gz"),
            timezone=env.get("INDGANG_TIMEZONE") or "Europe/Copenhagen",
            route_min_confidence=float(env["ROUTE_MIN_CONFIDENCE"]) if env.get("ROUTE_MIN_CONFIDENCE") else None,
        )
