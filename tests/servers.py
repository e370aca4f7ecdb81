"""Start real servers on free loopback ports for web and browser tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server for {url} exited early; log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server for {url} did not answer within {timeout}s; log:\n{log.read_text()[-3000:]}")


@contextmanager
def running(cmd: List[str], env: Dict[str, str], health_url: str, log: Path, timeout: float = 90) -> Iterator[None]:
    with log.open("w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
        try:
            wait_for(health_url, proc, timeout, log)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def base_env(**extra: str) -> Dict[str, str]:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"})
    env.update(extra)
    return env


def web_cmd(port: int) -> List[str]:
    return [str(BIN / "python"), "-m", "bot", "web", "--port", str(port)]


def actions_cmd(port: int) -> List[str]:
    return [str(BIN / "python"), "-m", "actions.server", "--port", str(port)]


def write_endpoints(path: Path, actions_port: int, tracker_db: Optional[Path] = None) -> Path:
    """An endpoints file with the action endpoint of endpoints.yml (its settings, this run's
    port) and Rasa's in-memory tracker store — or, given ``tracker_db``, its SQL tracker store in
    that SQLite file: for a test, benchmark or measuring server."""
    import yaml

    ours = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))["action_endpoint"]
    config: Dict[str, Any] = {"action_endpoint": dict(ours, url=f"http://127.0.0.1:{actions_port}/webhook")}
    if tracker_db is not None:
        config["tracker_store"] = {"type": "SQL", "dialect": "sqlite", "db": str(tracker_db)}
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def rasa_cmd(port: int, model: Path, endpoints: Path) -> List[str]:
    """A Rasa server on loopback; its API token comes from RASA_TOKEN in the environment (rasa_addons/rasa_run.py)."""
    return [str(BIN / "python"), "-m", "rasa_addons.rasa_run", "run", "-i", "127.0.0.1", "--enable-api", "--cors", "*",
            "--port", str(port),
            "--model", str(model), "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")]
