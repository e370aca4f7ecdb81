"""Reply time at the start and the end of one long conversation, and other users' meanwhile.

    .venv/bin/python scripts/long_conversation.py 400

Starts an action server and a Rasa server (SQL tracker store in a temporary SQLite file) with the
per-conversation rate limit lifted, sends N messages in one conversation, prints the medians.
"""
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import ROOT, actions_cmd, base_env, free_port, rasa_cmd, running, write_endpoints  # noqa: E402

tmp = Path(tempfile.mkdtemp(prefix="indgang-long-"))
a, r = free_port(), free_port()
endpoints = write_endpoints(tmp / "endpoints.yml", a, tracker_db=tmp / "tracker.db")
env = base_env(ACTIONS_PORT=str(a), RASA_TOKEN="t", CHAT_MESSAGES_PER_MINUTE="100000",
               ACTION_SECRET=os.environ.get("ACTION_SECRET") or secrets.token_hex(16))
msgs = ["vi skal have en gravetilladelse", "hvad koster det", "ja", "hvor lang tid tager det", "tak"]
with running(actions_cmd(a), env, f"http://127.0.0.1:{a}/health", tmp / "a.log"), \
     running(rasa_cmd(r, ROOT / "models/indgang.tar.gz", endpoints), env, f"http://127.0.0.1:{r}/status?token=t", tmp / "r.log", timeout=180):
    url = f"http://127.0.0.1:{r}/webhooks/chat/webhook"
    times = []
    for i in range(int(sys.argv[1])):
        t = time.perf_counter()
        requests.post(url, json={"sender": "long", "message": msgs[i % len(msgs)]}, timeout=60).raise_for_status()
        times.append((time.perf_counter() - t) * 1000)
    # another user meanwhile
    other = []
    for i in range(10):
        t = time.perf_counter(); requests.post(url, json={"sender": f"o{i}", "message": msgs[0]}, timeout=60); other.append((time.perf_counter() - t) * 1000)
print("first 10 median ms", statistics.median(times[:10]), "last 10 median ms", statistics.median(times[-10:]), "other users", statistics.median(other))
