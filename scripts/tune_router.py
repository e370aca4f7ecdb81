"""Tune the router's thresholds on a development split of the TRAINING data — never on
tests/data (the held-out evaluation set).

    rasa data split nlu --nlu nlu_data --training-fraction 0.8 --random-seed 7 --out /tmp/split
    rasa train nlu --nlu /tmp/split/training_data.yml --config config.yml --out /tmp/split/models --fixed-model-name dev
    python scripts/tune_router.py --model /tmp/split/models/dev.tar.gz --dev /tmp/split/test_data.yml

Prints the best settings by top-1 accuracy minus twice the misroute rate (a wrong door
costs a business more than a "Mente du …?").
"""
from __future__ import annotations

import argparse
import itertools
import re
import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.catalog.queries import load_snapshot  # noqa: E402
from bot.evaluate import Case, judge, read_xsid_texts  # noqa: E402
from bot.routing.router import Router, RouterConfig  # noqa: E402
from bot.settings import Settings, SettingsError  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)  # fixed: tuning must not depend on the hour it runs
_ENTITY = re.compile(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}")


def dev_cases(path: Path, topics) -> list:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for block in data.get("nlu", []):
        intent = block.get("intent")
        if not intent:
            continue
        for line in block["examples"].splitlines():
            text = _ENTITY.sub(lambda m: m.group(1) or m.group(2), line.strip()[2:].strip())
            if intent in topics:
                cases.append(Case(text, topics[intent], None, None))
            elif intent.startswith("authority_"):
                cases.append(Case(text, (), "external", intent[len("authority_"):]))
            elif intent in ("citizen_matter", "out_of_scope"):
                cases.append(Case(text, (), "citizen" if intent == "citizen_matter" else "out_of_scope", None))
            elif intent in ("greet", "goodbye", "thanks"):
                cases.append(Case(text, (), "greeting", None))
            elif intent in ("ask_person", "opening_hours"):
                cases.append(Case(text, (), "one_entrance", None))
    return cases


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--report", action="store_true",
                    help="only print the figures of the defaults and of one-setting variants, by group")
    args = ap.parse_args()
    from bot.nlu import NluModel

    try:
        settings = Settings.from_env()
    except SettingsError as err:  # a bad setting is one clear line, not a traceback
        print(err, file=sys.stderr)
        return 2
    snapshot = load_snapshot(settings.database_url, public=True)
    cases = dev_cases(Path(args.dev), snapshot.topics)
    model = NluModel(Path(args.model))
    parsed = [model.parse(c.text) for c in cases]
    print(f"{len(cases)} development enquiries")
    if args.report:
        return report(snapshot, cases, parsed)
    grid = {
        "min_confidence": [0.4, 0.5, 0.6],
        "min_margin": [0.1, 0.2, 0.3],
        "keyword_only": [0.2, 0.35, 0.5],
        "non_business_min": [0.3, 0.4, 0.5],
        "oos_business_max": [0.25, 0.35, 0.5],
        "oos_keyword_max": [0.25, 0.35],
    }
    base = Router(snapshot)
    results = []
    for values in itertools.product(*grid.values()):
        cfg = RouterConfig(**dict(zip(grid, values)))
        router = Router.__new__(Router)
        router.__dict__.update(base.__dict__)
        router.config = cfg
        verdicts = [judge(c, router.route(c.text, p, NOW).to_dict()) for c, p in zip(cases, parsed)]
        top1 = sum(v["top1"] for v in verdicts) / len(verdicts)
        mis = sum(v["misroute"] for v in verdicts) / len(verdicts)
        results.append((top1 - 2 * mis, top1, mis, cfg))
    results.sort(key=lambda r: -r[0])
    default = next(r for r in results if r[3] == RouterConfig())
    print(f"default  objective {default[0]:.3f} top1 {default[1]:.3f} misroute {default[2]:.3f}")
    for obj, top1, mis, cfg in results[:8]:
        print(f"objective {obj:.3f} top1 {top1:.3f} misroute {mis:.3f} {cfg}")
    return 0


def report(snapshot, cases, parsed) -> int:
    """Figures of the default settings, split by where the examples come from."""
    root = Path(__file__).resolve().parent.parent
    xsid = set(read_xsid_texts(root.parent / "shared/data/xsid/da.valid.conll"))
    groups = {"business": lambda c: bool(c.kle), "triage": lambda c: c.kind in ("external", "citizen"),
              "xSID valid (out of scope)": lambda c: c.text in xsid,
              "own out of scope": lambda c: c.kind == "out_of_scope" and c.text not in xsid}
    variants = [("defaults", RouterConfig())]
    variants += [(f"door_alternative {v}", replace(RouterConfig(), door_alternative=v)) for v in (0.15, 0.3, 1.01)]
    variants += [(f"oos_sure {v}", replace(RouterConfig(), oos_sure=v)) for v in (0.8, 0.95, 1.01)]
    variants += [(f"task_alternative {v}", replace(RouterConfig(), task_alternative=v)) for v in (0.08, 0.12, 0.16)]
    for label, config in variants:
        router = Router(snapshot, config)
        verdicts = [(c, judge(c, router.route(c.text, p, NOW).to_dict())) for c, p in zip(cases, parsed)]
        n = len(verdicts)
        line = [f"{label}: all top1 {sum(v['top1'] for _, v in verdicts) / n:.3f} "
                f"top3 {sum(v['top3'] for _, v in verdicts) / n:.3f} "
                f"misroute {sum(v['misroute'] for _, v in verdicts) / n:.3f}"]
        for name, pred in groups.items():
            sel = [v for c, v in verdicts if pred(c)]
            if sel:
                line.append(f"{name} ({len(sel)}) top1 {sum(v['top1'] for v in sel) / len(sel):.3f} "
                            f"top3 {sum(v['top3'] for v in sel) / len(sel):.3f}")
        print("\n    ".join(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
