"""Read the OS2KLE classification (catalog_data/kle/OS2KLE.txt)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Tuple

_LINE = re.compile(r"^KLENummer='(?P<number>[0-9.]+)':KLETitel='(?P<title>.*?)':Keywords\[Weight\]=(?P<kw>.*)$")
_KEYWORD = re.compile(r"^(?P<word>.+)\[(?P<weight>\d+)\]$")


@dataclass(frozen=True)
class KleEntry:
    number: str
    title: str
    keywords: Tuple[Tuple[str, int], ...]


def read_kle(path: Path) -> Dict[str, KleEntry]:
    """Parse OS2KLE.txt into {number: entry}. Weight-1000 entries are codes, not words: dropped."""
    entries: Dict[str, KleEntry] = {}
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            m = _LINE.match(line)
            if not m:
                raise ValueError(f"{path}:{lineno}: not an OS2KLE line: {line[:80]!r}")
            words = []
            for part in m.group("kw").split(";"):
                km = _KEYWORD.match(part.strip())
                if km and int(km.group("weight")) < 1000:
                    words.append((km.group("word").strip(), int(km.group("weight"))))
            entries[m.group("number")] = KleEntry(m.group("number"), m.group("title"), tuple(words))
    return entries
