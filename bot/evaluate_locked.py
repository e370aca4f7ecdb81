"""`make eval`, second part: figures on the LOCKED test set, which is scored and never read.

The locked set (tests/data/locked/test_*.yml) was written by helpers who saw only the list of
areas (tests/data/locked/AREAS.md), never the training data or the router. This report prints
figures only — overall, person-style half apart, per area, and a reliability table of the
answer's `confidence` — and by design never prints an enquiry or a miss: once misses are read
and tuned on, the set stops measuring generalisation. Near-duplicates of training examples
(character 5-gram Jaccard ≥ 0.6) are dropped before scoring and counted.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import yaml

from bot.evaluate import Case, KeywordBaseline, _matches, judge, load_cases
from bot.routing.result import asks
from bot.settings import PROJECT_ROOT, Settings, SettingsError

PERSON_STYLES = {"story", "complaint", "maa_jeg", "typos", "no_aeoeaa", "no_punct", "multi", "jargon", "short"}
NEAR_DUPLICATE = 0.6


def grams(text: str, n: int = 5) -> Set[str]:
    t = " ".join(text.lower().split())
    return {t[i:i + n] for i in range(max(len(t) - n + 1, 1))}


def example_texts(path: Path) -> List[str]:
    """The example texts of one Rasa NLU file, in order."""
    out = []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for item in data.get("nlu", []) or []:
        for line in (item.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                out.append(line[2:])
    return out


def training_texts(nlu_dir: Path) -> List[str]:
    return [t for path in sorted(nlu_dir.glob("*.yml")) for t in example_texts(path)]


def drop_near_duplicates(cases: Sequence[Case], train: Iterable[str]) -> Tuple[List[Case], int]:
    """Cases whose 5-gram Jaccard with some training example is below NEAR_DUPLICATE."""
    index: Dict[str, List[int]] = defaultdict(list)
    train_grams = []
    for i, t in enumerate(train):
        g = grams(t)
        train_grams.append(g)
        for x in g:
            index[x].append(i)
    kept, dropped = [], 0
    for case in cases:
        g = grams(case.text)
        counts: Dict[int, int] = defaultdict(int)
        for x in g:
            for i in index.get(x, ()):
                counts[i] += 1
        best = max((c / (len(g) + len(train_grams[i]) - c) for i, c in counts.items()), default=0.0)
        if best >= NEAR_DUPLICATE:
            dropped += 1
        else:
            kept.append(case)
    return kept, dropped


def reliability(points: Sequence[Tuple[float, bool]], bins: int = 10) -> Tuple[List[Tuple[str, int, float, float]], float]:
    """(bin label, count, mean predicted, observed) per bin and the expected calibration error."""
    rows, ece, n = [], 0.0, len(points)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, ok) for p, ok in points if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if not inside:
            continue
        mean_p = sum(p for p, _ in inside) / len(inside)
        observed = sum(ok for _, ok in inside) / len(inside)
        rows.append((f"{lo:.1f}–{hi:.1f}", len(inside), mean_p, observed))
        ece += len(inside) / n * abs(mean_p - observed)
    return rows, ece


def area_words(path: Path) -> Dict[str, str]:
    """Area id -> the few words a scripted user types to say what it is about (from AREAS.md)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"- \*\*([a-z_]+)\*\*(?: \([^)]*\))? — ([^.]*)", line)
        if m:
            out[m.group(1)] = m.group(2).split(". Tasks:")[0]
    return out


def second_turn(case: Case, result: Dict[str, object], v: Dict[str, bool], route_two, words: Dict[str, str]) -> bool:
    """Right door within two turns, with a scripted user who answers from the label: a matching
    button is clicked; otherwise, when the bot asked with choices, the user types the area's description
    (a clarifying reply, read with the first message as the bot does), or
    after a wrong answer says "nej, det var ikke det" and picks a matching choice."""
    if v["top1"]:
        return True
    alts = result.get("alternatives") or []
    matching = [a for a in alts if (case.kle and _matches(a.get("kle") or [], case.kle))
                or (case.authority and a.get("authority_id") == case.authority)
                or (case.kind == "citizen" and a.get("kind") == "citizen")]
    asked = asks(str(result["kind"]), alts)
    if asked and matching:
        return True
    if asked and case.area in words:
        again = route_two(case.text, words[case.area])
        return bool(judge(case, again)["top1"])
    return bool(matching)  # after a wrong answer: "nej" brings its alternatives back


def score(cases: Sequence[Case], route, baseline: KeywordBaseline, route_two=None,
          words: Optional[Dict[str, str]] = None) -> Dict[str, object]:
    """Route every case; return the figures (no texts)."""
    verdicts = []
    points: List[Tuple[float, bool]] = []
    for case in cases:
        result = route(case.text)
        v = judge(case, result)
        if route_two is not None:
            v["two_turns"] = second_turn(case, result, v, route_two, words or {})
        if case.kle:
            ranked = baseline.rank(case.text)
            v["baseline_top1"] = bool(ranked) and _matches(ranked[:1], case.kle)
            v["baseline_top3"] = _matches(ranked, case.kle)
        verdicts.append((case, v))
        if v["answered"]:
            points.append((float(result.get("confidence") or 0.0), bool(v["top1"])))
    return {"verdicts": verdicts, "points": points}


def figures(verdicts) -> Dict[str, float]:
    n = len(verdicts)
    business = [v for _c, v in verdicts if v["business"]]
    return {
        "n": n,
        "top1": sum(v["top1"] for _c, v in verdicts) / max(n, 1),
        "top3": sum(v["top3"] for _c, v in verdicts) / max(n, 1),
        "confidently_wrong": sum(v["confidently_wrong"] for _c, v in verdicts) / max(n, 1),
        "answered": sum(v["answered"] for _c, v in verdicts) / max(n, 1),
        "two_turns": sum(v.get("two_turns", False) for _c, v in verdicts) / max(n, 1),
        "baseline_business_top1": sum(v.get("baseline_top1", False) for v in business) / max(len(business), 1),
        "baseline_business_top3": sum(v.get("baseline_top3", False) for v in business) / max(len(business), 1),
    }


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--data", nargs="+", default=sorted(str(p) for p in (PROJECT_ROOT / "tests/data/locked").glob("test_*.yml")))
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)

    from bot.nlu import NluModel
    from bot.routing.service import answer

    try:
        settings = Settings.from_env()
    except SettingsError as err:  # a bad setting is one clear line, not a traceback
        print(err, file=sys.stderr)
        return 2
    model = NluModel(Path(args.model) if args.model else settings.model_path)
    baseline = KeywordBaseline(settings.catalog_dir / "kle" / "OS2KLE.txt")
    now = datetime.now(timezone.utc)  # the run's one clock reading
    cases: List[Case] = []
    for path in args.data:
        cases += load_cases(Path(path))
    cases, dropped = drop_near_duplicates(cases, training_texts(PROJECT_ROOT / "nlu_data"))
    from bot.routing.clarify import combine

    def route_two(first: str, reply: str) -> Dict[str, object]:
        text, parse = combine(first, model.parse(first), reply, model.parse(reply))
        return answer(text, parse, now, settings, public=True).to_dict()

    scored = score(cases, lambda t: answer(t, model.parse(t), now, settings, public=True).to_dict(), baseline,
                   route_two, area_words(PROJECT_ROOT / "tests/data/locked/AREAS.md"))
    verdicts = scored["verdicts"]

    groups = {
        "all": verdicts,
        "person-style half": [(c, v) for c, v in verdicts if c.style in PERSON_STYLES],
        "plain + FAQ half": [(c, v) for c, v in verdicts if c.style not in PERSON_STYLES],
        "business only": [(c, v) for c, v in verdicts if v["business"]],
    }
    print(f"Locked test set: {len(verdicts)} enquiries scored ({dropped} near-duplicates of training data dropped). "
          "Figures only: misses are never printed.")
    print(f"{'':22}{'n':>5}{'top-1':>9}{'top-3':>9}{'conf. wrong':>13}{'answered':>10}{'2 turns':>9}{'baseline t1/t3':>18}")
    out: Dict[str, object] = {"dropped_near_duplicates": dropped}
    for name, vs in groups.items():
        f = figures(vs)
        out[name] = f
        base = f"{100 * f['baseline_business_top1']:.0f}/{100 * f['baseline_business_top3']:.0f}%"
        print(f"{name:22}{f['n']:>5}{100 * f['top1']:>8.1f}%{100 * f['top3']:>8.1f}%{100 * f['confidently_wrong']:>12.1f}%"
              f"{100 * f['answered']:>9.0f}%{100 * f['two_turns']:>8.1f}%{base:>18}")
    rows, ece = reliability(scored["points"])
    out["ece"] = ece
    print(f"\nReliability of `confidence` for answers that name a door ({len(scored['points'])}): "
          f"expected calibration error {ece:.3f}")
    print(f"{'bin':>10}{'n':>6}{'predicted':>11}{'observed':>10}")
    for label, n, p, o in rows:
        print(f"{label:>10}{n:>6}{p:>11.2f}{o:>10.2f}")
    by_area: Dict[str, list] = defaultdict(list)
    for c, v in verdicts:
        by_area[c.area or "?"].append((c, v))
    print("\nPer area (n, top-1, top-3, confidently wrong):")
    area_rows = []
    for area in sorted(by_area):
        f = figures(by_area[area])
        area_rows.append((area, f))
        print(f"  {area:26}{f['n']:>4}{100 * f['top1']:>7.0f}%{100 * f['top3']:>7.0f}%{100 * f['confidently_wrong']:>7.0f}%")
    out["areas"] = {a: f for a, f in area_rows}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
