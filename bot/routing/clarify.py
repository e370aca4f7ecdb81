"""A clarifying turn: route the answer to "Er det en af disse?" on the evidence of both turns.

When the router is unsure between a few doors it offers them and asks for a few more words.
A free-text reply is routed on both messages together: the texts joined (the keyword evidence
of both) and the two intent rankings multiplied and renormalised (a product of experts: two
independent looks at the same need, so what both find plausible wins), so "det handler om støj
fra driften" settles an enquiry that was torn between building and noise rather than starting
from scratch, and a reply that agrees with one of the offered doors makes it a sure answer.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping, Tuple

from bot.routing.router import intent_ranking

FLOOR = 0.01  # an intent missing from one ranking still keeps a little probability


def combine(first_text: str, first_nlu: Mapping[str, Any], reply_text: str, reply_nlu: Mapping[str, Any]
            ) -> Tuple[str, Dict[str, Any]]:
    """The text and NLU ranking to route for an enquiry and its clarifying reply."""
    first = dict(intent_ranking(first_nlu))
    reply = dict(intent_ranking(reply_nlu))
    names = set(first) | set(reply)
    product = {n: max(first.get(n, 0.0), FLOOR) * max(reply.get(n, 0.0), FLOOR) for n in names}
    total = sum(product.values()) or 1.0
    ranking = [{"name": n, "confidence": p / total} for n, p in sorted(product.items(), key=lambda np: -np[1])]
    text = f"{first_text.strip()}. {reply_text.strip()}" if first_text.strip() else reply_text
    return text, {"intent": ranking[0] if ranking else {}, "intent_ranking": ranking}


NEW_TOPIC_MIN = 0.6    # a reply this sure of a topic the first message did not consider is a new enquiry
CONSIDERED_MIN = 0.05  # ... "considered": the first message's ranking gave it at least this


def is_reply(first_nlu: Mapping[str, Any], reply_nlu: Mapping[str, Any]) -> bool:
    """Is the message an answer to "Er det en af disse?" (read together with the question), or
    a new enquiry of its own ("en anden ting: vi vil gerne være leverandør")?"""
    reply = intent_ranking(reply_nlu)
    if not reply:
        return True
    name, conf = reply[0]
    considered = {n for n, c in intent_ranking(first_nlu) if c >= CONSIDERED_MIN}
    return conf < NEW_TOPIC_MIN or name in considered
