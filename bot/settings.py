"""One typed settings object, read from the environment in one go (every variable: .env.example).

`Settings.from_env()` reads and checks every setting and raises one :class:`SettingsError` that
lists every bad value at once; it never exits. Exit codes are decided by the command-line entry
points (`python -m bot`, `python -m actions.server`, `scripts/run_prod.py`, `rasa_addons.rasa_run`).

An empty variable means its default, so a `.env` copied from `.env.example` changes nothing.
`DEFAULTS` is the one table of defaults: `.env.example` documents exactly these values
(tests/test_settings.py checks both ways). An empty default is derived from other settings or
means "none"; the comment in `.env.example` says which.
"""
from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Callable, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_CHARS = 16  # ACTION_SECRET: shared by the Rasa server and the action server
PROD_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/indgang"  # DATABASE_URL's default under run-prod

DEFAULTS: Mapping[str, str] = MappingProxyType({
    # the assistant
    "DATABASE_URL": "",  # sqlite:///var/indgang.db (run-prod: PROD_DATABASE_URL)
    "CATALOG_DIR": "catalog_data",
    "MODEL_PATH": "models/indgang.tar.gz",
    "INDGANG_TIMEZONE": "Europe/Copenhagen",
    "ROUTE_MIN_CONFIDENCE": "",  # the router's own (RouterConfig.min_confidence)
    "REPORT_DIR": "var/report",
    "RETENTION_DAYS": "30",
    # Rasa server
    "RASA_PORT": "5005",
    "RASA_INTERFACE": "127.0.0.1",
    "RASA_URL": "",  # http://127.0.0.1:RASA_PORT
    "RASA_TOKEN": "",
    "PUBLIC_RASA_URL": "",  # the page's own host, RASA_PORT
    "RASA_CORS": "",  # the web app's own origins
    # action server
    "ACTIONS_PORT": "5055",
    "ACTIONS_HOST": "127.0.0.1",
    "ACTION_SECRET": "",
    # chat channel (channels/chat.py)
    "CHAT_MESSAGES_PER_MINUTE": "20",
    "CHAT_SESSION_MESSAGES": "30",
    # web app
    "WEB_PORT": "8000",
    "WEB_HOST": "127.0.0.1",
    "WEB_SECRET": "",  # random per start
    "WEB_SECURE_COOKIE": "0",
    "STAFF_AUTH": "accounts",
    "STAFF_USERS_FILE": "var/staff_users.yml",
    "STAFF_AUTH_HEADER": "X-Remote-User",
    "STAFF_TRUSTED_PROXIES": "127.0.0.1/32,::1/128",
    # production layout (scripts/run_prod.py, endpoints.prod.yml)
    "PROD_PORT": "8080",
    "RASA_PORTS": "5006,5007",
    "PROD_STATE_DIR": "var/prod",
    "ACTION_ENDPOINT_URL": "",  # http://127.0.0.1:ACTIONS_PORT/webhook
    "TRACKER_DB_HOST": "127.0.0.1",
    "TRACKER_DB_PORT": "5432",
    "TRACKER_DB_NAME": "indgang_tracker",
    "TRACKER_DB_USER": "postgres",
    "TRACKER_DB_PASSWORD": "",
    "TRACKER_LOGIN_DB": "test",
    "REDIS_HOST": "127.0.0.1",
    "REDIS_PORT": "6379",
    "REDIS_DB": "1",
    "REDIS_KEY_PREFIX": "indgang",
    "TLS_CERT": "",
    "TLS_KEY": "",
})
SECRETS = frozenset({"RASA_TOKEN", "ACTION_SECRET", "WEB_SECRET", "TRACKER_DB_PASSWORD", "DATABASE_URL"})


class SettingsError(ValueError):
    """One or more settings have values that cannot be used; ``problems`` names each."""

    def __init__(self, problems: Sequence[str]):
        self.problems: Tuple[str, ...] = tuple(problems)
        if len(self.problems) == 1:
            message = f"Invalid setting: {self.problems[0]} (see .env.example)"
        else:
            message = (f"{len(self.problems)} invalid settings (see .env.example):\n"
                       + "\n".join(f"  - {p}" for p in self.problems))
        super().__init__(message)


class StaffAuthMode(str, Enum):
    ACCOUNTS = "accounts"  # scrypt hashes in STAFF_USERS_FILE
    PROXY = "proxy"        # a user header set by a trusted reverse proxy


@dataclass(frozen=True)
class RasaSettings:
    port: int
    interface: str
    url: str                   # where the web app reaches the Rasa HTTP API
    public_url: Optional[str]  # where the browser's widget reaches it (None: the page's host, `port`)
    cors: Tuple[str, ...]
    token: Optional[str] = field(repr=False)


@dataclass(frozen=True)
class ActionServerSettings:
    port: int
    host: str
    secret: Optional[str] = field(repr=False)


@dataclass(frozen=True)
class ChatSettings:
    messages_per_minute: int
    session_messages: int


@dataclass(frozen=True)
class StaffSettings:
    auth_mode: StaffAuthMode
    users_file: Path
    auth_header: str
    trusted_proxies: Tuple[str, ...]


@dataclass(frozen=True)
class WebSettings:
    port: int
    host: str
    secure_cookie: bool
    secret: Optional[str] = field(repr=False)  # None: a random one per start


@dataclass(frozen=True)
class ProductionSettings:
    port: int
    rasa_ports: Tuple[int, ...]
    state_dir: Path
    action_endpoint_url: str
    tracker_db_host: str
    tracker_db_port: int
    tracker_db_name: str
    tracker_db_user: str
    tracker_login_db: str
    redis_host: str
    redis_port: int
    redis_db: int
    redis_key_prefix: str
    tls_cert: Optional[Path]
    tls_key: Optional[Path]
    database_url: str = field(repr=False)
    tracker_db_password: str = field(repr=False)


@dataclass(frozen=True)
class Settings:
    database_url: str = field(repr=False)  # may carry a password
    catalog_dir: Path
    model_path: Path
    timezone: str
    route_min_confidence: Optional[float]  # None: the router's own (RouterConfig.min_confidence)
    report_dir: Path
    retention_days: int
    rasa: RasaSettings
    actions: ActionServerSettings
    chat: ChatSettings
    web: WebSettings
    staff: StaffSettings
    prod: ProductionSettings

    @property
    def rasa_port(self) -> int:
        return self.rasa.port

    @property
    def actions_port(self) -> int:
        return self.actions.port

    @property
    def web_port(self) -> int:
        return self.web.port

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """Every setting from ``env`` (default: the process environment); relative paths are
        taken from the project root. Raises SettingsError naming every bad value.

        The same values give the same (immutable) object, checked once: actions and handlers
        may call this per message."""
        source = os.environ if env is None else env
        return _checked(tuple(source.get(name) or "" for name in DEFAULTS))

    @classmethod
    def _read(cls, env: Mapping[str, str]) -> "Settings":
        r = _Reader(env)
        rasa_port, actions_port, web_port = r.port("RASA_PORT"), r.port("ACTIONS_PORT"), r.port("WEB_PORT")
        db = r.text("DATABASE_URL", _database_url)
        settings = cls(
            database_url=_sqlite_from_root(db) if db else f"sqlite:///{PROJECT_ROOT / 'var' / 'indgang.db'}",
            catalog_dir=r.path("CATALOG_DIR"),
            model_path=r.path("MODEL_PATH"),
            timezone=r.text("INDGANG_TIMEZONE", _timezone),
            route_min_confidence=r.optional("ROUTE_MIN_CONFIDENCE", _probability),
            report_dir=r.path("REPORT_DIR"),
            retention_days=r.integer("RETENTION_DAYS", 1, "a whole number of days (1 or more)"),
            rasa=RasaSettings(
                port=rasa_port,
                interface=r.text("RASA_INTERFACE", _host),
                url=(r.text("RASA_URL", _http_url) or f"http://127.0.0.1:{rasa_port}").rstrip("/"),
                public_url=(r.text("PUBLIC_RASA_URL", _http_url).rstrip("/") or None),
                cors=tuple(r.text("RASA_CORS", _origins).split()) or (f"http://localhost:{web_port}",
                                                                      f"http://127.0.0.1:{web_port}"),
                token=r.secret("RASA_TOKEN")),
            actions=ActionServerSettings(
                port=actions_port, host=r.text("ACTIONS_HOST", _host),
                secret=r.secret("ACTION_SECRET", _shared_secret)),
            chat=ChatSettings(
                messages_per_minute=r.integer("CHAT_MESSAGES_PER_MINUTE", 1, "a whole number of messages (1 or more)"),
                session_messages=r.integer("CHAT_SESSION_MESSAGES", 1, "a whole number of messages (1 or more)")),
            web=WebSettings(
                port=web_port, host=r.text("WEB_HOST", _host), secure_cookie=r.flag("WEB_SECURE_COOKIE"),
                secret=r.secret("WEB_SECRET")),
            staff=StaffSettings(
                auth_mode=StaffAuthMode(r.text("STAFF_AUTH", _choice(StaffAuthMode))),
                users_file=r.path("STAFF_USERS_FILE"),
                auth_header=r.text("STAFF_AUTH_HEADER", _header),
                trusted_proxies=_items(r.text("STAFF_TRUSTED_PROXIES", _networks))),
            prod=_production(r, db, actions_port),
        )
        r.raise_problems()
        return settings


@lru_cache(maxsize=16)
def _checked(values: Tuple[str, ...]) -> Settings:
    return Settings._read(dict(zip(DEFAULTS, values)))


def _production(r: "_Reader", db: str, actions_port: int) -> ProductionSettings:
    tls_cert, tls_key = r.optional_path("TLS_CERT"), r.optional_path("TLS_KEY")
    if (tls_cert is None) != (tls_key is None):
        r.problems.append("TLS_CERT and TLS_KEY go together: set both (HTTPS) or neither (plain HTTP)")
    return ProductionSettings(
        port=r.port("PROD_PORT"),
        rasa_ports=tuple(int(p) for p in _items(r.text("RASA_PORTS", _ports))),
        state_dir=r.path("PROD_STATE_DIR"),
        action_endpoint_url=r.text("ACTION_ENDPOINT_URL", _http_url) or f"http://127.0.0.1:{actions_port}/webhook",
        tracker_db_host=r.text("TRACKER_DB_HOST", _host),
        tracker_db_port=r.port("TRACKER_DB_PORT"),
        tracker_db_name=r.text("TRACKER_DB_NAME", _name),
        tracker_db_user=r.text("TRACKER_DB_USER", _name),
        tracker_login_db=r.text("TRACKER_LOGIN_DB", _name),
        redis_host=r.text("REDIS_HOST", _host),
        redis_port=r.port("REDIS_PORT"),
        redis_db=r.integer("REDIS_DB", 0, "a Redis database number (0 or more)"),
        redis_key_prefix=r.text("REDIS_KEY_PREFIX", _name),
        tls_cert=tls_cert,
        tls_key=tls_key,
        database_url=db or PROD_DATABASE_URL,
        tracker_db_password=r.secret("TRACKER_DB_PASSWORD") or "",
    )


# --- checks: each returns None for a good value, else what was expected ------------------------

Check = Callable[[str], Optional[str]]

_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")


def _host(value: str) -> Optional[str]:
    try:
        ipaddress.ip_address(value)
        return None
    except ValueError:
        return None if _HOST.fullmatch(value) else "not an IP address or host name (e.g. 127.0.0.1)"


def _http_url(value: str) -> Optional[str]:
    url = urlparse(value)
    if url.scheme in ("http", "https") and url.netloc:
        return None
    return "not an http(s) URL (e.g. http://127.0.0.1:5005)"


def _origins(value: str) -> Optional[str]:
    for origin in value.split():
        url = urlparse(origin)
        if origin != "*" and not (url.scheme in ("http", "https") and url.netloc and url.path in ("", "/")):
            return f"not a space-separated list of origins such as http://localhost:8000 ({origin!r} is not one)"
    return None


def _database_url(value: str) -> Optional[str]:
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*(\+[A-Za-z0-9_]+)?://.*", value):
        return None
    return "not an SQLAlchemy database URL (e.g. sqlite:///var/indgang.db or postgresql://user@host/indgang)"


def _timezone(value: str) -> Optional[str]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
        return None
    except (ZoneInfoNotFoundError, ValueError):
        return "not a time zone name (e.g. Europe/Copenhagen)"


def _probability(value: str) -> Optional[str]:
    try:
        p = float(value)
    except ValueError:
        p = -1.0
    return None if 0.0 <= p <= 1.0 else "not a probability between 0 and 1 (empty: the router's own)"


def _choice(enum: type) -> Check:
    names = [m.value for m in enum]
    return lambda value: None if value in names else "not one of: " + ", ".join(names)


def _header(value: str) -> Optional[str]:
    return None if re.fullmatch(r"[A-Za-z0-9-]+", value) else "not an HTTP header name (e.g. X-Remote-User)"


def _items(value: str) -> Tuple[str, ...]:
    """The non-empty items of a comma-separated list."""
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _networks(value: str) -> Optional[str]:
    bad = []
    for net in _items(value):
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            bad.append(net)
    if bad:
        return (f"not a comma-separated list of IP networks (e.g. 127.0.0.1/32,::1/128): "
                f"{', '.join(repr(b) for b in bad)}")
    return None


def _ports(value: str) -> Optional[str]:
    parts = _items(value)
    if parts and all(re.fullmatch(r"[0-9]{1,5}", p) and 1 <= int(p) <= 65535 for p in parts):
        return None
    return "not a comma-separated list of port numbers (1-65535), e.g. 5006,5007"


def _name(value: str) -> Optional[str]:
    return None if _NAME.fullmatch(value) else "not a name of letters, digits, '_', '.' and '-'"


def _shared_secret(value: str) -> Optional[str]:
    if len(value) >= MIN_SECRET_CHARS:
        return None
    return f"{len(value)} characters long: set a random value of at least {MIN_SECRET_CHARS} characters"


def _sqlite_from_root(url: str) -> str:
    """A relative SQLite path (sqlite:///var/x.db) is taken from the project root."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rel = url[len("sqlite:///"):]
        if rel and rel != ":memory:":
            return f"sqlite:///{PROJECT_ROOT / rel}"
    return url


class _Reader:
    """Reads settings from one mapping, collecting every problem instead of stopping at the first."""

    def __init__(self, env: Mapping[str, str]):
        self.env = env
        self.problems: List[str] = []

    def _raw(self, name: str) -> str:
        value = (self.env.get(name) or "").strip()
        return value or DEFAULTS[name]

    def _bad(self, name: str, value: str, expected: str) -> None:
        shown = f"{name} is" if name in SECRETS else f"{name}={value[:80]!r} is"
        self.problems.append(f"{shown} {expected}")

    def text(self, name: str, check: Check) -> str:
        value = self._raw(name)
        problem = check(value) if value else None
        if problem:
            self._bad(name, value, problem)
            return DEFAULTS[name]
        return value

    def secret(self, name: str, check: Optional[Check] = None) -> Optional[str]:
        value = self.env.get(name) or ""  # as given: a secret's spaces are part of it
        if not value.strip():
            return None
        problem = check(value) if check else None
        if problem:
            self._bad(name, value, problem)
        return value

    def optional(self, name: str, check: Check) -> Optional[float]:
        value = self.text(name, check)
        return float(value) if value else None

    def integer(self, name: str, minimum: int, expected: str) -> int:
        value = self._raw(name)
        if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) < minimum:
            self._bad(name, value, f"not {expected}")
            return int(DEFAULTS[name])
        return int(value)

    def port(self, name: str) -> int:
        value = self._raw(name)
        if not re.fullmatch(r"[0-9]{1,5}", value) or not 1 <= int(value) <= 65535:
            self._bad(name, value, "not a port number (1-65535)")
            return int(DEFAULTS[name])
        return int(value)

    def flag(self, name: str) -> bool:
        value = self._raw(name).lower()
        if value in ("1", "true", "yes", "on"):
            return True
        if value not in ("0", "false", "no", "off"):
            self._bad(name, value, "not 1 or 0 (or true/false, yes/no)")
        return False

    def path(self, name: str) -> Path:
        p = Path(self._raw(name))
        return p if p.is_absolute() else PROJECT_ROOT / p

    def optional_path(self, name: str) -> Optional[Path]:
        return self.path(name) if self._raw(name) else None

    def raise_problems(self) -> None:
        if self.problems:
            raise SettingsError(self.problems)
