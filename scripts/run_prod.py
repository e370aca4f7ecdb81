"""`make run-prod`: the production layout on one machine.

Starts the action server, two Rasa servers (SQL tracker store in PostgreSQL, lock store in
Redis), the web app and nginx as load balancer in front of them; Ctrl-C stops all. Before
starting anything it checks that PostgreSQL and Redis answer, and stops with a clear error
(not a hang) when they don't.

    python scripts/run_prod.py            # start everything
    python scripts/run_prod.py --check    # only the pre-flight checks
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("PROD_STATE_DIR") or ROOT / "var" / "prod")  # nginx config, pid, logs, Procfile

DEFAULTS = {
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/indgang",
    "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": "5432", "TRACKER_DB_NAME": "indgang_tracker",
    "TRACKER_DB_USER": "postgres", "TRACKER_DB_PASSWORD": "", "TRACKER_LOGIN_DB": "test",
    "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": "1", "REDIS_KEY_PREFIX": "indgang",
    "PROD_PORT": "8080", "RASA_PORTS": "5006,5007", "ACTIONS_PORT": "5055", "WEB_PORT": "8000",
    "MODEL": "models/indgang.tar.gz",
    "TLS_CERT": "", "TLS_KEY": "",  # certificate and key files: with both, nginx speaks HTTPS only (+ HSTS)
}


def tls_blocks(env: Dict[str, str]) -> Dict[str, str]:
    """The nginx lines for TLS: HTTPS with HSTS when TLS_CERT and TLS_KEY are set, else plain HTTP."""
    if not (env.get("TLS_CERT") and env.get("TLS_KEY")):
        return {"tls_listen": "", "tls": ""}
    return {"tls_listen": " ssl",
            "tls": (f"        ssl_certificate {env['TLS_CERT']};\n        ssl_certificate_key {env['TLS_KEY']};\n"
                    "        ssl_protocols TLSv1.2 TLSv1.3;\n"
                    '        add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;')}


def settings() -> Dict[str, str]:
    env = {k: os.environ.get(k) or v for k, v in DEFAULTS.items()}
    env["ACTION_ENDPOINT_URL"] = os.environ.get("ACTION_ENDPOINT_URL") or f"http://127.0.0.1:{env['ACTIONS_PORT']}/webhook"
    return env


def check_postgres(host: str, port: str, user: str, password: str, dbname: str) -> str:
    import psycopg2

    try:
        psycopg2.connect(host=host, port=int(port), user=user, password=password or None, dbname=dbname,
                         connect_timeout=3).close()
    except psycopg2.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return f"PostgreSQL at {host}:{port} (database {dbname!r}, user {user!r}) is not reachable: {first}"
    return ""


def check_redis(host: str, port: str) -> str:
    import redis

    try:
        redis.Redis(host=host, port=int(port), socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis at {host}:{port} is not reachable: {exc}"
    return ""


def ensure_database(env: Dict[str, str], name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host=env["TRACKER_DB_HOST"], port=int(env["TRACKER_DB_PORT"]), user=env["TRACKER_DB_USER"],
                            password=env["TRACKER_DB_PASSWORD"] or None, dbname=env["TRACKER_LOGIN_DB"], connect_timeout=3)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def preflight(env: Dict[str, str]) -> int:
    problems = [p for p in (
        check_postgres(env["TRACKER_DB_HOST"], env["TRACKER_DB_PORT"], env["TRACKER_DB_USER"],
                       env["TRACKER_DB_PASSWORD"], env["TRACKER_LOGIN_DB"]),
        check_redis(env["REDIS_HOST"], env["REDIS_PORT"]),
    ) if p]
    if shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"):
        problems.append("nginx is not installed: `apt-get install nginx-light` (make run-prod does this as root)")
    for p in problems:
        print(f"run-prod: {p}", file=sys.stderr)
    if problems:
        print("run-prod: nothing was started. Fix the above (see docs/production.md) and try again.", file=sys.stderr)
        return 1
    return 0


def write_configs(env: Dict[str, str]) -> Path:
    VAR.mkdir(parents=True, exist_ok=True)
    rasa_ports = [p.strip() for p in env["RASA_PORTS"].split(",") if p.strip()]
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in rasa_ports)
    template = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
    (VAR / "nginx.conf").write_text(template.format(var=VAR, rasa_servers=servers, web_port=env["WEB_PORT"],
                                                    listen_port=env["PROD_PORT"], **tls_blocks(env)),
                                    encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    lines = [f"actions: {ROOT}/.venv/bin/python -m actions.server --host 127.0.0.1 --port {env['ACTIONS_PORT']}"]
    for i, port in enumerate(rasa_ports, 1):
        lines.append(f"rasa{i}: {ROOT}/.venv/bin/python -m rasa_addons.rasa_run run -i 127.0.0.1 --enable-api --port {port} "
                     f"--model {env['MODEL']} --endpoints endpoints.prod.yml --credentials credentials.yml")
    lines.append(f"web: {ROOT}/.venv/bin/python -m bot web --host 127.0.0.1 --port {env['WEB_PORT']}")
    lines.append(f"nginx: {nginx} -c {VAR}/nginx.conf -g 'daemon off;'")
    procfile = VAR / "Procfile"
    procfile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return procfile


def main() -> int:
    os.umask(0o077)  # logs, nginx state and the generated Procfile: readable by this user only
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check PostgreSQL, Redis and nginx")
    args = ap.parse_args()
    env = settings()
    if preflight(env):
        return 1
    if args.check:
        print("run-prod: PostgreSQL, Redis and nginx are ready.")
        return 0
    ensure_database(env, env["DATABASE_URL"].rsplit("/", 1)[1])
    ensure_database(env, env["TRACKER_DB_NAME"])
    full_env = dict(os.environ, **env)
    if env.get("TLS_CERT") and env.get("TLS_KEY"):
        full_env["WEB_SECURE_COOKIE"] = "1"  # staff cookies only over HTTPS
    else:
        print("run-prod: TLS_CERT/TLS_KEY not set — serving plain HTTP (for a trial on this machine only).",
              file=sys.stderr)
    full_env["RASA_URL"] = f"http://127.0.0.1:{env['RASA_PORTS'].split(',')[0].strip()}"
    full_env.setdefault("PUBLIC_RASA_URL", f"http://localhost:{env['PROD_PORT']}")
    rc = subprocess.call([sys.executable, "-m", "bot", "catalog", "import"], cwd=ROOT, env=full_env)
    if rc:
        return rc
    procfile = write_configs(env)
    print(f"\n  Load balancer (widget demo, staff, chat webhook): http://localhost:{env['PROD_PORT']}/\n"
          f"  Rasa servers: {env['RASA_PORTS']} (tracker store: PostgreSQL {env['TRACKER_DB_NAME']}, lock store: Redis)\n",
          flush=True)
    return subprocess.call([str(ROOT / ".venv" / "bin" / "honcho"), "-f", str(procfile), "-d", str(ROOT), "start"],
                           cwd=ROOT, env=full_env)


if __name__ == "__main__":
    sys.exit(main())
