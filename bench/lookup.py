"""Staff lookup timings on the sample catalogue and on a generated 10,000-task catalogue."""
from __future__ import annotations

import random
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Sequence, Tuple

from bot.catalog.importer import write_catalog
from bot.catalog.kle import read_kle
from bot.catalog.queries import load_snapshot
from dataclasses import replace

from bot.catalog.domain import Catalog, Contact, Department, Task
from bot.catalog.source import load_catalog
from bot.routing.router import Router
from bot.web.lookup import lookup

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)  # a fixed Monday morning: same work every run

QUERIES = ["udeservering", "kunden vil sætte borde ud foran caféen", "gravetilladelse", "byggetilladelse carport",
           "miljøtilsyn", "løntilskud", "faktura ikke betalt", "affald fra værksted", "støj fra festival",
           "container på fortovet", "fleksjob", "landzone", "alkoholbevilling", "brandsyn", "lokalplan"]


def generated_catalog(catalog_dir: Path, tasks: int = 10_000, contacts: int = 3_000, seed: int = 7) -> Catalog:
    """The sample catalogue's channels, authorities and topics, with generated departments, tasks and contacts."""
    rnd = random.Random(seed)
    sample = load_catalog(catalog_dir)
    kle = read_kle(catalog_dir / "kle" / "OS2KLE.txt")
    numbers = [n for n, e in kle.items() if e.keywords]
    hours = sample.departments[0].opening_hours
    deps = tuple(Department(f"afd-{i}", f"Afdeling {i}", None, "", "72 57 00 00", f"afd{i}@example.dk", None, None,
                            hours, True) for i in range(60))
    people = tuple(Contact(f"person-{i}", f"Person Fiktivsen {i}", deps[i % 60].id, "Sagsbehandler",
                           "72 57 00 01", f"p{i}@example.dk", i % 5 == 0) for i in range(contacts))
    gen = []
    for i in range(tasks):
        picked = rnd.sample(numbers, k=rnd.randint(1, 3))
        words = [w for n in picked for w, _ in kle[n].keywords]
        gen.append(Task(f"opgave-{i}", f"{kle[picked[0]].title} ({i})", "Genereret opgave til benchmark.",
                        tuple(picked), tuple(rnd.sample(words, k=min(len(words), 12))), deps[i % 60],
                        tuple(dict.fromkeys((people[i % contacts], people[(i * 7) % contacts]))), None, i % 10 != 0))
    # keep the sample's real tasks so every topic still has a door
    return replace(sample, version="bench", departments=deps + sample.departments, tasks=tuple(gen) + sample.tasks,
                   contacts=people + sample.contacts, kle=kle, source_hash="bench")


def time_lookups(router: Router, queries: Sequence[str], rounds: int = 20) -> List[float]:
    for q in queries:  # warm caches
        lookup(router, q, {}, NOW)
    out = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            lookup(router, q, {}, NOW)
            out.append((time.perf_counter() - t) * 1000)
    return out


def pct(xs: Sequence[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def staff_lookup_figures(catalog_dir: Path, workdir: Path) -> List[Tuple[str, int, int, float, float, float]]:
    """(catalogue, tasks, contacts, p50 ms, p95 ms, index build s) for the sample and the generated catalogue."""
    rows = []
    for name, source in (("sample", load_catalog(catalog_dir)), ("generated", generated_catalog(catalog_dir))):
        url = f"sqlite:///{workdir / f'lookup-{name}.db'}"
        write_catalog(url, source, datetime.now(timezone.utc))
        t = time.perf_counter()
        router = Router(load_snapshot(url, public=False))
        build = time.perf_counter() - t
        times = time_lookups(router, QUERIES)
        rows.append((name, len(source.tasks), len(source.contacts), pct(times, 0.5), pct(times, 0.95), build))
    return rows
