"""Scripted traffic for the report: real conversations through the real servers, spread over weeks.

    .venv/bin/python scripts/simulate_traffic.py --out docs/report

Plays the scripted conversations (tests/data/conversations.yml) and the development sets'
enquiries (tests/data/eval_enquiries.yml, dev_fresh.yml) as one-question conversations that
answer "Fik du svar?" with yes or no, through an action server and a Rasa server with an SQL
tracker store (temporary SQLite files). Rasa stamps every event with the time it happened, so
to show weeks and hours the script then moves each conversation, whole, to a random weekday
time in the last eight weeks (the feedback rows likewise) — the conversations themselves are
real runs. Then `python -m bot report` writes the report from those databases. Never the locked
test set.
"""
from __future__ import annotations

import argparse
import random
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import ROOT, actions_cmd, base_env, free_port, rasa_cmd, running, write_endpoints  # noqa: E402

HOURS = [7, 8, 9, 9, 10, 10, 10, 11, 11, 12, 13, 13, 14, 14, 15, 16, 17, 19, 20, 21, 22]  # when businesses write


def conversations(limit_single: int) -> list:
    data = yaml.safe_load((ROOT / "tests/data/conversations.yml").read_text(encoding="utf-8"))["conversations"]
    scripted = [[t["user"] for t in c["turns"]] for c in data]
    singles = []
    for name in ("eval_enquiries.yml", "dev_fresh.yml"):
        for i, e in enumerate(yaml.safe_load((ROOT / "tests/data" / name).read_text(encoding="utf-8"))["enquiries"]):
            singles.append([e["text"], "ja" if i % 4 else "nej"])
    random.Random(7).shuffle(singles)
    return scripted + singles[:limit_single]


def spread(tracker_db: Path, catalog_db: Path, now: datetime, seed: int = 7) -> None:
    """Move each conversation (and each feedback row) to a random weekday time in the last 8 weeks."""
    rnd = random.Random(seed)

    local_now = now.astimezone(ZoneInfo("Europe/Copenhagen"))

    def moment() -> datetime:
        day = local_now - timedelta(days=rnd.randint(1, 56))
        while day.weekday() >= 5 and rnd.random() < 0.85:  # mostly weekdays
            day -= timedelta(days=1)
        return day.replace(hour=rnd.choice(HOURS), minute=rnd.randint(0, 59), second=0, microsecond=0)

    with sqlite3.connect(tracker_db) as db:
        for (sender,) in db.execute("SELECT DISTINCT sender_id FROM events").fetchall():
            first = db.execute("SELECT MIN(timestamp) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]
            shift = moment().timestamp() - first
            db.execute("UPDATE events SET timestamp = timestamp + ? WHERE sender_id = ?", (shift, sender))
    with sqlite3.connect(catalog_db) as db:
        for (row_id,) in db.execute("SELECT id FROM answer_feedback").fetchall():
            db.execute("UPDATE answer_feedback SET received_at = ? WHERE id = ?",
                       (moment().astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.000000"), row_id))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "report"))
    ap.add_argument("--singles", type=int, default=150, help="one-question conversations beside the scripted ones")
    args = ap.parse_args()
    from bot.catalog.importer import import_catalog

    work = Path(tempfile.mkdtemp(prefix="indgang-traffic-"))
    catalog = f"sqlite:///{work / 'catalog.db'}"
    import_catalog(catalog, ROOT / "catalog_data", datetime.now(timezone.utc))
    a_port, r_port, token = free_port(), free_port(), secrets.token_hex(8)
    endpoints = write_endpoints(work / "endpoints.yml", a_port, tracker_db=work / "tracker.db")
    env = base_env(DATABASE_URL=catalog, ACTIONS_PORT=str(a_port), RASA_TOKEN=token, CHAT_MESSAGES_PER_MINUTE="100000",
                   ACTION_SECRET=secrets.token_hex(16))
    played = conversations(args.singles)
    with running(actions_cmd(a_port), env, f"http://127.0.0.1:{a_port}/health", work / "actions.log"), \
            running(rasa_cmd(r_port, ROOT / "models/indgang.tar.gz", endpoints), env,
                    f"http://127.0.0.1:{r_port}/status?token={token}", work / "rasa.log", timeout=180):
        url = f"http://127.0.0.1:{r_port}/webhooks/chat/webhook"
        for turns in played:
            sender = uuid.uuid4().hex
            for message in turns:
                requests.post(url, json={"sender": sender, "message": message}, timeout=60).raise_for_status()
    now = datetime.now(timezone.utc)
    spread(work / "tracker.db", work / "catalog.db", now)
    print(f"{len(played)} conversations played; writing the report", flush=True)
    since = (now - timedelta(days=57)).date().isoformat()
    return subprocess.call([sys.executable, "-m", "bot", "report", "--since", since, "--out", args.out,
                            "--tracker-url", f"sqlite:///{work / 'tracker.db'}"], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
