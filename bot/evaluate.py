"""`make eval`, first part: routing figures on the DEVELOPMENT set, with a keyword baseline.

The set (tests/data/eval_enquiries.yml) was written apart from the training data and never
trained on, but its misses have been read while tuning: it is the development set, and the
figures that measure generalisation come from the locked test set (bot/evaluate_locked.py).
Each enquiry is labelled with acceptable KLE prefixes or with a kind. The baseline ranks every
OS2KLE topic by how many of its words (title + keywords, folded and stemmed) occur in the
enquiry — what a search box over KLE would do.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime, timezone
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from bot.catalog.kle import read_kle
from bot.routing.danish import terms
from bot.routing.result import ASKING_KINDS, DOOR_KINDS
from bot.settings import PROJECT_ROOT, Settings, SettingsError


@dataclass(frozen=True)
class Case:
    text: str
    kle: Tuple[str, ...]
    kind: Optional[str]
    authority: Optional[str]
    area: str = ""
    style: str = ""


def load_cases(path: Path) -> List[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in data["enquiries"]:
        exp = item["expect"]
        out.append(Case(item["text"], tuple(str(k) for k in exp.get("kle", ())), exp.get("kind"), exp.get("authority"),
                        str(item.get("area", "")), str(item.get("style", ""))))
    return out


def read_xsid_texts(path: Path) -> List[str]:
    return [line.split("=", 1)[1].strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# text =")]


XSID_REJECTED = ("out_of_scope", "smalltalk", "greeting")  # answers that turn an xSID request away


def xsid_verdict(result: Any) -> Tuple[bool, bool]:
    """(turned away?, still offering business choices?) for the RouteResult of an xSID utterance:
    an out-of-scope answer may keep the tasks its words point at ("not ours, unless it is one of these")."""
    return result.kind in XSID_REJECTED, result.kind == "out_of_scope" and bool(result.alternatives)


def _matches(kle: Sequence[str], prefixes: Sequence[str]) -> bool:
    return any(n.startswith(p) for n in kle for p in prefixes)


def judge(case: Case, result: Dict[str, Any]) -> Dict[str, bool]:
    """Top-1, top-3, misroute and safe-fallback verdicts for one routed enquiry."""
    kind = result["kind"]
    route = result.get("route")
    # the answer itself is the first of the three choices a business is offered, unless it is
    # a "Mente du …?" (one_entrance) or an "out of scope, unless it is one of these", which offer
    # their alternatives only
    offered = result.get("alternatives", [])[:3 if kind in ASKING_KINDS else 2]
    candidates = ([route["kle"]] if route else []) + [a["kle"] for a in offered]
    if case.kle:
        top1 = kind == "route" and _matches(route["kle"], case.kle)
        top3 = any(_matches(k, case.kle) for k in candidates[:3])
        return {"top1": top1, "top3": top3, "misroute": kind == "route" and not top1,
                "fallback": kind == "one_entrance", "business": True,
                "answered": kind in DOOR_KINDS, "confidently_wrong": kind in DOOR_KINDS and not top1}
    want = case.kind
    if want == "greeting":
        ok = kind in ("greeting", "smalltalk")
        top3 = ok
    elif want == "external":
        ok = kind == "external" and (result.get("authority") or {}).get("id") == case.authority
        top3 = ok or any(a.get("authority_id") == case.authority for a in offered)
    else:
        ok = kind == want
        top3 = ok or (want == "citizen" and any(a.get("kind") == "citizen" for a in offered))
    return {"top1": ok, "top3": top3, "misroute": kind == "route", "fallback": False, "business": False,
            "answered": kind in DOOR_KINDS, "confidently_wrong": kind in DOOR_KINDS and not ok}


class KeywordBaseline:
    """Rank OS2KLE topics by overlap of stemmed words with the enquiry."""

    def __init__(self, kle_path: Path):
        self.topics = []
        for number, entry in read_kle(kle_path).items():
            words = set(terms(entry.title))
            for kw, _w in entry.keywords:
                words |= set(terms(kw))
            self.topics.append((number, words))

    def rank(self, text: str, n: int = 3) -> List[str]:
        q = set(terms(text))
        scored = [(len(q & words), number) for number, words in self.topics if q & words]
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [number for _s, number in scored[:n]]


def pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:5.1f}% ({n}/{d})" if d else "  n/a"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--data", default=str(PROJECT_ROOT / "tests/data/eval_enquiries.yml"))
    parser.add_argument("--xsid", default=str(PROJECT_ROOT.parent / "shared/data/xsid/da.test.conll"))
    parser.add_argument("--misses", type=int, default=40, help="how many misses to list")
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
    cases = load_cases(Path(args.data))
    baseline = KeywordBaseline(settings.catalog_dir / "kle" / "OS2KLE.txt")

    now = datetime.now(timezone.utc)  # the run's one clock reading
    verdicts, misses = [], []
    base_top1 = base_top3 = 0
    kinds = Counter()
    for case in cases:
        result = answer(case.text, model.parse(case.text), now, settings, public=True).to_dict()
        v = judge(case, result)
        verdicts.append((case, v))
        kinds[result["kind"]] += 1
        if not v["top1"]:
            got = result["route"]["task"] if result.get("route") else (result.get("authority") or {}).get("id", "")
            misses.append(f"  {case.text[:70]!r}: want {case.kle or (case.kind, case.authority)}, got "
                          f"{result['kind']} {got} [{result['intent']['name']} {result['intent']['confidence']:.2f}]")
        if case.kle:
            ranked = baseline.rank(case.text)
            base_top1 += bool(ranked) and _matches(ranked[:1], case.kle)
            base_top3 += _matches(ranked, case.kle)

    business = [v for c, v in verdicts if v["business"]]
    triage = [(c, v) for c, v in verdicts if c.kind in ("external", "citizen", "out_of_scope")]
    n, nb = len(verdicts), len(business)
    figures = {
        "enquiries": n,
        "top1": sum(v["top1"] for _c, v in verdicts) / n,
        "top3": sum(v["top3"] for _c, v in verdicts) / n,
        "business_top1": sum(v["top1"] for v in business) / nb,
        "business_top3": sum(v["top3"] for v in business) / nb,
        "misroute": sum(v["misroute"] for _c, v in verdicts) / n,
        "safe_fallback": sum(v["fallback"] for v in business) / nb,
        "triage": sum(v["top1"] for _c, v in triage) / max(len(triage), 1),
        "out_of_scope_rejection": (sum(v["top1"] for c, v in verdicts if c.kind == "out_of_scope")
                                   / max(sum(1 for c, _v in verdicts if c.kind == "out_of_scope"), 1)),
        "baseline_business_top1": base_top1 / nb,
        "baseline_business_top3": base_top3 / nb,
    }
    print(f"Development set routing evaluation: {n} enquiries ({nb} business), {Path(args.data).name}")
    print(f"{'':34}{'Indgang':>22}{'keyword baseline (OS2KLE)':>30}")
    print(f"{'top-1 routing, all enquiries':34}{pct(sum(v['top1'] for _c, v in verdicts), n):>22}{'':>30}")
    print(f"{'top-3 routing, all enquiries':34}{pct(sum(v['top3'] for _c, v in verdicts), n):>22}{'':>30}")
    print(f"{'top-1, business enquiries':34}{pct(sum(v['top1'] for v in business), nb):>22}{pct(base_top1, nb):>30}")
    print(f"{'top-3, business enquiries':34}{pct(sum(v['top3'] for v in business), nb):>22}{pct(base_top3, nb):>30}")
    print(f"{'misroute (wrong door as answer)':34}{pct(sum(v['misroute'] for _c, v in verdicts), n):>22}"
          f"{pct(nb - base_top1, nb):>30}")
    print(f"{'safe fallback (phone + choices)':34}{pct(sum(v['fallback'] for v in business), nb):>22}{'':>30}")
    print(f"{'triage: external/citizen/oos':34}{pct(sum(v['top1'] for _c, v in triage), len(triage)):>22}{'':>30}")
    oos = [v for c, v in verdicts if c.kind == "out_of_scope"]
    print(f"{'out-of-scope rejection':34}{pct(sum(v['top1'] for v in oos), len(oos)):>22}{'':>30}")
    xsid = Path(args.xsid)
    if xsid.exists():
        texts = read_xsid_texts(xsid)
        rejected = hedged = 0
        for t in texts:
            turned_away, with_choices = xsid_verdict(answer(t, model.parse(t), now, settings, public=True))
            rejected += turned_away
            hedged += with_choices
        figures["xsid_rejection"] = rejected / len(texts)
        figures["xsid_rejected_with_choices"] = hedged / len(texts)
        print(f"{'xSID da.test rejected as oos':34}{pct(rejected, len(texts)):>22}{'':>30}")
        print(f"{'  of which still offer choices':34}{pct(hedged, len(texts)):>22}{'':>30}")
    else:
        print(f"(xSID test file not found at {xsid}: skipped)")
    print(f"answers by kind: {dict(kinds)}")
    if misses and args.misses:
        print(f"misses ({len(misses)}), first {min(len(misses), args.misses)}:")
        print("\n".join(misses[:args.misses]))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
