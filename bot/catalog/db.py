"""Engine and short-lived sessions. Nothing is created at import time."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.catalog.models import Base


class DatabaseUnavailable(RuntimeError):
    """The catalogue database cannot be reached; the message says which URL and why."""


def _redact(url: str) -> str:
    """Hide a password in a URL before it goes into a message."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per URL per process (engines pool connections; sessions stay short)."""
    if url.startswith("sqlite"):
        from pathlib import Path

        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _fk_on(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

        return engine
    connect_args = {"connect_timeout": 5} if url.startswith("postgresql") else {}
    return create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)


def session_factory(url: str) -> sessionmaker:
    return sessionmaker(engine_for(url), future=True, expire_on_commit=False, class_=Session)


def _add_missing_columns(engine: Engine, metadata: MetaData) -> None:
    """Add columns that a newer release defines to tables an older release created.

    create_all() creates missing tables but never alters existing ones. Only nullable columns
    are added (every column added after the first release is), so existing rows stay valid;
    the next import fills them. Names come from our own models, never from input.
    """
    insp = inspect(engine)
    quote = engine.dialect.identifier_preparer.quote
    for table in metadata.sorted_tables:
        if not insp.has_table(table.name):
            continue
        present = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name in present or not col.nullable or col.primary_key:
                continue
            try:
                with engine.begin() as conn:
                    conn.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(col.name)} "
                                      f"{col.type.compile(dialect=engine.dialect)}"))
            except Exception:
                # another process may have added it a moment ago; anything else is a real error
                if col.name not in {c["name"] for c in inspect(engine).get_columns(table.name)}:
                    raise


def ensure_schema(url: str, metadata: MetaData = Base.metadata) -> None:
    """Create missing tables and columns (the catalogue's, or another set of tables kept in the
    same database: bot/records.py); a clear error when the database cannot be reached."""
    try:
        engine = engine_for(url)
        metadata.create_all(engine)
        _add_missing_columns(engine, metadata)
    except Exception as exc:  # driver errors differ per backend
        raise DatabaseUnavailable(
            f"Cannot reach the catalogue database {_redact(url)}: {exc.__class__.__name__}: "
            f"{str(exc).strip().splitlines()[0] if str(exc).strip() else ''}. "
            "Check DATABASE_URL and that the database server is running."
        ) from exc
