"""Compare variants of the keyword router's Danish text handling (bot/routing/danish.py) on the
DEVELOPMENT data only: tests/data/eval_enquiries.yml (+ xSID da.test) and a development split
of the training data. The NLU model's parses are computed once per model and cached, so each
variant only rebuilds the router (issue 9, item 5; figures in docs/nlu.md).

    python scripts/danish_experiments.py --model models/indgang.tar.gz \
        --split-model /tmp/lsplit/models/dev.tar.gz --split-dev /tmp/lsplit/test_data.yml base spacy_stop ...

Variants that need extra packages (spacy-lookups-data, symspellpy, msgpack + wordfreq's data)
import them only when chosen.
"""
from __future__ import annotations

import argparse
import gzip
import json
import pickle
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.catalog.queries import load_snapshot  # noqa: E402
from bot.evaluate import judge, load_cases, read_xsid_texts  # noqa: E402
from bot.routing import danish, index  # noqa: E402
from bot.routing.router import Router, RouterConfig  # noqa: E402
from bot.settings import Settings, SettingsError  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parent.parent

# the hand-written stop word list that danish.STOPWORDS replaced (spaCy's list + danish.FUNCTION_WORDS
# + danish.DOMAIN_WORDS, which are the words of this list that spaCy's lacks)
HAND = frozenset("""
af alle alt anden andet andre at bare begge blev blive bliver da de dem den denne der deres det dette dig din dine
disse du efter eller en end er et for fordi fra få gerne giver godt gør ham han hans har have havde hej her hende
hendes hos hun hvad hvem hvilke hvilken hvis hvor hvordan hvorfor hvornår i ikke ind jeg jer jeres kan kunne lige man
mange med meget men mig min mine mit mod må måske ned noget nogen nogle nu når og også om op os over på sig sin sine
sit skal skulle som så sådan til tror ud under vi vil ville vores være været ønsker dag tak venlig hilsen mvh ift ang
angående vedr vedrørende spørgsmål spørge hjælp hjælpe brug bruge bruger behov kommune kommunen virksomhed
virksomheden firma firmaet jammerbugt hvilket selv både helt lidt mere nye ny nyt første anden ting gang kl
""".split())


def spacy_stop():
    from bot.language import spacy_stop_words
    return spacy_stop_words("da")


def _lemma_table():
    import spacy_lookups_data
    path = Path(spacy_lookups_data.__file__).parent / "data" / "da_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


_SPELL = {}


def _symspell(extra_words=()):
    key = tuple(sorted(extra_words))[:1] + (len(extra_words),)
    if key in _SPELL:
        return _SPELL[key]
    import msgpack
    from symspellpy import SymSpell
    import importlib.util
    wf = Path(list(importlib.util.find_spec("wordfreq").submodule_search_locations)[0])  # data only: no import
    data = msgpack.load(gzip.open(wf / "data" / "small_da.msgpack.gz"), raw=False)
    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    back = {}
    for i, bucket in enumerate(data[1:]):
        count = max(int(10 ** ((900 - i) / 100)), 1)  # bucket i holds words of frequency 10^(-i/100)
        for w in bucket:
            if not w.isalpha() or len(w) < 3:
                continue
            f = danish.fold(w)
            if f not in back:
                back[f] = w
                sym.create_dictionary_entry(f, count)
    for w in extra_words:
        f = danish.fold(w)
        if f not in back:
            back[f] = w
            sym.create_dictionary_entry(f, 10)
    _SPELL[key] = (sym, back)
    return sym, back


@contextmanager
def variant(name: str):
    """Patch bot.routing.danish / TaskIndex for one variant; restore afterwards."""
    saved = (danish.STOPWORDS, danish.stem, index.TaskIndex.query_terms)
    danish.stem.cache_clear()
    try:
        if name == "hand":                  # the hand-written list (the baseline of the session)
            danish.STOPWORDS = HAND
        elif name == "hand_folded":         # a0: the hand list also spelt without æøå
            danish.STOPWORDS = HAND | {danish.fold(w) for w in HAND}
        elif name == "spacy_stop":          # a1: spaCy's list + the domain words only
            danish.STOPWORDS = spacy_stop() | danish.DOMAIN_WORDS
        elif name == "base":                # a2 (kept): spaCy's list merged with the hand-written one
            pass
        elif name == "spacy_stop_merged_folded":  # a3: ... also spelt without æøå ("maa", "naar")
            danish.STOPWORDS = saved[0] | {danish.fold(w) for w in saved[0]}
        elif name in ("lemma_stem", "lemma_only"):  # with the hand list, as measured
            danish.STOPWORDS = HAND  # b1 / b2
            table = _lemma_table()
            orig = saved[1].__wrapped__
            if name == "lemma_stem":
                def stem(word, _t=table):
                    return orig(_t.get(word, word))
            else:
                def stem(word, _t=table):
                    return danish.fold(_t.get(word, word))
            danish.stem = stem
        elif name.startswith("spell"):       # d1: symspell over wordfreq's Danish words; d2: + catalogue words
            danish.STOPWORDS = HAND  # as measured
            extra = set()
            if name == "spell_catalog":
                snap = load_snapshot(Settings.from_env().database_url, public=True)
                for t in snap.tasks:
                    for text in (t.title, *t.keywords):
                        extra |= set(danish.words(text))
            sym, back = _symspell(frozenset(extra))
            from symspellpy import Verbosity

            def correct(word):
                f = danish.fold(word)
                s = sym.lookup(f, Verbosity.TOP, max_edit_distance=2 if len(f) >= 7 else 1)
                return back.get(s[0].term) if s and s[0].distance > 0 else None

            def query_terms(self, text):
                out = []
                for w in danish.words(text):
                    if len(w) < 2 or w.isdigit() or w in danish.STOPWORDS:
                        continue
                    t = danish.stem(w)
                    for term in danish.expand([t], self.vocabulary):
                        if term in self.vocabulary:
                            out.append(term)
                        elif len(term) >= 5 and not danish.known_parts(term, self.vocabulary):
                            close = index.difflib.get_close_matches(
                                term, self._by_prefix.get(term[:2], ()), n=1, cutoff=0.84)
                            if name == "spell_fallback" and close:  # d3: symspell only where difflib finds nothing
                                out.extend(close)
                                continue
                            c = correct(w) if term == t else None
                            ct = danish.stem(c) if c else None
                            if ct and ct in self.vocabulary:
                                out.append(ct)
                            elif ct and danish.known_parts(ct, self.vocabulary):
                                out.extend(danish.known_parts(ct, self.vocabulary))
                            else:
                                out.extend(close)
                return list(dict.fromkeys(out))
            index.TaskIndex.query_terms = query_terms
        else:
            raise SystemExit(f"unknown variant {name}")
        yield
    finally:
        danish.STOPWORDS, danish.stem, index.TaskIndex.query_terms = saved


def parses(model_path: str, texts, cache: Path):
    if cache.exists():
        got = pickle.loads(cache.read_bytes())
        if set(texts) <= set(got):
            return got
    from bot.nlu import NluModel
    model = NluModel(Path(model_path))
    got = {t: model.parse(t) for t in dict.fromkeys(texts)}
    cache.write_bytes(pickle.dumps(got))
    return got


def figures(router, cases, parsed):
    vs = [(c, judge(c, router.route(c.text, parsed[c.text], NOW).to_dict())) for c in cases]
    n = len(vs)
    bus = [v for c, v in vs if c.kle]
    return {"top1": sum(v["top1"] for _, v in vs) / n, "top3": sum(v["top3"] for _, v in vs) / n,
            "misroute": sum(v["misroute"] for _, v in vs) / n,
            "conf_wrong": sum(v["confidently_wrong"] for _, v in vs) / n,
            "bus_top1": sum(v["top1"] for v in bus) / len(bus), "bus_top3": sum(v["top3"] for v in bus) / len(bus),
            "n": n, "counts": (sum(v["top1"] for _, v in vs), sum(v["misroute"] for _, v in vs), sum(v["confidently_wrong"] for _, v in vs))}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/indgang.tar.gz")
    ap.add_argument("--split-model")
    ap.add_argument("--split-dev")
    ap.add_argument("--cache", default="/tmp/danish_experiments")
    ap.add_argument("variants", nargs="+")
    args = ap.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    try:
        settings = Settings.from_env()
    except SettingsError as err:  # a bad setting is one clear line, not a traceback
        print(err, file=sys.stderr)
        return 2
    snapshot = load_snapshot(settings.database_url, public=True)
    dev = load_cases(ROOT / "tests/data/eval_enquiries.yml")
    xsid = read_xsid_texts(ROOT.parent / "shared/data/xsid/da.test.conll")
    tag = Path(args.model).stem + str(int(Path(args.model).stat().st_mtime))
    dev_parsed = parses(args.model, [c.text for c in dev] + xsid, cache / f"{tag}.pkl")
    split = None
    if args.split_model:
        sys.argv = [sys.argv[0]]
        from scripts.tune_router import dev_cases
        scases = dev_cases(Path(args.split_dev), snapshot.topics)
        stag = Path(args.split_model).stem + str(int(Path(args.split_model).stat().st_mtime))
        split = (scases, parses(args.split_model, [c.text for c in scases], cache / f"{stag}.pkl"))
    for name in args.variants:
        with variant(name):
            t0 = time.perf_counter()
            router = Router(snapshot, RouterConfig(), settings.timezone)
            build = time.perf_counter() - t0
            d = figures(router, dev, dev_parsed)
            t0 = time.perf_counter()
            rej = sum(router.route(t, dev_parsed[t], NOW).kind in ("out_of_scope", "smalltalk", "greeting")
                      for t in xsid)
            per_msg = (time.perf_counter() - t0) / len(xsid) * 1000
            line = (f"{name:26} DEV top1 {d['top1']:.3f} top3 {d['top3']:.3f} bus_top1 {d['bus_top1']:.3f} "
                    f"misroute {d['misroute']:.3f} conf_wrong {d['conf_wrong']:.3f} xSID {rej / len(xsid):.3f}")
            if split:
                s = figures(router, *split)
                line += (f" | SPLIT top1 {s['top1']:.3f} top3 {s['top3']:.3f} bus_top1 {s['bus_top1']:.3f} "
                         f"misroute {s['misroute']:.3f} conf_wrong {s['conf_wrong']:.3f}")
            line += f" | counts dev {d['counts']} split {s['counts'] if split else ''} n={d['n']}/{s['n'] if split else 0}"
            line += f" | build {build:.2f}s route {per_msg:.2f} ms/msg"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
