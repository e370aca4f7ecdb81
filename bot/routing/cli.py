"""`python -m bot route "tekst"` and `python -m bot route --jsonl FILE|-`.

Parses with the trained Rasa model (bot.nlu) and routes through bot.routing.service.answer,
the same call the chat action makes.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from typing import IO

from bot.settings import Settings


def add_parser(sub) -> None:
    p = sub.add_parser("route", help="route an enquiry the way the chat does")
    p.add_argument("text", nargs="?", help="the enquiry, in Danish")
    p.add_argument("--jsonl", metavar="FILE", help="one enquiry per line ('-' for stdin); one JSON result per line")
    p.add_argument("--internal", action="store_true", help="use the internal catalogue (staff view)")
    p.add_argument("--model", help="trained model (default: MODEL_PATH or the newest in models/)")
    p.add_argument("--explain", action="store_true", help="also show the intent ranking and task scores")
    p.set_defaults(func=route_cli)


def _print_readable(result, out: IO[str]) -> None:
    d = result.to_dict()
    print(f"[{d['kind']}] intent {d['intent']['name']} ({d['intent']['confidence']:.2f}), "
          f"score {d['confidence']:.2f}", file=out)
    print(d["text"], file=out)
    for a in d["alternatives"]:
        where = f"KLE {', '.join(a['kle'])}" if a["kle"] else ("ikke kommunen" if a["kind"] == "external" else "borger")
        print(f"  – {a['task']} ({a['department']}, {where})", file=out)


def _explain(text: str, parsed, settings: Settings, public: bool) -> None:
    from bot.routing.router import intent_ranking
    from bot.routing.service import get_router

    ranking = intent_ranking(parsed)
    print("intents: " + ", ".join(f"{n} {c:.2f}" for n, c in ranking[:5]))
    router = get_router(settings, public)
    print(f"query terms: {router.index.query_terms(text)}")
    for task, score, ip, kp in router.score_tasks(text, ranking)[:6]:
        print(f"  {score:.3f}  intent {ip:.2f}  words {kp:.2f}  {task.id} ({task.department.id})")


def route_cli(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.nlu import ModelNotFound, NluModel
    from bot.routing.service import answer

    if not args.text and not args.jsonl:
        print('Give an enquiry, e.g. python -m bot route "gravetilladelse", or --jsonl FILE.', file=sys.stderr)
        return 2
    settings = Settings.from_env()
    try:
        model = NluModel(Path(args.model) if args.model else settings.model_path)
    except ModelNotFound as err:
        print(str(err), file=sys.stderr)
        return 1
    public = not args.internal
    if args.text:
        parsed = model.parse(args.text)
        _print_readable(answer(args.text, parsed, datetime.now(timezone.utc), settings, public=public), sys.stdout)
        if args.explain:
            _explain(args.text, parsed, settings, public)
        return 0
    stream = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")
    try:
        for line in stream:
            text = line.rstrip("\n")
            result = answer(text, model.parse(text), datetime.now(timezone.utc), settings, public=public)
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0
