"""A clarifying turn: route the answer to "Er det en af disse?" on the evidence of both turns.

When the router is unsure between a few doors it offers them and asks for a few more words.
A free-text reply is routed on both messages together: the texts joined (the keyword evidence
of both) and the two intent rankings averaged, so "det handler om støj fra driften" settles an
enquiry that was torn between building and noise rather than starting from scratch.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping, Tuple

from bot.routing.router import intent_ranking

SECOND_TURN_WEIGHT = 0.5  # the reply's share of the combined intent ranking


def combine(first_text: str, first_nlu: Mapping[str, Any], reply_text: str, reply_nlu: Mapping[str, Any],
            weight: float = SECOND_TURN_WEIGHT) -> Tuple[str, Dict[str, Any]]:
    """The text and NLU ranking to route for an enquiry and its clarifying reply."""
    merged: Dict[str, float] = {}
    for name, conf in intent_ranking(first_nlu):
        merged[name] = merged.get(name, 0.0) + (1.0 - weight) * conf
    for name, conf in intent_ranking(reply_nlu):
        merged[name] = merged.get(name, 0.0) + weight * conf
    ranking = [{"name": n, "confidence": c} for n, c in sorted(merged.items(), key=lambda nc: -nc[1])]
    text = f"{first_text.strip()}. {reply_text.strip()}" if first_text.strip() else reply_text
    return text, {"intent": ranking[0] if ranking else {}, "intent_ranking": ranking}
