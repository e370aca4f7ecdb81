"""Fit the router's confidence calibration on the DEVELOPMENT sets and write bot/routing/calibration.yml.

    .venv/bin/python scripts/calibrate.py [--model models/indgang.tar.gz] \
        [--split-model /tmp/split/models/dev.tar.gz --split-data /tmp/split/test_data.yml]

with the split made and trained as for the router thresholds (docs/nlu.md):
    rasa data split nlu --nlu nlu_data --training-fraction 0.8 --random-seed 7 --out /tmp/split
    rasa train nlu --nlu /tmp/split/training_data.yml --config config.yml --out /tmp/split/models --fixed-model-name dev

The development sets (never the locked test set) are tests/data/eval_enquiries.yml,
tests/data/dev_fresh.yml and tests/data/dev_unseen_a.yml (read and tuned on), and
tests/data/dev_calibration.yml, tests/data/dev_unseen_b.yml and tests/data/dev_unseen_c.yml (written like the locked set by
helpers who saw only its brief; scored, never read for misses). Every answer that names a door
(route, external, citizen) gives one point: its Evidence (bot/routing/calibration.py) and
whether the door was right. A logistic regression on the evidence (Platt scaling on four
features) gives the probability. The fit's honesty is checked out of fold: each development
set is scored by a calibration fitted without it, and the table of "answered" and "confidently
wrong" by threshold comes from those out-of-fold probabilities. The threshold it proposes for
RouterConfig.answer_min is the lowest at which no development set has more than 3 % of its
enquiries answered at a wrong door AND the never-read sets together keep that 3 % even at the
upper end of the 95 % (Clopper-Pearson) confidence interval of their rate: a few hundred
enquiries measure a rate near 3 % to within about one point, and the target is a promise
about enquiries nobody here has seen.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.catalog.queries import load_snapshot  # noqa: E402
from bot.evaluate import judge, load_cases  # noqa: E402
from bot.routing.calibration import DEFAULT_PATH, Calibration, Evidence, fit  # noqa: E402
from bot.routing.router import Router, RouterConfig  # noqa: E402
from bot.settings import PROJECT_ROOT, Settings, SettingsError  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)  # fixed: the fit must not depend on the hour
DEV_SETS = ("eval_enquiries", "dev_fresh", "dev_unseen_a", "dev_calibration", "dev_unseen_b", "dev_unseen_c")
NEVER_READ = ("dev_calibration", "dev_unseen_b", "dev_unseen_c")  # their misses are never read
THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.96)
MAX_WRONG = 0.03


class _Recorder:
    """Stands in for the router's calibration: keeps the evidence of the answer being decided and
    calibrates nothing (so every door the router would give is answered)."""

    def __init__(self) -> None:
        self.last: Optional[Evidence] = None

    def __call__(self, evidence: Evidence) -> float:
        self.last = evidence
        return Calibration()(evidence)


def door_points(router: Router, recorder: _Recorder, model, cases) -> Tuple[List[Evidence], List[bool]]:
    """(evidence, door right?) for every case the router answers with one door."""
    evidence: List[Evidence] = []
    right: List[bool] = []
    for case in cases:
        result = router.route(case.text, model.parse(case.text), NOW).to_dict()
        v = judge(case, result)
        if v["answered"]:
            evidence.append(recorder.last)
            right.append(bool(v["top1"]))
    return evidence, right


def wrong_at(cal: Calibration, evidence: Sequence[Evidence], right: Sequence[bool], t: float) -> Tuple[int, int]:
    """(answered, answered at a wrong door) when answers need confidence >= t."""
    kept = [ok for e, ok in zip(evidence, right) if cal(e) >= t]
    return len(kept), sum(1 for ok in kept if not ok)


def upper_bound(wrong: int, n: int, level: float = 0.95) -> float:
    """The upper end of the two-sided Clopper-Pearson interval of a rate seen as wrong / n."""
    from scipy.stats import beta  # installed with Rasa

    return 1.0 if wrong >= n else float(beta.ppf(1 - (1 - level) / 2, wrong + 1, n - wrong))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--data", nargs="+", default=[str(PROJECT_ROOT / f"tests/data/{n}.yml") for n in DEV_SETS],
                        help="development sets (never the locked test set)")
    parser.add_argument("--split-model", help="a model trained on 80%% of the training data (see docs/nlu.md)")
    parser.add_argument("--split-data", help="the other 20%%: its answers are points too (cross-validated)")
    parser.add_argument("--dry-run", action="store_true", help="print the tables, do not write calibration.yml")
    args = parser.parse_args()
    from bot.nlu import NluModel

    try:
        settings = Settings.from_env()
    except SettingsError as err:  # a bad setting is one clear line, not a traceback
        print(err, file=sys.stderr)
        return 2
    model = NluModel(Path(args.model) if args.model else settings.model_path)
    recorder = _Recorder()
    router = Router(load_snapshot(settings.database_url, public=True), RouterConfig(answer_min=0.0),
                    calibration=recorder)  # type: ignore[arg-type]  # a stand-in with the same call
    per_set = []  # (name, enquiries, evidence, right) per development set
    for data in args.data:
        cases = load_cases(Path(data))
        per_set.append((Path(data).stem, len(cases)) + door_points(router, recorder, model, cases))
    extra_e: List[Evidence] = []
    extra_r: List[bool] = []
    if args.split_model and args.split_data:
        from scripts.tune_router import dev_cases

        split_cases = dev_cases(Path(args.split_data), router.snapshot.topics)
        extra_e, extra_r = door_points(router, recorder, NluModel(Path(args.split_model)), split_cases)
        print(f"{len(extra_e)} door answers on {len(split_cases)} held-out training examples (20% split)")

    # out of fold: each development set judged by a calibration fitted without it
    print("Out of fold (each set scored by a calibration fitted on the others): answered / confidently wrong "
          "(% of the set's enquiries)")
    print(f"{'answer_min':>10}  " + "  ".join(f"{name:>22}" for name, *_ in per_set)
          + f"  {'never read: 95% upper':>22}")
    worst = {}
    folds = []
    for i, (_name, _n, ev, ok) in enumerate(per_set):
        others_e = [e for j, s in enumerate(per_set) if j != i for e in s[2]] + extra_e
        others_r = [r for j, s in enumerate(per_set) if j != i for r in s[3]] + extra_r
        folds.append(fit(others_e, others_r))
    for t in THRESHOLDS:
        cells, rates = [], []
        unread_wrong = unread_n = 0
        for (name, n, ev, ok), cal in zip(per_set, folds):
            answered, wrong = wrong_at(cal, ev, ok, t)
            rates.append(wrong / max(n, 1))
            cells.append(f"{answered:>5} {wrong:>3} ({100 * wrong / max(n, 1):4.1f}%)")
            if name in NEVER_READ:
                unread_wrong, unread_n = unread_wrong + wrong, unread_n + n
        bound = upper_bound(unread_wrong, unread_n) if unread_n else 0.0
        worst[t] = max(rates + [bound])
        print(f"{t:>10.2f}  " + "  ".join(f"{c:>22}" for c in cells) + f"  {100 * bound:>21.1f}%")
    chosen = next((t for t in THRESHOLDS if worst[t] <= MAX_WRONG), None)
    print(f"lowest answer_min with at most {MAX_WRONG:.0%} confidently wrong on every development set and at the "
          f"upper end of the never-read sets' interval (out of fold): "
          f"{chosen if chosen is not None else 'none on the grid'}")

    all_e = [e for s in per_set for e in s[2]] + extra_e
    all_r = [r for s in per_set for r in s[3]] + extra_r
    cal = fit(all_e, all_r)
    print("fitted on all points: " + ", ".join(f"{w:+.3f}" for w in cal.weights) + f"; intercept {cal.intercept:+.3f}")
    if args.dry_run:
        return 0
    DEFAULT_PATH.write_text(cal.to_yaml(
        "Written by scripts/calibrate.py: Platt scaling (logistic regression) of 'door right?' on the\n"
        "evidence of each answer that named a door, from the development sets ("
        + ", ".join(s[0] for s in per_set) + ")"
        + (" and the held-out 20% of a split of the training data" if extra_e else "") + ":\n"
        f"{len(all_e)} answers, {sum(all_r)} right. Features: bot/routing/calibration.py (Evidence.features)."),
        encoding="utf-8")
    print(f"wrote {DEFAULT_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
