"""Out-of-scope development figures that the xSID test file is never used for (docs/nlu.md).

    .venv/bin/python scripts/oos_holdout.py holdout [--extra FILE ...] [--work DIR]
    .venv/bin/python scripts/oos_holdout.py dev [--extra FILE ...] [--model MODEL] [--misses]

`holdout`: the xSID utterances adopted into nlu_data/out_of_scope.yml (from da.valid.conll,
which may be trained on) are split in two halves (seed 11); for each half an NLU model is
trained on nlu_data/ without it (plus any --extra files) and the router is run on the held-out
half. Its misses are printed: they are development data (xSID da.test is never read).

`dev`: top-1 / top-3 / confidently wrong on the development sets of scripts/calibrate.py for a model trained on
nlu_data/ plus the --extra files (or for --model). Misses are listed only with --misses and
only for the sets that are read (never for dev_calibration, dev_unseen_b and dev_unseen_c).
"""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.evaluate import judge, load_cases, read_xsid_texts, xsid_verdict  # noqa: E402
from bot.evaluate_locked import example_texts  # noqa: E402
from bot.settings import PROJECT_ROOT, Settings  # noqa: E402
from scripts.calibrate import DEV_SETS, NEVER_READ, NOW  # noqa: E402  (the same sets, read or not, and clock)

XSID_VALID = PROJECT_ROOT.parent / "shared/data/xsid/da.valid.conll"
CONFIG = PROJECT_ROOT / "config.yml"


def adopted_halves(seed: int = 11) -> List[List[str]]:
    """The adopted xSID valid utterances, in two halves."""
    ours = set(example_texts(PROJECT_ROOT / "nlu_data/out_of_scope.yml"))
    adopted = sorted(set(read_xsid_texts(XSID_VALID)) & ours)
    random.Random(seed).shuffle(adopted)
    return [adopted[::2], adopted[1::2]]


def training_dir(work: Path, without: Iterable[str] = (), extra: Sequence[Path] = ()) -> Path:
    """A copy of nlu_data/ without the given out-of-scope examples and with the extra files."""
    drop = set(without)
    target = work / "nlu"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(PROJECT_ROOT / "nlu_data", target)
    oos = target / "out_of_scope.yml"
    kept = [line for line in oos.read_text(encoding="utf-8").splitlines()
            if not (line.strip().startswith("- ") and line.strip()[2:] in drop)]
    oos.write_text("\n".join(kept) + "\n", encoding="utf-8")
    for i, path in enumerate(extra):
        shutil.copy(path, target / f"extra_{i}_{path.name}")
    return target


def train(nlu_dir: Path, out: Path, name: str, config: Path = CONFIG, reuse: bool = False) -> Path:
    if reuse and (out / f"{name}.tar.gz").exists():
        return out / f"{name}.tar.gz"
    subprocess.run([str(PROJECT_ROOT / ".venv/bin/rasa"), "train", "nlu", "--nlu", str(nlu_dir), "--config",
                    str(config.resolve()), "--out", str(out), "--fixed-model-name", name],
                   check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    return out / f"{name}.tar.gz"


def holdout(args: argparse.Namespace) -> int:
    from bot.nlu import NluModel
    from bot.routing.service import answer

    settings = Settings.from_env()
    total = n = 0
    for label, half in zip("AB", adopted_halves()):
        model = NluModel(train(training_dir(args.work, half, args.extra), args.work, f"half_{label}", args.config,
                               args.reuse))
        missed = []
        hedged = 0
        for text in half:
            r = answer(text, model.parse(text), NOW, settings, public=True)
            turned_away, with_choices = xsid_verdict(r)
            hedged += with_choices
            if not turned_away:
                missed.append(f"  {text!r}: {r.kind} {r.route.task if r.route else ''} "
                              f"[{r.intent.name} {r.intent.confidence:.2f}]")
        print(f"held-out half {label}: {len(half) - len(missed)} of {len(half)} rejected "
              f"({hedged} of them with choices: 'not ours, unless it is one of these')")
        print("\n".join(missed))
        total, n = total + len(half) - len(missed), n + len(half)
    print(f"both halves: {total} of {n} rejected ({total / n:.3f})")
    return 0


def dev(args: argparse.Namespace) -> int:
    from bot.nlu import NluModel
    from bot.routing.service import answer

    settings = Settings.from_env()
    path = args.model or train(training_dir(args.work, (), args.extra), args.work, "full", args.config, args.reuse)
    model = NluModel(Path(path))
    for name in DEV_SETS:
        cases = load_cases(PROJECT_ROOT / f"tests/data/{name}.yml")
        figs: Dict[str, int] = {"top1": 0, "top3": 0, "confidently_wrong": 0}
        misses = []
        for case in cases:
            result = answer(case.text, model.parse(case.text), NOW, settings, public=True).to_dict()
            v = judge(case, result)
            for k in figs:
                figs[k] += v[k]
            if not v["top1"] and name not in NEVER_READ:
                got = result["route"]["task"] if result.get("route") else ""
                misses.append(f"  {case.text[:90]!r}: want {case.kle or case.kind}, got {result['kind']} {got}")
        print(f"{name:16} ({len(cases):3}): " + " / ".join(f"{figs[k] / len(cases):.3f}" for k in figs)
              + ("" if name not in NEVER_READ else "   (never read)"))
        if args.misses and misses:
            print("\n".join(misses))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("holdout", "dev"))
    parser.add_argument("--extra", nargs="*", type=Path, default=[], help="more NLU files to train with")
    parser.add_argument("--work", type=Path, default=Path("/tmp/oos_holdout"))
    parser.add_argument("--model", help="dev: score this model instead of training one")
    parser.add_argument("--reuse", action="store_true", help="use the models already trained in --work")
    parser.add_argument("--misses", action="store_true", help="dev: list the misses of the sets that are read")
    parser.add_argument("--config", type=Path, default=CONFIG, help="the NLU pipeline to train with")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    return holdout(args) if args.what == "holdout" else dev(args)


if __name__ == "__main__":
    sys.exit(main())
