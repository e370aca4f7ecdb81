"""House rule: bot/ is plain Python; only bot/nlu.py may import Rasa, and only inside functions."""
from __future__ import annotations

import ast

from tests.servers import ROOT


def test_only_the_model_adapter_touches_rasa():
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("rasa", "rasa_sdk") for n in names):
                rel = path.relative_to(ROOT).as_posix()
                top_level = node in tree.body
                if rel != "bot/nlu.py" or top_level:
                    offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []
