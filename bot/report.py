"""`python -m bot report --since DATE --out DIR`: what businesses asked and how it went, as HTML.

Read from Rasa's SQL tracker store (the answers' payloads), the "Fik du svar?" answers
(bot/feedback.py) and the catalogue (the one-entrance phone's hours). Written to DIR/index.html
with PNG plots and DIR/summary.json; the staff page links to it (/staff/report). No personal
data: no conversation ids, no names; the "top unrouted phrasings" are shown only when at least
two conversations wrote the same words (digits masked), so a one-off message never appears.

Plots: enquiries per area and week; answered vs. sent to the phone; feedback; messages per hour
against the phone's opening hours; and a deflection estimate — the share of enquiries answered
with a door and not followed by a request for a person or a "nej" in the same conversation.
"""
from __future__ import annotations

import argparse
import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from bot.feedback import feedback_since
from bot.routing.followup import FOLLOW_UP_INTENTS
from bot.settings import PROJECT_ROOT

DOOR_KINDS = {"route", "external", "citizen"}
ENQUIRY_KINDS = DOOR_KINDS | {"one_entrance", "out_of_scope"}
PERSON_INTENTS = {"ask_person", "ask_callback", "complaint"}
NOT_ENQUIRIES = {"deny", "affirm", "thanks", "greet", "goodbye", "request_callback", "choose_task",
                 *FOLLOW_UP_INTENTS}  # answers to these are about an earlier enquiry
TZ = ZoneInfo("Europe/Copenhagen")
MIN_REPEATS = 2  # a phrasing is listed only when this many conversations wrote it


@dataclass
class Answer:
    when: datetime
    sender: int          # an index, not the conversation id
    kind: str
    area: str
    user_text: str
    user_intent: Optional[str]


@dataclass
class Traffic:
    answers: List[Answer] = field(default_factory=list)
    messages: List[datetime] = field(default_factory=list)
    asked_for_person_after: set = field(default_factory=set)  # answer indices followed by a person request / "nej"


def read_traffic(tracker_url: str, since: datetime) -> Traffic:
    """Every user message and every answer with a payload since ``since``, from Rasa's `events` table."""
    engine = create_engine(tracker_url, future=True)
    traffic = Traffic()
    try:
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, "events"):
                return traffic
            rows = conn.execute(text("SELECT sender_id, type_name, timestamp, intent_name, data FROM events "
                                     "WHERE timestamp >= :since AND type_name IN ('user', 'bot') "
                                     "ORDER BY sender_id, id"), {"since": since.timestamp()})
            senders: Dict[str, int] = {}
            last_user: Dict[str, Tuple[str, Optional[str]]] = {}
            open_answer: Dict[str, int] = {}
            for sender_id, type_name, ts, intent_name, data in rows:
                who = senders.setdefault(sender_id, len(senders))
                when = datetime.fromtimestamp(ts, tz=timezone.utc)
                event = json.loads(data)
                if type_name == "user":
                    message = event.get("text") or ""
                    if message.startswith("/session_start"):
                        continue
                    traffic.messages.append(when)
                    last_user[sender_id] = (message, intent_name)
                    if sender_id in open_answer and (intent_name in PERSON_INTENTS or intent_name == "deny"):
                        traffic.asked_for_person_after.add(open_answer.pop(sender_id))
                    continue
                custom = (event.get("data") or {}).get("custom") or {}
                kind = custom.get("kind")
                message, intent = last_user.get(sender_id, ("", None))
                if kind not in ENQUIRY_KINDS or intent in NOT_ENQUIRIES:  # "nej, det var ikke det" is no enquiry
                    continue
                area = ((custom.get("intent") or {}).get("name") or kind) if kind != "out_of_scope" else "out_of_scope"
                traffic.answers.append(Answer(when, who, kind, area, message, intent))
                if kind in DOOR_KINDS:
                    open_answer[sender_id] = len(traffic.answers) - 1
    finally:
        engine.dispose()
    return traffic


def _week(when: datetime) -> date:
    local = when.astimezone(TZ).date()
    return local - timedelta(days=local.weekday())


def phrasing(message: str) -> str:
    """Lowercase words with digits masked: "Ring 20 30 40 50" and "ring 71 72 73 74" are one phrasing."""
    return " ".join(re.sub(r"\d", "#", message.lower()).split())[:120]


def figures(traffic: Traffic, feedback: List[Tuple[datetime, Optional[str], bool]],
            open_at=lambda when: True) -> Dict[str, object]:
    """Everything the report shows, as plain data (summary.json)."""
    weeks = sorted({_week(a.when) for a in traffic.answers} | {_week(w) for w, _t, _a in feedback})
    per_area: Dict[str, Counter] = defaultdict(Counter)
    outcome: Dict[str, Counter] = defaultdict(Counter)
    for a in traffic.answers:
        per_area[a.area][_week(a.when).isoformat()] += 1
        outcome[_week(a.when).isoformat()]["answered" if a.kind in DOOR_KINDS else
                                           "phone and choices" if a.kind == "one_entrance" else "out of scope"] += 1
    fb: Dict[str, Counter] = defaultdict(Counter)
    for when, _task, answered in feedback:
        fb[_week(when).isoformat()]["ja" if answered else "nej"] += 1
    unrouted = Counter()
    seen_by: Dict[str, set] = defaultdict(set)
    for a in traffic.answers:
        if a.kind in ("one_entrance", "out_of_scope") and a.user_text and not a.user_text.startswith("/"):
            key = phrasing(a.user_text)
            unrouted[key] += 1
            seen_by[key].add(a.sender)
    top_unrouted = [(p, n) for p, n in unrouted.most_common() if len(seen_by[p]) >= MIN_REPEATS][:20]
    hours = Counter(w.astimezone(TZ).hour for w in traffic.messages)
    outside = sum(1 for w in traffic.messages if not open_at(w))
    doors = [i for i, a in enumerate(traffic.answers) if a.kind in DOOR_KINDS]
    deflected = [i for i in doors if i not in traffic.asked_for_person_after]
    n = len(traffic.answers)
    return {
        "enquiries": n, "messages": len(traffic.messages), "weeks": [w.isoformat() for w in weeks],
        "per_area": {area: dict(c) for area, c in per_area.items()},
        "outcome": {w: dict(c) for w, c in outcome.items()},
        "feedback": {w: dict(c) for w, c in fb.items()},
        "top_unrouted": top_unrouted,
        "messages_per_hour": {h: hours.get(h, 0) for h in range(24)},
        "outside_phone_hours": outside / max(len(traffic.messages), 1),
        "deflection": len(deflected) / max(n, 1),
        "answered": len(doors) / max(n, 1),
    }


def _plots(f: Dict[str, object], out: Path, phone_hours: List[Tuple[float, float]]) -> List[Tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    weeks: List[str] = f["weeks"]  # type: ignore[assignment]
    labels = [w[5:] for w in weeks]

    def save(fig, name: str, title: str) -> None:
        fig.tight_layout()
        fig.savefig(out / name, dpi=110)
        plt.close(fig)
        made.append((name, title))

    per_area: Dict[str, Dict[str, int]] = f["per_area"]  # type: ignore[assignment]
    top = sorted(per_area, key=lambda a: -sum(per_area[a].values()))[:10]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    bottom = [0] * len(weeks)
    for area in top:
        values = [per_area[area].get(w, 0) for w in weeks]
        ax.bar(labels, values, bottom=bottom, label=area.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_ylabel("henvendelser")
    ax.set_xlabel("uge (mandag)")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save(fig, "areas.png", "Henvendelser pr. område og uge (de 10 største områder)")

    outcome: Dict[str, Dict[str, int]] = f["outcome"]  # type: ignore[assignment]
    fig, ax = plt.subplots(figsize=(9, 3.8))
    bottom = [0] * len(weeks)
    for key, colour in (("answered", "#00703c"), ("phone and choices", "#f47738"), ("out of scope", "#b1b4b6")):
        values = [outcome.get(w, {}).get(key, 0) for w in weeks]
        ax.bar(labels, values, bottom=bottom, label={"answered": "besvaret med den rette indgang",
                                                      "phone and choices": "spurgt tilbage / henvist til telefonen",
                                                      "out of scope": "uden for kommunens område"}[key], color=colour)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_ylabel("henvendelser")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save(fig, "outcome.png", "Besvaret eller sendt videre til telefonen, pr. uge")

    fb: Dict[str, Dict[str, int]] = f["feedback"]  # type: ignore[assignment]
    fig, ax = plt.subplots(figsize=(9, 3.5))
    yes = [fb.get(w, {}).get("ja", 0) for w in weeks]
    no = [fb.get(w, {}).get("nej", 0) for w in weeks]
    ax.bar(labels, yes, label="Fik du svar? ja", color="#00703c")
    ax.bar(labels, no, bottom=yes, label="nej", color="#d4351c")
    ax.set_ylabel("svar")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save(fig, "feedback.png", "«Fik du svar?» pr. uge")

    hours: Dict[int, int] = f["messages_per_hour"]  # type: ignore[assignment]
    fig, ax = plt.subplots(figsize=(9, 3.5))
    for start, end in phone_hours:
        ax.axvspan(start - 0.5, end - 0.5, color="#cce2d8", zorder=0)
    ax.bar(list(hours), list(hours.values()), color="#1d70b8", zorder=2)
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlabel("time på dagen (grøn: Én indgangs telefontid på hverdage)")
    ax.set_ylabel("beskeder")
    save(fig, "hours.png", "Beskeder pr. time mod telefonens åbningstid")
    return made


def write_report(f: Dict[str, object], out: Path, since: datetime, now: datetime,
                 phone_hours: List[Tuple[float, float]]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    plots = _plots(f, out, phone_hours)
    (out / "summary.json").write_text(json.dumps(f, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    rows = "".join(f"<tr><td>{html.escape(p)}</td><td>{n}</td></tr>" for p, n in f["top_unrouted"])  # type: ignore
    figs = "".join(f'<figure><img src="{name}" alt="{html.escape(title)}"><figcaption>{html.escape(title)}'
                   f"</figcaption></figure>" for name, title in plots)
    page = f"""<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Indgang – rapport</title>
<style>body{{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c}}
figure{{margin:1.5rem 0}}img{{max-width:100%}}table{{border-collapse:collapse}}td,th{{border:1px solid #b1b4b6;
padding:.3rem .6rem;text-align:left}}.k{{display:inline-block;margin-right:2rem}}.k b{{font-size:1.6rem;display:block}}</style>
</head><body><h1>Én indgang for virksomheder – rapport</h1>
<p>Fra {since.astimezone(TZ):%d.%m.%Y} til {now.astimezone(TZ):%d.%m.%Y %H.%M}. Ingen personoplysninger:
ingen samtale-id'er eller navne; formuleringer vises kun, når mindst {MIN_REPEATS} samtaler skrev det samme.</p>
<p><span class="k"><b>{f['enquiries']}</b>henvendelser</span><span class="k"><b>{100 * f['answered']:.0f} %</b>besvaret med
den rette indgang</span><span class="k"><b>{100 * f['deflection']:.0f} %</b>skønnet klaret uden telefon</span>
<span class="k"><b>{100 * f['outside_phone_hours']:.0f} %</b>af beskederne uden for telefontid</span></p>
<p>«Skønnet klaret uden telefon»: besvaret med en indgang og ikke fulgt af et ønske om en medarbejder, et opkald, en
klage eller et «nej» i samme samtale.</p>
{figs}
<h2>De hyppigste henvendelser, der ikke blev placeret</h2>
<p>Kandidater til nye træningseksempler eller nye opgaver i kataloget (cifre vist som #).</p>
<table><tr><th>formulering</th><th>antal</th></tr>{rows or '<tr><td colspan="2">ingen gentagne</td></tr>'}</table>
</body></html>"""
    (out / "index.html").write_text(page, encoding="utf-8")
    return out / "index.html"


def _phone(settings) -> Tuple[List[Tuple[float, float]], object]:
    """The one-entrance phone's weekday hours (for the plot) and an is-it-open test."""
    from bot.catalog.queries import load_snapshot
    from bot.hours import status as open_status

    channel = load_snapshot(settings.database_url, public=True).entrance_channel
    if channel is None:
        return [], lambda when: True
    spans = []
    for interval in (channel.opening_hours.get("mon") or ()):  # "09:00-15:00"
        start, end = interval.split("-")
        spans.append((int(start[:2]) + int(start[3:]) / 60, int(end[:2]) + int(end[3:]) / 60))
    return spans, lambda when: open_status(channel.opening_hours, when, settings.timezone,
                                           channel.open_on_holidays).open_now


def _run(args: argparse.Namespace) -> int:
    from bot.retention import RetentionError, tracker_url
    from bot.settings import Settings

    now = datetime.now(timezone.utc)
    try:
        since = datetime.fromisoformat(args.since).replace(tzinfo=TZ) if args.since else now - timedelta(days=56)
    except ValueError:
        print(f"report: --since must be a date like 2026-10-01, not {args.since!r}")
        return 2
    settings = Settings.from_env()
    try:
        url = args.tracker_url or tracker_url(Path(args.endpoints))
        traffic = read_traffic(url, since)
        spans, open_at = _phone(settings)
        f = figures(traffic, feedback_since(settings.database_url, since), open_at)
    except RetentionError as exc:
        print(f"report: {exc}")
        return 2
    except Exception as exc:  # no URL in the message: it may hold a password
        print(f"report: the databases could not be read: {exc.__class__.__name__}")
        return 1
    page = write_report(f, Path(args.out) if args.out else settings.report_dir, since, now, spans)
    print(f"Report of {f['enquiries']} enquiries written to {page}")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="an HTML report of enquiries, outcomes and feedback (no personal data)",
                       description=__doc__.splitlines()[0])
    p.add_argument("--since", help="first day (YYYY-MM-DD; default: 8 weeks ago)")
    p.add_argument("--out", help="folder for index.html and the plots (default: REPORT_DIR, var/report, which "
                                 "the web app serves at /staff/report)")
    p.add_argument("--endpoints", default=str(PROJECT_ROOT / "endpoints.yml"))
    p.add_argument("--tracker-url", help="an SQLAlchemy URL instead of the endpoints file's tracker store")
    p.set_defaults(func=_run)
