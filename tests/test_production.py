"""The production layout against the real PostgreSQL and Redis services: two Rasa servers
sharing conversations, a server killed mid-conversation, the action server down, and
PostgreSQL unavailable at start. Skipped, with the reason, only where a service is absent.
"""
from __future__ import annotations
from tests.conftest import IMPORTED

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.conftest import create_pg_database, drop_pg_database, pg_available
from tests.servers import ROOT, actions_cmd, base_env, free_port, rasa_cmd, wait_for

pytestmark = pytest.mark.model
MODEL = ROOT / "models" / "indgang.tar.gz"
TOKEN = "prod-test-token"


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping())
    except Exception:
        return False


def start(cmd, env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train` (make test does)")
    if not pg_available():
        pytest.skip("PostgreSQL is not running at 127.0.0.1:5432")
    if not redis_available():
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    from bot.catalog.importer import import_catalog

    tmp = tmp_path_factory.mktemp("prod")
    catalog_url = create_pg_database("indgang_cat")
    tracker_url = create_pg_database("indgang_trk")
    import_catalog(catalog_url, ROOT / "catalog_data", IMPORTED)
    a_port, r1, r2 = free_port(), free_port(), free_port()
    env = base_env(DATABASE_URL=catalog_url, ACTION_ENDPOINT_URL=f"http://127.0.0.1:{a_port}/webhook",
                   TRACKER_DB_HOST="127.0.0.1", TRACKER_DB_PORT="5432", TRACKER_DB_NAME=tracker_url.rsplit("/", 1)[1],
                   TRACKER_DB_USER="postgres", TRACKER_DB_PASSWORD="", TRACKER_LOGIN_DB="test",
                   REDIS_HOST="127.0.0.1", REDIS_PORT="6379", REDIS_DB="1",
                   REDIS_KEY_PREFIX=f"test{uuid.uuid4().hex[:8]}", RASA_TOKEN=TOKEN)
    endpoints = ROOT / "endpoints.prod.yml"
    procs = {"actions": start(actions_cmd(a_port), env, tmp / "actions.log"),
             "a": start(rasa_cmd(r1, MODEL, endpoints), env, tmp / "rasa-a.log"),
             "b": start(rasa_cmd(r2, MODEL, endpoints), env, tmp / "rasa-b.log")}
    try:
        wait_for(f"http://127.0.0.1:{a_port}/health", procs["actions"], 60, tmp / "actions.log")
        wait_for(f"http://127.0.0.1:{r1}/status?token={TOKEN}", procs["a"], 240, tmp / "rasa-a.log")
        wait_for(f"http://127.0.0.1:{r2}/status?token={TOKEN}", procs["b"], 240, tmp / "rasa-b.log")
        yield {"a": f"http://127.0.0.1:{r1}", "b": f"http://127.0.0.1:{r2}", "procs": procs,
               "actions": f"http://127.0.0.1:{a_port}", "ports": {"actions": a_port, "a": r1, "b": r2}}
    finally:
        for p in procs.values():
            stop(p)
        drop_pg_database(catalog_url)
        drop_pg_database(tracker_url)


def say(server: str, sender: str, text: str):
    r = requests.post(f"{server}/webhooks/chat/webhook", json={"sender": sender, "message": text}, timeout=30)
    r.raise_for_status()
    return r.json()


def texts(messages) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def user_texts(server: str, sender: str):
    tracker = requests.get(f"{server}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=10).json()
    return [e.get("text") for e in tracker["events"] if e.get("event") == "user"]


def test_conversation_alternates_between_two_rasa_servers(prod):
    sender = f"alt-{uuid.uuid4().hex[:8]}"
    first = say(prod["a"], sender, "vi vil gerne stille borde og stole ud på fortovet foran caféen")
    assert any((m.get("custom") or {}).get("kind") == "route" for m in first)
    assert "Fik du svar" in texts(first)
    # the answer to "Fik du svar?" goes to the other server, which must know the question was asked
    second = say(prod["b"], sender, "ja")
    assert "Godt!" in texts(second)
    third = say(prod["a"], sender, "tak for hjælpen")
    assert "72 57 88 10" in texts(third)
    assert user_texts(prod["b"], sender)[-3:] == ["vi vil gerne stille borde og stole ud på fortovet foran caféen",
                                                   "ja", "tak for hjælpen"]


def test_a_rasa_server_killed_mid_conversation_loses_nothing(prod):
    sender = f"kill-{uuid.uuid4().hex[:8]}"
    say(prod["a"], sender, "vi skal grave et kabel ned i vejen")
    stop(prod["procs"]["a"], signal.SIGKILL)
    reply = say(prod["b"], sender, "nej")  # answering "Fik du svar?" on the surviving server
    assert "72 57 88 10" in texts(reply)
    assert user_texts(prod["b"], sender)[-2:] == ["vi skal grave et kabel ned i vejen", "nej"]


def test_cpr_numbers_are_not_stored(prod):
    sender = f"cpr-{uuid.uuid4().hex[:8]}"
    say(prod["b"], sender, "mit cpr nummer er 010203-1234, kan I hjælpe med gravetilladelse")
    stored = " ".join(t or "" for t in user_texts(prod["b"], sender))
    assert "010203-1234" not in stored and "cpr-nummer fjernet" in stored


def listening_addresses(port: int) -> set:
    """The local addresses a TCP port listens on, from /proc/net/tcp and tcp6 (Linux)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_api_token_is_not_in_the_process_list(prod):
    """Rasa's token comes from the environment (rasa_addons/rasa_run.py): other local users, who
    can read every process's command line, cannot read it; the API still requires it."""
    for name in ("a", "b"):
        proc = prod["procs"][name]
        if proc.poll() is None:
            assert TOKEN not in Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode(errors="replace")
    assert requests.get(f"{prod['b']}/conversations/x/tracker", timeout=10).status_code == 401
    assert requests.get(f"{prod['b']}/conversations/x/tracker", params={"token": TOKEN}, timeout=10).status_code == 200


def test_servers_are_closed_by_default(prod):
    """Every server of the production layout listens on loopback only, and the action server
    runs nothing for a caller without the shared secret (a forged conversation)."""
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
    alive = {name: port for name, port in prod["ports"].items() if prod["procs"][name].poll() is None}
    assert "actions" in alive and len(alive) >= 2  # (an earlier test kills server a)
    for name, port in alive.items():
        addresses = listening_addresses(port)
        assert addresses and addresses <= loopback, (name, port, addresses)
    forged = {"next_action": "action_route_enquiry", "sender_id": "x", "version": "3.6.2",
              "tracker": {"sender_id": "x", "slots": {}, "latest_message": {"text": "gravetilladelse"}, "events": []},
              "domain": {}}
    refused = requests.post(prod["actions"] + "/webhook", json=forged, timeout=10)
    assert refused.status_code == 401 and "events" not in refused.text
    assert requests.get(prod["actions"] + "/actions", timeout=10).status_code == 401
    assert requests.get(prod["actions"] + "/health", timeout=10).status_code == 200


def test_action_server_down_still_answers_with_the_one_entrance_phone(prod):
    stop(prod["procs"]["actions"])
    reply = say(prod["b"], f"down-{uuid.uuid4().hex[:8]}", "gravetilladelse")
    assert reply and "72 57 88 10" in texts(reply)


def test_postgres_unavailable_at_start_is_a_clear_error_not_a_hang():
    env = dict(os.environ, TRACKER_DB_PORT="1", DATABASE_URL="postgresql://postgres@127.0.0.1:1/x")
    started = time.monotonic()
    run = subprocess.run([sys.executable, "scripts/run_prod.py", "--check"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "PostgreSQL at 127.0.0.1:1" in run.stderr and "nothing was started" in run.stderr
    assert time.monotonic() - started < 20
    imp = subprocess.run([sys.executable, "-m", "bot", "catalog", "import"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert imp.returncode == 1 and "Cannot reach the catalogue database" in imp.stderr


@pytest.mark.parametrize("tls", [False, True])
def test_the_nginx_configuration_is_valid_and_speaks_tls_with_hsts_when_configured(tmp_path, monkeypatch, tls):
    """The generated load-balancer configuration: rate limits on the chat and the staff login,
    HTTPS with HSTS when TLS_CERT and TLS_KEY are set; `nginx -t` accepts it (when nginx is here)."""
    import shutil as sh

    from bot.settings import Settings

    monkeypatch.setenv("PROD_STATE_DIR", str(tmp_path / "prod"))
    monkeypatch.delenv("TLS_CERT", raising=False)
    monkeypatch.delenv("TLS_KEY", raising=False)
    sys.path.insert(0, str(ROOT / "scripts"))
    import run_prod

    if tls:
        cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                        "-days", "2", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
        monkeypatch.setenv("TLS_CERT", str(cert))
        monkeypatch.setenv("TLS_KEY", str(key))
    run_prod.write_configs(Settings.from_env())
    conf = (tmp_path / "prod" / "nginx.conf").read_text()
    assert "limit_req zone=chat" in conf and "limit_req zone=staff_login" in conf
    assert ("Strict-Transport-Security" in conf and " ssl;" in conf) == tls
    nginx = sh.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        check = subprocess.run([nginx, "-t", "-c", str(tmp_path / "prod" / "nginx.conf")], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
