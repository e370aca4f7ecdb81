"""Fit the router's confidence calibration on the DEVELOPMENT set and write bot/routing/calibration.yml.

    .venv/bin/python scripts/calibrate.py [--model models/indgang.tar.gz] \
        [--split-model /tmp/split/models/dev.tar.gz --split-data /tmp/split/test_data.yml]

with the split made and trained as for the router thresholds (docs/nlu.md):
    rasa data split nlu --nlu nlu_data --training-fraction 0.8 --random-seed 7 --out /tmp/split
    rasa train nlu --nlu /tmp/split/training_data.yml --config config.yml --out /tmp/split/models --fixed-model-name dev

The development sets are tests/data/eval_enquiries.yml and tests/data/dev_fresh.yml (read and
tuned on) and tests/data/dev_calibration.yml (written like the locked set, scored only here and
never read for misses: the honest one for the threshold). Never the locked test set. Every answer that names a door (route, external, citizen) gives one point (raw door score,
door right?); isotonic regression maps raw scores to the observed rate. It also prints the raw
threshold at which at most 3 % of the development enquiries would be answered at a wrong door.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Tuple

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.catalog.queries import load_snapshot  # noqa: E402
from bot.evaluate import judge, load_cases  # noqa: E402
from bot.routing.calibration import DEFAULT_PATH, Calibration, fit  # noqa: E402
from bot.routing.router import Router, RouterConfig  # noqa: E402
from bot.settings import PROJECT_ROOT, Settings, SettingsError  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)  # fixed: the fit must not depend on the hour


def door_points(router: Router, model, cases) -> Tuple[List[float], List[bool]]:
    """(raw door score, door right?) for every case the router answers with one door."""
    raw: List[float] = []
    right: List[bool] = []
    for case in cases:
        result = router.route(case.text, model.parse(case.text), NOW).to_dict()
        v = judge(case, result)
        if v["answered"]:
            raw.append(result["confidence"])
            right.append(bool(v["top1"]))
    return raw, right


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--data", nargs="+", default=[str(PROJECT_ROOT / "tests/data/eval_enquiries.yml"),
                                                      str(PROJECT_ROOT / "tests/data/dev_fresh.yml"),
                                                      str(PROJECT_ROOT / "tests/data/dev_calibration.yml")],
                        help="development sets (never the locked test set)")
    parser.add_argument("--split-model", help="a model trained on 80%% of the training data (see docs/nlu.md)")
    parser.add_argument("--split-data", help="the other 20%%: its answers are scored too (cross-validated points)")
    args = parser.parse_args()
    from bot.nlu import NluModel

    try:
        settings = Settings.from_env()
    except SettingsError as err:  # a bad setting is one clear line, not a traceback
        print(err, file=sys.stderr)
        return 2
    model = NluModel(Path(args.model) if args.model else settings.model_path)
    # raw scores of every door the router would answer with, before any calibrated threshold
    router = Router(load_snapshot(settings.database_url, public=True), RouterConfig(answer_min=0.0),
                    calibration=Calibration())
    per_set = []  # (name, enquiries, raw, right) per development set
    for data in args.data:
        cases = load_cases(Path(data))
        per_set.append((Path(data).name, len(cases)) + door_points(router, model, cases))
    raw = [r for s in per_set for r in s[2]]
    right = [ok for s in per_set for ok in s[3]]
    n_dev = len(raw)
    if args.split_model and args.split_data:
        from scripts.tune_router import dev_cases

        split_cases = dev_cases(Path(args.split_data), router.snapshot.topics)
        split_raw, split_right = door_points(router, NluModel(Path(args.split_model)), split_cases)
        raw, right = raw + split_raw, right + split_right
        print(f"{len(split_raw)} door answers on {len(split_cases)} held-out training examples (20% split)")
    cal = fit(raw, right)
    DEFAULT_PATH.write_text(
        "# Written by scripts/calibrate.py from the development sets (" + ", ".join(s[0] for s in per_set) + ")"
        + (" and the held-out 20% of a split of the training data" if len(raw) > n_dev else "") + ":\n"
        f"# {len(raw)} answers that named a door, {sum(right)} right. Raw door score -> P(door right).\n"
        + yaml.safe_dump({"points": [list(p) for p in cal.points]}, sort_keys=False), encoding="utf-8")
    print(f"{n_dev} door answers on {sum(s[1] for s in per_set)} development enquiries, {len(raw)} points in all; "
          f"wrote {DEFAULT_PATH}")
    for name, n_cases, set_raw, set_right in per_set:
        print(f"{name}: answer_min (calibrated)  answered  confidently wrong (of all its enquiries)")
        for t in (0.0, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
            kept = [(r, ok) for r, ok in zip(set_raw, set_right) if cal(r) >= t]
            wrong = sum(1 for _r, ok in kept if not ok)
            print(f"  {t:4.2f}  {len(kept):>8}  {wrong:>4} = {100 * wrong / n_cases:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
