"""`make bench`: training time, cold start, memory, message round trips and staff lookups,
for our configuration and the stock Rasa configuration in the same run. Writes
docs/benchmarks.md. Reports only; nothing here passes or fails.

    python -m bench                 # full run (the stock baseline trains 100 epochs: slow on 2 cores)
    python -m bench --quick         # stock baseline with fewer epochs (its training time is then scaled up)
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.request
import json
from datetime import datetime
from pathlib import Path
from typing import Dict, List

import yaml

from bench.load import MESSAGES_PER_CONVERSATION, load
from bench.lookup import staff_lookup_figures
from tests.servers import ROOT, actions_cmd, base_env, free_port, write_endpoints

WORK = ROOT / "var" / "bench"


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def train(name: str, config: Path, env: Dict[str, str]) -> float:
    cache = WORK / f"cache-{name}"
    shutil.rmtree(cache, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/rasa"), "train", "--config", str(config), "--data", "nlu_data",
                    "--domain", "domain.yml", "--out", str(WORK / "models"), "--fixed-model-name", name],
                   cwd=ROOT, env=dict(env, RASA_CACHE_DIRECTORY=str(cache)), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def first_answer(url: str, proc: subprocess.Popen, started: float, timeout: float = 300, channel: str = "chat") -> float:
    body = json.dumps({"sender": "coldstart", "message": "hej"}).encode()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError("server exited during start")
        try:
            req = urllib.request.Request(url + f"/webhooks/{channel}/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=5) as resp:
                if json.loads(resp.read()):
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("Rasa server gave no answer in time")


# Ours: the chat channel (CPR redaction, fallback answer, rasa_addons.server_speedups) and
# the action endpoint of endpoints.yml. Stock: Rasa's own REST channel and a plain endpoint.
CHANNELS = {"indgang": "chat", "stock": "rest"}


def server_files(name: str, a_port: int):
    """(credentials, endpoints) for one of the two servers."""
    if name == "indgang":
        return ROOT / "credentials.yml", write_endpoints(WORK / "endpoints-indgang.yml", a_port)
    credentials, endpoints = WORK / "credentials-stock.yml", WORK / "endpoints-stock.yml"
    credentials.write_text("rest:\n")
    endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:{a_port}/webhook\n")
    return credentials, endpoints


def run_loads(url: str, channel: str) -> Dict[str, object]:
    figures: Dict[str, object] = {}
    load(url, 1, 10, channel)  # warm-up
    figures["sequential"] = load(url, 1, 100, channel)
    figures["c20"] = load(url, 20, 10, channel)
    figures["c50"] = load(url, 50, 6, channel)
    figures["sustained"] = load(url, 20, 25, channel)
    return figures


def measure(name: str, model: Path, env: Dict[str, str], actions_pid: int, a_port: int) -> Dict[str, object]:
    port = free_port()
    channel = CHANNELS[name]
    credentials, endpoints = server_files(name, a_port)
    log = (WORK / f"rasa-{name}.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / ".venv/bin/rasa"), "run", "--enable-api", "--auth-token", "bench",
                             "--port", str(port), "--model", str(model),
                             "--endpoints", str(endpoints), "--credentials", str(credentials)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        cold = first_answer(url, proc, started, channel=channel)
        figures: Dict[str, object] = {"cold_start_s": cold}
        figures.update(run_loads(url, channel))
        figures["rss_rasa_mb"] = rss_mb(proc.pid)
        figures["rss_actions_mb"] = rss_mb(actions_pid)
        if name == "indgang":
            figures["staff_http"] = staff_http(url, env)
        return figures
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def staff_http(rasa_url: str, env: Dict[str, str]) -> Dict[str, float]:
    """The staff page's lookup over HTTP, as the page calls it (web app → Rasa parse → router)."""
    import requests

    from bot.web.auth import add_user
    from tests.servers import running, web_cmd

    users = WORK / "staff_users.yml"
    add_user(users, "bench", "bench-password")
    port = free_port()
    web_env = dict(env, RASA_URL=rasa_url, RASA_TOKEN="bench", STAFF_USERS_FILE=str(users), WEB_SECRET="bench")
    with running(web_cmd(port), web_env, f"http://127.0.0.1:{port}/health", WORK / "web.log"):
        s = requests.Session()
        s.post(f"http://127.0.0.1:{port}/staff/login", data={"username": "bench", "password": "bench-password"})
        from bench.lookup import QUERIES

        server, client = [], []
        for _ in range(8):
            for q in QUERIES:
                t = time.perf_counter()
                body = s.get(f"http://127.0.0.1:{port}/api/staff/lookup", params={"q": q}).json()
                client.append((time.perf_counter() - t) * 1000)
                server.append(body["took_ms"])
    pct = lambda xs, q: sorted(xs)[min(len(xs) - 1, int(q * len(xs)))]  # noqa: E731
    return {"server_p50": pct(server, 0.5), "server_p95": pct(server, 0.95),
            "client_p50": pct(client, 0.5), "client_p95": pct(client, 0.95)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="train the stock baseline with --baseline-epochs epochs")
    ap.add_argument("--baseline-epochs", type=int, default=10)
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    env = base_env()
    db = env.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'indgang.db'}"
    env["DATABASE_URL"] = db

    stock_cfg = ROOT / "bench" / "stock_config.yml"
    epochs_note = "100 epochs (defaults)"
    if args.quick:
        cfg = yaml.safe_load(stock_cfg.read_text())
        for part in cfg["pipeline"] + cfg["policies"]:
            if "epochs" in part:
                part["epochs"] = args.baseline_epochs
        stock_cfg = WORK / "stock_quick.yml"
        stock_cfg.write_text(yaml.safe_dump(cfg))
        epochs_note = f"{args.baseline_epochs} epochs, training time scaled ×{100 / args.baseline_epochs:g} to 100"

    a_port = free_port()
    results = {}
    for name, cfg in (("indgang", ROOT / "config.yml"), ("stock", stock_cfg)):
        print(f"[bench] training {name} …", flush=True)
        seconds = train(name, cfg, env)
        if name == "stock" and args.quick:
            seconds *= 100 / args.baseline_epochs
        actions = subprocess.Popen(actions_cmd(a_port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.STDOUT)
        try:
            time.sleep(3)
            print(f"[bench] serving {name} …", flush=True)
            results[name] = measure(name, WORK / "models" / f"{name}.tar.gz", env, actions.pid, a_port)
            results[name]["train_s"] = seconds
        finally:
            actions.terminate()
            actions.wait(timeout=30)
    print("[bench] production layout (make run-prod) …", flush=True)
    prod = measure_prod(WORK / "models" / "indgang.tar.gz", env)
    print("[bench] staff lookups …", flush=True)
    lookups = staff_lookup_figures(ROOT / "catalog_data", WORK)
    write_report(Path(args.out), results, prod, lookups, epochs_note)
    print(Path(args.out).read_text())
    return 0


def measure_prod(model: Path, env: Dict[str, str]) -> Dict[str, object]:
    """The layout of `make run-prod` (scripts/run_prod.py): action server, two Rasa servers
    with the PostgreSQL tracker store and Redis lock store, nginx in front; separate databases
    and Redis keys from a running `make run-prod`."""
    import signal

    rasa_ports = [free_port(), free_port()]
    prod_env = dict(env, PROD_PORT=str(free_port()), RASA_PORTS=",".join(map(str, rasa_ports)),
                    ACTIONS_PORT=str(free_port()), WEB_PORT=str(free_port()), MODEL_PATH=str(model), RASA_TOKEN="bench",
                    DATABASE_URL="postgresql://postgres@127.0.0.1:5432/indgang_bench",
                    TRACKER_DB_NAME="indgang_bench_tracker", REDIS_DB="2", REDIS_KEY_PREFIX="indgang-bench",
                    PROD_STATE_DIR=str(WORK / "prod"))
    check = subprocess.run([sys.executable, "scripts/run_prod.py", "--check"], cwd=ROOT, env=prod_env,
                           capture_output=True, text=True)
    if check.returncode:
        return {"skipped": (check.stderr.strip().splitlines() or ["pre-flight check failed"])[0]}
    log = (WORK / "prod.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "scripts/run_prod.py"], cwd=ROOT, env=prod_env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{prod_env['PROD_PORT']}"
    try:
        first_answer(url, proc, started)
        for port in rasa_ports:  # both Rasa servers up (nginx answers as soon as one is)
            first_answer(f"http://127.0.0.1:{port}", proc, started)
        figures: Dict[str, object] = {"ready_s": time.perf_counter() - started}
        figures.update(run_loads(url, "chat"))
        rss = {}
        for line in subprocess.run(["ps", "-o", "pid=,rss=,args=", "-g", str(os.getpgid(proc.pid))],
                                   capture_output=True, text=True).stdout.splitlines():
            pid, kb, args = line.strip().split(None, 2)
            kind = ("rasa" if " run --enable-api" in args else "actions" if "-m actions.server" in args
                    else "web" if "-m bot web" in args else "nginx" if "nginx" in args else None)
            if kind:
                rss[kind] = rss.get(kind, 0.0) + int(kb) / 1024
        figures["rss"] = rss
        return figures
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def write_report(path: Path, results, prod, lookups, epochs_note: str) -> None:
    ours, stock = results["indgang"], results["stock"]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}" if b else "–"

    rows: List[str] = []

    def row(label: str, a: float, b: float, unit: str, target: str = "") -> None:
        rows.append(f"| {label} | {a:.1f} {unit} | {b:.1f} {unit} | {ratio(a, b)} | {target} |")

    row("training time", ours["train_s"], stock["train_s"], "s", "≤ 60 s")
    row("cold start to first answer", ours["cold_start_s"], stock["cold_start_s"], "s", "≤ 20 s")
    row("resident memory, Rasa server", ours["rss_rasa_mb"], stock["rss_rasa_mb"], "MB", "")
    row("resident memory, action server", ours["rss_actions_mb"], stock["rss_actions_mb"], "MB", "")
    row("Rasa + actions resident memory", ours["rss_rasa_mb"] + ours["rss_actions_mb"],
        stock["rss_rasa_mb"] + stock["rss_actions_mb"], "MB", "≤ 900 MB")
    for key, label, target in (("sequential", "sequential", "p95 ≤ 60 ms"), ("c20", "20 concurrent", "p95 ≤ 300 ms"),
                               ("c50", "50 concurrent", "")):
        a, b = ours[key], stock[key]
        row(f"round trip p50, {label}", a.pct(0.5), b.pct(0.5), "ms")
        row(f"round trip p95, {label}", a.pct(0.95), b.pct(0.95), "ms", target)
        row(f"round trip p99, {label}", a.pct(0.99), b.pct(0.99), "ms")
        row(f"throughput, {label}", a.throughput, b.throughput, "msg/s")
    row("sustained throughput (20 conversations × 25 messages)", ours["sustained"].throughput,
        stock["sustained"].throughput, "msg/s", "≥ 70 msg/s")
    errors = {k: sum(v.errors for kk, v in r.items() if hasattr(v, "errors")) for k, r in results.items()}
    lk = "\n".join(f"| {name} | {tasks:,} | {contacts:,} | {p50:.1f} ms | {p95:.1f} ms | {build:.1f} s |"
                   for name, tasks, contacts, p50, p95, build in lookups)
    if "skipped" in prod:
        prod_section = f"Not measured: {prod['skipped']}"
    else:
        prows = [f"| ready to answer through nginx | {prod['ready_s']:.1f} s | |"]
        for key, label, target in (("sequential", "sequential", "p95 ≤ 60 ms"),
                                   ("c20", "20 concurrent", "p95 ≤ 300 ms"), ("c50", "50 concurrent", "")):
            r = prod[key]
            prows.append(f"| round trip p50 / p95 / p99, {label} | {r.pct(0.5):.1f} / {r.pct(0.95):.1f} / "
                         f"{r.pct(0.99):.1f} ms | {target} |")
            prows.append(f"| throughput, {label} | {r.throughput:.1f} msg/s | |")
        prows.append(f"| sustained throughput (20 conversations × 25 messages) | {prod['sustained'].throughput:.1f} msg/s "
                     f"| ≥ 70 msg/s |")
        for kind, mb in sorted(prod["rss"].items()):
            prows.append(f"| resident memory, {kind} (all processes) | {mb:.0f} MB | |")
        perrors = sum(v.errors for v in prod.values() if hasattr(v, "errors"))
        prod_section = ("Same conversations, through nginx to two Rasa servers (PostgreSQL tracker store, Redis lock "
                        f"store) and one action server; failed requests: {perrors}.\n\n"
                        "| figure | value | target |\n|---|---|---|\n" + "\n".join(prows))
    path.write_text(f"""# Benchmarks

Written by `make bench` ({datetime.now().strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores,
Python {platform.python_version()}, {platform.machine()}). Shared, noisy machine: compare the
columns as ratios measured in the same run. Round trips go through a REST webhook
(REST → NLU → rules → action server → catalogue → reply): ours through the `chat` channel
with `enable_selective_domain`, stock Rasa through its own `rest` channel. Each simulated
business sends routed enquiries in conversations of {MESSAGES_PER_CONVERSATION} messages (Rasa's cost per message grows with
the conversation's length); one Rasa server each, with the in-memory tracker store of `rasa run`.
Stock baseline: `bench/stock_config.yml` (DIET + TEDPolicy defaults),
{epochs_note}. Failed requests: ours {errors['indgang']}, stock {errors['stock']}.
Where the time goes, and what was fixed: `docs/performance.md`.

| figure | Indgang | stock Rasa | ratio | target |
|---|---|---|---|---|
{chr(10).join(rows)}

## Production layout (`make run-prod`)

{prod_section}

## Staff lookup (router + catalogue, in process, no NLU call)

| catalogue | tasks | contacts | p50 | p95 | index build |
|---|---|---|---|---|---|
{lk}

Target: p95 ≤ 20 ms at 10,000 tasks.

## Staff lookup over HTTP (sample catalogue, with the NLU call to Rasa)

| measured at | p50 | p95 | target |
|---|---|---|---|
| the server (`took_ms`: parse + route + lookup) | {ours['staff_http']['server_p50']:.1f} ms | {ours['staff_http']['server_p95']:.1f} ms | < 100 ms |
| the client (whole HTTP request) | {ours['staff_http']['client_p50']:.1f} ms | {ours['staff_http']['client_p95']:.1f} ms | |
""", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
