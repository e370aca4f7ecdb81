"""Staff login: accounts with scrypt-hashed passwords in a YAML file, or a header set by the
municipality's reverse proxy. Sessions are HMAC-signed cookies carrying a session id; a session
ends at logout (its id is kept until expiry: bot/web/sessions.py) and when its account is
removed from the users file. Times are passed in.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Optional, Sequence, Tuple

import yaml

COOKIE = "indgang_staff"
SESSION_SECONDS = 10 * 3600
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    """'scrypt$<salt>$<hash>' (hashlib.scrypt, standard library)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "scrypt${}${}".format(base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt_b64, hash_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt_b64), n=_N, r=_R, p=_P, dklen=32)
    return hmac.compare_digest(digest, base64.b64decode(hash_b64))


def load_users(path: Path) -> Dict[str, str]:
    """{username: hash} from the users file; an absent file means no accounts."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    users = data.get("users") or {}
    if not isinstance(users, dict):
        raise ValueError(f"{path}: 'users' must map usernames to password hashes")
    return {str(k): str(v) for k, v in users.items()}


def add_user(path: Path, username: str, password: str) -> None:
    users = load_users(path)
    users[username] = hash_password(password)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"users": users}, sort_keys=True), encoding="utf-8")
    os.chmod(path, 0o600)


@dataclass(frozen=True)
class AuthConfig:
    mode: str                     # "accounts" or "proxy"
    users_file: Path
    secret: bytes
    proxy_header: str = "X-Remote-User"
    trusted_proxies: Sequence[str] = ("127.0.0.1/32", "::1/128")
    secure_cookie: bool = False


class StaffAuth:
    def __init__(self, config: AuthConfig, ended: Callable[[str], bool] = lambda sid: False):
        self.config = config
        self._nets = [ipaddress.ip_network(n, strict=False) for n in config.trusted_proxies]
        self._ended = ended  # has this session id been ended (logout)?
        self._users: Tuple[float, Dict[str, str]] = (-1.0, {})

    def _accounts(self) -> Dict[str, str]:
        """The users file, read again only when it changes (a removed account ends its sessions)."""
        try:
            mtime = self.config.users_file.stat().st_mtime
        except OSError:
            return {}
        if mtime != self._users[0]:
            self._users = (mtime, load_users(self.config.users_file))
        return self._users[1]

    def check_password(self, username: str, password: str) -> bool:
        stored = self._accounts().get(username)
        if stored is None:
            hash_password(password)  # same work either way: no user enumeration by timing
            return False
        return verify_password(password, stored)

    def make_cookie(self, username: str, now: float) -> str:
        expires = int(now + SESSION_SECONDS)
        payload = f"{username}|{expires}|{secrets.token_hex(16)}"
        sig = hmac.new(self.config.secret, payload.encode(), hashlib.sha256).hexdigest()
        return base64.urlsafe_b64encode(f"{payload}|{sig}".encode()).decode()

    def session(self, value: Optional[str], now: float) -> Optional[Tuple[str, str, int]]:
        """(username, session id, expiry) of a genuine, unexpired cookie; None for anything else."""
        if not value or len(value) > 1024:
            return None
        try:
            username, expires, sid, sig = base64.urlsafe_b64decode(value.encode()).decode().rsplit("|", 3)
            expiry = int(expires)
        except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError
            return None
        good = hmac.new(self.config.secret, f"{username}|{expires}|{sid}".encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(good, sig) or expiry < now:
            return None
        return username, sid, expiry

    def user_from_cookie(self, value: Optional[str], now: float) -> Optional[str]:
        found = self.session(value, now)
        if found is None:
            return None
        username, sid, _expiry = found
        if self.config.mode == "accounts" and username not in self._accounts():
            return None  # the account was removed
        if self._ended(sid):
            return None  # logged out
        return username

    def user_from_proxy(self, headers, remote_ip: str) -> Optional[str]:
        """Trust the proxy's user header only when the request really comes from the proxy."""
        if self.config.mode != "proxy":
            return None
        try:
            ip = ipaddress.ip_address(remote_ip)
        except ValueError:
            return None
        if not any(ip in net for net in self._nets):
            return None
        user = headers.get(self.config.proxy_header)
        return user.strip() if user and user.strip() else None
