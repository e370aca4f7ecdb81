"""`make run-prod`: the production layout on one machine.

Starts the action server, two Rasa servers (SQL tracker store in PostgreSQL, lock store in
Redis), the web app and nginx as load balancer in front of them; Ctrl-C stops all. Before
starting anything it checks that PostgreSQL and Redis answer, and stops with a clear error
(not a hang) when they don't.

    python scripts/run_prod.py            # start everything
    python scripts/run_prod.py --check    # only the pre-flight checks

Its settings (ports, PostgreSQL, Redis, TLS, the model) are ``Settings.prod`` and the rest of
bot/settings.py, each in .env.example; a bad one stops it with exit code 2 and a message naming it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings import PROJECT_ROOT as ROOT  # noqa: E402
from bot.settings import ProductionSettings, Settings, SettingsError  # noqa: E402


def tls_blocks(prod: ProductionSettings) -> Dict[str, str]:
    """The nginx lines for TLS: HTTPS with HSTS when TLS_CERT and TLS_KEY are set, else plain HTTP."""
    if not (prod.tls_cert and prod.tls_key):
        return {"tls_listen": "", "tls": ""}
    return {"tls_listen": " ssl",
            "tls": (f"        ssl_certificate {prod.tls_cert};\n        ssl_certificate_key {prod.tls_key};\n"
                    "        ssl_protocols TLSv1.2 TLSv1.3;\n"
                    '        add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;')}


def child_env(settings: Settings) -> Dict[str, str]:
    """The environment of every process of the layout: this one's, with the production values
    endpoints.prod.yml expands (tracker store, lock store, action server) and the web app's view
    of the layout (the first Rasa server for its lookups, the load balancer for the widget)."""
    prod = settings.prod
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": prod.database_url, "ACTION_ENDPOINT_URL": prod.action_endpoint_url,
        "TRACKER_DB_HOST": prod.tracker_db_host, "TRACKER_DB_PORT": str(prod.tracker_db_port),
        "TRACKER_DB_NAME": prod.tracker_db_name, "TRACKER_DB_USER": prod.tracker_db_user,
        "TRACKER_DB_PASSWORD": prod.tracker_db_password, "TRACKER_LOGIN_DB": prod.tracker_login_db,
        "REDIS_HOST": prod.redis_host, "REDIS_PORT": str(prod.redis_port), "REDIS_DB": str(prod.redis_db),
        "REDIS_KEY_PREFIX": prod.redis_key_prefix,
        "RASA_URL": f"http://127.0.0.1:{prod.rasa_ports[0]}",
        "PUBLIC_RASA_URL": settings.rasa.public_url or f"http://localhost:{prod.port}",
    })
    if prod.tls_cert and prod.tls_key:
        env["WEB_SECURE_COOKIE"] = "1"  # staff cookies only over HTTPS
    return env


def check_postgres(host: str, port: int, user: str, password: str, dbname: str) -> str:
    import psycopg2

    try:
        psycopg2.connect(host=host, port=port, user=user, password=password or None, dbname=dbname,
                         connect_timeout=3).close()
    except psycopg2.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return f"PostgreSQL at {host}:{port} (database {dbname!r}, user {user!r}) is not reachable: {first}"
    return ""


def check_redis(host: str, port: int) -> str:
    import redis

    try:
        redis.Redis(host=host, port=port, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis at {host}:{port} is not reachable: {exc}"
    return ""


def ensure_database(prod: ProductionSettings, name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host=prod.tracker_db_host, port=prod.tracker_db_port, user=prod.tracker_db_user,
                            password=prod.tracker_db_password or None, dbname=prod.tracker_login_db, connect_timeout=3)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def preflight(prod: ProductionSettings) -> int:
    problems = [p for p in (
        check_postgres(prod.tracker_db_host, prod.tracker_db_port, prod.tracker_db_user, prod.tracker_db_password,
                       prod.tracker_login_db),
        check_redis(prod.redis_host, prod.redis_port),
    ) if p]
    if shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"):
        problems.append("nginx is not installed: `apt-get install nginx-light` (make run-prod does this as root)")
    for p in problems:
        print(f"run-prod: {p}", file=sys.stderr)
    if problems:
        print("run-prod: nothing was started. Fix the above (see docs/production.md) and try again.", file=sys.stderr)
        return 1
    return 0


def write_configs(settings: Settings) -> Path:
    """nginx.conf and the Procfile of the layout, in PROD_STATE_DIR; returns the Procfile."""
    prod = settings.prod
    state = prod.state_dir
    state.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in prod.rasa_ports)
    template = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
    (state / "nginx.conf").write_text(template.format(var=state, rasa_servers=servers, web_port=settings.web_port,
                                                      listen_port=prod.port, **tls_blocks(prod)),
                                      encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    lines = [f"actions: {ROOT}/.venv/bin/python -m actions.server --host 127.0.0.1 --port {settings.actions_port}"]
    for i, port in enumerate(prod.rasa_ports, 1):
        lines.append(f"rasa{i}: {ROOT}/.venv/bin/python -m rasa_addons.rasa_run run -i 127.0.0.1 --enable-api --port {port} "
                     f"--model {settings.model_path} --endpoints endpoints.prod.yml --credentials credentials.yml")
    lines.append(f"web: {ROOT}/.venv/bin/python -m bot web --host 127.0.0.1 --port {settings.web_port}")
    lines.append(f"nginx: {nginx} -c {state}/nginx.conf -g 'daemon off;'")
    procfile = state / "Procfile"
    procfile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return procfile


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check PostgreSQL, Redis and nginx")
    args = ap.parse_args()
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"run-prod: {exc}", file=sys.stderr)
        return 2
    os.umask(0o077)  # logs, nginx state and the generated Procfile: readable by this user only
    prod = settings.prod
    if preflight(prod):
        return 1
    if args.check:
        print("run-prod: PostgreSQL, Redis and nginx are ready.")
        return 0
    ensure_database(prod, prod.database_url.rsplit("/", 1)[1])
    ensure_database(prod, prod.tracker_db_name)
    if not (prod.tls_cert and prod.tls_key):
        print("run-prod: TLS_CERT/TLS_KEY not set — serving plain HTTP (for a trial on this machine only).",
              file=sys.stderr)
    env = child_env(settings)
    rc = subprocess.call([sys.executable, "-m", "bot", "catalog", "import"], cwd=ROOT, env=env)
    if rc:
        return rc
    procfile = write_configs(settings)
    ports = ",".join(str(p) for p in prod.rasa_ports)
    print(f"\n  Load balancer (widget demo, staff, chat webhook): http://localhost:{prod.port}/\n"
          f"  Rasa servers: {ports} (tracker store: PostgreSQL {prod.tracker_db_name}, lock store: Redis)\n",
          flush=True)
    return subprocess.call([str(ROOT / ".venv" / "bin" / "honcho"), "-f", str(procfile), "-d", str(ROOT), "start"],
                           cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
