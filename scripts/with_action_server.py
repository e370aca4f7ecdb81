"""Run a command with the action server up on a free port, then stop the server.

Used by `make test-stories` so conversation tests exercise the real actions.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    port = free_port()
    env = dict(os.environ, ACTIONS_PORT=str(port))
    rasa = str(Path(sys.executable).parent / "rasa")
    server = subprocess.Popen([rasa, "run", "actions", "--port", str(port), "--actions", "actions"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    print("The action server did not start; see `rasa run actions`.", file=sys.stderr)
                    return 1
                time.sleep(0.3)
        return subprocess.call(sys.argv[1:], cwd=ROOT, env=env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
